// The default generators, seeded as torch.manual_seed seeds them (CPU and
// every CUDA device), so the same seed draws Python's numbers; and their
// states, saved and restored as Python's torch.random does.
import * as cuda from './cuda';
import { native } from './native';
import { setGeneratorState } from './generator';
import type { Tensor } from './tensor';

export function manual_seed(seed: number | bigint): void {
  native.manualSeed(seed);
}

/**
 * Seeds the default CPU generator with a nondeterministic seed (from the
 * OS), and every CUDA device's with the same, and gives it (Python's
 * torch.seed(); a BigInt, as seeds pass 2^53).
 */
export function seed(): bigint {
  const drawn: bigint = native.generatorSeed(native.generatorDefault());
  cuda.manual_seed_all(drawn);
  return drawn;
}

export function initial_seed(): number {
  return native.initialSeed();
}

/**
 * The default CPU generator's state as a uint8 tensor (5056 bytes: the
 * Mersenne Twister's words, its position and the cached normal draws), which
 * set_rng_state takes back; the same bytes as Python's get_rng_state() at the
 * same point, so a state saved by either continues in the other.
 */
export function get_rng_state(): Tensor {
  return native.generatorGetState(native.generatorDefault());
}

/** The default CPU generator continues from new_state (what get_rng_state gave, here or in Python). */
export function set_rng_state(new_state: Tensor): void {
  setGeneratorState(native.generatorDefault(), new_state, 'torch.set_rng_state()');
}

/**
 * Python's `with torch.random.fork_rng(devices=None, enabled=True):` as a
 * function: runs fn, then puts back the CPU generator's state and each
 * listed CUDA device's (all of them by default) as they were before, also
 * when fn throws; a Promise fn is awaited first. With enabled false, fn just runs.
 */
export function fork_rng<T>(fn: () => T, options: { devices?: Iterable<number> | null; enabled?: boolean } = {}): T {
  const { devices = null, enabled = true } = options;
  if (typeof fn !== 'function') throw new TypeError(`torch.random.fork_rng(): the first argument must be a function, got ${typeof fn}`);
  if (!enabled) return fn();
  const cudaDevices = devices === null ? Array.from({ length: cuda.device_count() }, (_, i) => i) : [...devices];
  const cpuState = get_rng_state();
  const cudaStates = cudaDevices.map((d) => cuda.get_rng_state(d));
  const restore = (): void => {
    set_rng_state(cpuState);
    cudaDevices.forEach((d, i) => cuda.set_rng_state(cudaStates[i], d));
  };
  let result: T;
  try {
    result = fn();
  } catch (err) {
    restore();
    throw err;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
