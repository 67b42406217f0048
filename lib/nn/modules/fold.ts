// nn.Fold and nn.Unfold, after torch/nn/modules/fold.py.
import { aten } from '../../aten';
import type { Tensor } from '../../tensor';
import { Module } from './module';
import { _ntuple, def_, intOrTuple, reprAsGiven, type PyArgs } from './utils';

type IntN = number | number[];

const im2col = aten('im2col', '');
const col2im = aten('col2im', '');

interface UnfoldKwargs {
  kernel_size: IntN;
  dilation?: IntN;
  padding?: IntN;
  stride?: IntN;
}

interface FoldKwargs extends UnfoldKwargs {
  output_size: IntN;
}

const foldArgs = def_<Required<FoldKwargs>>('Fold(Any output_size, Any kernel_size, Any dilation=1, Any padding=0, Any stride=1)');
const unfoldArgs = def_<Required<UnfoldKwargs>>('Unfold(Any kernel_size, Any dilation=1, Any padding=0, Any stride=1)');

const shapeOf = (t: Tensor) => `[${[...t.shape].join(', ')}]`;

/**
 * Sums columns of sliding blocks back into a tensor (the adjoint of Unfold):
 * (N, C * prod(kernel_size), L) or (C * prod(kernel_size), L) to
 * (N, C, output_size[0], output_size[1]), L the number of blocks.
 */
export class Fold extends Module {
  output_size: IntN;
  kernel_size: IntN;
  dilation: IntN;
  padding: IntN;
  stride: IntN;
  private readonly args: number[][];

  /** Python's Fold(output_size, kernel_size, dilation=1, padding=0, stride=1). */
  constructor(...args: PyArgs<[output_size: IntN, kernel_size: IntN], [dilation: IntN, padding: IntN, stride: IntN], FoldKwargs>);
  constructor(...args: unknown[]) {
    const a = foldArgs(args);
    super();
    // Kept as given, as Python keeps them; checked and paired once here.
    this.output_size = intOrTuple('Fold', 'output_size', a.output_size, 2);
    this.kernel_size = intOrTuple('Fold', 'kernel_size', a.kernel_size, 2);
    this.dilation = intOrTuple('Fold', 'dilation', a.dilation, 2);
    this.padding = intOrTuple('Fold', 'padding', a.padding, 2);
    this.stride = intOrTuple('Fold', 'stride', a.stride, 2);
    this.args = [this.output_size, this.kernel_size, this.dilation, this.padding, this.stride].map((v) => _ntuple('Fold', '', v, 2));
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new RangeError(`${this.toString()}: Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got ${input.ndim}D, shape ${shapeOf(input)})`);
    }
    try {
      return col2im(input, ...this.args);
    } catch (err) {
      throw new RangeError(`${this.toString()} got an input of shape ${shapeOf(input)}: ${(err as Error).message}`);
    }
  }

  override extra_repr(): string {
    const r = reprAsGiven;
    return `output_size=${r(this.output_size)}, kernel_size=${r(this.kernel_size)}, dilation=${r(this.dilation)}, padding=${r(this.padding)}, stride=${r(this.stride)}`;
  }
}

/**
 * Extracts sliding local blocks as columns: (N, C, H, W) or (C, H, W) to
 * (N, C * prod(kernel_size), L), L = prod_d floor((size_d + 2 padding_d -
 * dilation_d (kernel_d - 1) - 1) / stride_d + 1).
 */
export class Unfold extends Module {
  kernel_size: IntN;
  dilation: IntN;
  padding: IntN;
  stride: IntN;
  private readonly args: number[][];

  /** Python's Unfold(kernel_size, dilation=1, padding=0, stride=1). */
  constructor(...args: PyArgs<[kernel_size: IntN], [dilation: IntN, padding: IntN, stride: IntN], UnfoldKwargs>);
  constructor(...args: unknown[]) {
    const a = unfoldArgs(args);
    super();
    this.kernel_size = intOrTuple('Unfold', 'kernel_size', a.kernel_size, 2);
    this.dilation = intOrTuple('Unfold', 'dilation', a.dilation, 2);
    this.padding = intOrTuple('Unfold', 'padding', a.padding, 2);
    this.stride = intOrTuple('Unfold', 'stride', a.stride, 2);
    this.args = [this.kernel_size, this.dilation, this.padding, this.stride].map((v) => _ntuple('Unfold', '', v, 2));
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 3 && input.ndim !== 4) {
      throw new RangeError(`${this.toString()}: Input Error: Only unbatched (3D) or batched (4D) input Tensors are supported (got ${input.ndim}D, shape ${shapeOf(input)})`);
    }
    try {
      return im2col(input, ...this.args);
    } catch (err) {
      throw new RangeError(`${this.toString()} got an input of shape ${shapeOf(input)}: ${(err as Error).message}`);
    }
  }

  override extra_repr(): string {
    const r = reprAsGiven;
    return `kernel_size=${r(this.kernel_size)}, dilation=${r(this.dilation)}, padding=${r(this.padding)}, stride=${r(this.stride)}`;
  }
}
