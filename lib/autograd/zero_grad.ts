// What Module.zero_grad and Optimizer.zero_grad both do to each parameter.
import type { Tensor } from '../tensor';

/** Drops (set_to_none) or zeroes each tensor's gradient, detaching it from any graph first, as PyTorch does. */
export function zeroGradients(params: Iterable<Tensor>, set_to_none: boolean): void {
  for (const p of params) {
    const g = p.grad;
    if (g === null) continue;
    if (set_to_none) {
      p.grad = null;
    } else {
      if (g.grad_fn !== null) g.detach_();
      else g.requires_grad_(false);
      g.zero_();
    }
    // g is a handle made just now for this loop (each .grad read makes one):
    // left to GC it would keep a dropped gradient alive until the next
    // collection, so every step's backward would write into fresh memory.
    g.dispose();
  }
}
