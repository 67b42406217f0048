"""Golden values for the calls issue #18 found silently wrong: each is run here
by Python's own argument parser, and test/binding.test.ts makes the same call
in torchts.

    cd scripts/golden && /usr/bin/python3 binding.py   (or `npm run golden`)
"""
import torch

from _common import encode_tensor, write_fixture

x = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
mask = x > 2
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
r = torch.tensor([1.23456, -2.71828])


def tensors(v):
    if isinstance(v, torch.Tensor):
        return encode_tensor(v)
    return [encode_tensor(t) for t in v]


out = torch.empty(2, 2)
torch.matmul(a, a, out=out)
CASES = {
    "x.sort(0)": x.sort(0),
    "x.argsort(0)": x.argsort(0),
    "x.topk(1, 0)": x.topk(1, 0),
    "mask.all(1)": mask.all(1),
    "mask.any(1)": mask.any(1),
    "mask.any(dim=0)": mask.any(dim=0),
    "r.round(decimals=2)": r.round(decimals=2),
    "x.nonzero(as_tuple=True)": x.nonzero(as_tuple=True),
    "torch.matmul(a, a, out=out)": out,
    "torch.cat([x, x], dim=1)": torch.cat([x, x], dim=1),
    "torch.stack([x, x], dim=1)": torch.stack([x, x], dim=1),
    "torch.softmax(x, dim=0)": torch.softmax(x, dim=0),
    "torch.log_softmax(x, dim=0)": torch.log_softmax(x, dim=0),
    "torch.flatten(x, start_dim=0)": torch.flatten(x, start_dim=0),
    "torch.unsqueeze(x, dim=1)": torch.unsqueeze(x, dim=1),
    "torch.clamp(x, min=2)": torch.clamp(x, min=2),
    "torch.where(mask)": torch.where(mask),
    "torch.pow(2, x)": torch.pow(2, x),
    "x.split([1, 1])": x.split([1, 1]),
    "torch.ops.aten.add(x, x)": torch.ops.aten.add(x, x),
    "torch.ops.aten.mean(x, [0])": torch.ops.aten.mean(x, [0]),
}
write_fixture("binding.json", {k: tensors(v) for k, v in CASES.items()} | {"x.type()": x.type()})
