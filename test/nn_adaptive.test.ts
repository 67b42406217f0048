// nn.AdaptiveLogSoftmaxWithLoss against Python (scripts/golden/nn_adaptive.py):
// seeded construction and reset_parameters, forward/backward batched and
// unbatched, log_prob, predict's three paths, three SGD steps, and Python's errors.
import { inspect } from 'node:util';

import test, { type ExecutionContext } from 'ava';

import torch from '../lib';
import { assertTensorMatches, decodeTensor, fixture, type EncodedTensor } from './_helpers';

const { nn } = torch;

interface Case {
  args: [number, number, number[], number, boolean];
  seed: number;
  repr: string;
  attrs: Record<string, unknown>;
  params: Record<string, EncodedTensor>;
  x: EncodedTensor;
  target: EncodedTensor;
  output: EncodedTensor;
  loss: EncodedTensor;
  x_grad: EncodedTensor;
  grads: Record<string, EncodedTensor>;
  log_prob: EncodedTensor;
  predict: EncodedTensor;
  x1: EncodedTensor;
  t1: EncodedTensor;
  output1: EncodedTensor;
  loss1: EncodedTensor;
  x1_grad: EncodedTensor;
  grads1: Record<string, EncodedTensor | null>;
  repr1: string;
  reset: Record<string, EncodedTensor>;
}

interface PyError {
  type: string;
  message: string;
}

const golden = fixture<{
  cases: Case[];
  predict_paths: { x: EncodedTensor; cases: { bias: number[]; head_pick: EncodedTensor; predict: EncodedTensor; log_prob: EncodedTensor }[] };
  sgd: { x: EncodedTensor; target: EncodedTensor; losses: number[]; params: Record<string, EncodedTensor> };
  errors: Record<string, PyError>;
}>('nn_adaptive.json');

function build(c: Case) {
  torch.manual_seed(c.seed);
  const [in_features, n_classes, cutoffs, div_value, head_bias] = c.args;
  return new nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, { div_value, head_bias });
}

function assertParams(t: ExecutionContext, m: InstanceType<typeof nn.AdaptiveLogSoftmaxWithLoss>, want: Record<string, EncodedTensor>, label: string) {
  const got = m.named_parameters();
  t.deepEqual(got.map(([n]) => n), Object.keys(want), `${label}: parameter names`);
  for (const [name, p] of got) assertTensorMatches(t, p, want[name], `${label}: ${name}`);
}

for (const c of golden.cases) {
  const label = `AdaptiveLogSoftmaxWithLoss(${c.args[0]}, ${c.args[1]}, [${c.args[2].join(', ')}], div_value=${c.args[3]}, head_bias=${c.args[4]})`;

  test(`${label}: seeded construction gives Python's parameters, attributes and repr`, (t) => {
    const m = build(c);
    assertParams(t, m, c.params, 'constructed');
    t.is(String(m), c.repr);
    for (const [key, want] of Object.entries(c.attrs)) t.deepEqual((m as any)[key], want, key);
  });

  test(`${label}: reset_parameters draws in Python's order`, (t) => {
    const m = build(c);
    torch.manual_seed(c.seed + 40);
    m.reset_parameters();
    assertParams(t, m, c.reset, 'reset');
  });

  test(`${label}: batched forward, backward, log_prob and predict equal Python's`, (t) => {
    const m = build(c);
    const x = decodeTensor(c.x).requires_grad_();
    const r = m(x, decodeTensor(c.target));
    // The named tuple: by position and by name.
    t.is(r.length, 2);
    t.is(r[0], r.output);
    t.is(r[1], r.loss);
    assertTensorMatches(t, r.output, c.output, 'output');
    assertTensorMatches(t, r.loss, c.loss, 'loss');
    r.loss.backward();
    assertTensorMatches(t, x.grad!, c.x_grad, 'input grad');
    for (const [name, p] of m.named_parameters()) assertTensorMatches(t, p.grad!, c.grads[name], `grad of ${name}`);
    const lp = m.log_prob(decodeTensor(c.x));
    assertTensorMatches(t, lp, c.log_prob, 'log_prob');
    assertTensorMatches(t, m.predict(decodeTensor(c.x)), c.predict, 'predict');
    // forward's output is log_prob at the targets.
    assertTensorMatches(t, lp.gather(1, decodeTensor(c.target).unsqueeze(1)).squeeze(1), c.output, 'log_prob at the targets');
  });

  test(`${label}: unbatched forward (1-D input, 0-D target) and backward equal Python's, and print as Python's`, (t) => {
    const m = build(c);
    const x1 = decodeTensor(c.x1).requires_grad_();
    const r = m(x1, decodeTensor(c.t1).reshape([]));
    t.deepEqual([...r.output.shape], []);
    assertTensorMatches(t, r.output, { ...c.output1, shape: [] }, 'output');
    assertTensorMatches(t, r.loss, c.loss1, 'loss');
    t.is(inspect(r), c.repr1);
    t.is(String(r), c.repr1);
    r.loss.backward();
    assertTensorMatches(t, x1.grad!, c.x1_grad, 'input grad');
    // Python's grads come after zero_grad(): a cluster this target does not reach has a zero grad
    // in 1.13 (set_to_none=False) and none in 2.x; here none (the model's grads were never set).
    for (const [name, p] of m.named_parameters()) {
      if (c.grads1[name] === null) t.is(p.grad, null, `grad of ${name}`);
      else assertTensorMatches(t, p.grad ?? torch.zeros_like(p), c.grads1[name], `grad of ${name}`);
    }
  });
}

