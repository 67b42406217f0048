// nn.functional's convolutions, shuffles, distances and padding that Python
// exports as builtins (F.conv1d is torch.conv1d): the generated bindings
// themselves, bound by PythonArgParser exactly as Python binds them.
import { aten } from '../../aten';
import * as N from '../../_generated/nn';
import * as T from '../../_generated/torch_functions';
import type { Tensor } from '../../tensor';
import { _ntuple } from '../modules/utils';
import { pyfn, type PyFn } from './_utils';

/** 1-D convolution: out(N, C_out, L) = bias + Σ_k weight(C_out, k) ⋆ input(N, k). Python's conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) (the builtin torch.conv1d). */
export const conv1d = T.conv1d;
/** 3-D convolution: out(N, C_out, D, H, W) = bias + Σ_k weight(C_out, k) ⋆ input(N, k). Python's conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) (the builtin torch.conv3d). */
export const conv3d = T.conv3d;
/** 1-D transposed convolution (the gradient of conv1d with respect to its input). Python's conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1) (the builtin torch.conv_transpose1d). */
export const conv_transpose1d = T.conv_transpose1d;
/** 2-D transposed convolution (the gradient of conv2d with respect to its input). Python's conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1) (the builtin torch.conv_transpose2d). */
export const conv_transpose2d = T.conv_transpose2d;
/** 3-D transposed convolution (the gradient of conv3d with respect to its input). Python's conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1) (the builtin torch.conv_transpose3d). */
export const conv_transpose3d = T.conv_transpose3d;
/** 1-D convolution over (Time, Batch, Channels). Python's conv_tbc(input, weight, bias, pad=0) (the builtin torch.conv_tbc). */
export const conv_tbc = T.conv_tbc;
/** y = x1ᵀ A x2 + b. Python's bilinear(input1, input2, weight, bias=None) (the builtin torch.bilinear). */
export const bilinear = T.bilinear;
/** (*, C·r², H, W) → (*, C, H·r, W·r). Python's pixel_shuffle(input, upscale_factor) (the builtin torch.pixel_shuffle). */
export const pixel_shuffle = T.pixel_shuffle;
/** (*, C, H·r, W·r) → (*, C·r², H, W). Python's pixel_unshuffle(input, downscale_factor) (the builtin torch.pixel_unshuffle). */
export const pixel_unshuffle = T.pixel_unshuffle;
/** Channels (*, g·k, ...) rearranged as (*, k·g, ...). Python's channel_shuffle(input, groups) (the builtin torch.channel_shuffle). */
export const channel_shuffle = T.channel_shuffle;
/** channel_shuffle's native kernel. Python's native_channel_shuffle(input, groups) (the builtin torch.native_channel_shuffle). */
export const native_channel_shuffle = T.native_channel_shuffle;
/** ‖x1 - x2 + eps‖_p along the last dimension. Python's pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False) (the builtin torch.pairwise_distance). */
export const pairwise_distance = T.pairwise_distance;
/** The p-norm distance between every pair of rows (the upper triangle of cdist, flattened). Python's pdist(input, p=2) (the builtin torch.pdist). */
export const pdist = T.pdist;
/** x1 · x2 / max(‖x1‖ ‖x2‖, eps) along dim. Python's cosine_similarity(x1, x2, dim=1, eps=1e-8) (the builtin torch.cosine_similarity). */
export const cosine_similarity = T.cosine_similarity;
/** The one-hot encoding (*) → (*, num_classes) of class indices. Python's one_hot(tensor, num_classes=-1) (the builtin torch._C._nn.one_hot). */
export const one_hot = N.one_hot;
/**
 * Pads the last dimensions by (left, right, top, bottom, ...), mode 'constant'
 * (with value), 'reflect', 'replicate' or 'circular'. Python's pad(input, pad, mode="constant", value=None)
 * (the builtin torch._C._nn.pad).
 */
export const pad = N.pad;

const im2col = aten('im2col', '');
const col2im = aten('col2im', '');

type IntN = number | number[];
type UnfoldKw = { input: Tensor; kernel_size: IntN; dilation: IntN; padding: IntN; stride: IntN };

/** Sliding local blocks of a batched 4-D input as columns: (N, C, H, W) → (N, C·∏kernel_size, L). Python's unfold(input, kernel_size, dilation=1, padding=0, stride=1). */
export const unfold: PyFn<[input: Tensor, kernel_size: IntN], [dilation: IntN, padding: IntN, stride: IntN], UnfoldKw> = pyfn(
  'unfold(Tensor input, Any kernel_size, Any dilation=1, Any padding=0, Any stride=1)',
  (a: UnfoldKw) => im2col(a.input, pair('unfold', 'kernel_size', a.kernel_size), pair('unfold', 'dilation', a.dilation), pair('unfold', 'padding', a.padding), pair('unfold', 'stride', a.stride)),
);

type FoldKw = UnfoldKw & { output_size: IntN };

/** Sums columns of sliding blocks back into a batched tensor: (N, C·∏kernel_size, L) → (N, C, output_size). Python's fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1). */
export const fold: PyFn<[input: Tensor, output_size: IntN, kernel_size: IntN], [dilation: IntN, padding: IntN, stride: IntN], FoldKw> = pyfn(
  'fold(Tensor input, Any output_size, Any kernel_size, Any dilation=1, Any padding=0, Any stride=1)',
  (a: FoldKw) =>
    col2im(a.input, pair('fold', 'output_size', a.output_size), pair('fold', 'kernel_size', a.kernel_size), pair('fold', 'dilation', a.dilation), pair('fold', 'padding', a.padding), pair('fold', 'stride', a.stride)),
);

function pair(fn: string, name: string, v: unknown): number[] {
  return _ntuple(fn, name, v, 2);
}
