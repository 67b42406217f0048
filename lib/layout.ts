// torch.layout and torch.memory_format: how a tensor's elements are laid out
// in memory, with the codes libtorch's c10::Layout and c10::MemoryFormat give
// them (read by the native layer as numbers).
import { inspect } from 'node:util';

/** A value of one of libtorch's small enums, printed as Python prints it: `torch.strided`. */
abstract class TorchEnumValue {
  constructor(
    /** libtorch's code for the value. */
    readonly _code: number,
    readonly name: string,
  ) {}

  toString(): string {
    return `torch.${this.name}`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** torch.layout: strided (dense) or one of the sparse formats (c10::Layout). */
export class layout extends TorchEnumValue {}

export const strided = new layout(0, 'strided');
export const sparse_coo = new layout(1, 'sparse_coo');
export const sparse_csr = new layout(2, 'sparse_csr');
export const _mkldnn = new layout(3, '_mkldnn');
export const sparse_csc = new layout(4, 'sparse_csc');
export const sparse_bsr = new layout(5, 'sparse_bsr');
export const sparse_bsc = new layout(6, 'sparse_bsc');

const LAYOUTS = [strided, sparse_coo, sparse_csr, _mkldnn, sparse_csc, sparse_bsr, sparse_bsc];

/** The torch.layout of a c10::Layout code (what native.layout gives). */
export function layoutFromCode(code: number): layout {
  const l = LAYOUTS[code];
  if (l === undefined) throw new RangeError(`unknown layout code ${code}`);
  return l;
}

/** torch.memory_format: the order of a dense tensor's strides (c10::MemoryFormat). */
export class memory_format extends TorchEnumValue {}

export const contiguous_format = new memory_format(0, 'contiguous_format');
export const preserve_format = new memory_format(1, 'preserve_format');
export const channels_last = new memory_format(2, 'channels_last');
export const channels_last_3d = new memory_format(3, 'channels_last_3d');

const MEMORY_FORMATS = [contiguous_format, preserve_format, channels_last, channels_last_3d];

/** The torch.memory_format of a c10::MemoryFormat code (what the binder gives for a MemoryFormat argument). */
export function memoryFormatFromCode(code: number): memory_format {
  const f = MEMORY_FORMATS[code];
  if (f === undefined) throw new RangeError(`unknown memory format code ${code}`);
  return f;
}
