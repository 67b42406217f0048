// torch.device: where a tensor lives, written as PyTorch writes it.
import { inspect } from 'node:util';

const DEVICE_TYPES = new Set(['cpu', 'cuda', 'mps', 'meta', 'xla', 'xpu', 'hip']);

export class device {
  readonly type: string;
  readonly index: number | null;

  constructor(spec: string | device, index?: number) {
    if (spec instanceof device) {
      this.type = spec.type;
      this.index = index ?? spec.index;
      return;
    }
    if (typeof spec !== 'string') {
      throw new TypeError(`device: expected a string like 'cpu' or 'cuda:0', got ${typeof spec}`);
    }
    const m = /^([a-z]+)(?::(\d+))?$/.exec(spec);
    if (!m || !DEVICE_TYPES.has(m[1])) {
      throw new TypeError(`device: invalid device string '${spec}' (expected 'cpu', 'cuda' or 'cuda:N')`);
    }
    if (m[2] !== undefined && index !== undefined) {
      throw new TypeError(`device: type (string) must not include an index because index was passed explicitly: ${spec}`);
    }
    this.type = m[1];
    this.index = m[2] !== undefined ? Number(m[2]) : (index ?? null);
    if (this.index !== null && (!Number.isInteger(this.index) || this.index < 0)) {
      throw new TypeError(`device: index must be a non-negative integer, got ${this.index}`);
    }
  }

  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }

  [inspect.custom](): string {
    return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`;
  }
}

export type DeviceLike = device | string;
