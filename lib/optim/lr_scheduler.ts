// optim.lr_scheduler, after torch/optim/lr_scheduler.py of the PyTorch whose
// libtorch is loaded (1.13 or 2.x): every scheduler of Python's __all__. Each
// get_lr() is Python's chainable form, op for op, so the learning rates are
// Python's to the last bit: JS numbers are IEEE doubles like Python floats,
// and where Python calls the C library (math.cos, float ** float, math.log)
// so do we (native.libmCos, native.libmPow, and ATen's scalar xlogy, which is
// glibc's log). step(epoch) takes the closed form where Python has one, as
// Python does.
//
// What 2.x changed (TORCH2_SCHEDULERS below), none of it in the numbers of a
// schedule that both versions accept:
// - verbose is deprecated (2.2): its default is "deprecated", any value given
//   warns, and step() prints nothing (print_lr() itself warns, 2.4);
// - _LRScheduler is a subclass of LRScheduler, kept for old code;
// - ReduceLROnPlateau is an LRScheduler, knows get_last_lr() from the start,
//   and keeps default_min_lr to extend min_lrs to param groups added later;
// - CyclicLR cycles Adam's beta1 as OneCycleLR does, starts the momentum at
//   max_momentum, saves a callable scale_fn's own state (not the mode's
//   function) and rebuilds the mode's function on load;
// - OneCycleLR saves its anneal_strategy (_anneal_func_type) in place of a
//   bound method, and says "Tried to step N times" with N = last_epoch;
// - SequentialLR and ChainedScheduler refuse an empty list and
//   ReduceLROnPlateau, name the scheduler and optimizer that differ, and
//   SequentialLR undoes the initial step of nested SequentialLR/Chained ones;
// - reworded errors: LinearLR's start_factor (now > 0), the per-group lists
//   (_format_param), OneCycleLR's anneal_strategy, momentum or beta1;
//   CosineAnnealingWarmRestarts checks eta_min's type.
//
// What 2.14 changed (TORCH2_14_SCHEDULERS; measured on 2.14 and absent from
// 2.6, the versions between follow 2.6 here):
// - verbose is gone: no parameter (a verbose given is an unknown keyword),
//   no attribute, nothing in the state dict;
// - the initial step runs in an "initial mode" (_is_initial, saved in the
//   state dict): where 2.6 asked whether last_epoch was 0 (Multiplicative,
//   Exponential, Polynomial, CosineAnnealing; LinearLR past its start) the
//   initial step keeps the groups' rates, which differs when resuming with
//   last_epoch >= 0;
// - step() is the warning and _update_lr(epoch), which SequentialLR calls at
//   a milestone (step(0) before: one step counted, one warning more), and
//   SequentialLR starts with the scheduler of epoch 0 (the second when the
//   first milestone is 0);
// - CosineAnnealingWarmRestarts wraps T_cur by T_cur % T_i;
// - ReduceLROnPlateau's is_better is _is_better;
// - the message when resuming without initial_lr says why it happens.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import { describeValue } from '../_options';
import { aten } from '../aten';
import { float64 } from '../dtype';
import { tensor } from '../factories';
import { libtorchAtLeast } from '../_libtorch_version';
import { native } from '../native';
import { Tensor } from '../tensor';
import type { PyArgs } from '../nn/modules/utils';
import { Optimizer } from './optimizer';

/** The PyTorch 2.x lr_scheduler.py (see above) rather than 1.13's. */
const TORCH2_SCHEDULERS = libtorchAtLeast(2);
/** 2.14's lr_scheduler.py rather than 2.x's before it (see above). */
const TORCH2_14_SCHEDULERS = libtorchAtLeast(2, 14);

const cos = (x: number): number => native.libmCos(x);
/** Python's float ** float: the C library's pow. */
const pow = (x: number, y: number): number => native.libmPow(x, y);

const xlogy = aten('xlogy', 'Tensor');
/**
 * Python's math.log(x): glibc's log. V8's Math.log differs in the last bit
 * for a few percent of inputs, and math.log(243, 3) is 4.999... in Python
 * (a restart CosineAnnealingWarmRestarts then takes one epoch late); ATen's
 * scalar xlogy kernel calls std::log, so 1 * log(x) on 0-dim doubles is it.
 */
function libmLog(x: number): number {
  return (xlogy(tensor(1, { dtype: float64 }), tensor(x, { dtype: float64 })) as Tensor).item() as number;
}

/** Python's a % b for numbers: the result takes the divisor's sign. */
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. ' +
  'Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, ' +
  'the closed form is used instead of the new chainable form, where available. Please open an issue if you are unable ' +
  'to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.';

// Python's default warning filter shows a warning once per call site; these
// are shown once per process.
const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, 'UserWarning');
}

function checkOptimizer(optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) {
    const name = optimizer === null || optimizer === undefined ? 'NoneType' : Array.isArray(optimizer) ? 'list' : (optimizer as object).constructor?.name ?? typeof optimizer;
    throw new TypeError(`${name} is not an Optimizer`);
  }
  return optimizer;
}

/** Python's print_lr epoch: '%.2f' for a float epoch, '%.5d' for an int. */
function epochString(epoch: number): string {
  if (!Number.isInteger(epoch)) return epoch.toFixed(2);
  return (epoch < 0 ? '-' : '') + String(Math.abs(epoch)).padStart(epoch < 0 ? 4 : 5, '0');
}

