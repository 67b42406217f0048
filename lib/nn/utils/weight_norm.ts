// Weight normalization, after torch/nn/utils/weight_norm.py (1.13): a
// parameter w is replaced by w_g (its norm over every dimension but dim) and
// w_v (its direction), and w = g · v / ‖v‖ is recomputed before each forward.
import * as T from '../../_generated/torch_functions';
import { no_grad } from '../../autograd/grad_mode';
import type { Tensor } from '../../tensor';
import { Module } from '../modules/module';
import { def_, type PyArgs } from '../modules/utils';
import { Parameter } from '../parameter';

// The forward pre-hook each WeightNorm registers, mapped back to it: Python's
// hook is the WeightNorm object itself, found by isinstance among the module's hooks.
const owners = new WeakMap<object, WeightNorm>();

function findWeightNorm(module: Module, name: string): [number, WeightNorm] | null {
  for (const [id, hook] of module._forward_pre_hooks) {
    const fn = owners.get(hook);
    if (fn !== undefined && fn.name === name) return [id, fn];
  }
  return null;
}

/** Python's WeightNorm: the hook that recomputes module[name] from name_g and name_v. */
export class WeightNorm {
  constructor(
    readonly name: string,
    readonly dim: number,
  ) {}

  /** w = v · g / ‖v‖, the norm over every dimension but dim (all of them for dim -1): torch._weight_norm. */
  compute_weight(module: Module): Tensor {
    const g = (module as any)[`${this.name}_g`] as Tensor;
    const v = (module as any)[`${this.name}_v`] as Tensor;
    return T._weight_norm(v, g, this.dim);
  }

  static apply(module: Module, name: string, dim: number | null): WeightNorm {
    if (findWeightNorm(module, name) !== null) throw new Error(`Cannot register two weight_norm hooks on the same parameter ${name}`);
    const fn = new WeightNorm(name, dim ?? -1);
    const weight = (module as any)[name];
    if (!(weight instanceof Parameter)) {
      throw new TypeError(`weight_norm(): ${module._get_name()} has no parameter named '${name}'${weight === undefined ? '' : ` (it is ${weight === null ? 'None' : typeof weight})`}`);
    }
    if (fn.dim < -weight.ndim || fn.dim >= Math.max(weight.ndim, 1)) {
      throw new RangeError(`weight_norm(): dim ${fn.dim} is out of range for parameter '${name}' of ${weight.ndim} dimensions`);
    }
    // Python deletes the parameter, then registers the two new ones (after
    // any others: state_dict order) and sets the plain weight.
    delete (module as any)[name];
    module.register_parameter(`${name}_g`, new Parameter(no_grad(() => T.norm_except_dim(weight, 2, fn.dim))));
    module.register_parameter(`${name}_v`, new Parameter(weight.detach()));
    (module as any)[name] = fn.compute_weight(module);
    const hook = (m: Module): void => {
      (m as any)[name] = fn.compute_weight(m);
    };
    owners.set(hook, fn);
    module.register_forward_pre_hook(hook);
    return fn;
  }

  remove(module: Module): void {
    const weight = this.compute_weight(module);
    delete (module as any)[this.name];
    delete (module as any)[`${this.name}_g`];
    delete (module as any)[`${this.name}_v`];
    (module as any)[this.name] = new Parameter(weight.detach());
  }
}

function checkModule(fn: string, module: unknown): asserts module is Module {
  if (!(module instanceof Module)) throw new TypeError(`${fn}(): argument 'module' must be an nn.Module, got ${module === null ? 'null' : typeof module}`);
}

const weightNormArgs = def_<{ module: Module; name: string; dim: number | null }>('weight_norm(Any module, str name="weight", int? dim=0)');
const removeWeightNormArgs = def_<{ module: Module; name: string }>('remove_weight_norm(Any module, str name="weight")');

/**
 * Reparameterises module[name] as w = g · v / ‖v‖: parameters name_g (the
 * norm over every dimension but dim; dim=null is the norm of the whole
 * tensor) and name_v (the direction), w recomputed before each forward.
 * Returns the module. Python's weight_norm(module, name='weight', dim=0).
 */
export function weight_norm<M extends Module>(...args: PyArgs<[module: M], [name: string, dim: number | null], { module: M; name?: string; dim?: number | null }>): M;
export function weight_norm(...args: unknown[]): Module {
  const { module, name, dim } = weightNormArgs(args);
  checkModule('weight_norm', module);
  WeightNorm.apply(module, name, dim);
  return module;
}

/** Undoes weight_norm: module[name] becomes one parameter again, holding g · v / ‖v‖. Python's remove_weight_norm(module, name='weight'). */
export function remove_weight_norm<M extends Module>(...args: PyArgs<[module: M], [name: string], { module: M; name?: string }>): M;
export function remove_weight_norm(...args: unknown[]): Module {
  const { module, name } = removeWeightNormArgs(args);
  checkModule('remove_weight_norm', module);
  const found = findWeightNorm(module, name);
  if (found !== null) {
    found[1].remove(module);
    module._forward_pre_hooks.delete(found[0]);
    return module;
  }
  throw new RangeError(`weight_norm of '${name}' not found in ${String(module)}`);
}
