// nn.Flatten and nn.Unflatten, after torch/nn/modules/flatten.py.
import type { Tensor } from '../../tensor';
import { describeValue } from '../../_describe';
import { moduleError } from './_module_error';
import { Module } from './module';
import { def_, reprAsGiven, type PyArgs } from './utils';

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

const unflattenArgs = def_<{ dim: unknown; unflattened_size: unknown }>('Unflatten(Any dim, Any unflattened_size)');

/**
 * Expands one dim into several: (*, S_dim, *) -> (*, U_1, ..., U_n, *) with
 * ∏ U_i = S_dim (one U_i may be -1, inferred). Python's named form (a dim
 * name and (name, size) pairs) needs named tensors, which torchts lacks: it
 * is refused with an error that says so.
 */
export class Unflatten extends Module {
  dim: number;
  unflattened_size: number[];

  /** Python's Unflatten(dim, unflattened_size): `new Unflatten(1, [2, 5])` or `new Unflatten({ dim: 1, unflattened_size: [2, 5] })`. */
  constructor(...args: PyArgs<[dim: number, unflattened_size: number[]], [], { dim: number; unflattened_size: number[] }>);
  constructor(...args: unknown[]) {
    const { dim, unflattened_size: size } = unflattenArgs(args);
    super();
    if (typeof dim === 'string') {
      throw new TypeError(`Unflatten: a named dim ('${dim}') needs named tensors, which torchts does not support; give the dim's index`);
    }
    if (!(typeof dim === 'number' && Number.isInteger(dim))) throw new TypeError(`Unflatten: invalid argument type for dim parameter: expected an int, got ${describeValue(dim)}`);
    if (!Array.isArray(size)) throw new TypeError(`Unflatten: unflattened_size must be a tuple of ints, but found type ${describeValue(size)}`);
    size.forEach((e, i) => {
      if (!(typeof e === 'number' && Number.isInteger(e))) {
        throw new TypeError(`Unflatten: unflattened_size must be tuple of ints, but found element of type ${describeValue(e)} at pos ${i}`);
      }
    });
    this.dim = dim;
    this.unflattened_size = [...(size as number[])];
  }

  override forward(input: Tensor): Tensor {
    try {
      return input.unflatten(this.dim, this.unflattened_size);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `dim=${this.dim}, unflattened_size=${reprAsGiven(this.unflattened_size)}`;
  }
}
