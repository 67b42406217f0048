// Containers, after torch/nn/modules/container.py. Children are fields named
// '0', '1', ... (Sequential, ModuleList, ParameterList) or by key (ModuleDict,
// ParameterDict), so `seq[0]` and `dict.fc` read them as Python's indexing
// does, and a parameter held there is one of the module's own parameters.
import { PYTHON_DEF, PythonArgParser } from '../../_arg_parser';
import { libtorchAtLeast } from '../../_libtorch_version';
import { Tensor } from '../../tensor';
import { Parameter } from '../parameter';
import { Module, addIndent } from './module';
import { parseNamedLeading } from './utils';

function checkModule(owner: string, m: unknown): Module {
  if (!(m instanceof Module)) throw new TypeError(`${owner}: ${m === null ? 'null' : typeof m} is not a Module subclass`);
  return m;
}

/** Numbered children: the shared base of Sequential and ModuleList. */
abstract class IndexedModules extends Module {
  [index: number]: Module;

  protected constructor(modules: Iterable<Module>) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Python's len(). */
  override get length(): number {
    // Numeric keys: a string key ("0") is converted back to an index on
    // every lookup, which a forward pass paid for each child.
    let n = 0;
    while (Object.prototype.hasOwnProperty.call(this, n)) n++;
    return n;
  }

  append(module: Module): this {
    (this as any)[String(this.length)] = checkModule(this._get_name(), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** The child at index, negative counting from the end, as Python's seq[i]. */
  at(index: number): Module {
    const n = this.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(index) || i < 0 || i >= n) throw new RangeError(`index ${index} is out of range`);
    return (this as any)[String(i)];
  }

  insert(index: number, module: Module): void {
    const items = [...this];
    const n = items.length;
    const i = Math.max(0, Math.min(n, index < 0 ? index + n : index));
    items.splice(i, 0, checkModule(this._get_name(), module));
    items.forEach((m, k) => ((this as any)[String(k)] = m));
  }

  *[Symbol.iterator](): IterableIterator<Module> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield (this as any)[i];
  }

  protected override _own_modules(): [string, Module][] {
    return [...this].map((m, i) => [String(i), m]);
  }
}

/** Applies its children in order: forward(x) = children[n-1](...children[0](x)). */
export class Sequential extends IndexedModules {
  constructor(...modules: Module[]) {
    super(modules);
  }

  override forward(input: Tensor): Tensor {
    let out = input;
    const n = this.length;
    for (let i = 0; i < n; i++) out = (this as any)[i](out);
    return out;
  }

  /** Python's seq[start:end]: a new Sequential of the same children. */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(...[...this].slice(start, end));
  }
}

/** PyTorch 2.x prints a run of equal modules in a ModuleList once: `(0-1): 2 x Linear(...)`. */
const TORCH2_COMPRESSED_REPR = libtorchAtLeast(2);

/** A list of modules, registered so that parameters() sees them. */
export class ModuleList extends IndexedModules {
  constructor(modules: Iterable<Module> = []) {
    super(modules);
  }

  override toString(): string {
    if (!TORCH2_COMPRESSED_REPR) return super.toString();
    // Python 2.x's ModuleList.__repr__: consecutive children that print the same are one line.
    const reprs = [...this].map(String);
    if (reprs.length === 0) return `${this._get_name()}()`;
    const blocks: { start: number; end: number; repr: string }[] = [];
    reprs.forEach((r, i) => {
      const last = blocks[blocks.length - 1];
      if (last !== undefined && last.repr === r) last.end = i;
      else blocks.push({ start: i, end: i, repr: r });
    });
    const lines = blocks.map(({ start, end, repr }) =>
      addIndent(start === end ? `(${start}): ${repr}` : `(${start}-${end}): ${end - start + 1} x ${repr}`, 2));
    return `${this._get_name()}(\n  ${lines.join('\n  ')}\n)`;
  }
}

/** Modules by name, in insertion order. */
export class ModuleDict extends Module {
  [key: string]: any;

  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }

  update(modules: Record<string, Module> | Iterable<[string, Module]>): void {
    const entries = Symbol.iterator in Object(modules) ? [...(modules as Iterable<[string, Module]>)] : Object.entries(modules);
    for (const [key, m] of entries) this.register_module(key, checkModule('ModuleDict', m));
  }

  keys(): string[] {
    return this._own_modules().map(([k]) => k);
  }

  values(): Module[] {
    return this._own_modules().map(([, m]) => m);
  }

  items(): [string, Module][] {
    return this._own_modules();
  }

  has(key: string): boolean {
    return this._own_modules().some(([k]) => k === key);
  }

  get size(): number {
    return this._own_modules().length;
  }
}

/** A plain tensor put in a parameter container becomes a Parameter, as in Python; anything else is kept as it is. */
function asParameter(value: unknown): unknown {
  return value instanceof Tensor && !(value instanceof Parameter) ? new Parameter(value) : value;
}

/** Python's type(v).__name__, for an entry that is not a tensor. */
function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return 'dict';
  return (v as object).constructor?.name ?? typeof v;
}

