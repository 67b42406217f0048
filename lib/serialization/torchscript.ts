// A TorchScript archive's pickles (data.pkl, constants.pkl, the code's
// .debug_pkl records), read by our own unpickler before libtorch sees them.
// libtorch's unpickler trusts its input: a data.pkl of `\x80\x02R.` (REDUCE
// on an empty stack) crashes it, in Python 1.13 as here. Reading each pickle
// once with a reader that checks every operation's operands, and knows the
// globals torch.jit.save writes, means libtorch only ever sees well-formed
// pickles whose tensors fit their storage records.
import { PickleError, unpickle } from './pickle';

/** Bytes per element of each storage class torch.jit.save names (`torch.<Name>Storage`). */
const STORAGE_ITEMSIZE: Record<string, number> = {
  FloatStorage: 4, DoubleStorage: 8, HalfStorage: 2, BFloat16Storage: 2, LongStorage: 8, IntStorage: 4, ShortStorage: 2,
  CharStorage: 1, ByteStorage: 1, BoolStorage: 1, ComplexHalfStorage: 4, ComplexFloatStorage: 8, ComplexDoubleStorage: 16,
  QInt8Storage: 1, QUInt8Storage: 1, QInt32Storage: 4, QUInt4x2Storage: 1, QUInt2x4Storage: 1,
};
const QSCHEMES = new Set(['per_tensor_affine', 'per_channel_affine', 'per_tensor_symmetric', 'per_channel_symmetric', 'per_channel_affine_float_qparams']);

