// optim.Muon, after torch/optim/_muon.py of PyTorch 2.14 (_single_tensor_muon,
// its only path), op for op: the momentum by lerp_, the Newton-Schulz
// iteration in bfloat16 by addmm, the weight decay and the update as Python
// takes them. PyTorch 1.13 and 2.6 have no Muon, and nor has torchts there.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import { LIBTORCH_VERSION, libtorchAtLeast } from '../_libtorch_version';
import { zeros_like } from '../factories';
import { addmm } from '../_generated/torch_functions';
import type { PyArgs } from '../nn/modules/utils';
import { keep } from '../scope';
import type { Tensor } from '../tensor';
import { Optimizer, checkHyper, isSparse, type ParamGroup, type ParamsInput } from './optimizer';

export interface MuonOptions {
  lr?: number;
  /** Decoupled: each step first scales the weights by 1 - lr * weight_decay. */
  weight_decay?: number;
  momentum?: number;
  /** Orthogonalize g + momentum * (the new buffer), not the buffer itself. */
  nesterov?: boolean;
  /** (a, b, c) of the quintic X <- a X + (b A + c A^2) X, A = X X^T. */
  ns_coefficients?: [number, number, number];
  /** The floor of the norm the update is first divided by. */
  eps?: number;
  /** Newton-Schulz iterations (fewer than 100). */
  ns_steps?: number;
  /** How the learning rate scales with the (A, B) shape: 'original' (null), 'match_rms_adamw' or 'spectral_unclamped'. */
  adjust_lr_fn?: 'original' | 'match_rms_adamw' | 'spectral_unclamped' | null;
}

type MuonPositionals = [
  lr: number,
  weight_decay: number,
  momentum: number,
  nesterov: boolean,
  ns_coefficients: [number, number, number],
  eps: number,
  ns_steps: number,
  adjust_lr_fn: string | null,
];

/** Measured in 2.14 and absent from 2.6; the versions between follow 2.6. */
const HAS_MUON = libtorchAtLeast(2, 14);

// Python's DEFAULT_A, DEFAULT_B, DEFAULT_C, EPS and DEFAULT_NS_STEPS, from Keller Jordan's Muon.
const MUON_HYPER =
  'float lr=1e-3, float weight_decay=0.1, float momentum=0.95, bool nesterov=True, float[] ns_coefficients=[3.4445, -4.775, 2.0315], float eps=1e-7, int ns_steps=5, str? adjust_lr_fn=None';
const muonArgs = new PythonArgParser([`Muon(Any params, ${MUON_HYPER})`], PYTHON_DEF);

const ADJUST_LR_FNS = ['original', 'match_rms_adamw', 'spectral_unclamped'];

/**
 * The orthogonalized update: X = G / max(||G||, eps) in bfloat16 (G
 * transposed when it has more rows than columns), then ns_steps times
 *
 *     A = X X^T,  X = a X + (b A + c A A) X
 *
 * which drives X's singular values towards 1 (roughly into [0.5, 1.5]).
 */
function zeropowerViaNewtonSchulz(grad: Tensor, coefficients: number[], steps: number, eps: number): Tensor {
  if (steps >= 100) throw new RangeError('Number of steps must be less than 100 for computational efficiency');
  if (grad.ndim !== 2) throw new RangeError('Input tensor gradient must be a 2D matrix');
  if (coefficients.length !== 3) throw new RangeError('Coefficients must be a tuple of exactly 3 values');
  const [a, b, c] = coefficients;
  const tall = grad.size(0) > grad.size(1);
  // bfloat16() is the tensor itself when it already is one, as in Python.
  let ortho = grad.bfloat16();
  if (tall) ortho = ortho.T;
  ortho.div_(ortho.norm().clamp({ min: eps }));
  for (let i = 0; i < steps; i++) {
    const gram = ortho.matmul(ortho.T);
    const gramUpdate = addmm(gram, gram, gram, { beta: b, alpha: c });
    ortho = addmm(ortho, gramUpdate, ortho, { beta: a });
  }
  return tall ? ortho.T : ortho;
}

