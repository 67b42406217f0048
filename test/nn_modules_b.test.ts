// The nn modules of convolution, pooling, normalisation, embedding,
// upsampling and fold, and the nn.functional functions they need, against
// Python (scripts/golden/nn_modules_b.py, which runs the same tables): seeded
// construction, repr, forward, the input's and the parameters' gradients,
// three SGD steps, running statistics and eval mode; Python's errors.
import test from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import * as F from '../lib/nn/functional';
import { assertTensorMatches, decodeTensor, fixture, type EncodedTensor } from './_helpers';

type ErrorRecord = { type: string; message: string };
interface ModuleRecord {
  repr: string;
  init: Record<string, EncodedTensor>;
  output: EncodedTensor[];
  input_grads?: Record<string, EncodedTensor>;
  param_grads?: Record<string, EncodedTensor>;
  after_steps?: Record<string, EncodedTensor>;
  eval_output?: EncodedTensor[];
}
type FunctionRecord = { values: EncodedTensor[]; grads?: Record<string, EncodedTensor> } | { error: ErrorRecord };

const golden = fixture<{
  inputs: Record<string, EncodedTensor>;
  modules: Record<string, ModuleRecord>;
  module_errors: Record<string, ErrorRecord>;
  functions: Record<string, FunctionRecord>;
}>('nn_modules_b.json');

type I = Record<string, Tensor>;
type Out = Tensor | Tensor[];
// Loosely typed, for the calls that must fail as Python's do.
const anyF = F as unknown as Record<string, (...args: unknown[]) => Tensor>;
const anyNn = nn as unknown as Record<string, new (...args: unknown[]) => nn.Module>;

