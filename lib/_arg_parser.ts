// The one argument binder: the counterpart of PyTorch's PythonArgParser
// (torch/csrc/utils/python_arg_parser.cpp). Every call that takes Python-style
// arguments (generated ops, hand-written functions, nn constructors,
// optimizers, DataLoader) is bound here by the same rules:
//
// - a signature is written as PyTorch writes its parser's signatures,
//   `sort(Tensor input, int64_t dim=-1, bool descending=False, *, TensorList[2] out=None)`:
//   positional parameters, then `*`, then keyword-only ones;
// - a call's arguments are its positionals and, last, one plain object of
//   keywords (Python's `f(a, b, k=v)` is `f(a, b, { k: v })`);
// - positionals bind in order, keywords by name; a parameter given both ways,
//   an unknown keyword, too many positionals or a missing required argument
//   is a TypeError with Python's message;
// - with several signatures (overloads), the first that the arguments match
//   by count and by type wins, as in Python, so the signatures must come in
//   Python's order (the generator sorts them as PyTorch's does).
//
// Parsing a signature's text happens once, when its parser is made; a call
// only walks the parsed parameters.
import { describeValue } from './_describe';
import { device } from './device';
import { dtype } from './dtype';
import { Generator } from './generator';
import { layout, memory_format } from './layout';
import { LIBTORCH_PYTHON_ENV, libtorchAtLeast } from './_libtorch_version';
import { native } from './native';
import { Size } from './size';

/** A type a parameter may have, as PyTorch's parser names them. */
type ParamKind =
  | 'Tensor'
  | 'Scalar'
  | 'int'
  | 'float'
  | 'bool'
  | 'IntList'
  | 'FloatList'
  | 'BoolList'
  | 'ScalarList'
  | 'TensorList'
  | 'OptionalTensorList'
  | 'ScalarType'
  | 'Layout'
  | 'MemoryFormat'
  | 'Device'
  | 'Generator'
  | 'str'
  | 'Dimname'
  | 'DimnameList'
  | 'Storage'
  | 'Stream'
  | 'Any';

// The C++ spellings PyTorch's signatures use, and the plain ones a
// hand-written signature may use instead.
const KINDS: Record<string, ParamKind> = {
  Tensor: 'Tensor',
  Scalar: 'Scalar',
  Number: 'Scalar',
  int64_t: 'int',
  SymInt: 'int',
  int: 'int',
  double: 'float',
  float: 'float',
  bool: 'bool',
  IntArrayRef: 'IntList',
  SymIntArrayRef: 'IntList',
  'SymInt[]': 'IntList',
  'Dimname[]': 'DimnameList',
  't': 'Any',
  'int[]': 'IntList',
  'ArrayRef<double>': 'FloatList',
  'float[]': 'FloatList',
  '::std::array<bool,': 'BoolList',
  'bool[]': 'BoolList',
  ScalarList: 'ScalarList',
  'Scalar[]': 'ScalarList',
  TensorList: 'TensorList',
  'Tensor[]': 'TensorList',
  'c10::List<c10::optional<Tensor>>': 'OptionalTensorList',
  // libtorch 2's spellings (its generated table, lib/_generated/ops_table_2_6.ts)
  'c10::List<::std::optional<Tensor>>': 'OptionalTensorList',
  DeviceIndex: 'int',
  'Tensor?[]': 'OptionalTensorList',
  ScalarType: 'ScalarType',
  dtype: 'ScalarType',
  Layout: 'Layout',
  MemoryFormat: 'MemoryFormat',
  Device: 'Device',
  device: 'Device',
  Generator: 'Generator',
  'c10::string_view': 'str',
  'std::string': 'str',
  str: 'str',
  Dimname: 'Dimname',
  DimnameList: 'DimnameList',
  Storage: 'Storage',
  Stream: 'Stream',
  Any: 'Any',
};

