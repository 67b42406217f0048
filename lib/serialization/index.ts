// torch.save and torch.load in the zip format Python's torch.save writes
// (since PyTorch 1.6): data.pkl (pickle protocol 2, tensors as persistent
// storage ids) and one record per storage under data/.
import { PYTHON_DEF, PythonArgParser } from '../_arg_parser';
import { parseNamedLeading } from '../nn/modules/utils';
import * as fs from 'node:fs';

import { _C } from '../_C';
import { device, type DeviceLike } from '../device';
import { dtype, bfloat16, bool, complex128, complex64, float16, float32, float64, int16, int32, int64, int8, uint8 } from '../dtype';
import { native } from '../native';
import { Parameter } from '../nn/parameter';
import { Tensor } from '../tensor';
import { MAX_NESTING, Pickler, PickleError, unpickle } from './pickle';
import { ZipArchive, ZipFormatError } from './zip';

const STORAGES: [string, dtype][] = [
  ['FloatStorage', float32], ['DoubleStorage', float64], ['HalfStorage', float16], ['BFloat16Storage', bfloat16],
  ['LongStorage', int64], ['IntStorage', int32], ['ShortStorage', int16], ['CharStorage', int8], ['ByteStorage', uint8],
  ['BoolStorage', bool], ['ComplexFloatStorage', complex64], ['ComplexDoubleStorage', complex128],
];
const storageByName = new Map(STORAGES.map(([n, d]) => [`torch.${n}`, d]));
const storageByDtype = new Map(STORAGES.map(([n, d]) => [d, n]));

class StorageType {
  constructor(readonly dtype: dtype) {}
}

// ----- torch.save -----

export interface SaveOptions {
  /** Only null: torchts writes Python's pickle format itself. */
  pickle_module?: null;
  /** Only 2, Python's default. */
  pickle_protocol?: number;
  /** Only true, Python's default: the zip format. */
  _use_new_zipfile_serialization?: boolean;
}

const saveArgs = new PythonArgParser(['save(Any obj, str f, Any pickle_module=None, int pickle_protocol=2, bool _use_new_zipfile_serialization=True)'], PYTHON_DEF);

/**
 * torch.save(obj, path): tensors, Parameters, arrays, plain objects and Maps
 * (written as dicts), numbers, strings, booleans and null, nested. A plain
 * object whose keys are all non-negative integers (an optimizer's state)
 * gets int keys, as Python's has; a Map's keys keep their type. Anything
 * else (a Date, a class instance, a Map keyed by tensors) is refused by its
 * path in obj rather than written as something else. Each tensor is saved
 * with a storage of its own.
 */