/** Python's '{:.4e}'.format(x): 1.0000e-03, with at least two exponent digits. */
function formatE4(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const [mantissa, exponent] = x.toExponential(4).split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Python's str() of a value given from JS, for a message: None, True, a string as itself, a list as [repr, ...]. */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  // A list's str() shows its items' repr(): a string quoted.
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? `'${x}'` : pyStr(x))).join(', ')}]`;
  return String(v);
}

/** The name of the Python type a JS value stands for, for a message (`<class 'str'>`). */
function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  return Object.getPrototypeOf(v) === Object.prototype ? 'dict' : ((v as object).constructor?.name ?? typeof v);
}

/** A copy of plain data (numbers, strings, arrays, objects), so a state_dict shares nothing with its scheduler. */
function copyData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyData);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyData(x)]));
  }
  return v;
}

/**
 * Python's state_dict: every attribute but the optimizer. Functions do not
 * travel (Python pickles them by reference; a plain function or lambda is
 * left out of LambdaLR's), and neither do the wrapped schedulers, which
 * SequentialLR and ChainedScheduler save by their own state_dicts.
 */
function attributes(obj: object, exclude: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'optimizer' || exclude.includes(key) || value === undefined || typeof value === 'function') continue;
    out[key] = copyData(value);
  }
  return out;
}

function checkStateDict(state_dict: unknown, who: string): Record<string, unknown> {
  if (state_dict === null || typeof state_dict !== 'object' || Array.isArray(state_dict)) {
    throw new TypeError(`${who}.load_state_dict(): argument 'state_dict' must be a dict, not ${describeValue(state_dict)}`);
  }
  return state_dict as Record<string, unknown>;
}

/** Python's __dict__.update(state_dict), leaving our methods and the optimizer alone. */
function updateAttributes(obj: object, state: Record<string, unknown>, exclude: readonly string[]): void {
  const target = obj as Record<string, unknown>;
  for (const [key, value] of Object.entries(state)) {
    if (key === 'optimizer' || exclude.includes(key) || typeof target[key] === 'function') continue;
    target[key] = copyData(value);
  }
}

/** Python's _format_param: its message for a list of the wrong length (2.x made it a module function, reworded). */
const formatParamMessage = (name: string) =>
  TORCH2_SCHEDULERS
    ? (n: number, got: number) => `${name} must have the same length as optimizer.param_groups. ${name} has ${got} values, param_groups has ${n}.`
    : (n: number, got: number) => `expected ${n} values for ${name}, got ${got}`;

/** A list of one value per param group, as Python's _format_param makes (and min_lr's check). */
function perGroup(optimizer: Optimizer, name: string, param: unknown, message = formatParamMessage(name)): number[] {
  const n = optimizer.param_groups.length;
  if (Array.isArray(param)) {
    if (param.length !== n) throw new RangeError(message(n, param.length));
    param.forEach((v, i) => checkNumber(name, v, `${name}[${i}]`));
    return param as number[];
  }
  checkNumber(name, param, name);
  return new Array<number>(n).fill(param as number);
}

function checkNumber(who: string, v: unknown, name: string): void {
  if (typeof v !== 'number') throw new TypeError(`${who}: ${name} must be a number or a list of numbers, not ${describeValue(v)}`);
}

/** What SequentialLR and ChainedScheduler give the base class, which Python's do not call. */
const SELF_INITIALIZED: unique symbol = Symbol('self-initialized');

// Every scheduler (and its step) is a Python def: an unknown keyword's message
// suggests the nearest parameter as CPython 3.13 does (_arg_parser.ts).

const stepArgs = new PythonArgParser(['step(float? epoch=None)'], PYTHON_DEF);

/** Every scheduler's verbose parameter: 1.13's bool; 2.2 deprecated it, its default the string "deprecated". */
const VERBOSE = TORCH2_SCHEDULERS ? 'Any verbose="deprecated"' : 'bool verbose=False';
/** The tail of a scheduler's Python signature: its verbose parameter, which 2.14 has no more. */
const VERBOSE_PARAM = TORCH2_14_SCHEDULERS ? '' : `, ${VERBOSE}`;

/** Python 2.x's _check_verbose_deprecated_warning: a verbose given warns and is kept; the default is False. */
function checkVerboseDeprecated(verbose: unknown): boolean {
  if (verbose !== 'deprecated') {
    warnOnce('The verbose parameter is deprecated. Please use get_last_lr() to access the learning rate.');
    return verbose as boolean;
  }
  return false;
}

/** The keyword arguments every scheduler takes after its own. */
interface SchedulerKwargs {
  last_epoch?: number;
  /** Deprecated in 2.x, where steps print nothing whatever its value. */
  verbose?: boolean;
}

/**
 * The base of the epoch-driven schedulers (Python 1.13's _LRScheduler; 2.x's
 * ReduceLROnPlateau too): on
 * construction each param group gets `initial_lr` (its lr, unless resuming
 * with last_epoch >= 0), base_lrs are those, and one step sets the first
 * learning rate. Each step() moves last_epoch on by one and sets every
 * group's lr to get_lr(); step(epoch) jumps to epoch by the closed form.
 */
export abstract class LRScheduler {
  optimizer!: Optimizer;
  base_lrs!: number[];
  last_epoch!: number;
  verbose!: boolean;
  _step_count!: number;
  _get_lr_called_within_step!: boolean;
  _last_lr!: number[];
  /** 2.14: true while the initial step runs (an attribute, and in the state dict, once it has). */
  declare _is_initial?: boolean;

  /** Python's _LRScheduler.__init__ up to its initial step, which a subclass takes (_initial_step) once its own fields are set. */
  protected constructor(optimizer: Optimizer, last_epoch?: number, verbose?: unknown);
  /** For SequentialLR, ChainedScheduler and (2.x) ReduceLROnPlateau, which (as in Python) set themselves up. */
  protected constructor(optimizer: typeof SELF_INITIALIZED);
  protected constructor(optimizer: Optimizer | typeof SELF_INITIALIZED, last_epoch = -1, verbose: unknown = TORCH2_SCHEDULERS ? 'deprecated' : false) {
    if (optimizer === SELF_INITIALIZED) return;
    this.optimizer = checkOptimizer(optimizer);
    if (!Number.isInteger(last_epoch)) throw new TypeError(`${this.constructor.name}: last_epoch must be an int, got ${last_epoch}`);
    if (last_epoch === -1) {
      for (const g of optimizer.param_groups) if (!('initial_lr' in g)) g.initial_lr = g.lr;
    } else {
      optimizer.param_groups.forEach((g, i) => {
        if (!('initial_lr' in g)) {
          throw new RangeError(
            TORCH2_14_SCHEDULERS
              ? `param 'initial_lr' is not specified in param_groups[${i}] when resuming scheduler with last_epoch >= 0.\nThis typically happens when:\n1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n2. You're using last_epoch >= 0 for a fresh training run (not recommended)`
              : `param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`,
          );
        }
      });
    }
    this.base_lrs = optimizer.param_groups.map((g) => g.initial_lr);
    this.last_epoch = last_epoch;
    if (!TORCH2_14_SCHEDULERS) this.verbose = TORCH2_SCHEDULERS ? checkVerboseDeprecated(verbose) : (verbose as boolean);
  }

  /** Python's _initial_step: resets the step count and takes the first step (2.14: in initial mode). */
  _initial_step(): void {
    this._step_count = 0;
    if (!TORCH2_14_SCHEDULERS) {
      this.step();
      return;
    }
    this._is_initial = true;
    try {
      this.step();
    } finally {
      this._is_initial = false;
    }
  }

  /**
   * Whether get_lr() keeps the groups' rates as the first step's: 2.14 asks
   * whether this is the initial step, 2.6 and before whether last_epoch is 0.
   */
  protected atStart(): boolean {
    return TORCH2_14_SCHEDULERS ? this._is_initial === true : this.last_epoch === 0;
  }

  /** The learning rates of this step, in the chainable form (from each group's current lr). */
  abstract get_lr(): number[];

  /** The learning rates at last_epoch computed from base_lrs alone: what step(epoch) sets. */
  _get_closed_form_lr?(): number[];

  /** The learning rates the last step set, one per param group. */
  get_last_lr(): number[] {
    return this._last_lr;
  }

  /** Python's get_lr() outside step() warns: the rates it returns are the next step's, not the current ones. */
  protected warnGetLr(): void {
    if (!this._get_lr_called_within_step) warnOnce('To get the last learning rate computed by the scheduler, please use `get_last_lr()`.');
  }

  /** Python's step(epoch=None). */
  step(...args: [epoch?: number | null] | [{ epoch?: number | null }]): void {
    const epoch = args.length === 0 ? null : (stepArgs.parseNamed(args).epoch as number | null);
    this._step_count += 1;
    if (epoch !== null) warnOnce(EPOCH_DEPRECATION_WARNING);
    this._update_lr(epoch);
  }

  /** Python 2.14's _update_lr(epoch=None): step()'s work after the count and the warning (SequentialLR calls it alone). */
  _update_lr(epoch: number | null = null): void {
    let values: number[];
    this._get_lr_called_within_step = true;
    try {
      if (epoch === null) {
        this.last_epoch += 1;
        values = this.get_lr();
      } else {
        this.last_epoch = epoch;
        values = this._get_closed_form_lr ? this._get_closed_form_lr() : this.get_lr();
      }
    } finally {
      this._get_lr_called_within_step = false;
    }
    this.optimizer.param_groups.forEach((g, i) => {
      g.lr = values[i];
      // 2.x's step() reports nothing: verbose and print_lr are deprecated.
      if (!TORCH2_SCHEDULERS) this.print_lr(this.verbose, i, values[i], epoch ?? undefined);
    });
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
  }

  /** Python's print_lr: with verbose, each update says the new rate, as `{:.4e}` formats it (deprecated in 2.4). */
  print_lr(is_verbose: boolean, group: number, lr: number, epoch?: number): void {
    if (TORCH2_14_SCHEDULERS) throw new TypeError(`'${this.constructor.name}' object has no attribute 'print_lr' (PyTorch 2.14 removed it: use get_last_lr())`);
    if (TORCH2_SCHEDULERS) {
      warnOnce('`LRScheduler.print_lr()` is being deprecated. To fetch the learning rate, please use `get_last_lr()` instead. For more details, see https://github.com/pytorch/pytorch/issues/99270.');
    }
    if (!is_verbose) return;
    if (epoch === undefined) console.log(`Adjusting learning rate of group ${group} to ${formatE4(lr)}.`);
    else console.log(`Epoch ${epochString(epoch)}: adjusting learning rate of group ${group} to ${formatE4(lr)}.`);
  }

  /** Every attribute but the optimizer (and functions), as Python's state_dict. */
  state_dict(): Record<string, unknown> {
    return attributes(this, []);
  }

  /** Python's load_state_dict: the attributes of a state_dict() replace this scheduler's. */
  load_state_dict(state_dict: Record<string, unknown>): void {
    updateAttributes(this, checkStateDict(state_dict, this.constructor.name), []);
  }
}

/**
 * Python 1.13's name for the base class; 2.x keeps it for old code as a
 * subclass (`class _LRScheduler(LRScheduler): pass`, so that its __name__
 * stays _LRScheduler).
 */
export const _LRScheduler: typeof LRScheduler = TORCH2_SCHEDULERS
  ? (() => {
      abstract class _LRScheduler extends LRScheduler {}
      return _LRScheduler;
    })()
  : LRScheduler;
export type _LRScheduler = LRScheduler;

type LrLambda = (epoch: number) => number;

/** Python's lr_lambda argument: one function for every group, or a list of one per group. */
function lrLambdas(who: string, optimizer: Optimizer, lr_lambda: unknown): LrLambda[] {
  checkOptimizer(optimizer);
  const n = optimizer.param_groups.length;
  if (!Array.isArray(lr_lambda)) {
    if (typeof lr_lambda !== 'function') throw new TypeError(`${who}: lr_lambda must be a function or a list of functions, not ${describeValue(lr_lambda)}`);
    return new Array<LrLambda>(n).fill(lr_lambda as LrLambda);
  }
  if (lr_lambda.length !== n) throw new RangeError(`Expected ${n} lr_lambdas, but got ${lr_lambda.length}`);
  lr_lambda.forEach((f, i) => {
    if (typeof f !== 'function') throw new TypeError(`${who}: lr_lambda[${i}] must be a function, not ${describeValue(f)}`);
  });
  return [...lr_lambda] as LrLambda[];
}

/**
 * Python saves a callable object's attributes and None for a plain function;
 * here a function's own fields are its state, and one without any saves null.
 */
function callableState(fn: (x: number) => number): Record<string, unknown> | null {
  return Object.keys(fn).length > 0 ? (copyData({ ...fn }) as Record<string, unknown>) : null;
}

