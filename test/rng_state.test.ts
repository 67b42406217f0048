// Generator states against Python (scripts/golden/rng_state.py): after the
// same seed and draws, torch.get_rng_state() and Generator.get_state() are
// Python's bytes; a state Python saved continues here with Python's draws
// (a cached normal sample included); fork_rng undoes the draws made inside;
// a state that is not one gets Python's message.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { assertTensorMatches, fixture } from './_helpers';

const golden = fixture<any>('rng_state.json');

const bytesOf = (b64: string): Tensor => torch.frombuffer(Buffer.from(b64, 'base64'), { dtype: torch.uint8 }).clone();
const b64Of = (t: Tensor): string => Buffer.from(t.tolist() as number[]).toString('base64');

function checkDraws(t: any, want: any, generator?: torch.Generator): void {
  const g = { generator: generator ?? null };
  assertTensorMatches(t, torch.randn(7, g), want.randn, 'randn', 0);
  assertTensorMatches(t, torch.rand(3, g), want.rand, 'rand', 0);
  assertTensorMatches(t, torch.randint(0, 100, [4], g), want.randint, 'randint', 0);
  assertTensorMatches(t, torch.randn(1, g), want.normal_one, 'normal_one', 0);
}

test.serial('torch.get_rng_state gives the bytes Python gives after the same seed and draws, and set_rng_state goes back to them', (t) => {
  torch.manual_seed(3);
  torch.randn(5);
  torch.randn(1);
  const state = torch.get_rng_state();
  t.is(state.dtype, torch.uint8);
  t.deepEqual([...state.shape], [5056]);
  t.is(b64Of(state), golden.default_state);
  checkDraws(t, golden.default_draws);
  torch.set_rng_state(state);
  checkDraws(t, golden.default_draws);
});

test.serial('torch.seed() seeds the default generator from the OS and gives the seed, which repeats its draws', (t) => {
  const s = torch.seed();
  t.is(typeof s, 'bigint');
  t.not(torch.seed(), s, 'two seeds from the OS differ');
  torch.manual_seed(s);
  const a = torch.rand(4);
  torch.manual_seed(s);
  t.true(torch.equal(torch.rand(4), a));
});

test.serial("a state Python saved continues here with Python's draws", (t) => {
  torch.manual_seed(99);
  torch.set_rng_state(bytesOf(golden.default_state));
  checkDraws(t, golden.default_draws);
});

test('Generator.get_state and set_state: the bytes Python gives, and the draws after them', (t) => {
  const g = new torch.Generator().manual_seed(11);
  torch.randn(3, { generator: g });
  const state = g.get_state();
  t.is(b64Of(state), golden.generator_state);
  checkDraws(t, golden.generator_draws, g);
  t.is(g.set_state(state), g, 'set_state returns the generator');
  checkDraws(t, golden.generator_draws, g);
  // Another generator takes the state Python saved.
  const other = new torch.Generator().set_state(bytesOf(golden.generator_state));
  checkDraws(t, golden.generator_draws, other);
  // Called as Python calls it, without new.
  const called = torch.Generator().manual_seed(11);
  t.true(called instanceof torch.Generator);
  torch.randn(3, { generator: called });
  t.is(b64Of(called.get_state()), golden.generator_state);
  // get_state is a copy: drawing after it does not change it.
  const copy = other.get_state();
  const before = b64Of(copy);
  torch.rand(10, { generator: other });
  t.is(b64Of(copy), before);
});

test.serial('torch.random.fork_rng undoes the draws made inside it, also when they throw or are awaited', async (t) => {
  torch.manual_seed(5);
  const inside = torch.random.fork_rng(() => torch.randn(3));
  assertTensorMatches(t, torch.randn(3), golden.fork_rng_after, 'after', 0);
  t.true(torch.equal(inside, torch.tensor(golden.fork_rng_after.values as number[])));
  torch.manual_seed(5);
  t.throws(() => torch.random.fork_rng(() => { torch.randn(100); throw new RangeError('inside'); }), { message: 'inside' });
  assertTensorMatches(t, torch.randn(3), golden.fork_rng_after, 'after a throw', 0);
  torch.manual_seed(5);
  await torch.random.fork_rng(async () => torch.randn(50));
  assertTensorMatches(t, torch.randn(3), golden.fork_rng_after, 'after an awaited fn', 0);
  torch.manual_seed(5);
  torch.random.fork_rng(() => torch.randn(50), { enabled: false });
  t.false(torch.equal(torch.randn(3), torch.tensor(golden.fork_rng_after.values as number[])), 'enabled: false forks nothing');
});

test("a state that is not one gets Python's message, and the generator is left as it was", (t) => {
  const e = golden.errors;
  const cases: [string, () => unknown][] = [
    ['float', () => torch.set_rng_state(torch.zeros(5056))],
    ['short', () => torch.set_rng_state(torch.zeros(10, { dtype: torch.uint8 }))],
    ['strided', () => torch.set_rng_state(torch.zeros(10112, { dtype: torch.uint8 }).slice(0, 0, null, 2))],
    ['zeros', () => torch.set_rng_state(torch.zeros(5056, { dtype: torch.uint8 }))],
    ['generator_float', () => new torch.Generator().set_state(torch.zeros(5056))],
  ];
  const before = b64Of(torch.get_rng_state());
  for (const [name, call] of cases) {
    const err = t.throws(call, undefined, name)!;
    t.true(err.message.includes(e[name].message), `${name}: ${err.message}`);
  }
  t.is(b64Of(torch.get_rng_state()), before);
  t.throws(() => torch.set_rng_state([1, 2] as any), { instanceOf: TypeError, message: 'torch.set_rng_state(): expected a torch.ByteTensor, but got an array' });
  t.throws(() => torch.set_rng_state(undefined as any), { instanceOf: TypeError, message: /expected a torch\.ByteTensor, but got undefined/ });
  t.throws(() => torch.random.fork_rng(5 as any), { instanceOf: TypeError, message: /fork_rng\(\): the first argument must be a function, got number/ });
});

const withoutGpu = torch.cuda.is_available() ? test.skip : test;
withoutGpu(`torch.cuda rng states without CUDA: none to get, setting one does nothing (as Python queues it for a start that never comes)${torch.cuda.is_available() ? ' [needs a machine without a CUDA device]' : ''}`, (t) => {
  t.deepEqual(torch.cuda.get_rng_state_all(), []);
  t.notThrows(() => torch.cuda.set_rng_state(torch.get_rng_state()));
  t.notThrows(() => torch.cuda.set_rng_state_all([]));
  t.throws(() => torch.cuda.get_rng_state(), { message: /^torch\.cuda\.get_rng_state\(\): (Torch not compiled with CUDA enabled|No CUDA GPUs are available|Found no NVIDIA driver on your system)/ });
});
