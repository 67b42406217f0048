// nn.MultiheadAttention, F.multi_head_attention_forward and the Transformer
// family against Python (scripts/golden/transformer.py): the same seed gives
// the same parameters (names, order, values); forward with every kind of mask,
// batch_first, norm_first, gelu and unbatched input gives the same outputs,
// backward the same gradients; three SGD steps the same losses and weights;
// bad input Python's error, naming the module.
import test, { type ExecutionContext } from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import * as F from '../lib/nn/functional';
import { deepcopy } from '../lib/nn/modules/module';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { assertTensorMatches, assertTensorSummary, decodeTensor, fixture, type EncodedTensor, type SummarizedTensor } from './_helpers';

type Recorded = EncodedTensor | SummarizedTensor;
interface Case {
  params: [string, Recorded][];
  inputs: Record<string, EncodedTensor>;
  outputs: (EncodedTensor | null)[];
  param_grads: [string, Recorded | null][];
  input_grads: Record<string, EncodedTensor>;
  /** Where this Python refuses the case (2.x: a uint8 attn_mask): its error, and nothing else past inputs. */
  error?: { type: string; message: string };
}
const golden = fixture<{
  cases: Record<string, Case>;
  functional: { tensors: Record<string, EncodedTensor>; separate: EncodedTensor[]; static_zero_attn: EncodedTensor[]; dropout_seed5: EncodedTensor[] };
  sgd: { inputs: Record<string, EncodedTensor>; losses: number[]; params: [string, SummarizedTensor][] };
  errors: Record<string, { type: string; message: string }>;
  reprs: Record<string, string>;
  state_dict_keys: Record<string, string[]>;
  square_mask: EncodedTensor;
  nested_path: { input: EncodedTensor; left: EncodedTensor; holes: EncodedTensor; outputs: Record<string, EncodedTensor> };
}>('transformer.json');

const E = 8;
type I = Record<string, Tensor>;
type Out = Tensor | [Tensor, Tensor | null];

function compare(t: ExecutionContext, actual: Tensor, expected: Recorded, label: string): void {
  if ('values' in expected) assertTensorMatches(t, actual, expected, label);
  else assertTensorSummary(t, actual, expected, label);
}

/** Python's no_full_rows: key 0 never masked, so that no row masks every key. */
function noFullRows(mask: Tensor): Tensor {
  return mask.clone().index_fill_(-1, torch.tensor([0]), false);
}

const causalBool = (n: number) => torch.triu(torch.ones([n, n], { dtype: torch.bool }), 1);

const MHA = (...args: ConstructorParameters<typeof nn.MultiheadAttention>) => new nn.MultiheadAttention(...args);

