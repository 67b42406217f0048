// nn.Dropout, after torch/nn/modules/dropout.py.
import { pyFloatRepr } from '../../_pyformat';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';
import { def_, pyBool, type PyArgs } from './utils';

const dropoutArgs = def_<{ p: number; inplace: boolean }>('Dropout(float p=0.5, bool inplace=False)');

/** Zeroes each element with probability p while training and scales the rest by 1/(1-p). */
export class Dropout extends Module {
  p: number;
  inplace: boolean;

  /** Python's Dropout(p=0.5, inplace=False). */
  constructor(...args: PyArgs<[], [p: number, inplace: boolean], { p: number; inplace: boolean }>);
  constructor(...args: unknown[]) {
    const { p, inplace } = dropoutArgs(args);
    super();
    // Python's _DropoutNd checks p when the module is made.
    F._check_dropout_p(p);
    this.p = p;
    this.inplace = inplace;
  }

  override forward(input: Tensor): Tensor {
    return F._dropout(input, this.p, this.training, this.inplace);
  }

  override extra_repr(): string {
    return `p=${pyFloatRepr(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}
