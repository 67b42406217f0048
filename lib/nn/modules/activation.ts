// Activation modules, after torch/nn/modules/activation.py.
import { checkOptions } from '../../_options';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';

/** max(0, x), elementwise. */
export class ReLU extends Module {
  inplace: boolean;

  /** `new ReLU()`, `new ReLU(true)` or `new ReLU({ inplace: true })`. */
  constructor(inplace: boolean | { inplace?: boolean } = false) {
    super();
    if (typeof inplace === 'object') checkOptions('ReLU', inplace, { inplace: 'bool' });
    this.inplace = typeof inplace === 'object' ? (inplace.inplace ?? false) : inplace;
  }

  override forward(input: Tensor): Tensor {
    return F.relu(input, this.inplace);
  }

  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/** exp(x_i) / sum_j exp(x_j) along dim. */
export class Softmax extends Module {
  dim: number | null;

  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return F.softmax(input, implicitDim(this.dim, input));
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** log(softmax(x)) along dim, computed stably. */
export class LogSoftmax extends Module {
  dim: number | null;

  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return F.log_softmax(input, implicitDim(this.dim, input));
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

// Python's _get_softmax_dim, for modules made without a dim.
function implicitDim(dim: number | null, input: Tensor): number {
  if (dim !== null) return dim;
  const n = input.ndim;
  return n === 0 || n === 1 || n === 3 ? 0 : 1;
}
