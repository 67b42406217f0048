// optim.LBFGS, after torch/optim/lbfgs.py, with its strong Wolfe line
// search. The algorithm is the same in 1.13 and 2.x; 2.x checks lr and takes
// a complex parameter as two real ones (its view_as_real, flattened).
//
// Python mixes floats and 0-dim float32 tensors here: a dot product is a
// tensor, and so is everything computed from one (the step t after the first
// iteration's `min(1., 1. / |g|_1) * lr`, the curvature pairs' weights, the
// line search's brackets), while the losses are floats. Which it is decides
// how a value rounds (float32 tensor arithmetic against doubles), so this
// file keeps each value in the form Python has it and does arithmetic as
// Python's operators do (`number / tensor` is the tensor's reciprocal times
// the number, comparisons go through the tensor, min/max are the builtins').
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import type { PyArgs } from '../nn/modules/utils';
import { no_grad, enable_grad } from '../autograd/grad_mode';
import { cat, rsub } from '../_generated/torch_functions';
import { zeros } from '../factories';
import { keep } from '../scope';
import { libtorchAtLeast } from '../_libtorch_version';
import { Tensor } from '../tensor';
import { Optimizer, checkHyper, isSparse, viewAsReal, type ParamsInput } from './optimizer';

/** PyTorch 2's LBFGS: lr checked, complex parameters as pairs of real ones. */
const TORCH2 = libtorchAtLeast(2);

/** A tensor as LBFGS's flat vector sees it: a complex one as its real view in 2.x. */
const flatView = (t: Tensor): Tensor => (TORCH2 ? viewAsReal(t) : t);

export interface LBFGSOptions {
  lr?: number;
  max_iter?: number;
  max_eval?: number | null;
  tolerance_grad?: number;
  tolerance_change?: number;
  history_size?: number;
  line_search_fn?: 'strong_wolfe' | null;
  /** PyTorch 2.14 (keyword only): maximize the closure's value instead (the loss and gradient negated). */
  maximize?: boolean;
}

/** 2.14's LBFGS takes maximize. Measured on 2.14 and absent from 2.6; the versions between follow 2.6 here. */
const MAXIMIZE_OPTION = libtorchAtLeast(2, 14);

type LBFGSPositionals = [lr: number, max_iter: number, max_eval: number | null, tolerance_grad: number, tolerance_change: number, history_size: number, line_search_fn: 'strong_wolfe' | null];

const LBFGS_SIGNATURE = `float lr=1, int max_iter=20, int? max_eval=None, float tolerance_grad=1e-7, float tolerance_change=1e-9, int history_size=100, str? line_search_fn=None${MAXIMIZE_OPTION ? ', *, bool maximize=False' : ''}`;
const lbfgsArgs = new PythonArgParser([`LBFGS(Any params, ${LBFGS_SIGNATURE})`], PYTHON_DEF);

/** A Python float or a 0-dim tensor, as LBFGS's scalars are in Python. */
type Num = number | Tensor;

const add = (a: Num, b: Num): Num => (a instanceof Tensor ? a.add(b) : b instanceof Tensor ? b.add(a) : a + b);
const sub = (a: Num, b: Num): Num => (a instanceof Tensor ? a.sub(b) : b instanceof Tensor ? rsub(b, a) : a - b);
const mul = (a: Num, b: Num): Num => (a instanceof Tensor ? a.mul(b) : b instanceof Tensor ? b.mul(a) : a * b);
const div = (a: Num, b: Num): Num => (a instanceof Tensor ? a.div(b) : b instanceof Tensor ? b.reciprocal().mul(a) : a / b);
const neg = (a: Num): Num => (a instanceof Tensor ? a.neg() : -a);
const abs = (a: Num): Num => (a instanceof Tensor ? a.abs() : Math.abs(a));
/** Python's float(x): a tensor's value as a double. */
const float = (a: Num): number => (a instanceof Tensor ? (a.item() as number) : a);
/** Python's bool() of a one-element bool tensor. */
const truth = (t: Tensor): boolean => Boolean(t.item());
const gt = (a: Num, b: Num): boolean => (a instanceof Tensor ? truth(a.gt(b)) : b instanceof Tensor ? truth(b.lt(a)) : a > b);
const lt = (a: Num, b: Num): boolean => gt(b, a);
const ge = (a: Num, b: Num): boolean => (a instanceof Tensor ? truth(a.ge(b)) : b instanceof Tensor ? truth(b.le(a)) : a >= b);
const le = (a: Num, b: Num): boolean => ge(b, a);
/** Python's max(): the first of the largest. */
const max = (...xs: Num[]): Num => xs.reduce((best, x) => (gt(x, best) ? x : best));
/** Python's min(): the first of the smallest. */
const min = (...xs: Num[]): Num => xs.reduce((best, x) => (lt(x, best) ? x : best));

