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
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
import { assertTensorMatches, decodeTensor, dtypeNamed, fixture, type EncodedTensor } from './_helpers';

interface Expected {
  repr: string;
  state_dict_keys: string[];
  parameters: Record<string, EncodedTensor>;
  output?: EncodedTensor;
  inputs_after?: EncodedTensor[];
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
    let passed: Tensor[] = [];
    const forward = (): Tensor => {
      passed = leaves.map((x) => (x.requires_grad ? x.clone() : x));
      torch.manual_seed(1);
      return m(...passed) as Tensor;
    };
    const out = forward();
    assertTensorMatches(t, out, e.output!, 'output');
    // An in-place module leaves its output in its input, as in Python; the others leave the input alone.
    e.inputs_after!.forEach((a, k) => assertTensorMatches(t, passed[k], a, `input ${k} after forward`));
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

// ---------------------------------------------------------------- bad input: a clear error naming the module

type BadCase = [name: string, call: () => unknown, message: RegExp, kind: new (...a: any[]) => Error];
const N = nn as unknown as Record<string, new (...args: unknown[]) => nn.Module>;
const f32 = (values: number[]) => torch.tensor(values, { dtype: torch.float32 });

const BAD: BadCase[] = [
  // the binder, with Python's rules
  ['a missing required argument', () => new N.Threshold(0.1), /^Threshold\(\) missing required argument 'value' \(pos 2\)$/, TypeError],
  // CPython 3.13 (Debian 13's, beside PyTorch 2.6) suggests the nearest parameter; 3.11 (beside 1.13) does not.
  ['an unknown keyword', () => new N.ELU({ alpah: 1 }), PYTHON_DEFS_SUGGEST_KEYWORDS ? /^ELU\(\) got an unexpected keyword argument 'alpah'\. Did you mean 'alpha'\?$/ : /^ELU\(\) got an unexpected keyword argument 'alpah'$/, TypeError],
  ['a surplus positional', () => new N.ELU(1.0, false, 3), /^ELU\(\) takes from 0 to 2 positional arguments but 3 were given$/, TypeError],
  ['a string for a float', () => new N.ELU('1'), /^ELU\(\): argument 'alpha' \(position 1\) must be float, not string '1'$/, TypeError],
  ['a fractional num_parameters', () => new N.PReLU(1.5), /^PReLU\(\): argument 'num_parameters' \(position 1\) must be int, not number 1\.5$/, TypeError],
  ['GaussianNLLLoss given a positional (its options are keyword-only)', () => new N.GaussianNLLLoss(true), /^GaussianNLLLoss\(\) takes 0 positional arguments but 1 was given$/, TypeError],
  ['TripletMarginWithDistanceLoss given a positional', () => new N.TripletMarginWithDistanceLoss(null), /^TripletMarginWithDistanceLoss\(\) takes 0 positional arguments but 1 was given$/, TypeError],
  // bad hyperparameters, at construction
  ['Hardtanh with min_val above max_val', () => new N.Hardtanh(1, -1), /^Hardtanh: max_val \(-1\) must be greater than min_val \(1\)$/, RangeError],
  ['GELU with an unknown approximation', () => new N.GELU('fast'), /^GELU: approximate must be 'none' or 'tanh', got 'fast'$/, RangeError],
  ['RReLU with lower above upper', () => new N.RReLU(0.5, 0.1), /^RReLU: lower \(0\.5\) must be less than or equal to upper \(0\.1\)$/, RangeError],
  ['Softshrink with a negative lambd', () => new N.Softshrink(-0.5), /^Softshrink: lambd must be greater or equal to 0, got -0\.5$/, RangeError],
  ['PReLU with no parameters', () => new N.PReLU(0), /^PReLU: num_parameters must be a positive integer, got 0$/, RangeError],
  ['Dropout2d with p above 1', () => new N.Dropout2d(1.5), /^Dropout2d: dropout probability has to be between 0 and 1, but got 1\.5$/, RangeError],
  ['AlphaDropout with a negative p', () => new N.AlphaDropout(-0.1), /^AlphaDropout: dropout probability has to be between 0 and 1, but got -0\.1$/, RangeError],
  ['ReflectionPad1d with three sides', () => new N.ReflectionPad1d([1, 2, 3]), /^ReflectionPad1d\(\): argument 'padding' must be int or a list of 2 ints, not an array \[1, 2, 3\]$/, TypeError],
  ['ZeroPad2d with a string', () => new N.ZeroPad2d('1'), /^ZeroPad2d\(\): argument 'padding' must be int or a list of 4 ints, not string '1'$/, TypeError],
  ['ConstantPad2d without its value', () => new N.ConstantPad2d(1), /^ConstantPad2d\(\) missing required argument 'value' \(pos 2\)$/, TypeError],
  ['PixelShuffle with factor 0', () => new N.PixelShuffle(0), /^PixelShuffle: upscale_factor must be a positive integer, got 0$/, RangeError],
  ['PixelUnshuffle with a negative factor', () => new N.PixelUnshuffle(-2), /^PixelUnshuffle: downscale_factor must be a positive integer, got -2$/, RangeError],
  ['ChannelShuffle with no groups', () => new N.ChannelShuffle(0), /^ChannelShuffle: groups must be a positive integer, got 0$/, RangeError],
  ['Unflatten with a number for the sizes', () => new N.Unflatten(1, 4), /^Unflatten: unflattened_size must be a tuple of ints, but found type number 4$/, TypeError],
  ['Unflatten with a fractional size', () => new N.Unflatten(1, [2, 1.5]), /^Unflatten: unflattened_size must be tuple of ints, but found element of type number 1\.5 at pos 1$/, TypeError],
  ['Unflatten by a dim name', () => new N.Unflatten('features', [['C', 2], ['H', 2]]), /^Unflatten: a named dim \('features'\) needs named tensors, which torchts does not support/, TypeError],
  ['Bilinear with a negative size', () => new N.Bilinear(-3, 2, 4), /Bilinear\(\): in1_features must be a non-negative integer, got -3/, TypeError],
  ['BCELoss with an unknown reduction', () => new N.BCELoss({ reduction: 'avg' }), /^BCELoss: avg is not a valid value for reduction \(expected 'none', 'mean' or 'sum'\)$/, RangeError],
  ['CTCLoss with an unknown reduction', () => new N.CTCLoss(0, 'avg'), /^CTCLoss: avg is not a valid value for reduction/, RangeError],
  ['KLDivLoss with an unknown reduction', () => new N.KLDivLoss({ reduction: 'batch' }), /^KLDivLoss: batch is not a valid value for reduction \(expected 'none', 'batchmean', 'sum' or 'mean'\)$/, RangeError],
  ['MultiMarginLoss with p = 3', () => new N.MultiMarginLoss(3), /^MultiMarginLoss: only p == 1 and p == 2 supported, got p=3$/, RangeError],
  ['MultiMarginLoss with a 2-d weight', () => new N.MultiMarginLoss({ weight: torch.ones(2, 2) }), /^MultiMarginLoss: weight must be one-dimensional \(one weight per class\), got shape \[2, 2\]$/, RangeError],
  ['HuberLoss with delta 0', () => new N.HuberLoss({ delta: 0 }), /^HuberLoss: delta must be positive, got 0$/, RangeError],
  ['SmoothL1Loss with a negative beta', () => new N.SmoothL1Loss({ beta: -1 }), /^SmoothL1Loss: beta must not be negative, got -1$/, RangeError],
  ['CTCLoss with a negative blank', () => new N.CTCLoss(-1), /^CTCLoss: blank must be a class index \(non-negative\), got -1$/, RangeError],
  ['TripletMarginWithDistanceLoss with a number for a distance', () => new N.TripletMarginWithDistanceLoss({ distance_function: 3 }), /distance_function must be a function or a Module, got number/, TypeError],
  ['ParameterList made from a tensor', () => new nn.ParameterList(torch.ones(2) as any), /^ParameterList\.extend should be called with an iterable, but got Tensor$/, TypeError],
  ['ParameterDict with a key that hides a member', () => new nn.ParameterDict({ training: torch.ones(1) }), /^ParameterDict: key 'training' would hide the ParameterDict attribute of that name$/, RangeError],
  ['ParameterDict given a triple', () => new nn.ParameterDict([['a', torch.ones(1), 3]] as any), /^ParameterDict update sequence element #0 has length 3; 2 is required$/, RangeError],
  // bad inputs, at forward: the message starts with the module as it prints
  ['PReLU with the wrong channel count', () => new nn.PReLU(4)(torch.randn(2, 3, 4)), /^PReLU\(num_parameters=4\): Mismatch of parameter numbers and input channel size\. Found parameter numbers = 4 and channel size = 3\.$/, Error],
  ['ELU on an int64 tensor', () => new nn.ELU()(torch.tensor([1, 2])), /^ELU\(alpha=1\.0\): "elu_cpu" not implemented for 'Long'$/, Error],
  ['GLU on an odd dim', () => new nn.GLU()(torch.randn(2, 3)), /^GLU\(dim=-1\): Halving dimension must be even, but dimension 1 is size 3$/, Error],
  ['GLU on a scalar', () => new nn.GLU()(torch.tensor(1.0)), /^GLU\(dim=-1\): glu does not support scalars because halving size must be even$/, RangeError],
  ['Softmax2d on a matrix', () => new nn.Softmax2d()(torch.randn(2, 3)), /^Softmax2d requires a 3D or 4D tensor as input, got one of shape \[2, 3\]$/, RangeError],
  ['Dropout1d on a 4-d input', () => new nn.Dropout1d()(torch.randn(2, 3, 4, 5)), /^Dropout1d\(p=0\.5, inplace=False\): dropout1d: Expected 2D or 3D input, but received a 4D input/, Error],
  ['ReflectionPad1d wider than its input', () => new nn.ReflectionPad1d(5)(torch.randn(1, 2, 3)), /^ReflectionPad1d\(\(5, 5\)\): Argument #4: Padding size should be less than the corresponding input dimension/, Error],
  ['PixelShuffle on channels not divisible by r²', () => new nn.PixelShuffle(2)(torch.randn(1, 3, 2, 2)), /^PixelShuffle\(upscale_factor=2\): pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor/, Error],
  ['ChannelShuffle on channels not divisible by groups', () => new nn.ChannelShuffle(2)(torch.randn(1, 3, 2, 2)), /^ChannelShuffle\(groups=2\): Number of channels must be divisible by groups\. Got 3 channels and 2 groups\.$/, Error],
  ['Unflatten to sizes of the wrong product', () => new nn.Unflatten(1, [2, 3])(torch.randn(2, 4)), /^Unflatten\(dim=1, unflattened_size=\[2, 3\]\): unflatten: Provided sizes \[2, 3\] don't multiply up to the size of dim 1 \(4\)/, Error],
  ['Bilinear fed the wrong feature sizes', () => new nn.Bilinear(3, 2, 4)(torch.randn(5, 3), torch.randn(5, 3)), /^Bilinear\(in1_features=3, in2_features=2, out_features=4, bias=True\) got inputs of shapes \[5, 3\] and \[5, 3\], whose last dimensions should be 3 and 2$/, RangeError],
  ['BCELoss on probabilities above 1', () => new nn.BCELoss()(f32([1.5, 0.5]), f32([1, 0])), /^BCELoss\(\): all elements of input should be between 0 and 1$/, Error],
  ['BCELoss with mismatched sizes', () => new nn.BCELoss()(torch.rand(3), torch.rand(4)), /^BCELoss\(\): Using a target size \(torch\.Size\(\[4\]\)\) that is different to the input size \(torch\.Size\(\[3\]\)\) is deprecated/, RangeError],
  ['MultiMarginLoss with a float target', () => new nn.MultiMarginLoss()(torch.randn(3, 4), f32([0, 1, 2])), /^MultiMarginLoss\(\): expected scalar type Long but found Float$/, Error],
  ['GaussianNLLLoss with a negative variance', () => new nn.GaussianNLLLoss()(torch.randn(3), torch.randn(3), f32([1, -1, 1])), /^GaussianNLLLoss\(\): var has negative entry\/entries$/, RangeError],
  ['GaussianNLLLoss with a variance of the wrong size', () => new nn.GaussianNLLLoss()(torch.randn(3, 4), torch.randn(3, 4), torch.ones(2)), /^GaussianNLLLoss\(\): var is of incorrect size$/, RangeError],
  ['MarginRankingLoss with a target of another rank', () => new nn.MarginRankingLoss()(torch.randn(3), torch.randn(3), torch.ones(3, 1)), /^MarginRankingLoss\(\): margin_ranking_loss : All input tensors should have same dimension/, Error],
  ['CosineEmbeddingLoss with embeddings of two sizes', () => new nn.CosineEmbeddingLoss()(torch.randn(3, 4), torch.randn(3, 5), torch.ones(3)), /^CosineEmbeddingLoss\(\): The size of tensor a \(4\) must match the size of tensor b \(5\)/, Error],
  ['HingeEmbeddingLoss on int64 tensors', () => new nn.HingeEmbeddingLoss()(torch.tensor([1, 2]), torch.tensor([1, -1])), /^HingeEmbeddingLoss\(\): mean\(\): could not infer output dtype\. Input dtype must be either a floating point or complex dtype\. Got: Long$/, Error],
  ['CTCLoss with an input length beyond its input', () => new nn.CTCLoss()(F.log_softmax(torch.randn(2, 1, 4), 2), torch.tensor([[1, 2]]), [5], [2]), /^CTCLoss\(\): Expected input_lengths to have value at most 2, but got value 5/, Error],
  ['ParameterList called', () => (new nn.ParameterList() as any)(torch.ones(1)), /^ParameterList should not be called\.$/, Error],
  ['ParameterDict called', () => (new nn.ParameterDict() as any)(torch.ones(1)), /^ParameterDict should not be called\.$/, Error],
  ['a ParameterList index out of range', () => new nn.ParameterList([torch.ones(1)]).at(3), /^ParameterList: index 3 is out of range$/, RangeError],
];

for (const [name, call, message, kind] of BAD) {
  test(`bad input: ${name}`, (t) => {
    const err = t.throws(call, { instanceOf: kind });
    t.regex(err?.message ?? '', message);
    if (kind === Error) t.true(err instanceof Error);
  });
}

test('a missing ParameterDict key is a KeyError', (t) => {
  const err = t.throws(() => new nn.ParameterDict().pop('a'));
  t.is(err?.name, 'KeyError');
  t.is(err?.message, "'a'");
});

// ---------------------------------------------------------------- the parameter containers as parts of a model

class Holder extends nn.Module {
  plist = new nn.ParameterList([torch.ones(2), new nn.Parameter(torch.zeros(3))]);
  pdict = new nn.ParameterDict([
    ['w', torch.ones(2, 2)],
    ['1', torch.zeros(1)],
  ]);
}

test('ParameterList and ParameterDict register their parameters with the model that holds them', (t) => {
  const m = new Holder();
  t.deepEqual(
    m.named_parameters().map(([k]) => k),
    ['plist.0', 'plist.1', 'pdict.w', 'pdict.1'],
  );
  t.deepEqual(Object.keys(m.state_dict()), ['plist.0', 'plist.1', 'pdict.w', 'pdict.1']);
  // A plain tensor put in becomes a Parameter, as in Python.
  t.true(m.plist[0] instanceof nn.Parameter);
  t.true(m.pdict.w instanceof nn.Parameter);
  t.true(m.plist[0].requires_grad);
});

test('to(float64) converts the parameters of both containers in place', (t) => {
  const m = new Holder();
  const before = m.pdict.w;
  m.to(torch.float64);
  t.is(m.plist.at(-1).dtype, torch.float64);
  t.is(m.pdict.get('w').dtype, torch.float64);
  t.is(m.pdict.w, before, 'the same Parameter object, as Python keeps it');
});

test('load_state_dict fills the containers by their dotted names', (t) => {
  const a = new Holder();
  const b = new Holder();
  torch.no_grad(() => a.plist[1].fill_(7));
  b.load_state_dict(a.state_dict());
  t.deepEqual(b.plist[1].tolist(), [7, 7, 7]);
});

test('SGD steps the parameters of a ParameterList', (t) => {
  const pl = new nn.ParameterList([torch.ones(2)]);
  const opt = new SGD(pl.parameters(), { lr: 0.5 });
  pl[0].sum().backward();
  opt.step();
  t.deepEqual(pl[0].tolist(), [0.5, 0.5]);
});

test('ParameterList works as Python list: append, extend, set, at, slice, iteration, length', (t) => {
  const pl = new nn.ParameterList();
  t.is(pl.length, 0);
  pl.append(torch.ones(1)).extend([torch.zeros(2), torch.zeros(3)]);
  t.is(pl.length, 3);
  t.deepEqual([...pl].map((p) => p.numel()), [1, 2, 3]);
  pl.set(-1, torch.ones(4));
  t.is(pl.at(2).numel(), 4);
  t.true(pl.at(2) instanceof nn.Parameter);
  const sliced = pl.slice(1);
  t.true(sliced instanceof nn.ParameterList);
  t.is(sliced.length, 2);
  t.is(sliced.at(0), pl.at(1), 'a slice holds the same parameters');
  t.deepEqual(pl.named_parameters().map(([k]) => k), ['0', '1', '2']);
});

test('ParameterDict works as Python dict, in insertion order', (t) => {
  const pd = new nn.ParameterDict();
  pd.set('b', torch.ones(1));
  pd.set('1', torch.ones(2));
  pd.set('a', torch.ones(3));
  t.deepEqual(pd.keys(), ['b', '1', 'a']);
  t.deepEqual(pd.named_parameters().map(([k]) => k), ['b', '1', 'a'], "named_parameters keeps Python's order, a numeric key included");
  t.is(pd.size, 3);
  t.true(pd.has('1'));
  t.is(pd.get('zz', null), null);
  t.is(pd.setdefault('b', torch.zeros(9)).numel(), 1);
  const [k, v] = pd.popitem();
  t.is(k, 'a');
  t.is(v.numel(), 3);
  t.is(pd.pop('b').numel(), 1);
  t.deepEqual(pd.keys(), ['1']);
  t.deepEqual(Object.keys(pd.state_dict()), ['1']);
  const copy = pd.copy();
  t.is(copy.get('1'), pd.get('1'));
  pd.delete('1');
  t.is(pd.size, 0);
  t.deepEqual(pd.named_parameters(), []);
  t.deepEqual(copy.fromkeys(['x', 'y'], torch.ones(1)).keys(), ['x', 'y']);
  copy.clear();
  t.is(copy.size, 0);
  // A plain object is taken in sorted key order, as Python takes a dict.
  t.deepEqual(new nn.ParameterDict({ b: torch.ones(1), a: torch.ones(1) }).keys(), ['a', 'b']);
  // A Map keeps its order.
  t.deepEqual(new nn.ParameterDict(new Map([['b', torch.ones(1)], ['a', torch.ones(1)]])).keys(), ['b', 'a']);
});

// ---------------------------------------------------------------- the modules against their functional forms

test('the padding modules give what F.pad gives for their mode', (t) => {
  const x = torch.randn(1, 2, 3, 4, 5);
  const same = (a: Tensor, b: Tensor) => t.true(torch.equal(a, b));
  same(new nn.ReflectionPad1d([1, 2])(x.select(0, 0).select(0, 0)), F.pad(x.select(0, 0).select(0, 0), [1, 2], 'reflect'));
  same(new nn.ReflectionPad2d([1, 0, 2, 1])(x.select(0, 0)), F.pad(x.select(0, 0), [1, 0, 2, 1], 'reflect'));
  same(new nn.ReplicationPad3d(1)(x), F.pad(x, [1, 1, 1, 1, 1, 1], 'replicate'));
  same(new nn.ConstantPad3d([1, 0, 0, 1, 2, 0], 2.5)(x), F.pad(x, [1, 0, 0, 1, 2, 0], 'constant', 2.5));
  same(new nn.ZeroPad2d(2)(x.select(0, 0)), F.pad(x.select(0, 0), [2, 2, 2, 2]));
});

test('the constructors take Python positional and keyword forms alike', (t) => {
  t.is(String(new nn.ELU(0.5, true)), String(new nn.ELU({ alpha: 0.5, inplace: true })));
  t.is(String(new nn.LeakyReLU(0.2)), 'LeakyReLU(negative_slope=0.2)');
  t.is(String(new nn.Hardtanh(-2.0, { max_val: 3.0 })), 'Hardtanh(min_val=-2.0, max_val=3.0)');
  t.is(String(new nn.ConstantPad1d({ padding: 1, value: 0.5 })), 'ConstantPad1d(padding=(1, 1), value=0.5)');
  t.is(String(new nn.Bilinear(2, 3, 4, { bias: false })), 'Bilinear(in1_features=2, in2_features=3, out_features=4, bias=False)');
  t.is(new nn.PairwiseDistance({ keepdim: true }).keepdim, true);
  t.is(new nn.MultiMarginLoss(2, 0.5).margin, 0.5);
  t.is(new nn.PoissonNLLLoss(true, false, null, 1e-6).eps, 1e-6);
  t.is(new nn.KLDivLoss(null, null, 'batchmean').reduction, 'batchmean');
  t.is(new nn.GaussianNLLLoss({ eps: 1e-3 }).eps, 1e-3);
});

test('the legacy size_average and reduce pick the reduction as Python does', (t) => {
  t.is(new nn.BCELoss(null, false).reduction, 'sum');
  t.is(new nn.SoftMarginLoss(null, null, 'none').reduction, 'none');
  t.is(new nn.HingeEmbeddingLoss(1.0, false, true).reduction, 'sum');
  t.is(new nn.MarginRankingLoss({ reduce: false }).reduction, 'none');
  t.is(new nn.KLDivLoss({ size_average: true }).reduction, 'mean');
});

test('loss weights are buffers: in the state dict, moved by to()', (t) => {
  const loss = new nn.BCELoss({ weight: torch.ones(3) });
  t.deepEqual(Object.keys(loss.state_dict()), ['weight']);
  t.deepEqual(loss.named_buffers().map(([k]) => k), ['weight']);
  loss.to(torch.float64);
  t.is(loss.weight!.dtype, torch.float64);
  t.deepEqual(Object.keys(new nn.MultiLabelSoftMarginLoss().state_dict()), [], 'no weight, no entry: Python registers None');
});

test('TripletMarginWithDistanceLoss holds its default distance as a child module, a function of the caller as a plain field', (t) => {
  const loss = new nn.TripletMarginWithDistanceLoss();
  t.true(loss.distance_function instanceof nn.PairwiseDistance);
  t.deepEqual(loss.named_modules().map(([k]) => k), ['', 'distance_function']);
  const custom = new nn.TripletMarginWithDistanceLoss({ distance_function: (a: Tensor, b: Tensor) => a.sub(b).abs().sum(-1) });
  t.deepEqual(custom.named_modules().map(([k]) => k), ['']);
  t.is(String(custom), 'TripletMarginWithDistanceLoss()');
});

test('RReLU draws its slopes only while training', (t) => {
  const m = new nn.RReLU(0.1, 0.3);
  const x = torch.full([1000], -1.0, { dtype: torch.float32 });
  torch.manual_seed(0);
  const train = m(x);
  t.true(train.min().item() >= -0.3 && train.max().item() <= -0.1);
  t.true(train.std().item() > 0.01, 'random slopes while training');
  m.eval();
  t.true(torch.allclose(m(x), torch.full([1000], -0.2, { dtype: torch.float32 })), 'the mean slope in eval');
});

test('an in-place activation returns its input, written over', (t) => {
  for (const m of [new nn.ELU({ inplace: true }), new nn.Hardtanh(-0.1, 0.1, true), new nn.SiLU(true), new nn.Threshold(0.0, -1.0, true), new nn.ReLU6(true)]) {
    const x = torch.randn(5);
    const y = m(x);
    t.true(torch.equal(x, y), String(m));
  }
});

// ---------------------------------------------------------------- the constructors' types (checked by tsc, test/typecheck.test.ts)

/** Never called: each line type-checks as a Python call form, or fails to as the comment says. */
export function constructorTypes(): void {
  new nn.Threshold(0.1, 20.0, { inplace: true });
  new nn.ELU(0.5, true);
  new nn.ELU({ alpha: 0.5 });
  new nn.GELU('tanh');
  new nn.PReLU(3, { dtype: torch.float64 });
  new nn.Hardtanh({ min_value: -2 });
  new nn.ConstantPad2d([1, 0, 2, 1], 0.5);
  new nn.ReflectionPad1d(2);
  new nn.Unflatten(1, [2, 2]);
  new nn.Bilinear(3, 2, 4, false);
  new nn.GaussianNLLLoss({ full: true });
  new nn.TripletMarginWithDistanceLoss({ distance_function: new nn.PairwiseDistance(), swap: true });
  new nn.KLDivLoss({ reduction: 'batchmean', log_target: true });
  new nn.ParameterList([torch.ones(1)]);
  new nn.ParameterDict({ w: torch.ones(1) });
  const out: Tensor = new nn.Bilinear(3, 2, 4)(torch.ones(1, 3), torch.ones(1, 2));
  void out;
  // @ts-expect-error Threshold's value is required
  new nn.Threshold(0.1);
  // @ts-expect-error GELU takes 'none' or 'tanh'
  new nn.GELU('fast');
  // @ts-expect-error ReflectionPad1d takes an int or two
  new nn.ReflectionPad1d([1, 2, 3]);
  // @ts-expect-error GaussianNLLLoss's options are keyword-only
  new nn.GaussianNLLLoss(true);
  // @ts-expect-error an unknown keyword
  new nn.ELU({ alpah: 1 });
}