export function save(obj: unknown, f: string, options?: SaveOptions): void;
export function save(obj: unknown, f: string, pickle_module?: null, pickle_protocol?: number, _use_new_zipfile_serialization?: boolean, options?: SaveOptions): void;
export function save(...args: unknown[]): void {
  // obj comes first and is often a plain object (a state_dict): it is always
  // the positional obj, never the keywords.
  const bound = parseNamedLeading(saveArgs, args, () => true) as { obj: unknown; f: string; pickle_module: unknown; pickle_protocol: number; _use_new_zipfile_serialization: boolean };
  const { obj, f: file, pickle_module, pickle_protocol, _use_new_zipfile_serialization } = bound;
  if (pickle_module !== null) throw new TypeError("torch.save: pickle_module can only be null here: torchts writes Python's pickle format itself");
  if (pickle_protocol !== 2) throw new RangeError(`torch.save: pickle_protocol=${pickle_protocol} is not supported yet: torchts writes protocol 2 (Python's default)`);
  if (!_use_new_zipfile_serialization) throw new RangeError("torch.save: _use_new_zipfile_serialization=False (the legacy pre-1.6 format) is not supported: torchts writes the zip format (Python's default)");
  const p = new Pickler();
  const records: [string, Uint8Array][] = [];
  const seen = new Set<object>();

  const writeTensor = (t: Tensor) => {
    if (t.is_disposed) throw new Error('torch.save: cannot save a disposed tensor');
    const data = t.detach().cpu().contiguous();
    const key = String(records.length);
    records.push([`data/${key}`, new Uint8Array(native.toBuffer(data))]);
    const storage = storageByDtype.get(t.dtype);
    if (!storage) throw new TypeError(`torch.save: cannot save tensors of ${String(t.dtype)}`);
    const shape = [...t.shape];
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    p.global('torch._utils', '_rebuild_tensor_v2').op(0x28);
    p.tuple(5, () => {
      p.string('storage').global('torch', storage).string(key).string(String(t.device)).int(t.numel());
    }).op(0x51);
    p.int(0);
    p.tuple(shape.length, () => shape.forEach((d) => p.int(d)));
    p.tuple(strides.length, () => strides.forEach((s) => p.int(s)));
    p.op(t.requires_grad && !(t instanceof Parameter) ? 0x88 : 0x89);
    p.global('collections', 'OrderedDict').op(0x29, 0x52);
    p.op(0x74, 0x52);
  };

  const write = (v: unknown, where: string): void => {
    if (v === null || v === undefined) {
      p.op(0x4e);
    } else if (typeof v === 'boolean') {
      p.op(v ? 0x88 : 0x89);
    } else if (typeof v === 'number') {
      if (Number.isInteger(v) && Number.isSafeInteger(v)) p.int(v);
      else p.float(v);
    } else if (typeof v === 'bigint') {
      p.int(v);
    } else if (typeof v === 'string') {
      p.string(v);
    } else if (v instanceof Tensor) {
      if (v instanceof Parameter) {
        p.global('torch._utils', '_rebuild_parameter').op(0x28);
        writeTensor(v);
        p.op(v.requires_grad ? 0x88 : 0x89).global('collections', 'OrderedDict').op(0x29, 0x52, 0x74, 0x52);
      } else {
        writeTensor(v);
      }
    } else if (typeof v === 'object') {
      if (seen.has(v)) throw new TypeError(`torch.save: ${where} refers back to itself`);
      // What torch.load would refuse to read back (and a deep enough value would overflow this recursion).
      if (seen.size >= MAX_NESTING) throw new TypeError(`torch.save: obj nests containers more than ${MAX_NESTING} deep (the limit on nesting), at ${where.slice(0, 80)}...`);
      seen.add(v);
      if (Array.isArray(v)) {
        p.op(0x5d);
        if (v.length) {
          p.op(0x28);
          // An index loop, not forEach: a hole is saved as None rather than silently dropped.
          for (let i = 0; i < v.length; i++) write(v[i], `${where}[${i}]`);
          p.op(0x65);
        }
      } else if (v instanceof Map) {
        // A Map's keys keep their own type: strings as str, integers as int, as in Python's dict.
        for (const k of v.keys()) {
          if (typeof k !== 'string' && typeof k !== 'bigint' && !(typeof k === 'number' && Number.isSafeInteger(k))) {
            throw new TypeError(`torch.save: cannot save ${where}: it has a key that is ${describeValue(k)}; torch.save writes Maps keyed by strings and integers`);
          }
        }
        p.op(0x7d);
        if (v.size) {
          p.op(0x28);
          for (const [k, x] of v) {
            if (typeof k === 'string') p.string(k);
            else p.int(k as number | bigint);
            write(x, `${where}.${String(k)}`);
          }
          p.op(0x75);
        }
      } else {
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) {
          throw new TypeError(`torch.save: cannot save ${where}, ${describeValue(v)}; torch.save writes tensors, numbers, strings, booleans, null, arrays, Maps and plain objects`);
        }
        const entries = Object.entries(v);
        const intKeys = entries.length > 0 && entries.every(([k]) => /^(0|[1-9]\d*)$/.test(k));
        p.op(0x7d);
        if (entries.length) {
          p.op(0x28);
          for (const [k, x] of entries) {
            if (intKeys) p.int(Number(k));
            else p.string(k);
            write(x, `${where}.${k}`);
          }
          p.op(0x75);
        }
      }
      seen.delete(v);
    } else {
      throw new TypeError(`torch.save: cannot save ${where}, ${describeValue(v)}`);
    }
  };

  write(obj, 'obj');
  try {
    native.zipWrite(file, [['data.pkl', p.bytes()], ...records]);
  } catch (err) {
    throw new Error(`torch.save: cannot write ${file}: ${(err as Error).message}`);
  }
}

/** 'a Date', 'a tensor', 'the number 1.5': what a value is, for errors. */
function describeValue(v: unknown): string {
  if (v instanceof Tensor) return 'a tensor';
  if (v === null) return 'null';
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object with no prototype'}`;
  if (typeof v === 'number') return `the number ${v}`;
  // A module is callable, so a function, but named by its class (save its state_dict() instead).
  if (typeof v === 'function' && v.constructor !== Function) return `a ${v.constructor?.name ?? 'function'} (save a module's state_dict())`;
  return `a ${typeof v}`;
}