const CASES: Record<string, [() => nn.Module, (m: any, i: I) => Out]> = {
  self: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x)],
  self_eval: [() => MHA(E, 2).eval(), (m, i) => m(i.x, i.x, i.x)],
  cross_kv_same: [() => MHA(E, 4), (m, i) => m(i.q, i.kv, i.kv)],
  cross_all_different: [() => MHA(E, 2), (m, i) => m(i.q, i.k, i.v)],
  no_bias: [() => MHA(E, 2, { bias: false }), (m, i) => m(i.x, i.x, i.x)],
  bias_kv_zero_attn: [
    () => MHA(E, 4, { add_bias_kv: true, add_zero_attn: true }),
    (m, i) => m(i.x, i.x, i.x, { key_padding_mask: noFullRows(i.kpm), attn_mask: i.am }),
  ],
  kdim_vdim: [() => MHA(E, 2, { kdim: 6, vdim: 5 }), (m, i) => m(i.q, i.k, i.v)],
  batch_first: [() => MHA(E, 2, { batch_first: true }), (m, i) => m(i.x, i.x, i.x)],
  batch_first_cross: [() => MHA(E, 2, { batch_first: true }), (m, i) => m(i.q, i.kv, i.kv)],
  attn_mask_float: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { attn_mask: i.am })],
  attn_mask_bool_causal: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { attn_mask: causalBool(4) })],
  attn_mask_3d_bool: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { attn_mask: i.am.logical_and(torch.eye(4, { dtype: torch.bool }).logical_not()) })],
  attn_mask_byte: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { attn_mask: i.am.mul(torch.ones([4, 4], { dtype: torch.uint8 }).sub(torch.eye(4, { dtype: torch.uint8 }))) })],
  kpm_bool: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { key_padding_mask: noFullRows(i.kpm) })],
  kpm_float: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { key_padding_mask: i.kpm })],
  kpm_bool_and_float_mask: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { key_padding_mask: noFullRows(i.kpm), attn_mask: i.am })],
  kpm_and_bool_mask: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { key_padding_mask: noFullRows(i.kpm), attn_mask: causalBool(4) })],
  per_head_weights: [() => MHA(E, 4), (m, i) => m(i.x, i.x, i.x, { average_attn_weights: false })],
  no_weights: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { need_weights: false })],
  unbatched: [() => MHA(E, 2), (m, i) => m(i.x, i.x, i.x, { key_padding_mask: noFullRows(i.kpm) })],
  unbatched_3d_mask: [() => MHA(E, 2), (m, i) => m(i.q, i.kv, i.kv, { attn_mask: i.am, average_attn_weights: false })],
  double: [() => MHA(E, 2, { dtype: torch.float64 }), (m, i) => m(i.x.double(), i.x.double(), i.x.double())],

  enc_layer: [() => new nn.TransformerEncoderLayer(E, 2, 16, 0.0), (m, i) => m(i.src)],
  enc_layer_eval_default_dropout: [() => new nn.TransformerEncoderLayer(E, 2, 16).eval(), (m, i) => m(i.src)],
  enc_layer_gelu_norm_first_batch_first: [
    () => new nn.TransformerEncoderLayer(E, 4, 12, 0.0, 'gelu', 1e-6, true, true),
    (m, i) => m(i.src, { src_key_padding_mask: noFullRows(i.kpm) }),
  ],
  enc_layer_masks: [() => new nn.TransformerEncoderLayer(E, 2, 16, 0.0), (m, i) => m(i.src, i.mask, noFullRows(i.kpm))],
  enc_layer_unbatched: [() => new nn.TransformerEncoderLayer(E, 2, 16, 0.0), (m, i) => m(i.src)],
  enc_layer_module_activation: [() => new nn.TransformerEncoderLayer(E, 2, 16, 0.0, { activation: new nn.Tanh() }), (m, i) => m(i.src)],
  encoder: [
    () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(E, 2, 16, 0.0), 2, new nn.LayerNorm(E)),
    (m, i) => m(i.src, { mask: i.mask, src_key_padding_mask: noFullRows(i.kpm) }),
  ],
  encoder_batch_first_eval: [() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(E, 2, 16, { batch_first: true }), 2).eval(), (m, i) => m(i.src)],
  dec_layer: [() => new nn.TransformerDecoderLayer(E, 2, 16, 0.0), (m, i) => m(i.tgt, i.mem)],
  dec_layer_all_masks_norm_first: [
    () => new nn.TransformerDecoderLayer(E, 2, 16, 0.0, 'gelu', { norm_first: true }),
    (m, i) => m(i.tgt, i.mem, i.tm, i.mm, noFullRows(i.tkpm), noFullRows(i.mkpm)),
  ],
  decoder: [
    () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(E, 2, 16, 0.0, { batch_first: true }), 2, new nn.LayerNorm(E)),
    (m, i) => m(i.tgt, i.mem, { tgt_mask: i.tm }),
  ],
  transformer: [
    () => new nn.Transformer(E, 2, 2, 1, 16, 0.0),
    (m, i) => m(i.src, i.tgt, { tgt_mask: i.tm, src_key_padding_mask: noFullRows(i.skpm), memory_key_padding_mask: noFullRows(i.skpm) }),
  ],
  transformer_batch_first_norm_first_gelu: [
    () => new nn.Transformer(E, 4, 1, 1, 12, 0.0, 'gelu', { batch_first: true, norm_first: true, layer_norm_eps: 1e-6 }),
    (m, i) => m(i.src, i.tgt),
  ],
  transformer_unbatched_eval: [() => new nn.Transformer(E, 2, 1, 1, 16).eval(), (m, i) => m(i.src, i.tgt)],
};

const MASK_NAMES = new Set(['am', 'mask', 'tm', 'mm', 'kpm']);

test('the table has a TypeScript twin for every golden case', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), Object.keys(golden.cases).sort());
});

