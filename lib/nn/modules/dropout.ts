// nn.Dropout, after torch/nn/modules/dropout.py.
import { checkOptions } from '../../_options';
import { pyFloatRepr } from '../../_pyformat';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';

/** Zeroes each element with probability p while training and scales the rest by 1/(1-p). */
export class Dropout extends Module {
  p: number;
  inplace: boolean;

  constructor(p: number | { p?: number; inplace?: boolean } = 0.5, inplace = false) {
    super();
    if (typeof p === 'object') checkOptions('Dropout', p, { p: 'float', inplace: 'bool' });
    const o = typeof p === 'object' ? p : { p, inplace };
    this.p = o.p ?? 0.5;
    this.inplace = o.inplace ?? false;
    if (typeof this.p !== 'number' || !(this.p >= 0 && this.p <= 1)) {
      throw new RangeError(`dropout probability has to be between 0 and 1, but got ${String(this.p)}`);
    }
  }

  override forward(input: Tensor): Tensor {
    return F.dropout(input, this.p, this.training, this.inplace);
  }

  override extra_repr(): string {
    return `p=${pyFloatRepr(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}