function lambdaStates(fns: LrLambda[]): (Record<string, unknown> | null)[] {
  return fns.map(callableState);
}

function loadLambdaStates(fns: LrLambda[], saved: unknown): void {
  if (!Array.isArray(saved)) return;
  saved.forEach((s, i) => {
    if (s !== null && s !== undefined && fns[i]) Object.assign(fns[i], copyData(s));
  });
}

/** A scheduler whose lr_lambdas are saved as Python saves them. */
abstract class LambdaScheduler extends LRScheduler {
  lr_lambdas!: LrLambda[];

  override state_dict(): Record<string, unknown> {
    return { ...attributes(this, ['lr_lambdas']), lr_lambdas: lambdaStates(this.lr_lambdas) };
  }

  override load_state_dict(state_dict: Record<string, unknown>): void {
    const state = checkStateDict(state_dict, this.constructor.name);
    updateAttributes(this, state, ['lr_lambdas']);
    loadLambdaStates(this.lr_lambdas, state.lr_lambdas);
  }
}

export interface LambdaLROptions extends SchedulerKwargs {
  lr_lambda: LrLambda | LrLambda[];
}

const lambdaArgs = new PythonArgParser([`LambdaLR(Any? optimizer, Any lr_lambda, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/** lr = initial_lr * lr_lambda(epoch), with one lambda for all groups or one per group. */
export class LambdaLR extends LambdaScheduler {
  /** Python's LambdaLR(optimizer, lr_lambda, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[lr_lambda: LrLambda | LrLambda[]], [last_epoch: number, verbose: boolean], LambdaLROptions>);
  constructor(...args: unknown[]) {
    const o = lambdaArgs.parseNamed(args) as unknown as Required<LambdaLROptions> & { optimizer: Optimizer };
    const lr_lambdas = lrLambdas('LambdaLR', o.optimizer, o.lr_lambda);
    super(o.optimizer, o.last_epoch, o.verbose);
    this.lr_lambdas = lr_lambdas;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    return this.base_lrs.map((base_lr, i) => base_lr * this.lr_lambdas[i](this.last_epoch));
  }
}

const multiplicativeArgs = new PythonArgParser([`MultiplicativeLR(Any? optimizer, Any lr_lambda, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/** lr = lr * lr_lambda(epoch) at every step after the first. */
export class MultiplicativeLR extends LambdaScheduler {
  /** Python's MultiplicativeLR(optimizer, lr_lambda, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[lr_lambda: LrLambda | LrLambda[]], [last_epoch: number, verbose: boolean], LambdaLROptions>);
  constructor(...args: unknown[]) {
    const o = multiplicativeArgs.parseNamed(args) as unknown as Required<LambdaLROptions> & { optimizer: Optimizer };
    const lr_lambdas = lrLambdas('MultiplicativeLR', o.optimizer, o.lr_lambda);
    super(o.optimizer, o.last_epoch, o.verbose);
    this.lr_lambdas = lr_lambdas;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    const groups = this.optimizer.param_groups;
    // (2.6 and before: last_epoch > 0, which the initial step of a fresh scheduler is not either.)
    if (TORCH2_14_SCHEDULERS ? !this.atStart() : this.last_epoch > 0) return groups.map((g, i) => g.lr * this.lr_lambdas[i](this.last_epoch));
    return groups.map((g) => g.lr);
  }
}

export interface StepLROptions extends SchedulerKwargs {
  step_size: number;
  gamma?: number;
}

const stepLRArgs = new PythonArgParser([`StepLR(Any? optimizer, int step_size, float gamma=0.1, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/** lr = lr * gamma every step_size epochs: initial_lr * gamma^floor(epoch / step_size). */
export class StepLR extends LRScheduler {
  step_size: number;
  gamma: number;

  /** Python's StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[step_size: number], [gamma: number, last_epoch: number, verbose: boolean], StepLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, step_size, gamma, last_epoch, verbose } = stepLRArgs.parseNamed(args) as unknown as Required<StepLROptions> & { optimizer: Optimizer };
    super(optimizer, last_epoch, verbose);
    // Python takes any step_size and fails later dividing by it; a clear error here instead.
    if (!Number.isInteger(step_size) || step_size <= 0) throw new TypeError(`StepLR: step_size must be a positive integer, got ${step_size}`);
    this.step_size = step_size;
    this.gamma = gamma;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    const groups = this.optimizer.param_groups;
    if (this.last_epoch === 0 || pyMod(this.last_epoch, this.step_size) !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * pow(this.gamma, Math.floor(this.last_epoch / this.step_size)));
  }
}

export interface MultiStepLROptions extends SchedulerKwargs {
  milestones: number[];
  gamma?: number;
}

const multiStepArgs = new PythonArgParser([`MultiStepLR(Any? optimizer, Any milestones, float gamma=0.1, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/** lr = lr * gamma at each milestone (twice at a milestone listed twice, as Python's Counter). */
export class MultiStepLR extends LRScheduler {
  /** Python's Counter(milestones): how many times each epoch is listed. */
  milestones: Record<number, number>;
  gamma: number;

  /** Python's MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[milestones: number[]], [gamma: number, last_epoch: number, verbose: boolean], MultiStepLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, milestones, gamma, last_epoch, verbose } = multiStepArgs.parseNamed(args) as unknown as Required<MultiStepLROptions> & { optimizer: Optimizer };
    if (!Array.isArray(milestones) || !milestones.every(Number.isInteger)) {
      throw new TypeError(`MultiStepLR: milestones must be a list of ints, not ${describeValue(milestones)}`);
    }
    super(optimizer, last_epoch, verbose);
    this.milestones = {};
    for (const m of milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = gamma;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    const groups = this.optimizer.param_groups;
    const count = this.milestones[this.last_epoch];
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * pow(this.gamma, count));
  }

  override _get_closed_form_lr(): number[] {
    // Python's bisect_right over the sorted milestones: how many are <= last_epoch.
    let passed = 0;
    for (const [m, count] of Object.entries(this.milestones)) if (Number(m) <= this.last_epoch) passed += count;
    return this.base_lrs.map((base_lr) => base_lr * pow(this.gamma, passed));
  }
}

export interface ConstantLROptions extends SchedulerKwargs {
  factor?: number;
  total_iters?: number;
}

const constantArgs = new PythonArgParser([`ConstantLR(Any? optimizer, float factor=0.3333333333333333, int total_iters=5, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/** lr = initial_lr * factor for the first total_iters epochs, then initial_lr. */
export class ConstantLR extends LRScheduler {
  factor: number;
  total_iters: number;

  /** Python's ConstantLR(optimizer, factor=1/3, total_iters=5, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[], [factor: number, total_iters: number, last_epoch: number, verbose: boolean], ConstantLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, factor, total_iters, last_epoch, verbose } = constantArgs.parseNamed(args) as unknown as Required<ConstantLROptions> & { optimizer: Optimizer };
    if (factor > 1.0 || factor < 0) throw new RangeError('Constant multiplicative factor expected to be between 0 and 1.');
    super(optimizer, last_epoch, verbose);
    this.factor = factor;
    this.total_iters = total_iters;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    const groups = this.optimizer.param_groups;
    if (this.last_epoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.last_epoch !== this.total_iters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1.0 / this.factor));
  }

  override _get_closed_form_lr(): number[] {
    const after = this.last_epoch >= this.total_iters ? 1 - this.factor : 0;
    return this.base_lrs.map((base_lr) => base_lr * (this.factor + after));
  }
}

export interface LinearLROptions extends SchedulerKwargs {
  start_factor?: number;
  end_factor?: number;
  total_iters?: number;
}

const linearArgs = new PythonArgParser([
  `LinearLR(Any? optimizer, float start_factor=0.3333333333333333, float end_factor=1.0, int total_iters=5, int last_epoch=-1${VERBOSE_PARAM})`,
], PYTHON_DEF);

/** lr = initial_lr * factor, the factor going linearly from start_factor to end_factor over total_iters epochs. */
export class LinearLR extends LRScheduler {
  start_factor: number;
  end_factor: number;
  total_iters: number;

  /** Python's LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[], [start_factor: number, end_factor: number, total_iters: number, last_epoch: number, verbose: boolean], LinearLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, start_factor, end_factor, total_iters, last_epoch, verbose } = linearArgs.parseNamed(args) as unknown as Required<LinearLROptions> & { optimizer: Optimizer };
    // 2.x refuses a start_factor of 0 too: the chainable form divides by total_iters * start_factor.
    if (TORCH2_SCHEDULERS) {
      if (start_factor > 1.0 || start_factor <= 0) throw new RangeError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    } else if (start_factor > 1.0 || start_factor < 0) {
      throw new RangeError('Starting multiplicative factor expected to be between 0 and 1.');
    }
    if (end_factor > 1.0 || end_factor < 0) throw new RangeError('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, last_epoch, verbose);
    this.start_factor = start_factor;
    this.end_factor = end_factor;
    this.total_iters = total_iters;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    const groups = this.optimizer.param_groups;
    const { start_factor, end_factor, total_iters, last_epoch } = this;
    if (last_epoch === 0) return groups.map((g) => g.lr * start_factor);
    if ((TORCH2_14_SCHEDULERS && this.atStart()) || last_epoch > total_iters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 + (end_factor - start_factor) / (total_iters * start_factor + (last_epoch - 1) * (end_factor - start_factor))));
  }

  override _get_closed_form_lr(): number[] {
    const { start_factor, end_factor, total_iters, last_epoch } = this;
    return this.base_lrs.map((base_lr) => base_lr * (start_factor + ((end_factor - start_factor) * Math.min(total_iters, last_epoch)) / total_iters));
  }
}

export interface ExponentialLROptions extends SchedulerKwargs {
  gamma: number;
}

const exponentialArgs = new PythonArgParser([`ExponentialLR(Any? optimizer, float gamma, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/** lr = lr * gamma every epoch: initial_lr * gamma^epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  /** Python's ExponentialLR(optimizer, gamma, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[gamma: number], [last_epoch: number, verbose: boolean], ExponentialLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, gamma, last_epoch, verbose } = exponentialArgs.parseNamed(args) as unknown as Required<ExponentialLROptions> & { optimizer: Optimizer };
    super(optimizer, last_epoch, verbose);
    this.gamma = gamma;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    const groups = this.optimizer.param_groups;
    if (this.atStart()) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * pow(this.gamma, this.last_epoch));
  }
}

export interface PolynomialLROptions extends SchedulerKwargs {
  total_iters?: number;
  power?: number;
}

const polynomialArgs = new PythonArgParser([`PolynomialLR(Any? optimizer, int total_iters=5, float power=1.0, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/** lr = initial_lr * (1 - min(epoch, total_iters) / total_iters)^power. */
export class PolynomialLR extends LRScheduler {
  total_iters: number;
  power: number;

  /** Python's PolynomialLR(optimizer, total_iters=5, power=1.0, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[], [total_iters: number, power: number, last_epoch: number, verbose: boolean], PolynomialLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, total_iters, power, last_epoch, verbose } = polynomialArgs.parseNamed(args) as unknown as Required<PolynomialLROptions> & { optimizer: Optimizer };
    super(optimizer, last_epoch, verbose);
    this.total_iters = total_iters;
    this.power = power;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    const groups = this.optimizer.param_groups;
    const { total_iters, last_epoch } = this;
    if (this.atStart() || last_epoch > total_iters) return groups.map((g) => g.lr);
    const decay_factor = pow((1.0 - last_epoch / total_iters) / (1.0 - (last_epoch - 1) / total_iters), this.power);
    return groups.map((g) => g.lr * decay_factor);
  }

  override _get_closed_form_lr(): number[] {
    const { total_iters, last_epoch } = this;
    return this.base_lrs.map((base_lr) => base_lr * pow(1.0 - Math.min(total_iters, last_epoch) / total_iters, this.power));
  }
}

export interface CosineAnnealingLROptions extends SchedulerKwargs {
  T_max: number;
  eta_min?: number;
}

const cosineArgs = new PythonArgParser([`CosineAnnealingLR(Any? optimizer, float T_max, float eta_min=0, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/**
 * Half a cosine from initial_lr down to eta_min over T_max epochs (and back
 * up over the next T_max): eta_min + (initial_lr - eta_min)(1 + cos(pi epoch / T_max)) / 2,
 * stepped in Python's recursive form.
 */
export class CosineAnnealingLR extends LRScheduler {
  T_max: number;
  eta_min: number;

  /** Python's CosineAnnealingLR(optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[T_max: number], [eta_min: number, last_epoch: number, verbose: boolean], CosineAnnealingLROptions>);
  constructor(...args: unknown[]) {
    const { optimizer, T_max, eta_min, last_epoch, verbose } = cosineArgs.parseNamed(args) as unknown as Required<CosineAnnealingLROptions> & { optimizer: Optimizer };
    super(optimizer, last_epoch, verbose);
    // Python takes T_max=0 and divides by it; a clear error here instead.
    if (!(T_max > 0)) throw new TypeError(`CosineAnnealingLR: T_max must be positive, got ${T_max}`);
    this.T_max = T_max;
    this.eta_min = eta_min;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    const groups = this.optimizer.param_groups;
    const { T_max, eta_min, last_epoch } = this;
    if (this.atStart()) return groups.map((g) => g.lr);
    if (this._step_count === 1 && last_epoch > 0) {
      return this.base_lrs.map((base) => eta_min + ((base - eta_min) * (1 + cos((last_epoch * Math.PI) / T_max))) / 2);
    }
    if (pyMod(last_epoch - 1 - T_max, 2 * T_max) === 0) {
      return groups.map((g, i) => g.lr + ((this.base_lrs[i] - eta_min) * (1 - cos(Math.PI / T_max))) / 2);
    }
    return groups.map(
      (g) => ((1 + cos((Math.PI * last_epoch) / T_max)) / (1 + cos((Math.PI * (last_epoch - 1)) / T_max))) * (g.lr - eta_min) + eta_min,
    );
  }

  override _get_closed_form_lr(): number[] {
    const { T_max, eta_min, last_epoch } = this;
    return this.base_lrs.map((base_lr) => eta_min + ((base_lr - eta_min) * (1 + cos((Math.PI * last_epoch) / T_max))) / 2);
  }
}

/** Python's bisect_right: how many of the sorted values are <= x. */
function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The schedulers SequentialLR and ChainedScheduler wrap: a non-empty list of
 * LRSchedulers. 2.x checks them in Python's words (`empty` its message for
 * an empty list), each on `optimizer`; 1.13's callers compare optimizers.
 */
function checkSchedulers(who: string, schedulers: unknown, empty: string, optimizer: (schedulers: LRScheduler[]) => unknown): LRScheduler[] {
  if (!Array.isArray(schedulers)) throw new TypeError(`${who}: schedulers must be a non-empty list of schedulers, not ${describeValue(schedulers)}`);
  if (schedulers.length === 0) {
    if (TORCH2_SCHEDULERS) throw new RangeError(empty);
    throw new TypeError(`${who}: schedulers must be a non-empty list of schedulers, not an empty array`);
  }
  const expected = TORCH2_SCHEDULERS ? optimizer(schedulers) : undefined;
  schedulers.forEach((s, idx) => {
    if (TORCH2_SCHEDULERS) {
      if (s === null || typeof s !== 'object' || !('optimizer' in s)) throw new TypeError(`${who} at index ${idx} should have \`optimizer\` as its attribute.`);
      if (s instanceof ReduceLROnPlateau) {
        throw new RangeError(
          `${who} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`, ` +
            `but got one at index ${idx} in the given schedulers sequence.`,
        );
      }
    }
    if (!(s instanceof LRScheduler)) throw new TypeError(`${who}: schedulers[${idx}] must be an lr_scheduler, not ${describeValue(s)}`);
    if (TORCH2_SCHEDULERS && s.optimizer !== expected) {
      // Python's message shows the scheduler's optimizer by its repr.
      const expectedName = expected === null || expected === undefined ? 'NoneType' : (expected as object).constructor.name;
      throw new RangeError(
        `${who} expects all schedulers to belong to the same optimizer, but got scheduler ${s.constructor.name} at index ${idx} has ${String(s.optimizer)}, ` +
          `which is different from ${expectedName}.`,
      );
    }
  });
  return schedulers as LRScheduler[];
}

export interface SequentialLROptions extends SchedulerKwargs {
  schedulers: LRScheduler[];
  milestones: number[];
}

const sequentialArgs = new PythonArgParser([`SequentialLR(Any? optimizer, Any schedulers, Any milestones, int last_epoch=-1${VERBOSE_PARAM})`], PYTHON_DEF);

/**
 * One scheduler after another: schedulers[i] runs from milestones[i-1]
 * (where it restarts at epoch 0, by its closed form) until milestones[i].
 */
export class SequentialLR extends LRScheduler {
  _schedulers: LRScheduler[];
  _milestones: number[];

  /** Python's SequentialLR(optimizer, schedulers, milestones, last_epoch=-1, verbose=False); verbose does nothing, as in Python. */
  constructor(optimizer: Optimizer, ...args: PyArgs<[schedulers: LRScheduler[], milestones: number[]], [last_epoch: number, verbose: boolean], SequentialLROptions>);
  constructor(...args: unknown[]) {
    super(SELF_INITIALIZED);
    const o = sequentialArgs.parseNamed(args) as unknown as Required<SequentialLROptions> & { optimizer: Optimizer };
    const { optimizer, milestones, last_epoch } = o;
    const schedulers = checkSchedulers('SequentialLR', o.schedulers, 'SequentialLR expects at least one scheduler, but got no scheduler.', () => optimizer);
    checkOptimizer(optimizer);
    if (!TORCH2_SCHEDULERS) {
      schedulers.forEach((s, idx) => {
        if (s.optimizer !== optimizer) {
          throw new RangeError(
            `Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${idx} to be different than the optimizer passed in.`,
          );
        }
      });
    }
    if (!Array.isArray(milestones) || !milestones.every(Number.isInteger)) {
      throw new TypeError(`SequentialLR: milestones must be a list of ints, not ${describeValue(milestones)}`);
    }
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        'Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, ' +
          `but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    // 2.x warns of a verbose given, and keeps none (1.13 ignored it too).
    if (TORCH2_SCHEDULERS && !TORCH2_14_SCHEDULERS) checkVerboseDeprecated(o.verbose);
    this._schedulers = schedulers;
    this._milestones = milestones;
    this.last_epoch = last_epoch + 1;
    this.optimizer = optimizer;
    optimizer.param_groups.forEach((g, i) => {
      if (!('initial_lr' in g)) throw new RangeError(`SequentialLR: param_groups[${i}] has no 'initial_lr' (Python's KeyError: 'initial_lr')`);
      g.lr = g.initial_lr;
    });
    // Undo the initial step each scheduler took (2.x: within nested SequentialLR and ChainedScheduler too), then take the first one's again.
    if (TORCH2_SCHEDULERS) this.recursive_undo();
    else for (const s of schedulers) s.last_epoch -= 1;
    // 2.14 starts with the scheduler of epoch 0, 2.6 with the first.
    const first = TORCH2_14_SCHEDULERS ? bisectRight(milestones, 0) : 0;
    schedulers[first]._initial_step();
    this._last_lr = schedulers[first].get_last_lr();
  }

  /** Python 2.x's recursive_undo: one epoch back for every scheduler inside, however deeply wrapped. */
  recursive_undo(sched?: LRScheduler): void {
    const scheds = sched ?? this;
    if ('_schedulers' in scheds) for (const s of (scheds as SequentialLR | ChainedScheduler)._schedulers) this.recursive_undo(s);
    else if (scheds.last_epoch !== undefined) scheds.last_epoch -= 1;
  }

  get_lr(): number[] {
    throw new TypeError('SequentialLR has no get_lr(): its schedulers compute the rates (use get_last_lr())');
  }

  /** Python's SequentialLR.step() (it takes no epoch). */
  override step(...args: []): void {
    if (args.length > 0) throw new TypeError(`step() takes 0 positional arguments but ${args.length} were given`);
    this.last_epoch += 1;
    const idx = bisectRight(this._milestones, this.last_epoch);
    const scheduler = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.last_epoch) {
      if (TORCH2_14_SCHEDULERS) scheduler._update_lr(0);
      else scheduler.step(0);
    } else scheduler.step();
    this._last_lr = scheduler.get_last_lr();
  }

  override state_dict(): Record<string, unknown> {
    return { ...attributes(this, ['_schedulers']), _schedulers: this._schedulers.map((s) => s.state_dict()) };
  }

  override load_state_dict(state_dict: Record<string, unknown>): void {
    const state = checkStateDict(state_dict, 'SequentialLR');
    updateAttributes(this, state, ['_schedulers']);
    if (Array.isArray(state._schedulers)) state._schedulers.forEach((s, i) => this._schedulers[i].load_state_dict(s as Record<string, unknown>));
  }
}

// 2.x takes the optimizer too (by default the first scheduler's).
const chainedArgs = new PythonArgParser([TORCH2_SCHEDULERS ? 'ChainedScheduler(Any schedulers, Any? optimizer=None)' : 'ChainedScheduler(Any schedulers)'], PYTHON_DEF);

/** Steps every scheduler in the list at each step(): their factors compound on the same optimizer. */
export class ChainedScheduler extends LRScheduler {
  _schedulers: LRScheduler[];

  /** Python's ChainedScheduler(schedulers) (2.x: ChainedScheduler(schedulers, optimizer=None)). */
  constructor(schedulers: LRScheduler[], optimizer?: Optimizer | null);
  constructor(options: { schedulers: LRScheduler[]; optimizer?: Optimizer | null });
  constructor(...args: unknown[]) {
    super(SELF_INITIALIZED);
    const o = chainedArgs.parseNamed(args) as unknown as { schedulers: unknown; optimizer?: Optimizer | null };
    const optimizerOf = (schedulers: LRScheduler[]) => o.optimizer || schedulers[0].optimizer;
    const schedulers = checkSchedulers('ChainedScheduler', o.schedulers, 'ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.', optimizerOf);
    if (TORCH2_SCHEDULERS) {
      this._schedulers = schedulers;
      this.optimizer = optimizerOf(schedulers);
    } else {
      schedulers.forEach((s, idx) => {
        if (s.optimizer !== schedulers[0].optimizer) {
          throw new RangeError(`ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${idx} to be different`);
        }
      });
      this._schedulers = [...schedulers];
      this.optimizer = schedulers[0].optimizer;
    }
    this._last_lr = this._schedulers[this._schedulers.length - 1].optimizer.param_groups.map((g) => g.lr);
  }

  get_lr(): number[] {
    throw new TypeError('ChainedScheduler has no get_lr(): its schedulers compute the rates (use get_last_lr())');
  }

  /** Python's ChainedScheduler.step() (it takes no epoch). */
  override step(...args: []): void {
    if (args.length > 0) throw new TypeError(`step() takes 0 positional arguments but ${args.length} were given`);
    for (const s of this._schedulers) s.step();
    this._last_lr = this._schedulers[this._schedulers.length - 1].optimizer.param_groups.map((g) => g.lr);
  }

  override state_dict(): Record<string, unknown> {
    return { ...attributes(this, ['_schedulers']), _schedulers: this._schedulers.map((s) => s.state_dict()) };
  }

  override load_state_dict(state_dict: Record<string, unknown>): void {
    const state = checkStateDict(state_dict, 'ChainedScheduler');
    updateAttributes(this, state, ['_schedulers']);
    if (Array.isArray(state._schedulers)) state._schedulers.forEach((s, i) => this._schedulers[i].load_state_dict(s as Record<string, unknown>));
  }
}

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  threshold_mode?: 'rel' | 'abs';
  cooldown?: number;
  min_lr?: number | number[];
  eps?: number;
  verbose?: boolean;
}

const plateauArgs = new PythonArgParser([
  'ReduceLROnPlateau(Any? optimizer, str mode="min", float factor=0.1, int patience=10, float threshold=1e-4, str threshold_mode="rel", ' +
    `int cooldown=0, Any min_lr=0, float eps=1e-8${VERBOSE_PARAM})`,
], PYTHON_DEF);
const plateauStepArgs = new PythonArgParser(['step(Any metrics, float? epoch=None)'], PYTHON_DEF);

/**
 * ReduceLROnPlateau's base: 2.x made it an LRScheduler (isinstance holds, and
 * it inherits print_lr); 1.13's stood alone. Either way it sets itself up.
 */
const ReduceLROnPlateauBase = (TORCH2_SCHEDULERS ? LRScheduler : Object) as unknown as abstract new (init: typeof SELF_INITIALIZED) => object;

/**
 * Multiplies every group's lr by factor (never below min_lr) once the metric
 * given to step() has not improved for more than patience epochs; improving
 * means below best * (1 - threshold) ('min', 'rel'), below best - threshold
 * ('min', 'abs'), or above best * (1 + threshold) / best + threshold in
 * 'max' mode. After a reduction, cooldown epochs pass before counting again.
 */
export class ReduceLROnPlateau extends ReduceLROnPlateauBase {
  factor: number;
  optimizer: Optimizer;
  min_lrs: number[];
  /** 2.x: min_lr when one number was given, which extends min_lrs to param groups added later; null for a list. */
  default_min_lr?: number | null;
  patience: number;
  /** Before 2.14 only. */
  verbose!: boolean;
  cooldown: number;
  cooldown_counter: number;
  mode: 'min' | 'max';
  threshold: number;
  threshold_mode: 'rel' | 'abs';
  best: number;
  num_bad_epochs: number;
  mode_worse: number;
  eps: number;
  last_epoch: number;
  _last_lr?: number[];

  /** Python's ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=1e-4, threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[], [mode: 'min' | 'max', factor: number, patience: number, threshold: number, threshold_mode: 'rel' | 'abs', cooldown: number, min_lr: number | number[], eps: number, verbose: boolean], ReduceLROnPlateauOptions>);
  constructor(...args: unknown[]) {
    // Python's sets itself up, without LRScheduler.__init__ (2.x's base) or its initial step.
    super(SELF_INITIALIZED);
    const o = plateauArgs.parseNamed(args) as unknown as Required<ReduceLROnPlateauOptions> & { optimizer: Optimizer };
    if (o.factor >= 1.0) throw new RangeError('Factor should be < 1.0.');
    this.factor = o.factor;
    this.optimizer = checkOptimizer(o.optimizer);
    this.min_lrs = [...perGroup(this.optimizer, 'min_lr', o.min_lr, (n, got) => `expected ${n} min_lrs, got ${got}`)];
    if (TORCH2_SCHEDULERS) this.default_min_lr = Array.isArray(o.min_lr) ? null : o.min_lr;
    this.patience = o.patience;
    if (!TORCH2_14_SCHEDULERS) this.verbose = TORCH2_SCHEDULERS ? checkVerboseDeprecated(o.verbose) : o.verbose;
    this.cooldown = o.cooldown;
    this.cooldown_counter = 0;
    this.mode = o.mode;
    this.threshold = o.threshold;
    this.threshold_mode = o.threshold_mode;
    this.best = NaN;
    this.num_bad_epochs = 0;
    this.mode_worse = NaN;
    this.eps = o.eps;
    this.last_epoch = 0;
    // 2.x's get_last_lr() answers before the first step.
    if (TORCH2_SCHEDULERS) this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
    this._init_is_better(o.mode, o.threshold, o.threshold_mode);
    this._reset();
  }

  private _reset(): void {
    this.best = this.mode_worse;
    this.cooldown_counter = 0;
    this.num_bad_epochs = 0;
  }

  /** Python's step(metrics, epoch=None): metrics is a number or a one-element Tensor (Python's float(metrics)). */
  step(...args: [metrics: number | Tensor, epoch?: number | null] | [metrics: number | Tensor, options: { epoch?: number | null }] | [{ metrics: number | Tensor; epoch?: number | null }]): void {
    const o = plateauStepArgs.parseNamed(args) as unknown as { metrics: unknown; epoch: number | null };
    const current = toFloat(o.metrics);
    let epoch = o.epoch;
    if (epoch === null) epoch = this.last_epoch + 1;
    else warnOnce(EPOCH_DEPRECATION_WARNING);
    this.last_epoch = epoch;
    if (this._is_better(current, this.best)) {
      this.best = current;
      this.num_bad_epochs = 0;
    } else {
      this.num_bad_epochs += 1;
    }
    if (this.in_cooldown) {
      this.cooldown_counter -= 1;
      this.num_bad_epochs = 0; // bad epochs in cooldown do not count
    }
    if (this.num_bad_epochs > this.patience) {
      this._reduce_lr(epoch);
      this.cooldown_counter = this.cooldown;
      this.num_bad_epochs = 0;
    }
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
  }

  private _reduce_lr(epoch: number): void {
    const groups = this.optimizer.param_groups;
    // 2.x: a param group added since construction takes the default min_lr, if one number was given.
    if (TORCH2_SCHEDULERS && groups.length !== this.min_lrs.length) {
      if (this.default_min_lr === null || this.default_min_lr === undefined) {
        throw new Error(
          `The number of param groups in the \`optimizer\` (${groups.length}) differs from when \`ReduceLROnPlateau\` was initialized (${this.min_lrs.length}), ` +
            'usually due to a new param group being added to the optimizer. Please modify the `min_lrs` field to match the length of the `optimizer` param groups.',
        );
      }
      this.min_lrs = new Array<number>(groups.length).fill(this.default_min_lr);
    }
    groups.forEach((g, i) => {
      const old_lr = Number(g.lr);
      const new_lr = Math.max(old_lr * this.factor, this.min_lrs[i]);
      if (old_lr - new_lr > this.eps) {
        g.lr = new_lr;
        // 2.x prints nothing: verbose is deprecated.
        if (this.verbose && !TORCH2_SCHEDULERS) console.log(`Epoch ${epochString(epoch)}: reducing learning rate of group ${i} to ${formatE4(new_lr)}.`);
      }
    });
  }

  get in_cooldown(): boolean {
    return this.cooldown_counter > 0;
  }

  /** Python's is_better (2.14: a private _is_better, and is_better is no more). */
  is_better(a: number, best: number): boolean {
    if (TORCH2_14_SCHEDULERS) throw new TypeError("'ReduceLROnPlateau' object has no attribute 'is_better' (PyTorch 2.14 made it the private _is_better)");
    return this._is_better(a, best);
  }

  /** Whether a is better than best by more than threshold, as mode and threshold_mode say. */
  _is_better(a: number, best: number): boolean {
    if (this.mode === 'min' && this.threshold_mode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min' && this.threshold_mode === 'abs') return a < best - this.threshold;
    if (this.mode === 'max' && this.threshold_mode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  private _init_is_better(mode: string, threshold: number, threshold_mode: string): void {
    if (mode !== 'min' && mode !== 'max') throw new RangeError(`mode ${mode} is unknown!`);
    if (threshold_mode !== 'rel' && threshold_mode !== 'abs') throw new RangeError(`threshold mode ${threshold_mode} is unknown!`);
    this.mode_worse = mode === 'min' ? Infinity : -Infinity;
    this.mode = mode;
    this.threshold = threshold;
    this.threshold_mode = threshold_mode;
  }

  /** The learning rates the last step left, one per param group (1.13: undefined before the first step). */
  get_last_lr(): number[] | undefined {
    return this._last_lr;
  }

  /** Every attribute but the optimizer, as Python's state_dict. */
  state_dict(): Record<string, unknown> {
    return attributes(this, []);
  }

  load_state_dict(state_dict: Record<string, unknown>): void {
    updateAttributes(this, checkStateDict(state_dict, 'ReduceLROnPlateau'), []);
    this._init_is_better(this.mode, this.threshold, this.threshold_mode);
  }
}

/** Python's float(x): a number, or the value of a one-element Tensor. */
function toFloat(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x instanceof Tensor) {
    if (x.numel() !== 1) throw new RangeError(`ReduceLROnPlateau.step(): metrics must be a number or a one-element Tensor, got a Tensor of ${x.numel()} elements`);
    return Number(x.item());
  }
  throw new TypeError(`ReduceLROnPlateau.step(): metrics must be a number or a one-element Tensor, not ${describeValue(x)}`);
}

type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';
/** CyclicLR's custom amplitude scaling: 0 <= scale_fn(x) <= 1 for x >= 0. */
type ScaleFn = (x: number) => number;

export interface CyclicLROptions extends SchedulerKwargs {
  base_lr: number | number[];
  max_lr: number | number[];
  step_size_up?: number;
  step_size_down?: number | null;
  mode?: CyclicMode;
  gamma?: number;
  scale_fn?: ScaleFn | null;
  scale_mode?: 'cycle' | 'iterations';
  cycle_momentum?: boolean;
  base_momentum?: number | number[];
  max_momentum?: number | number[];
}

const cyclicArgs = new PythonArgParser([
  'CyclicLR(Any? optimizer, Any base_lr, Any max_lr, float step_size_up=2000, float? step_size_down=None, str mode="triangular", float gamma=1.0, ' +
    `Any scale_fn=None, str scale_mode="cycle", bool cycle_momentum=True, Any base_momentum=0.8, Any max_momentum=0.9, int last_epoch=-1${VERBOSE_PARAM})`,
], PYTHON_DEF);

/**
 * The cyclical learning rate policy: each cycle the lr climbs linearly from
 * base_lr to max_lr over step_size_up steps and back over step_size_down,
 * the amplitude scaled by the mode (triangular: 1; triangular2: halved
 * each cycle; exp_range: gamma^iteration) or by scale_fn. With
 * cycle_momentum the optimizer's momentum moves the opposite way between
 * max_momentum and base_momentum. Step it after every batch.
 */
export class CyclicLR extends LRScheduler {
  max_lrs: number[];
  total_size: number;
  step_ratio: number;
  mode: string;
  gamma: number;
  _scale_fn_custom: ((x: number) => number) | null;
  /** The mode's own scaling (Python keeps a weak reference to the bound method; 2.x a static one), or null with a custom scale_fn. */
  _scale_fn_ref: ((x: number) => number) | null;
  scale_mode: 'cycle' | 'iterations';
  cycle_momentum: boolean;
  /** 2.x: whether the momentum cycled is Adam's beta1. */
  use_beta1?: boolean;
  base_momentums?: number[];
  max_momentums?: number[];

  /** Python's CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None, mode='triangular', gamma=1.0, scale_fn=None, scale_mode='cycle', cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[base_lr: number | number[], max_lr: number | number[]], [step_size_up: number, step_size_down: number | null, mode: CyclicMode, gamma: number, scale_fn: ScaleFn | null, scale_mode: 'cycle' | 'iterations', cycle_momentum: boolean, base_momentum: number | number[], max_momentum: number | number[], last_epoch: number, verbose: boolean], CyclicLROptions>);
  constructor(...args: unknown[]) {
    const o = cyclicArgs.parseNamed(args) as unknown as Required<CyclicLROptions> & { optimizer: Optimizer };
    const optimizer = checkOptimizer(o.optimizer);
    const base_lrs = perGroup(optimizer, 'base_lr', o.base_lr);
    if (o.last_epoch === -1) base_lrs.forEach((lr, i) => (optimizer.param_groups[i].lr = lr));
    const max_lrs = perGroup(optimizer, 'max_lr', o.max_lr);
    const step_size_up = o.step_size_up;
    const step_size_down = o.step_size_down ?? step_size_up;
    if (o.scale_fn !== null && typeof o.scale_fn !== 'function') throw new TypeError(`CyclicLR: scale_fn must be a function or null, not ${describeValue(o.scale_fn)}`);
    if (!['triangular', 'triangular2', 'exp_range'].includes(o.mode) && o.scale_fn === null) throw new RangeError('mode is invalid and scale_fn is None');
    if (o.scale_fn !== null && o.scale_mode !== 'cycle' && o.scale_mode !== 'iterations') {
      throw new RangeError(`CyclicLR: scale_mode must be 'cycle' or 'iterations', got '${o.scale_mode}'`);
    }
    let use_beta1: boolean | undefined;
    let base_momentums: number[] | undefined;
    let max_momentums: number[] | undefined;
    if (o.cycle_momentum && TORCH2_SCHEDULERS) {
      // 2.x cycles Adam's beta1 as OneCycleLR does, starts at max_momentum (the
      // initial step's value anyway) and records both bounds in the groups.
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new RangeError('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
      }
      use_beta1 = 'betas' in optimizer.defaults;
      base_momentums = perGroup(optimizer, 'base_momentum', o.base_momentum);
      max_momentums = perGroup(optimizer, 'max_momentum', o.max_momentum);
      if (o.last_epoch === -1) {
        optimizer.param_groups.forEach((g, i) => {
          if (use_beta1) g.betas = [max_momentums![i], ...g.betas.slice(1)];
          else g.momentum = max_momentums![i];
          g.max_momentum = max_momentums![i];
          g.base_momentum = base_momentums![i];
        });
      }
    } else if (o.cycle_momentum) {
      if (!('momentum' in optimizer.defaults)) throw new RangeError('optimizer must support momentum with `cycle_momentum` option enabled');
      const momentums = perGroup(optimizer, 'base_momentum', o.base_momentum);
      if (o.last_epoch === -1) momentums.forEach((m, i) => (optimizer.param_groups[i].momentum = m));
      base_momentums = optimizer.param_groups.map((g) => g.momentum);
      max_momentums = perGroup(optimizer, 'max_momentum', o.max_momentum);
    }
    super(optimizer, o.last_epoch, o.verbose);
    this.max_lrs = max_lrs;
    this.total_size = step_size_up + step_size_down;
    this.step_ratio = step_size_up / this.total_size;
    this.mode = o.mode;
    this.gamma = o.gamma;
    this._scale_fn_custom = o.scale_fn;
    this._scale_fn_ref = null;
    this.scale_mode = o.scale_mode;
    this._init_scale_fn();
    this.cycle_momentum = o.cycle_momentum;
    if (o.cycle_momentum) {
      if (TORCH2_SCHEDULERS) this.use_beta1 = use_beta1;
      this.base_momentums = base_momentums;
      this.max_momentums = max_momentums;
    }
    // Python's initial step reads base_lrs as the groups' initial_lr; it sets them to base_lr after.
    this._initial_step();
    this.base_lrs = base_lrs;
  }

  /** The mode's scaling and scale_mode, unless scale_fn was given (2.x's _init_scale_fn, which load_state_dict runs again). */
  _init_scale_fn(): void {
    if (this._scale_fn_custom !== null) return;
    if (this.mode === 'triangular') {
      this._scale_fn_ref = () => 1.0;
      this.scale_mode = 'cycle';
    } else if (this.mode === 'triangular2') {
      this._scale_fn_ref = (x) => 1 / pow(2.0, x - 1);
      this.scale_mode = 'cycle';
    } else if (this.mode === 'exp_range') {
      // 1.13 reads self.gamma at each call; 2.x binds it (functools.partial) when the function is made.
      const gamma = this.gamma;
      this._scale_fn_ref = TORCH2_SCHEDULERS ? (x) => pow(gamma, x) : (x) => pow(this.gamma, x);
      this.scale_mode = 'iterations';
    }
  }

  /** The amplitude's scale at x (the cycle number or the iteration, by scale_mode). */
  scale_fn(x: number): number {
    return this._scale_fn_custom !== null ? this._scale_fn_custom(x) : this._scale_fn_ref!(x);
  }

  /** The rates at batch last_epoch; with cycle_momentum it also sets each group's momentum (2.x: or beta1), as Python's does. */
  get_lr(): number[] {
    this.warnGetLr();
    const cycle = Math.floor(1 + this.last_epoch / this.total_size);
    const x = 1 + this.last_epoch / this.total_size - cycle;
    const scale_factor = x <= this.step_ratio ? x / this.step_ratio : (x - 1) / (this.step_ratio - 1);
    const at = this.scale_mode === 'cycle' ? cycle : this.last_epoch;
    const lrs = this.base_lrs.map((base_lr, i) => base_lr + (this.max_lrs[i] - base_lr) * scale_factor * this.scale_fn(at));
    if (this.cycle_momentum) {
      const momentums = this.base_momentums!.map((base_momentum, i) => {
        const max_momentum = this.max_momentums![i];
        return max_momentum - (max_momentum - base_momentum) * scale_factor * this.scale_fn(at);
      });
      this.optimizer.param_groups.forEach((g, i) => {
        if (this.use_beta1) g.betas = [momentums[i], ...g.betas.slice(1)];
        else g.momentum = momentums[i];
      });
    }
    return lrs;
  }

  /**
   * 2.x's state_dict leaves the mode's function out and saves scale_fn as
   * LambdaLR saves its lambdas (a function's own fields, or null); 1.13's
   * keeps both attributes, less the functions.
   */
  override state_dict(): Record<string, unknown> {
    if (!TORCH2_SCHEDULERS) return super.state_dict();
    const state = attributes(this, ['_scale_fn_ref', '_scale_fn_custom']);
    state._scale_fn_custom = this._scale_fn_custom === null ? null : callableState(this._scale_fn_custom);
    return state;
  }

  override load_state_dict(state_dict: Record<string, unknown>): void {
    if (!TORCH2_SCHEDULERS) return super.load_state_dict(state_dict);
    const state = checkStateDict(state_dict, 'CyclicLR');
    updateAttributes(this, state, ['_scale_fn_custom']);
    if (state._scale_fn_custom !== null && state._scale_fn_custom !== undefined && this._scale_fn_custom !== null) {
      Object.assign(this._scale_fn_custom, copyData(state._scale_fn_custom));
    }
    this._init_scale_fn();
  }
}

export interface CosineAnnealingWarmRestartsOptions extends SchedulerKwargs {
  T_0: number;
  T_mult?: number;
  eta_min?: number;
}

// 2.x checks eta_min's type itself (a ValueError).
const warmRestartsArgs = new PythonArgParser([
  `CosineAnnealingWarmRestarts(Any? optimizer, Any T_0, Any T_mult=1, ${TORCH2_SCHEDULERS ? 'Any?' : 'float'} eta_min=0, int last_epoch=-1${VERBOSE_PARAM})`,
], PYTHON_DEF);

/**
 * SGDR's cosine annealing with warm restarts: eta_min + (initial_lr - eta_min)(1 + cos(pi T_cur / T_i)) / 2,
 * T_cur the epochs since the last restart and T_i the current period
 * (T_0, then T_0 * T_mult, ...). step(epoch) takes fractional epochs, for
 * stepping within an epoch.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T_0: number;
  T_i: number;
  T_mult: number;
  eta_min: number;
  T_cur: number;

  /** Python's CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[T_0: number], [T_mult: number, eta_min: number, last_epoch: number, verbose: boolean], CosineAnnealingWarmRestartsOptions>);
  constructor(...args: unknown[]) {
    const o = warmRestartsArgs.parseNamed(args) as unknown as Required<CosineAnnealingWarmRestartsOptions> & { optimizer: Optimizer };
    const { T_0, T_mult } = o;
    if (typeof T_0 !== 'number' || T_0 <= 0 || !Number.isInteger(T_0)) throw new RangeError(`Expected positive integer T_0, but got ${String(T_0)}`);
    if (typeof T_mult !== 'number' || T_mult < 1 || !Number.isInteger(T_mult)) throw new RangeError(`Expected integer T_mult >= 1, but got ${String(T_mult)}`);
    // (Python's bool is an int, so True passes.)
    if (TORCH2_SCHEDULERS && typeof o.eta_min !== 'number' && typeof o.eta_min !== 'boolean') {
      throw new RangeError(`Expected float or int eta_min, but got ${pyStr(o.eta_min)} of type <class '${pyTypeName(o.eta_min)}'>`);
    }
    super(o.optimizer, o.last_epoch, o.verbose);
    this.T_0 = T_0;
    this.T_i = T_0;
    this.T_mult = T_mult;
    this.eta_min = o.eta_min;
    this.T_cur = o.last_epoch;
    this._initial_step();
  }

  get_lr(): number[] {
    this.warnGetLr();
    return this.base_lrs.map((base_lr) => this.eta_min + ((base_lr - this.eta_min) * (1 + cos((Math.PI * this.T_cur) / this.T_i))) / 2);
  }

  /** Python's step(epoch=None): the next epoch, or epoch itself (fractional, to step within an epoch). */
  override step(...args: [epoch?: number | null] | [{ epoch?: number | null }]): void {
    let epoch = args.length === 0 ? null : (stepArgs.parseNamed(args).epoch as number | null);
    if (epoch === null && this.last_epoch < 0) epoch = 0;
    if (epoch === null) {
      epoch = this.last_epoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = TORCH2_14_SCHEDULERS ? pyMod(this.T_cur, this.T_i) : this.T_cur - this.T_i;
        this.T_i = this.T_i * this.T_mult;
      }
    } else {
      if (epoch < 0) throw new RangeError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T_0) {
        if (this.T_mult === 1) {
          this.T_cur = pyMod(epoch, this.T_0);
        } else {
          const n = Math.trunc(libmLog((epoch / this.T_0) * (this.T_mult - 1) + 1) / libmLog(this.T_mult));
          this.T_cur = epoch - (this.T_0 * (this.T_mult ** n - 1)) / (this.T_mult - 1);
          this.T_i = this.T_0 * this.T_mult ** n;
        }
      } else {
        this.T_i = this.T_0;
        this.T_cur = epoch;
      }
    }
    this.last_epoch = Math.floor(epoch);
    let values: number[];
    this._get_lr_called_within_step = true;
    try {
      values = this.get_lr();
    } finally {
      this._get_lr_called_within_step = false;
    }
    this.optimizer.param_groups.forEach((g, i) => {
      g.lr = values[i];
      if (!TORCH2_SCHEDULERS) this.print_lr(this.verbose, i, values[i], epoch!);
    });
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
  }
}

export interface OneCycleLROptions extends SchedulerKwargs {
  max_lr: number | number[];
  total_steps?: number | null;
  epochs?: number | null;
  steps_per_epoch?: number | null;
  pct_start?: number;
  anneal_strategy?: 'cos' | 'linear';
  cycle_momentum?: boolean;
  base_momentum?: number | number[];
  max_momentum?: number | number[];
  div_factor?: number;
  final_div_factor?: number;
  three_phase?: boolean;
}

const oneCycleArgs = new PythonArgParser([
  'OneCycleLR(Any? optimizer, Any max_lr, Any total_steps=None, Any epochs=None, Any steps_per_epoch=None, float pct_start=0.3, str anneal_strategy="cos", ' +
    'bool cycle_momentum=True, Any base_momentum=0.85, Any max_momentum=0.95, float div_factor=25.0, float final_div_factor=1e4, bool three_phase=False, ' +
    `int last_epoch=-1${VERBOSE_PARAM})`,
], PYTHON_DEF);

interface Phase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || v <= 0 || !Number.isInteger(v)) throw new RangeError(`Expected positive integer ${name}, but got ${String(v)}`);
  return v;
}

/**
 * The 1cycle policy: the lr anneals from max_lr / div_factor up to max_lr
 * over pct_start of total_steps, then down to initial_lr / final_div_factor
 * (with three_phase: back to initial_lr, then down to the minimum), by
 * cosine or linear annealing; momentum (or Adam's beta1) moves the opposite
 * way between max_momentum and base_momentum. Step it after every batch.
 */
export class OneCycleLR extends LRScheduler {
  total_steps: number;
  _schedule_phases: Phase[];
  cycle_momentum: boolean;
  use_beta1?: boolean;
  /** 2.x: anneal_strategy, which _anneal_func reads (a string pickles, where 1.13's bound anneal_func did not travel). */
  _anneal_func_type?: 'cos' | 'linear';
  /** 1.13: the annealing function itself. */
  anneal_func?: (start: number, end: number, pct: number) => number;

  /** Python's OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3, anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False, last_epoch=-1, verbose=False). */
  constructor(optimizer: Optimizer, ...args: PyArgs<[max_lr: number | number[]], [total_steps: number | null, epochs: number | null, steps_per_epoch: number | null, pct_start: number, anneal_strategy: 'cos' | 'linear', cycle_momentum: boolean, base_momentum: number | number[], max_momentum: number | number[], div_factor: number, final_div_factor: number, three_phase: boolean, last_epoch: number, verbose: boolean], OneCycleLROptions>);
  constructor(...args: unknown[]) {
    const o = oneCycleArgs.parseNamed(args) as unknown as Required<OneCycleLROptions> & { optimizer: Optimizer };
    const optimizer = checkOptimizer(o.optimizer);
    let total_steps: number;
    if (TORCH2_SCHEDULERS) {
      // 2.x asks for epochs and steps_per_epoch both before checking them.
      if (o.total_steps !== null) total_steps = positiveInt('total_steps', o.total_steps);
      else if (o.epochs !== null && o.steps_per_epoch !== null) total_steps = positiveInt('epochs', o.epochs) * positiveInt('steps_per_epoch', o.steps_per_epoch);
      else throw new RangeError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    } else if (o.total_steps === null && o.epochs === null && o.steps_per_epoch === null) {
      throw new RangeError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    } else if (o.total_steps !== null) {
      total_steps = positiveInt('total_steps', o.total_steps);
    } else {
      total_steps = positiveInt('epochs', o.epochs) * positiveInt('steps_per_epoch', o.steps_per_epoch);
    }
    const { pct_start } = o;
    const phases: Phase[] = o.three_phase
      ? [
          { end_step: pct_start * total_steps - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: 2 * pct_start * total_steps - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
          { end_step: total_steps - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' },
        ]
      : [
          { end_step: pct_start * total_steps - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: total_steps - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
        ];
    if (pct_start < 0 || pct_start > 1) throw new RangeError(`Expected float between 0 and 1 pct_start, but got ${pct_start}`);
    if (o.anneal_strategy !== 'cos' && o.anneal_strategy !== 'linear') {
      // 2.x fixed the message's typo.
      throw new RangeError(`anneal_strategy must ${TORCH2_SCHEDULERS ? 'be' : 'by'} one of 'cos' or 'linear', instead got ${o.anneal_strategy}`);
    }
    const max_lrs = perGroup(optimizer, 'max_lr', o.max_lr);
    if (o.last_epoch === -1) {
      optimizer.param_groups.forEach((g, i) => {
        g.initial_lr = max_lrs[i] / o.div_factor;
        g.max_lr = max_lrs[i];
        g.min_lr = g.initial_lr / o.final_div_factor;
      });
    }
    let use_beta1: boolean | undefined;
    if (o.cycle_momentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new RangeError(`optimizer must support momentum${TORCH2_SCHEDULERS ? ' or beta1' : ''} with \`cycle_momentum\` option enabled`);
      }
      use_beta1 = 'betas' in optimizer.defaults;
      const max_momentums = perGroup(optimizer, 'max_momentum', o.max_momentum);
      const base_momentums = perGroup(optimizer, 'base_momentum', o.base_momentum);
      if (o.last_epoch === -1) {
        optimizer.param_groups.forEach((g, i) => {
          if (use_beta1) g.betas = [max_momentums[i], ...g.betas.slice(1)];
          else g.momentum = max_momentums[i];
          g.max_momentum = max_momentums[i];
          g.base_momentum = base_momentums[i];
        });
      }
    }
    super(optimizer, o.last_epoch, o.verbose);
    this.total_steps = total_steps;
    this._schedule_phases = phases;
    if (TORCH2_SCHEDULERS) this._anneal_func_type = o.anneal_strategy;
    else this.anneal_func = o.anneal_strategy === 'cos' ? annealingCos : annealingLinear;
    this.cycle_momentum = o.cycle_momentum;
    if (o.cycle_momentum) this.use_beta1 = use_beta1;
    this._initial_step();
  }

  /** Anneals by anneal_strategy: 2.x's _anneal_func reads _anneal_func_type, and 1.13's anneal_func where that is absent. */
  _anneal_func(start: number, end: number, pct: number): number {
    if (this._anneal_func_type === undefined) return this.anneal_func!(start, end, pct);
    if (this._anneal_func_type === 'cos') return annealingCos(start, end, pct);
    if (this._anneal_func_type === 'linear') return annealingLinear(start, end, pct);
    throw new RangeError(`Unknown _anneal_func_type: ${String(this._anneal_func_type)}`);
  }

  /** The rates at batch last_epoch; with cycle_momentum it also sets each group's momentum or beta1, as Python's does. */
  get_lr(): number[] {
    this.warnGetLr();
    const step_num = this.last_epoch;
    if (step_num > this.total_steps) {
      // 1.13 counted the steps one past last_epoch; 2.x says last_epoch itself.
      throw new RangeError(`Tried to step ${TORCH2_SCHEDULERS ? step_num : step_num + 1} times. The specified number of total steps is ${this.total_steps}`);
    }
    const phases = this._schedule_phases;
    return this.optimizer.param_groups.map((group) => {
      let start_step = 0;
      let lr = NaN;
      let momentum = NaN;
      for (let i = 0; i < phases.length; i++) {
        const { end_step } = phases[i];
        if (step_num <= end_step || i === phases.length - 1) {
          const pct = (step_num - start_step) / (end_step - start_step);
          lr = this._anneal_func(group[phases[i].start_lr], group[phases[i].end_lr], pct);
          if (this.cycle_momentum) momentum = this._anneal_func(group[phases[i].start_momentum], group[phases[i].end_momentum], pct);
          break;
        }
        start_step = end_step;
      }
      if (this.cycle_momentum) {
        if (this.use_beta1) group.betas = [momentum, ...group.betas.slice(1)];
        else group.momentum = momentum;
      }
      return lr;
    });
  }
}

/** Cosine anneal from start to end as pct goes from 0 to 1. */
function annealingCos(start: number, end: number, pct: number): number {
  const cos_out = cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2.0) * cos_out;
}

/** Linear anneal from start to end as pct goes from 0 to 1. */
function annealingLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}