/** The module and how it is called: the input's name, or a call. */
const MODULES: Record<string, [() => nn.Module, string | ((m: any, i: I) => Out)]> = {
  emb: [() => new nn.Embedding(10, 3), 'idx'],
  emb_pad: [() => new nn.Embedding(10, 3, { padding_idx: 2 }), 'idx'],
  emb_negpad: [() => new nn.Embedding(10, 3, -1), 'idx'],
  emb_maxnorm: [() => new nn.Embedding(10, 3, { max_norm: 1.0 }), 'idx'],
  emb_maxnorm_p1: [() => new nn.Embedding(10, 3, { max_norm: 0.5, norm_type: 1.0 }), 'idx'],
  emb_freq: [() => new nn.Embedding(10, 3, { scale_grad_by_freq: true }), 'idx_rep'],
  emb_pretrained: [() => nn.Embedding.from_pretrained(torch.arange(30.0).reshape(10, 3).div(10), { freeze: false, padding_idx: 0 }), 'idx'],
  bag_mean: [() => new nn.EmbeddingBag(10, 3), 'idx'],
  bag_sum_offsets: [() => new nn.EmbeddingBag(10, 3, { mode: 'sum' }), (m, i) => m(i.idx1, i.offsets)],
  bag_max: [() => new nn.EmbeddingBag(10, 3, { mode: 'max' }), 'idx'],
  bag_psw: [() => new nn.EmbeddingBag(10, 3, { mode: 'sum' }), (m, i) => m(i.idx1, i.offsets, { per_sample_weights: i.psw })],
  bag_last_offset: [() => new nn.EmbeddingBag(10, 3, { include_last_offset: true }), (m, i) => m(i.idx1, i.offsets_last)],
  bag_pad: [() => new nn.EmbeddingBag(10, 3, { mode: 'sum', padding_idx: 4 }), 'idx'],
  bag_maxnorm: [() => new nn.EmbeddingBag(10, 3, { max_norm: 1.0 }), 'idx'],
  layernorm: [() => new nn.LayerNorm(5), 'ln'],
  layernorm_shape: [() => new nn.LayerNorm([3, 5], { eps: 1e-3 }), 'ln'],
  layernorm_noaffine: [() => new nn.LayerNorm(5, { elementwise_affine: false }), 'ln'],
  bn1d: [() => new nn.BatchNorm1d(3), 'bn1'],
  bn2d: [() => new nn.BatchNorm2d(3), 'x4'],
  bn2d_cumulative: [() => new nn.BatchNorm2d(3, { momentum: null }), 'x4'],
  bn2d_notrack: [() => new nn.BatchNorm2d(3, { track_running_stats: false }), 'x4'],
  bn2d_noaffine: [() => new nn.BatchNorm2d(3, 1e-3, 0.3, false), 'x4'],
  bn3d: [() => new nn.BatchNorm3d(2), 'x5'],
  in1d: [() => new nn.InstanceNorm1d(3), 'x3'],
  in2d: [() => new nn.InstanceNorm2d(3), 'x4'],
  in2d_affine_track: [() => new nn.InstanceNorm2d(3, { affine: true, track_running_stats: true }), 'x4'],
  in2d_unbatched: [() => new nn.InstanceNorm2d(3, { momentum: 0.2, track_running_stats: true }), 'x3d'],
  in3d: [() => new nn.InstanceNorm3d(2, { affine: true }), 'x5'],
  groupnorm: [() => new nn.GroupNorm(3, 6), 'g3'],
  groupnorm_noaffine: [() => new nn.GroupNorm(2, 6, { eps: 1e-3, affine: false }), 'g4'],
  lrn: [() => new nn.LocalResponseNorm(3), 'x4'],
  lrn_3d: [() => new nn.LocalResponseNorm(2, { alpha: 0.01, beta: 0.5, k: 2.0 }), 'x3'],
  lrn_5d: [() => new nn.LocalResponseNorm(3), 'x5'],
  crossmaplrn: [() => new nn.CrossMapLRN2d(3), 'x4'],
  crossmaplrn_5: [() => new nn.CrossMapLRN2d(5, 0.01, 0.5, 2.5), 'g4'],
  crossmaplrn_2: [() => new nn.CrossMapLRN2d(2, { alpha: 0.1 }), 'g4'],
  conv1d: [() => new nn.Conv1d(3, 4, 3), 'x3'],
  conv1d_opts: [() => new nn.Conv1d(3, 6, 3, { stride: 2, padding: 2, dilation: 2, groups: 3 }), 'x3'],
  conv1d_same: [() => new nn.Conv1d(3, 4, 4, { padding: 'same' }), 'x3'],
  conv1d_reflect: [() => new nn.Conv1d(3, 4, 3, { padding: 2, padding_mode: 'reflect' }), 'x3'],
  conv1d_circular: [() => new nn.Conv1d(3, 4, 3, { padding: 1, padding_mode: 'circular', bias: false }), 'x3'],
  conv2d_replicate: [() => new nn.Conv2d(3, 2, 3, { padding: 1, padding_mode: 'replicate' }), 'x4'],
  conv2d_same_reflect: [() => new nn.Conv2d(3, 2, [3, 2], { padding: 'same', padding_mode: 'reflect' }), 'x4'],
  conv3d: [() => new nn.Conv3d(2, 3, 2, { stride: [1, 2, 2], padding: 1 }), 'x5'],
  convt1d: [() => new nn.ConvTranspose1d(3, 2, 3, { stride: 2 }), 'x3'],
  convt2d: [() => new nn.ConvTranspose2d(3, 4, 3, { stride: 2, padding: 1, output_padding: 1 }), 'x4'],
  convt2d_groups: [() => new nn.ConvTranspose2d(4, 4, 2, { groups: 2, dilation: 2, bias: false }), 'x4b'],
  convt2d_output_size: [() => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1 }), (m, i) => m(i.x4, { output_size: [8, 8] })],
  convt3d: [() => new nn.ConvTranspose3d(2, 2, 2, { stride: [1, 2, 1] }), 'x5'],
  avgpool1d: [() => new nn.AvgPool1d(3, { stride: 2, padding: 1 }), 'x3'],
  avgpool2d: [() => new nn.AvgPool2d(2), 'x4'],
  avgpool2d_opts: [() => new nn.AvgPool2d(3, { stride: 2, padding: 1, ceil_mode: true, count_include_pad: false }), 'x4'],
  avgpool2d_divisor: [() => new nn.AvgPool2d([2, 3], { divisor_override: 2 }), 'x4'],
  avgpool3d: [() => new nn.AvgPool3d(2, { stride: 1 }), 'x5'],
  adaptiveavg1d: [() => new nn.AdaptiveAvgPool1d(3), 'x3'],
  adaptiveavg2d: [() => new nn.AdaptiveAvgPool2d([4, 5]), 'x4'],
  adaptiveavg2d_none: [() => new nn.AdaptiveAvgPool2d([null, 2]), 'x4'],
  adaptiveavg2d_int: [() => new nn.AdaptiveAvgPool2d(1), 'x4'],
  adaptiveavg3d: [() => new nn.AdaptiveAvgPool3d([2, 1, 3]), 'x5'],
  lppool1d: [() => new nn.LPPool1d(2, 3, { stride: 2 }), 'x3'],
  lppool2d: [() => new nn.LPPool2d(1.5, 2), 'pos4'],
  lppool2d_opts: [() => new nn.LPPool2d(2, [2, 3], { stride: [1, 2], ceil_mode: true }), 'x4'],
  maxunpool1d: [() => new nn.MaxUnpool1d(2), (m, i) => m(i.p1, i.i1)],
  maxunpool2d: [() => new nn.MaxUnpool2d(2, { stride: 2 }), (m, i) => m(i.p2, i.i2)],
  maxunpool2d_size: [() => new nn.MaxUnpool2d(2), (m, i) => m(i.p2b, i.i2b, [5, 5])],
  maxunpool3d: [() => new nn.MaxUnpool3d(2), (m, i) => m(i.p3, i.i3)],
  fracmax2d: [() => new nn.FractionalMaxPool2d(2, { output_size: 2 }), 'x4'],
  fracmax2d_ratio: [() => new nn.FractionalMaxPool2d(2, { output_ratio: [0.5, 0.6], return_indices: true }), 'x4b'],
  fracmax3d: [() => new nn.FractionalMaxPool3d(2, { output_size: [1, 2, 2] }), 'x5'],
  upsample_nearest: [() => new nn.Upsample({ scale_factor: 2 }), 'x4'],
  upsample_bilinear: [() => new nn.Upsample({ size: [5, 7], mode: 'bilinear' }), 'x4'],
  upsample_bicubic_ac: [() => new nn.Upsample({ scale_factor: 1.5, mode: 'bicubic', align_corners: true }), 'x4'],
  upsample_linear: [() => new nn.Upsample({ scale_factor: 2.5, mode: 'linear', recompute_scale_factor: true }), 'x3'],
  upsample_trilinear: [() => new nn.Upsample({ size: [4, 5, 5], mode: 'trilinear' }), 'x5'],
  upsample_area: [() => new nn.Upsample({ size: [4, 3], mode: 'area' }), 'x4'],
  upsample_nearest_exact: [() => new nn.Upsample({ scale_factor: [1.5, 2.0], mode: 'nearest-exact' }), 'x4'],
  upsampling_nearest2d: [() => new nn.UpsamplingNearest2d({ scale_factor: 2 }), 'x4'],
  upsampling_bilinear2d: [() => new nn.UpsamplingBilinear2d({ size: [8, 5] }), 'x4'],
  fold: [() => new nn.Fold([4, 5], 2), 'cols'],
  fold_opts: [() => new nn.Fold({ output_size: [5, 5], kernel_size: [2, 3], padding: 1, stride: 2 }), 'cols2'],
  unfold: [() => new nn.Unfold(2), 'x4'],
  unfold_opts: [() => new nn.Unfold([2, 3], { dilation: [1, 2], padding: 1, stride: [2, 1] }), 'x4'],
};

