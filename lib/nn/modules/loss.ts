// Loss modules, after torch/nn/modules/loss.py: each holds its options and
// calls its nn.functional twin. Every loss still takes Python's deprecated
// size_average and reduce, at their positions, and turns them into a
// reduction as Python's _Loss does.
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { PairwiseDistance } from './distance';
import { moduleError } from './_module_error';
import { Module } from './module';
import { def_, type PyArgs } from './utils';

abstract class Loss extends Module {
  reduction: F.Reduction;

  protected constructor(size_average: boolean | null, reduce: boolean | null, reduction: string) {
    super();
    // Python checks the reduction at the first forward; a module knows it now, and says whose it is.
    try {
      this.reduction = F._reduction(size_average, reduce, reduction);
    } catch (err) {
      throw new RangeError(`${this._get_name()}: ${(err as Error).message} (expected 'none', 'mean' or 'sum')`);
    }
  }
}

type Legacy = [size_average: boolean | null, reduce: boolean | null];

export interface CrossEntropyLossOptions extends F.LegacyReductionKwargs {
  weight?: Tensor | null;
  ignore_index?: number;
  label_smoothing?: number;
}

const crossEntropyLossArgs = def_<Required<CrossEntropyLossOptions>>(
  'CrossEntropyLoss(Tensor? weight=None, bool? size_average=None, int ignore_index=-100, bool? reduce=None, str reduction="mean", float label_smoothing=0.0)',
);

/**
 * Log-softmax and negative log-likelihood in one: ℓ_n = -w_{y_n} log softmax(x_n)[y_n]
 * (with label smoothing, mixed with the uniform distribution); 'mean' divides by Σ w_{y_n}.
 * Input: (N, C) logits (or (N, C, d1, ...)), target: (N) class indices or (N, C) probabilities;
 * output: a scalar, or (N) with reduction 'none'.
 */
export class CrossEntropyLoss extends Loss {
  ignore_index: number;
  label_smoothing: number;
  declare weight: Tensor | null;

  /** Python's CrossEntropyLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0). */
  constructor(
    ...args: PyArgs<[], [weight: Tensor | null, size_average: boolean | null, ignore_index: number, reduce: boolean | null, reduction: F.Reduction, label_smoothing: number], CrossEntropyLossOptions>
  );
  constructor(...args: unknown[]) {
    const a = crossEntropyLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.register_buffer('weight', a.weight);
    this.ignore_index = a.ignore_index;
    if (!(a.label_smoothing >= 0 && a.label_smoothing <= 1)) {
      throw new RangeError(`label_smoothing must be between 0.0 and 1.0. Got: ${a.label_smoothing}`);
    }
    this.label_smoothing = a.label_smoothing;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._cross_entropy(input, target, {
      weight: this.weight,
      ignore_index: this.ignore_index,
      reduction: this.reduction,
      label_smoothing: this.label_smoothing,
    });
  }
}

export type NLLLossOptions = Omit<CrossEntropyLossOptions, 'label_smoothing'>;

const nllLossArgs = def_<Required<NLLLossOptions>>('NLLLoss(Tensor? weight=None, bool? size_average=None, int ignore_index=-100, bool? reduce=None, str reduction="mean")');

/**
 * Negative log-likelihood: ℓ_n = -w_{y_n} x_n[y_n]; 'mean' divides by Σ w_{y_n}.
 * Input: (N, C) log-probabilities (or (N, C, d1, ...)), target: (N) class indices;
 * output: a scalar, or (N) with reduction 'none'.
 */
export class NLLLoss extends Loss {
  ignore_index: number;
  declare weight: Tensor | null;

  /** Python's NLLLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'). */
  constructor(...args: PyArgs<[], [weight: Tensor | null, size_average: boolean | null, ignore_index: number, reduce: boolean | null, reduction: F.Reduction], NLLLossOptions>);
  constructor(...args: unknown[]) {
    const a = nllLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.register_buffer('weight', a.weight);
    this.ignore_index = a.ignore_index;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._nll_loss(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction });
  }
}

