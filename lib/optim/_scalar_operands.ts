// Hyperparameters as 0-dim tensors of the parameters' own dtype, for the
// optimizers' _foreach_ ops.
//
// ATen turns a number operand (`exp_avg.mul_(beta1)`) into a double "wrapped
// number" tensor and casts it to the parameter's dtype on every call: one
// to() (an allocation and a copy) per tensor per op, about a tenth of an
// Adam step on the CPU. A 0-dim tensor that already has the parameter's dtype
// holds exactly what that cast would produce and the kernel reads it the same
// way, so the results are the same bits, without the cast. This holds for
// float32 and float64 on the CPU; reduced-precision kernels read a number
// operand in float32 rather than in the tensor's dtype, so other dtypes and
// devices keep the number operands.
import { float32, float64, type dtype } from '../dtype';
import { native } from '../native';
import { tensor } from '../factories';
import { keep } from '../scope';
import type { Tensor } from '../tensor';

// Hyperparameters rarely change; a schedule that changes one every step
// should not grow the cache without bound.
const MAX_CACHED = 32;

export class ScalarOperands {
  private readonly cache = new Map<string, Tensor>();

  /** A 0-dim CPU tensor of `dtype` holding `value` (cast as ATen casts a number). */
  of(value: number, type: dtype): Tensor {
    const key = `${type._code}:${value}`;
    let t = this.cache.get(key);
    if (t === undefined) {
      if (this.cache.size >= MAX_CACHED) this.clear();
      // Kept out of any torch.scope() the step runs in: the cache outlives it.
      t = keep(tensor(value, { dtype: type }));
      this.cache.set(key, t);
    }
    return t;
  }

  /** The same operand for each of n tensors, for a _foreach_ List op. */
  list(value: number, type: dtype, n: number): Tensor[] {
    const t = this.of(value, type);
    return Array.from({ length: n }, () => t);
  }

  clear(): void {
    for (const t of this.cache.values()) t.dispose();
    this.cache.clear();
  }
}

function cpuFloatDtype(t: Tensor): dtype | null {
  const code = native.scalarType(t);
  if (code !== float32._code && code !== float64._code) return null;
  if (native.device(t) !== 'cpu') return null;
  return code === float32._code ? float32 : float64;
}

/** The one dtype `typeOf` gives every tensor; null when it gives null for one, or two differ. */
function sharedBy(tensors: Tensor[], typeOf: (t: Tensor) => dtype | null): dtype | null {
  let shared: dtype | null = null;
  for (const t of tensors) {
    const type = typeOf(t);
    if (type === null || (shared !== null && type !== shared)) return null;
    shared = type;
  }
  return shared;
}

/** The dtype all of `tensors` share when it is float32 or float64 and all are on the CPU; otherwise null. */
export function sharedCpuFloatDtype(tensors: Tensor[]): dtype | null {
  return sharedBy(tensors, cpuFloatDtype);
}

// An optimizer's state tensors keep their dtype and device for their whole
// life (the optimizer makes them, or load_state_dict makes new ones), so
// each is looked at once; asking libtorch again for every tensor on every
// step cost more than the casts it saves.
const stateTypes = new WeakMap<Tensor, dtype | null>();

/** cpuFloatDtype for an optimizer state tensor, remembered per tensor. */
export function stateDtype(t: Tensor): dtype | null {
  let type = stateTypes.get(t);
  if (type === undefined) {
    type = cpuFloatDtype(t);
    stateTypes.set(t, type);
  }
  return type;
}

/** sharedCpuFloatDtype for optimizer state tensors, remembered per tensor. */
export function sharedStateDtype(tensors: Tensor[]): dtype | null {
  return sharedBy(tensors, stateDtype);
}
