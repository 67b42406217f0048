// The seed notebook's autograd demo with SGD, showing what Python shows
// (scripts/golden/notebook_demo.py); `None` stands for Python's None.
import test from 'ava';

import torch, { optim } from '../lib';
import { fixture } from './_helpers';

test("the notebook's autograd demo prints PyTorch's text", (t) => {
  const shown: string[] = [];
  const show = (...values: unknown[]) => shown.push(values.map((v) => (v === null ? 'None' : String(v))).join(' '));

  const non_learnable_tensor = torch.tensor([1, 2, 3], { dtype: torch.float });
  const learnable_tensor = torch.tensor([1, 1, 1], { requires_grad: true });
  const optimizer = new optim.SGD([learnable_tensor, non_learnable_tensor], { lr: 0.1 });
  const output = non_learnable_tensor.matmul(learnable_tensor);
  show(learnable_tensor.grad, non_learnable_tensor.grad);
  output.backward({ retain_graph: true });
  show(learnable_tensor.grad, non_learnable_tensor.grad);
  output.backward();
  show(learnable_tensor.grad, non_learnable_tensor.grad);
  optimizer.step();
  show(learnable_tensor.data, non_learnable_tensor.data);
  optimizer.zero_grad({ set_to_none: false });
  show(learnable_tensor.grad, non_learnable_tensor.grad);
  show(output, learnable_tensor);

  t.deepEqual(shown, fixture<{ shown: string[] }>('notebook_demo.json').shown);
});
