// nn.functional's pooling (average), normalisation and dropout variants, after
// torch/nn/functional.py: builtins re-exported, Python's defs bound by their
// signatures and calling the same ATen operators in the same order.
import { aten } from '../../aten';
import * as N from '../../_generated/nn';
import * as T from '../../_generated/torch_functions';
import type { Tensor } from '../../tensor';
import { pyfn, warn, type PyFn } from './_utils';

const A = {
  adaptive_avg_pool2d: aten('adaptive_avg_pool2d', ''),
  adaptive_avg_pool3d: aten('adaptive_avg_pool3d', ''),
  layer_norm: aten('layer_norm', ''),
  norm: aten('norm', 'ScalarOpt_dim'),
  clamp_min: aten('clamp_min', ''),
  expand_as: aten('expand_as', ''),
  div: aten('div', 'Tensor'),
  div_out: aten('div', 'out'),
  alpha_dropout: aten('alpha_dropout', ''),
  alpha_dropout_: aten('alpha_dropout_', ''),
  feature_alpha_dropout: aten('feature_alpha_dropout', ''),
  feature_alpha_dropout_: aten('feature_alpha_dropout_', ''),
  feature_dropout: aten('feature_dropout', ''),
  feature_dropout_: aten('feature_dropout_', ''),
  unsqueeze: aten('unsqueeze', ''),
  unsqueeze_: aten('unsqueeze_', ''),
  squeeze: aten('squeeze', 'dim'),
  squeeze_: aten('squeeze_', 'dim'),
};

/** 1-D average pooling: the mean of each window. Python's avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True) (the builtin torch.avg_pool1d). */
export const avg_pool1d = T.avg_pool1d;
/** 2-D average pooling: the mean of each kH×kW window. Python's avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) (the builtin torch._C._nn.avg_pool2d). */
export const avg_pool2d = N.avg_pool2d;
/** 3-D average pooling: the mean of each kT×kH×kW window. Python's avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None) (the builtin torch._C._nn.avg_pool3d). */
export const avg_pool3d = N.avg_pool3d;
/** 1-D adaptive average pooling to output_size windows. Python's adaptive_avg_pool1d(input, output_size) (the builtin torch.adaptive_avg_pool1d). */
export const adaptive_avg_pool1d = T.adaptive_avg_pool1d;

type OutSize = number | (number | null)[];

/** Python's _list_with_default: an output size with None for "as the input has it". */
function listWithDefault(outSize: OutSize, defaults: readonly number[]): number | number[] {
  if (typeof outSize === 'number') return outSize;
  if (defaults.length <= outSize.length) throw new RangeError(`Input dimension should be at least ${outSize.length + 1}`);
  const tail = defaults.slice(defaults.length - outSize.length);
  return outSize.map((v, i) => v ?? tail[i]);
}

type AdaptiveKw = { input: Tensor; output_size: OutSize };

/** 2-D adaptive average pooling to an H×W output (None keeps the input's size). Python's adaptive_avg_pool2d(input, output_size). */
export const adaptive_avg_pool2d: PyFn<[input: Tensor, output_size: OutSize], [], AdaptiveKw> = pyfn('adaptive_avg_pool2d(Tensor input, Any output_size)', (a: AdaptiveKw) =>
  A.adaptive_avg_pool2d(a.input, listWithDefault(a.output_size, [...a.input.shape])),
);

/** 3-D adaptive average pooling to a D×H×W output (None keeps the input's size). Python's adaptive_avg_pool3d(input, output_size). */
export const adaptive_avg_pool3d: PyFn<[input: Tensor, output_size: OutSize], [], AdaptiveKw> = pyfn('adaptive_avg_pool3d(Tensor input, Any output_size)', (a: AdaptiveKw) =>
  A.adaptive_avg_pool3d(a.input, listWithDefault(a.output_size, [...a.input.shape])),
);

