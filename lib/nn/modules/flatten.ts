// nn.Flatten, after torch/nn/modules/flatten.py.
import { checkOptions } from '../../_options';
import type { Tensor } from '../../tensor';
import { Module } from './module';

/** Flattens dims start_dim..end_dim into one: (N, C, H, W) -> (N, C*H*W) by default. */
export class Flatten extends Module {
  start_dim: number;
  end_dim: number;

  /** `new Flatten()`, `new Flatten(0)`, `new Flatten(1, 2)` or `new Flatten({ start_dim, end_dim })`. */
  constructor(start_dim: number | { start_dim?: number; end_dim?: number } = 1, end_dim = -1) {
    super();
    if (typeof start_dim === 'object') checkOptions('Flatten', start_dim, { start_dim: 'int', end_dim: 'int' });
    const o = typeof start_dim === 'object' ? start_dim : { start_dim, end_dim };
    this.start_dim = o.start_dim ?? 1;
    this.end_dim = o.end_dim ?? -1;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.start_dim, this.end_dim);
  }

  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}