const MODULE_ERRORS: Record<string, () => unknown> = {
  emb_padding_out_of_range: () => new nn.Embedding(10, 3, { padding_idx: 10 }),
  groupnorm_indivisible: () => new nn.GroupNorm(4, 6),
  conv1d_groups: () => new nn.Conv1d(3, 4, 3, { groups: 2 }),
  conv1d_bad_padding_string: () => new nn.Conv1d(3, 4, 3, { padding: 'full' as 'same' }),
  conv1d_strided_same: () => new nn.Conv1d(3, 4, 3, { stride: 2, padding: 'same' }),
  convt2d_reflect: () => new anyNn.ConvTranspose2d(3, 4, 3, { padding_mode: 'reflect' }),
  fracmax_no_size: () => new nn.FractionalMaxPool2d(2),
  fracmax_both: () => new nn.FractionalMaxPool2d(2, { output_size: 3, output_ratio: 0.5 }),
  fracmax_bad_ratio: () => new nn.FractionalMaxPool2d(2, { output_ratio: 1.5 }),
  emb_unknown_keyword: () => new anyNn.Embedding(10, 3, { padding: 1 }),
};

const FUNCTIONS: Record<string, (i: I) => Out> = {
  embedding: (i) => F.embedding(i.idx, i.table),
  embedding_padding: (i) => F.embedding(i.idx, i.table, { padding_idx: -2 }),
  embedding_max_norm: (i) => [F.embedding(i.idx, i.table, { max_norm: 1.5 }), i.table],
  embedding_bag_sum: (i) => F.embedding_bag(i.idx1, i.table, i.offsets, { mode: 'sum' }),
  embedding_bag_max_2d: (i) => F.embedding_bag(i.idx, i.table, { mode: 'max' }),
  embedding_bag_psw: (i) => F.embedding_bag(i.idx1, i.table, i.offsets, { mode: 'sum', per_sample_weights: i.psw }),
  embedding_bag_padding: (i) => F.embedding_bag(i.idx, i.table, { padding_idx: -1 }),
  group_norm: (i) => F.group_norm(i.g3, 2),
  group_norm_affine: (i) => F.group_norm(i.g4, 3, i.table.narrow(0, 0, 6).select(1, 0), i.table.narrow(0, 0, 6).select(1, 1), 1e-3),
  instance_norm: (i) => F.instance_norm(i.x4),
  instance_norm_stats: (i) => F.instance_norm(i.x4, torch.zeros(3), torch.ones(3), { use_input_stats: false }),
  local_response_norm: (i) => F.local_response_norm(i.x4, 2, { k: 0.5 }),
  interpolate_nearest: (i) => F.interpolate(i.x4, { scale_factor: 1.7 }),
  interpolate_bilinear_ac: (i) => F.interpolate(i.x4, [3, 8], { mode: 'bilinear', align_corners: true }),
  interpolate_bilinear_aa: (i) => F.interpolate(i.x4, { scale_factor: 0.5, mode: 'bilinear', antialias: true }),
  interpolate_bicubic_aa: (i) => F.interpolate(i.x4, { size: 3, mode: 'bicubic', antialias: true }),
  interpolate_area: (i) => F.interpolate(i.x3, { scale_factor: 0.5, mode: 'area' }),
  interpolate_trilinear: (i) => F.interpolate(i.x5, { scale_factor: [1.0, 1.5, 0.75], mode: 'trilinear' }),
  interpolate_nearest_exact: (i) => F.interpolate(i.x3, 11, { mode: 'nearest-exact' }),
  upsample: (i) => F.upsample(i.x4, { scale_factor: 2, mode: 'bilinear' }),
  upsample_nearest: (i) => F.upsample_nearest(i.x4, 7),
  upsample_bilinear: (i) => F.upsample_bilinear(i.x4, { scale_factor: 1.5 }),
  grid_sample: (i) => F.grid_sample(i.x4, i.grid, { align_corners: false }),
  grid_sample_nearest_border: (i) => F.grid_sample(i.x4, i.grid, 'nearest', 'border', true),
  grid_sample_bicubic_reflection: (i) => F.grid_sample(i.x4, i.grid, { mode: 'bicubic', padding_mode: 'reflection', align_corners: false }),
  affine_grid: (i) => F.affine_grid(i.theta, [2, 3, 4, 5], { align_corners: false }),
  affine_grid_3d: (i) => F.affine_grid(i.theta3, [1, 1, 2, 3, 2], true),
  lp_pool1d: (i) => F.lp_pool1d(i.x3, 2, 2),
  lp_pool2d: (i) => F.lp_pool2d(i.x4, 3.0, [2, 3], { stride: 2, ceil_mode: true }),
  max_unpool1d: (i) => F.max_unpool1d(i.p1, i.i1, 2),
  max_unpool2d_size: (i) => F.max_unpool2d(i.p2b, i.i2b, 2, { output_size: [1, 2, 5, 5] }),
  max_unpool3d: (i) => F.max_unpool3d(i.p3, i.i3, 2, 2, 0),
  fractional_max_pool2d: (i) => F.fractional_max_pool2d(i.x4, 2, { output_ratio: 0.5 }),
  fractional_max_pool2d_indices: (i) => F.fractional_max_pool2d(i.x4b, 2, 3, null, true),
  fractional_max_pool2d_with_indices: (i) => F.fractional_max_pool2d_with_indices(i.x3d, [2, 2], [3, 2]),
  fractional_max_pool3d: (i) => F.fractional_max_pool3d(i.x5, 2, { output_size: [1, 2, 2], return_indices: true }),
  embedding_padding_out_of_range: (i) => F.embedding(i.idx, i.table, { padding_idx: 10 }),
  embedding_bag_bad_mode: (i) => anyF.embedding_bag(i.idx, i.table, { mode: 'median' }),
  embedding_bag_2d_offsets: (i) => F.embedding_bag(i.idx, i.table, i.offsets),
  embedding_bag_1d_no_offsets: (i) => F.embedding_bag(i.idx1, i.table),
  embedding_bag_max_psw: (i) => F.embedding_bag(i.idx1, i.table, i.offsets, { mode: 'max', per_sample_weights: i.psw }),
  embedding_bag_psw_shape: (i) => F.embedding_bag(i.idx1, i.table, i.offsets, { mode: 'sum', per_sample_weights: i.psw.narrow(0, 0, 5) }),
  embedding_bag_3d: (i) => F.embedding_bag(i.x5.long(), i.table),
  group_norm_one_value: (i) => F.group_norm(i.g3.narrow(0, 0, 1).narrow(2, 0, 1), 6),
  instance_norm_one_value: (i) => F.instance_norm(i.x4.narrow(2, 0, 1).narrow(3, 0, 1)),
  local_response_norm_2d: (i) => F.local_response_norm(i.table, 2),
  interpolate_both: (i) => F.interpolate(i.x4, 3, 2.0),
  interpolate_neither: (i) => F.interpolate(i.x4),
  interpolate_size_length: (i) => F.interpolate(i.x4, [3, 4, 5]),
  interpolate_align_nearest: (i) => F.interpolate(i.x4, 3, { align_corners: true }),
  interpolate_linear_4d: (i) => F.interpolate(i.x4, 3, { mode: 'linear' }),
  interpolate_bad_mode: (i) => anyF.interpolate(i.x4, 3, { mode: 'cubic' }),
  interpolate_antialias_nearest: (i) => F.interpolate(i.x4, 3, { antialias: true }),
  interpolate_recompute_size: (i) => F.interpolate(i.x4, 3, { recompute_scale_factor: true }),
  interpolate_2d: (i) => F.interpolate(i.table, 3),
  grid_sample_bad_mode: (i) => anyF.grid_sample(i.x4, i.grid, { mode: 'linear' }),
  grid_sample_bad_padding: (i) => anyF.grid_sample(i.x4, i.grid, { padding_mode: 'wrap' }),
  affine_grid_int_theta: (i) => F.affine_grid(i.idx, [2, 3, 4, 5]),
  affine_grid_bad_theta: (i) => F.affine_grid(i.theta, [2, 3, 4, 5, 6]),
  affine_grid_3d_size: (i) => F.affine_grid(i.theta, [2, 3, 4]),
  affine_grid_zero_size: (i) => F.affine_grid(i.theta, [2, 3, 0, 5], { align_corners: false }),
  max_unpool2d_bad_size: (i) => F.max_unpool2d(i.p2b, i.i2b, 2, { output_size: [7, 7] }),
  max_unpool2d_size_length: (i) => F.max_unpool2d(i.p2b, i.i2b, 2, { output_size: [5] }),
  fractional_max_pool2d_no_size: (i) => F.fractional_max_pool2d(i.x4, 2),
};

