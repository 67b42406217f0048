// torchvision.models' ResNet, VGG and MobileNetV2 against torchvision (0.14
// with libtorch 1.13, 0.21 with 2.6: scripts/golden/vision_models.py builds
// the same models): the seeded
// initialisation (state_dict names, shapes and per-tensor summaries), an
// eval-mode forward, a train step of small configurations (output, loss,
// gradients, the state after one SGD step), print() text, a torchvision
// state_dict file loading, torchvision's errors, and bad input.
import * as path from 'node:path';
import test, { type ExecutionContext } from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
import * as F from '../lib/nn/functional';
import { models } from '../lib/vision';
import { assertTensorMatches, decodeTensor, fixture, type EncodedTensor } from './_helpers';

// As scripts/golden/vision_models.py: convolutions without oneDNN, whose
// kernels (and last bits) follow the CPU.
torch.backends.mkldnn.enabled = false;

/** [sum, sum of squares, first values], sums in float64. */
type Summary = number[];
type Layout = [name: string, shape: number[], dtype: string][];
interface SmallRecord {
  repr: string;
  layout: Layout;
  state: Summary[];
  eval_output: EncodedTensor;
  train_output: EncodedTensor;
  target: number[];
  loss: number;
  grads: Summary[];
  after_step: Summary[];
}

const golden = fixture<{
  input_head: number[];
  input_sum: number;
  models: Record<string, { layout: Layout; state: Summary[]; eval_output: Summary; eval_values: number[] }>;
  small: Record<string, SmallRecord>;
  extra: Record<string, { layout: Layout; picked: Record<string, Summary> }>;
  reprs: Record<string, string>;
  saved_output: EncodedTensor;
  make_divisible: [number, number, number | null, number][];
  errors: Record<string, { type: string; message: string } | null>;
  counts: Record<string, [number, number]>;
  conv_norm_activation: Record<string, { repr: string; layout: Layout; state: Summary[]; input: EncodedTensor; output: EncodedTensor }>;
}>('vision_models.json');

const FULL: Record<string, () => nn.Module> = {
  resnet18: () => models.resnet18(),
  resnet34: () => models.resnet34(),
  resnet50: () => models.resnet50(),
  resnext50_32x4d: () => models.resnext50_32x4d(),
  wide_resnet50_2: () => models.wide_resnet50_2(),
  vgg11: () => models.vgg11({ init_weights: false, dropout: 0.3 }),
  vgg16_bn: () => models.vgg16_bn(),
  mobilenet_v2: () => models.mobilenet_v2(),
};

const SMALL: Record<string, () => nn.Module> = {
  resnet_basic_1111: () => new models.ResNet(models.BasicBlock, [1, 1, 1, 1], { num_classes: 10 }),
  resnet_bottleneck_groups_dilated: () =>
    new models.ResNet(models.Bottleneck, [1, 1, 2, 1], {
      num_classes: 10, zero_init_residual: true, groups: 2, width_per_group: 32, replace_stride_with_dilation: [false, true, true],
    }),
  mobilenet_v2_w025: () => models.mobilenet_v2({ width_mult: 0.25, num_classes: 10 }),
  mobilenet_v2_custom: () =>
    new models.MobileNetV2({
      num_classes: 7, width_mult: 0.5, inverted_residual_setting: [[1, 16, 1, 1], [3, 24, 2, 2], [2.5, 40, 2, 2]], round_nearest: 4, dropout: 0.3,
    }),
  // Python's norm_layer=partial(nn.GroupNorm, 8).
  resnet_groupnorm: () => new models.ResNet(models.BasicBlock, [1, 1, 1, 1], { num_classes: 10, norm_layer: (c: number) => new nn.GroupNorm(8, c) }),
};

/** The input every eval forward gets: torch.manual_seed(1); randn(1, 3, 32, 32), as the script makes it. */
function input(): Tensor {
  torch.manual_seed(1);
  return torch.randn(1, 3, 32, 32);
}