test("predict's three paths (all rows in the shortlist, none, some) equal Python's and log_prob's argmax", (t) => {
  torch.manual_seed(7);
  const m = new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [2, 6], { head_bias: true });
  const x = decodeTensor(golden.predict_paths.x);
  for (const p of golden.predict_paths.cases) {
    torch.no_grad(() => m.head.bias!.copy_(torch.tensor(p.bias)));
    assertTensorMatches(t, m.head(x).argmax(1), p.head_pick, `head's pick with bias ${p.bias}`);
    const lp = m.log_prob(x);
    assertTensorMatches(t, lp, p.log_prob, `log_prob with bias ${p.bias}`);
    assertTensorMatches(t, m.predict(x), p.predict, `predict with bias ${p.bias}`);
    t.deepEqual(m.predict(x).tolist(), lp.argmax(1).tolist());
  }
});

test('three SGD steps (momentum, weight decay) equal Python\'s losses and parameters', (t) => {
  torch.manual_seed(3);
  const m = new nn.AdaptiveLogSoftmaxWithLoss(6, 11, [2, 5, 8], { div_value: 2.0, head_bias: true });
  const x = decodeTensor(golden.sgd.x);
  const target = decodeTensor(golden.sgd.target);
  const opt = new torch.optim.SGD(m.parameters(), { lr: 0.5, momentum: 0.9, weight_decay: 0.01 });
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) {
    opt.zero_grad();
    const { loss } = m(x, target);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  losses.forEach((l, i) => t.true(Math.abs(l - golden.sgd.losses[i]) <= 1e-6, `loss ${i}: ${l} vs ${golden.sgd.losses[i]}`));
  assertParams(t, m, golden.sgd.params, 'after 3 steps');
});

// ---------------------------------------------------------------- errors

const E = golden.errors;
const prefix = 'AdaptiveLogSoftmaxWithLoss: ';
// Python's RuntimeError('text', size) prints as the tuple; ours says the same in one sentence.
const sentence = (e: PyError) => e.message.replace(/^\('(.*)', (torch\.Size\(\[.*\]\))\)$/, '$1 $2').trimEnd();

test("bad cutoffs are Python's ValueError (a RangeError here), saying what was given", (t) => {
  const cases: [string, number[]][] = [
    ['cutoffs_zero', [0, 3]],
    ['cutoffs_unsorted', [5, 3]],
    ['cutoffs_repeated', [3, 3]],
    ['cutoffs_too_large', [2, 10]],
    ['cutoffs_fraction', [2.5, 6]],
  ];
  for (const [key, cutoffs] of cases) {
    t.is(E[key].type, 'ValueError');
    const err = t.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs), { instanceOf: RangeError });
    t.is(err!.message, `AdaptiveLogSoftmaxWithLoss(): ${E[key].message} (got cutoffs=[${cutoffs.join(', ')}] with n_classes=10)`, key);
  }
  // Python: min() arg is an empty sequence.
  t.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, []), { instanceOf: RangeError, message: /^AdaptiveLogSoftmaxWithLoss\(\): cutoffs should be a sequence of unique, positive integers.* \(got cutoffs=\[\] with n_classes=10\)$/ });
  // Python: 'int' object is not iterable.
  t.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, 3 as any), { instanceOf: TypeError, message: /argument 'cutoffs' must be a sequence of ints, not/ });
  t.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, ['2'] as any), { instanceOf: TypeError, message: /argument 'cutoffs' must be a sequence of ints, but it holds/ });
  // Any iterable is a sequence, as Python's list(cutoffs) takes any.
  t.deepEqual(new nn.AdaptiveLogSoftmaxWithLoss(8, 10, new Set([2, 6])).cutoffs, [2, 6, 10]);
});