/**
 * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1
 * and g2, clamped to the bounds (default: the interval itself); the middle
 * of the bounds when the cubic has no minimiser.
 */
function cubicInterpolate(x1: Num, f1: Num, g1: Num, x2: Num, f2: Num, g2: Num, bounds?: [Num, Num]): Num {
  const [xmin_bound, xmax_bound] = bounds ?? (le(x1, x2) ? [x1, x2] : [x2, x1]);
  const d1 = sub(add(g1, g2), div(mul(3, sub(f1, f2)), sub(x1, x2)));
  const d2_square = sub(d1 instanceof Tensor ? d1.pow(2) : d1 ** 2, mul(g1, g2));
  if (ge(d2_square, 0)) {
    const d2 = d2_square instanceof Tensor ? d2_square.sqrt() : Math.sqrt(d2_square);
    const min_pos = le(x1, x2)
      ? sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(2, d2)))))
      : sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(2, d2)))));
    return min(max(min_pos, xmin_bound), xmax_bound);
  }
  return div(add(xmin_bound, xmax_bound), 2);
}

type ObjFunc = (x: Tensor[], t: Num, d: Tensor) => [number, Tensor];

/**
 * A step t along d satisfying the strong Wolfe conditions (sufficient
 * decrease c1, curvature c2): bracketing, then zooming by cubic
 * interpolation. Returns the loss, flat gradient and t there, and how many
 * evaluations it took.
 */