function summarize(x: Tensor, head: number): Summary {
  const d = x.detach().reshape(-1).double();
  return [d.sum().item() as number, d.mul(d).sum().item() as number, ...(d.slice(0, 0, head).tolist() as number[])];
}

/**
 * got within tol of want: the sum of squares relative to itself, the sum
 * relative to the tensor's L2 norm (a sum of mixed signs can be near 0), the
 * first values relative to the larger of themselves and the tensor's RMS.
 */
function assertSummary(t: ExecutionContext, x: Tensor, want: Summary, label: string, tol: number): boolean {
  const got = summarize(x, want.length - 2);
  const [s, ss, ...head] = want;
  const norm = Math.sqrt(ss);
  const rms = Math.sqrt(ss / Math.max(1, x.numel()));
  const problems: string[] = [];
  if (Math.abs(got[1] - ss) > tol * Math.max(ss, 1e-12)) problems.push(`sum of squares ${got[1]}, torchvision ${ss}`);
  if (Math.abs(got[0] - s) > tol * Math.max(Math.abs(s), norm, 1e-12)) problems.push(`sum ${got[0]}, torchvision ${s}`);
  head.forEach((w, k) => {
    if (Math.abs(got[2 + k] - w) > tol * Math.max(Math.abs(w), rms, 1e-12)) problems.push(`element ${k} ${got[2 + k]}, torchvision ${w}`);
  });
  if (problems.length) t.fail(`${label}: ${problems.join('; ')}`);
  return problems.length === 0;
}

function layoutOf(m: nn.Module): Layout {
  return Object.entries(m.state_dict()).map(([k, v]) => [k, [...v.shape], v.dtype.name]);
}

/** Names, shapes and dtypes exactly; each tensor's summary within tol. */
function assertState(t: ExecutionContext, m: nn.Module, layout: Layout, state: Summary[], label: string, tol: number): void {
  t.deepEqual(layoutOf(m), layout, `${label}: state_dict layout`);
  const values = Object.values(m.state_dict());
  let ok = 0;
  values.forEach((v, i) => (ok += assertSummary(t, v, state[i], `${label}: ${layout[i][0]}`, tol) ? 1 : 0));
  t.is(ok, state.length, `${label}: every state_dict entry matches`);
}

function disposeAll(m: nn.Module): void {
  for (const v of Object.values(m.state_dict({ keep_vars: true }))) v.dispose();
}

test('the input is the script\'s', (t) => {
  const x = input();
  t.deepEqual(x.reshape(-1).slice(0, 0, 8).tolist(), golden.input_head);
  t.true(Math.abs((x.double().sum().item() as number) - golden.input_sum) < 1e-9);
});

for (const [name, build] of Object.entries(FULL)) {
  test.serial(`${name}: seeded weights and an eval forward equal torchvision's`, (t) => {
    const want = golden.models[name];
    torch.manual_seed(0);
    const m = build();
    // Initialisation draws the same numbers in the same order: exact but for float64 summation order.
    assertState(t, m, want.layout, want.state, name, 1e-6);
    m.eval();
    const out = torch.no_grad(() => m(input()));
    t.deepEqual([...out.shape], [1, 1000]);
    // Convolutions and matmuls differ by ulps between BLAS kernels.
    assertSummary(t, out, want.eval_output, `${name} eval output`, 1e-5);
    const head = out.reshape(-1).slice(0, 0, 16).tolist() as number[];
    const rms = Math.sqrt(want.eval_output[1] / 1000);
    head.forEach((v, k) => t.true(Math.abs(v - want.eval_values[k]) <= 1e-5 * Math.max(Math.abs(want.eval_values[k]), rms), `${name} output[${k}] ${v} vs ${want.eval_values[k]}`));
    if (m instanceof models.VGG) {
      // Five 2x2 poolings need 32 pixels: checked before any layer runs (here, where a VGG is built anyway: its classifier is large).
      t.throws(() => torch.no_grad(() => m(torch.randn(1, 3, 31, 40))), {
        instanceOf: RangeError, message: 'VGG: the image is too small: expected (N, 3, H, W) with H and W at least 32, got an input of shape [1, 3, 31, 40]',
      });
    }
    disposeAll(m);
  });
}

