// Spectral normalization, after torch/nn/utils/spectral_norm.py (1.13): a
// parameter W is kept as W_orig and replaced, before each forward, by
// W / σ(W), σ estimated by power iteration with the vectors u and v kept as
// buffers (drawn from N(0, 1) and normalised, as Python draws them).
import { aten } from '../../aten';
import { no_grad } from '../../autograd/grad_mode';
import { empty } from '../../factories';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from '../modules/module';
import { def_, type PyArgs } from '../modules/utils';
import { Parameter } from '../parameter';

const A = {
  mv: aten('mv', ''),
  dot: aten('dot', ''),
  div: aten('div', 'Tensor'),
};

// The forward pre-hook each SpectralNorm registers, mapped back to it: Python's
// hook is the SpectralNorm object itself, found by isinstance among the module's hooks.
const owners = new WeakMap<object, SpectralNorm>();

function findSpectralNorm(module: Module, name: string): [number, SpectralNorm] | null {
  for (const [id, hook] of module._forward_pre_hooks) {
    const fn = owners.get(hook);
    if (fn !== undefined && fn.name === name) return [id, fn];
  }
  return null;
}

/** Python's SpectralNorm: the hook that sets module[name] = name_orig / σ before each forward. */
export class SpectralNorm {
  constructor(
    readonly name: string,
    readonly n_power_iterations: number,
    readonly dim: number,
    readonly eps: number,
  ) {
    if (!(n_power_iterations > 0)) {
      throw new RangeError(`Expected n_power_iterations to be positive, but got n_power_iterations=${n_power_iterations}`);
    }
  }

  /** The weight as a matrix: dim moved to the front, the rest flattened. */
  reshape_weight_to_matrix(weight: Tensor): Tensor {
    let mat = weight;
    if (this.dim !== 0) {
      const rest = [...Array(mat.ndim).keys()].filter((d) => d !== this.dim);
      mat = mat.permute([this.dim, ...rest]);
    }
    return mat.reshape([mat.shape[0], -1]);
  }

  /**
   * W / σ, σ = u^T W v. With do_power_iteration (training), first
   * n_power_iterations of v = normalize(W^T u), u = normalize(W v), written
   * into the buffers in place, then cloned so that autograd sees fixed vectors.
   */
  compute_weight(module: Module, do_power_iteration: boolean): Tensor {
    const weight = (module as any)[`${this.name}_orig`] as Tensor;
    let u = (module as any)[`${this.name}_u`] as Tensor;
    let v = (module as any)[`${this.name}_v`] as Tensor;
    const mat = this.reshape_weight_to_matrix(weight);
    if (do_power_iteration) {
      no_grad(() => {
        for (let i = 0; i < this.n_power_iterations; i++) {
          v = F.normalize(A.mv(mat.t(), u), { dim: 0, eps: this.eps, out: v });
          u = F.normalize(A.mv(mat, v), { dim: 0, eps: this.eps, out: u });
        }
        if (this.n_power_iterations > 0) {
          u = u.clone();
          v = v.clone();
        }
      });
    }
    const sigma = A.dot(u, A.mv(mat, v));
    return A.div(weight, sigma);
  }

  remove(module: Module): void {
    const weight = no_grad(() => this.compute_weight(module, false));
    for (const suffix of ['', '_u', '_v', '_orig']) {
      const key = this.name + suffix;
      if (suffix === '_u' || suffix === '_v') module.register_buffer(key, null);
      delete (module as any)[key];
    }
    module.register_parameter(this.name, new Parameter(weight.detach()));
  }

