// torch.scope(fn): frees, when fn returns, every tensor made while it ran,
// except those it returns. Nothing like it exists in Python, where reference
// counting frees at once; in JS it gives deterministic freeing without
// calling dispose() on each intermediate.
import { native } from './native';
import { Tensor } from './tensor';

function collectTensors(value: unknown, out: Tensor[], seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, out, seen);
  } else if (value instanceof Map) {
    for (const v of value.values()) collectTensors(v, out, seen);
  } else {
    for (const v of Object.values(value)) collectTensors(v, out, seen);
  }
}

export function scope<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('scope(fn): fn must be a function');
  const depth = native.scopeEnter();
  let keep: Tensor[] = [];
  try {
    const result = fn();
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      throw new TypeError('scope(fn): fn must be synchronous; tensors made after an await cannot be tracked');
    }
    collectTensors(result, keep, new Set());
    return result;
  } catch (err) {
    keep = [];
    throw err;
  } finally {
    native.scopeExit(depth, keep);
  }
}

/**
 * Takes a tensor out of every torch.scope() around it, so that it outlives
 * them (as tfjs's tf.keep): for state kept across steps that a step may make
 * inside a scope, such as an optimizer's moments. Returns the tensor.
 */
export function keep<T extends Tensor>(tensor: T): T {
  if (!(tensor instanceof Tensor)) throw new TypeError(`keep(tensor): expected a Tensor, got ${tensor === null ? 'null' : typeof tensor}`);
  return native.scopeKeep(tensor);
}
