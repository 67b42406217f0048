// The nn module classes of activation, loss, dropout, padding, pixelshuffle,
// channelshuffle, distance, flatten (Unflatten), linear (Bilinear) and
// container (ParameterList, ParameterDict) against Python: the table of
// scripts/golden/nn_modules_a.py, run here from its fixture. For each case:
// the repr, the parameters after torch.manual_seed(0) and construction, the
// state_dict's keys, the forward (under torch.manual_seed(1)), the gradients
// of a weighted sum of the output, and three SGD steps where there are
// parameters. Then the bad inputs, each a clear error naming the module.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import * as nn from '../lib/nn';
import * as F from '../lib/nn/functional';
import { SGD } from '../lib/optim';
import { assertTensorMatches, decodeTensor, dtypeNamed, fixture, type EncodedTensor } from './_helpers';

interface Expected {
  repr: string;
  state_dict_keys: string[];
  parameters: Record<string, EncodedTensor>;
  output?: EncodedTensor;
  backward_error?: string;
  input_grads?: (EncodedTensor | null)[];
  parameter_grads?: Record<string, EncodedTensor>;
  after_sgd?: Record<string, EncodedTensor>;
}

interface Case {
  cls: string;
  label: string | null;
  args: unknown[];
  kwargs: Record<string, unknown>;
  eval: boolean;
  inputs: { tensor: EncodedTensor; grad: boolean }[];
  expected: Expected;
}

const golden = fixture<{ cases: Case[] }>('nn_modules_a.json');
const NN = nn as unknown as Record<string, new (...args: unknown[]) => nn.Module>;

/** The table's argument encoding: tensors, dtypes and the one distance function travel as tagged objects. */
function decodeArg(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeArg);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('tensor' in o) return decodeTensor(o.tensor as EncodedTensor);
    if ('torch_dtype' in o) return dtypeNamed(o.torch_dtype as string);
    if ('fn' in o) return (a: Tensor, b: Tensor) => torch.rsub(F.cosine_similarity(a, b), 1.0);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeArg(x)]));
  }
  return v;
}

function construct(c: Case): nn.Module {
  const args = decodeArg(c.args) as unknown[];
  const kwargs = decodeArg(c.kwargs) as Record<string, unknown>;
  const Cls = NN[c.cls];
  if (!Cls) throw new Error(`torchts has no nn.${c.cls}`);
  return Object.keys(kwargs).length ? new Cls(...args, kwargs) : new Cls(...args);
}

/** The fixed weights of the scalar whose gradients are compared (the script's weights_like). */
function weightsLike(out: Tensor): Tensor {
  return torch.linspace(-1.0, 2.0, out.numel(), { dtype: out.dtype }).reshape([...out.shape]);
}

golden.cases.forEach((c, index) => {
  const title = `${c.cls}(${JSON.stringify(c.args).slice(1, -1).slice(0, 60)}${Object.keys(c.kwargs).length ? ` ${JSON.stringify(c.kwargs).slice(0, 60)}` : ''})${c.label ? ` [${c.label}]` : ''} #${index} as Python`;
  test(title, (t) => {
    const e = c.expected;
    torch.manual_seed(0);
    const m = construct(c);
    if (c.eval) m.eval();
    t.is(String(m), e.repr, 'repr');
    t.deepEqual(Object.keys(m.state_dict()), e.state_dict_keys, 'state_dict keys');
    const params = m.named_parameters();
    t.deepEqual(params.map(([k]) => k), Object.keys(e.parameters), 'parameter names');
    for (const [k, p] of params) assertTensorMatches(t, p, e.parameters[k], `parameter ${k}`);
    if (c.inputs.length === 0) return;

    const leaves = c.inputs.map((i) => decodeTensor(i.tensor).requires_grad_(i.grad));
    const forward = (): Tensor => {
      const args = leaves.map((x) => (x.requires_grad ? x.clone() : x));
      torch.manual_seed(1);
      return m(...args) as Tensor;
    };
    const out = forward();
    assertTensorMatches(t, out, e.output!, 'output');
    if (e.backward_error !== undefined) {
      t.throws(() => out.mul(weightsLike(out)).sum().backward(), { message: new RegExp(e.backward_error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
      return;
    }
    out.mul(weightsLike(out)).sum().backward();
    e.input_grads!.forEach((g, k) => {
      if (g === null) t.is(leaves[k].grad, null, `input ${k} takes no gradient`);
      else assertTensorMatches(t, leaves[k].grad!, g, `grad of input ${k}`);
    });
    for (const [k, p] of m.named_parameters()) assertTensorMatches(t, p.grad!, e.parameter_grads![k], `grad of ${k}`);
    if (params.length === 0) {
      t.is(e.after_sgd, undefined);
      return;
    }
    const opt = new SGD(m.parameters(), { lr: 0.1 });
    for (let step = 0; step < 3; step++) {
      opt.zero_grad();
      const o = forward();
      o.mul(weightsLike(o)).sum().backward();
      opt.step();
    }
    for (const [k, p] of m.named_parameters()) assertTensorMatches(t, p, e.after_sgd![k], `${k} after three SGD steps`);
  });
});

test('the table covers every module class this part adds', (t) => {
  const covered = new Set(golden.cases.map((c) => c.cls));
  const classes = [
    'Threshold', 'ReLU6', 'RReLU', 'Hardtanh', 'Hardsigmoid', 'Hardswish', 'SiLU', 'Mish', 'ELU', 'CELU', 'SELU', 'GLU', 'GELU', 'Hardshrink', 'LeakyReLU',
    'LogSigmoid', 'Softplus', 'Softshrink', 'PReLU', 'Softsign', 'Tanhshrink', 'Softmin', 'Softmax2d',
    'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout',
    'ReflectionPad1d', 'ReflectionPad2d', 'ReflectionPad3d', 'ReplicationPad1d', 'ReplicationPad2d', 'ReplicationPad3d', 'ZeroPad2d', 'ConstantPad1d', 'ConstantPad2d', 'ConstantPad3d',
    'PixelShuffle', 'PixelUnshuffle', 'ChannelShuffle', 'PairwiseDistance', 'CosineSimilarity', 'Unflatten', 'Bilinear', 'ParameterList', 'ParameterDict',
    'BCELoss', 'KLDivLoss', 'PoissonNLLLoss', 'GaussianNLLLoss', 'HingeEmbeddingLoss', 'MultiLabelMarginLoss', 'SmoothL1Loss', 'HuberLoss', 'SoftMarginLoss',
    'MultiLabelSoftMarginLoss', 'CosineEmbeddingLoss', 'MarginRankingLoss', 'MultiMarginLoss', 'TripletMarginLoss', 'TripletMarginWithDistanceLoss', 'CTCLoss',
  ];
  t.deepEqual(classes.filter((k) => !covered.has(k)), []);
  t.deepEqual(classes.filter((k) => typeof NN[k] !== 'function'), []);
});