  static apply(module: Module, name: string, n_power_iterations: number, dim: number, eps: number): SpectralNorm {
    if (findSpectralNorm(module, name) !== null) throw new Error(`Cannot register two spectral_norm hooks on the same parameter ${name}`);
    const fn = new SpectralNorm(name, n_power_iterations, dim, eps);
    const weight = (module as any)[name];
    if (!(weight instanceof Parameter)) {
      throw new TypeError(`spectral_norm(): ${module._get_name()} has no parameter named '${name}'${weight === undefined ? '' : ` (it is ${weight === null ? 'None' : typeof weight})`}`);
    }
    if (dim < -weight.ndim || dim >= Math.max(weight.ndim, 1)) {
      throw new RangeError(`spectral_norm(): dim ${dim} is out of range for parameter '${name}' of ${weight.ndim} dimensions`);
    }
    const [u, v] = no_grad(() => {
      const [h, w] = fn.reshape_weight_to_matrix(weight).shape;
      const opts = { dtype: weight.dtype, device: weight.device };
      // u first, then v: Python's order of draws.
      const u0 = F.normalize(empty([h], opts).normal_(0, 1), { dim: 0, eps: fn.eps });
      const v0 = F.normalize(empty([w], opts).normal_(0, 1), { dim: 0, eps: fn.eps });
      return [u0, v0];
    });
    delete (module as any)[name];
    module.register_parameter(`${name}_orig`, weight);
    // The plain weight until the first forward: the parameter's data, out of the graph.
    (module as any)[name] = weight.detach();
    module.register_buffer(`${name}_u`, u);
    module.register_buffer(`${name}_v`, v);
    const hook = (m: Module): void => {
      (m as any)[name] = fn.compute_weight(m, m.training);
    };
    owners.set(hook, fn);
    module.register_forward_pre_hook(hook);
    return fn;
  }
}

const TRANSPOSED_CONVS = new Set(['ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d']);

const spectralNormArgs = def_<{ module: Module; name: string; n_power_iterations: number; eps: number; dim: number | null }>(
  'spectral_norm(Any module, str name="weight", int n_power_iterations=1, float eps=1e-12, int? dim=None)',
);
const removeSpectralNormArgs = def_<{ module: Module; name: string }>('remove_spectral_norm(Any module, str name="weight")');

function checkModule(fn: string, module: unknown): asserts module is Module {
  if (!(module instanceof Module)) throw new TypeError(`${fn}(): argument 'module' must be an nn.Module, got ${module === null ? 'null' : typeof module}`);
}

/**
 * Rescales module[name] before each forward to W / σ(W), σ the largest
 * singular value of W viewed as a matrix (dim first: 0, or 1 for the
 * transposed convolutions), estimated by n_power_iterations steps of power
 * iteration per training forward. Adds the parameter name_orig and the
 * buffers name_u and name_v. Returns the module. Python's
 * spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None).
 */
export function spectral_norm<M extends Module>(
  ...args: PyArgs<[module: M], [name: string, n_power_iterations: number, eps: number, dim: number | null], { module: M; name?: string; n_power_iterations?: number; eps?: number; dim?: number | null }>
): M;
export function spectral_norm(...args: unknown[]): Module {
  const { module, name, n_power_iterations, eps, dim } = spectralNormArgs(args);
  checkModule('spectral_norm', module);
  const d = dim ?? (TRANSPOSED_CONVS.has(module._get_name()) ? 1 : 0);
  SpectralNorm.apply(module, name, n_power_iterations, d, eps);
  return module;
}

/** Undoes spectral_norm: module[name] becomes one parameter again, holding W / σ with the current u and v. Python's remove_spectral_norm(module, name='weight'). */
export function remove_spectral_norm<M extends Module>(...args: PyArgs<[module: M], [name: string], { module: M; name?: string }>): M;
export function remove_spectral_norm(...args: unknown[]): Module {
  const { module, name } = removeSpectralNormArgs(args);
  checkModule('remove_spectral_norm', module);
  const found = findSpectralNorm(module, name);
  if (found !== null) {
    found[1].remove(module);
    module._forward_pre_hooks.delete(found[0]);
    return module;
  }
  throw new RangeError(`spectral_norm of '${name}' not found in ${String(module)}`);
}