for (const [name, [build, forward]] of Object.entries(CASES)) {
  test(`${name}: seeded parameters, forward and backward equal Python's`, (t) => {
    const g = golden.cases[name];
    torch.manual_seed(0);
    const m = build();
    const params = m.named_parameters();
    t.deepEqual(params.map(([n]) => n), g.params.map(([n]) => n), 'parameter names and order');
    params.forEach(([n, p], k) => compare(t, p, g.params[k][1], `parameter ${n}`));

    const inputs: I = {};
    for (const [k, e] of Object.entries(g.inputs)) {
      const v = decodeTensor(e);
      inputs[k] = v.is_floating_point() && !MASK_NAMES.has(k) ? v.requires_grad_(true) : v;
    }
    if (g.error !== undefined) {
      const err = t.throws(() => forward(m, inputs));
      if (err) {
        t.true(err instanceof TypeError || err instanceof RangeError, `a TypeError or RangeError, got ${err.name}`);
        t.true(err.message.includes(g.error.message), `${err.message} says Python's ${g.error.type}: ${g.error.message}`);
      }
      return;
    }
    const out = forward(m, inputs);
    const outs = Array.isArray(out) ? out : [out];
    t.is(outs.length, g.outputs.length, 'number of outputs');
    outs.forEach((o, k) => {
      const want = g.outputs[k];
      if (want === null) t.is(o, null, `output ${k} is None in Python`);
      else compare(t, o as Tensor, want, `output ${k}`);
    });

    let loss = torch.zeros([], { dtype: torch.float64 });
    for (const o of outs) if (o !== null) loss = loss.add(o.double().pow(2).sum());
    loss.backward();
    params.forEach(([n, p], k) => {
      const want = g.param_grads[k][1];
      if (want === null) t.is(p.grad, null, `${n}.grad is None in Python`);
      else compare(t, p.grad!, want, `gradient of ${n}`);
    });
    for (const [k, want] of Object.entries(g.input_grads)) compare(t, inputs[k].grad!, want, `gradient of input ${k}`);
  });
}

test('F.multi_head_attention_forward: separate projection weights, static_k/static_v with add_zero_attn, and dropout under a seed', (t) => {
  const g = golden.functional;
  const T: I = Object.fromEntries(Object.entries(g.tensors).map(([k, e]) => [k, decodeTensor(e)]));
  const separate = F.multi_head_attention_forward(T.q, T.k, T.v, E, 2, null, T.in_b, null, null, false, 0.0, T.ow, T.ob, {
    training: false, use_separate_proj_weight: true, q_proj_weight: T.qw, k_proj_weight: T.kw, v_proj_weight: T.vw,
  });
  separate.forEach((o, k) => assertTensorMatches(t, o!, g.separate[k], `separate ${k}`));
  const statics = F.multi_head_attention_forward(T.q, T.k, T.v, E, 2, null, T.in_b, null, null, true, 0.0, T.ow, T.ob, {
    use_separate_proj_weight: true, q_proj_weight: T.qw, k_proj_weight: T.kw, v_proj_weight: T.vw,
    static_k: T.sk, static_v: T.sv, average_attn_weights: false,
  });
  statics.forEach((o, k) => assertTensorMatches(t, o!, g.static_zero_attn[k], `static ${k}`));
  torch.manual_seed(5);
  const dropped = F.multi_head_attention_forward(T.q, T.q, T.q, E, 2, torch.randn(3 * E, E), T.in_b, null, null, false, 0.5, T.ow, T.ob);
  dropped.forEach((o, k) => assertTensorMatches(t, o!, g.dropout_seed5[k], `dropout ${k}`));
});

test('F.multi_head_attention_forward binds as Python: a surplus positional and an unknown keyword are TypeErrors', (t) => {
  const x = torch.zeros(2, 1, E);
  const w = torch.zeros(3 * E, E);
  const ow = torch.zeros(E, E);
  const anyF = F as unknown as Record<string, (...a: unknown[]) => unknown>;
  t.throws(() => anyF.multi_head_attention_forward(x, x, x, E, 2, w, null, null, null, false, 0, ow, null, { bogus: 1 }), {
    instanceOf: TypeError, message: "multi_head_attention_forward() got an unexpected keyword argument 'bogus'",
  });
  // 2.x added is_causal: one more positional.
  const most = libtorchAtLeast(2) ? 25 : 24;
  const surplus = [x, x, x, E, 2, w, null, null, null, false, 0, ow, null, true, null, true, null, false, null, null, null, null, null, true, false, 9].slice(0, most) as unknown[];
  surplus.push(9);
  t.throws(() => anyF.multi_head_attention_forward(...surplus), {
    instanceOf: TypeError, message: (m: string) => m.includes(`multi_head_attention_forward() takes from 13 to ${most} positional arguments but ${most + 1} were given`),
  });
  t.throws(() => anyF.multi_head_attention_forward(x, x, x, E, 2, null, null, null, null, false, 0, ow, null), {
    instanceOf: TypeError, message: 'multi_head_attention_forward(): use_separate_proj_weight is False but in_proj_weight is None',
  });
});