// Python's exception classes as torchts throws them.
const ERROR_CLASS: Record<string, ErrorConstructor> = { TypeError, ValueError: RangeError, RuntimeError: Error, NotImplementedError: Error, AssertionError: Error };

/**
 * Python's message, as torchts words it: whitespace runs as one space,
 * `X.__init__()` as `X()`, a set's elements sorted (Python's set order
 * changes from run to run); ours may add the function's name before it and
 * detail after.
 */
function assertPythonError(t: import('ava').ExecutionContext, fn: () => unknown, expected: ErrorRecord): void {
  const error = t.throws(fn, { instanceOf: ERROR_CLASS[expected.type] ?? Error });
  const norm = (s: string) =>
    s
      .replace(/\s+/g, ' ')
      .replace(/(\w+)\.__init__\(\)/, '$1()')
      .replace(/\{('[^{}]*')\}/g, (_, inner: string) => `{${inner.split(', ').sort().join(', ')}}`);
  t.true(norm(error?.message ?? '').includes(norm(expected.message)), `message ${JSON.stringify(error?.message)} should contain Python's ${JSON.stringify(expected.message)}`);
}

function freshInputs(): I {
  const inputs: I = {};
  for (const [k, v] of Object.entries(golden.inputs)) {
    const x = decodeTensor(v);
    inputs[k] = x.is_floating_point() ? x.requires_grad_(true) : x;
  }
  return inputs;
}

