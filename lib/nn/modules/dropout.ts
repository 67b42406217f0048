// The dropout modules, after torch/nn/modules/dropout.py: each keeps p and
// inplace (checked once, here) and calls its nn.functional twin with the
// module's training flag.
import { pyFloatRepr } from '../../_pyformat';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { moduleError } from './_module_error';
import { Module } from './module';
import { def_, pyBool, type PyArgs } from './utils';

const dropoutArgs = def_<{ p: number; inplace: boolean }>('Dropout(float p=0.5, bool inplace=False)');

/**
 * Zeroes each element with probability p while training and scales the rest by 1/(1-p);
 * the identity in eval. Input: (*), output: (*), the input's shape.
 */
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

type DropoutArgs = PyArgs<[], [p: number, inplace: boolean], { p: number; inplace: boolean }>;

/** Python's _DropoutNd: p, checked once, and inplace. */
abstract class DropoutNd extends Module {
  p: number;
  inplace: boolean;

  protected constructor(bind: (args: readonly unknown[]) => { p: number; inplace: boolean }, args: unknown[]) {
    const { p, inplace } = bind(args);
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${this._get_name()}: dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = inplace;
  }

  override extra_repr(): string {
    return `p=${pyFloatRepr(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

// The functional twins bind their arguments (the channel-wise ones also
// reshape a batch-less input); called positionally, that is a cache hit.
type DropoutFn = (input: Tensor, p: number, training: boolean, inplace: boolean) => Tensor;
const dropout1d = F.dropout1d as unknown as DropoutFn;
const dropout2d = F.dropout2d as unknown as DropoutFn;
const dropout3d = F.dropout3d as unknown as DropoutFn;
const alphaDropout = F.alpha_dropout as unknown as DropoutFn;
const featureAlphaDropout = F.feature_alpha_dropout as unknown as DropoutFn;

const dropout1dArgs = def_<{ p: number; inplace: boolean }>('Dropout1d(float p=0.5, bool inplace=False)');

/**
 * Zeroes whole channels with probability p while training, scaling the rest by 1/(1-p).
 * Input: (N, C, L) or (C, L), output: the same shape.
 */
export class Dropout1d extends DropoutNd {
  /** Python's Dropout1d(p=0.5, inplace=False). */
  constructor(...args: DropoutArgs);
  constructor(...args: unknown[]) {
    super(dropout1dArgs, args);
  }

  override forward(input: Tensor): Tensor {
    try {
      return dropout1d(input, this.p, this.training, this.inplace);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const dropout2dArgs = def_<{ p: number; inplace: boolean }>('Dropout2d(float p=0.5, bool inplace=False)');

/**
 * Zeroes whole channels (feature maps) with probability p while training, scaling the rest by 1/(1-p).
 * Input: (N, C, H, W) or (N, C, L), output: the same shape.
 */
export class Dropout2d extends DropoutNd {
  /** Python's Dropout2d(p=0.5, inplace=False). */
  constructor(...args: DropoutArgs);
  constructor(...args: unknown[]) {
    super(dropout2dArgs, args);
  }

  override forward(input: Tensor): Tensor {
    try {
      return dropout2d(input, this.p, this.training, this.inplace);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const dropout3dArgs = def_<{ p: number; inplace: boolean }>('Dropout3d(float p=0.5, bool inplace=False)');

/**
 * Zeroes whole channels (volumes) with probability p while training, scaling the rest by 1/(1-p).
 * Input: (N, C, D, H, W) or (C, D, H, W), output: the same shape.
 */
export class Dropout3d extends DropoutNd {
  /** Python's Dropout3d(p=0.5, inplace=False). */
  constructor(...args: DropoutArgs);
  constructor(...args: unknown[]) {
    super(dropout3dArgs, args);
  }

  override forward(input: Tensor): Tensor {
    try {
      return dropout3d(input, this.p, this.training, this.inplace);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const alphaDropoutArgs = def_<{ p: number; inplace: boolean }>('AlphaDropout(float p=0.5, bool inplace=False)');

/**
 * Dropout that keeps a SELU network's zero mean and unit variance: dropped
 * elements become -α·scale, then all are scaled and shifted back.
 * Input: (*), output: (*), the input's shape. As in Python, inplace is kept
 * and printed but the input is never changed (Python passes no inplace on).
 */
export class AlphaDropout extends DropoutNd {
  /** Python's AlphaDropout(p=0.5, inplace=False). */
  constructor(...args: DropoutArgs);
  constructor(...args: unknown[]) {
    super(alphaDropoutArgs, args);
  }

  override forward(input: Tensor): Tensor {
    try {
      return alphaDropout(input, this.p, this.training, false);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const featureAlphaDropoutArgs = def_<{ p: number; inplace: boolean }>('FeatureAlphaDropout(float p=0.5, bool inplace=False)');

/**
 * Alpha dropout of whole channels: a dropped channel becomes SELU's
 * negative saturation value, then all are scaled and shifted back.
 * Input: (N, C, D, H, W) or (C, D, H, W), output: the same shape. As in
 * Python, inplace is kept and printed but the input is never changed.
 */
export class FeatureAlphaDropout extends DropoutNd {
  /** Python's FeatureAlphaDropout(p=0.5, inplace=False). */
  constructor(...args: DropoutArgs);
  constructor(...args: unknown[]) {
    super(featureAlphaDropoutArgs, args);
  }

  override forward(input: Tensor): Tensor {
    try {
      return featureAlphaDropout(input, this.p, this.training, false);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}
