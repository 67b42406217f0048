// torch.backends.mkldnn: whether libtorch's CPU convolutions may run oneDNN
// (formerly MKL-DNN). oneDNN picks its kernels by CPU (AVX2, AVX-512, ...)
// and by cache sizes, so the same convolution can end a few ulps apart on two
// machines; turned off, they run ATen's own im2col + BLAS path instead, whose
// sums follow the BLAS kernels alone. Python's torch/backends/mkldnn.
import { native } from '../native';

/** The module object, as Python's is one: `torch.backends.mkldnn.enabled = false` sets it for the process. */
class MkldnnBackend {
  /** Whether this libtorch was built with oneDNN (Python's `is_available()`). */
  is_available(): boolean {
    return native.mkldnnIsAvailable();
  }

  /** Python's `torch.backends.mkldnn.enabled`. */
  get enabled(): boolean {
    return native.mkldnnEnabled();
  }

  set enabled(value: boolean) {
    if (typeof value !== 'boolean') throw new TypeError(`torch.backends.mkldnn.enabled must be a boolean, not ${typeof value}`);
    native.setMkldnnEnabled(value);
  }

  /**
   * Python's `with torch.backends.mkldnn.flags(enabled=False): ...`: runs fn
   * with oneDNN enabled or not, and puts the setting back after, also when
   * fn throws.
   */
  flags<T>(enabled: boolean, fn: () => T): T {
    if (typeof enabled !== 'boolean') throw new TypeError(`torch.backends.mkldnn.flags(enabled, fn): enabled must be a boolean, not ${typeof enabled}`);
    if (typeof fn !== 'function') throw new TypeError(`torch.backends.mkldnn.flags(enabled, fn): fn must be a function, not ${typeof fn}`);
    const before = native.mkldnnEnabled();
    native.setMkldnnEnabled(enabled);
    try {
      return fn();
    } finally {
      native.setMkldnnEnabled(before);
    }
  }
}

export const mkldnn = new MkldnnBackend();