const mseLossArgs = def_<Required<F.LegacyReductionKwargs>>('MSELoss(bool? size_average=None, bool? reduce=None, str reduction="mean")');
const l1LossArgs = def_<Required<F.LegacyReductionKwargs>>('L1Loss(bool? size_average=None, bool? reduce=None, str reduction="mean")');
type PointwiseLossArgs = PyArgs<[], [...Legacy, reduction: F.Reduction], F.LegacyReductionKwargs>;

/**
 * Mean squared error: ℓ_n = (x_n - y_n)², reduced.
 * Input: (*), target: (*), output: a scalar, or (*) with reduction 'none'.
 */
export class MSELoss extends Loss {
  /** Python's MSELoss(size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PointwiseLossArgs);
  constructor(...args: unknown[]) {
    const a = mseLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._mse_loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Mean absolute error: ℓ_n = |x_n - y_n|, reduced.
 * Input: (*), target: (*), output: a scalar, or (*) with reduction 'none'.
 */
export class L1Loss extends Loss {
  /** Python's L1Loss(size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PointwiseLossArgs);
  constructor(...args: unknown[]) {
    const a = l1LossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._l1_loss(input, target, { reduction: this.reduction });
  }
}

export interface BCEWithLogitsLossOptions extends F.LegacyReductionKwargs {
  weight?: Tensor | null;
  pos_weight?: Tensor | null;
}

const bceWithLogitsLossArgs = def_<Required<BCEWithLogitsLossOptions>>(
  'BCEWithLogitsLoss(Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean", Tensor? pos_weight=None)',
);

/**
 * Sigmoid and binary cross-entropy in one, computed stably:
 * ℓ_n = -w_n (p y_n log σ(x_n) + (1 - y_n) log(1 - σ(x_n))), p the pos_weight of its class; reduced.
 * Input: (*) logits, target: the input's shape, output: a scalar, or (*) with reduction 'none'.
 */
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;

  /** Python's BCEWithLogitsLoss(weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None). */
  constructor(...args: PyArgs<[], [weight: Tensor | null, ...Legacy, reduction: F.Reduction, pos_weight: Tensor | null], BCEWithLogitsLossOptions>);
  constructor(...args: unknown[]) {
    const a = bceWithLogitsLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.register_buffer('weight', a.weight);
    this.register_buffer('pos_weight', a.pos_weight);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._binary_cross_entropy_with_logits(input, target, { weight: this.weight, reduction: this.reduction, pos_weight: this.pos_weight });
  }
}

// ---------------------------------------------------------------- the rest of Python's losses
//
// Each forward calls its nn.functional twin with the options the module
// checked at construction, positionally, as Python's forward passes them:
// the twin makes Python's checks (and warnings) on the inputs.

type Fn = (...args: unknown[]) => Tensor;
const fn = (f: unknown): Fn => f as Fn;

const poissonNLLLossArgs = def_<{ log_input: boolean; full: boolean; size_average: boolean | null; eps: number; reduce: boolean | null; reduction: F.Reduction }>(
  'PoissonNLLLoss(bool log_input=True, bool full=False, bool? size_average=None, float eps=1e-08, bool? reduce=None, str reduction="mean")',
);

/**
 * Negative log likelihood of a Poisson target: ℓ = exp(x) - y·x with
 * log_input, else x - y·log(x + eps); full adds Stirling's term
 * y·log(y) - y + 0.5·log(2πy) where y > 1. Reduced.
 * Input: (*), target: (*), output: a scalar, or (*) with reduction 'none'.
 */
export class PoissonNLLLoss extends Loss {
  log_input: boolean;
  full: boolean;
  eps: number;