test('three SGD steps of a Transformer give Python\'s losses and weights', (t) => {
  const g = golden.sgd;
  torch.manual_seed(0);
  const m = new nn.Transformer(E, 2, 1, 1, 16, 0.0);
  const [src, tgt, target] = ['src', 'tgt', 'target'].map((k) => decodeTensor(g.inputs[k]));
  const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
  const mask = nn.Transformer.generate_square_subsequent_mask(4);
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    opt.zero_grad();
    const loss = F.mse_loss(m(src, tgt, { tgt_mask: mask }), target);
    loss.backward();
    opt.step();
    losses.push(loss.item() as number);
  }
  losses.forEach((l, k) => t.true(Math.abs(l - g.losses[k]) <= 1e-6 * Math.max(1, Math.abs(g.losses[k])), `loss ${k}: ${l} vs ${g.losses[k]}`));
  m.named_parameters().forEach(([n, p], k) => {
    t.is(n, g.params[k][0]);
    assertTensorSummary(t, p, g.params[k][1], `after 3 steps: ${n}`);
  });
});

test("TransformerEncoder in eval without autograd and with a padding mask gives Python's nested-tensor output: zero where padded (1.13 also cuts it to the longest sequence)", (t) => {
  const g = golden.nested_path;
  torch.manual_seed(0);
  const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(E, 2, 16, { batch_first: true }), 2, new nn.LayerNorm(E)).eval();
  const [x, left, holes] = [g.input, g.left, g.holes].map(decodeTensor);
  torch.no_grad(() => {
    assertTensorMatches(t, enc(x, { src_key_padding_mask: left }), g.outputs.left_aligned, 'left-aligned mask');
    assertTensorMatches(t, enc(x, { src_key_padding_mask: holes }), g.outputs.not_left_aligned, 'a mask that is not left-aligned');
    assertTensorMatches(t, enc(x, { src_key_padding_mask: left.float() }), g.outputs.float_mask, 'a float mask');
  });
  assertTensorMatches(t, enc(x, { src_key_padding_mask: left }), g.outputs.with_grad, 'with autograd: the reference path, every position');
});

const x = torch.zeros(4, 2, E);
const ERRORS: Record<string, [() => unknown, string]> = {
  not_divisible: [() => MHA(E, 3), 'MultiheadAttention'],
  attn_mask_2d_shape: [() => MHA(E, 2)(x, x, x, { attn_mask: torch.zeros(3, 4) }), 'MultiheadAttention'],
  attn_mask_3d_shape: [() => MHA(E, 2)(x, x, x, { attn_mask: torch.zeros(2, 4, 4) }), 'MultiheadAttention'],
  attn_mask_int: [() => MHA(E, 2)(x, x, x, { attn_mask: torch.zeros([4, 4], { dtype: torch.int64 }) }), 'MultiheadAttention'],
  kpm_int: [() => MHA(E, 2)(x, x, x, { key_padding_mask: torch.zeros([2, 4], { dtype: torch.int64 }) }), 'MultiheadAttention'],
  kpm_shape: [() => MHA(E, 2)(x, x, x, { key_padding_mask: torch.zeros([2, 3], { dtype: torch.bool }) }), 'MultiheadAttention'],
  kpm_dims: [() => MHA(E, 2)(x, x, x, { key_padding_mask: torch.zeros([2], { dtype: torch.bool }) }), 'MultiheadAttention'],
  embed_dim: [() => MHA(E, 2)(torch.zeros(4, 2, 6), torch.zeros(4, 2, 6), torch.zeros(4, 2, 6)), 'MultiheadAttention'],
  key_value_shape: [() => MHA(E, 2)(x, x, torch.zeros(5, 2, E)), 'MultiheadAttention'],
  query_4d: [() => MHA(E, 2)(torch.zeros(1, 4, 2, E), x, x), 'MultiheadAttention'],
  key_2d_for_3d_query: [() => MHA(E, 2)(x, torch.zeros(4, E), torch.zeros(4, E)), 'MultiheadAttention'],
  activation_name: [() => new nn.TransformerEncoderLayer(E, 2, { activation: 'tanh' as any }), 'TransformerEncoderLayer'],
  transformer_batch: [() => new nn.Transformer(E, 2, 1, 1, 16)(torch.zeros(5, 2, E), torch.zeros(4, 3, E)), 'Transformer'],
  transformer_d_model: [() => new nn.Transformer(E, 2, 1, 1, 16)(torch.zeros(5, 2, 6), torch.zeros(4, 2, 6)), 'Transformer'],
};

