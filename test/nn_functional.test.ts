// nn.functional against Python (scripts/golden/nn_functional.py) where the
// OpInfo samples do not reach: in-place forms and the input they leave,
// random functions under a seed, keywords, and Python's errors.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import * as F from '../lib/nn/functional';
import { assertTensorMatches, decodeTensor, fixture, type EncodedTensor } from './_helpers';

type Case = { values: EncodedTensor[] } | { error: { type: string; message: string } };
const golden = fixture<{ inputs: Record<string, EncodedTensor>; cases: Record<string, Case> }>('nn_functional.json');

type I = Record<string, Tensor>;
// Loosely typed views, for the calls that must fail as Python's do.
const anyF = F as unknown as Record<string, (...args: unknown[]) => Tensor>;

const CASES: Record<string, (i: I) => Tensor | Tensor[]> = {
  elu_inplace: (i) => [F.elu(i.x, 0.5, { inplace: true }), i.x],
  elu_: (i) => [F.elu_(i.x, { alpha: 2.0 }), i.x],
  selu_inplace: (i) => [F.selu(i.x, true), i.x],
  selu_: (i) => [F.selu_(i.x), i.x],
  celu_inplace: (i) => [F.celu(i.x, { alpha: 0.7, inplace: true }), i.x],
  celu_: (i) => [F.celu_(i.x, 0.7), i.x],
  leaky_relu_inplace: (i) => [F.leaky_relu(i.x, 0.2, true), i.x],
  leaky_relu_: (i) => [F.leaky_relu_(i.x, { negative_slope: 0.3 }), i.x],
  hardtanh_inplace: (i) => [F.hardtanh(i.x, -0.5, 0.5, true), i.x],
  hardtanh_: (i) => [F.hardtanh_(i.x, { max_val: 0.25 }), i.x],
  relu6_inplace: (i) => [F.relu6(i.x.mul(4), { inplace: true })],
  threshold_inplace: (i) => [F.threshold(i.x, 0.1, 20.0, { inplace: true }), i.x],
  threshold_: (i) => [F.threshold_(i.x, 0.1, -3.0), i.x],
  relu_: (i) => [F.relu_(i.x), i.x],
  hardsigmoid_inplace: (i) => [F.hardsigmoid(i.x.mul(4), { inplace: true })],
  silu_inplace: (i) => [F.silu(i.x, { inplace: true }), i.x],
  mish_inplace: (i) => [F.mish(i.x, { inplace: true }), i.x],
  hardswish_inplace: (i) => [F.hardswish(i.x.mul(4), true)],
  rrelu_eval: (i) => F.rrelu(i.x),
  rrelu_training: (i) => F.rrelu(i.x, 0.1, 0.6, { training: true }),
  rrelu_inplace_training: (i) => [F.rrelu(i.x, { training: true, inplace: true }), i.x],
  rrelu_: (i) => [F.rrelu_(i.x, 0.2, 0.4, true), i.x],
  gumbel_softmax: (i) => F.gumbel_softmax(i.x),
  gumbel_softmax_tau_dim: (i) => F.gumbel_softmax(i.x, { tau: 0.5, dim: 0 }),
  gumbel_softmax_hard: (i) => F.gumbel_softmax(i.x, 2.0, true),
  gelu_tanh: (i) => F.gelu(i.x, { approximate: 'tanh' }),
  softplus_beta_threshold: (i) => F.softplus(i.x, 2, 1),
  softshrink_lambd: (i) => F.softshrink(i.x, { lambd: 0.3 }),
  hardshrink_lambd: (i) => F.hardshrink(i.x, 0.3),
  softmin_implicit_dim: (i) => F.softmin(i.x),
  softmin_dtype: (i) => F.softmin(i.x, 0, { dtype: torch.float64 }),
  glu_dim0: (i) => F.glu(i.x, 0),
  prelu_channel: (i) => F.prelu(i.x4, torch.tensor([0.1, 0.2, 0.3])),
  logsigmoid: (i) => F.logsigmoid(i.x),
  glu_scalar: () => F.glu(torch.tensor(1.0)),
  glu_odd: (i) => F.glu(i.x3, 1),
  elu_unknown_keyword: (i) => anyF.elu(i.x, { alpah: 1.0 }),
  elu_surplus_positional: (i) => anyF.elu(i.x, 1.0, false, 3),
  gelu_positional_approximate: (i) => anyF.gelu(i.x, 'tanh'),
  gelu_bad_approximate: (i) => F.gelu(i.x, { approximate: 'fast' }),
  hardtanh_min_over_max: (i) => F.hardtanh(i.x, 1.0, -1.0),
  bce_weight: (i) => F.binary_cross_entropy(i.prob, i.binary, i.w6),
  bce_legacy: (i) => F.binary_cross_entropy(i.prob, i.binary, { size_average: false }),
  bce_size_mismatch: (i) => F.binary_cross_entropy(i.prob, i.binary.select(0, 0)),
  bce_weight_mismatch: (i) => F.binary_cross_entropy(i.prob, i.binary, torch.ones(5)),
  kl_div_batchmean: (i) => F.kl_div(F.log_softmax(i.x, 1), F.softmax(i.y, 1), { reduction: 'batchmean' }),
  kl_div_log_target: (i) => F.kl_div(F.log_softmax(i.x, 1), F.log_softmax(i.y, 1), null, null, 'sum', true),
  kl_div_legacy: (i) => F.kl_div(i.x, i.pos, { reduce: false }),
  smooth_l1_beta: (i) => F.smooth_l1_loss(i.x, i.y, { beta: 0.5 }),
  huber_delta: (i) => F.huber_loss(i.x, i.y, 'sum', 0.5),
  soft_margin: (i) => F.soft_margin_loss(i.x, i.sign, { reduction: 'none' }),
  multilabel_soft_margin_weight: (i) => F.multilabel_soft_margin_loss(i.x, i.binary, i.w6),
  multilabel_soft_margin_bad_reduction: (i) => anyF.multilabel_soft_margin_loss(i.x, i.binary, { reduction: 'avg' }),
  multi_margin_p2: (i) => F.multi_margin_loss(i.x, i.target4, 2, 0.5, i.w6),
  multi_margin_p3: (i) => F.multi_margin_loss(i.x, i.target4, 3),
  multilabel_margin: (i) => F.multilabel_margin_loss(i.x, i.ml_target, { reduction: 'sum' }),
  hinge_embedding: (i) => F.hinge_embedding_loss(i.x, i.sign, 0.5),
  cosine_embedding: (i) => F.cosine_embedding_loss(i.x, i.y, i.sign4, { margin: 0.2 }),
  margin_ranking: (i) => F.margin_ranking_loss(i.x, i.y, i.sign, 0.1),
  margin_ranking_dims: (i) => F.margin_ranking_loss(i.x, i.y, i.sign4),
  triplet_margin_swap: (i) => F.triplet_margin_loss(i.x, i.y, i.z, 0.5, 1.5, { swap: true }),
  triplet_distance_default: (i) => F.triplet_margin_with_distance_loss(i.x, i.y, i.z),
  triplet_distance_cosine_swap: (i) =>
    F.triplet_margin_with_distance_loss(i.x, i.y, i.z, {
      distance_function: (a, b) => torch.rsub(F.cosine_similarity(a, b), 1),
      margin: 0.3,
      swap: true,
      reduction: 'none',
    }),
  triplet_distance_positional: (i) => anyF.triplet_margin_with_distance_loss(i.x, i.y, i.z, null),
  poisson_nll_full: (i) => F.poisson_nll_loss(i.pos, i.pos.mul(3), false, true),
  poisson_nll_bad_reduction: (i) => anyF.poisson_nll_loss(i.x, i.pos, { reduction: 'avg' }),
  gaussian_nll_full: (i) => F.gaussian_nll_loss(i.x, i.y, i.pos, { full: true, reduction: 'sum' }),
  gaussian_nll_var_head: (i) => F.gaussian_nll_loss(i.x, i.y, i.pos.select(1, 0)),
  gaussian_nll_negative_var: (i) => F.gaussian_nll_loss(i.x, i.y, i.x),
  gaussian_nll_bad_var: (i) => F.gaussian_nll_loss(i.x, i.y, i.pos.narrow(0, 0, 3)),
  ctc_loss_tensors: (i) => F.ctc_loss(F.log_softmax(i.x3.permute(2, 0, 1), 2), i.labels, torch.tensor([5, 4]), torch.tensor([3, 2])),
  ctc_loss_lists: (i) => F.ctc_loss(F.log_softmax(i.x3.permute(2, 0, 1), 2), i.labels, [5, 4], [3, 2], { reduction: 'none', zero_infinity: true }),
  loss_bad_reduction: (i) => anyF.huber_loss(i.x, i.y, 'avg'),
};

// Python's exception classes as torchts throws them.
const ERROR_CLASS: Record<string, ErrorConstructor> = { TypeError, ValueError: RangeError, RuntimeError: Error, NotImplementedError: Error, AssertionError: Error };

test('every golden case has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), Object.keys(golden.cases).sort());
});

for (const [name, c] of Object.entries(golden.cases)) {
  test(`F ${name} as Python`, (t) => {
    const inputs: I = Object.fromEntries(Object.entries(golden.inputs).map(([k, v]) => [k, decodeTensor(v)]));
    torch.manual_seed(0);
    if ('error' in c) {
      const error = t.throws(() => CASES[name](inputs), { instanceOf: ERROR_CLASS[c.error.type] ?? Error });
      t.is(error?.message.split('\n')[0], c.error.message);
      return;
    }
    const out = CASES[name](inputs);
    const outs = Array.isArray(out) ? out : [out];
    t.is(outs.length, c.values.length);
    c.values.forEach((v, k) => assertTensorMatches(t, outs[k], v, `${name}[${k}]`));
  });
}
