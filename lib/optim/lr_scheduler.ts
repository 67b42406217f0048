// optim.lr_scheduler, after torch/optim/lr_scheduler.py: StepLR and
// CosineAnnealingLR in their recursive (chainable) forms, as PyTorch steps
// them, with the C library's cos for Python's math.cos.
import { PythonArgParser } from '../_arg_parser';
import { native } from '../native';
import type { Optimizer } from './optimizer';

export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  base_lrs: number[];
  last_epoch: number;
  protected _step_count = 0;
  private _last_lr: number[] = [];

  verbose: boolean;

  protected constructor(optimizer: Optimizer, last_epoch = -1, verbose = false) {
    if (!optimizer || !Array.isArray((optimizer as Optimizer).param_groups)) {
      throw new TypeError(`${optimizer === null ? 'null' : typeof optimizer} is not an Optimizer`);
    }
    this.optimizer = optimizer;
    if (last_epoch === -1) {
      for (const g of optimizer.param_groups) if (!('initial_lr' in g)) g.initial_lr = g.lr;
    } else {
      optimizer.param_groups.forEach((g, i) => {
        if (!('initial_lr' in g)) throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    this.base_lrs = optimizer.param_groups.map((g) => g.initial_lr);
    this.last_epoch = last_epoch;
    this.verbose = verbose;
  }

  /** Python calls this at the end of __init__; subclasses call it once their fields are set. */
  protected initialStep(): void {
    this._step_count = 0;
    this.step();
  }

  abstract get_lr(): number[];

  get_last_lr(): number[] {
    return this._last_lr;
  }

  step(): void {
    this._step_count += 1;
    this.last_epoch += 1;
    const lrs = this.get_lr();
    this.optimizer.param_groups.forEach((g, i) => {
      g.lr = lrs[i];
      this.print_lr(this.verbose, i, lrs[i]);
    });
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
  }

  /** Python's print_lr: with verbose, each update says the new rate, as `{:.4e}` formats it. */
  print_lr(is_verbose: boolean, group: number, lr: number): void {
    if (is_verbose) console.log(`Adjusting learning rate of group ${group} to ${formatE4(lr)}.`);
  }

  state_dict(): Record<string, unknown> {
    const { optimizer: _o, ...rest } = this as unknown as Record<string, unknown>;
    return { ...rest };
  }
}

/** Python's '{:.4e}'.format(x): 1.0000e-03, with at least two exponent digits. */
function formatE4(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const [mantissa, exponent] = x.toExponential(4).split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

interface SchedulerKwargs {
  last_epoch?: number;
  verbose?: boolean;
}

export interface StepLROptions extends SchedulerKwargs {
  step_size: number;
  gamma?: number;
}

const stepLRArgs = new PythonArgParser(['StepLR(Any optimizer, int step_size, float gamma=0.1, int last_epoch=-1, bool verbose=False)']);

/** lr = lr * gamma every step_size epochs. */
export class StepLR extends LRScheduler {
  step_size: number;
  gamma: number;

  /** Python's StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, options: StepLROptions);
  constructor(optimizer: Optimizer, step_size: number, gamma?: number, last_epoch?: number, verbose?: boolean, options?: Partial<StepLROptions>);
  constructor(optimizer: Optimizer, step_size: number, options: Partial<StepLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, step_size, gamma, last_epoch, verbose } = stepLRArgs.parseNamed(args) as unknown as Required<StepLROptions> & { optimizer: Optimizer };
    super(optimizer, last_epoch, verbose);
    if (!Number.isInteger(step_size) || step_size <= 0) throw new TypeError(`StepLR: step_size must be a positive integer, got ${step_size}`);
    this.step_size = step_size;
    this.gamma = gamma;
    this.initialStep();
  }

  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }
}

export interface CosineAnnealingLROptions extends SchedulerKwargs {
  T_max: number;
  eta_min?: number;
}

const cosineArgs = new PythonArgParser(['CosineAnnealingLR(Any optimizer, float T_max, float eta_min=0, int last_epoch=-1, bool verbose=False)']);

/** lr follows half a cosine from the base lr down to eta_min over T_max epochs. */
export class CosineAnnealingLR extends LRScheduler {
  T_max: number;
  eta_min: number;

  /** Python's CosineAnnealingLR(optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions);
  constructor(optimizer: Optimizer, T_max: number, eta_min?: number, last_epoch?: number, verbose?: boolean, options?: Partial<CosineAnnealingLROptions>);
  constructor(optimizer: Optimizer, T_max: number, options: Partial<CosineAnnealingLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, T_max, eta_min, last_epoch, verbose } = cosineArgs.parseNamed(args) as unknown as Required<CosineAnnealingLROptions> & { optimizer: Optimizer };
    super(optimizer, last_epoch, verbose);
    if (!(T_max > 0)) throw new TypeError(`CosineAnnealingLR: T_max must be positive, got ${T_max}`);
    this.T_max = T_max;
    this.eta_min = eta_min;
    this.initialStep();
  }

  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    const cos = native.libmCos;
    const { T_max, eta_min, last_epoch } = this;
    if (last_epoch === 0) return groups.map((g) => g.lr);
    if (this._step_count === 1 && last_epoch > 0) {
      return this.base_lrs.map((base) => eta_min + ((base - eta_min) * (1 + cos((last_epoch * Math.PI) / T_max))) / 2);
    }
    if ((last_epoch - 1 - T_max) % (2 * T_max) === 0) {
      return groups.map((g, i) => g.lr + ((this.base_lrs[i] - eta_min) * (1 - cos(Math.PI / T_max))) / 2);
    }
    return groups.map(
      (g) => ((1 + cos((Math.PI * last_epoch) / T_max)) / (1 + cos((Math.PI * (last_epoch - 1)) / T_max))) * (g.lr - eta_min) + eta_min,
    );
  }
}