test("bad inputs and targets are Python's errors, naming the module", (t) => {
  torch.manual_seed(0);
  const m = new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [2, 6]);
  const calls: Record<string, () => unknown> = {
    target_out_of_range: () => m(torch.zeros(4, 8), torch.tensor([0, 10, 3, -1])),
    target_too_large: () => m(torch.zeros(2, 8), torch.tensor([12, 1])),
    batch_mismatch: () => m(torch.zeros(5, 8), torch.tensor([0, 1, 2, 3])),
    target_1d_input_3d: () => m(torch.zeros(2, 3, 8), torch.tensor([0, 1])),
    target_0d_input_2d: () => m(torch.zeros(2, 8), torch.tensor(1)),
    target_2d: () => m(torch.zeros(2, 8), torch.zeros([2, 1], { dtype: torch.int64 })),
  };
  for (const [key, call] of Object.entries(calls)) {
    t.is(E[key].type, 'RuntimeError');
    const err = t.throws(call, { instanceOf: RangeError }, key);
    t.true(err!.message.startsWith(prefix + sentence(E[key])), `${key}: ${err!.message}`);
  }
  // A wrong feature count fails in the first Linear reached, as in Python, with Python's words inside.
  const err = t.throws(() => m(torch.zeros(3, 7), torch.tensor([0, 1, 7])));
  t.true(err!.message.startsWith(prefix) && err!.message.includes(E.input_features.message), err!.message);
  t.throws(() => m.log_prob(torch.zeros(8)), { instanceOf: RangeError, message: 'AdaptiveLogSoftmaxWithLoss.log_prob: input should be a minibatch (N, in_features=8), got shape [8]' });
  t.throws(() => m.predict(torch.zeros(2, 2, 8)), { instanceOf: RangeError, message: /^AdaptiveLogSoftmaxWithLoss\.predict: input should be a minibatch/ });
  // Python fails in gather for a target that is not int64.
  t.throws(() => m(torch.zeros(2, 8), torch.tensor([0, 1], { dtype: torch.int32 })), { instanceOf: TypeError, message: /target should be an int64 tensor of class indices, got int32/ });
  t.throws(() => m(torch.zeros(2, 8), torch.tensor([0.0, 1.0], { dtype: torch.float32 })), { instanceOf: TypeError, message: /got float32/ });
});

test('constructor, forward, log_prob and predict bind as Python binds them', (t) => {
  const m = new nn.AdaptiveLogSoftmaxWithLoss({ in_features: 4, n_classes: 6, cutoffs: [3], head_bias: true });
  t.is(m.div_value, 4.0);
  t.true(m.head_bias);
  t.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(4, 6, [3], 4.0, false, null, null, 0 as never), {
    instanceOf: TypeError,
    message: 'AdaptiveLogSoftmaxWithLoss() takes from 3 to 7 positional arguments but 8 were given',
  });
  t.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(4, 6, [3], { bogus: 1 } as never), {
    instanceOf: TypeError,
    message: "AdaptiveLogSoftmaxWithLoss() got an unexpected keyword argument 'bogus'",
  });
  const x = torch.randn(2, 4);
  const y = torch.tensor([0, 5]);
  t.deepEqual(m(x, y).output.tolist(), m({ input_: x, target_: y } as never).output.tolist());
  t.throws(() => (m as any)(x, y, y), { instanceOf: TypeError, message: /takes 2 positional arguments but 3 were given/ });
  t.throws(() => m.log_prob(x, { bogus: 1 } as never), { instanceOf: TypeError, message: /unexpected keyword argument 'bogus'/ });
  t.deepEqual(m.predict({ input: x }).tolist(), m.log_prob(x).argmax(1).tolist());
});

test('a cluster with a hidden size of 0 (in_features // div_value**i == 0) works as in Python', (t) => {
  const m = new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [2, 6]);
  t.deepEqual(m.named_parameters().map(([n, p]) => [n, [...p.shape]]), [
    ['head.weight', [4, 8]],
    ['tail.0.0.weight', [2, 8]],
    ['tail.0.1.weight', [4, 2]],
    ['tail.1.0.weight', [0, 8]],
    ['tail.1.1.weight', [4, 0]],
  ]);
  // The last cluster's logits are all 0: a uniform log-probability over its 4 classes, plus the head's.
  const lp = m.log_prob(torch.randn(3, 8));
  const tail = lp.index(torch.slice(), torch.slice(6, 10));
  t.true(tail.sub(tail.index(torch.slice(), torch.slice(0, 1))).abs().max().item() === 0);
});

test('div_value: Python\'s float floor division sizes the clusters (1 // 0.1 is 9, not 10)', (t) => {
  const m = new nn.AdaptiveLogSoftmaxWithLoss(1, 4, [2], 0.1);
  t.deepEqual([...m.tail.at(0).get_parameter('0.weight').shape], [9, 1]);
  t.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 4, [2], 0), { instanceOf: RangeError, message: /div_value=0 gives a zero divisor/ });
  t.throws(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 4, [2], -2), { instanceOf: RangeError, message: /div_value=-2 gives cluster 0 a hidden size of -4/ });
});
