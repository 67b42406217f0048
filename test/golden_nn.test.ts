// torch.nn against Python (scripts/golden/nn.py): seeded weights, reprs,
// parameter names, the notebook's three models, nn.init, forward passes.
import test from 'ava';

import torch, { nn, type Tensor } from '../lib';
import { assertTensorMatches, assertTensorSummary, fixture, type EncodedTensor, type SummarizedTensor } from './_helpers';
import { NOTEBOOK_DIMS, SimpleFixedMLP, SimpleMLP, sequentialMLP } from '../examples/notebook_models';

interface Described {
  repr: string;
  named_parameters: [string, number[]][];
  state_dict_keys: string[];
  parameters: Record<string, SummarizedTensor>;
}

const golden = fixture<{
  models: Record<string, Described>;
  three_ways: string[];
  inits: Record<string, { seed: number; shape: number[]; tensor: EncodedTensor }>;
  gains: Record<string, number>;
  forwards: Record<string, EncodedTensor>;
}>('nn.json');

const seeded = <T>(seed: number, make: () => T): T => {
  torch.manual_seed(seed);
  return make();
};

const MODELS: Record<string, () => nn.Module> = {
  linear_784_32: () => seeded(0, () => new nn.Linear(784, 32)),
  linear_3_2_nobias: () => seeded(1, () => new nn.Linear(3, 2, { bias: false })),
  simple_fixed_mlp: () => seeded(2, () => new SimpleFixedMLP()),
  simple_mlp_notebook: () => seeded(3, () => new SimpleMLP(NOTEBOOK_DIMS)),
  simple_mlp_shallow: () => seeded(4, () => new SimpleMLP([784, 10])),
  simple_mlp_deep: () => seeded(5, () => new SimpleMLP([784, 256, 128, 64, 32, 10])),
  sequential_notebook: () => seeded(6, () => sequentialMLP(NOTEBOOK_DIMS)),
  conv_net: () =>
    seeded(7, () => new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 14 * 14, 10))),
  batchnorm_mlp: () =>
    seeded(8, () => new nn.Sequential(new nn.Linear(8, 6), new nn.BatchNorm1d(6), new nn.Dropout(0.2), new nn.Tanh(), new nn.Linear(6, 3), new nn.Sigmoid())),
  containers: () =>
    seeded(
      9,
      () =>
        new nn.Sequential(
          new nn.ModuleList([new nn.Linear(2, 2), new nn.Identity()]),
          new nn.ModuleDict({ head: new nn.Linear(2, 1), act: new nn.Softmax(1) }),
          new nn.LogSoftmax(1),
        ),
    ),
};

test('every golden model has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(MODELS).sort(), Object.keys(golden.models).sort());
});

for (const [name, want] of Object.entries(golden.models)) {
  test(`nn model ${name}: repr, parameter names and shapes, seeded weights`, (t) => {
    const model = MODELS[name]();
    t.is(String(model), want.repr);
    t.deepEqual(
      model.named_parameters().map(([n, p]) => [n, [...p.shape]]),
      want.named_parameters,
    );
    t.deepEqual(Object.keys(model.state_dict()), want.state_dict_keys);
    for (const [n, p] of model.named_parameters()) assertTensorSummary(t, p, want.parameters[n], `${name}.${n}`);
  });
}

test("the notebook's three models print Python's shapes and first weights", (t) => {
  torch.manual_seed(10);
  const three: nn.Module[] = [new SimpleFixedMLP(), new SimpleMLP(NOTEBOOK_DIMS), sequentialMLP(NOTEBOOK_DIMS)];
  const lines: string[] = [];
  three.forEach((model, k) => {
    lines.push(`Model ${k + 1} parameter shapes:`);
    model.parameters().forEach((param, i) => {
      lines.push(`\t${param.shape} ${i === 0 ? param.detach().index(0, torch.slice(null, 3)) : ''}`);
    });
  });
  t.deepEqual(lines, golden.three_ways);
});

const INITS: Record<string, (t: Tensor) => unknown> = {
  uniform_: (x) => nn.init.uniform_(x, -2, 3),
  normal_: (x) => nn.init.normal_(x, 1, 0.5),
  constant_: (x) => nn.init.constant_(x, 0.25),
  ones_: (x) => nn.init.ones_(x),
  zeros_: (x) => nn.init.zeros_(x),
  kaiming_uniform_: (x) => nn.init.kaiming_uniform_(x),
  kaiming_uniform_relu_fan_out: (x) => nn.init.kaiming_uniform_(x, { mode: 'fan_out', nonlinearity: 'relu' }),
  kaiming_normal_: (x) => nn.init.kaiming_normal_(x),
  kaiming_normal_a: (x) => nn.init.kaiming_normal_(x, { a: Math.sqrt(5) }),
  xavier_uniform_: (x) => nn.init.xavier_uniform_(x),
  xavier_uniform_gain: (x) => nn.init.xavier_uniform_(x, nn.init.calculate_gain('tanh')),
  xavier_normal_: (x) => nn.init.xavier_normal_(x),
};

for (const [name, { seed, shape, tensor }] of Object.entries(golden.inits)) {
  test(`nn.init.${name} after manual_seed(${seed}) gives Python's values`, (t) => {
    torch.manual_seed(seed);
    const x = torch.empty(shape);
    INITS[name](x);
    assertTensorMatches(t, x, tensor, name);
  });
}

test('calculate_gain matches Python exactly', (t) => {
  const args: Record<string, [nn.init.Nonlinearity, number?]> = {
    linear: ['linear'], sigmoid: ['sigmoid'], tanh: ['tanh'], relu: ['relu'], leaky_relu: ['leaky_relu'],
    'leaky_relu_0.2': ['leaky_relu', 0.2], leaky_relu_sqrt5: ['leaky_relu', Math.sqrt(5)], selu: ['selu'], conv2d: ['conv2d'],
  };
  for (const [name, want] of Object.entries(golden.gains)) t.is(nn.init.calculate_gain(...args[name]), want, name);
});

test('forward passes: BatchNorm1d in train and eval, Conv2d, MaxPool2d, Dropout', (t) => {
  const f = golden.forwards;
  torch.manual_seed(40);
  const bn = new nn.Sequential(new nn.Linear(8, 6), new nn.BatchNorm1d(6), new nn.ReLU(), new nn.Linear(6, 3));
  const x = torch.randn(5, 8);
  assertTensorMatches(t, bn(x), f.batchnorm_train, 'batchnorm train');
  bn.eval();
  assertTensorMatches(t, bn(x), f.batchnorm_eval, 'batchnorm eval');
  const norm = bn[1] as nn.BatchNorm1d;
  assertTensorMatches(t, norm.running_mean!, f.batchnorm_running_mean, 'running_mean');
  assertTensorMatches(t, norm.running_var!, f.batchnorm_running_var, 'running_var');
  torch.manual_seed(41);
  const conv = new nn.Conv2d(2, 3, 3, { stride: 2, padding: 1 });
  const pool = new nn.MaxPool2d(2);
  const img = torch.randn(2, 2, 8, 8);
  assertTensorMatches(t, conv(img), f.conv, 'conv');
  assertTensorMatches(t, pool(conv(img)), f.conv_pool, 'conv+pool');
  torch.manual_seed(42);
  assertTensorMatches(t, new nn.Dropout(0.3)(torch.ones(4, 5)), f.dropout, 'dropout');
});
