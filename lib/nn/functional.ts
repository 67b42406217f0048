// nn.functional (import * as F from 'torchts/nn/functional'), after
// torch/nn/functional.py: each function checks what Python checks and then
// calls the ATen operator Python calls.
import { checkOptions } from '../_options';
import { aten } from '../aten';
import type { dtype } from '../dtype';
import { Tensor } from '../tensor';

const C = {
  linear: aten('linear', ''),
  relu: aten('relu', ''),
  relu_: aten('relu_', ''),
  softmax: aten('softmax', 'int'),
  log_softmax: aten('log_softmax', 'int'),
  cross_entropy_loss: aten('cross_entropy_loss', ''),
  nll_loss_nd: aten('nll_loss_nd', ''),
  mse_loss: aten('mse_loss', ''),
  l1_loss: aten('l1_loss', ''),
  binary_cross_entropy_with_logits: aten('binary_cross_entropy_with_logits', ''),
  broadcast_tensors: aten('broadcast_tensors', ''),
  dropout: aten('dropout', ''),
  dropout_: aten('dropout_', ''),
  conv2d: aten('conv2d', ''),
  conv2d_padding: aten('conv2d', 'padding'),
  max_pool2d: aten('max_pool2d', ''),
  max_pool2d_with_indices: aten('max_pool2d_with_indices', ''),
  batch_norm: aten('batch_norm', ''),
  tanh: aten('tanh', ''),
  sigmoid: aten('sigmoid', ''),
};

export type Reduction = 'none' | 'mean' | 'sum';

/** Python's _Reduction.get_enum. */
export function reductionEnum(reduction: string): number {
  switch (reduction) {
    case 'none': return 0;
    case 'mean': return 1;
    case 'sum': return 2;
    default: throw new TypeError(`${String(reduction)} is not a valid value for reduction`);
  }
}

function checkTensor(fn: string, name: string, v: unknown): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${fn}(): argument '${name}' must be a Tensor, got ${v === null ? 'null' : typeof v}`);
}

// libtorch's own message for a float class target is "expected scalar type
// Long but found Float"; say what the target should be instead.
function checkClassTarget(fn: string, input: Tensor, target: Tensor, probabilitiesAllowed: boolean): void {
  if (!target.is_floating_point()) return;
  const sameShape = input.ndim === target.ndim && [...input.shape].every((d, i) => d === target.shape[i]);
  if (probabilitiesAllowed && sameShape) return;
  const shape = (t: Tensor) => `[${[...t.shape].join(', ')}]`;
  throw new TypeError(
    `${fn}: target has dtype ${String(target.dtype)} and shape ${shape(target)}; class-index targets must be int64 (torch.long)` +
      (probabilitiesAllowed ? `, and float targets (class probabilities) must have the input's shape ${shape(input)}` : ''),
  );
}

export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return C.linear(input, weight, bias);
}

export function relu(input: Tensor, inplace = false): Tensor {
  return inplace ? C.relu_(input) : C.relu(input);
}

export function tanh(input: Tensor): Tensor {
  return C.tanh(input);
}

export function sigmoid(input: Tensor): Tensor {
  return C.sigmoid(input);
}

export function softmax(input: Tensor, dim: number, { dtype: d }: { dtype?: dtype } = {}): Tensor {
  return C.softmax(input, dim, d);
}

export function log_softmax(input: Tensor, dim: number, { dtype: d }: { dtype?: dtype } = {}): Tensor {
  return C.log_softmax(input, dim, d);
}

export interface CrossEntropyOptions {
  weight?: Tensor | null;
  ignore_index?: number;
  reduction?: Reduction;
  label_smoothing?: number;
}

export function cross_entropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkOptions('cross_entropy', options, CROSS_ENTROPY_OPTIONS);
  return _cross_entropy(input, target, options);
}

const CROSS_ENTROPY_OPTIONS = { weight: 'Tensor?', ignore_index: 'int', reduction: 'str', label_smoothing: 'float' } as const;