// ----- torch.load -----

export interface LoadOptions {
  /**
   * Where tensors go: a device for all of them ('cpu' loads CUDA-saved files
   * on a machine without a GPU), or, as in Python, a dict (a plain object or
   * a Map) from the locations the file names to devices: `{ 'cuda:0': 'cpu' }`;
   * a location the dict does not name stays where it was saved.
   */
  map_location?: DeviceLike | Record<string, DeviceLike> | Map<string, DeviceLike> | null;
  /** Only null: torchts reads Python's pickle format itself. */
  pickle_module?: null;
  /**
   * Python 1.13's flag to load only tensors, storages and containers. This
   * reader never loads anything else (it executes nothing a file names), so
   * true and false read the same files.
   */
  weights_only?: boolean;
}

// Python's **pickle_load_args (encoding, errors) configure its Unpickler,
// which this reader does not use: they are refused as unknown keywords. No
// "Did you mean" (unlike save): an unknown keyword reaches Python's Unpickler
// through **pickle_load_args, and its complaint never suggests a load parameter.
const loadArgs = new PythonArgParser(['load(str f, Any map_location=None, Any pickle_module=None, *, bool weights_only=False)']);

/** The device each saved location ('cpu', 'cuda:0') is restored to, as Python's _get_restore_location decides. */
function restoreLocation(map_location: LoadOptions['map_location']): (saved: string) => string {
  const asDevice = (v: unknown, what: string): string => {
    if (typeof v === 'string' || v instanceof device) return String(v);
    throw new TypeError(`torch.load: ${what} must be a device or a device string like 'cpu', got ${describeValue(v)}`);
  };
  if (map_location === null || map_location === undefined) return (saved) => saved;
  if (typeof map_location === 'string' || map_location instanceof device) {
    const target = String(map_location);
    return () => target;
  }
  let table: Map<string, string>;
  if (map_location instanceof Map) {
    table = new Map([...map_location].map(([k, v]) => [String(k), asDevice(v, `map_location.get('${String(k)}')`)]));
  } else if (typeof map_location === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(map_location))) {
    table = new Map(Object.entries(map_location).map(([k, v]) => [k, asDevice(v, `map_location['${k}']`)]));
  } else {
    throw new TypeError(`torch.load: map_location must be a device, a device string or a dict of them (a plain object or a Map), got ${describeValue(map_location)}`);
  }
  return (saved) => table.get(saved) ?? saved;
}

function checkInts(name: string, v: unknown, file: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    throw new Error(`torch.load: ${file}: a tensor's ${name} is not a list of non-negative integers`);
  }
  return v as number[];
}

/**
 * torch.load(path, { map_location }): what torch.save wrote, Python's or
 * ours. The pickle is read without executing anything: a class other than
 * containers, storages and tensors is refused by name.
 *
 * What comes back is `unknown` until the caller says what it saved:
 * `model.load_state_dict(torch.load(path))` infers a StateDict from where
 * the value goes, and `torch.load<Tensor>(path)` names it. Nothing checks
 * the file against T; the file decides what is there, as in Python.
 */
export function load<T = unknown>(f: string, options?: LoadOptions): T;
export function load<T = unknown>(f: string, map_location: LoadOptions['map_location'], options?: Omit<LoadOptions, 'map_location'>): T;
export function load<T = unknown>(f: string, map_location: LoadOptions['map_location'], pickle_module: null, options?: Omit<LoadOptions, 'map_location' | 'pickle_module'>): T;
export function load<T = unknown>(...args: unknown[]): T {
  const { f: file, map_location, pickle_module } = loadArgs.parseNamed(args) as unknown as { f: string; map_location: LoadOptions['map_location']; pickle_module: unknown };
  if (pickle_module !== null) throw new TypeError("torch.load: pickle_module can only be null here: torchts reads Python's pickle format itself");
  const restore = restoreLocation(map_location);
  if (!fs.existsSync(file)) throw new Error(`torch.load: no such file: ${file}`);
  let archive: ZipArchive;
  try {
    archive = ZipArchive.open(file, 'torch.load');
  } catch (err) {
    if (!(err instanceof ZipFormatError)) throw err;
    throw new Error(`torch.load: ${file} is not a readable torch.save zip archive${looksLegacy(file) ? " (it looks like torch.save's legacy, pre-1.6 format, which torchts does not read; re-save it with a recent PyTorch)" : ''}: ${err.message}`);
  }
  try {
    return loadArchive(archive, restore) as T;
  } finally {
    archive.close();
  }
}

