// nn.functional (import * as F from 'torchts/nn/functional'), after
// torch/nn/functional.py: each function binds its arguments by Python's
// parameter list (positionals in Python's order, keywords in a trailing
// options object, unknown keywords refused), checks what Python checks and
// then calls the ATen operator Python calls.
//
// Each public function has an underscored twin that takes already-checked
// arguments: a module binds its arguments once, at construction, and its
// forward calls the twin, so a training step pays no binding per call.
import { PYTHON_DEF, PythonArgParser, splitKeywords } from '../_arg_parser';
import { aten } from '../aten';
import type { dtype } from '../dtype';
import { Tensor } from '../tensor';
import { _ntuple, def_, type PyArgs } from './modules/utils';
import { _reduction, legacyGetString, reductionEnum, type LegacyReductionKwargs, type Reduction } from './_functional/_utils';
import { TORCH2_LOSS_WEIGHT, _check_loss_weight, _reduce_weighted } from './_functional/loss';

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
  max_pool1d: aten('max_pool1d', ''),
  max_pool2d: aten('max_pool2d', ''),
  max_pool3d: aten('max_pool3d', ''),
  max_pool1d_with_indices: aten('max_pool1d_with_indices', ''),
  max_pool2d_with_indices: aten('max_pool2d_with_indices', ''),
  max_pool3d_with_indices: aten('max_pool3d_with_indices', ''),
  adaptive_max_pool1d: aten('adaptive_max_pool1d', ''),
  adaptive_max_pool2d: aten('adaptive_max_pool2d', ''),
  adaptive_max_pool3d: aten('adaptive_max_pool3d', ''),
  batch_norm: aten('batch_norm', ''),
  tanh: aten('tanh', ''),
  sigmoid: aten('sigmoid', ''),
  sub: aten('sub', 'Tensor'),
  mul: aten('mul', 'Tensor'),
  pow: aten('pow', 'Tensor_Scalar'),
  abs: aten('abs', ''),
};

export { reductionEnum, _reduction, type Reduction, type LegacyReductionKwargs } from './_functional/_utils';
export * from './_functional/activation';
export * from './_functional/loss';
export * from './_functional/conv';
export * from './_functional/normalization';
export * from './_functional/attention';
export * from './_functional/sparse';
export * from './_functional/vision';
export * from './_functional/pooling';

// A module's forward takes its inputs unbound; say which argument is not a tensor.
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

// ---------------------------------------------------------------- linear, activations

const linearArgs = def_<{ input: Tensor; weight: Tensor; bias: Tensor | null }>('linear(Tensor input, Tensor weight, Tensor? bias=None)', { builtin: true });

/** y = x W^T + b. Python's linear(input, weight, bias=None). */
export function linear(...args: PyArgs<[input: Tensor, weight: Tensor], [bias: Tensor | null], { input: Tensor; weight: Tensor; bias: Tensor | null }>): Tensor;
export function linear(...args: unknown[]): Tensor {
  const { input, weight, bias } = linearArgs(args);
  return C.linear(input, weight, bias);
}

/** linear without binding, for Linear.forward. */
export function _linear(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  return C.linear(input, weight, bias);
}

const reluArgs = def_<{ input: Tensor; inplace: boolean }>('relu(Tensor input, bool inplace=False)');

/** max(0, x). Python's relu(input, inplace=False). */
export function relu(...args: PyArgs<[input: Tensor], [inplace: boolean], { input: Tensor; inplace: boolean }>): Tensor;
export function relu(...args: unknown[]): Tensor {
  const { input, inplace } = reluArgs(args);
  return _relu(input, inplace);
}

export function _relu(input: Tensor, inplace: boolean): Tensor {
  return inplace ? C.relu_(input) : C.relu(input);
}

const tanhArgs = def_<{ input: Tensor }>('tanh(Tensor input)');
const sigmoidArgs = def_<{ input: Tensor }>('sigmoid(Tensor input)');

/** tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x)). Python's tanh(input), deprecated there for torch.tanh (with its warning). */
export function tanh(...args: PyArgs<[input: Tensor], [], { input: Tensor }>): Tensor;
export function tanh(...args: unknown[]): Tensor {
  const { input } = tanhArgs(args);
  process.emitWarning('nn.functional.tanh is deprecated. Use torch.tanh instead.', 'UserWarning');
  return C.tanh(input);
}

export function _tanh(input: Tensor): Tensor {
  return C.tanh(input);
}

/** σ(x) = 1 / (1 + exp(-x)). Python's sigmoid(input), deprecated there for torch.sigmoid (with its warning). */
export function sigmoid(...args: PyArgs<[input: Tensor], [], { input: Tensor }>): Tensor;
export function sigmoid(...args: unknown[]): Tensor {
  const { input } = sigmoidArgs(args);
  process.emitWarning('nn.functional.sigmoid is deprecated. Use torch.sigmoid instead.', 'UserWarning');
  return C.sigmoid(input);
}

export function _sigmoid(input: Tensor): Tensor {
  return C.sigmoid(input);
}

const warnedImplicitDim = new Set<string>();

/** Python's _get_softmax_dim, for a call without a dim: warns (once per function here) and picks one. */
export function _get_softmax_dim(name: string, ndim: number, dim: number | null): number {
  if (dim !== null) return dim;
  if (!warnedImplicitDim.has(name)) {
    warnedImplicitDim.add(name);
    process.emitWarning(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`, 'UserWarning');
  }
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

interface SoftmaxKwargs {
  input: Tensor;
  dim: number | null;
  _stacklevel: number;
  dtype: dtype | null;
}

const softmaxArgs = def_<SoftmaxKwargs>('softmax(Tensor input, int? dim=None, int _stacklevel=3, dtype? dtype=None)');
const logSoftmaxArgs = def_<SoftmaxKwargs>('log_softmax(Tensor input, int? dim=None, int _stacklevel=3, dtype? dtype=None)');
type SoftmaxArgs = PyArgs<[input: Tensor], [dim: number | null, _stacklevel: number, dtype: dtype | null], SoftmaxKwargs>;

/** exp(x_i) / sum_j exp(x_j) along dim. Python's softmax(input, dim=None, _stacklevel=3, dtype=None). */
export function softmax(...args: SoftmaxArgs): Tensor;
export function softmax(...args: unknown[]): Tensor {
  const { input, dim, dtype } = softmaxArgs(args);
  return C.softmax(input, _get_softmax_dim('softmax', input.ndim, dim), dtype);
}

export function _softmax(input: Tensor, dim: number): Tensor {
  return C.softmax(input, dim, null);
}

/** log(softmax(x)) along dim. Python's log_softmax(input, dim=None, _stacklevel=3, dtype=None). */
export function log_softmax(...args: SoftmaxArgs): Tensor;
export function log_softmax(...args: unknown[]): Tensor {
  const { input, dim, dtype } = logSoftmaxArgs(args);
  return C.log_softmax(input, _get_softmax_dim('log_softmax', input.ndim, dim), dtype);
}

export function _log_softmax(input: Tensor, dim: number): Tensor {
  return C.log_softmax(input, dim, null);
}

// ---------------------------------------------------------------- losses

export interface CrossEntropyOptions {
  weight?: Tensor | null;
  ignore_index?: number;
  reduction?: Reduction;
  label_smoothing?: number;
}

interface CrossEntropyKwargs extends LegacyReductionKwargs {
  input: Tensor;
  target: Tensor;
  weight?: Tensor | null;
  ignore_index?: number;
  label_smoothing?: number;
}

const crossEntropyArgs = def_<Required<CrossEntropyKwargs>>(
  'cross_entropy(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, int ignore_index=-100, bool? reduce=None, str reduction="mean", float label_smoothing=0.0)',
);

/** Python's cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0). */
export function cross_entropy(
  ...args: PyArgs<
    [input: Tensor, target: Tensor],
    [weight: Tensor | null, size_average: boolean | null, ignore_index: number, reduce: boolean | null, reduction: Reduction, label_smoothing: number],
    CrossEntropyKwargs
  >
): Tensor;
export function cross_entropy(...args: unknown[]): Tensor {
  const a = crossEntropyArgs(args);
  return _cross_entropy(a.input, a.target, { ...a, reduction: _reduction(a.size_average, a.reduce, a.reduction) });
}

/** cross_entropy for a caller whose options were checked once, as a module checks them at construction. */
export function _cross_entropy(input: Tensor, target: Tensor, { weight = null, ignore_index = -100, reduction = 'mean', label_smoothing = 0 }: CrossEntropyOptions = {}): Tensor {
  checkTensor('cross_entropy', 'input', input);
  checkTensor('cross_entropy', 'target', target);
  checkClassTarget('cross_entropy', input, target, true);
  return C.cross_entropy_loss(input, target, weight, reductionEnum(reduction), ignore_index, label_smoothing);
}

type NllLossKwargs = Omit<CrossEntropyKwargs, 'label_smoothing'>;

const nllLossArgs = def_<Required<NllLossKwargs>>(
  'nll_loss(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, int ignore_index=-100, bool? reduce=None, str reduction="mean")',
);

/** Python's nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'). */
export function nll_loss(
  ...args: PyArgs<[input: Tensor, target: Tensor], [weight: Tensor | null, size_average: boolean | null, ignore_index: number, reduce: boolean | null, reduction: Reduction], NllLossKwargs>
): Tensor;
export function nll_loss(...args: unknown[]): Tensor {
  const a = nllLossArgs(args);
  return _nll_loss(a.input, a.target, { weight: a.weight, ignore_index: a.ignore_index, reduction: _reduction(a.size_average, a.reduce, a.reduction) });
}

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

interface PointwiseLossKwargs extends LegacyReductionKwargs {
  input: Tensor;
  target: Tensor;
  /** PyTorch 2.x only: a weight per element of input. */
  weight?: Tensor | null;
}

type PointwiseLossArgs = PyArgs<
  [input: Tensor, target: Tensor],
  [size_average: boolean | null, reduce: boolean | null, reduction: Reduction, weight: Tensor | null],
  PointwiseLossKwargs
>;

// 2.x added weight=None.
const POINTWISE_PARAMS = `Tensor input, Tensor target, bool? size_average=None, bool? reduce=None, str reduction="mean"${TORCH2_LOSS_WEIGHT ? ', Tensor? weight=None' : ''}`;
const mseLossArgs = def_<Required<PointwiseLossKwargs>>(`mse_loss(${POINTWISE_PARAMS})`);
const l1LossArgs = def_<Required<PointwiseLossKwargs>>(`l1_loss(${POINTWISE_PARAMS})`);

/**
 * Python 2.x's weighted mse_loss and l1_loss: elementwise errors times weight,
 * the mean being their sum over the weights' sum.
 */
function weightedPointwiseLoss(fn: string, errors: (d: Tensor) => Tensor, a: Required<PointwiseLossKwargs>, weight: Tensor): Tensor {
  checkTensor(fn, 'input', a.input);
  checkTensor(fn, 'target', a.target);
  const reduction = a.size_average !== null || a.reduce !== null ? legacyGetString(a.size_average, a.reduce) : a.reduction;
  const [x, y] = C.broadcast_tensors([a.input, a.target]);
  _check_loss_weight(weight, a.input);
  return _reduce_weighted(C.mul(errors(C.sub(x, y, 1)), weight), weight, reduction, true);
}

/** Python's mse_loss(input, target, size_average=None, reduce=None, reduction='mean'), and in 2.x weight=None. */
export function mse_loss(...args: PointwiseLossArgs): Tensor;
export function mse_loss(...args: unknown[]): Tensor {
  const a = mseLossArgs(args);
  if (a.weight != null) return weightedPointwiseLoss('mse_loss', (d) => C.pow(d, 2), a, a.weight);
  return _mse_loss(a.input, a.target, { reduction: _reduction(a.size_average, a.reduce, a.reduction) });
}

/** mse_loss for a caller whose options were checked once, as a module checks them at construction. */
export function _mse_loss(input: Tensor, target: Tensor, { reduction = 'mean' }: { reduction?: Reduction } = {}): Tensor {
  return pointwiseLoss('mse_loss', C.mse_loss, input, target, reduction);
}

/** Python's l1_loss(input, target, size_average=None, reduce=None, reduction='mean'), and in 2.x weight=None. */
export function l1_loss(...args: PointwiseLossArgs): Tensor;
export function l1_loss(...args: unknown[]): Tensor {
  const a = l1LossArgs(args);
  if (a.weight != null) return weightedPointwiseLoss('l1_loss', (d) => C.abs(d), a, a.weight);
  return _l1_loss(a.input, a.target, { reduction: _reduction(a.size_average, a.reduce, a.reduction) });
}

/** l1_loss for a caller whose options were checked once, as a module checks them at construction. */
export function _l1_loss(input: Tensor, target: Tensor, { reduction = 'mean' }: { reduction?: Reduction } = {}): Tensor {
  return pointwiseLoss('l1_loss', C.l1_loss, input, target, reduction);
}

interface BCEWithLogitsKwargs extends LegacyReductionKwargs {
  input: Tensor;
  target: Tensor;
  weight?: Tensor | null;
  pos_weight?: Tensor | null;
}

const bceWithLogitsArgs = def_<Required<BCEWithLogitsKwargs>>(
  'binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction="mean", Tensor? pos_weight=None)',
);

/** Python's binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None). */
export function binary_cross_entropy_with_logits(
  ...args: PyArgs<
    [input: Tensor, target: Tensor],
    [weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction, pos_weight: Tensor | null],
    BCEWithLogitsKwargs
  >
): Tensor;
export function binary_cross_entropy_with_logits(...args: unknown[]): Tensor {
  const a = bceWithLogitsArgs(args);
  return _binary_cross_entropy_with_logits(a.input, a.target, { weight: a.weight, reduction: _reduction(a.size_average, a.reduce, a.reduction), pos_weight: a.pos_weight });
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

// ---------------------------------------------------------------- dropout, conv, batch_norm

interface DropoutKwargs {
  input: Tensor;
  p: number;
  training: boolean;
  inplace: boolean;
}

const dropoutArgs = def_<DropoutKwargs>('dropout(Tensor input, float p=0.5, bool training=True, bool inplace=False)');

/** Python's dropout's check, also made by the Dropout module at construction. */
export function _check_dropout_p(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
}

/** Python's dropout(input, p=0.5, training=True, inplace=False). */
export function dropout(...args: PyArgs<[input: Tensor], [p: number, training: boolean, inplace: boolean], DropoutKwargs>): Tensor;
export function dropout(...args: unknown[]): Tensor {
  const { input, p, training, inplace } = dropoutArgs(args);
  _check_dropout_p(p);
  return _dropout(input, p, training, inplace);
}

export function _dropout(input: Tensor, p: number, training: boolean, inplace: boolean): Tensor {
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

// conv2d is a builtin in Python, bound by PythonArgParser with ATen's two
// overloads (padding as ints, or as 'valid' / 'same'): the same here.
const conv2dParser = new PythonArgParser([
  'conv2d(Tensor input, Tensor weight, Tensor? bias=None, SymIntArrayRef[2] stride=1, SymIntArrayRef[2] padding=0, SymIntArrayRef[2] dilation=1, SymInt groups=1)',
  'conv2d(Tensor input, Tensor weight, Tensor? bias=None, SymIntArrayRef[2] stride=1, c10::string_view padding="valid", SymIntArrayRef[2] dilation=1, SymInt groups=1)',
]);

/** Python's conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1). */
export function conv2d(
  ...args: PyArgs<
    [input: Tensor, weight: Tensor],
    [bias: Tensor | null, stride: IntPair, padding: IntPair | 'valid' | 'same', dilation: IntPair, groups: number],
    Conv2dOptions & { input: Tensor; weight: Tensor }
  >
): Tensor;
export function conv2d(...args: unknown[]): Tensor {
  const { index, values } = conv2dParser.parse(args);
  const [input, weight, bias = null, stride = [1, 1], padding, dilation = [1, 1], groups = 1] = values;
  if (index === 1) {
    const mode = padding ?? 'valid';
    if (mode !== 'valid' && mode !== 'same') throw new RangeError(`Invalid padding string '${String(mode)}', should be one of ["valid", "same"]`);
    return C.conv2d_padding(input, weight, bias, stride, mode, dilation, groups);
  }
  return C.conv2d(input, weight, bias, stride, padding ?? [0, 0], dilation, groups);
}

/** conv2d for a caller whose options were checked once, as a module checks them at construction. */
export function _conv2d(input: Tensor, weight: Tensor, { bias = null, stride = 1, padding = 0, dilation = 1, groups = 1 }: Conv2dOptions = {}): Tensor {
  return typeof padding === 'string'
    ? C.conv2d_padding(input, weight, bias, stride, padding, dilation, groups)
    : C.conv2d(input, weight, bias, stride, padding, dilation, groups);
}

interface BatchNormKwargs {
  input: Tensor;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

// running_mean and running_var are required but may be None; the binder's
// `Tensor?` makes a parameter optional too, so their absence is checked here.
const batchNormParser = new PythonArgParser(
  ['batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight=None, Tensor? bias=None, bool training=False, float momentum=0.1, float eps=1e-05)'],
  PYTHON_DEF,
);

/** Python's batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05). */
export function batch_norm(
  ...args: PyArgs<
    [input: Tensor, running_mean: Tensor | null, running_var: Tensor | null],
    [weight: Tensor | null, bias: Tensor | null, training: boolean, momentum: number, eps: number],
    BatchNormKwargs
  >
): Tensor;
export function batch_norm(...args: unknown[]): Tensor {
  const [positional] = splitKeywords(args);
  if (positional.length > 8) throw new TypeError(`batch_norm() takes from 3 to 8 positional arguments but ${positional.length} were given`);
  const { values } = batchNormParser.parse(args);
  if (values[1] === undefined) throw new TypeError("batch_norm() missing required argument 'running_mean' (pos 2)");
  if (values[2] === undefined) throw new TypeError("batch_norm() missing required argument 'running_var' (pos 3)");
  const [input, running_mean, running_var, weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5] = values as [Tensor, Tensor | null, Tensor | null, Tensor | null, Tensor | null, boolean, number, number];
  return _batch_norm(input, running_mean, running_var, { weight, bias, training, momentum, eps });
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

// ---------------------------------------------------------------- max pooling
//
// Python's max_poolNd and adaptive_max_poolNd are boolean_dispatch pairs:
// return_indices, by keyword or at its position, picks the function that
// returns (output, indices) or the one that returns output alone. Here one
// function does both, and its overloads give the type each way.

/** An int, or a list of N ints. */
export type IntN = number | number[];

export interface MaxPoolOptions {
  stride?: IntN | null;
  padding?: IntN;
  dilation?: IntN;
  ceil_mode?: boolean;
  return_indices?: boolean;
}

/** max_pool2d's result: the maxima, and with return_indices their flat indices too. */
export type MaxPool2dResult<ReturnIndices extends boolean> = ReturnIndices extends true ? [Tensor, Tensor] : Tensor;
/** Any max pooling's result, by return_indices. */
export type MaxPoolResult<ReturnIndices extends boolean> = MaxPool2dResult<ReturnIndices>;
/** @deprecated the options of every max_poolNd: MaxPoolOptions. */
export type MaxPool2dOptions = MaxPoolOptions;

type MaxPoolPositionals = [stride: IntN | null, padding: IntN, dilation: IntN, ceil_mode: boolean];
type MaxPoolKwargs = MaxPoolOptions & { input: Tensor; kernel_size: IntN };
/** The calls that ask for indices: return_indices true by position or by keyword. */
type MaxPoolWithIndicesArgs =
  | [input: Tensor, kernel_size: IntN, ...MaxPoolPositionals, return_indices: true, kwargs?: Omit<MaxPoolOptions, 'return_indices'>]
  | [input: Tensor, kernel_size: IntN, ...PrefixOf<MaxPoolPositionals>, kwargs: MaxPoolOptions & { return_indices: true }];
/** The calls that do not. */
type MaxPoolPlainArgs = PyArgs<[input: Tensor, kernel_size: IntN], [...MaxPoolPositionals, return_indices: false], Omit<MaxPoolKwargs, 'return_indices'> & { return_indices?: false }>;
type PrefixOf<T extends unknown[]> = T extends [...infer I, unknown] ? T | PrefixOf<I> : [];

function maxPool(dims: 1 | 2 | 3) {
  const name = `max_pool${dims}d`;
  const parse = def_<{ input: Tensor; kernel_size: unknown; stride: unknown; padding: unknown; dilation: unknown; ceil_mode: boolean; return_indices: boolean }>(
    `${name}(Tensor input, Any kernel_size, Any stride=None, Any padding=0, Any dilation=1, bool ceil_mode=False, bool return_indices=False)`,
  );
  return (args: unknown[]): Tensor | [Tensor, Tensor] => {
    const a = parse(args);
    return _max_pool(dims, a.input, _ntuple(name, 'kernel_size', a.kernel_size, dims), {
      // Python passes an empty stride for "the kernel size".
      stride: a.stride === null ? [] : _ntuple(name, 'stride', a.stride, dims),
      padding: _ntuple(name, 'padding', a.padding, dims),
      dilation: _ntuple(name, 'dilation', a.dilation, dims),
      ceil_mode: a.ceil_mode,
      return_indices: a.return_indices,
    });
  };
}

/** max_poolNd for a caller whose options were checked once, as a module checks them at construction. */
export function _max_pool(
  dims: 1 | 2 | 3,
  input: Tensor,
  kernel_size: IntN,
  { stride = null, padding = 0, dilation = 1, ceil_mode = false, return_indices = false }: MaxPoolOptions = {},
): Tensor | [Tensor, Tensor] {
  const s = stride ?? [];
  if (return_indices) {
    const op = dims === 1 ? C.max_pool1d_with_indices : dims === 2 ? C.max_pool2d_with_indices : C.max_pool3d_with_indices;
    return op(input, kernel_size, s, padding, dilation, ceil_mode);
  }
  const op = dims === 1 ? C.max_pool1d : dims === 2 ? C.max_pool2d : C.max_pool3d;
  return op(input, kernel_size, s, padding, dilation, ceil_mode);
}

/** max_pool2d for a caller whose options were checked once. */
export function _max_pool2d(input: Tensor, kernel_size: IntN, options: MaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  return _max_pool(2, input, kernel_size, options);
}

const maxPool1d = maxPool(1);
const maxPool2d = maxPool(2);
const maxPool3d = maxPool(3);

/** Python's max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False). */
export function max_pool1d(...args: MaxPoolWithIndicesArgs): [Tensor, Tensor];
export function max_pool1d(...args: MaxPoolPlainArgs): Tensor;
export function max_pool1d(...args: PyArgs<[input: Tensor, kernel_size: IntN], [...MaxPoolPositionals, return_indices: boolean], MaxPoolKwargs>): Tensor | [Tensor, Tensor];
export function max_pool1d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool1d(args);
}

/** Python's max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False). */
export function max_pool2d(...args: MaxPoolWithIndicesArgs): [Tensor, Tensor];
export function max_pool2d(...args: MaxPoolPlainArgs): Tensor;
export function max_pool2d(...args: PyArgs<[input: Tensor, kernel_size: IntN], [...MaxPoolPositionals, return_indices: boolean], MaxPoolKwargs>): Tensor | [Tensor, Tensor];
export function max_pool2d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool2d(args);
}

/** Python's max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False). */
export function max_pool3d(...args: MaxPoolWithIndicesArgs): [Tensor, Tensor];
export function max_pool3d(...args: MaxPoolPlainArgs): Tensor;
export function max_pool3d(...args: PyArgs<[input: Tensor, kernel_size: IntN], [...MaxPoolPositionals, return_indices: boolean], MaxPoolKwargs>): Tensor | [Tensor, Tensor];
export function max_pool3d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return maxPool3d(args);
}

/** The with_indices twins Python also exports: always [output, indices]. */
function withIndices(dims: 1 | 2 | 3) {
  const name = `max_pool${dims}d_with_indices`;
  const parse = def_<{ input: Tensor; kernel_size: unknown; stride: unknown; padding: unknown; dilation: unknown; ceil_mode: boolean; return_indices: boolean }>(
    `${name}(Tensor input, Any kernel_size, Any stride=None, Any padding=0, Any dilation=1, bool ceil_mode=False, bool return_indices=False)`,
  );
  return (args: unknown[]): [Tensor, Tensor] => {
    const a = parse(args);
    return _max_pool(dims, a.input, _ntuple(name, 'kernel_size', a.kernel_size, dims), {
      stride: a.stride === null ? [] : _ntuple(name, 'stride', a.stride, dims),
      padding: _ntuple(name, 'padding', a.padding, dims),
      dilation: _ntuple(name, 'dilation', a.dilation, dims),
      ceil_mode: a.ceil_mode,
      return_indices: true,
    }) as [Tensor, Tensor];
  };
}

type MaxPoolWithIndicesTwinArgs = PyArgs<[input: Tensor, kernel_size: IntN], [...MaxPoolPositionals, return_indices: boolean], MaxPoolKwargs>;
const maxPool1dWithIndices = withIndices(1);
const maxPool2dWithIndices = withIndices(2);
const maxPool3dWithIndices = withIndices(3);

/** max_pool1d returning [output, indices] always. Python's max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False). */
export function max_pool1d_with_indices(...args: MaxPoolWithIndicesTwinArgs): [Tensor, Tensor];
export function max_pool1d_with_indices(...args: unknown[]): [Tensor, Tensor] {
  return maxPool1dWithIndices(args);
}

/** max_pool2d returning [output, indices] always. Python's max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False). */
export function max_pool2d_with_indices(...args: MaxPoolWithIndicesTwinArgs): [Tensor, Tensor];
export function max_pool2d_with_indices(...args: unknown[]): [Tensor, Tensor] {
  return maxPool2dWithIndices(args);
}

/** max_pool3d returning [output, indices] always. Python's max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False). */
export function max_pool3d_with_indices(...args: MaxPoolWithIndicesTwinArgs): [Tensor, Tensor];
export function max_pool3d_with_indices(...args: unknown[]): [Tensor, Tensor] {
  return maxPool3dWithIndices(args);
}

/** An output size: an int, or a list of N ints or nulls (null keeps the input's size there). */
export type OutputSizeN = number | (number | null)[];

type AdaptiveKwargs = { input: Tensor; output_size: OutputSizeN; return_indices?: boolean };
type AdaptiveWithIndicesArgs = [input: Tensor, output_size: OutputSizeN, return_indices: true] | [input: Tensor, output_size: OutputSizeN, kwargs: { return_indices: true }];
type AdaptivePlainArgs = PyArgs<[input: Tensor, output_size: OutputSizeN], [return_indices: false], { input: Tensor; output_size: OutputSizeN; return_indices?: false }>;
type AdaptiveAnyArgs = PyArgs<[input: Tensor, output_size: OutputSizeN], [return_indices: boolean], AdaptiveKwargs>;

/** Python's _list_with_default: an output size with null for "as the input has it". */
function outputSize(fn: string, dims: number, v: unknown, input: Tensor): number[] {
  if (typeof v === 'number' && Number.isInteger(v)) return new Array(dims).fill(v);
  if (!Array.isArray(v) || v.length !== dims || !v.every((x) => x === null || (typeof x === 'number' && Number.isInteger(x)))) {
    _ntuple(fn, 'output_size', v, dims);
  }
  const shape = input.shape;
  return (v as (number | null)[]).map((x, i) => x ?? shape[shape.length - dims + i]);
}

function adaptiveMaxPool(dims: 1 | 2 | 3, twin = false) {
  const name = `adaptive_max_pool${dims}d${twin ? '_with_indices' : ''}`;
  const parse = def_<{ input: Tensor; output_size: unknown; return_indices: boolean }>(`${name}(Tensor input, Any output_size, bool return_indices=False)`);
  return (args: unknown[]): Tensor | [Tensor, Tensor] => {
    const a = parse(args);
    return _adaptive_max_pool(dims, a.input, outputSize(name, dims, a.output_size, a.input), twin || a.return_indices);
  };
}

/** adaptive_max_poolNd for a caller whose options were checked once. */
export function _adaptive_max_pool(dims: 1 | 2 | 3, input: Tensor, output_size: number[], return_indices: boolean): Tensor | [Tensor, Tensor] {
  const op = dims === 1 ? C.adaptive_max_pool1d : dims === 2 ? C.adaptive_max_pool2d : C.adaptive_max_pool3d;
  const pair = op(input, output_size) as [Tensor, Tensor];
  return return_indices ? pair : pair[0];
}

const adaptive1d = adaptiveMaxPool(1);
const adaptive2d = adaptiveMaxPool(2);
const adaptive3d = adaptiveMaxPool(3);
const adaptive1dWithIndices = adaptiveMaxPool(1, true);
const adaptive2dWithIndices = adaptiveMaxPool(2, true);
const adaptive3dWithIndices = adaptiveMaxPool(3, true);

/** Python's adaptive_max_pool1d(input, output_size, return_indices=False). */
export function adaptive_max_pool1d(...args: AdaptiveWithIndicesArgs): [Tensor, Tensor];
export function adaptive_max_pool1d(...args: AdaptivePlainArgs): Tensor;
export function adaptive_max_pool1d(...args: AdaptiveAnyArgs): Tensor | [Tensor, Tensor];
export function adaptive_max_pool1d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptive1d(args);
}

/** Python's adaptive_max_pool2d(input, output_size, return_indices=False). */
export function adaptive_max_pool2d(...args: AdaptiveWithIndicesArgs): [Tensor, Tensor];
export function adaptive_max_pool2d(...args: AdaptivePlainArgs): Tensor;
export function adaptive_max_pool2d(...args: AdaptiveAnyArgs): Tensor | [Tensor, Tensor];
export function adaptive_max_pool2d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptive2d(args);
}

/** Python's adaptive_max_pool3d(input, output_size, return_indices=False). */
export function adaptive_max_pool3d(...args: AdaptiveWithIndicesArgs): [Tensor, Tensor];
export function adaptive_max_pool3d(...args: AdaptivePlainArgs): Tensor;
export function adaptive_max_pool3d(...args: AdaptiveAnyArgs): Tensor | [Tensor, Tensor];
export function adaptive_max_pool3d(...args: unknown[]): Tensor | [Tensor, Tensor] {
  return adaptive3d(args);
}

/** adaptive_max_pool1d returning [output, indices] always. Python's adaptive_max_pool1d_with_indices(input, output_size, return_indices=False). */
export function adaptive_max_pool1d_with_indices(...args: AdaptiveAnyArgs): [Tensor, Tensor];
export function adaptive_max_pool1d_with_indices(...args: unknown[]): [Tensor, Tensor] {
  return adaptive1dWithIndices(args) as [Tensor, Tensor];
}

/** adaptive_max_pool2d returning [output, indices] always. Python's adaptive_max_pool2d_with_indices(input, output_size, return_indices=False). */
export function adaptive_max_pool2d_with_indices(...args: AdaptiveAnyArgs): [Tensor, Tensor];
export function adaptive_max_pool2d_with_indices(...args: unknown[]): [Tensor, Tensor] {
  return adaptive2dWithIndices(args) as [Tensor, Tensor];
}

/** adaptive_max_pool3d returning [output, indices] always. Python's adaptive_max_pool3d_with_indices(input, output_size, return_indices=False). */
export function adaptive_max_pool3d_with_indices(...args: AdaptiveAnyArgs): [Tensor, Tensor];
export function adaptive_max_pool3d_with_indices(...args: unknown[]): [Tensor, Tensor] {
  return adaptive3dWithIndices(args) as [Tensor, Tensor];
}