/** cross_entropy for a caller whose options were checked once, as a module checks them at construction. */
export function _cross_entropy(input: Tensor, target: Tensor, { weight = null, ignore_index = -100, reduction = 'mean', label_smoothing = 0 }: CrossEntropyOptions = {}): Tensor {
  checkTensor('cross_entropy', 'input', input);
  checkTensor('cross_entropy', 'target', target);
  checkClassTarget('cross_entropy', input, target, true);
  return C.cross_entropy_loss(input, target, weight, reductionEnum(reduction), ignore_index, label_smoothing);
}

export function nll_loss(input: Tensor, target: Tensor, options: Omit<CrossEntropyOptions, 'label_smoothing'> = {}): Tensor {
  checkOptions('nll_loss', options, NLL_LOSS_OPTIONS);
  return _nll_loss(input, target, options);
}

const NLL_LOSS_OPTIONS = { weight: 'Tensor?', ignore_index: 'int', reduction: 'str' } as const;

/** nll_loss for a caller whose options were checked once, as a module checks them at construction. */
export function _nll_loss(input: Tensor, target: Tensor, { weight = null, ignore_index = -100, reduction = 'mean' }: Omit<CrossEntropyOptions, 'label_smoothing'> = {}): Tensor {
  checkTensor('nll_loss', 'input', input);
  checkTensor('nll_loss', 'target', target);
  checkClassTarget('nll_loss', input, target, false);
  return C.nll_loss_nd(input, target, weight, reductionEnum(reduction), ignore_index);
}

function pointwiseLoss(fn: string, op: (...a: unknown[]) => Tensor, input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  checkTensor(fn, 'input', input);
  checkTensor(fn, 'target', target);
  const [a, b] = C.broadcast_tensors([input, target]);
  return op(a, b, reductionEnum(reduction));
}

export function mse_loss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  checkOptions('mse_loss', options, MSE_LOSS_OPTIONS);
  return _mse_loss(input, target, options);
}

const MSE_LOSS_OPTIONS = { reduction: 'str' } as const;

/** mse_loss for a caller whose options were checked once, as a module checks them at construction. */
export function _mse_loss(input: Tensor, target: Tensor, { reduction = 'mean' }: { reduction?: Reduction } = {}): Tensor {
  return pointwiseLoss('mse_loss', C.mse_loss, input, target, reduction);
}

export function l1_loss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  checkOptions('l1_loss', options, L1_LOSS_OPTIONS);
  return _l1_loss(input, target, options);
}

const L1_LOSS_OPTIONS = { reduction: 'str' } as const;

/** l1_loss for a caller whose options were checked once, as a module checks them at construction. */
export function _l1_loss(input: Tensor, target: Tensor, { reduction = 'mean' }: { reduction?: Reduction } = {}): Tensor {
  return pointwiseLoss('l1_loss', C.l1_loss, input, target, reduction);
}

export function binary_cross_entropy_with_logits(
  input: Tensor,
  target: Tensor,
  options: { weight?: Tensor | null; reduction?: Reduction; pos_weight?: Tensor | null } = {},
): Tensor {
  checkOptions('binary_cross_entropy_with_logits', options, { weight: 'Tensor?', reduction: 'str', pos_weight: 'Tensor?' });
  return _binary_cross_entropy_with_logits(input, target, options);
}

/** binary_cross_entropy_with_logits for a caller whose options were checked once, as a module checks them at construction. */
export function _binary_cross_entropy_with_logits(
  input: Tensor,
  target: Tensor,
  { weight = null, reduction = 'mean', pos_weight = null }: { weight?: Tensor | null; reduction?: Reduction; pos_weight?: Tensor | null } = {},
): Tensor {
  checkTensor('binary_cross_entropy_with_logits', 'input', input);
  checkTensor('binary_cross_entropy_with_logits', 'target', target);
  const same = input.ndim === target.ndim && [...input.shape].every((d, i) => d === target.shape[i]);
  if (!same) throw new RangeError(`Target size (${String(target.shape)}) must be the same as input size (${String(input.shape)})`);
  return C.binary_cross_entropy_with_logits(input, target, weight, pos_weight, reductionEnum(reduction));
}

