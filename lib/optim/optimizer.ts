// optim.Optimizer, after torch/optim/optimizer.py: hyperparameters in
// param_groups, per-parameter buffers in state, both inspectable.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import { pyFloatRepr } from '../_pyformat';
import { no_grad, enable_grad } from '../autograd/grad_mode';
import { SET_TO_NONE_DEFAULT, zeroGradients } from '../autograd/zero_grad';
import { float32, float64, get_default_dtype, type dtype } from '../dtype';
import { view_as_real } from '../_generated/torch_functions';
import { tensor } from '../factories';
import { native } from '../native';
import { keep } from '../scope';
import { Tensor } from '../tensor';

/**
 * The dtype of a step count and of the other scalars an optimizer keeps as
 * tensors (optimizer.py's _get_scalar_dtype): float64 when that is the
 * default dtype, else float32 (1.13 wrote torch.tensor(0.), the default
 * dtype, which is the same for the default dtypes a step can be).
 */
export function _get_scalar_dtype(): dtype {
  return get_default_dtype() === float64 ? float64 : float32;
}

/** c10::Layout::Strided, the code native.layout gives a dense tensor. */
const STRIDED_LAYOUT = 0;

export type ParamGroup = { params: Tensor[] } & Record<string, any>;
export type ParamsInput = Iterable<Tensor> | Iterable<{ params: Iterable<Tensor> | Tensor } & Record<string, any>>;

/** Marks a hyperparameter a subclass requires (Python's `required`). */
export const required: unique symbol = Symbol('required');

export interface OptimizerStateDict {
  state: Record<number, Record<string, any>>;
  param_groups: (Record<string, any> & { params: number[] })[];
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v;
}

// The loaded PyTorch's default: False in 1.13, True from 2.0.
const zeroGradArgs = new PythonArgParser([`zero_grad(bool set_to_none=${SET_TO_NONE_DEFAULT})`], PYTHON_DEF);

/** Refuses a Python keyword this build takes but cannot honour, by what it asks for. */
export function unsupported(optimizer: string, flag: string, value: unknown, why: string): void {
  if (value === true) throw new RangeError(`${optimizer}: ${flag}=True is not supported yet: ${why}; pass ${flag}: false (Python's default)`);
}

// One parser per signature, kept here rather than on each optimizer: an
// optimizer's fields are its state, which crosses to a worker thread
// (torch.multiprocessing.remote) as Python's __getstate__ sends it. Python
// has no such error (it keeps an unknown key); ours is worded as a def's, so
// it suggests as the optimizer's own constructor does.
const groupParsers = new Map<string, PythonArgParser>();

function groupParser(signature: string): PythonArgParser {
  let parser = groupParsers.get(signature);
  if (parser === undefined) {
    parser = new PythonArgParser([`add_param_group(Any params, *, ${signature}, float? initial_lr=None)`], PYTHON_DEF);
    groupParsers.set(signature, parser);
  }
  return parser;
}

export abstract class Optimizer {
  readonly defaults: Record<string, any>;
  param_groups: ParamGroup[] = [];
  /** Per-parameter state, keyed by the parameter itself as in Python. */
  state: Map<Tensor, Record<string, any>> = new Map();

  /**
   * Binds a param group's keys as keywords: `params` and the optimizer's
   * hyperparameters (and a scheduler's `initial_lr`), each of its type.
   * Python keeps any other key silently; a misspelt one ('lrr') then trains
   * with the default, so here it is an error.
   */
  private readonly groupSignature: string | null;
  /** What toString prints as a float though integral (floatDefaultsOf). */
  private readonly floatDefaults: Map<string, number>;

