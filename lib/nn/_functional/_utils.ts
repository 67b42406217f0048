// What the parts of nn.functional share: the binder of one Python def with
// its typed call forms, and Python's _Reduction helpers.
import type { Tensor } from '../../tensor';
import { def_, type PyArgs } from '../modules/utils';

export type { PyArgs };

/** A Python function's call forms: required positionals, optional positionals, keywords by name. */
export type PyFn<Req extends unknown[], Opt extends unknown[], K, R = Tensor> = (...args: PyArgs<Req, Opt, K>) => R;

/**
 * A Python def: `pyfn('elu(Tensor input, float alpha=1.0, bool inplace=False)', (a) => ...)`
 * binds each call by Python's rules (the signature parsed once) and hands the
 * body the values by name, defaults filled in.
 */
export function pyfn<K, R = Tensor>(signature: string, body: (a: K) => R): (...args: unknown[]) => R {
  const bind = def_<K>(signature);
  return (...args: unknown[]) => body(bind(args));
}

export type Reduction = 'none' | 'mean' | 'sum';

/** Python's _Reduction.get_enum. */
export function reductionEnum(reduction: string): number {
  switch (reduction) {
    case 'none': return 0;
    case 'mean': return 1;
    case 'sum': return 2;
    default: throw new RangeError(`${String(reduction)} is not a valid value for reduction`);
  }
}

/** Python's _Reduction.legacy_get_string, with its warning. */
export function legacyGetString(size_average: boolean | null, reduce: boolean | null): Reduction {
  const sizeAverage = size_average ?? true;
  const doReduce = reduce ?? true;
  const reduction: Reduction = sizeAverage && doReduce ? 'mean' : doReduce ? 'sum' : 'none';
  process.emitWarning(`size_average and reduce args will be deprecated, please use reduction='${reduction}' instead.`, 'UserWarning');
  return reduction;
}

/**
 * Python's _Reduction.legacy_get_string, where either deprecated keyword is
 * given, else reduction as given; either way the result is checked.
 */
export function _reduction(size_average: boolean | null, reduce: boolean | null, reduction: string): Reduction {
  if (size_average !== null || reduce !== null) reduction = legacyGetString(size_average, reduce);
  reductionEnum(reduction);
  return reduction as Reduction;
}

/** The enum a loss passes to ATen: legacy_get_enum where a deprecated keyword is given, else get_enum. */
export function reductionOf(size_average: boolean | null, reduce: boolean | null, reduction: string): number {
  return reductionEnum(size_average !== null || reduce !== null ? legacyGetString(size_average, reduce) : reduction);
}

/** The deprecated keywords every loss of Python's still takes. */
export interface LegacyReductionKwargs {
  size_average?: boolean | null;
  reduce?: boolean | null;
  reduction?: Reduction;
}

/** Python's torch.Size repr: `torch.Size([2, 3])`. */
export function sizeRepr(t: Tensor): string {
  return `torch.Size([${[...t.shape].join(', ')}])`;
}

/** Whether two tensors have the same size (Python's `a.size() == b.size()`). */
export function sameSize(a: Tensor, b: Tensor): boolean {
  return a.ndim === b.ndim && [...a.shape].every((d, i) => d === b.shape[i]);
}

const warned = new Set<string>();

/** Python's warnings.warn (UserWarning): shown once, as Python's default filter shows a warning once per place. */
export function warn(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, 'UserWarning');
}