export function dropout(input: Tensor, p = 0.5, training = true, inplace = false): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  return inplace ? C.dropout_(input, p, training) : C.dropout(input, p, training);
}

export type IntPair = number | [number, number];

export interface Conv2dOptions {
  bias?: Tensor | null;
  stride?: IntPair;
  padding?: IntPair | 'valid' | 'same';
  dilation?: IntPair;
  groups?: number;
}

export function conv2d(input: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  checkOptions('conv2d', options, CONV2D_OPTIONS);
  return _conv2d(input, weight, options);
}

const CONV2D_OPTIONS = { bias: 'Tensor?', stride: 'int|int[]', padding: 'int|int[]|str', dilation: 'int|int[]', groups: 'int' } as const;

/** conv2d for a caller whose options were checked once, as a module checks them at construction. */
export function _conv2d(input: Tensor, weight: Tensor, { bias = null, stride = 1, padding = 0, dilation = 1, groups = 1 }: Conv2dOptions = {}): Tensor {
  return typeof padding === 'string'
    ? C.conv2d_padding(input, weight, bias, stride, padding, dilation, groups)
    : C.conv2d(input, weight, bias, stride, padding, dilation, groups);
}

export interface MaxPool2dOptions {
  stride?: IntPair | null;
  padding?: IntPair;
  dilation?: IntPair;
  ceil_mode?: boolean;
  return_indices?: boolean;
}

/** max_pool2d's result: the maxima, and with return_indices their flat indices too. */
export type MaxPool2dResult<ReturnIndices extends boolean> = ReturnIndices extends true ? [Tensor, Tensor] : Tensor;

export function max_pool2d(input: Tensor, kernel_size: IntPair, options?: MaxPool2dOptions & { return_indices?: false }): Tensor;
export function max_pool2d(input: Tensor, kernel_size: IntPair, options: MaxPool2dOptions & { return_indices: true }): [Tensor, Tensor];
export function max_pool2d(input: Tensor, kernel_size: IntPair, options?: MaxPool2dOptions): Tensor | [Tensor, Tensor];
export function max_pool2d(input: Tensor, kernel_size: IntPair, options: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  checkOptions('max_pool2d', options, MAX_POOL2D_OPTIONS);
  return _max_pool2d(input, kernel_size, options);
}

const MAX_POOL2D_OPTIONS = { stride: 'int|int[]?', padding: 'int|int[]', dilation: 'int|int[]', ceil_mode: 'bool', return_indices: 'bool' } as const;

/** max_pool2d for a caller whose options were checked once, as a module checks them at construction. */
export function _max_pool2d(input: Tensor, kernel_size: IntPair, { stride = null, padding = 0, dilation = 1, ceil_mode = false, return_indices = false }: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  // Python passes an empty stride for "same as kernel_size".
  const s = stride ?? [];
  return return_indices
    ? C.max_pool2d_with_indices(input, kernel_size, s, padding, dilation, ceil_mode)
    : C.max_pool2d(input, kernel_size, s, padding, dilation, ceil_mode);
}

export function batch_norm(
  input: Tensor,
  running_mean: Tensor | null,
  running_var: Tensor | null,
  options: { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; momentum?: number; eps?: number } = {},
): Tensor {
  checkOptions('batch_norm', options, { weight: 'Tensor?', bias: 'Tensor?', training: 'bool', momentum: 'float', eps: 'float' });
  return _batch_norm(input, running_mean, running_var, options);
}

/** batch_norm for a caller whose options were checked once, as a module checks them at construction. */
export function _batch_norm(
  input: Tensor,
  running_mean: Tensor | null,
  running_var: Tensor | null,
  { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 }: { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; momentum?: number; eps?: number } = {},
): Tensor {
  if (training) {
    const size = [...input.shape];
    let perChannel = size[0];
    for (let d = 2; d < size.length; d++) perChannel *= size[d];
    if (perChannel === 1) throw new RangeError(`Expected more than 1 value per channel when training, got input size torch.Size([${size.join(', ')}])`);
  }
  return C.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, true);
}