/** Python's _adjust_lr: lr scaled for an (A, B) parameter, in double precision. */
function adjustLr(lr: number, fn: string | null, shape: number[]): number {
  const [A, B] = shape;
  let ratio: number;
  if (fn === null || fn === 'original') ratio = Math.sqrt(Math.max(1, A / B));
  else if (fn === 'match_rms_adamw') ratio = 0.2 * Math.sqrt(Math.max(A, B));
  else if (fn === 'spectral_unclamped') ratio = Math.sqrt(A / B);
  else ratio = 1;
  return lr * ratio;
}

/**
 * Muon (Jordan et al., 2024): momentum SGD for the 2-D weights of hidden
 * layers whose update is orthogonalized. Per step, with g the gradient and
 * mu the momentum:
 *
 *     B = mu B + (1 - mu) g                 (lerp)
 *     U = g + mu (B - g) if nesterov else B (lerp)
 *     O = NewtonSchulz(U)
 *     p = p (1 - lr * weight_decay) - adjust(lr, shape) * O
 *
 * Only 2-D parameters; biases and embeddings belong to another optimizer
 * (AdamW, say). State per parameter: momentum_buffer (B).
 */
export class Muon extends Optimizer {
  /** Python's Muon(params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True, ns_coefficients=(3.4445, -4.775, 2.0315), eps=1e-7, ns_steps=5, adjust_lr_fn=None). */
  constructor(params: ParamsInput, ...args: PyArgs<[], MuonPositionals, MuonOptions>);
  constructor(...args: unknown[]) {
    if (!HAS_MUON) {
      throw new TypeError(`optim.Muon needs libtorch 2.14 or newer (PyTorch 2.14's torch.optim has it, 2.6's not); the loaded libtorch is ${LIBTORCH_VERSION}`);
    }
    const o = muonArgs.parseNamed(args) as unknown as Required<MuonOptions> & { params: ParamsInput };
    const { lr, weight_decay, momentum, nesterov, ns_coefficients, eps, ns_steps, adjust_lr_fn } = o;
    checkHyper(lr >= 0, `Learning rate should be >= 0 but is: ${lr}`);
    checkHyper(momentum >= 0, `momentum should be >= 0 but is: ${momentum}`);
    checkHyper(weight_decay >= 0, `weight decay should be >= 0 but is: ${weight_decay}`);
    checkHyper(adjust_lr_fn === null || ADJUST_LR_FNS.includes(adjust_lr_fn), `Adjust learning rate function ${adjust_lr_fn} is not supported`);
    super(o.params, { lr, weight_decay, momentum, nesterov, ns_coefficients: [...ns_coefficients], eps, ns_steps, adjust_lr_fn }, MUON_HYPER);
    for (const group of this.param_groups) {
      for (const p of group.params) {
        checkHyper(p.ndim === 2, `Muon only supports 2D parameters whereas we found a parameter with size: ${p.size()}`);
      }
    }
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, weight_decay, momentum, nesterov, ns_coefficients, eps, ns_steps, adjust_lr_fn } = group;
    // Python gathers (and checks) every gradient before it updates any parameter.
    const stepped: Tensor[] = [];
    for (const param of group.params) {
      const grad = param.grad;
      if (grad === null) continue;
      if (param.is_complex()) throw new Error('Muon does not support complex parameters');
      if (isSparse(grad)) throw new Error('Muon does not support sparse gradients');
      const state = this.stateOf(param);
      // State outlives the step even when the step runs in torch.scope().
      if (state.momentum_buffer === undefined) state.momentum_buffer = keep(zeros_like(grad));
      stepped.push(param);
    }
    for (const param of stepped) {
      const grad = param.grad as Tensor;
      if (grad.ndim !== 2) throw new RangeError('Param gradient must be a 2D matrix');
      const buf: Tensor = this.stateOf(param).momentum_buffer;
      buf.lerp_(grad, 1 - momentum);
      let update = nesterov ? grad.lerp(buf, momentum) : buf;
      update = zeropowerViaNewtonSchulz(update, ns_coefficients as number[], ns_steps, eps);
      const adjusted = adjustLr(lr, adjust_lr_fn, [...param.shape]);
      param.mul_(1 - lr * weight_decay);
      param.add_(update, { alpha: -adjusted });
    }
  }
}