type LayerNormKw = { input: Tensor; normalized_shape: number[]; weight: Tensor | null; bias: Tensor | null; eps: number };

/** y = (x - E[x]) / √(Var[x] + eps) · weight + bias over the last dims normalized_shape. Python's layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05). */
export const layer_norm: PyFn<[input: Tensor, normalized_shape: number[]], [weight: Tensor | null, bias: Tensor | null, eps: number], LayerNormKw> = pyfn(
  'layer_norm(Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05)',
  (a: LayerNormKw) => A.layer_norm(a.input, a.normalized_shape, a.weight, a.bias, a.eps, true),
);

type NormalizeKw = { input: Tensor; p: number; dim: number; eps: number; out: Tensor | null };

/** v / max(‖v‖_p, eps) along dim. Python's normalize(input, p=2.0, dim=1, eps=1e-12, out=None). */
export const normalize: PyFn<[input: Tensor], [p: number, dim: number, eps: number, out: Tensor | null], NormalizeKw> = pyfn(
  'normalize(Tensor input, float p=2.0, int dim=1, float eps=1e-12, Tensor? out=None)',
  (a: NormalizeKw) => {
    const denom = A.expand_as(A.clamp_min(A.norm(a.input, a.p, [a.dim], true), a.eps), a.input);
    if (a.out === null) return A.div(a.input, denom);
    return A.div_out(a.input, denom, a.out);
  },
);

type DropoutKw = { input: Tensor; p: number; training: boolean; inplace: boolean };
type DropoutFn = PyFn<[input: Tensor], [p: number, training: boolean, inplace: boolean], DropoutKw>;

function checkP(p: number): void {
  if (p < 0.0 || p > 1.0) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
}

/** Alpha dropout: keeps SELU's zero mean and unit variance, dropped values set to -α·scale, then an affine correction. Python's alpha_dropout(input, p=0.5, training=False, inplace=False). */
export const alpha_dropout: DropoutFn = pyfn('alpha_dropout(Tensor input, float p=0.5, bool training=False, bool inplace=False)', (a: DropoutKw) => {
  checkP(a.p);
  return a.inplace ? A.alpha_dropout_(a.input, a.p, a.training) : A.alpha_dropout(a.input, a.p, a.training);
});

/** Alpha dropout of whole channels. Python's feature_alpha_dropout(input, p=0.5, training=False, inplace=False). */
export const feature_alpha_dropout: DropoutFn = pyfn('feature_alpha_dropout(Tensor input, float p=0.5, bool training=False, bool inplace=False)', (a: DropoutKw) => {
  checkP(a.p);
  return a.inplace ? A.feature_alpha_dropout_(a.input, a.p, a.training) : A.feature_alpha_dropout(a.input, a.p, a.training);
});

function channelDropout(batchedDim: number, a: DropoutKw): Tensor {
  const inplace = a.inplace;
  const isBatched = a.input.ndim === batchedDim;
  let input = a.input;
  if (!isBatched) input = inplace ? A.unsqueeze_(input, 0) : A.unsqueeze(input, 0);
  let result: Tensor = inplace ? A.feature_dropout_(input, a.p, a.training) : A.feature_dropout(input, a.p, a.training);
  if (!isBatched) result = inplace ? A.squeeze_(result, 0) : A.squeeze(result, 0);
  return result;
}

/** Zeroes whole channels of (N, C, L) or (C, L) with probability p, scaling the rest by 1/(1-p). Python's dropout1d(input, p=0.5, training=True, inplace=False). */
export const dropout1d: DropoutFn = pyfn('dropout1d(Tensor input, float p=0.5, bool training=True, bool inplace=False)', (a: DropoutKw) => {
  checkP(a.p);
  const d = a.input.ndim;
  if (d !== 2 && d !== 3) {
    throw new Error(
      `dropout1d: Expected 2D or 3D input, but received a ${d}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`,
    );
  }
  return channelDropout(3, a);
});

