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

/** torch.memory_format: the order of a dense tensor's strides (c10::MemoryFormat). */
export class memory_format extends TorchEnumValue {}

export const contiguous_format = new memory_format(0, 'contiguous_format');
export const preserve_format = new memory_format(1, 'preserve_format');
export const channels_last = new memory_format(2, 'channels_last');
export const channels_last_3d = new memory_format(3, 'channels_last_3d');
