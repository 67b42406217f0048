// Loss modules, after torch/nn/modules/loss.py: each holds its options and
// calls its nn.functional twin. Every loss still takes Python's deprecated
// size_average and reduce, at their positions, and turns them into a
// reduction as Python's _Loss does.
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';
import { def_, type PyArgs } from './utils';

abstract class Loss extends Module {
  reduction: F.Reduction;

  protected constructor(size_average: boolean | null, reduce: boolean | null, reduction: string) {
    super();
    this.reduction = F._reduction(size_average, reduce, reduction);
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

/** Log-softmax and negative log-likelihood in one: input (N, C) logits, target (N) class indices or (N, C) probabilities. */
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

/** Negative log-likelihood of log-probabilities: input (N, C), target (N) class indices. */
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

/** Mean squared error. */
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

/** Mean absolute error. */
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

/** Sigmoid and binary cross-entropy in one, computed stably. */
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
