// The one check of hand-written options objects (Python's keyword arguments):
// an unknown key is Python's "got an unexpected keyword argument", and a
// value of the wrong type a TypeError naming the key, the type it needs and
// what it got. Each caller states its keywords as a table:
//
//   checkOptions('DataLoader', opts, { batch_size: 'int?', shuffle: 'bool', ... });
//
// A type is a base name, `base[]` for a list of them, alternatives joined by
// `|`, and a trailing `?` where Python takes None (JS null). An absent key or
// `undefined` is always allowed: it means Python's default. The generated
// binder of a later issue replaces this; until then it stays this small.
import { device } from './device';
import { dtype } from './dtype';
import { Tensor } from './tensor';
import { describeValue } from './_describe';
import { didYouMean } from './_arg_parser';

export { describeValue };

export type OptionSpec = Readonly<Record<string, string>>;

const BASE_TYPES: Record<string, (v: unknown) => boolean> = {
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number',
  bool: (v) => typeof v === 'boolean',
  str: (v) => typeof v === 'string',
  Tensor: (v) => v instanceof Tensor,
  dtype: (v) => v instanceof dtype,
  device: (v) => typeof v === 'string' || v instanceof device,
  function: (v) => typeof v === 'function',
  object: (v) => typeof v === 'object' && v !== null,
  any: () => true,
};

interface ParsedType {
  text: string;
  nullable: boolean;
  accepts: (v: unknown) => boolean;
}

const parsedSpecs = new WeakMap<OptionSpec, Map<string, ParsedType>>();

function parseType(text: string): ParsedType {
  const nullable = text.endsWith('?');
  const alternatives = (nullable ? text.slice(0, -1) : text).split('|').map((alt) => {
    const list = alt.endsWith('[]');
    const base = BASE_TYPES[list ? alt.slice(0, -2) : alt];
    if (!base) throw new Error(`checkOptions: unknown option type '${alt}'`);
    return list ? (v: unknown) => Array.isArray(v) && v.every(base) : base;
  });
  // 'int|int[]?' reads as "int or int[] or null" in a message.
  const words = [...(nullable ? text.slice(0, -1) : text).split('|'), ...(nullable ? ['null'] : [])].join(' or ');
  return { text: words, nullable, accepts: (v) => alternatives.some((accepts) => accepts(v)) };
}

function parsed(spec: OptionSpec): Map<string, ParsedType> {
  let table = parsedSpecs.get(spec);
  if (!table) {
    table = new Map(Object.entries(spec).map(([key, text]) => [key, parseType(text)]));
    parsedSpecs.set(spec, table);
  }
  return table;
}


/**
 * Checks an options object against its keywords' types. `fn` is the name a
 * message gives the call, as Python's would ('DataLoader', 'Adam', 'cross_entropy').
 */
export function checkOptions(fn: string, options: unknown, spec: OptionSpec, { suggestKeywords = false }: { suggestKeywords?: boolean } = {}): void {
  if (options === undefined || options === null) return;
  // A plain object (of any realm: its prototype is a root), not a dtype, Tensor or array in the options' place.
  const proto = typeof options === 'object' ? Object.getPrototypeOf(options) : undefined;
  if (proto === undefined || (proto !== null && Object.getPrototypeOf(proto) !== null)) {
    throw new TypeError(`${fn}(): options must be an object of keyword arguments, got ${describeValue(options)}`);
  }
  const table = parsed(spec);
  for (const key in options) {
    if (!Object.prototype.hasOwnProperty.call(options, key)) continue;
    const type = table.get(key);
    if (type === undefined) {
      // A Python def's unknown keyword (options PYTHON_DEF) gets CPython 3.13's suggestion where Debian pairs it with the libtorch.
      throw new TypeError(`${fn}() got an unexpected keyword argument '${key}'${suggestKeywords ? didYouMean(key, [...table.keys()]) : ''}`);
    }
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined || (value === null && type.nullable) || type.accepts(value)) continue;
    throw new TypeError(`${fn}(): argument '${key}' must be ${type.text}, got ${describeValue(value)}`);
  }
}