function strongWolfe(obj_func: ObjFunc, x: Tensor[], t: Num, d: Tensor, f: number, g: Tensor, gtd: Num, c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9, max_ls = 25): [number, Tensor, Num, number] {
  const d_norm = d.abs().max();
  g = g.clone();
  let [f_new, g_new] = obj_func(x, t, d);
  let ls_func_evals = 1;
  let gtd_new: Num = g_new.dot(d);

  let t_prev: Num = 0;
  let f_prev: number = f;
  let g_prev: Tensor = g;
  let gtd_prev: Num = gtd;
  let done = false;
  let ls_iter = 0;
  let bracket: Num[] = [];
  let bracket_f: number[] = [];
  let bracket_g: Tensor[] = [];
  let bracket_gtd: Num[] = [];
  while (ls_iter < max_ls) {
    if (gt(f_new, add(f, mul(mul(c1, t), gtd))) || (ls_iter > 1 && f_new >= f_prev)) {
      bracket = [t_prev, t];
      bracket_f = [f_prev, f_new];
      bracket_g = [g_prev, g_new.clone()];
      bracket_gtd = [gtd_prev, gtd_new];
      break;
    }
    if (le(abs(gtd_new), mul(-c2, gtd))) {
      bracket = [t];
      bracket_f = [f_new];
      bracket_g = [g_new];
      done = true;
      break;
    }
    if (ge(gtd_new, 0)) {
      bracket = [t_prev, t];
      bracket_f = [f_prev, f_new];
      bracket_g = [g_prev, g_new.clone()];
      bracket_gtd = [gtd_prev, gtd_new];
      break;
    }
    // Interpolate, within [t + 0.01 (t - t_prev), 10 t].
    const min_step = add(t, mul(0.01, sub(t, t_prev)));
    const max_step = mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, [min_step, max_step]);
    t_prev = tmp;
    f_prev = f_new;
    g_prev = g_new.clone();
    gtd_prev = gtd_new;
    [f_new, g_new] = obj_func(x, t, d);
    ls_func_evals += 1;
    gtd_new = g_new.dot(d);
    ls_iter += 1;
  }
  if (ls_iter === max_ls) {
    bracket = [0, t];
    bracket_f = [f, f_new];
    bracket_g = [g, g_new];
  }

  // Zoom until the point meets the conditions or the bracket is too small.
  let insuf_progress = false;
  let [low_pos, high_pos] = bracket_f[0] <= bracket_f[bracket_f.length - 1] ? [0, 1] : [1, 0];
  while (!done && ls_iter < max_ls) {
    if (lt(mul(abs(sub(bracket[1], bracket[0])), d_norm), tolerance_change)) break;
    t = cubicInterpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);
    // Keep t away from the bracket's ends: a point there makes little progress.
    const eps = mul(0.1, sub(max(...bracket), min(...bracket)));
    if (lt(min(sub(max(...bracket), t), sub(t, min(...bracket))), eps)) {
      if (insuf_progress || ge(t, max(...bracket)) || le(t, min(...bracket))) {
        if (lt(abs(sub(t, max(...bracket))), abs(sub(t, min(...bracket))))) t = sub(max(...bracket), eps);
        else t = add(min(...bracket), eps);
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    [f_new, g_new] = obj_func(x, t, d);
    ls_func_evals += 1;
    gtd_new = g_new.dot(d);
    ls_iter += 1;
    if (gt(f_new, add(f, mul(mul(c1, t), gtd))) || f_new >= bracket_f[low_pos]) {
      // Armijo condition not met, or not lower than the lowest point: shrink from the high side.
      bracket[high_pos] = t;
      bracket_f[high_pos] = f_new;
      bracket_g[high_pos] = g_new.clone();
      bracket_gtd[high_pos] = gtd_new;
      [low_pos, high_pos] = bracket_f[0] <= bracket_f[1] ? [0, 1] : [1, 0];
    } else {
      if (le(abs(gtd_new), mul(-c2, gtd))) {
        done = true;
      } else if (ge(mul(gtd_new, sub(bracket[high_pos], bracket[low_pos])), 0)) {
        bracket[high_pos] = bracket[low_pos];
        bracket_f[high_pos] = bracket_f[low_pos];
        bracket_g[high_pos] = bracket_g[low_pos];
        bracket_gtd[high_pos] = bracket_gtd[low_pos];
      }
      bracket[low_pos] = t;
      bracket_f[low_pos] = f_new;
      bracket_g[low_pos] = g_new.clone();
      bracket_gtd[low_pos] = gtd_new;
    }
  }
  return [bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals];
}

/** Keeps every tensor in v (a state value) out of any torch.scope() the step runs in. */
function kept<T>(v: T): T {
  if (v instanceof Tensor) keep(v);
  else if (Array.isArray(v)) for (const x of v) kept(x);
  return v;
}

/**
 * L-BFGS (after minFunc): quasi-Newton steps along d = -H g, with H the
 * inverse Hessian estimated from the last history_size pairs (s, y) of
 * parameter and gradient changes by the two-loop recursion; up to max_iter
 * iterations (max_eval evaluations) per step(), each moving by lr, or by the
 * step a strong Wolfe line search finds (line_search_fn: 'strong_wolfe').
 * Stops early when max |g| <= tolerance_grad, or the step or the loss
 * changes by less than tolerance_change.
 *
 * step(closure) needs the closure, which re-evaluates the loss (zeroing the
 * gradients and calling backward) and returns it. One parameter group only;
 * all parameters are treated as one flat vector. State (on the first
 * parameter, as in Python): func_evals, n_iter, d, t, old_dirs, old_stps,
 * ro, H_diag, prev_flat_grad, prev_loss, al.
 */
export class LBFGS extends Optimizer {
  private readonly _params: Tensor[];
  private _numel_cache: number | null = null;

