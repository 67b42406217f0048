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
import { _C } from '../_C';
import { float32, float64, type dtype } from '../dtype';
import { native } from '../native';
import { tensor } from '../factories';
import { keep } from '../scope';
import type { Tensor } from '../tensor';

// Hyperparameters rarely change; a schedule that changes one every step
// should not grow the cache without bound.
const MAX_CACHED = 32;

export class ScalarOperands {
  // Keyed by dtype, then by the number itself: a string key cost a
  // number-to-string conversion and a hash on every lookup, every step.
  private readonly cache = new Map<dtype, Map<number | '-0', CachedOperand>>();
  private size = 0;
  private readonly varying = new Map<dtype, Map<string, CachedOperand & { value: number }>>();

  /** A 0-dim CPU tensor of `dtype` holding `value` (cast as ATen casts a number). */
  of(value: number, type: dtype): Tensor {
    return this.entry(value, type).tensor;
  }

  /**
   * The same operand for each of n tensors, for a _foreach_ List op. The
   * array is cached with the operand and only ever read by the native call,
   * so a step builds no array.
   */
  list(value: number, type: dtype, n: number): Tensor[] {
    const entry = this.entry(value, type);
    let list = entry.lists.get(n);
    if (list === undefined) {
      list = new Array<Tensor>(n).fill(entry.tensor);
      entry.lists.set(n, list);
    }
    return list;
  }

  /**
   * list(value, type, n) for a value that changes from step to step (Adam's
   * bias correction): one 0-dim tensor per name and dtype, filled with the
   * value in place when it changes, so that the cache of constants above
   * does not churn. fill_ casts the number as ATen casts a number operand.
   */
  refilled(name: string, value: number, type: dtype, n: number): Tensor[] {
    let byName = this.varying.get(type);
    if (byName === undefined) {
      byName = new Map();
      this.varying.set(type, byName);
    }
    let entry = byName.get(name);
    if (entry === undefined) {
      entry = { tensor: keep(tensor(value, { dtype: type })), lists: new Map(), value };
      byName.set(name, entry);
    } else if (!Object.is(entry.value, value)) {
      _C.fill_(entry.tensor, value);
      entry.value = value;
    }
    let list = entry.lists.get(n);
    if (list === undefined) {
      list = new Array<Tensor>(n).fill(entry.tensor);
      entry.lists.set(n, list);
    }
    return list;
  }

  clear(): void {
    this.clearConstants();
    for (const byName of this.varying.values()) for (const entry of byName.values()) entry.tensor.dispose();
    this.varying.clear();
  }

  private clearConstants(): void {
    for (const byValue of this.cache.values()) for (const entry of byValue.values()) entry.tensor.dispose();
    this.cache.clear();
    this.size = 0;
  }

  private entry(value: number, type: dtype): CachedOperand {
    // A Map takes -0 for 0, and the two operands give different bits.
    const key = Object.is(value, -0) ? '-0' : value;
    const found = this.cache.get(type)?.get(key);
    if (found !== undefined) return found;
    if (this.size >= MAX_CACHED) this.clearConstants();
    let byValue = this.cache.get(type);
    if (byValue === undefined) {
      byValue = new Map();
      this.cache.set(type, byValue);
    }
    // Kept out of any torch.scope() the step runs in: the cache outlives it.
    const entry: CachedOperand = { tensor: keep(tensor(value, { dtype: type })), lists: new Map() };
    byValue.set(key, entry);
    this.size++;
    return entry;
  }
}

interface CachedOperand {
  tensor: Tensor;
  /** `list(value, type, n)` by n. */
  lists: Map<number, Tensor[]>;
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
