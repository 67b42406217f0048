// Module-level functions written by hand; every other torch.* function is generated (lib/_generated/torch_functions.ts).
import { _C } from './_C';
import type { Tensor } from './tensor';

/**
 * Python's torch.nn.functional.one_hot: for an int64 tensor of class indices of shape S, an int64 tensor of
 * shape (*S, num_classes) with 1 at each index and 0 elsewhere; num_classes -1 means one more than the
 * largest index.
 */
export const one_hot = (input: Tensor, num_classes = -1): Tensor => _C.one_hot(input, num_classes);
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

// lib/utils/data's collate reads stack from here.
export { stack } from './_generated/torch_functions';
