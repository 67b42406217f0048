// Autograd against Python (scripts/golden/autograd.py): each case is the
// same small program under the same name.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { assertTensorMatches, fixture, type EncodedTensor } from './_helpers';

const golden = fixture<{ cases: Record<string, Record<string, EncodedTensor>> }>('autograd.json');

const CASES: Record<string, () => Record<string, Tensor | null>> = {
  mul_sum() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const y = x.mul(x).sum();
    y.backward();
    return { y, 'x.grad': x.grad };
  },
  mlp_layer() {
    torch.manual_seed(0);
    const w = torch.randn(4, 3, { requires_grad: true });
    const b = torch.zeros(4, { requires_grad: true });
    const x = torch.randn(5, 3);
    const out = x.matmul(w.t()).add(b).relu().pow(2).mean();
    out.backward();
    return { out, 'w.grad': w.grad, 'b.grad': b.grad };
  },
  grad_accumulates() {
    const x = torch.tensor([0.5, -1.0], { requires_grad: true });
    const y = x.exp().sum();
    y.backward({ retain_graph: true });
    const first = x.grad!.clone();
    y.backward();
    return { first, 'x.grad': x.grad };
  },
  backward_with_gradient() {
    const x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], { requires_grad: true });
    const y = x.sigmoid().mul(3);
    y.backward(torch.tensor([[1.0, 0.5], [0.25, 2.0]]));
    return { y, 'x.grad': x.grad };
  },
  autograd_grad() {
    const x = torch.tensor([0.3, 0.7], { requires_grad: true });
    const y = torch.tensor([2.0, -1.0], { requires_grad: true });
    const z = x.tanh().mul(y).sum();
    const [gx, gy] = torch.autograd.grad(z, [x, y]);
    return { z, gx, gy };
  },
  second_order() {
    const x = torch.tensor([1.5, -0.5], { requires_grad: true });
    const y = x.pow(3).sum();
    const [g] = torch.autograd.grad(y, x, { create_graph: true });
    const [gg] = torch.autograd.grad(g!.sum(), x);
    return { g, gg };
  },
  log_softmax_pick() {
    torch.manual_seed(1);
    const logits = torch.randn(4, 5, { requires_grad: true });
    const target = torch.tensor([1, 0, 4, 2]);
    const picked = logits.log_softmax(1).gather(1, target.unsqueeze(1));
    const loss = picked.neg().mean();
    loss.backward();
    return { loss, 'logits.grad': logits.grad };
  },
  no_grad_blocks_graph() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = torch.no_grad(() => x.mul(2));
    const z = x.mul(3);
    z.sum().backward();
    return { 'y.requires_grad': torch.tensor(y.requires_grad), 'x.grad': x.grad };
  },
  notebook_demo() {
    const w = torch.tensor([1.0, 1.0, 1.0], { requires_grad: true });
    const x = torch.tensor([0.8, 0.6, 0.4]);
    const loss = w.mul(x).sum().pow(2);
    loss.backward({ retain_graph: true });
    const once = w.grad!.clone();
    loss.backward();
    const twice = w.grad!.clone();
    {
      using _guard = torch.no_grad();
      w.sub_(w.grad!.mul(0.1));
    }
    w.grad!.zero_();
    return { loss, once, twice, w, 'w.grad': w.grad };
  },
};

test('every golden autograd case has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), Object.keys(golden.cases).sort());
});

for (const [name, expected] of Object.entries(golden.cases)) {
  test(`autograd matches Python: ${name}`, (t) => {
    const got = CASES[name]();
    t.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort());
    for (const [key, want] of Object.entries(expected)) assertTensorMatches(t, got[key]!, want, `${name}: ${key}`);
  });
}