// What the archive's pickles build, as far as checking needs: never the values themselves.
class StorageClass {
  constructor(readonly name: string, readonly itemsize: number) {}
}
class Storage {
  constructor(readonly record: string, readonly elements: number) {}
}
class TensorValue {}
class QScheme {}
class Device {}
class ScriptClass {
  constructor(readonly name: string) {}
}
class ScriptObject {
  built = false;
  constructor(readonly cls: ScriptClass) {}
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads `pickle`, the record `record` of a TorchScript archive, as libtorch
 * would, and throws a PickleError naming what is malformed. `recordSize`
 * gives the size of another record of the archive (undefined when absent).
 */
export function checkTorchScriptPickle(record: string, pickle: Uint8Array, recordSize: (name: string) => number | undefined): void {
  // Tensors of data.pkl live under data/, those of constants.pkl under constants/.
  const tensorFolder = record.replace(/\.pkl$/, '');

  const persistent = (pid: unknown): Storage => {
    if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') throw new PickleError(`persistent id ${describe(pid)} is not a ('storage', type, key, location, size) tuple`);
    const [, type, key, location, elements] = pid as unknown[];
    if (!(type instanceof StorageClass)) throw new PickleError(`persistent id with storage type ${describe(type)}, not a torch.*Storage`);
    if (typeof key !== 'string' || !/^[A-Za-z0-9_.]+$/.test(key) || key.startsWith('.')) throw new PickleError(`persistent id with storage key ${describe(key)}`);
    if (typeof location !== 'string') throw new PickleError(`persistent id with location ${describe(location)}, not a string`);
    if (!isIndex(elements)) throw new PickleError(`persistent id with storage size ${describe(elements)}, not a non-negative integer`);
    const name = `${tensorFolder}/${key}`;
    const size = recordSize(name);
    if (size === undefined) throw new PickleError(`storage record ${name} is missing`);
    if (size !== elements * type.itemsize) throw new PickleError(`storage record ${name} has ${size} bytes, but ${elements} elements of torch.${type.name} need ${elements * type.itemsize}`);
    return new Storage(name, elements);
  };

  const checkView = (fn: string, storage: unknown, offset: unknown, size: unknown, stride: unknown): TensorValue => {
    if (!(storage instanceof Storage)) throw new PickleError(`${fn} of ${describe(storage)}, not a storage`);
    if (!isIndex(offset)) throw new PickleError(`${fn} with storage offset ${describe(offset)}`);
    if (!Array.isArray(size) || !size.every(isIndex) || !Array.isArray(stride) || !stride.every(isIndex) || size.length !== stride.length) {
      throw new PickleError(`${fn} with size ${describe(size)} and stride ${describe(stride)}; they must be equally long lists of non-negative integers`);
    }
    const last = size.some((d) => d === 0) ? offset - 1 : offset + size.reduce((acc: number, d: number, i: number) => acc + (d - 1) * stride[i], 0);
    if (last >= storage.elements) throw new PickleError(`${fn}: a tensor of size [${size.join(', ')}] reaches past the end of its storage ${storage.record} (${storage.elements} elements)`);
    return new TensorValue();
  };

  const takesOneList = (fn: string) => (...args: unknown[]) => {
    if (args.length !== 1 || !Array.isArray(args[0])) throw new PickleError(`${fn} takes one list, got ${args.length} arguments`);
    return args[0];
  };

  const resolve = (name: string): unknown => {
    if (name.startsWith('__torch__.')) {
      const cls = new ScriptClass(name);
      return Object.assign((..._args: unknown[]) => new ScriptObject(cls), { scriptClass: cls });
    }
    const storage = /^torch\.(\w+Storage)$/.exec(name);
    if (storage && STORAGE_ITEMSIZE[storage[1]] !== undefined) return new StorageClass(storage[1], STORAGE_ITEMSIZE[storage[1]]);
    if (name.startsWith('torch.') && QSCHEMES.has(name.slice(6))) return new QScheme();
    switch (name) {
      case 'torch._utils._rebuild_tensor_v2':
        return (...args: unknown[]) => {
          if (args.length < 4 || args.length > 7) throw new PickleError(`_rebuild_tensor_v2 with ${args.length} arguments`);
          if (args.length > 4 && typeof args[4] !== 'boolean') throw new PickleError(`_rebuild_tensor_v2 with requires_grad ${describe(args[4])}, not a bool`);
          return checkView('_rebuild_tensor_v2', args[0], args[1], args[2], args[3]);
        };
      case 'torch._utils._rebuild_qtensor':
        return (...args: unknown[]) => {
          if (args.length < 5 || args.length > 7) throw new PickleError(`_rebuild_qtensor with ${args.length} arguments`);
          const params = args[4];
          if (!Array.isArray(params) || !(params[0] instanceof QScheme)) throw new PickleError(`_rebuild_qtensor with quantizer parameters ${describe(params)}, not a tuple starting with a torch qscheme`);
          return checkView('_rebuild_qtensor', args[0], args[1], args[2], args[3]);
        };
      case 'torch.jit._pickle.build_intlist':
      case 'torch.jit._pickle.build_doublelist':
      case 'torch.jit._pickle.build_boollist':
      case 'torch.jit._pickle.build_tensorlist':
        return takesOneList(name);
      case 'torch.jit._pickle.build_tensor_from_id':
        return (...args: unknown[]) => {
          if (args.length !== 1 || !isIndex(args[0])) throw new PickleError(`build_tensor_from_id takes one index, got ${describe(args)}`);
          return new TensorValue();
        };
      case 'torch.jit._pickle.restore_type_tag':
        return (...args: unknown[]) => {
          if (args.length !== 2 || typeof args[1] !== 'string') throw new PickleError(`restore_type_tag takes a value and a type string, got ${describe(args)}`);
          return args[0];
        };
      case 'builtins.complex':
        return (...args: unknown[]) => {
          if (args.length !== 2 || typeof args[0] !== 'number' || typeof args[1] !== 'number') throw new PickleError(`complex takes two floats, got ${describe(args)}`);
          return 0;
        };
      case 'torch.device':
        return (...args: unknown[]) => {
          if (args.length < 1 || args.length > 2 || typeof args[0] !== 'string') throw new PickleError(`torch.device takes a device string, got ${describe(args)}`);
          return new Device();
        };
      default:
        throw new PickleError(`it names '${name}', which is not a global TorchScript archives use`);
    }
  };

  const build = (obj: unknown, _state: unknown): boolean => {
    // A scripted class's state is set once (its attribute dict, or whatever its __getstate__ returned).
    if (!(obj instanceof ScriptObject) || obj.built) return false;
    obj.built = true;
    return true;
  };
  const takesBareArgument = (fn: unknown) => typeof fn === 'function' && (fn as { scriptClass?: ScriptClass }).scriptClass !== undefined;

  unpickle(pickle, resolve, persistent, { build, takesBareArgument });
}

function describe(v: unknown): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return `(${v.slice(0, 6).map(describe).join(', ')}${v.length > 6 ? ', ...' : ''})`;
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  if (typeof v === 'function') return 'a function';
  return String(v);
}