/** How a message names each type: Python's words, with list for tuple. */
const KIND_NAMES: Record<ParamKind, string> = {
  Tensor: 'Tensor',
  Scalar: 'Number',
  int: 'int',
  float: 'float',
  bool: 'bool',
  IntList: 'list of ints',
  FloatList: 'list of floats',
  BoolList: 'list of bools',
  ScalarList: 'list of Numbers',
  TensorList: 'list of Tensors',
  OptionalTensorList: 'list of (Tensor or null)',
  ScalarType: 'torch.dtype',
  Layout: 'torch.layout',
  MemoryFormat: 'torch.memory_format',
  Device: 'torch.device',
  Generator: 'torch.Generator',
  str: 'str',
  Dimname: 'name',
  DimnameList: 'list of names',
  Storage: 'Storage',
  Stream: 'Stream',
  Any: 'any',
};

/** One parameter of a signature. */
export interface FunctionParameter {
  readonly name: string;
  readonly kind: ParamKind;
  /** N of `IntArrayRef[N]`: a single int then stands for N copies of it; 0 where none is given. */
  readonly size: number;
  /** `Type?`, or a default of None: null is accepted. */
  readonly allowNone: boolean;
  readonly optional: boolean;
  readonly keywordOnly: boolean;
  /** The default as a JS value (None is null), for hand-written callers that want it filled in. */
  readonly defaultValue: unknown;
  /** The parameter as a message shows it: `int dim`. */
  readonly shown: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

// lib/tensor.ts' Tensor, registered once its class exists. Every tensor is
// an instance of it (the native class's prototype chain and nn.Parameter's
// lead to it), so instanceof tells one apart without a call into C++; the
// native layer still checks each argument it converts, so an object merely
// dressed as a Tensor gets no further.
let TensorClass: (abstract new (...args: never[]) => object) | undefined;

/** Called by lib/tensor.ts with its Tensor class. */
export function registerTensorClass(c: abstract new (...args: never[]) => object): void {
  TensorClass = c;
}

function isTensor(v: unknown): v is object {
  if (TensorClass !== undefined) return v instanceof TensorClass;
  return typeof v === 'object' && v !== null && native.isTensor(v);
}

/** A 0-dim tensor that stands for a number, as Python's parser takes one for an int, float or Number. */
function isScalarTensor(v: unknown, integral: boolean): boolean {
  if (!isTensor(v) || native.isDisposed(v) || native.shape(v).length !== 0) return false;
  const t = v as { dtype: dtype; requires_grad: boolean };
  if (integral) return !t.dtype.is_floating_point && !t.dtype.is_complex && t.dtype.name !== 'bool';
  return !t.requires_grad;
}

function isDisposedTensor(v: unknown): boolean {
  return typeof v === 'object' && v !== null && native.isDisposed(v);
}

function isInt(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' || isScalarTensor(v, true);
}

function isNumber(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || isScalarTensor(v, false);
}

function listOf(v: unknown, item: (x: unknown) => boolean): boolean {
  return (Array.isArray(v) || v instanceof Size) && (v as unknown[]).every(item);
}

/** Whether v is a value of the parameter's type (null aside, which the caller has handled). */
function matches(p: FunctionParameter, v: unknown, numbersAsTensors: boolean): boolean {
  switch (p.kind) {
    case 'Tensor':
      return isTensor(v) || (numbersAsTensors && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'));
    case 'Scalar':
      return isNumber(v);
    case 'int':
      return isInt(v);
    case 'float':
      return typeof v === 'number' || typeof v === 'bigint' || isScalarTensor(v, false);
    case 'bool':
      return typeof v === 'boolean';
    case 'IntList':
      return (p.size > 0 && isInt(v)) || listOf(v, isInt);
    case 'FloatList':
      return (p.size > 0 && typeof v === 'number') || listOf(v, (x) => typeof x === 'number');
    case 'BoolList':
      return listOf(v, (x) => typeof x === 'boolean');
    case 'ScalarList':
      return listOf(v, isNumber);
    case 'TensorList':
      return listOf(v, isTensor);
    case 'OptionalTensorList':
      return listOf(v, (x) => x === null || isTensor(x));
    case 'ScalarType':
      return v instanceof dtype;
    case 'Layout':
      return v instanceof layout;
    case 'MemoryFormat':
      return v instanceof memory_format;
    case 'Device':
      return typeof v === 'string' || v instanceof device || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
    case 'Generator':
      return v instanceof Generator;
    case 'str':
    case 'Dimname':
      return typeof v === 'string';
    case 'DimnameList':
      return (p.size > 0 && typeof v === 'string') || listOf(v, (x) => typeof x === 'string');
    case 'Storage':
    case 'Stream':
      return false;
    case 'Any':
      return true;
  }
}

/**
 * The value the native layer (or a hand-written caller) gets for an argument
 * that matched: a 0-dim tensor given for a number becomes the number, a
 * torch.Size a plain list, a layout or memory format its code, a generator
 * its handle. Everything else passes as given.
 */
function normalize(p: FunctionParameter, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  switch (p.kind) {
    case 'Scalar':
    case 'int':
    case 'float':
      return isTensor(v) ? (v as { item(): unknown }).item() : v;
    case 'IntList':
      // `IntArrayRef[2] stride` given one int means that int for each of the two.
      if (!Array.isArray(v)) return p.size > 0 ? new Array(p.size).fill(isTensor(v) ? (v as { item(): unknown }).item() : v) : v;
      // A one-element list for IntArrayRef[N] is that element N times: the
      // kernels that take one (pooling's `padding=[0]`) broadcast it, and the
      // native layer refuses a length other than N, since others index N.
      if (p.size > 1 && v.length === 1) return new Array(p.size).fill(isTensor(v[0]) ? (v[0] as { item(): unknown }).item() : v[0]);
      if (Array.isArray(v)) return v.some(isTensor) || v instanceof Size ? Array.from(v, (x) => (isTensor(x) ? (x as { item(): unknown }).item() : x)) : v;
      return v;
    case 'Layout':
    case 'MemoryFormat':
      return (v as layout | memory_format)._code;
    case 'Generator':
      return (v as Generator)._handle;
    case 'Device':
      return typeof v === 'number' ? `cuda:${v}` : v;
    default:
      return v;
  }
}

function parseDefault(text: string, kind: ParamKind, size: number): unknown {
  if (text === 'None') return null;
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (/^".*"$/s.test(text) || /^'.*'$/s.test(text)) return JSON.parse(`"${text.slice(1, -1).replace(/\\(?!["\\/bfnrtu])/g, '\\\\')}"`);
  if (text.startsWith('{') || text.startsWith('[')) {
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((x) => Number(x.trim()));
  }
  if (text === 'at::Reduction::Mean') return 1;
  if (text === 'MemoryFormat::Contiguous' || text === 'c10::MemoryFormat::Contiguous' || text === 'torch.contiguous_format') return 0;
  if (text === 'torch.strided') return 0;
  const n = Number(text);
  if (!Number.isNaN(n)) {
    // `IntArrayRef[2] stride=1` means [1, 1].
    if ((kind === 'IntList' || kind === 'FloatList') && size > 0) return new Array(size).fill(n);
    return n;
  }
  throw new Error(`_arg_parser: cannot read the default '${text}'`);
}

/** Splits at top-level commas (not those inside <...>, [...], {...} or quotes). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '<' || c === '[' || c === '{' || c === '(') depth++;
    else if (c === '>' || c === ']' || c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') parts.push(last);
  return parts;
}

function parseParameter(text: string, keywordOnly: boolean): FunctionParameter {
  const eq = (() => {
    // The first '=' outside brackets and quotes.
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '<' || c === '[' || c === '{') depth++;
      else if (c === '>' || c === ']' || c === '}') depth--;
      else if (c === '"' || c === "'") return -1;
      else if (c === '=' && depth === 0) return i;
    }
    return -1;
  })();
  const decl = (eq < 0 ? text : text.slice(0, eq)).trim();
  const defaultText = eq < 0 ? undefined : text.slice(eq + 1).trim();
  const space = decl.lastIndexOf(' ');
  if (space < 0) throw new Error(`_arg_parser: parameter '${text}' needs a type and a name`);
  let type = decl.slice(0, space).trim();
  const name = decl.slice(space + 1);
  let nullable = false;
  if (type.endsWith('?')) {
    nullable = true;
    type = type.slice(0, -1);
  }
  let size = 0;
  let kind: ParamKind | undefined;
  const boolArray = /^::std::array<bool,(\d+)>$/.exec(type);
  if (boolArray) {
    kind = 'BoolList';
    size = Number(boolArray[1]);
  } else {
    const sized = /^(.*)\[(\d+)\]$/.exec(type);
    if (sized) {
      size = Number(sized[2]);
      type = sized[1];
      // `int[2]` in a plain signature is IntArrayRef[2].
      if (KINDS[`${type}[]`]) type = `${type}[]`;
    }
    kind = KINDS[type];
  }
  if (!kind) throw new Error(`_arg_parser: unknown parameter type '${type}' in '${text}'`);
  const defaultValue = defaultText === undefined ? undefined : parseDefault(defaultText, kind, size);
  const shownType = KIND_NAMES[kind];
  return {
    name,
    kind,
    size,
    allowNone: nullable || defaultValue === null,
    // As in Python, `bool? stable` with no default is required (sort(x, dim=0) is not the stable overload).
    optional: defaultText !== undefined,
    keywordOnly,
    defaultValue,
    shown: `${shownType} ${name}`,
  };
}

/** Thrown inside a bind to say why the arguments do not fit; caught by the parser. */
class Mismatch {
  /** keyword: the unknown keyword, where that is why the arguments do not fit. */
  constructor(readonly message: string, readonly keyword?: string) {}
}

// CPython 3.13's suggestion for a misspelt keyword (Python/suggestions.c,
// used by Python/ceval.c when a call to a Python function names a parameter
// it does not have): the nearest parameter name by an edit distance where a
// case flip costs 1 and any other edit 2, if within a third of the characters.
// Debian 13 pairs PyTorch 2.6 with Python 3.13; Debian 12's 1.13 has Python
// 3.11, which suggests nothing: so the parsers of Python defs suggest when
// built against libtorch 2.x.
const SUGGEST_MAX_CANDIDATES = 750;
const SUGGEST_MAX_STRING = 40;
const MOVE_COST = 2;
const CASE_COST = 1;

function substitutionCost(a: number, b: number): number {
  // Not the same letter in either case: LEAST_FIVE_BITS differ.
  if ((a & 31) !== (b & 31)) return MOVE_COST;
  if (a === b) return 0;
  const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  return lower(a) === lower(b) ? CASE_COST : MOVE_COST;
}

/** suggestions.c's levenshtein_distance over UTF-8 bytes, giving up (max_cost + 1) past max_cost. */
function levenshteinDistance(x: string, y: string, maxCost: number): number {
  let a = Buffer.from(x, 'utf8');
  let b = Buffer.from(y, 'utf8');
  if (a.equals(b)) return 0;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  a = a.subarray(start);
  b = b.subarray(start);
  let aEnd = a.length;
  let bEnd = b.length;
  while (aEnd && bEnd && a[aEnd - 1] === b[bEnd - 1]) {
    aEnd--;
    bEnd--;
  }
  a = a.subarray(0, aEnd);
  b = b.subarray(0, bEnd);
  if (a.length === 0 || b.length === 0) return (a.length + b.length) * MOVE_COST;
  if (a.length > SUGGEST_MAX_STRING || b.length > SUGGEST_MAX_STRING) return maxCost + 1;
  if (b.length < a.length) [a, b] = [b, a];
  if ((b.length - a.length) * MOVE_COST > maxCost) return maxCost + 1;
  const row = Array.from({ length: a.length }, (_, i) => (i + 1) * MOVE_COST);
  let result = 0;
  for (let bi = 0; bi < b.length; bi++) {
    let distance = (result = bi * MOVE_COST);
    let minimum = Infinity;
    for (let ai = 0; ai < a.length; ai++) {
      const substitute = distance + substitutionCost(b[bi], a[ai]);
      distance = row[ai];
      result = Math.min(Math.min(result, distance) + MOVE_COST, substitute);
      row[ai] = result;
      if (result < minimum) minimum = result;
    }
    if (minimum > maxCost) return maxCost + 1;
  }
  return result;
}

/**
 * Whether the parsers of Python defs (suggestKeywords) suggest here, as the
 * CPython of the loaded libtorch does: 3.13 and later. A system libtorch's is
 * Debian's (2.x with 3.13, 1.13 with 3.11); a pip torch's, that of the
 * environment it is installed in (measured: pip's 2.14.1 under 3.11 does not).
 */
export const PYTHON_DEFS_SUGGEST_KEYWORDS = LIBTORCH_PYTHON_ENV ? LIBTORCH_PYTHON_ENV.pythonMinor >= 13 : libtorchAtLeast(2);

/** The options of a parser standing for a Python-defined function or class (not a C builtin): it suggests as CPython does. */
export const PYTHON_DEF: { readonly suggestKeywords: boolean } = { suggestKeywords: PYTHON_DEFS_SUGGEST_KEYWORDS };

/** CPython 3.13's ". Did you mean 'x'?" after an unknown keyword `name`, from a def's parameters; '' where it suggests none. */
export function didYouMean(name: string, parameters: readonly string[]): string {
  const suggestion = keywordSuggestion(name, parameters);
  return suggestion === null ? '' : `. Did you mean '${suggestion}'?`;
}

/** CPython 3.13's _Py_CalculateSuggestions: the candidate nearest to name, or null. */
export function keywordSuggestion(name: string, candidates: readonly string[]): string | null {
  if (candidates.length >= SUGGEST_MAX_CANDIDATES) return null;
  const nameSize = Buffer.byteLength(name, 'utf8');
  let best: string | null = null;
  let bestDistance = Number.MAX_SAFE_INTEGER;
  for (const item of candidates) {
    if (item === name) continue;
    // No more than 1/3 of the involved characters should need changing; C's integer division.
    const maxDistance = Math.min(Math.trunc(((nameSize + Buffer.byteLength(item, 'utf8') + 3) * MOVE_COST) / 6), bestDistance - 1);
    const distance = levenshteinDistance(name, item, maxDistance);
    if (distance > maxDistance) continue;
    if (best === null || distance < bestDistance) {
      best = item;
      bestDistance = distance;
    }
  }
  return best;
}

/** One signature: its parameters parsed once, then bound against each call's arguments. */
export class FunctionSignature {
  readonly name: string;
  readonly params: readonly FunctionParameter[];
  /** How many parameters may be given positionally. */
  readonly maxPositional: number;
  /** How many parameters a call without keywords must give positionally. */
  readonly minPositional: number;
  /** Whether a keyword-only parameter is required, so that a call without keywords never fits. */
  readonly needsKeywords: boolean;
  /** A signature whose only positional parameter is an int list also takes the ints spread out: `zeros(2, 3)`. */
  readonly varargsIntList: boolean;
  private readonly index: ReadonlyMap<string, number>;

  constructor(readonly text: string) {
    const open = text.indexOf('(');
    if (open < 0 || !text.endsWith(')')) throw new Error(`_arg_parser: malformed signature '${text}'`);
    this.name = text.slice(0, open).trim();
    const params: FunctionParameter[] = [];
    let keywordOnly = false;
    for (const part of splitTopLevel(text.slice(open + 1, -1))) {
      if (part === '*') {
        keywordOnly = true;
        continue;
      }
      params.push(parseParameter(part, keywordOnly));
    }
    this.params = params;
    this.maxPositional = params.filter((p) => !p.keywordOnly).length;
    this.minPositional = params.filter((p) => !p.keywordOnly && !p.optional).length;
    this.needsKeywords = params.some((p) => p.keywordOnly && !p.optional);
    this.varargsIntList = this.maxPositional === 1 && params[0].kind === 'IntList';
    this.index = new Map(params.map((p, i) => [p.name, i]));
  }

  /**
   * Whether a call with this many positionals (and keywords or not) could
   * bind here, whatever the values: what the parser's cache of candidates
   * by call shape is made of.
   */
  couldTake(positionalCount: number, withKeywords: boolean): boolean {
    if (positionalCount > this.maxPositional && !this.varargsIntList) return false;
    if (withKeywords) return true;
    return !this.needsKeywords && positionalCount >= this.minPositional;
  }

  /** Whether the signature has a parameter of this name (any overload of a call may know a keyword). */
  has(name: string): boolean {
    return this.index.has(name);
  }

  /**
   * Binds positionals and keywords to the parameters: the values in
   * parameter order, `undefined` where an optional parameter was not given
   * (its default applies). Throws a Mismatch saying why they do not fit.
   */
  bind(positional: readonly unknown[], keywords: Record<string, unknown> | undefined, numbersAsTensors: boolean, checkDisposed = true): unknown[] {
    return this.tryBind(positional, keywords, numbersAsTensors, false, checkDisposed) as unknown[];
  }

  /**
   * bind(), but where the arguments do not fit, null when `quiet` (an
   * overload being tried: throwing and catching for each overload tried cost
   * microseconds on calls as common as `x.sum(1)`), else a thrown Mismatch.
   */
  tryBind(positional: readonly unknown[], keywords: Record<string, unknown> | undefined, numbersAsTensors: boolean, quiet: boolean, checkDisposed = true): unknown[] | null {
    let args = positional;
    const params = this.params;
    if (args.length > this.maxPositional) {
      // zeros(2, 3) is zeros([2, 3]), Python's varargs int list.
      if (this.varargsIntList && args.every(isInt)) args = [args];
      else if (this.varargsIntList && isInt(args[0])) {
        const at = args.findIndex((x) => !isInt(x));
        if (quiet) return null;
        throw new Mismatch(`${this.name}(): argument '${params[0].name}' must be ${KIND_NAMES.IntList}, but found ${describeValue(args[at])} at pos ${at + 1}`);
      } else {
        if (quiet) return null;
        const required = params.filter((p) => !p.keywordOnly && !p.optional).length;
        const range = required === this.maxPositional ? `${this.maxPositional}` : `from ${required} to ${this.maxPositional}`;
        throw new Mismatch(
          `${this.name}() takes ${range} positional argument${this.maxPositional === 1 ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`,
        );
      }
    }
    // sum_to_size(1) is sum_to_size([1]): Python takes the positionals as the list once the first is an int
    // that the (unsized) list parameter does not take itself.
    else if (this.varargsIntList && args.length === 1 && params[0].size === 0 && isInt(args[0]) && !isTensor(args[0])) args = [args];
    const values: unknown[] = new Array(params.length);
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      let v: unknown;
      let byKeyword = false;
      if (i < args.length) {
        v = args[i];
        if (keywords !== undefined && keywords[p.name] !== undefined) {
          if (quiet) return null;
          throw new Mismatch(`${this.name}() got multiple values for argument '${p.name}'`);
        }
      } else if (keywords !== undefined && Object.prototype.hasOwnProperty.call(keywords, p.name)) {
        v = keywords[p.name];
        byKeyword = true;
      }
      if (v === undefined) {
        if (!p.optional) {
          if (quiet) return null;
          throw new Mismatch(`${this.name}() missing required argument '${p.name}' (pos ${i + 1})`);
        }
        continue;
      }
      if (v === null) {
        if (!p.allowNone) return this.mismatch(quiet, p, i, byKeyword, v);
        values[i] = null;
        continue;
      }
      if (!matches(p, v, numbersAsTensors)) return this.mismatch(quiet, p, i, byKeyword, v);
      if (checkDisposed && p.kind === 'Tensor' && isDisposedTensor(v)) throw new TypeError(`${this.name}(): ${this.where(p, i, byKeyword)} is a Tensor that was disposed; it cannot be used after dispose()`);
      values[i] = normalize(p, v);
    }
    if (keywords !== undefined) {
      for (const key in keywords) {
        if (!Object.prototype.hasOwnProperty.call(keywords, key)) continue;
        if (!this.index.has(key)) {
          if (quiet) return null;
          throw new Mismatch(`${this.name}() got an unexpected keyword argument '${key}'`, key);
        }
      }
    }
    if (args !== positional) values[0] = (args[0] as unknown[]).map((x) => (isTensor(x) ? (x as { item(): unknown }).item() : x));
    return values;
  }

  private mismatch(quiet: boolean, p: FunctionParameter, i: number, byKeyword: boolean, v: unknown): null {
    if (quiet) return null;
    throw new Mismatch(this.wrongType(p, i, byKeyword, v));
  }

  private where(p: FunctionParameter, i: number, byKeyword: boolean): string {
    return byKeyword ? `argument '${p.name}'` : `argument '${p.name}' (position ${i + 1})`;
  }

  private wrongType(p: FunctionParameter, i: number, byKeyword: boolean, v: unknown): string {
    const where = this.where(p, i, byKeyword);
    const expected = p.size > 0 && (p.kind === 'IntList' || p.kind === 'FloatList') ? `${KIND_NAMES[p.kind]} (or one ${p.kind === 'IntList' ? 'int' : 'float'})` : KIND_NAMES[p.kind];
    return `${this.name}(): ${where} must be ${expected}${p.allowNone ? ' or null' : ''}, not ${describeValue(v)}`;
  }

  /** The message for a disposed Tensor among bound values, or null: for callers that leave the check to the native layer. */
  disposedArgument(values: readonly unknown[], positionalCount: number): string | null {
    for (let i = 0; i < this.params.length; i++) {
      if (this.params[i].kind === 'Tensor' && isDisposedTensor(values[i])) {
        return `${this.name}(): ${this.where(this.params[i], i, i >= positionalCount)} is a Tensor that was disposed; it cannot be used after dispose()`;
      }
    }
    return null;
  }

  /** `(Tensor input, int dim, *, bool descending)`, as Python lists the signatures a call could have used. */
  toString(): string {
    const parts: string[] = [];
    let starred = false;
    for (const p of this.params) {
      if (p.keywordOnly && !starred) {
        parts.push('*');
        starred = true;
      }
      parts.push(p.shown);
    }
    return `(${parts.join(', ')})`;
  }
}

/** The result of a parse: which signature matched, and the bound values in its parameter order. */
export interface ParsedArgs {
  readonly index: number;
  readonly signature: FunctionSignature;
  readonly values: unknown[];
}

/** What a call's arguments were, for a message: `(Tensor, int, dims=int)`. */
function describeCall(positional: readonly unknown[], keywords: Record<string, unknown> | undefined): string {
  const typeName = (v: unknown) => {
    if (isTensor(v)) return 'Tensor';
    if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
    if (typeof v === 'boolean') return 'bool';
    if (Array.isArray(v)) return 'list';
    if (v === null) return 'null';
    if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
    return typeof v;
  };
  const parts = positional.map(typeName);
  if (keywords) for (const key of Object.keys(keywords)) parts.push(`${key}=${typeName(keywords[key])}`);
  return `(${parts.join(', ')})`;
}

/**
 * Splits a call's arguments into positionals and the trailing keywords object.
 * A plain object last is the keywords; anything else (a Tensor, an array, a
 * dtype) is a positional.
 */
export function splitKeywords(args: readonly unknown[]): [readonly unknown[], Record<string, unknown> | undefined] {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  if (last !== undefined && isPlainObject(last)) return [args.slice(0, -1), last];
  return [args, undefined];
}

/** The binder of one name: its signatures in Python's order. */
export class PythonArgParser {
  readonly signatures: readonly FunctionSignature[];
  /** Python lets numbers stand for Tensors in arithmetic and comparisons (`torch.add(x, 2)`). */
  readonly numbersAsTensors: boolean;
  /**
   * Whether binding asks the native layer if each Tensor was disposed (a call
   * into C++ per Tensor). The generated ops turn it off: opCall refuses a
   * disposed tensor anyway, and they ask disposedArgument() only once a
   * call has failed, to name the Python function in the message.
   */
  readonly checkDisposed: boolean;
  /**
   * The signatures a call may bind to but an error never lists (Python's
   * hidden ones: the deprecated `add(input, alpha, other)` forms).
   */
  readonly hidden: ReadonlySet<number>;
  /**
   * Whether an unknown keyword's message suggests the nearest parameter, as
   * CPython 3.13 words it for a Python function (`elu() got an unexpected
   * keyword argument 'alpah'. Did you mean 'alpha'?`); a builtin (an ATen
   * op, F.linear) never does. See keywordSuggestion.
   */
  readonly suggestKeywords: boolean;