/** Whether `file` starts as a pickle does (torch.save's format before 1.6); reads its first byte only. */
function looksLegacy(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(1);
    return fs.readSync(fd, head, 0, 1, 0) === 1 && head[0] === 0x80;
  } finally {
    fs.closeSync(fd);
  }
}

function loadArchive(archive: ZipArchive, restore: (saved: string) => string): any {
  const file = archive.file;
  // Python's reader (libtorch's PyTorchStreamReader) requires both.
  for (const record of ['data.pkl', 'version']) {
    if (archive.size(record) === undefined) throw new Error(`torch.load: ${file} has no ${record} record; it is not a file torch.save wrote`);
  }
  const pkl = archive.read('data.pkl', 'torch.load');
  const storages = new Map<string, Tensor>();

  // Only the records the pickle names are read, each only after its declared size matches the storage's.
  const loadStorage = (pid: unknown): Tensor => {
    if (!Array.isArray(pid) || pid[0] !== 'storage' || !(pid[1] instanceof StorageType)) {
      throw new Error(`torch.load: ${file}: unsupported persistent id ${JSON.stringify(pid)}`);
    }
    const [, type, key, location, numel] = pid as [string, StorageType, string, string, number];
    const cached = storages.get(key);
    if (cached) return cached;
    const record = `data/${String(key)}`;
    const size = archive.size(record);
    if (size === undefined) throw new Error(`torch.load: ${file}: storage record ${record} is missing`);
    const need = numel * type.dtype.itemsize;
    if (!Number.isSafeInteger(numel) || numel < 0 || size !== need) {
      throw new Error(`torch.load: ${file}: storage ${record} has ${size} bytes, but ${numel} elements of ${String(type.dtype)} need ${need}`);
    }
    const bytes = archive.read(record, 'torch.load');
    let storage: Tensor = native.fromBuffer(bytes, [numel], type.dtype._code);
    if (typeof location !== 'string') throw new Error(`torch.load: ${file}: storage ${record} has location ${describeValue(location)}, not a device string`);
    const where = restore(location);
    if (where !== 'cpu') {
      try {
        storage = storage.to(where);
      } catch (err) {
        throw new Error(`torch.load: ${file}: cannot restore storage ${record} on ${where}: ${(err as Error).message}; map_location can send it elsewhere, e.g. { map_location: 'cpu' } or { map_location: { '${location}': 'cpu' } }`);
      }
    }
    storages.set(key, storage);
    return storage;
  };

  const rebuildTensor = (storage: unknown, offset: unknown, size: unknown, stride: unknown, requires_grad = false) => {
    if (!(storage instanceof Tensor)) throw new Error(`torch.load: ${file}: a tensor refers to something that is not a storage`);
    const dims = checkInts('size', size, file);
    const steps = checkInts('stride', stride, file);
    if (dims.length !== steps.length || typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
      throw new Error(`torch.load: ${file}: a tensor has mismatched size, stride or offset`);
    }
    const last = dims.some((d) => d === 0) ? offset - 1 : offset + dims.reduce((acc, d, i) => acc + (d - 1) * steps[i], 0);
    if (last >= storage.numel()) throw new Error(`torch.load: ${file}: a tensor of size [${dims.join(', ')}] reaches past the end of its storage (${storage.numel()} elements)`);
    const t: Tensor = _C.as_strided(storage, dims, steps, offset);
    if (requires_grad === true) t.requires_grad_(true);
    return t;
  };

  const resolve = (name: string): unknown => {
    const storage = storageByName.get(name);
    if (storage) return new StorageType(storage);
    switch (name) {
      case 'torch._utils._rebuild_tensor_v2':
      case 'torch._utils._rebuild_tensor':
        return rebuildTensor;
      case 'torch._utils._rebuild_parameter':
        return (data: unknown, requires_grad = true) => {
          if (!(data instanceof Tensor)) throw new Error(`torch.load: ${file}: a Parameter wraps something that is not a tensor`);
          return new Parameter(data, requires_grad === true);
        };
      case 'torch.Size':
        return (dims: unknown) => checkInts('torch.Size', dims, file);
      default:
        throw new Error(`torch.load: refusing to load ${file}: its pickle names '${name}', and only tensors, storages and containers are loaded (nothing in a file is executed)`);
    }
  };

  try {
    return unpickle(pkl, resolve, loadStorage);
  } catch (err) {
    if (err instanceof PickleError) throw new Error(`torch.load: ${file}: ${err.message}`);
    throw err;
  }
}
