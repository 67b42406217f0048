// torch.save and torch.load in the zip format Python's torch.save writes
// (since PyTorch 1.6): data.pkl (pickle protocol 2, tensors as persistent
// storage ids) and one record per storage under data/.
import { checkOptions } from '../_options';
import * as fs from 'node:fs';

import { _C } from '../_C';
import type { DeviceLike } from '../device';
import { dtype, bfloat16, bool, complex128, complex64, float16, float32, float64, int16, int32, int64, int8, uint8 } from '../dtype';
import { native } from '../native';
import { Parameter } from '../nn/parameter';
import { Tensor } from '../tensor';
import { Pickler, PickleError, unpickle } from './pickle';
import { checkRecordCrcs } from './zip_crc';

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

/**
 * torch.save(obj, path): tensors, Parameters, arrays, plain objects (written
 * as dicts), numbers, strings, booleans and null, nested. An object whose
 * keys are all non-negative integers (an optimizer's state) gets int keys,
 * as Python's has. Each tensor is saved with a storage of its own.
 */
export function save(obj: unknown, file: string): void {
  if (typeof file !== 'string') throw new TypeError(`torch.save: path must be a string, got ${typeof file}`);
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
      seen.add(v);
      if (Array.isArray(v)) {
        p.op(0x5d);
        if (v.length) {
          p.op(0x28);
          v.forEach((x, i) => write(x, `${where}[${i}]`));
          p.op(0x65);
        }
      } else {
        const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
        const intKeys = entries.length > 0 && entries.every(([k]) => /^(0|[1-9]\d*)$/.test(String(k)));
        p.op(0x7d);
        if (entries.length) {
          p.op(0x28);
          for (const [k, x] of entries) {
            if (intKeys) p.int(Number(k));
            else p.string(String(k));
            write(x, `${where}.${String(k)}`);
          }
          p.op(0x75);
        }
      }
      seen.delete(v);
    } else {
      throw new TypeError(`torch.save: cannot save ${where}, a ${typeof v}`);
    }
  };

  write(obj, 'obj');
  try {
    native.zipWrite(file, [['data.pkl', p.bytes()], ...records]);
  } catch (err) {
    throw new Error(`torch.save: cannot write ${file}: ${(err as Error).message}`);
  }
}

// ----- torch.load -----

export interface LoadOptions {
  /** Where tensors go: a device for all of them ('cpu' loads CUDA-saved files on a machine without a GPU). */
  map_location?: DeviceLike | null;
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
 */
export function load(file: string, options: LoadOptions = {}): any {
  checkOptions('load', options, { map_location: 'any' });
  const { map_location = null } = options;
  if (typeof file !== 'string') throw new TypeError(`torch.load: path must be a string, got ${typeof file}`);
  if (!fs.existsSync(file)) throw new Error(`torch.load: no such file: ${file}`);
  let records: Map<string, ArrayBuffer>;
  try {
    records = new Map(native.zipReadAll(file));
  } catch (err) {
    const head = fs.readFileSync(file).subarray(0, 2);
    const legacy = head[0] === 0x80 ? " (it looks like torch.save's legacy, pre-1.6 format, which torchts does not read; re-save it with a recent PyTorch)" : '';
    throw new Error(`torch.load: ${file} is not a readable torch.save zip archive${legacy}: ${(err as Error).message}`);
  }
  checkRecordCrcs(file, records, 'torch.load');
  const pkl = records.get('data.pkl');
  if (!pkl) throw new Error(`torch.load: ${file} has no data.pkl record; it is not a file torch.save wrote`);
  const target = map_location === null || map_location === undefined ? null : String(map_location);
  const storages = new Map<string, Tensor>();

  const loadStorage = (pid: unknown): Tensor => {
    if (!Array.isArray(pid) || pid[0] !== 'storage' || !(pid[1] instanceof StorageType)) {
      throw new Error(`torch.load: ${file}: unsupported persistent id ${JSON.stringify(pid)}`);
    }
    const [, type, key, location, numel] = pid as [string, StorageType, string, string, number];
    const cached = storages.get(key);
    if (cached) return cached;
    const bytes = records.get(`data/${key}`);
    if (!bytes) throw new Error(`torch.load: ${file}: storage record data/${key} is missing`);
    const need = numel * type.dtype.itemsize;
    if (!Number.isInteger(numel) || numel < 0 || bytes.byteLength !== need) {
      throw new Error(`torch.load: ${file}: storage data/${key} has ${bytes.byteLength} bytes, but ${numel} elements of ${String(type.dtype)} need ${need}`);
    }
    let storage: Tensor = native.fromBuffer(new Uint8Array(bytes), [numel], type.dtype._code);
    const device = target ?? String(location);
    if (device !== 'cpu') storage = storage.to(device);
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
      case 'collections.OrderedDict':
        return () => ({});
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
    return unpickle(new Uint8Array(pkl), resolve, loadStorage);
  } catch (err) {
    if (err instanceof PickleError) throw new Error(`torch.load: ${file}: ${err.message}`);
    throw err;
  }
}