  /** groupSignature: the keyword-only parameters a param group may set, as `float lr=None, ...`. */
  protected constructor(params: ParamsInput, defaults: Record<string, any>, groupSignature?: string) {
    this.defaults = defaults;
    this.groupSignature = groupSignature ?? null;
    this.floatDefaults = floatDefaultsOf(groupSignature);
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params.dtype}`);
    }
    if (params === null || typeof params !== 'object' || typeof (params as any)[Symbol.iterator] !== 'function') {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(params)}`);
    }
    const list = [...(params as Iterable<any>)];
    if (list.length === 0) throw new RangeError('optimizer got an empty parameter list');
    const groups = list[0] instanceof Tensor || !(list[0] && typeof list[0] === 'object') ? [{ params: list }] : list;
    for (const g of groups) this.add_param_group(g);
  }

  add_param_group(group: { params: Iterable<Tensor> | Tensor } & Record<string, any>): void {
    if (group === null || typeof group !== 'object') throw new TypeError('param group must be a dict');
    if (this.groupSignature !== null) groupParser(this.groupSignature).parseSplit([], group);
    const params = group.params instanceof Tensor ? [group.params] : group.params instanceof Set ? null : [...(group.params ?? [])];
    if (params === null) {
      throw new TypeError('optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.');
    }
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typeName(p)}`);
      if (!(p.is_leaf || p.retains_grad)) throw new RangeError("can't optimize a non-leaf Tensor");
    }
    const full: ParamGroup = { ...group, params };
    for (const [name, value] of Object.entries(this.defaults)) {
      if (value === required && !(name in group)) {
        throw new TypeError(`parameter group didn't specify a value of required optimization parameter ${name}`);
      }
      if (!(name in full)) full[name] = value;
    }
    if (new Set(params).size !== params.length) {
      // Python 1.13 warns (and then updates such a parameter once per appearance, as this does too).
      process.emitWarning(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; ' +
          'see github.com/pytorch/pytorch/issues/40967 for more information',
        'UserWarning',
      );
    }
    const existing = new Set(this.param_groups.flatMap((g) => g.params));
    if (params.some((p) => existing.has(p))) throw new RangeError('some parameters appear in more than one parameter group');
    this.param_groups.push(full);
  }

  /** Drops (set_to_none) or zeroes every gradient; set_to_none defaults as in the loaded PyTorch (False in 1.13, True from 2.0). */
  zero_grad(...args: [set_to_none?: boolean] | [{ set_to_none?: boolean }]): void {
    const { set_to_none } = zeroGradArgs.parseNamed(args) as unknown as { set_to_none: boolean };
    for (const group of this.param_groups) zeroGradients(group.params, set_to_none);
  }

  /** One update; closure, if given, re-evaluates the loss with grad enabled and its value is returned. */
  step(closure?: () => Tensor): Tensor | undefined {
    let loss: Tensor | undefined;
    if (closure) loss = enable_grad(closure);
    no_grad(() => {
      for (const group of this.param_groups) this.updateGroup(group);
    });
    return loss;
  }

  /** The algorithm, for one parameter group, under no_grad. */
  protected abstract updateGroup(group: ParamGroup): void;

  /** The state of p, created empty on first use (Python's defaultdict). */
  protected stateOf(p: Tensor): Record<string, any> {
    let s = this.state.get(p);
    if (!s) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  state_dict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const param_groups = this.param_groups.map((g) => {
      const { params, ...rest } = g;
      for (const p of params) if (!index.has(p)) index.set(p, next++);
      return { ...rest, params: params.map((p) => index.get(p)!) };
    });
    const state: Record<number, Record<string, any>> = {};
    for (const [p, s] of this.state) if (index.has(p)) state[index.get(p)!] = { ...s };
    return { state, param_groups };
  }

  load_state_dict(stateDict: OptimizerStateDict): void {
    const groups = this.param_groups;
    const saved = stateDict?.param_groups;
    if (!Array.isArray(saved)) throw new TypeError('optimizer state_dict must have a param_groups list');
    if (groups.length !== saved.length) throw new RangeError('loaded state dict has a different number of parameter groups');
    if (groups.some((g, i) => g.params.length !== saved[i].params.length)) {
      throw new RangeError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    }
    const byId = new Map<number, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, k) => byId.set(id, groups[i].params[k])));
    const cast = (param: Tensor, value: any, key?: string): any => {
      if (value instanceof Tensor) {
        // 'step' keeps its own dtype (pytorch#74424); other floating state follows the parameter.
        let v = value;
        if (key !== 'step' && param.is_floating_point()) v = v.to(param.dtype);
        // Kept: the state outlives a torch.scope() that loads it.
        return keep(v.to(param.device).clone());
      }
      // Python casts inside lists too (LBFGS keeps its history in lists of tensors).
      if (Array.isArray(value)) return value.map((x) => cast(param, x));
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, cast(param, x, k)]));
      }
      return value;
    };
    this.state = new Map();
    for (const [id, s] of Object.entries(stateDict.state ?? {})) {
      const p = byId.get(Number(id));
      if (p) this.state.set(p, cast(p, s));
    }
    this.param_groups = groups.map((g, i) => ({ ...saved[i], params: g.params }));
    this.__setstate__();
  }

  /**
   * Python's __setstate__, with which load_state_dict ends: an optimizer
   * fills in what a state_dict saved by an older PyTorch lacks (a newer
   * hyperparameter, a step kept as a number before it became a tensor).
   */
  protected __setstate__(): void {}

  /** group.setdefault(key, value) in every param group, for __setstate__. */
  protected setGroupDefaults(defaults: Record<string, unknown>): void {
    for (const group of this.param_groups) for (const [key, value] of Object.entries(defaults)) if (!(key in group)) group[key] = value;
  }

  /**
   * state[key] as a 0-dim tensor of the default dtype in every state, when
   * the first state's is a number (Python looks at the first only), for
   * __setstate__.
   */
  protected tensorizeState(key: string): void {
    const states = [...this.state.values()];
    if (states.length === 0 || states[0][key] instanceof Tensor) return;
    for (const s of states) s[key] = keep(tensor(Number(s[key]), { dtype: _get_scalar_dtype() }));
  }

  /**
   * state[key] as a 0-dim tensor of _get_scalar_dtype() in each state of a
   * parameter of the groups where it is a number: PyTorch 2's __setstate__
   * looks at every state, not at the first only.
   */
  protected tensorizeEachState(key: string): void {
    for (const group of this.param_groups) {
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s !== undefined && Object.keys(s).length !== 0 && !(s[key] instanceof Tensor)) s[key] = keep(tensor(Number(s[key]), { dtype: _get_scalar_dtype() }));
      }
    }
  }

  /** Python's repr: each group's hyperparameters, sorted by name, as Python prints their values. */
  toString(): string {
    let text = `${this.constructor.name} (`;
    this.param_groups.forEach((g, i) => {
      text += `\nParameter Group ${i}\n`;
      for (const key of Object.keys(g).sort()) if (key !== 'params') text += `    ${key}: ${formatHyper(g[key], this.floatDefaults.get(key))}\n`;
    });
    return `${text})`;
  }
}