const cotangent = (y: Tensor) => torch.linspace(-1, 1, y.numel(), { dtype: y.dtype }).reshape([...y.shape]);
const first = (out: Out) => (Array.isArray(out) ? out[0] : out);
const list = (out: Out) => (Array.isArray(out) ? out : [out]);

function state(m: nn.Module): [string, Tensor][] {
  return [...m.named_parameters(), ...m.named_buffers()];
}

function assertState(t: import('ava').ExecutionContext, m: nn.Module, expected: Record<string, EncodedTensor>, label: string): void {
  const s = state(m);
  t.deepEqual(
    s.map(([n]) => n),
    Object.keys(expected),
    `${label}: parameter and buffer names`,
  );
  for (const [n, v] of s) assertTensorMatches(t, v.detach(), expected[n], `${label} ${n}`);
}

function assertGrads(t: import('ava').ExecutionContext, named: [string, Tensor][], expected: Record<string, EncodedTensor>, label: string): void {
  const got = named.filter(([, v]) => v.grad !== null && v.grad !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  t.deepEqual(
    got.map(([n]) => n),
    Object.keys(expected).sort(),
    `${label}: which tensors got gradients`,
  );
  for (const [n, v] of got) assertTensorMatches(t, v.grad!, expected[n], `${label} ${n}`);
}

test('every golden case has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(MODULES).sort(), Object.keys(golden.modules).sort());
  t.deepEqual(Object.keys(MODULE_ERRORS).sort(), Object.keys(golden.module_errors).sort());
  t.deepEqual(Object.keys(FUNCTIONS).sort(), Object.keys(golden.functions).sort());
});

for (const [name, rec] of Object.entries(golden.modules)) {
  test(`nn module ${name} as Python: construction, repr, forward, gradients, SGD steps, eval`, (t) => {
    const [ctor, call] = MODULES[name];
    const fwd = typeof call === 'string' ? (m: any, i: I) => m(i[call]) as Out : call;
    torch.manual_seed(0);
    const m = ctor();
    t.is(m.toString(), rec.repr, 'repr');
    assertState(t, m, rec.init, 'init');
    const inputs = freshInputs();
    torch.manual_seed(1);
    const out = fwd(m, inputs);
    t.is(list(out).length, rec.output.length, 'number of outputs');
    rec.output.forEach((e, k) => assertTensorMatches(t, list(out)[k], e, `output[${k}]`));
    let y = first(out);
    if (rec.input_grads) {
      y.mul(cotangent(y)).sum().backward();
      assertGrads(t, Object.entries(inputs), rec.input_grads, 'input grad');
      assertGrads(t, m.named_parameters(), rec.param_grads ?? {}, 'parameter grad');
    } else {
      t.false(y.requires_grad, 'Python gives no gradient');
    }
    const params = m.parameters().filter((p) => p.requires_grad);
    if (params.length > 0) {
      const opt = new optim.SGD(params, { lr: 0.1 });
      opt.step();
      for (let k = 0; k < 2; k++) {
        opt.zero_grad();
        y = first(fwd(m, inputs));
        y.mul(cotangent(y)).sum().backward();
        opt.step();
      }
    } else if (m.buffers().length > 0) {
      for (let k = 0; k < 2; k++) fwd(m, inputs);
    }
    if (rec.after_steps) assertState(t, m, rec.after_steps, 'after three steps');
    if (rec.eval_output) {
      m.eval();
      const evalOut = torch.no_grad(() => fwd(m, inputs));
      rec.eval_output.forEach((e, k) => assertTensorMatches(t, list(evalOut)[k], e, `eval output[${k}]`));
    }
  });
}

