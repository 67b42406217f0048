// Argument helpers shared by nn modules and nn.functional, after
// torch/nn/modules/utils.py (_single, _pair, _triple) and Python's own
// binding of a call's arguments to a def's parameters.
import { PYTHON_DEFS_SUGGEST_KEYWORDS, PythonArgParser, splitKeywords } from '../../_arg_parser';
import { describeValue } from '../../_options';
import type { DeviceLike } from '../../device';
import type { dtype } from '../../dtype';

/**
 * The binder of one Python def: `def_('Linear(int in_features, int out_features, bool bias=True)')`
 * returns a function that binds a call's arguments (positionals, then an
 * optional keywords object) by Python's rules and returns them by name with
 * the defaults filled in. The signature is parsed once, here. An unknown
 * keyword is worded as CPython 3.13 words it for a Python function (with "Did
 * you mean", built against libtorch 2.x: see _arg_parser.ts), unless
 * `builtin`: the Python name is a builtin (F.linear is torch._C._nn.linear).
 */
export function def_<T>(signature: string, { builtin = false }: { builtin?: boolean } = {}): (args: readonly unknown[]) => T {
  const parser = new PythonArgParser([signature], { suggestKeywords: PYTHON_DEFS_SUGGEST_KEYWORDS && !builtin });
  return (args) => parser.parseNamed(args) as unknown as T;
}

/**
 * Binds a call whose first parameter may itself be a plain object (a
 * duck-typed dataset `{ getitem, length }`, a state dict): when `isFirst`
 * says the first argument is that value, it is the first positional, never
 * the keywords object. Returns the values by name, defaults filled in.
 */
export function parseNamedLeading(parser: PythonArgParser, args: readonly unknown[], isFirst: (v: unknown) => boolean): Record<string, unknown> {
  let [positional, keywords] = splitKeywords(args);
  if (args.length > 0 && isFirst(args[0])) {
    const [rest, restKeywords] = splitKeywords(args.slice(1));
    [positional, keywords] = [[args[0], ...rest], restKeywords];
  }
  const parsed = parser.parseSplit(positional, keywords);
  const out: Record<string, unknown> = Object.create(null);
  parsed.signature.params.forEach((p, i) => {
    const v = parsed.values[i];
    out[p.name] = v === undefined ? p.defaultValue : v;
  });
  return out;
}

/**
 * Python's _ntuple: an int, or a list of exactly n ints, as a list of n ints.
 * A parameter that stays as given (MaxPool2d keeps `kernel_size=2` as 2)
 * is declared `Any` and checked here, with the binder's words.
 */
export function _ntuple(fn: string, name: string, v: unknown, n: number): number[] {
  if (typeof v === 'number' && Number.isInteger(v)) return new Array(n).fill(v);
  if (Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return [...v];
  throw new TypeError(`${fn}(): argument '${name}' must be int or a list of ${n} ints, not ${describeValue(v)}${Array.isArray(v) ? ` [${v.map(String).join(', ')}]` : ''}`);
}

/** An int or a list of n ints, kept as given (Python stores MaxPool2d's kernel_size unconverted). */
export function intOrTuple(fn: string, name: string, v: unknown, n: number): number | number[] {
  _ntuple(fn, name, v, n);
  return Array.isArray(v) ? [...v] : (v as number);
}

/**
 * Python's repr of a value a module keeps as given: `2`, and an array as
 * Python shows the list it stands for, `[2, 2]`, `[None, 7]`.
 */
export function reprAsGiven(v: number | readonly (number | null)[]): string {
  return typeof v === 'number' ? String(v) : `[${v.map((x) => (x === null ? 'None' : String(x))).join(', ')}]`;
}

/** Python's repr of a bool. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** Python's factory_kwargs: where a module's parameters are made. */
export interface FactoryKwargs {
  device?: DeviceLike | null;
  dtype?: dtype | null;
}

/** A non-negative int, as Python's modules need for sizes (Python fails later, in torch.empty, with a worse message). */
export function checkSize(fn: string, name: string, v: number): number {
  if (v < 0) throw new TypeError(`${fn}(): ${name} must be a non-negative integer, got ${v}`);
  return v;
}

// The positional forms Python allows, for TypeScript: Req are the required
// positional parameters, Opt the optional ones in order, K every keyword.
// An optional positional given as undefined is not given: its default applies.
type OrUndefined<T extends unknown[]> = { [I in keyof T]: T[I] | undefined };
type Prefixes<T extends unknown[]> = T extends [...infer I, unknown] ? T | Prefixes<I> : [];

/**
 * A Python call's arguments as a rest-parameter type: the required
 * positionals, any prefix of the optional ones, then optionally the keywords
 * for the rest; or everything as keywords. `new Linear(3, 4)`,
 * `new Linear(3, 4, false)`, `new Linear(3, 4, { bias: false })`,
 * `new Linear({ in_features: 3, out_features: 4 })`.
 */
export type PyArgs<Req extends unknown[], Opt extends unknown[], K> =
  | [...Req, ...Prefixes<OrUndefined<Opt>>]
  | [...Req, ...Prefixes<OrUndefined<Opt>>, Partial<K>]
  | ([] extends Req ? never : [K]);
