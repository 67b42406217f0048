// nn.MaxPool2d, after torch/nn/modules/pooling.py.
import { checkOptions } from '../../_options';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';

type IntPair = number | [number, number];

const show = (v: IntPair) => (typeof v === 'number' ? String(v) : `(${v.join(', ')})`);

/**
 * Max over kH x kW windows. Input: (N, C, H, W) or (C, H, W). With
 * `return_indices: true` it gives [output, indices], and its type says so.
 */
export class MaxPool2d<ReturnIndices extends boolean = false> extends Module {
  kernel_size: IntPair;
  stride: IntPair;
  padding: IntPair;
  dilation: IntPair;
  return_indices: ReturnIndices;
  ceil_mode: boolean;

  constructor(
    kernel_size: IntPair,
    options: { stride?: IntPair | null; padding?: IntPair; dilation?: IntPair; return_indices?: ReturnIndices; ceil_mode?: boolean } = {},
  ) {
    checkOptions('MaxPool2d', options, { stride: 'int|int[]?', padding: 'int|int[]', dilation: 'int|int[]', return_indices: 'bool', ceil_mode: 'bool' });
    const { stride = null, padding = 0, dilation = 1, return_indices = false as ReturnIndices, ceil_mode = false } = options;
    super();
    this.kernel_size = kernel_size;
    this.stride = stride ?? kernel_size;
    this.padding = padding;
    this.dilation = dilation;
    this.return_indices = return_indices;
    this.ceil_mode = ceil_mode;
  }

  override forward(input: Tensor): F.MaxPool2dResult<ReturnIndices> {
    return F._max_pool2d(input, this.kernel_size, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceil_mode: this.ceil_mode,
      return_indices: this.return_indices,
    }) as F.MaxPool2dResult<ReturnIndices>;
  }

  override extra_repr(): string {
    return `kernel_size=${show(this.kernel_size)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceil_mode=${this.ceil_mode ? 'True' : 'False'}`;
  }
}
