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

function withMode<T>(mode: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`${mode ? 'enable_grad' : 'no_grad'}(fn): fn must be a function, got ${typeof fn}`);
  const guard = new GradModeGuard(mode);
  try {
    return fn();
  } finally {
    guard.exit();
  }
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
