// Gradient hooks (Python's Tensor.register_hook). libtorch holds each hook
// as an id (native/autograd.cc); the functions stay here, found by id when
// the engine runs one, and forgotten once libtorch reports the hook dropped.
import { native } from '../native';
import type { Tensor } from '../tensor';

export type GradHook = (grad: Tensor) => Tensor | null | undefined | void;

const hooks = new Map<number, GradHook>();

native.setHookDispatcher((id: number, grad: Tensor) => {
  const hook = hooks.get(id);
  return hook === undefined ? undefined : hook(grad);
});

/**
 * Python's torch.utils.hooks.RemovableHandle: remove() unregisters the hook
 * (a tensor's gradient hook or a module's hook); a second remove() does nothing.
 */
export class RemovableHandle {
  private removed = false;

  constructor(
    private readonly remover: () => void,
    readonly id: number,
  ) {}

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    this.remover();
  }

  /** `using handle = module.register_forward_hook(...)`: removed at the end of the scope, as Python's `with handle:`. */
  [Symbol.dispose](): void {
    this.remove();
  }
}

let nextModuleHookId = 0;

/** The id of a module hook's handle: one counter for all of them, as Python's RemovableHandle.next_id. */
export function nextHandleId(): number {
  return nextModuleHookId++;
}

export function registerHook(tensor: Tensor, hook: GradHook): RemovableHandle {
  if (typeof hook !== 'function') throw new TypeError(`register_hook(): hook must be a function, got ${typeof hook}`);
  // Python's own check and words (libtorch's says "variable").
  if (!tensor.requires_grad) throw new Error("register_hook(): cannot register a hook on a tensor that doesn't require gradient");
  for (const id of native.takeDeadHooks()) hooks.delete(id);
  const id = native.registerHook(tensor);
  hooks.set(id, hook);
  return new RemovableHandle(() => {
    if (hooks.delete(id) && !tensor.is_disposed) native.removeHook(tensor, id);
  }, id);
}