  /** Python's PoissonNLLLoss(log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction='mean'). */
  constructor(
    ...args: PyArgs<
      [],
      [log_input: boolean, full: boolean, size_average: boolean | null, eps: number, reduce: boolean | null, reduction: F.Reduction],
      { log_input?: boolean; full?: boolean; eps?: number } & F.LegacyReductionKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = poissonNLLLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.log_input = a.log_input;
    this.full = a.full;
    this.eps = a.eps;
  }

  override forward(log_input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.poisson_nll_loss)(log_input, target, this.log_input, this.full, null, this.eps, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const gaussianNLLLossArgs = def_<{ full: boolean; eps: number; reduction: F.Reduction }>('GaussianNLLLoss(*, bool full=False, float eps=1e-06, str reduction="mean")');

/**
 * Negative log likelihood of a Gaussian target with predicted mean x and
 * variance var: ℓ = 0.5 (log max(var, eps) + (x - y)² / max(var, eps)), plus
 * 0.5 log(2π) with full. Reduced. Its options are keyword-only, as in Python.
 * Input: (N, *) or (*), target: the input's shape (or broadcastable),
 * var: the input's shape, or it with the last dim 1 or dropped.
 */
export class GaussianNLLLoss extends Loss {
  full: boolean;
  eps: number;

  /** Python's GaussianNLLLoss(*, full=False, eps=1e-06, reduction='mean'). */
  constructor(...args: [] | [{ full?: boolean; eps?: number; reduction?: F.Reduction }]);
  constructor(...args: unknown[]) {
    const a = gaussianNLLLossArgs(args);
    super(null, null, a.reduction);
    this.full = a.full;
    this.eps = a.eps;
  }

  override forward(input: Tensor, target: Tensor, var_: Tensor): Tensor {
    try {
      return fn(F.gaussian_nll_loss)(input, target, var_, this.full, this.eps, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

/** KLDivLoss's reduction: Python's three, and 'batchmean' (the sum divided by the batch size, the mathematical KL divergence). */
export type KLDivReduction = F.Reduction | 'batchmean';

const klDivLossArgs = def_<{ size_average: boolean | null; reduce: boolean | null; reduction: string; log_target: boolean }>(
  'KLDivLoss(bool? size_average=None, bool? reduce=None, str reduction="mean", bool log_target=False)',
);

/**
 * Kullback-Leibler divergence of the target from the input, the input as
 * log-probabilities: ℓ = y (log y - x), or with log_target exp(y) (y - x).
 * Reduced; 'batchmean' divides the sum by the batch size.
 * Input: (*), target: (*), output: a scalar, or (*) with reduction 'none'.
 */
export class KLDivLoss extends Module {
  reduction: KLDivReduction;
  log_target: boolean;

  /** Python's KLDivLoss(size_average=None, reduce=None, reduction='mean', log_target=False). */
  constructor(
    ...args: PyArgs<
      [],
      [size_average: boolean | null, reduce: boolean | null, reduction: KLDivReduction, log_target: boolean],
      { size_average?: boolean | null; reduce?: boolean | null; reduction?: KLDivReduction; log_target?: boolean }
    >
  );
  constructor(...args: unknown[]) {
    const a = klDivLossArgs(args);
    super();
    if (a.size_average !== null || a.reduce !== null) {
      this.reduction = F._reduction(a.size_average, a.reduce, a.reduction);
    } else {
      if (!['none', 'mean', 'sum', 'batchmean'].includes(a.reduction)) {
        throw new RangeError(`KLDivLoss: ${a.reduction} is not a valid value for reduction (expected 'none', 'batchmean', 'sum' or 'mean')`);
      }
      this.reduction = a.reduction as KLDivReduction;
    }
    this.log_target = a.log_target;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.kl_div)(input, target, null, null, this.reduction, this.log_target);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

type WeightedLegacy = [weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: F.Reduction];
type WeightedKwargs = { weight?: Tensor | null } & F.LegacyReductionKwargs;
const bceLossArgs = def_<{ weight: Tensor | null; size_average: boolean | null; reduce: boolean | null; reduction: F.Reduction }>(
  'BCELoss(Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean")',
);

/**
 * Binary cross-entropy of probabilities: ℓ_n = -w_n (y_n log x_n + (1 - y_n) log(1 - x_n)),
 * each log clamped to ≥ -100. Reduced. weight rescales each element (broadcast to the target).
 * Input: (*) in [0, 1], target: the input's shape, output: a scalar, or (*) with reduction 'none'.
 */
export class BCELoss extends Loss {
  declare weight: Tensor | null;

  /** Python's BCELoss(weight=None, size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PyArgs<[], WeightedLegacy, WeightedKwargs>);
  constructor(...args: unknown[]) {
    const a = bceLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.register_buffer('weight', a.weight);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.binary_cross_entropy)(input, target, this.weight, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

type MarginLegacy = [margin: number, size_average: boolean | null, reduce: boolean | null, reduction: F.Reduction];
type MarginKwargs = { margin?: number } & F.LegacyReductionKwargs;
type MarginBound = { margin: number; size_average: boolean | null; reduce: boolean | null; reduction: F.Reduction };
const hingeEmbeddingLossArgs = def_<MarginBound>(`HingeEmbeddingLoss(float margin=1.0, bool? size_average=None, bool? reduce=None, str reduction="mean")`);

/**
 * ℓ_n = x_n where y_n = 1, max(0, margin - x_n) where y_n = -1; reduced.
 * For learning whether two inputs are alike from a distance x between them.
 * Input: (*), target: (*) of 1 and -1, output: a scalar, or (*) with reduction 'none'.
 */
export class HingeEmbeddingLoss extends Loss {
  margin: number;

  /** Python's HingeEmbeddingLoss(margin=1.0, size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PyArgs<[], MarginLegacy, MarginKwargs>);
  constructor(...args: unknown[]) {
    const a = hingeEmbeddingLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.margin = a.margin;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.hinge_embedding_loss)(input, target, this.margin, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

type Legacy3 = [size_average: boolean | null, reduce: boolean | null, reduction: F.Reduction];
type LegacyBound = { size_average: boolean | null; reduce: boolean | null; reduction: F.Reduction };
const multiLabelMarginLossArgs = def_<LegacyBound>('MultiLabelMarginLoss(bool? size_average=None, bool? reduce=None, str reduction="mean")');

/**
 * Multi-class multi-label hinge loss: ℓ = Σ_{j, i} max(0, 1 - (x[y_j] - x[i])) / C
 * over the target classes y_j (up to the first -1) and the classes i not among them.
 * Input: (C) or (N, C), target: the same shape, class indices padded with -1;
 * output: a scalar, or (N) with reduction 'none'.
 */
export class MultiLabelMarginLoss extends Loss {
  /** Python's MultiLabelMarginLoss(size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PyArgs<[], Legacy3, F.LegacyReductionKwargs>);
  constructor(...args: unknown[]) {
    const a = multiLabelMarginLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.multilabel_margin_loss)(input, target, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const smoothL1LossArgs = def_<LegacyBound & { beta: number }>('SmoothL1Loss(bool? size_average=None, bool? reduce=None, str reduction="mean", float beta=1.0)');

/**
 * ℓ_n = 0.5 (x_n - y_n)² / β where |x_n - y_n| < β, else |x_n - y_n| - 0.5 β; reduced.
 * Input: (*), target: (*), output: a scalar, or (*) with reduction 'none'.
 */
export class SmoothL1Loss extends Loss {
  beta: number;

  /** Python's SmoothL1Loss(size_average=None, reduce=None, reduction='mean', beta=1.0). */
  constructor(...args: PyArgs<[], [...Legacy3, beta: number], F.LegacyReductionKwargs & { beta?: number }>);
  constructor(...args: unknown[]) {
    const a = smoothL1LossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    // ATen refuses it at the first forward.
    if (!(a.beta >= 0)) throw new RangeError(`SmoothL1Loss: beta must not be negative, got ${a.beta}`);
    this.beta = a.beta;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.smooth_l1_loss)(input, target, null, null, this.reduction, this.beta);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const huberLossArgs = def_<{ reduction: F.Reduction; delta: number }>('HuberLoss(str reduction="mean", float delta=1.0)');

/**
 * ℓ_n = 0.5 (x_n - y_n)² where |x_n - y_n| < δ, else δ (|x_n - y_n| - 0.5 δ); reduced.
 * Input: (*), target: (*), output: a scalar, or (*) with reduction 'none'.
 */
export class HuberLoss extends Loss {
  delta: number;

  /** Python's HuberLoss(reduction='mean', delta=1.0). */
  constructor(...args: PyArgs<[], [reduction: F.Reduction, delta: number], { reduction?: F.Reduction; delta?: number }>);
  constructor(...args: unknown[]) {
    const a = huberLossArgs(args);
    super(null, null, a.reduction);
    // ATen refuses it at the first forward.
    if (!(a.delta > 0)) throw new RangeError(`HuberLoss: delta must be positive, got ${a.delta}`);
    this.delta = a.delta;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.huber_loss)(input, target, this.reduction, this.delta);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const softMarginLossArgs = def_<LegacyBound>('SoftMarginLoss(bool? size_average=None, bool? reduce=None, str reduction="mean")');

/**
 * Two-class logistic loss: ℓ = Σ_i log(1 + exp(-y_i x_i)) / numel; reduced.
 * Input: (*), target: (*) of 1 and -1, output: a scalar, or (*) with reduction 'none'.
 */
export class SoftMarginLoss extends Loss {
  /** Python's SoftMarginLoss(size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PyArgs<[], Legacy3, F.LegacyReductionKwargs>);
  constructor(...args: unknown[]) {
    const a = softMarginLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.soft_margin_loss)(input, target, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const multiLabelSoftMarginLossArgs = def_<LegacyBound & { weight: Tensor | null }>(
  'MultiLabelSoftMarginLoss(Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean")',
);

/**
 * Multi-label one-versus-all loss: ℓ = -(1/C) Σ_i w_i (y_i log σ(x_i) + (1 - y_i) log σ(-x_i)); reduced.
 * Input: (N, C) or (C), target: the same shape of 0 and 1, weight: (C);
 * output: a scalar, or (N) with reduction 'none'.
 */
export class MultiLabelSoftMarginLoss extends Loss {
  declare weight: Tensor | null;

  /** Python's MultiLabelSoftMarginLoss(weight=None, size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PyArgs<[], WeightedLegacy, WeightedKwargs>);
  constructor(...args: unknown[]) {
    const a = multiLabelSoftMarginLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.register_buffer('weight', a.weight);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.multilabel_soft_margin_loss)(input, target, this.weight, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const cosineEmbeddingLossArgs = def_<MarginBound>('CosineEmbeddingLoss(float margin=0.0, bool? size_average=None, bool? reduce=None, str reduction="mean")');

/**
 * ℓ_n = 1 - cos(x1_n, x2_n) where y_n = 1, max(0, cos(x1_n, x2_n) - margin) where y_n = -1; reduced.
 * Inputs: (N, D) or (D), target: (N) or () of 1 and -1; output: a scalar, or (N) with reduction 'none'.
 */
export class CosineEmbeddingLoss extends Loss {
  margin: number;

  /** Python's CosineEmbeddingLoss(margin=0.0, size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PyArgs<[], MarginLegacy, MarginKwargs>);
  constructor(...args: unknown[]) {
    const a = cosineEmbeddingLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.margin = a.margin;
  }

  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.cosine_embedding_loss)(input1, input2, target, this.margin, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const marginRankingLossArgs = def_<MarginBound>('MarginRankingLoss(float margin=0.0, bool? size_average=None, bool? reduce=None, str reduction="mean")');

/**
 * ℓ_n = max(0, -y_n (x1_n - x2_n) + margin): y = 1 where x1 should rank higher, -1 where x2 should; reduced.
 * Inputs: (N) or (), target: the same shape; output: a scalar, or (N) with reduction 'none'.
 */
export class MarginRankingLoss extends Loss {
  margin: number;

  /** Python's MarginRankingLoss(margin=0.0, size_average=None, reduce=None, reduction='mean'). */
  constructor(...args: PyArgs<[], MarginLegacy, MarginKwargs>);
  constructor(...args: unknown[]) {
    const a = marginRankingLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.margin = a.margin;
  }

  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.margin_ranking_loss)(input1, input2, target, this.margin, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const multiMarginLossArgs = def_<LegacyBound & { p: number; margin: number; weight: Tensor | null }>(
  'MultiMarginLoss(int p=1, float margin=1.0, Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean")',
);

/**
 * Multi-class hinge loss: ℓ_n = Σ_{i ≠ y_n} w_{y_n} max(0, margin - x_n[y_n] + x_n[i])^p / C, p 1 or 2; reduced.
 * Input: (N, C) or (C), target: (N) or () class indices, weight: (C);
 * output: a scalar, or (N) with reduction 'none'.
 */
export class MultiMarginLoss extends Loss {
  p: number;
  margin: number;
  declare weight: Tensor | null;

  /** Python's MultiMarginLoss(p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction='mean'). */
  constructor(
    ...args: PyArgs<
      [],
      [p: 1 | 2, margin: number, weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: F.Reduction],
      { p?: 1 | 2; margin?: number; weight?: Tensor | null } & F.LegacyReductionKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = multiMarginLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.register_buffer('weight', a.weight);
    if (a.p !== 1 && a.p !== 2) throw new RangeError(`MultiMarginLoss: only p == 1 and p == 2 supported, got p=${a.p}`);
    if (a.weight !== null && a.weight.ndim !== 1) {
      throw new RangeError(`MultiMarginLoss: weight must be one-dimensional (one weight per class), got shape [${[...a.weight.shape].join(', ')}]`);
    }
    this.p = a.p;
    this.margin = a.margin;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    try {
      return fn(F.multi_margin_loss)(input, target, this.p, this.margin, this.weight, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const tripletMarginLossArgs = def_<LegacyBound & { margin: number; p: number; eps: number; swap: boolean }>(
  'TripletMarginLoss(float margin=1.0, float p=2.0, float eps=1e-06, bool swap=False, bool? size_average=None, bool? reduce=None, str reduction="mean")',
);

/**
 * ℓ_n = max(d(a_n, p_n) - d(a_n, n_n) + margin, 0), d the p-norm distance
 * ‖x - y + eps‖_p; with swap, d(a, n) is replaced by min(d(a, n), d(p, n)). Reduced.
 * Anchor, positive, negative: (N, D) or (D); output: a scalar, or (N) with reduction 'none'.
 */
export class TripletMarginLoss extends Loss {
  margin: number;
  p: number;
  eps: number;
  swap: boolean;

  /** Python's TripletMarginLoss(margin=1.0, p=2.0, eps=1e-06, swap=False, size_average=None, reduce=None, reduction='mean'). */
  constructor(
    ...args: PyArgs<
      [],
      [margin: number, p: number, eps: number, swap: boolean, size_average: boolean | null, reduce: boolean | null, reduction: F.Reduction],
      { margin?: number; p?: number; eps?: number; swap?: boolean } & F.LegacyReductionKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = tripletMarginLossArgs(args);
    super(a.size_average, a.reduce, a.reduction);
    this.margin = a.margin;
    this.p = a.p;
    this.eps = a.eps;
    this.swap = a.swap;
  }

  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    try {
      return fn(F.triplet_margin_loss)(anchor, positive, negative, this.margin, this.p, this.eps, this.swap, null, null, this.reduction);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

/** A distance between two batches of embeddings: a function, or a module such as PairwiseDistance. */
export type DistanceFunction = ((x1: Tensor, x2: Tensor) => Tensor) | Module;

const tripletMarginWithDistanceLossArgs = def_<{ distance_function: unknown; margin: number; swap: boolean; reduction: F.Reduction }>(
  'TripletMarginWithDistanceLoss(*, Any distance_function=None, float margin=1.0, bool swap=False, str reduction="mean")',
);

/**
 * ℓ_n = max(d(a_n, p_n) - d(a_n, n_n) + margin, 0) with a distance d of the
 * caller's (PairwiseDistance() by default, held as a child module as in
 * Python); with swap, d(a, n) is replaced by min(d(a, n), d(p, n)). Reduced.
 * Its options are keyword-only, as in Python.
 * Anchor, positive, negative: (N, *) or (*); output: a scalar, or (N) with reduction 'none'.
 */
export class TripletMarginWithDistanceLoss extends Loss {
  distance_function: DistanceFunction;
  margin: number;
  swap: boolean;

  /** Python's TripletMarginWithDistanceLoss(*, distance_function=None, margin=1.0, swap=False, reduction='mean'). */
  constructor(...args: [] | [{ distance_function?: DistanceFunction | null; margin?: number; swap?: boolean; reduction?: F.Reduction }]);
  constructor(...args: unknown[]) {
    const a = tripletMarginWithDistanceLossArgs(args);
    super(null, null, a.reduction);
    if (a.distance_function !== null && typeof a.distance_function !== 'function') {
      throw new TypeError(`TripletMarginWithDistanceLoss: distance_function must be a function or a Module, got ${a.distance_function === undefined ? 'undefined' : typeof a.distance_function}`);
    }
    this.distance_function = (a.distance_function as DistanceFunction | null) ?? new PairwiseDistance();
    this.margin = a.margin;
    this.swap = a.swap;
  }

  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    try {
      return fn(F.triplet_margin_with_distance_loss)(anchor, positive, negative, {
        distance_function: this.distance_function,
        margin: this.margin,
        swap: this.swap,
        reduction: this.reduction,
      });
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const ctcLossArgs = def_<{ blank: number; reduction: F.Reduction; zero_infinity: boolean }>('CTCLoss(int blank=0, str reduction="mean", bool zero_infinity=False)');

/**
 * Connectionist Temporal Classification: -log p(target | input), summed over
 * every alignment of the target to the input's T steps; 'mean' divides each
 * sequence's loss by its target length, then averages over the batch.
 * log_probs: (T, N, C) or (T, C) log-softmaxed, targets: (N, S) or the
 * concatenated targets, input_lengths and target_lengths: (N) or lists;
 * output: a scalar, or (N) with reduction 'none'. zero_infinity zeroes
 * infinite losses (and their gradients), from inputs too short for their targets.
 */
export class CTCLoss extends Loss {
  blank: number;
  zero_infinity: boolean;

  /** Python's CTCLoss(blank=0, reduction='mean', zero_infinity=False). */
  constructor(...args: PyArgs<[], [blank: number, reduction: F.Reduction, zero_infinity: boolean], { blank?: number; reduction?: F.Reduction; zero_infinity?: boolean }>);
  constructor(...args: unknown[]) {
    const a = ctcLossArgs(args);
    super(null, null, a.reduction);
    if (!(a.blank >= 0)) throw new RangeError(`CTCLoss: blank must be a class index (non-negative), got ${a.blank}`);
    this.blank = a.blank;
    this.zero_infinity = a.zero_infinity;
  }

  override forward(log_probs: Tensor, targets: Tensor, input_lengths: Tensor | number[], target_lengths: Tensor | number[]): Tensor {
    try {
      return fn(F.ctc_loss)(log_probs, targets, input_lengths, target_lengths, this.blank, this.reduction, this.zero_infinity);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}
