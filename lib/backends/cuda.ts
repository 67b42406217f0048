// torch.backends.cuda: what CUDA the libtorch loaded was built with.
import { native } from '../native';

/** Whether this libtorch was built with CUDA, whether or not a GPU is there (Python's `is_built()`). */
export function is_built(): boolean {
  return native.cudaState()[0];
}