for (const [name, build] of Object.entries(SMALL)) {
  test.serial(`${name}: seeded weights, repr, eval forward and one SGD train step equal torchvision's`, (t) => {
    const want = golden.small[name];
    torch.manual_seed(0);
    const m = build();
    t.is(String(m), want.repr);
    assertState(t, m, want.layout, want.state, name, 1e-6);
    m.eval();
    assertTensorMatches(t, torch.no_grad(() => m(input())), want.eval_output, `${name} eval output`, 1e-5);

    m.train();
    // The train step on one thread, as the script runs everything: the gradients' sums split
    // otherwise (mobilenet_v2_w025's first weight gradient sums to 1998.7493 on two threads in
    // Python 2.6 as here, 1998.7784 on one). libtorch 1.13 starts with one thread on this
    // two-core machine, 2.6 with two.
    const threads = torch.get_num_threads();
    torch.set_num_threads(1);
    t.teardown(() => torch.set_num_threads(threads));
    torch.manual_seed(2);
    const x = torch.randn(4, 3, 32, 32);
    const numClasses = want.eval_output.shape[1];
    const target = torch.randint(0, numClasses, [4]);
    t.deepEqual(target.tolist(), want.target);
    const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9, weight_decay: 1e-4 });
    const out = m(x);
    const loss = F.cross_entropy(out, target);
    loss.backward();
    opt.step();
    assertTensorMatches(t, out, want.train_output, `${name} train output`, 1e-5);
    t.true(Math.abs((loss.item() as number) - want.loss) <= 1e-5 * Math.abs(want.loss), `loss ${loss.item()} vs ${want.loss}`);
    const params = m.parameters();
    t.is(params.length, want.grads.length);
    params.forEach((p, i) => assertSummary(t, p.grad!, want.grads[i], `${name} grad of parameter ${i}`, 1e-5));
    assertState(t, m, want.layout, want.after_step, `${name} after one SGD step`, 1e-5);
  });
}

test('print(resnet18) and print(mobilenet_v2) are torchvision\'s text', (t) => {
  t.is(String(models.resnet18()), golden.reprs.resnet18);
  t.is(String(models.mobilenet_v2()), golden.reprs.mobilenet_v2);
});

test.serial('resnet101 and BasicBlock\'s zero_init_residual: layout and seeded tensors', (t) => {
  const builds: Record<string, () => nn.Module> = {
    resnet101: () => models.resnet101(),
    resnet18_zero_init: () => models.resnet18({ num_classes: 10, zero_init_residual: true }),
  };
  for (const [name, build] of Object.entries(builds)) {
    const want = golden.extra[name];
    torch.manual_seed(0);
    const m = build();
    t.deepEqual(layoutOf(m), want.layout, `${name}: layout`);
    const state = m.state_dict();
    t.true(Object.keys(want.picked).length >= 3);
    for (const [k, s] of Object.entries(want.picked)) assertSummary(t, state[k], s, `${name}: ${k}`, 1e-6);
    disposeAll(m);
  }
});

test.serial('the other builders make torchvision\'s models (parameter counts, state_dict sizes)', (t) => {
  // The same code as the models tested above, through their tables.
  for (const [name, [params, entries]] of Object.entries(golden.counts)) {
    const m = (models as unknown as Record<string, (o: object) => nn.Module>)[name]({ num_classes: 10 });
    t.is(m.parameters().reduce((n, p) => n + p.numel(), 0), params, `${name}: parameters`);
    t.is(Object.keys(m.state_dict()).length, entries, `${name}: state_dict entries`);
    disposeAll(m);
  }
});

