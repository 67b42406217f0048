"""The seed notebook's autograd demo with an SGD optimizer: what each print
shows, in order (None where Python prints None).
Run: /usr/bin/python3 scripts/golden/notebook_demo.py"""
import torch
from torch.optim import SGD

from _common import write_fixture

shown = []


def show(*values):
    shown.append(" ".join("None" if v is None else str(v) for v in values))


non_learnable_tensor = torch.tensor([1., 2., 3.])
learnable_tensor = torch.tensor([1., 1., 1.], requires_grad=True)
optimizer = SGD([learnable_tensor, non_learnable_tensor], lr=0.1)
output = non_learnable_tensor @ learnable_tensor
show(learnable_tensor.grad, non_learnable_tensor.grad)
output.backward(retain_graph=True)
show(learnable_tensor.grad, non_learnable_tensor.grad)
output.backward()
show(learnable_tensor.grad, non_learnable_tensor.grad)
optimizer.step()
show(learnable_tensor.data, non_learnable_tensor.data)
optimizer.zero_grad(set_to_none=False)
show(learnable_tensor.grad, non_learnable_tensor.grad)
show(output, learnable_tensor)

write_fixture("notebook_demo.json", {"shown": shown})
