// What Module.zero_grad and Optimizer.zero_grad both do to each parameter.
import { libtorchAtLeast } from '../_libtorch_version';
import type { Tensor } from '../tensor';

/**
 * zero_grad's default set_to_none in the PyTorch whose libtorch is loaded:
 * True from 2.0, False before (1.13 zeroes gradients, so a parameter a step
 * does not use still moves under momentum, as Python's does there).
 */
export const SET_TO_NONE_DEFAULT = libtorchAtLeast(2) ? 'True' : 'False';

/** Drops (set_to_none) or zeroes each tensor's gradient, detaching it from any graph first, as PyTorch does. */
export function zeroGradients(params: Iterable<Tensor>, set_to_none: boolean): void {
  for (const p of params) {
    if (set_to_none) {
      // Dropping a gradient that is not there changes nothing, so the
      // gradient is not read: reading it makes a handle on it.
      p.grad = null;
      continue;
    }
    const g = p.grad;
    if (g === null) continue;
    if (g.grad_fn !== null) g.detach_();
    else g.requires_grad_(false);
    g.zero_();
    // g is a handle made just now for this loop (each .grad read makes one);
    // left to GC it would hold its reference to the gradient until the next
    // collection.
    g.dispose();
  }
}
