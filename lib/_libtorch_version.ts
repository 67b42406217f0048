// The version of the libtorch the addon was built against, and so the one it
// runs with (the addon links that libtorch's own sonames): what lib/ asks
// where PyTorch's Python layer itself differs between versions (the op
// table, an optimizer's algorithm).
import { readFileSync } from 'node:fs';

import { native } from './native';

/** torch/version.h's TORCH_VERSION of the libtorch built against: "1.13.1", "2.6.0". */
export const LIBTORCH_VERSION: string = native.buildInfo().libtorch;

const [major, minor] = LIBTORCH_VERSION.split('.').map(Number);

/** Whether the libtorch is version major.minor or newer. */
export function libtorchAtLeast(atLeastMajor: number, atLeastMinor = 0): boolean {
  return major > atLeastMajor || (major === atLeastMajor && minor >= atLeastMinor);
}

/**
 * The Python environment the loaded libtorch comes from, where it is a Python
 * package's (pip's torch/lib, in a virtual environment or not): the
 * environment's folder and its CPython's minor version, which what Python
 * itself words follows (CPython 3.13 suggests a keyword: "Did you mean
 * 'alpha'?"; 3.11 and 3.12 do not). Null for a system libtorch, whose Python
 * is Debian's (1.13 with CPython 3.11, 2.6 and 2.14 with 3.13). Read from
 * what this process mapped, so it is the library really loaded.
 */
export const LIBTORCH_PYTHON_ENV: { readonly prefix: string; readonly pythonMinor: number } | null = (() => {
  let maps: string;
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return null;
  }
  const m = /\s(\/\S*?)\/lib\/python3\.(\d+)\/(?:site|dist)-packages\/torch\/lib\/libtorch_cpu\.so/.exec(maps);
  return m ? { prefix: m[1], pythonMinor: Number(m[2]) } : null;
})();
