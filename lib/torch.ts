// Everything `torch` holds; index.ts exports it both by name and as default.
import * as autograd from './autograd';
import * as backends from './backends';
import * as cuda from './cuda';
import * as distributed from './distributed';
import * as nn from './nn';
import * as optim from './optim';
import * as utils from './utils';
import * as jit from './jit';
import * as multiprocessing from './multiprocessing';
import { native } from './native';
import * as fft from './_generated/fft';
import * as linalg from './_generated/linalg';
import * as _nn from './_generated/nn';
import * as special from './_generated/special';

export * from './dtype';
export { device, type DeviceLike } from './device';
export * from './layout';
export { Size } from './size';
export { Tensor, Node, type Scalar, type TensorOrScalar, type NestedNumbers } from './tensor';
export { NamedTensorTuple, type ValuesIndices } from './return_types';
export * from './factories';
export * from './functions';
export * from './_generated/torch_functions';
export { manual_seed, initial_seed, seed, get_rng_state, set_rng_state } from './random';
export * as random from './random';
export { Generator, default_generator } from './generator';
export { no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode, is_inference_mode_enabled } from './autograd/grad_mode';
export { is_anomaly_enabled, is_anomaly_check_nan_enabled } from './autograd/anomaly_mode';
export { set_printoptions, get_printoptions, type PrintOptions } from './_tensor_str';
export { slice, Slice, type Index } from './indexing';
export { keep, scope } from './scope';
export { save, load, type LoadOptions } from './serialization';
export { ops } from './ops';
export { autograd, backends, cuda, distributed, jit, multiprocessing, nn, optim, utils, fft, linalg, special };

/** Python's torch._C: here only `_nn`, the ATen operators that torch.nn.functional calls. */
export const _C = { _nn };

export function is_tensor(obj: unknown): boolean {
  return native.isTensor(obj);
}

export function get_num_threads(): number {
  return native.getNumThreads();
}

export function set_num_threads(n: number): void {
  native.setNumThreads(n);
}

/** Which libtorch this build runs on, and how it was configured (BLAS, OpenMP). */
export function build_info(): { libtorch: string; cxx11_abi: boolean; config: string; parallel: string } {
  return native.buildInfo();
}