/**
 * The hyperparameters whose Python default is a float literal with an
 * integral value (Adadelta's `float lr=1.0`, ASGD's `float t0=1e6`), read
 * from a group signature: such a value prints as a float (1.0), where a
 * number given here cannot say whether Python's int or float was meant.
 */
function floatDefaultsOf(groupSignature: string | undefined): Map<string, number> {
  const found = new Map<string, number>();
  for (const m of (groupSignature ?? '').matchAll(/\bfloat\??\s+(\w+)=([-+]?(?:\d+\.\d*|\d*\.\d+|\d+(?:\.\d*)?[eE][-+]?\d+))(?=,|$)/g)) {
    const value = Number(m[2]);
    if (Number.isInteger(value)) found.set(m[1], value);
  }
  return found;
}

/**
 * A hyperparameter as Python's str() prints it: None, True/False, a tuple's
 * items, floats by repr (1e-08, 0.0001); an integral number as an int, unless
 * it is the default, written in Python as a float (floatDefault).
 */
function formatHyper(v: unknown, floatDefault?: number): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `(${v.map((x) => formatHyper(x)).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (typeof v === 'number') {
    const asInt = Number.isInteger(v) && Math.abs(v) < 1e16 && v !== floatDefault;
    return asInt ? String(v) : pyFloatRepr(v);
  }
  return String(v);
}

/**
 * A complex tensor as its real view (one more dim of size 2), any other as
 * itself: Python's optimizers treat a complex parameter as two real ones.
 */
export function viewAsReal(t: Tensor): Tensor {
  return t.is_complex() ? view_as_real(t) : t;
}

/** Whether t is a sparse tensor (Python's t.is_sparse). */
export function isSparse(t: Tensor): boolean {
  return native.layout(t) !== STRIDED_LAYOUT;
}

/** Python's RuntimeError of an optimizer whose algorithm has no sparse form, given a sparse gradient. */
export function refuseSparseGrad(optimizer: string, grad: Tensor): void {
  if (isSparse(grad)) throw new TypeError(`${optimizer} does not support sparse gradients`);
}

/** Python's checks of an Adam-like optimizer's betas (a pair, each in [0, 1)). */
export function checkBetas(optimizer: string, betas: readonly number[]): void {
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError(`${optimizer}: betas must be a pair of numbers, got ${betas.length} of them`);
  checkHyper(betas[0] >= 0 && betas[0] < 1, `Invalid beta parameter at index 0: ${betas[0]}`);
  checkHyper(betas[1] >= 0 && betas[1] < 1, `Invalid beta parameter at index 1: ${betas[1]}`);
}

export function checkHyper(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}