/** Zeroes whole channels of (N, C, H, W) with probability p, scaling the rest by 1/(1-p). Python's dropout2d(input, p=0.5, training=True, inplace=False). */
export const dropout2d: DropoutFn = pyfn('dropout2d(Tensor input, float p=0.5, bool training=True, bool inplace=False)', (a: DropoutKw) => {
  checkP(a.p);
  const d = a.input.ndim;
  if (d !== 3 && d !== 4) {
    warn(
      `dropout2d: Received a ${d}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).`,
    );
  }
  if (d === 3) {
    warn(
      'dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.',
    );
  }
  return a.inplace ? A.feature_dropout_(a.input, a.p, a.training) : A.feature_dropout(a.input, a.p, a.training);
});

/** Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) with probability p, scaling the rest by 1/(1-p). Python's dropout3d(input, p=0.5, training=True, inplace=False). */
export const dropout3d: DropoutFn = pyfn('dropout3d(Tensor input, float p=0.5, bool training=True, bool inplace=False)', (a: DropoutKw) => {
  checkP(a.p);
  const d = a.input.ndim;
  if (d !== 4 && d !== 5) {
    warn(
      `dropout3d: Received a ${d}-D input to dropout3d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).`,
    );
  }
  return channelDropout(5, a);
});

const B = {
  group_norm: aten('group_norm', ''),
  instance_norm: aten('instance_norm', ''),
  mul: aten('mul', 'Tensor'),
  div: aten('div', 'Tensor'),
  pad: aten('pad', ''),
  avg_pool2d: aten('avg_pool2d', ''),
  avg_pool3d: aten('avg_pool3d', ''),
  view: aten('view', ''),
  mul_scalar: aten('mul', 'Scalar'),
  add_scalar: aten('add', 'Scalar'),
  pow: aten('pow', 'Tensor_Scalar'),
};

// Python passes torch.backends.cudnn.enabled, True unless a user turns it off
// (torchts has no switch for it); on CPU ATen ignores it.
const CUDNN_ENABLED = true;

/** Python's _verify_batch_size: training statistics need more than one value per channel. */
export function _verify_batch_size(size: readonly number[]): void {
  let prod = size[0];
  for (let i = 2; i < size.length; i++) prod *= size[i];
  if (prod === 1) throw new RangeError(`Expected more than 1 value per channel when training, got input size [${size.join(', ')}]`);
}

/** Python's _verify_spatial_size: instance statistics need more than one spatial element. */
export function _verify_spatial_size(size: readonly number[]): void {
  let prod = 1;
  for (let i = 2; i < size.length; i++) prod *= size[i];
  if (prod === 1) throw new RangeError(`Expected more than 1 spatial element when training, got input size torch.Size([${size.join(', ')}])`);
}

/** group_norm for a caller whose options were checked once (GroupNorm.forward). */
export function _group_norm(input: Tensor, num_groups: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const size = [...input.shape];
  if (size.length < 2) throw new RangeError(`group_norm(): expected an input of at least 2 dimensions (N, C, *), got shape [${size.join(', ')}]`);
  if (num_groups <= 0 || size[1] % num_groups !== 0) {
    throw new RangeError(`group_norm(): the input's ${size[1]} channels (dimension 1 of shape [${size.join(', ')}]) must be divisible by num_groups=${num_groups}`);
  }
  _verify_batch_size([Math.floor((size[0] * size[1]) / num_groups), num_groups, ...size.slice(2)]);
  return B.group_norm(input, num_groups, weight, bias, eps, CUDNN_ENABLED);
}

type GroupNormKw = { input: Tensor; num_groups: number; weight: Tensor | null; bias: Tensor | null; eps: number };

/**
 * Normalises each group of C/num_groups channels of each sample by its own
 * mean and variance, then weight·x + bias per channel. Input: (N, C, *).
 * Python's group_norm(input, num_groups, weight=None, bias=None, eps=1e-05).
 */