test("bad input fails with Python's words, naming the module", (t) => {
  t.deepEqual(Object.keys(ERRORS).sort(), Object.keys(golden.errors).sort());
  for (const [name, [fn, who]] of Object.entries(ERRORS)) {
    const err = t.throws(fn, undefined, name);
    if (!err) continue;
    t.true(err instanceof TypeError || err instanceof RangeError, `${name}: a TypeError or RangeError, got ${err.name}`);
    t.true(err.message.startsWith(`${who}: `), `${name}: names ${who}: ${err.message}`);
    t.true(err.message.includes(golden.errors[name].message), `${name}: ${err.message} says Python's ${golden.errors[name].message}`);
  }
});

test('a layer given input of the wrong d_model says so, naming the layer', (t) => {
  const layer = new nn.TransformerEncoderLayer(E, 2, 16);
  t.throws(() => layer(torch.zeros(5, 2, 6)), { instanceOf: RangeError, message: 'TransformerEncoderLayer: src should have d_model=8 features in its last dimension, got shape [5, 2, 6]' });
  const dec = new nn.TransformerDecoderLayer(E, 2, 16);
  t.throws(() => dec(torch.zeros(4, 2, E), torch.zeros(5, 2, 4)), { instanceOf: RangeError, message: 'TransformerDecoderLayer: memory should have d_model=8 features in its last dimension, got shape [5, 2, 4]' });
  t.throws(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(E, 2), -1), { instanceOf: RangeError, message: /TransformerEncoder: num_layers must be a non-negative integer, got -1/ });
  t.throws(() => new nn.TransformerEncoder('layer' as any, 2), { instanceOf: TypeError, message: "TransformerEncoder: argument 'encoder_layer' must be an nn.Module, got string" });
  t.throws(() => new nn.MultiheadAttention(E, 2, 1.5), { instanceOf: RangeError, message: 'MultiheadAttention: dropout probability has to be between 0 and 1, but got 1.5' });
});

const REPRS: Record<string, () => nn.Module> = {
  mha: () => MHA(E, 2),
  mha_kdim: () => MHA(E, 2, { bias: false, add_bias_kv: true, kdim: 4 }),
  enc_layer: () => new nn.TransformerEncoderLayer(E, 2, 16),
  encoder: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(E, 2, 16, { activation: new nn.Tanh() }), 2, new nn.LayerNorm(E)),
  transformer: () => new nn.Transformer(E, 2, 1, 1, 16),
};

test("modules print and name their state as Python's", (t) => {
  for (const [name, build] of Object.entries(REPRS)) {
    const m = build();
    t.is(String(m), golden.reprs[name], `${name} repr`);
    t.deepEqual(Object.keys(m.state_dict()), golden.state_dict_keys[name], `${name} state_dict keys`);
  }
});

test("generate_square_subsequent_mask is Python's causal mask", (t) => {
  assertTensorMatches(t, nn.Transformer.generate_square_subsequent_mask(3), golden.square_mask, 'mask');
  assertTensorMatches(t, nn.Transformer.generate_square_subsequent_mask({ sz: 3, device: 'cpu' }), golden.square_mask, 'mask by keyword');
});

test('TransformerEncoder clones its layer: equal weights, separate tensors, the template not registered', (t) => {
  torch.manual_seed(0);
  const layer = new nn.TransformerEncoderLayer(E, 2, 16);
  const enc = new nn.TransformerEncoder(layer, 2);
  const [a, b] = [...enc.layers] as nn.TransformerEncoderLayer[];
  t.not(a, b);
  t.not(a.self_attn.in_proj_weight, b.self_attn.in_proj_weight);
  t.true(torch.equal(a.self_attn.in_proj_weight!, layer.self_attn.in_proj_weight!));
  t.true(torch.equal(a.linear2.weight, b.linear2.weight));
  t.is(a.activation, F.relu);
  t.is(a.activation_relu_or_gelu, 1);
  t.is(enc.parameters().length, 2 * layer.parameters().length);
  torch.no_grad(() => a.linear1.weight.add_(1));
  t.false(torch.equal(a.linear1.weight, b.linear1.weight), 'the copies do not share storage');
  t.true(a.self_attn.in_proj_weight!.requires_grad);
});

test('deepcopy keeps sharing inside a module and refuses a non-leaf buffer', (t) => {
  const shared = new nn.Linear(2, 2);
  const seq = new nn.Sequential(shared, shared);
  const copy = deepcopy(seq);
  t.is(copy.at(0), copy.at(1));
  t.not(copy.at(0), shared);
  t.is(copy.parameters().length, 2);
  const m = new nn.Linear(2, 2);
  m.register_buffer('derived', m.weight.mul(2));
  t.throws(() => deepcopy(m), { message: 'Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment' });
});
