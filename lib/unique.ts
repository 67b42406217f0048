// torch.unique and torch.unique_consecutive as Python's torch/functional.py
// defines them: the ATen operators always return (output, inverse, counts);
// Python returns the output alone, or with only the parts asked for.
import { PythonArgParser } from './_arg_parser';
import { aten } from './aten';
import type { Tensor } from './tensor';

const unique2 = aten('_unique2', '');
const uniqueDim = aten('unique_dim', '');
const uniqueConsecutive = aten('unique_consecutive', '');

const UNIQUE = new PythonArgParser(['unique(Tensor input, bool sorted=True, bool return_inverse=False, bool return_counts=False, int64_t? dim=None)']);
const UNIQUE_CONSECUTIVE = new PythonArgParser(['unique_consecutive(Tensor input, bool return_inverse=False, bool return_counts=False, int64_t? dim=None)']);

/** The options of torch.unique; with either flag true the result is a list. */
export interface UniqueOptions {
  sorted?: boolean;
  return_inverse?: boolean;
  return_counts?: boolean;
  dim?: number | null;
}

/** What Python returns: the output alone, or a tuple of it and the parts asked for. */
function pick([output, inverse, counts]: Tensor[], returnInverse: boolean, returnCounts: boolean): Tensor | Tensor[] {
  if (returnInverse && returnCounts) return [output, inverse, counts];
  if (returnInverse) return [output, inverse];
  if (returnCounts) return [output, counts];
  return output;
}

/**
 * torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): the distinct
 * elements (or, with dim, the distinct slices along dim); with return_inverse also where each input element
 * went in the output, and with return_counts how often each distinct value occurs.
 */
export function unique(input: Tensor, options?: UniqueOptions & { return_inverse?: false; return_counts?: false }): Tensor;
export function unique(input: Tensor, options: UniqueOptions): Tensor[];
export function unique(...args: unknown[]): Tensor | Tensor[] {
  const { input, sorted, return_inverse, return_counts, dim } = UNIQUE.parseNamed(args) as unknown as {
    input: Tensor; sorted: boolean; return_inverse: boolean; return_counts: boolean; dim: number | null;
  };
  const parts: Tensor[] = dim === null ? unique2(input, sorted, return_inverse, return_counts) : uniqueDim(input, dim, sorted, return_inverse, return_counts);
  return pick(parts, return_inverse, return_counts);
}

/** The options of torch.unique_consecutive; with either flag true the result is a list. */
export interface UniqueConsecutiveOptions {
  return_inverse?: boolean;
  return_counts?: boolean;
  dim?: number | null;
}

/**
 * torch.unique_consecutive(input, return_inverse=False, return_counts=False, dim=None): input with each run
 * of equal consecutive elements (or slices along dim) kept once; return_inverse and return_counts as in
 * unique, counting run lengths.
 */
export function unique_consecutive(input: Tensor, options?: UniqueConsecutiveOptions & { return_inverse?: false; return_counts?: false }): Tensor;
export function unique_consecutive(input: Tensor, options: UniqueConsecutiveOptions): Tensor[];
export function unique_consecutive(...args: unknown[]): Tensor | Tensor[] {
  const { input, return_inverse, return_counts, dim } = UNIQUE_CONSECUTIVE.parseNamed(args) as unknown as {
    input: Tensor; return_inverse: boolean; return_counts: boolean; dim: number | null;
  };
  return pick(uniqueConsecutive(input, return_inverse, return_counts, dim), return_inverse, return_counts);
}
