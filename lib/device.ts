// torch.device: where a tensor lives, written as PyTorch writes it.
import { inspect } from 'node:util';

const DEVICE_TYPES = new Set(['cpu', 'cuda', 'mps', 'meta', 'xla', 'xpu', 'hip']);

/** A device: its type ('cpu', 'cuda', ...) and index (null: the current one of that type). */
class TorchDevice {
  readonly type: string;
  readonly index: number | null;

  constructor(spec: string | TorchDevice, index?: number) {
    if (spec instanceof TorchDevice) {
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

// Python's name, in messages that name a value's class.
Object.defineProperty(TorchDevice, 'name', { value: 'device' });

/** torch.device, called as Python calls it (`torch.device('cuda')`) or with `new`. */
export interface DeviceConstructor {
  new (spec: string | device, index?: number): device;
  (spec: string | device, index?: number): device;
  readonly prototype: device;
}

export type device = TorchDevice;
// A call without `new` constructs, as Python's torch.device(...) does; `new`
// and `instanceof` work on it as on the class.
export const device: DeviceConstructor = new Proxy(TorchDevice, {
  apply: (target, _this, args: [string | device, number?]) => new target(...args),
}) as unknown as DeviceConstructor;

export type DeviceLike = device | string;