/** Python's torch.typename of a CPU or CUDA tensor: torch.FloatTensor, torch.cuda.LongTensor. */
const LEGACY_TYPES: Record<string, string> = {
  float32: 'FloatTensor', float64: 'DoubleTensor', float16: 'HalfTensor', bfloat16: 'BFloat16Tensor',
  uint8: 'ByteTensor', int8: 'CharTensor', int16: 'ShortTensor', int32: 'IntTensor', int64: 'LongTensor',
  bool: 'BoolTensor', complex64: 'ComplexFloatTensor', complex128: 'ComplexDoubleTensor',
};

/** One line of a parameter container's repr, as Python's extra_repr writes it. */
function entryLine(key: string, p: unknown, typeName: (t: Tensor) => string): string {
  if (!(p instanceof Tensor)) return `  (${key}): Object of type: ${pyTypeName(p)}`;
  const device = p.device.type === 'cuda' ? ` (GPU ${p.device.index ?? 0})` : '';
  return `  (${key}): ${p instanceof Parameter ? 'Parameter' : 'Tensor'} containing: [${typeName(p)} of size ${[...p.shape].join('x')}${device}]`;
}

// Python defs: an unknown keyword is worded as CPython words it (_arg_parser.ts).
const parameterListArgs = new PythonArgParser(['ParameterList(Any values=None)'], PYTHON_DEF);
const parameterDictArgs = new PythonArgParser(['ParameterDict(Any parameters=None)'], PYTHON_DEF);

/**
 * A list of parameters, registered so that parameters(), named_parameters()
 * ('0', '1', ...), state_dict() and to() see them. A plain tensor appended is
 * made a Parameter; other values are kept (and printed by their type), as in Python.
 */
export class ParameterList extends Module {
  [index: number]: any;

  /** Python's ParameterList(values=None): `new ParameterList([w, b])`. */
  constructor(...args: [] | [values: Iterable<unknown> | null]);
  constructor(...args: unknown[]) {
    // The first argument is always the values (an array is never keywords); keywords may follow.
    const { values } = parseNamedLeading(parameterListArgs, args, () => true) as { values: Iterable<unknown> | null };
    super();
    if (values !== null && values !== undefined) this.extend(values);
  }

  /** Python's len(). */
  override get length(): number {
    let n = 0;
    while (Object.prototype.hasOwnProperty.call(this, n)) n++;
    return n;
  }

