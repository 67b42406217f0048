// Loss modules, after torch/nn/modules/loss.py: each holds its options and
// calls its nn.functional twin.
import { checkOptions } from '../../_options';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';

abstract class Loss extends Module {
  reduction: F.Reduction;

  protected constructor(reduction: F.Reduction = 'mean') {
    super();
    F.reductionEnum(reduction);
    this.reduction = reduction;
  }
}

export interface CrossEntropyLossOptions {
  weight?: Tensor | null;
  ignore_index?: number;
  reduction?: F.Reduction;
  label_smoothing?: number;
}

/** Log-softmax and negative log-likelihood in one: input (N, C) logits, target (N) class indices or (N, C) probabilities. */
export class CrossEntropyLoss extends Loss {
  ignore_index: number;
  label_smoothing: number;
  declare weight: Tensor | null;

  constructor(options: CrossEntropyLossOptions = {}) {
    checkOptions('CrossEntropyLoss', options, { weight: 'Tensor?', ignore_index: 'int', reduction: 'str', label_smoothing: 'float' });
    const { weight = null, ignore_index = -100, reduction = 'mean', label_smoothing = 0 } = options;
    super(reduction);
    this.register_buffer('weight', weight);
    this.ignore_index = ignore_index;
    if (!(label_smoothing >= 0 && label_smoothing <= 1)) {
      throw new RangeError(`label_smoothing must be between 0.0 and 1.0. Got: ${label_smoothing}`);
    }
    this.label_smoothing = label_smoothing;
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

/** Negative log-likelihood of log-probabilities: input (N, C), target (N) class indices. */
export class NLLLoss extends Loss {
  ignore_index: number;
  declare weight: Tensor | null;

  constructor(options: Omit<CrossEntropyLossOptions, 'label_smoothing'> = {}) {
    checkOptions('NLLLoss', options, { weight: 'Tensor?', ignore_index: 'int', reduction: 'str' });
    const { weight = null, ignore_index = -100, reduction = 'mean' } = options;
    super(reduction);
    this.register_buffer('weight', weight);
    this.ignore_index = ignore_index;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._nll_loss(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction });
  }
}

/** Mean squared error. */
export class MSELoss extends Loss {
  constructor({ reduction = 'mean' }: { reduction?: F.Reduction } = {}) {
    super(reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._mse_loss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error. */
export class L1Loss extends Loss {
  constructor({ reduction = 'mean' }: { reduction?: F.Reduction } = {}) {
    super(reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._l1_loss(input, target, { reduction: this.reduction });
  }
}

/** Sigmoid and binary cross-entropy in one, computed stably. */
export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;

  constructor(options: { weight?: Tensor | null; reduction?: F.Reduction; pos_weight?: Tensor | null } = {}) {
    checkOptions('BCEWithLogitsLoss', options, { weight: 'Tensor?', reduction: 'str', pos_weight: 'Tensor?' });
    const { weight = null, reduction = 'mean', pos_weight = null } = options;
    super(reduction);
    this.register_buffer('weight', weight);
    this.register_buffer('pos_weight', pos_weight);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F._binary_cross_entropy_with_logits(input, target, { weight: this.weight, reduction: this.reduction, pos_weight: this.pos_weight });
  }
}
