// The default generators, seeded as torch.manual_seed seeds them (CPU and
// every CUDA device), so the same seed draws Python's numbers.
import { native } from './native';

export function manual_seed(seed: number | bigint): void {
  native.manualSeed(seed);
}

export function initial_seed(): number {
  return native.initialSeed();
}