  constructor(
    signatures: readonly string[],
    options: { numbersAsTensors?: boolean; checkDisposed?: boolean; hidden?: ReadonlySet<number>; suggestKeywords?: boolean } = {},
  ) {
    if (signatures.length === 0) throw new Error('_arg_parser: a parser needs at least one signature');
    this.signatures = signatures.map((s) => new FunctionSignature(s));
    this.numbersAsTensors = options.numbersAsTensors ?? false;
    this.checkDisposed = options.checkDisposed ?? true;
    this.hidden = options.hidden ?? new Set();
    this.suggestKeywords = options.suggestKeywords ?? false;
  }

  get name(): string {
    return this.signatures[0].name;
  }

  // The signatures, in Python's order, that a call of each shape (how many
  // positionals, keywords or not) could bind to: found on the first call of
  // that shape, then a lookup. A call tries only these; the others would
  // refuse it whatever its values are.
  private readonly byShape: (readonly number[] | undefined)[] = [];

  private candidates(positionalCount: number, withKeywords: boolean): readonly number[] {
    const key = 2 * positionalCount + (withKeywords ? 1 : 0);
    let found = this.byShape[key];
    if (found === undefined) {
      const fits: number[] = [];
      for (let i = 0; i < this.signatures.length; i++) if (this.signatures[i].couldTake(positionalCount, withKeywords)) fits.push(i);
      this.byShape[key] = found = fits;
    }
    return found;
  }