for (const [name, expected] of Object.entries(golden.module_errors)) {
  test(`nn module construction ${name} fails as Python's`, (t) => {
    assertPythonError(t, MODULE_ERRORS[name], expected);
  });
}

for (const [name, rec] of Object.entries(golden.functions)) {
  test(`F.${name} as Python`, (t) => {
    const inputs = freshInputs();
    torch.manual_seed(0);
    if ('error' in rec) {
      assertPythonError(t, () => FUNCTIONS[name](inputs), rec.error);
      return;
    }
    const out = FUNCTIONS[name](inputs);
    t.is(list(out).length, rec.values.length, 'number of outputs');
    rec.values.forEach((e, k) => assertTensorMatches(t, list(out)[k], e, `${name}[${k}]`));
    if (rec.grads) {
      const y = first(out);
      y.mul(cotangent(y)).sum().backward();
      assertGrads(t, Object.entries(inputs), rec.grads, 'grad');
    }
  });
}

// Bad input: a clear error naming the module or function, what it expected
// and what it got; never a crash, a read outside memory or a wrong shape.
const BAD_INPUTS: [string, () => unknown, RegExp, ErrorConstructor][] = [
  ['Embedding given an index past the table', () => new nn.Embedding(10, 3)(torch.tensor([[1, 10]])), /^embedding\(\): index out of range: indices must be in \[0, 9\] for a weight of 10 embeddings, got indices from 1 to 10$/, RangeError],
  ['Embedding given a negative index', () => new nn.Embedding(10, 3)(torch.tensor([-1, 2])), /indices must be in \[0, 9\].*got indices from -1 to 2/, RangeError],
  ['Embedding with max_norm given an index past the table', () => new nn.Embedding(4, 3, { max_norm: 1 })(torch.tensor([0, 7])), /embedding\(\): index out of range.*\[0, 3\]/, RangeError],
  ['Embedding given float indices', () => new nn.Embedding(10, 3)(torch.tensor([1, 2], { dtype: torch.float32 })), /embedding\(\): argument 'input' must hold integer indices.*float32/, TypeError],
  ['EmbeddingBag given an index past the table', () => new nn.EmbeddingBag(5, 2)(torch.tensor([[0, 5]])), /embedding_bag\(\): index out of range.*\[0, 4\]/, RangeError],
  ['EmbeddingBag given offsets past the indices', () => new nn.EmbeddingBag(5, 2)(torch.tensor([0, 1, 2]), torch.tensor([0, 4])), /offsets must be non-decreasing and within \[0, 3\].*got 4 at position 1/, RangeError],
  // Python accepts these and sums garbage for the bag that ends before it starts.
  ['EmbeddingBag given decreasing offsets', () => new nn.EmbeddingBag(5, 2)(torch.tensor([0, 1, 2, 1]), torch.tensor([0, 3, 1])), /offsets must be non-decreasing.*got 1 at position 2/, RangeError],
  ['EmbeddingBag given float indices', () => new nn.EmbeddingBag(5, 2)(torch.tensor([[0, 1]], { dtype: torch.float32 })), /embedding_bag\(\): argument 'input' must hold integer indices.*float32/, TypeError],
  ['EmbeddingBag with a bad mode', () => new nn.EmbeddingBag(5, 2, { mode: 'median' as 'sum' }), /mode has to be one of sum, mean or max, got 'median'/, RangeError],
  ['Embedding.from_pretrained given a 1-D table', () => nn.Embedding.from_pretrained(torch.zeros(4)), /Embeddings parameter is expected to be 2-dimensional, got shape \[4\]/, Error],
  ['BatchNorm2d fed a 3-D input', () => new nn.BatchNorm2d(3)(torch.randn(3, 4, 4)), /^BatchNorm2d: expected 4D input \(got 3D input\)$/, RangeError],
  ['BatchNorm2d fed the wrong number of channels', () => new nn.BatchNorm2d(3)(torch.randn(2, 4, 2, 2)), /BatchNorm2d: expected an input with 3 channels \(dimension 1\), got shape \[2, 4, 2, 2\]/, RangeError],
  ['BatchNorm3d training on one value per channel', () => new nn.BatchNorm3d(2)(torch.randn(1, 2, 1, 1, 1)), /Expected more than 1 value per channel when training/, RangeError],
  ['InstanceNorm2d (affine) fed the wrong number of channels', () => new nn.InstanceNorm2d(3, { affine: true })(torch.randn(2, 4, 3, 3)), /InstanceNorm2d: expected input's size at dim=1 to match num_features \(3\), but got: 4\./, RangeError],
  ['InstanceNorm1d fed a 4-D input', () => new nn.InstanceNorm1d(3)(torch.randn(2, 3, 4, 4)), /InstanceNorm1d: expected 2D or 3D input \(got 4D input\)/, RangeError],
  ['GroupNorm fed the wrong number of channels', () => new nn.GroupNorm(2, 4)(torch.randn(2, 6, 3)), /GroupNorm\(2, 4, eps=1e-05, affine=True(, bias=True)?\) expects an input \(N, 4, \*\), got shape \[2, 6, 3\]/, RangeError],
  ['CrossMapLRN2d fed a 3-D input', () => new nn.CrossMapLRN2d(3)(torch.randn(3, 4, 4)), /CrossMapLRN2d: expected a 4D input \(N, C, H, W\), got 3D input/, RangeError],
  ['CrossMapLRN2d of size 1 asked for a gradient', () => new nn.CrossMapLRN2d(1)(torch.randn(1, 3, 2, 2, { requires_grad: true })), /size=1 has no gradient in PyTorch/, RangeError],
  ['LayerNorm fed the wrong trailing shape', () => new nn.LayerNorm([3, 5])(torch.randn(2, 5, 3)), /^LayerNorm\(\(3, 5\), eps=1e-05, elementwise_affine=True(, bias=True)?\) got an input of shape \[2, 5, 3\]: Given normalized_shape=\[3, 5\]/, RangeError],
  ['LayerNorm given a string shape', () => new nn.LayerNorm('5' as unknown as number), /LayerNorm\(\): argument 'normalized_shape' must be an int or a list of ints/, TypeError],
  ['Conv1d fed the wrong number of channels', () => new nn.Conv1d(3, 4, 3)(torch.randn(2, 5, 7)), /^Conv1d\(3, 4, kernel_size=\(3,\), stride=\(1,\)\) got an input of shape \[2, 5, 7\]: .*expected input\[2, 5, 7\] to have 3 channels/, RangeError],
  ['Conv3d fed a 4-D input of the wrong channels', () => new nn.Conv3d(2, 2, 2)(torch.randn(1, 3, 4, 4)), /Conv3d\(2, 2, kernel_size=\(2, 2, 2\).*got an input of shape \[1, 3, 4, 4\]/, RangeError],
  ['Conv1d given a kernel of the wrong length', () => new nn.Conv1d(3, 4, [3, 3] as unknown as number), /Conv1d\(\): argument 'kernel_size' must be int or a list of 1 ints/, TypeError],
  ['ConvTranspose2d asked for an impossible output_size', () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2 })(torch.randn(1, 3, 4, 4), [20, 20]), /requested an output size of \[20, 20\], but valid sizes range from \[9, 9\] to \[10, 10\] \(for an input of torch.Size\(\[4, 4\]\)\)/, RangeError],
  ['ConvTranspose2d given an output_size of the wrong length', () => new nn.ConvTranspose2d(3, 2, 3)(torch.randn(1, 3, 4, 4), [6]), /ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements \(got 1\)/, RangeError],
  ['ConvTranspose2d.forward given an unknown keyword', () => new nn.ConvTranspose2d(3, 2, 3)(torch.randn(1, 3, 4, 4), { outputsize: [6, 6] } as never), /ConvTranspose2d.forward\(\) got an unexpected keyword argument 'outputsize'/, TypeError],
  ['ConvTranspose1d given padding=same', () => new anyNn.ConvTranspose1d(3, 2, 3, { padding: 'same' }), /ConvTranspose1d\(\): argument 'padding' must be int or a list of 1 ints, not a string/, TypeError],
  ['AvgPool2d with a kernel larger than the input', () => new nn.AvgPool2d(5)(torch.randn(1, 1, 3, 3)), /^AvgPool2d\(kernel_size=5, stride=5, padding=0\) got an input of shape \[1, 1, 3, 3\]: /, RangeError],
  ['AdaptiveAvgPool2d given three sizes', () => new nn.AdaptiveAvgPool2d([1, 2, 3]), /AdaptiveAvgPool2d\(\): argument 'output_size' must be int or a list of 2 ints/, TypeError],
  ['MaxUnpool2d asked for an impossible output_size', () => new nn.MaxUnpool2d(2)(torch.randn(1, 1, 2, 2), torch.zeros([1, 1, 2, 2], { dtype: torch.int64 }), [9, 9]), /invalid output_size "\[9, 9\]" \(dim 0 must be between 2 and 6\)/, RangeError],
  ['MaxUnpool2d asked for an impossible output_size by keyword', () => new nn.MaxUnpool2d(2)(torch.randn(1, 1, 2, 2), torch.zeros([1, 1, 2, 2], { dtype: torch.int64 }), { output_size: [1, 1, 7, 7] }), /^invalid output_size "\[7, 7\]" \(dim 0 must be between 2 and 6\)/, RangeError],
  ['MaxUnpool2d given indices outside the output', () => new nn.MaxUnpool2d(2)(torch.randn(1, 1, 2, 2), torch.full([1, 1, 2, 2], 100, { dtype: torch.int64 })), /invalid max index|index/i, Error],
  ['FractionalMaxPool2d asked for too large an output', () => new nn.FractionalMaxPool2d(3, { output_size: 4 })(torch.randn(1, 1, 5, 5)), /too large relative to input/, Error],
  ['Upsample with an unknown mode', () => new nn.Upsample({ scale_factor: 2, mode: 'cubic' as 'bicubic' }), /Upsample\(\): mode must be one of 'nearest', .* got 'cubic'/, RangeError],
  ['Upsample linear fed a 4-D input', () => new nn.Upsample({ scale_factor: 2, mode: 'linear' })(torch.randn(1, 1, 2, 2)), /Got 4D input, but linear mode needs 3D input/, Error],
  ['F.interpolate given a string size', () => anyF.interpolate(torch.randn(1, 1, 4), '8'), /interpolate\(\): argument 'size' must be an int or a list of ints, not/, TypeError],
  ['Fold fed a 4-D input', () => new nn.Fold([4, 5], 2)(torch.randn(1, 4, 3, 4)), /^Fold\(output_size=\[4, 5\], kernel_size=2.*Only unbatched \(2D\) or batched \(3D\) input Tensors are supported \(got 4D/, RangeError],
  ['Unfold fed a 2-D input', () => new nn.Unfold(2)(torch.randn(4, 4)), /Unfold\(kernel_size=2.*Only unbatched \(3D\) or batched \(4D\) input Tensors are supported \(got 2D/, RangeError],
  ['F.embedding_bag given float offsets', () => F.embedding_bag(torch.tensor([0, 1]), torch.randn(3, 2), torch.tensor([0], { dtype: torch.float32 })), /'offsets' must be an int64 or int32 tensor, got float32/, TypeError],
];

for (const [what, fn, message, type] of BAD_INPUTS) {
  test(`bad input: ${what}`, (t) => {
    t.throws(fn, { instanceOf: type, message });
  });
}

test('Embedding.from_pretrained shares the table and freezes it unless freeze is false', (t) => {
  const table = torch.arange(6, { dtype: torch.float32 }).reshape(3, 2);
  const frozen = nn.Embedding.from_pretrained(table);
  t.false(frozen.weight.requires_grad);
  table.select(0, 1).fill_(7);
  t.deepEqual(frozen(torch.tensor([1])).tolist(), [[7, 7]]);
  t.true(nn.Embedding.from_pretrained(table, false).weight.requires_grad);
});

test('EmbeddingBag.from_pretrained keeps mode and padding_idx, and its repr says so', (t) => {
  const bag = nn.EmbeddingBag.from_pretrained(torch.ones(4, 2), { mode: 'sum', padding_idx: -1 });
  t.is(bag.toString(), libtorchAtLeast(2) ? "EmbeddingBag(4, 2, mode='sum', padding_idx=3)" : 'EmbeddingBag(4, 2, mode=sum, padding_idx=3)');
  t.deepEqual(bag(torch.tensor([[0, 3, 1]])).tolist(), [[2, 2]]);
});

test('Embedding with sparse=True gives a sparse gradient of the dense values', (t) => {
  torch.manual_seed(0);
  const emb = new nn.Embedding(5, 2, { sparse: true });
  emb(torch.tensor([1, 1, 3])).sum().backward();
  const grad = emb.weight.grad!;
  // A dense gradient has no sparse dimensions to report: sparse_dim() fails on it.
  t.is(grad.sparse_dim(), 1);
  t.deepEqual(grad.to_dense().tolist(), [[0, 0], [2, 2], [0, 0], [1, 1], [0, 0]]);
});

test('BatchNorm2d state_dict has num_batches_tracked as Python has it, and counts training forwards', (t) => {
  const bn = new nn.BatchNorm2d(2);
  t.deepEqual(Object.keys(bn.state_dict()), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
  bn(torch.randn(2, 2, 3, 3));
  bn(torch.randn(2, 2, 3, 3));
  t.is(Number(bn.num_batches_tracked!.item()), 2);
  t.deepEqual(Object.keys(new nn.InstanceNorm2d(2).state_dict()), []);
  t.deepEqual(Object.keys(new nn.BatchNorm2d(2, { track_running_stats: false }).state_dict()), ['weight', 'bias']);
});
