// The version of the libtorch the addon was built against, and so the one it
// runs with (the addon links that libtorch's own sonames): what lib/ asks
// where PyTorch's Python layer itself differs between versions (the op
// table, an optimizer's algorithm).
import { native } from './native';

/** torch/version.h's TORCH_VERSION of the libtorch built against: "1.13.1", "2.6.0". */
export const LIBTORCH_VERSION: string = native.buildInfo().libtorch;

const [major, minor] = LIBTORCH_VERSION.split('.').map(Number);

/** Whether the libtorch is version major.minor or newer. */
export function libtorchAtLeast(atLeastMajor: number, atLeastMinor = 0): boolean {
  return major > atLeastMajor || (major === atLeastMajor && minor >= atLeastMinor);
}
