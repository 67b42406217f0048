// Autograd behaviour: leaves, graph nodes, grad modes, accumulation.
import test from 'ava';

import torch from '../lib';

test('leaves, grad_fn names and requires_grad', (t) => {
  const w = torch.ones(3, { requires_grad: true });
  t.true(w.is_leaf);
  t.is(w.grad_fn, null);
  t.is(w.grad, null);
  const y = w.mul(2);
  t.false(y.is_leaf);
  t.true(y.requires_grad);
  t.is(y.grad_fn!.name(), 'MulBackward0');
  t.is(y.sum().grad_fn!.name(), 'SumBackward0');
  const plain = torch.ones(2);
  t.true(plain.is_leaf);
  plain.requires_grad = true;
  t.true(plain.requires_grad);
  t.is(plain.requires_grad_(false), plain);
  t.false(plain.requires_grad);
});

test('.grad accumulates across backward calls and can be set to null', (t) => {
  const w = torch.tensor([1.0, 2.0], { requires_grad: true });
  const loss = w.mul(w).sum();
  loss.backward({ retain_graph: true });
  t.deepEqual(w.grad!.tolist(), [2, 4]);
  loss.backward();
  t.deepEqual(w.grad!.tolist(), [4, 8]);
  w.grad = null;
  t.is(w.grad, null);
  w.mul(3).sum().backward();
  t.deepEqual(w.grad!.tolist(), [3, 3]);
});

test('backward twice without retain_graph gives PyTorch error, and the process lives', (t) => {
  const w = torch.tensor([1.0, 2.0], { requires_grad: true });
  const loss = w.exp().sum();
  loss.backward();
  const err = t.throws(() => loss.backward());
  t.regex(err!.message, /Trying to backward through the graph a second time/);
  t.notRegex(err!.message, /Exception raised from|frame #/);
});

test('no_grad as a callback and with using; enable_grad inside it', (t) => {
  const w = torch.ones(2, { requires_grad: true });
  t.true(torch.is_grad_enabled());
  const a = torch.no_grad(() => w.mul(2));
  t.false(a.requires_grad);
  t.true(torch.is_grad_enabled());
  {
    using _g = torch.no_grad();
    t.false(torch.is_grad_enabled());
    t.false(w.mul(2).requires_grad);
    const b = torch.enable_grad(() => w.mul(2));
    t.true(b.requires_grad);
    t.false(torch.is_grad_enabled());
  }
  t.true(torch.is_grad_enabled());
});

test('no_grad restores grad mode when its callback throws', (t) => {
  t.throws(() =>
    torch.no_grad(() => {
      throw new Error('boom');
    }),
  );
  t.true(torch.is_grad_enabled());
});

test('set_grad_enabled returns a guard that restores the mode', (t) => {
  const g = torch.set_grad_enabled(false);
  t.false(torch.is_grad_enabled());
  g[Symbol.dispose]();
  t.true(torch.is_grad_enabled());
});

test('autograd.grad with allow_unused gives null for an unused input', (t) => {
  const a = torch.ones(2, { requires_grad: true });
  const b = torch.ones(2, { requires_grad: true });
  const [ga, gb] = torch.autograd.grad(a.mul(3).sum(), [a, b], { allow_unused: true });
  t.deepEqual(ga!.tolist(), [3, 3]);
  t.is(gb, null);
});

test('torch.autograd.backward over several outputs', (t) => {
  const x = torch.tensor([1.0, 2.0], { requires_grad: true });
  torch.autograd.backward([x.mul(2).sum(), x.mul(x).sum()]);
  t.deepEqual(x.grad!.tolist(), [4, 6]);
});

test('retain_grad keeps a non-leaf gradient', (t) => {
  const x = torch.tensor([1.0, 2.0], { requires_grad: true });
  const y = x.mul(2);
  y.retain_grad();
  t.true(y.retains_grad);
  y.sum().backward();
  t.deepEqual(y.grad!.tolist(), [1, 1]);
});

test(".data shares storage but not the version counter: writes through it pass autograd's in-place check, as in Python", (t) => {
  // Python: y.data.mul_(2) before backward leaves no error, and sigmoid's
  // backward reads the doubled result: x.grad = (1 - 2s) * 2s, s = sigmoid(1).
  const x = torch.ones(3, { requires_grad: true });
  const y = x.sigmoid();
  const d = y.data;
  t.false(d.requires_grad);
  t.true(d.is_leaf);
  d.mul_(2);
  t.is(y._version, 0);
  t.is(d._version, 1);
  y.sum().backward();
  const s2 = 2 / (1 + Math.exp(-1));
  for (const g of x.grad!.tolist() as number[]) t.true(Math.abs(g - (1 - s2) * s2) < 1e-6, `grad ${g}`);
  // detach() shares the counter: the same write is caught.
  const z = x.sigmoid();
  z.detach().mul_(2);
  t.throws(() => z.sum().backward(), { message: /modified by an inplace operation/ });
  // A leaf's hand-written update through .data leaves its version alone.
  const w = torch.zeros(2, { requires_grad: true });
  w.data.add_(1);
  t.is(w._version, 0);
  t.deepEqual(w.tolist(), [1, 1]);
});
