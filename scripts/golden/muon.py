"""Golden trajectories of torch.optim.Muon (PyTorch 2.14; absent from 1.13
and 2.6, where this script writes nothing).

Muon orthogonalizes each 2-D parameter's momentum with a Newton-Schulz
iteration in bfloat16 (matrix products), so its trajectories are the same
bits only where the same bfloat16 GEMM kernel runs: test/muon.test.ts
compares them within 1e-6, which holds on the machine that recorded them
(measured: exact there).

Each run minimises sum(w (p - t)^2) over a wide (4, 16) and a tall (8, 6)
parameter (the tall one is orthogonalized transposed) for 20 steps. Also
written: the state_dict after the run, Python's repr of one optimizer, and
the errors of bad hyperparameters and parameters.

Run: /usr/bin/python3 scripts/golden/muon.py"""
import sys

import torch
from torch import optim

from _common import encode_tensor, write_fixture

if tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]) < (2, 14) or not hasattr(optim, "Muon"):
    print(f"muon.py: torch {torch.__version__} has no optim.Muon (2.14 has): nothing written")
    sys.exit(0)

STEPS = 20
SHAPES = [(4, 16), (8, 6)]


def problem():
    torch.manual_seed(0)
    params = [torch.randn(s).requires_grad_() for s in SHAPES]
    targets = [torch.randn(s) for s in SHAPES]
    weights = [torch.rand(s) + 0.5 for s in SHAPES]
    return params, targets, weights


def objective(params, targets, weights):
    loss = None
    for p, t, w in zip(params, targets, weights):
        d = p - t
        term = (d * d * w).sum()
        loss = term if loss is None else loss + term
    return loss


RUNS = {
    "default": lambda p: optim.Muon(p),
    "lr_no_nesterov_match_rms": lambda p: optim.Muon(p, lr=0.02, weight_decay=0.01, momentum=0.9, nesterov=False, adjust_lr_fn="match_rms_adamw"),
    "spectral_coefficients": lambda p: optim.Muon(p, lr=0.05, ns_coefficients=(3.0, -3.2, 1.2), eps=1e-5, ns_steps=3, adjust_lr_fn="spectral_unclamped"),
    "original_groups": lambda p: optim.Muon([{"params": [p[0]], "lr": 0.03}, {"params": [p[1]], "momentum": 0.5}], lr=0.01, adjust_lr_fn="original"),
}


def run(make):
    params, targets, weights = problem()
    opt = make(params)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = objective(params, targets, weights)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    sd = opt.state_dict()
    return {
        "losses": losses,
        "final": [encode_tensor(p) for p in params],
        "state": {str(k): {name: encode_tensor(v) for name, v in s.items()} for k, s in sd["state"].items()},
        "param_groups": sd["param_groups"],
    }


def error_of(fn):
    try:
        fn()
    except (ValueError, RuntimeError, TypeError) as e:
        return f"{type(e).__name__}: {e}"
    raise AssertionError("no error")


def complex_step():
    p = torch.zeros(2, 2, dtype=torch.complex64, requires_grad=True)
    opt = optim.Muon([p])
    p.grad = torch.ones(2, 2, dtype=torch.complex64)
    opt.step()


def too_many_ns_steps():
    p = torch.zeros(2, 2, requires_grad=True)
    opt = optim.Muon([p], ns_steps=100)
    p.grad = torch.ones(2, 2)
    opt.step()


errors = {
    "lr": error_of(lambda: optim.Muon([torch.zeros(2, 2, requires_grad=True)], lr=-1)),
    "momentum": error_of(lambda: optim.Muon([torch.zeros(2, 2, requires_grad=True)], momentum=-0.5)),
    "weight_decay": error_of(lambda: optim.Muon([torch.zeros(2, 2, requires_grad=True)], weight_decay=-0.1)),
    "adjust_lr_fn": error_of(lambda: optim.Muon([torch.zeros(2, 2, requires_grad=True)], adjust_lr_fn="rms")),
    "one_dimensional": error_of(lambda: optim.Muon([torch.zeros(2, 2, requires_grad=True), torch.zeros(3, requires_grad=True)])),
    "complex": error_of(complex_step),
    "ns_steps": error_of(too_many_ns_steps),
}

write_fixture("muon.json", {
    "steps": STEPS,
    "runs": {name: run(make) for name, make in RUNS.items()},
    "repr": repr(optim.Muon([torch.zeros(2, 2, requires_grad=True)])),
    "errors": errors,
})