test('a state_dict saved by torchvision loads and gives torchvision\'s eval output', (t) => {
  const state = torch.load(path.join(__dirname, 'fixtures', 'vision_models', 'mobilenet_v2_w025.pt')) as Record<string, Tensor>;
  torch.manual_seed(123);
  const m = models.mobilenet_v2({ width_mult: 0.25, num_classes: 10 });
  const result = m.load_state_dict(state);
  t.deepEqual([result.missing_keys, result.unexpected_keys], [[], []]);
  m.eval();
  assertTensorMatches(t, torch.no_grad(() => m(input())), golden.saved_output, 'loaded model eval output', 1e-5);
});

test('Conv2dNormActivation: padding from kernel and dilation, bias only without a norm, optional layers, as torchvision\'s', (t) => {
  const builds: Record<string, () => nn.Module> = {
    default: () => new models.Conv2dNormActivation(3, 8),
    tuple_kernel_dilated_silu: () => new models.Conv2dNormActivation(4, 8, { kernel_size: [3, 5], dilation: 2, norm_layer: null, activation_layer: nn.SiLU }),
    groupnorm_no_activation: () =>
      new models.Conv2dNormActivation(4, 6, 1, { norm_layer: (c: number) => new nn.GroupNorm(2, c), activation_layer: null, bias: true, inplace: null }),
  };
  for (const [name, build] of Object.entries(builds)) {
    const want = golden.conv_norm_activation[name];
    torch.manual_seed(0);
    const m = build();
    t.is(String(m), want.repr, name);
    assertState(t, m, want.layout, want.state, name, 1e-6);
    assertTensorMatches(t, m(decodeTensor(want.input)), want.output, `${name} output`, 1e-5);
  }
});

test('_make_divisible rounds as torchvision does', (t) => {
  for (const [v, d, min, want] of golden.make_divisible) t.is(models._make_divisible(v, d, min), want, `_make_divisible(${v}, ${d}, ${min})`);
});

test('torchvision\'s construction errors, with its messages', (t) => {
  const e = golden.errors;
  const cases: [string, () => unknown][] = [
    ['resnext_groups', () => models.resnext50_32x4d({ groups: 8 })],
    ['wide_width', () => models.wide_resnet50_2({ width_per_group: 64 })],
    ['basic_groups', () => new models.ResNet(models.BasicBlock, [1, 1, 1, 1], { groups: 2 })],
    ['basic_dilation', () => new models.ResNet(models.BasicBlock, [2, 2, 2, 2], { replace_stride_with_dilation: [false, false, true] })],
    ['dilation_len', () => new models.ResNet(models.BasicBlock, [1, 1, 1, 1], { replace_stride_with_dilation: [false, true] })],
    ['inverted_stride', () => new models.InvertedResidual(8, 8, 3, 6)],
    ['setting_rows', () => new models.MobileNetV2({ inverted_residual_setting: [[1, 16, 1]] })],
    ['setting_empty', () => new models.MobileNetV2({ inverted_residual_setting: [] })],
  ];
  for (const [name, fn] of cases) {
    const want = e[name];
    t.truthy(want, `${name}: torchvision raises`);
    const err = t.throws(fn, { instanceOf: RangeError }, name);
    t.true(err!.message.includes(want!.message), `${name}: "${err!.message}" should say "${want!.message}"`);
  }
});

test('weights other than null are refused with what to do instead', (t) => {
  for (const call of [
    () => models.resnet18({ weights: 'IMAGENET1K_V1' as unknown as null }),
    () => models.vgg16(['DEFAULT'] as unknown as null),
    () => models.mobilenet_v2({ pretrained: true as unknown as false }),
  ]) {
    const err = t.throws(call, { instanceOf: TypeError });
    t.regex(err!.message, /^(resnet18|vgg16|mobilenet_v2)\(\): .* cannot be honoured: torchts does not download pretrained weights/);
    t.regex(err!.message, /load_state_dict\(torch\.load\('(resnet18|vgg16|mobilenet_v2)\.pth'\)\)/);
  }
  t.notThrows(() => models.mobilenet_v2(null, false, { width_mult: 0.25, num_classes: 3 }));
  t.notThrows(() => models.mobilenet_v2({ weights: null, pretrained: false, width_mult: 0.25 }));
});