  /** Python's LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100, line_search_fn=None). */
  constructor(params: ParamsInput, ...args: PyArgs<[], LBFGSPositionals, LBFGSOptions>);
  constructor(...args: unknown[]) {
    const o = lbfgsArgs.parseNamed(args) as unknown as Required<LBFGSOptions> & { params: ParamsInput };
    const { lr, max_iter, tolerance_grad, tolerance_change, history_size, line_search_fn, maximize } = o;
    if (TORCH2) checkHyper(lr >= 0, `Invalid learning rate: ${lr}`);
    const max_eval = o.max_eval ?? Math.floor((max_iter * 5) / 4);
    const defaults = { lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size, line_search_fn };
    super(o.params, MAXIMIZE_OPTION ? { ...defaults, maximize } : defaults, LBFGS_SIGNATURE);
    if (this.param_groups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
    this._params = this.param_groups[0].params;
  }

  protected updateGroup(): void {
    throw new Error('LBFGS: unreachable: step() does the whole update');
  }

  /** Whether the closure's value is maximized (2.14's maximize; never before). */
  private get maximize(): boolean {
    return this.param_groups[0].maximize === true;
  }

  /** The closure's value as LBFGS minimizes it: Python's float(loss), negated under maximize. */
  private minimized(loss: Num): number {
    return this.maximize ? -float(loss) : float(loss);
  }

  private _numel(): number {
    if (this._numel_cache === null) this._numel_cache = this._params.reduce((total, p) => total + flatView(p).numel(), 0);
    return this._numel_cache;
  }

  /** Every gradient as one flat vector (zeros for a parameter without one). */
  private _gather_flat_grad(): Tensor {
    const views = this._params.map((p) => {
      const grad = p.grad;
      let view: Tensor;
      if (grad === null) view = zeros([p.numel()], { dtype: p.dtype, device: p.device });
      else if (isSparse(grad)) view = grad.to_dense().view(-1);
      else view = grad.view(-1);
      return TORCH2 && view.is_complex() ? viewAsReal(view).view(-1) : view;
    });
    const flat = cat(views, 0);
    return this.maximize ? flat.neg_() : flat;
  }

  private _add_grad(step_size: Num, update: Tensor): void {
    let offset = 0;
    for (const param of this._params) {
      const p = flatView(param);
      const numel = p.numel();
      // Python passes a tensor step as a Scalar: its value as a double.
      p.add_(update.narrow(0, offset, numel).view_as(p), { alpha: float(step_size) });
      offset += numel;
    }
    if (offset !== this._numel()) throw new Error(`LBFGS: the parameters hold ${offset} elements, ${this._numel()} when the optimizer was made`);
  }

  private _clone_param(): Tensor[] {
    return this._params.map((p) => p.clone());
  }

  private _set_param(params_data: Tensor[]): void {
    this._params.forEach((p, i) => p.copy_(params_data[i]));
  }

  private _directional_evaluate(closure: () => Num, x: Tensor[], t: Num, d: Tensor): [number, Tensor] {
    this._add_grad(t, d);
    const loss = this.minimized(closure());
    const flat_grad = this._gather_flat_grad();
    this._set_param(x);
    return [loss, flat_grad];
  }

  /** Up to max_iter iterations; closure re-evaluates the loss and its gradients. Returns the loss of the first evaluation. */
  override step(closure?: () => Tensor): Tensor | undefined {
    if (typeof closure !== 'function') throw new TypeError("step() missing 1 required positional argument: 'closure' (LBFGS re-evaluates the loss: pass a function that computes it, calls backward() and returns it)");
    const evaluate = (): Tensor => enable_grad(closure);
    return no_grad(() => this.run(evaluate));
  }

  private run(closure: () => Tensor): Tensor {
    const group = this.param_groups[0];
    const { lr, max_iter, max_eval, tolerance_grad, tolerance_change, line_search_fn, history_size } = group;
    // All of LBFGS's state lives with the first parameter, as in Python.
    const state = this.stateOf(this._params[0]);
    state.func_evals ??= 0;
    state.n_iter ??= 0;

    const orig_loss = closure();
    let loss = this.minimized(orig_loss);
    let current_evals = 1;
    state.func_evals += 1;

    let flat_grad = this._gather_flat_grad();
    let opt_cond = le(flat_grad.abs().max(), tolerance_grad);
    // Already at a stationary point.
    if (opt_cond) return orig_loss;

    let d: Tensor = state.d;
    let t: Num = state.t;
    let old_dirs: Tensor[] = state.old_dirs;
    let old_stps: Tensor[] = state.old_stps;
    let ro: Num[] = state.ro;
    let H_diag: Num = state.H_diag;
    let prev_flat_grad: Tensor | undefined = state.prev_flat_grad;
    let prev_loss: number | undefined = state.prev_loss;

    let n_iter = 0;
    while (n_iter < max_iter) {
      n_iter += 1;
      state.n_iter += 1;

      if (state.n_iter === 1) {
        d = flat_grad.neg();
        old_dirs = [];
        old_stps = [];
        ro = [];
        H_diag = 1;
      } else {
        // The newest curvature pair, kept only when it is positive (the estimate stays positive definite).
        const y = flat_grad.sub(prev_flat_grad!);
        const s = d.mul(t);
        const ys = y.dot(s);
        if (gt(ys, 1e-10)) {
          if (old_dirs.length === history_size) {
            old_dirs.shift();
            old_stps.shift();
            ro.shift();
          }
          old_dirs.push(y);
          old_stps.push(s);
          ro.push(div(1, ys));
          H_diag = div(ys, y.dot(y));
        }
        // d = -H g by the two-loop recursion.
        const num_old = old_dirs.length;
        if (!('al' in state)) state.al = new Array(history_size).fill(null);
        const al: (Num | null)[] = state.al;
        const q = flat_grad.neg();
        for (let i = num_old - 1; i >= 0; i--) {
          al[i] = mul(old_stps[i].dot(q), ro[i]);
          q.add_(old_dirs[i], { alpha: float(neg(al[i]!)) });
        }
        const r = q.mul(H_diag);
        d = r;
        for (let i = 0; i < num_old; i++) {
          const be_i = mul(old_dirs[i].dot(r), ro[i]);
          r.add_(old_stps[i], { alpha: float(sub(al[i]!, be_i)) });
        }
      }

      if (prev_flat_grad === undefined || prev_flat_grad === null) prev_flat_grad = flat_grad.clone();
      else prev_flat_grad.copy_(flat_grad);
      prev_loss = loss;

      // The first step is scaled down by the gradient's size; later ones are lr.
      if (state.n_iter === 1) t = mul(min(1.0, div(1.0, flat_grad.abs().sum())), lr);
      else t = lr;

      const gtd = flat_grad.dot(d);
      // Not a descent direction.
      if (gt(gtd, -tolerance_change)) break;

      let ls_func_evals = 0;
      if (line_search_fn !== null && line_search_fn !== undefined) {
        if (line_search_fn !== 'strong_wolfe') throw new RangeError(`LBFGS: only 'strong_wolfe' is supported as line_search_fn, got '${line_search_fn}'`);
        const x_init = this._clone_param();
        const obj_func: ObjFunc = (x, tt, dd) => this._directional_evaluate(closure, x, tt, dd);
        [loss, flat_grad, t, ls_func_evals] = strongWolfe(obj_func, x_init, t, d, loss, flat_grad, gtd);
        this._add_grad(t, d);
        opt_cond = le(flat_grad.abs().max(), tolerance_grad);
      } else {
        this._add_grad(t, d);
        if (n_iter !== max_iter) {
          // Re-evaluate for the next iteration's gradient; the last one's is never used.
          loss = this.minimized(closure());
          flat_grad = this._gather_flat_grad();
          opt_cond = le(flat_grad.abs().max(), tolerance_grad);
          ls_func_evals = 1;
        }
      }
      current_evals += ls_func_evals;
      state.func_evals += ls_func_evals;

      if (n_iter === max_iter) break;
      if (current_evals >= max_eval) break;
      if (opt_cond) break;
      // Lack of progress.
      if (le(d.mul(t).abs().max(), tolerance_change)) break;
      if (Math.abs(loss - prev_loss) < tolerance_change) break;
    }

    state.d = kept(d);
    state.t = kept(t);
    state.old_dirs = kept(old_dirs);
    state.old_stps = kept(old_stps);
    state.ro = kept(ro);
    state.H_diag = kept(H_diag);
    state.prev_flat_grad = kept(prev_flat_grad);
    state.prev_loss = prev_loss;
    if (state.al) kept(state.al);
    return orig_loss;
  }
}