  private absIndex(index: number): number {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) throw new RangeError(`ParameterList: index ${index} is out of range`);
    return index < 0 ? index + n : index;
  }

  /** Python's plist[i], negative counting from the end. */
  at(index: number): any {
    return (this as any)[this.absIndex(index)];
  }

  /** Python's plist[i] = value: a plain tensor becomes a Parameter. */
  set(index: number, value: unknown): void {
    (this as any)[String(this.absIndex(index))] = asParameter(value);
  }

  append(value: unknown): this {
    (this as any)[String(this.length)] = asParameter(value);
    return this;
  }

  extend(values: Iterable<unknown>): this {
    if (values === null || typeof values !== 'object' || !(Symbol.iterator in values) || values instanceof Tensor) {
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${values instanceof Tensor ? 'Tensor' : pyTypeName(values)}`);
    }
    for (const v of values) this.append(v);
    return this;
  }

  /** Python's plist[start:end]: a new ParameterList of the same entries. */
  slice(start?: number, end?: number): ParameterList {
    return new ParameterList([...this].slice(start, end));
  }

  *[Symbol.iterator](): IterableIterator<any> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield (this as any)[i];
  }

  override forward(): never {
    throw new Error('ParameterList should not be called.');
  }

  override extra_repr(): string {
    return [...this].map((p, k) => entryLine(String(k), p, (t) => String(t.dtype))).join('\n');
  }
}

/** What a ParameterDict is made from or updated with: a plain object (taken in sorted key order, as Python takes a dict), a Map, pairs, or another ParameterDict (in their order). */
export type ParameterDictInput = Record<string, unknown> | Map<string, unknown> | Iterable<[string, unknown]> | ParameterDict;

const KEYS = Symbol('ParameterDict.keys');

/**
 * Parameters by name, in insertion order, registered so that parameters(),
 * named_parameters() (by key), state_dict() and to() see them. A plain tensor
 * put in is made a Parameter; other values are kept, as in Python.
 */
export class ParameterDict extends Module {
  [key: string]: any;
  declare [KEYS]: string[];

  /**
   * Python's ParameterDict(parameters=None): `new ParameterDict({ w, b })`. The
   * first argument is always the parameters (a plain object there is the
   * mapping, never keywords).
   */
  constructor(...args: [] | [parameters: ParameterDictInput | null]);
  constructor(...args: unknown[]) {
    const { parameters } = parseNamedLeading(parameterDictArgs, args, () => true) as { parameters: ParameterDictInput | null };
    super();
    Object.defineProperty(this, KEYS, { value: [], enumerable: false });
    if (parameters !== null && parameters !== undefined) this.update(parameters);
  }

  /** Python's pdict[key] = value. */
  set(key: string, value: unknown): void {
    if (typeof key !== 'string') {
      throw new TypeError(`Index given to ParameterDict cannot be used as a key as it is not a string (type is '${pyTypeName(key)}'). Open an issue on github if you need non-string keys.`);
    }
    const keys = this[KEYS];
    // A key that names one of the module's own members would hide it (Python lets setattr do so silently).
    if (!keys.includes(key) && key in this) throw new RangeError(`ParameterDict: key '${key}' would hide the ParameterDict attribute of that name`);
    if (!keys.includes(key)) keys.push(key);
    (this as any)[key] = asParameter(value);
  }

  /** Python's pdict.get(key, default=None). */
  get(key: string, defaultValue: unknown = null): any {
    return this.has(key) ? (this as any)[key] : defaultValue;
  }

  /** Python's `key in pdict`. */
  has(key: string): boolean {
    return this[KEYS].includes(key);
  }

  /** Python's del pdict[key]. */
  delete(key: string): void {
    const keys = this[KEYS];
    const i = keys.indexOf(key);
    if (i < 0) throw keyError(key);
    keys.splice(i, 1);
    delete (this as any)[key];
  }

  /** Python's pdict.pop(key). */
  pop(key: string): any {
    if (!this.has(key)) throw keyError(key);
    const v = (this as any)[key];
    this.delete(key);
    return v;
  }

  /** Python's pdict.popitem(): the last entry, removed. */
  popitem(): [string, any] {
    const keys = this[KEYS];
    if (keys.length === 0) throw keyError('popitem(): dictionary is empty');
    const k = keys[keys.length - 1];
    return [k, this.pop(k)];
  }

  /** Python's pdict.setdefault(key, default=None). */
  setdefault(key: string, defaultValue: unknown = null): any {
    if (!this.has(key)) this.set(key, defaultValue);
    return (this as any)[key];
  }

  clear(): void {
    for (const k of [...this[KEYS]]) this.delete(k);
  }

  /** Python's pdict.copy(): a new ParameterDict holding the same parameters. */
  copy(): ParameterDict {
    return new ParameterDict(this.items());
  }

  /** Python's pdict.fromkeys(keys, default=None). */
  fromkeys(keys: Iterable<string>, defaultValue: unknown = null): ParameterDict {
    return new ParameterDict([...keys].map((k): [string, unknown] => [k, defaultValue]));
  }

  keys(): string[] {
    return [...this[KEYS]];
  }

  values(): any[] {
    return this[KEYS].map((k) => (this as any)[k]);
  }

  items(): [string, any][] {
    return this[KEYS].map((k): [string, any] => [k, (this as any)[k]]);
  }

  /** Python's len(). */
  get size(): number {
    return this[KEYS].length;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    yield* [...this[KEYS]];
  }

  /** Python's pdict.update(parameters): a plain object in sorted key order (as Python takes a dict); a Map, pairs or a ParameterDict in their order. */
  update(parameters: ParameterDictInput): void {
    if (parameters instanceof ParameterDict) {
      for (const [k, v] of parameters.items()) this.set(k, v);
    } else if (parameters instanceof Map) {
      for (const [k, v] of parameters) this.set(k, v);
    } else if (parameters !== null && typeof parameters === 'object' && Symbol.iterator in parameters) {
      let j = 0;
      for (const p of parameters as Iterable<unknown>) {
        if (p === null || typeof p !== 'object' || !(Symbol.iterator in p)) {
          throw new TypeError(`ParameterDict update sequence element #${j} should be Iterable; is${pyTypeName(p)}`);
        }
        const pair = [...(p as Iterable<unknown>)];
        if (pair.length !== 2) throw new RangeError(`ParameterDict update sequence element #${j} has length ${pair.length}; 2 is required`);
        this.set(pair[0] as string, pair[1]);
        j++;
      }
    } else if (parameters !== null && typeof parameters === 'object') {
      for (const k of Object.keys(parameters).sort()) this.set(k, (parameters as Record<string, unknown>)[k]);
    } else {
      throw new TypeError(`ParametersDict.update should be called with an iterable of key/value pairs, but got ${pyTypeName(parameters)}`);
    }
  }

  /** Its parameters in key order (a numeric-looking key would otherwise come first, as JS orders such fields). */
  protected override _own_parameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const k of this[KEYS]) {
      const v = (this as any)[k];
      if (v instanceof Parameter) out.push([k, v]);
    }
    for (const [k, v] of super._own_parameters()) if (!this[KEYS].includes(k)) out.push([k, v]);
    return out;
  }

  override forward(): never {
    throw new Error('ParameterDict should not be called.');
  }

  override extra_repr(): string {
    return this.items()
      .map(([k, p]) => entryLine(k, p, (t) => `torch.${t.device.type === 'cuda' ? 'cuda.' : ''}${LEGACY_TYPES[t.dtype.name] ?? t.dtype.name}`))
      .join('\n');
  }
}

function keyError(key: string): Error {
  const err = new Error(`'${key}'`);
  err.name = 'KeyError';
  return err;
}
