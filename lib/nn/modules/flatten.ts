// nn.Flatten, after torch/nn/modules/flatten.py.
import type { Tensor } from '../../tensor';
import { Module } from './module';
import { def_, type PyArgs } from './utils';

const flattenArgs = def_<{ start_dim: number; end_dim: number }>('Flatten(int start_dim=1, int end_dim=-1)');

/** Flattens dims start_dim..end_dim into one: (N, C, H, W) -> (N, C*H*W) by default. */
export class Flatten extends Module {
  start_dim: number;
  end_dim: number;

  /** Python's Flatten(start_dim=1, end_dim=-1): `new Flatten()`, `new Flatten(0)`, `new Flatten(1, 2)` or `new Flatten({ start_dim, end_dim })`. */
  constructor(...args: PyArgs<[], [start_dim: number, end_dim: number], { start_dim: number; end_dim: number }>);
  constructor(...args: unknown[]) {
    const { start_dim, end_dim } = flattenArgs(args);
    super();
    this.start_dim = start_dim;
    this.end_dim = end_dim;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.start_dim, this.end_dim);
  }

  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}