test('builders and constructors bind their arguments as Python does', (t) => {
  const anyModels = models as unknown as Record<string, (...a: unknown[]) => unknown>;
  // Python 3.13 (beside PyTorch 2.6) adds its suggestion: ". Did you mean 'num_classes'?"
  const didYouMean = (name: string) => (PYTHON_DEFS_SUGGEST_KEYWORDS ? `. Did you mean '${name}'?` : '');
  t.throws(() => anyModels.resnet18({ num_clases: 10 }), { instanceOf: TypeError, message: `ResNet() got an unexpected keyword argument 'num_clases'${didYouMean('num_classes')}` });
  t.throws(() => anyModels.resnet18(null, true, false), { instanceOf: TypeError, message: 'resnet18() takes from 0 to 2 positional arguments but 3 were given' });
  t.throws(() => anyModels.mobilenet_v2({ dropuot: 0.1 }), { instanceOf: TypeError, message: `MobileNetV2() got an unexpected keyword argument 'dropuot'${didYouMean('dropout')}` });
  t.throws(() => anyModels.vgg11(null, true, { progress: true }), { instanceOf: TypeError, message: "vgg11() got multiple values for argument 'progress'" });
  t.throws(() => new models.ResNet(models.BasicBlock, [1, 1, 1]), { instanceOf: RangeError, message: /'layers' must be 4 block counts/ });
  t.throws(() => new models.ResNet({} as unknown as models.ResNetBlock, [1, 1, 1, 1]), { instanceOf: TypeError, message: /argument 'block'/ });
  t.throws(() => new models.ResNet(models.BasicBlock, [1, 1, 1, 1], { norm_layer: (() => 3) as unknown as () => nn.Module }), {
    instanceOf: TypeError, message: "ResNet(): 'norm_layer' returned number 3, not a Module",
  });
  // Positionally, in Python's order.
  const m = new models.ResNet(models.BasicBlock, [1, 1, 1, 1], 5, true);
  t.is(m.fc.out_features, 5);
  t.is((m.layer1.at(0) as models.BasicBlock).bn2.state_dict().weight.sum().item(), 0);
});

test('bad input is an error naming the model', (t) => {
  torch.manual_seed(0);
  const resnet = new models.ResNet(models.BasicBlock, [1, 1, 1, 1], { num_classes: 10 }).eval();
  const mobile = models.mobilenet_v2({ width_mult: 0.25, num_classes: 10 }).eval();
  torch.no_grad(() => {
    t.throws(() => resnet(torch.randn(1, 1, 32, 32)), {
      instanceOf: RangeError, message: 'ResNet: expected an image batch (N, 3, H, W), got 1 channels (input of shape [1, 1, 32, 32])',
    });
    t.throws(() => resnet(torch.randn(3, 32, 32)), { instanceOf: RangeError, message: /^ResNet: expected a 4-D image batch \(N, 3, H, W\), got an input of shape \[3, 32, 32\]/ });
    t.throws(() => mobile(torch.randn(2, 4, 16, 16)), { instanceOf: RangeError, message: /^MobileNetV2: expected an image batch \(N, 3, H, W\), got 4 channels/ });
    t.throws(() => (mobile as unknown as (x: unknown) => unknown)([1, 2, 3]), { instanceOf: TypeError, message: "MobileNetV2.forward(): argument 'x' must be a Tensor, not an array" });
    // A dtype the weights do not have: libtorch's message, prefixed with the model.
    t.throws(() => resnet(torch.randn(1, 3, 32, 32, { dtype: torch.float64 })), { message: /^ResNet \(input of shape \[1, 3, 32, 32\]\): / });
    t.notThrows(() => resnet(torch.randn(1, 3, 1, 1)));
  });
});
