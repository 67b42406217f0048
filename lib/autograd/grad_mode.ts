// torch.no_grad / enable_grad / set_grad_enabled: as a callback scope
// (`no_grad(() => ...)`) or as a guard with `using` (`using _ = no_grad()`).
import { native } from '../native';

export class GradModeGuard {
  private readonly previous: boolean;
  private restored = false;

  constructor(mode: boolean) {
    this.previous = native.isGradEnabled();
    native.setGradEnabled(mode);
  }

  /** Restores the grad mode that was in force before this guard. */
  exit(): void {
    if (this.restored) return;
    this.restored = true;
    native.setGradEnabled(this.previous);
  }

  [Symbol.dispose](): void {
    this.exit();
  }
}

const AsyncFunction = (async () => {}).constructor;

/**
 * Why an async callback is refused: grad mode is libtorch's per-thread flag,
 * and every async task of this thread shares it. Restored when the callback
 * returns its promise (at its first await), the rest of the callback ran with
 * gradients on; left set until the promise settles, it would turn them off
 * for whatever else runs in between. Neither is what Python's `with` means.
 */
function asyncRefusal(name: string): TypeError {
  return new TypeError(
    `${name}(fn): fn is asynchronous, but grad mode is per thread, not per async task: it cannot hold across an await. ` +
      `Use \`using _ = torch.${name}()\` (or ${name}(() => ...)) around the synchronous code between awaits instead`,
  );
}

function withMode<T>(mode: boolean, fn: () => T): T {
  const name = mode ? 'enable_grad' : 'no_grad';
  if (typeof fn !== 'function') throw new TypeError(`${name}(fn): fn must be a function, got ${typeof fn}`);
  if (fn instanceof AsyncFunction) throw asyncRefusal(name);
  const guard = new GradModeGuard(mode);
  let result: T;
  try {
    result = fn();
  } finally {
    guard.exit();
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    // The caller is told now; the abandoned promise must not also end the process as an unhandled rejection.
    (result as unknown as Promise<unknown>).then(undefined, () => {});
    throw asyncRefusal(name);
  }
  return result;
}

export function no_grad(): GradModeGuard;
export function no_grad<T>(fn: () => T): T;
export function no_grad<T>(fn?: () => T): T | GradModeGuard {
  return fn === undefined ? new GradModeGuard(false) : withMode(false, fn);
}

export function enable_grad(): GradModeGuard;
export function enable_grad<T>(fn: () => T): T;
export function enable_grad<T>(fn?: () => T): T | GradModeGuard {
  return fn === undefined ? new GradModeGuard(true) : withMode(true, fn);
}

export function set_grad_enabled(mode: boolean): GradModeGuard {
  if (typeof mode !== 'boolean') throw new TypeError(`set_grad_enabled(mode): mode must be a boolean, got ${typeof mode}`);
  return new GradModeGuard(mode);
}

export function is_grad_enabled(): boolean {
  return native.isGradEnabled();
}

/**
 * The guard form of torch.inference_mode: `using _ = torch.inference_mode()`
 * (or exit() by hand), as Python's `with torch.inference_mode():`. Guards
 * must end in the reverse order of their making, as `using` ends them.
 */
export class InferenceModeGuard {
  private readonly handle: object;

  constructor(mode: boolean) {
    this.handle = native.inferenceModeEnter(mode);
  }

  /** Restores the modes in force before this guard; a second exit() does nothing. */
  exit(): void {
    native.inferenceModeExit(this.handle);
  }

  [Symbol.dispose](): void {
    this.exit();
  }
}

/**
 * Python's torch.inference_mode: libtorch's InferenceMode (mode true, the
 * default), under which tensors made are inference tensors, with no
 * autograd, version counter or view tracking; mode false turns it off
 * inside an enclosing one. As a callback scope, `inference_mode(fn)` or
 * `inference_mode(false, fn)`, or as a guard, `using _ = inference_mode()`.
 */
export function inference_mode(mode?: boolean): InferenceModeGuard;
export function inference_mode<T>(fn: () => T): T;
export function inference_mode<T>(mode: boolean, fn: () => T): T;
export function inference_mode<T>(modeOrFn?: boolean | (() => T), maybeFn?: () => T): T | InferenceModeGuard {
  if (arguments.length > 2) throw new TypeError(`inference_mode() takes at most 2 arguments (${arguments.length} given)`);
  const [mode, fn] = typeof modeOrFn === 'function' ? [true, modeOrFn] : [modeOrFn ?? true, maybeFn];
  if (typeof mode !== 'boolean') throw new TypeError(`inference_mode(mode, fn): mode must be a boolean, got ${typeof mode}`);
  if (fn === undefined) return new InferenceModeGuard(mode);
  if (typeof fn !== 'function') throw new TypeError(`inference_mode(mode, fn): fn must be a function, got ${typeof fn}`);
  if (fn instanceof AsyncFunction) throw asyncRefusal('inference_mode');
  const result = native.inferenceMode(mode, fn);
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    (result as unknown as Promise<unknown>).then(undefined, () => {});
    throw asyncRefusal('inference_mode');
  }
  return result;
}

/** Python's torch.is_inference_mode_enabled(). */
export function is_inference_mode_enabled(): boolean {
  return native.isInferenceModeEnabled();
}