  /** Binds a call's arguments (positionals, then an optional keywords object) to the first signature they fit. */
  parse(args: readonly unknown[]): ParsedArgs {
    const [positional, keywords] = splitKeywords(args);
    return this.parseSplit(positional, keywords);
  }

  parseSplit(positional: readonly unknown[], keywords: Record<string, unknown> | undefined): ParsedArgs {
    const signatures = this.signatures;
    if (signatures.length === 1) {
      try {
        return { index: 0, signature: signatures[0], values: signatures[0].bind(positional, keywords, this.numbersAsTensors, this.checkDisposed) };
      } catch (e) {
        if (!(e instanceof Mismatch)) throw e;
        const key = e.keyword;
        throw new TypeError(this.suggestKeywords && key !== undefined ? e.message + didYouMean(key, signatures[0].params.map((p) => p.name)) : e.message);
      }
    }
    const candidates = this.candidates(positional.length, keywords !== undefined);
    for (let c = 0; c < candidates.length; c++) {
      const i = candidates[c];
      const values = signatures[i].tryBind(positional, keywords, this.numbersAsTensors, true, this.checkDisposed);
      if (values !== null) return { index: i, signature: signatures[i], values };
    }
    // None fits: bind again, loudly, for each overload's reason.
    const reasons: string[] = [];
    for (const s of signatures) {
      try {
        s.bind(positional, keywords, this.numbersAsTensors);
      } catch (e) {
        if (!(e instanceof Mismatch)) throw e;
        reasons.push(e.message);
      }
    }
    // A keyword that no overload knows is the clearest thing to say.
    if (keywords) {
      for (const key of Object.keys(keywords)) {
        if (!signatures.some((s) => s.has(key))) throw new TypeError(`${this.name}() got an unexpected keyword argument '${key}'`);
      }
    }
    // Python's rule (FunctionParser::print_error): when only one overload takes
    // this many arguments, positional and keyword alike (between its required
    // count and its whole count, keyword-only ones included), its own complaint is the error.
    const count = positional.length + (keywords ? Object.keys(keywords).length : 0);
    const plausible = signatures
      .map((s, i) => [s, i] as const)
      .filter(([s, i]) => !this.hidden.has(i) && count <= s.params.length && count >= s.params.filter((p) => !p.optional).length);
    if (plausible.length === 1) throw new TypeError(reasons[plausible[0][1]]);
    const listed = signatures.filter((_, i) => !this.hidden.has(i)).map((s) => ` * ${s.toString()}`).join('\n');
    throw new TypeError(`${this.name}() received an invalid combination of arguments - got ${describeCall(positional, keywords)}, but expected one of:\n${listed}`);
  }

  /**
   * Binds and returns the arguments by name with every default filled in:
   * what a hand-written function (an nn constructor, an optimizer) reads.
   */
  parseNamed(args: readonly unknown[]): Record<string, unknown> & { readonly $signature: number } {
    const parsed = this.parse(args);
    const out: Record<string, unknown> = Object.create(null);
    parsed.signature.params.forEach((p, i) => {
      const v = parsed.values[i];
      out[p.name] = v === undefined ? p.defaultValue : v;
    });
    Object.defineProperty(out, '$signature', { value: parsed.index });
    return out as Record<string, unknown> & { readonly $signature: number };
  }
}