export const group_norm: PyFn<[input: Tensor, num_groups: number], [weight: Tensor | null, bias: Tensor | null, eps: number], GroupNormKw> = pyfn(
  'group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05)',
  (a: GroupNormKw) => _group_norm(a.input, a.num_groups, a.weight, a.bias, a.eps),
);

export interface InstanceNormOptions {
  running_mean?: Tensor | null;
  running_var?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  use_input_stats?: boolean;
  momentum?: number;
  eps?: number;
}

/** instance_norm for a caller whose options were checked once (InstanceNormNd.forward). */
export function _instance_norm(input: Tensor, { running_mean = null, running_var = null, weight = null, bias = null, use_input_stats = true, momentum = 0.1, eps = 1e-5 }: InstanceNormOptions = {}): Tensor {
  if (use_input_stats) _verify_spatial_size([...input.shape]);
  return B.instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, CUDNN_ENABLED);
}

type InstanceNormKw = InstanceNormOptions & { input: Tensor };

/**
 * Normalises each channel of each sample by its own mean and variance (or
 * by running statistics where use_input_stats is false). Input: (N, C, *).
 * Python's instance_norm(input, running_mean=None, running_var=None, weight=None,
 * bias=None, use_input_stats=True, momentum=0.1, eps=1e-05).
 */
export const instance_norm: PyFn<
  [input: Tensor],
  [running_mean: Tensor | null, running_var: Tensor | null, weight: Tensor | null, bias: Tensor | null, use_input_stats: boolean, momentum: number, eps: number],
  InstanceNormKw
> = pyfn(
  'instance_norm(Tensor input, Tensor? running_mean=None, Tensor? running_var=None, Tensor? weight=None, Tensor? bias=None, bool use_input_stats=True, float momentum=0.1, float eps=1e-05)',
  (a: Required<InstanceNormKw>) => _instance_norm(a.input, a),
);

/** local_response_norm for a caller whose options were checked once (LocalResponseNorm.forward). */
export function _local_response_norm(input: Tensor, size: number, alpha: number, beta: number, k: number): Tensor {
  const dim = input.ndim;
  if (dim < 3) throw new RangeError(`local_response_norm(): Expected 3D or higher dimensionality input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  let div: Tensor = A.unsqueeze(B.mul(input, input), 1);
  const before = Math.floor(size / 2);
  const after = Math.floor((size - 1) / 2);
  if (dim === 3) {
    div = B.pad(div, [0, 0, before, after], 'constant', null);
    div = A.squeeze(B.avg_pool2d(div, [size, 1], [1, 1], [0, 0], false, true, null), 1);
  } else {
    const sizes = [...input.shape];
    div = B.view(div, [sizes[0], 1, sizes[1], sizes[2], -1]);
    div = B.pad(div, [0, 0, 0, 0, before, after], 'constant', null);
    div = A.squeeze(B.avg_pool3d(div, [size, 1, 1], [1, 1, 1], [0, 0, 0], false, true, null), 1);
    div = B.view(div, sizes);
  }
  div = B.pow(B.add_scalar(B.mul_scalar(div, alpha), k, 1), beta);
  return B.div(input, div);
}

type LrnKw = { input: Tensor; size: number; alpha: number; beta: number; k: number };

/**
 * b_c = a_c · (k + α/n · Σ_{c' near c} a_{c'}²)^(-β), over `size` neighbouring
 * channels. Input: (N, C, *). Python's local_response_norm(input, size,
 * alpha=0.0001, beta=0.75, k=1.0).
 */
export const local_response_norm: PyFn<[input: Tensor, size: number], [alpha: number, beta: number, k: number], LrnKw> = pyfn(
  'local_response_norm(Tensor input, int size, float alpha=0.0001, float beta=0.75, float k=1.0)',
  (a: LrnKw) => _local_response_norm(a.input, a.size, a.alpha, a.beta, a.k),
);
