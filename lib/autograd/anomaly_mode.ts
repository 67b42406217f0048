// Anomaly detection, after torch/autograd/anomaly_mode.py (1.13): libtorch's
// AnomalyMode flag, under which the engine checks every node's gradients for
// NaN ("Function 'MulBackward0' returned nan values in its 0th output.").
// The flag is process-wide, in libtorch as in Python.
import { native } from '../native';

/** Python's torch.is_anomaly_enabled(). */
export function is_anomaly_enabled(): boolean {
  return native.anomalyState()[0];
}

/** Python's torch.is_anomaly_check_nan_enabled(). */
export function is_anomaly_check_nan_enabled(): boolean {
  return native.anomalyState()[1];
}

let warned = false;

// Python's warnings.warn under its default filter: shown once per place; here, once.
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  process.emitWarning(message, 'UserWarning');
}

function checkBool(fn: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${fn}(): argument '${name}' must be bool, not ${v === null ? 'None' : typeof v}`);
  return v;
}

/**
 * Python's torch.autograd.detect_anomaly as a callback scope:
 * `detect_anomaly(() => loss.backward())` or `detect_anomaly(check_nan, fn)`.
 * Backward then fails where a node returns NaN, naming the node.
 */
export function detect_anomaly<T>(fn: () => T): T;
export function detect_anomaly<T>(check_nan: boolean, fn: () => T): T;
export function detect_anomaly<T>(a: boolean | (() => T), b?: () => T): T {
  if (arguments.length > 2) throw new TypeError(`detect_anomaly() takes at most 2 arguments (${arguments.length} given)`);
  const [checkNan, fn] = typeof a === 'function' ? [true, a] : [checkBool('detect_anomaly', 'check_nan', a), b];
  if (typeof fn !== 'function') throw new TypeError(`detect_anomaly(fn): fn must be a function, got ${fn === null ? 'null' : typeof fn}`);
  warnOnce('Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.');
  const [prev, prevCheckNan] = native.anomalyState();
  native.setAnomalyEnabled(true, checkNan);
  try {
    return fn();
  } finally {
    native.setAnomalyEnabled(prev, prevCheckNan);
  }
}

/**
 * Python's torch.autograd.set_detect_anomaly(mode, check_nan=True): takes
 * effect at once; the returned guard's exit() (or `using`) restores the
 * previous setting, as leaving Python's `with` block does.
 */
export class set_detect_anomaly {
  private readonly prev: boolean;
  private readonly prevCheckNan: boolean;
  private done = false;

  constructor(mode: boolean, check_nan = true) {
    checkBool('set_detect_anomaly', 'mode', mode);
    checkBool('set_detect_anomaly', 'check_nan', check_nan);
    [this.prev, this.prevCheckNan] = native.anomalyState();
    native.setAnomalyEnabled(mode, check_nan);
  }

  exit(): void {
    if (this.done) return;
    this.done = true;
    native.setAnomalyEnabled(this.prev, this.prevCheckNan);
  }

  [Symbol.dispose](): void {
    this.exit();
  }
}
