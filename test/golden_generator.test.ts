// The default generator against Python's: after manual_seed(s), the same
// draws give the same numbers (scripts/golden/generator.py).
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { assertTensorMatches, fixture, type EncodedTensor } from './_helpers';

const golden = fixture<{ draws: Record<string, { seed: number; tensor: EncodedTensor }> }>('generator.json');

// The same draws, by name, as DRAWS in scripts/golden/generator.py.
const DRAWS: Record<string, () => Tensor> = {
  rand_3x4: () => torch.rand(3, 4),
  rand_float64_5: () => torch.rand(5, { dtype: torch.float64 }),
  rand_100: () => torch.rand(100),
  randn_3x4: () => torch.randn(3, 4),
  randn_7: () => torch.randn(7),
  randn_64: () => torch.randn(64),
  randn_float64_20: () => torch.randn(20, { dtype: torch.float64 }),
  randint_0_10_x8: () => torch.randint(0, 10, [8]),
  randint_high_5_2x3: () => torch.randint(5, [2, 3]),
  randint_neg_int32: () => torch.randint(-100, 100, [6], { dtype: torch.int32 }),
  randperm_10: () => torch.randperm(10),
  randperm_1000: () => torch.randperm(1000),
  uniform_default: () => torch.empty(6).uniform_(),
  'uniform_-2_3': () => torch.empty(2, 5).uniform_(-2, 3),
  normal_default: () => torch.empty(6).normal_(),
  'normal_5_0.5': () => torch.empty(3, 3).normal_(5, 0.5),
  normal_float64: () => torch.empty(40, { dtype: torch.float64 }).normal_(1, 2),
  rand_then_randn: () => torch.cat([torch.rand(3), torch.randn(3)]),
  rand_like: () => torch.rand_like(torch.zeros(2, 2)),
  randn_like: () => torch.randn_like(torch.zeros(2, 2, { dtype: torch.float64 })),
  bernoulli_: () => torch.empty(10).bernoulli_(0.3),
};

test('every golden draw has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(DRAWS).sort(), Object.keys(golden.draws).sort());
});

for (const [name, { seed, tensor }] of Object.entries(golden.draws)) {
  test(`manual_seed(${seed}) then ${name} draws Python's numbers`, (t) => {
    torch.manual_seed(seed);
    assertTensorMatches(t, DRAWS[name](), tensor, name);
  });
}

test('initial_seed reports the last manual_seed', (t) => {
  torch.manual_seed(4242);
  t.is(torch.initial_seed(), 4242);
});
