"""Golden autograd results. Each case is a small program; torchts's test runs
the same program under the same name.
Run: /usr/bin/python3 scripts/golden/autograd.py"""
import torch

from _common import encode_tensor, write_fixture

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def mul_sum():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    return {"y": y, "x.grad": x.grad}


@case
def mlp_layer():
    torch.manual_seed(0)
    w = torch.randn(4, 3, requires_grad=True)
    b = torch.zeros(4, requires_grad=True)
    x = torch.randn(5, 3)
    out = x.matmul(w.t()).add(b).relu().pow(2).mean()
    out.backward()
    return {"out": out, "w.grad": w.grad, "b.grad": b.grad}


@case
def grad_accumulates():
    x = torch.tensor([0.5, -1.0], requires_grad=True)
    y = x.exp().sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    return {"first": first, "x.grad": x.grad}


@case
def backward_with_gradient():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x.sigmoid().mul(3)
    y.backward(torch.tensor([[1.0, 0.5], [0.25, 2.0]]))
    return {"y": y, "x.grad": x.grad}


@case
def autograd_grad():
    x = torch.tensor([0.3, 0.7], requires_grad=True)
    y = torch.tensor([2.0, -1.0], requires_grad=True)
    z = (x.tanh() * y).sum()
    gx, gy = torch.autograd.grad(z, [x, y])
    return {"z": z, "gx": gx, "gy": gy}


@case
def second_order():
    x = torch.tensor([1.5, -0.5], requires_grad=True)
    y = x.pow(3).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x)
    return {"g": g, "gg": gg}


@case
def log_softmax_pick():
    torch.manual_seed(1)
    logits = torch.randn(4, 5, requires_grad=True)
    target = torch.tensor([1, 0, 4, 2])
    picked = logits.log_softmax(1).gather(1, target.unsqueeze(1))
    loss = picked.neg().mean()
    loss.backward()
    return {"loss": loss, "logits.grad": logits.grad}


@case
def no_grad_blocks_graph():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    z = x * 3
    z.sum().backward()
    return {"y.requires_grad": torch.tensor(y.requires_grad), "x.grad": x.grad}


@case
def notebook_demo():
    # The seed notebook's autograd cell: a learnable tensor, a fixed one,
    # backward twice with retain_graph, a gradient step by hand, zeroing.
    w = torch.tensor([1.0, 1.0, 1.0], requires_grad=True)
    x = torch.tensor([0.8, 0.6, 0.4])
    loss = (w * x).sum().pow(2)
    loss.backward(retain_graph=True)
    once = w.grad.clone()
    loss.backward()
    twice = w.grad.clone()
    with torch.no_grad():
        w.sub_(w.grad * 0.1)
    w.grad.zero_()
    return {"loss": loss, "once": once, "twice": twice, "w": w, "w.grad": w.grad}


results = {}
for name, fn in CASES.items():
    results[name] = {k: encode_tensor(v) for k, v in fn().items()}
write_fixture("autograd.json", {"cases": results})
