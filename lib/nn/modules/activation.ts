// Activation modules, after torch/nn/modules/activation.py.
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';
import { def_, type PyArgs } from './utils';

const reluArgs = def_<{ inplace: boolean }>('ReLU(bool inplace=False)');

/** max(0, x), elementwise. */
export class ReLU extends Module {
  inplace: boolean;

  /** Python's ReLU(inplace=False): `new ReLU()`, `new ReLU(true)` or `new ReLU({ inplace: true })`. */
  constructor(...args: PyArgs<[], [inplace: boolean], { inplace: boolean }>);
  constructor(...args: unknown[]) {
    const { inplace } = reluArgs(args);
    super();
    this.inplace = inplace;
  }

  override forward(input: Tensor): Tensor {
    return F._relu(input, this.inplace);
  }

  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

const noArgs = (name: string) => def_<Record<string, never>>(`${name}()`);
const tanhArgs = noArgs('Tanh');
const sigmoidArgs = noArgs('Sigmoid');

export class Tanh extends Module {
  /** Python's Tanh() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    tanhArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    return F._tanh(input);
  }
}

export class Sigmoid extends Module {
  /** Python's Sigmoid() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    sigmoidArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    return F._sigmoid(input);
  }
}

const softmaxArgs = def_<{ dim: number | null }>('Softmax(int? dim=None)');
const logSoftmaxArgs = def_<{ dim: number | null }>('LogSoftmax(int? dim=None)');

/** exp(x_i) / sum_j exp(x_j) along dim. */
export class Softmax extends Module {
  dim: number | null;

  /** Python's Softmax(dim=None): `new Softmax(1)` or `new Softmax({ dim: 1 })`. */
  constructor(...args: PyArgs<[], [dim: number | null], { dim: number | null }>);
  constructor(...args: unknown[]) {
    const { dim } = softmaxArgs(args);
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return F._softmax(input, F._get_softmax_dim('softmax', input.ndim, this.dim));
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** log(softmax(x)) along dim, computed stably. */
export class LogSoftmax extends Module {
  dim: number | null;

  /** Python's LogSoftmax(dim=None): `new LogSoftmax(1)` or `new LogSoftmax({ dim: 1 })`. */
  constructor(...args: PyArgs<[], [dim: number | null], { dim: number | null }>);
  constructor(...args: unknown[]) {
    const { dim } = logSoftmaxArgs(args);
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return F._log_softmax(input, F._get_softmax_dim('log_softmax', input.ndim, this.dim));
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}
