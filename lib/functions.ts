// Module-level functions written by hand; every other torch.* function is generated (lib/_generated/torch_functions.ts).
import { PythonArgParser } from './_arg_parser';
import { aten } from './aten';
import type { Tensor } from './tensor';

// python_torch_functions_manual.cpp's hand-written functions.
const NONZERO = new PythonArgParser(['nonzero(Tensor input, *, bool as_tuple=False, Tensor? out=None)']);
const nonzeroOut = aten('nonzero', 'out');
const NUMEL = new PythonArgParser(['numel(Tensor input)']);
const GET_DEVICE = new PythonArgParser(['get_device(Tensor input)']);

/**
 * torch.nonzero(input, *, out=None, as_tuple=False): the indices of the nonzero elements, as an int64 tensor
 * of shape (n, input.ndim), one row per element in row-major order; with as_tuple, one 1-D tensor of indices
 * per dimension (what `x[indices]` takes).
 */
export function nonzero(input: Tensor, options?: { as_tuple?: false; out?: Tensor | null }): Tensor;
export function nonzero(input: Tensor, options: { as_tuple: true }): Tensor[];
export function nonzero(...args: unknown[]): Tensor | Tensor[] {
  const { input, as_tuple, out } = NONZERO.parseNamed(args) as unknown as { input: Tensor; as_tuple: boolean; out: Tensor | null };
  if (out !== null) {
    if (as_tuple) throw new TypeError('nonzero(): as_tuple is not supported with out=');
    return nonzeroOut(input, out);
  }
  return as_tuple ? input.nonzero({ as_tuple: true }) : input.nonzero();
}

/** torch.numel(input): the number of elements. */
export function numel(input: Tensor): number {
  return (NUMEL.parseNamed(Array.prototype.slice.call(arguments)).input as Tensor).numel();
}

/** torch.get_device(input): the CUDA device index the data is on, -1 for the CPU. */
export function get_device(input: Tensor): number {
  return (GET_DEVICE.parseNamed(Array.prototype.slice.call(arguments)).input as Tensor).get_device();
}
// torch/functional.py's functions (lib/functional.ts), exported from here so that the generator leaves their names out.
export {
  align_tensors,
  atleast_1d,
  atleast_2d,
  atleast_3d,
  block_diag,
  broadcast_shapes,
  broadcast_tensors,
  cartesian_prod,
  cdist,
  chain_matmul,
  einsum,
  lu,
  meshgrid,
  norm,
  split,
  stft,
  tensordot,
  unique,
  unique_consecutive,
  type NormOptions,
  type StftOptions,
  type UniqueOptions,
  type UniqueConsecutiveOptions,
} from './functional';

// Python's other names for generated functions (python_torch_functions.cpp binds them to the same code,
// whose messages name mm, hspmm and sspaddmm).
export { mm as dsmm, mm as spmm, hspmm as hsmm, sspaddmm as saddmm } from './_generated/torch_functions';

// lib/utils/data's collate reads stack from here.
export { stack } from './_generated/torch_functions';
