"""Golden trajectories of torch.optim's Adadelta, Adagrad, Adamax, ASGD,
NAdam, RAdam, RMSprop, Rprop, SparseAdam and LBFGS (PyTorch 1.13).

Each run minimises an elementwise objective over three float32 parameters,
so that every gradient element depends only on its own parameter element:
no matmul and no cross-element sum enters a gradient, and the parameters
after 150 steps are the same bits on any CPU (the summed loss is compared
within 1e-6: its reduction order may differ). The tensors hold 64 elements
each, a multiple of every vector width, so no element falls to a scalar tail
loop. LBFGS takes dot products (BLAS), so it is compared within 1e-6.

Complex parameters, which Adadelta, Adagrad, Adamax, ASGD, RMSprop and
Rprop treat as pairs of real ones, have runs of their own.

Under torch >= 2 (the fixture in test/fixtures/torch-<version>/) there are
runs of what 2.x alone has, after the runs 1.13 has too: NAdam and RAdam
with maximize and with decoupled_weight_decay; NAdam, RAdam, Adamax with
weight decay and LBFGS on complex parameters; SparseAdam with steps whose
sparse gradient is empty. 1.13's fixture is the same without them.

Also written: state_dicts saved with torch.save after a few steps (with the
parameters at that point) and the parameters a few steps after loading them,
the state_dict structure, and the errors of bad hyperparameters.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 optimizers.py"""
import os

import torch
from torch import optim

from _common import FIXTURES, encode_tensor, write_fixture

# What PyTorch 2 alone has is recorded only by it (and 1.13's fixture stays as it was).
TORCH2 = int(torch.__version__.split(".")[0]) >= 2
# And what 2.14 has beside 2.6 (Adam's decoupled_weight_decay, LBFGS's maximize) by 2.14 alone.
TORCH214 = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 14)

STEPS = 150
SHAPES = [(4, 16), (64,), (2, 32)]


def problem():
    """Seeded parameters, targets and weights, drawn in this order."""
    torch.manual_seed(0)
    params = [torch.randn(s).requires_grad_() for s in SHAPES]
    targets = [torch.randn(s) for s in SHAPES]
    weights = [torch.rand(s) + 0.5 for s in SHAPES]
    return params, targets, weights


def objective(params, targets, weights, sign):
    """sum(w (p - t)^2 + 0.1 (p^2 - 1)^2): a double well pulled towards t.
    sign -1 gives its negation, for the maximize runs."""
    loss = None
    for p, t, w in zip(params, targets, weights):
        d = p - t
        x = p * p - 1
        term = (d * d * w + x * x * 0.1).sum()
        loss = term if loss is None else loss + term
    return loss if sign == 1 else loss.neg()


# name -> (factory over the parameter list, sign of the objective)
RUNS = {
    "adadelta": (lambda p: optim.Adadelta(p), 1),
    "adadelta_wd_maximize": (lambda p: optim.Adadelta(p, lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.01, maximize=True), -1),
    "adagrad": (lambda p: optim.Adagrad(p, lr=0.1), 1),
    "adagrad_lr_decay": (lambda p: optim.Adagrad(p, lr=0.2, lr_decay=0.01, weight_decay=1e-3, initial_accumulator_value=0.1, eps=1e-8), 1),
    "adagrad_maximize": (lambda p: optim.Adagrad(p, lr=0.1, maximize=True), -1),
    "adamax": (lambda p: optim.Adamax(p, lr=0.01), 1),
    "adamax_wd_maximize": (lambda p: optim.Adamax(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, maximize=True), -1),
    "asgd": (lambda p: optim.ASGD(p, lr=0.01), 1),
    "asgd_t0_wd": (lambda p: optim.ASGD(p, lr=0.02, lambd=1e-3, alpha=0.6, t0=50, weight_decay=1e-3), 1),
    "asgd_maximize": (lambda p: optim.ASGD(p, lr=0.01, t0=100, maximize=True), -1),
    "nadam": (lambda p: optim.NAdam(p, lr=0.01), 1),
    "nadam_wd_momentum_decay": (lambda p: optim.NAdam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, momentum_decay=0.01), 1),
    "radam": (lambda p: optim.RAdam(p, lr=0.01), 1),
    "radam_wd": (lambda p: optim.RAdam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01), 1),
    "rmsprop": (lambda p: optim.RMSprop(p, lr=0.01), 1),
    "rmsprop_centered_momentum": (lambda p: optim.RMSprop(p, lr=0.005, alpha=0.9, eps=1e-6, weight_decay=1e-3, momentum=0.9, centered=True), 1),
    "rmsprop_momentum_maximize": (lambda p: optim.RMSprop(p, lr=0.005, momentum=0.5, maximize=True), -1),
    "rmsprop_groups": (lambda p: optim.RMSprop([{"params": [p[0]], "lr": 0.02, "centered": True}, {"params": p[1:]}], lr=0.01, alpha=0.95), 1),
    "rprop": (lambda p: optim.Rprop(p), 1),
    "rprop_etas_step_sizes_maximize": (lambda p: optim.Rprop(p, lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-4, 0.5), maximize=True), -1),
}
if TORCH2:
    # 1.13's NAdam and RAdam have neither maximize nor decoupled_weight_decay.
    RUNS.update({
        "nadam_maximize": (lambda p: optim.NAdam(p, lr=0.01, maximize=True), -1),
        "nadam_decoupled_wd": (lambda p: optim.NAdam(p, lr=0.02, betas=(0.8, 0.99), weight_decay=0.05, decoupled_weight_decay=True), 1),
        "radam_maximize": (lambda p: optim.RAdam(p, lr=0.01, maximize=True), -1),
        "radam_decoupled_wd": (lambda p: optim.RAdam(p, lr=0.02, betas=(0.8, 0.99), weight_decay=0.05, decoupled_weight_decay=True), 1),
    })
if TORCH214:
    RUNS["adam_decoupled_wd"] = (lambda p: optim.Adam(p, lr=0.02, betas=(0.8, 0.99), weight_decay=0.05, decoupled_weight_decay=True), 1)


def encode_state_value(v):
    if isinstance(v, torch.Tensor):
        return encode_tensor(v)
    if isinstance(v, list):
        return [encode_state_value(x) for x in v]
    return v


def encode_state_dict(sd, with_values=True):
    state = {}
    for index, s in sd["state"].items():
        state[str(index)] = {"keys": list(s.keys())}
        if with_values:
            state[str(index)]["values"] = {k: encode_state_value(v) for k, v in s.items()}
    return {"state": state, "param_groups": sd["param_groups"]}


# The runs whose final state values are recorded too (the rest record the
# state's keys): one rich variant per optimizer keeps the fixture small.
STATE_VALUES = {"adadelta_wd_maximize", "adagrad_lr_decay", "adamax_wd_maximize", "asgd_t0_wd",
                "nadam_wd_momentum_decay", "radam_wd", "rmsprop_centered_momentum",
                "rprop_etas_step_sizes_maximize", "sparse_adam", "adagrad_sparse",
                "nadam_decoupled_wd", "radam_decoupled_wd", "sparse_adam_empty_steps", "adam_decoupled_wd"}


def run(make, sign, with_values):
    params, targets, weights = problem()
    opt = make(params)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = objective(params, targets, weights, sign)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {
        "losses": losses,
        "final": [encode_tensor(p) for p in params],
        "state_dict": encode_state_dict(opt.state_dict(), with_values),
    }


runs = {name: run(make, sign, name in STATE_VALUES) for name, (make, sign) in RUNS.items()}


# Complex parameters: the optimizers that treat one as two real ones
# (torch.view_as_real) in 1.13 (and 2.x: NAdam and RAdam too, and Adamax's
# weight decay taken on the complex gradient before the real view), on the
# objective of the real and imaginary parts.
COMPLEX_STEPS = 30
COMPLEX_SHAPES = [(4, 16), (32,)]


def complex_problem():
    torch.manual_seed(0)
    params = [torch.randn(s, dtype=torch.complex64).requires_grad_() for s in COMPLEX_SHAPES]
    targets = [torch.randn(s, dtype=torch.complex64) for s in COMPLEX_SHAPES]
    weights = [torch.rand(s + (2,)) + 0.5 for s in COMPLEX_SHAPES]
    return params, targets, weights


def complex_objective(params, targets, weights):
    loss = None
    for p, t, w in zip(params, targets, weights):
        d = torch.view_as_real(p - t)
        r = torch.view_as_real(p)
        x = r * r - 1
        term = (d * d * w + x * x * 0.1).sum()
        loss = term if loss is None else loss + term
    return loss


COMPLEX_RUNS = {
    "adadelta": lambda p: optim.Adadelta(p, lr=0.5, weight_decay=0.01),
    "adagrad": lambda p: optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1),
    "adamax": lambda p: optim.Adamax(p, lr=0.02),
    "asgd": lambda p: optim.ASGD(p, lr=0.02, t0=10, weight_decay=0.01),
    "rmsprop": lambda p: optim.RMSprop(p, lr=0.005, momentum=0.9, centered=True),
    "rprop": lambda p: optim.Rprop(p, lr=0.05),
}
if TORCH2:
    COMPLEX_RUNS.update({
        "nadam": lambda p: optim.NAdam(p, lr=0.02, weight_decay=0.01),
        "radam": lambda p: optim.RAdam(p, lr=0.02, weight_decay=0.01, decoupled_weight_decay=True),
        "adamax_wd": lambda p: optim.Adamax(p, lr=0.02, weight_decay=0.05),
    })


def complex_run(make):
    params, targets, weights = complex_problem()
    opt = make(params)
    losses = []
    for _ in range(COMPLEX_STEPS):
        opt.zero_grad()
        loss = complex_objective(params, targets, weights)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "final": [encode_tensor(torch.view_as_real(p)) for p in params]}


complex_runs = {name: complex_run(make) for name, make in COMPLEX_RUNS.items()}


# SparseAdam: an embedding table trained through sparse gradients, on rows
# drawn here and written down (each step's rows distinct, so that coalescing
# sums nothing).
def sparse_rows():
    g = torch.Generator().manual_seed(1)
    return [torch.randperm(16, generator=g)[:4].tolist() for _ in range(STEPS)]


ROWS = sparse_rows()


def sparse_problem():
    torch.manual_seed(0)
    weight = torch.randn(16, 8).requires_grad_()
    target = torch.randn(16, 8)
    scale = torch.rand(16, 8) + 0.5
    return weight, target, scale


def sparse_objective(weight, target, scale, rows, sign):
    index = torch.tensor(rows, dtype=torch.long)
    e = torch.nn.functional.embedding(index, weight, sparse=True)
    d = e - target[index]
    x = e * e - 1
    loss = (d * d * scale[index] + x * x * 0.1).sum()
    return loss if sign == 1 else loss.neg()


SPARSE_RUNS = {
    "sparse_adam": (lambda p: optim.SparseAdam(p, lr=0.05), 1),
    "sparse_adam_betas_maximize": (lambda p: optim.SparseAdam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, maximize=True), -1),
    "adagrad_sparse": (lambda p: optim.Adagrad(p, lr=0.2, lr_decay=0.01, initial_accumulator_value=0.1), 1),
}
if TORCH2:
    # 2.x skips the update of a gradient that holds no values (an embedding
    # looked up at no index), while the step count still advances.
    SPARSE_RUNS["sparse_adam_empty_steps"] = (lambda p: optim.SparseAdam(p, lr=0.05), 1)
EMPTY_EVERY = 4


def rows_of(name, i):
    """The rows step i looks up: none on every EMPTY_EVERY-th step (from the second) of sparse_adam_empty_steps."""
    return [] if name == "sparse_adam_empty_steps" and i % EMPTY_EVERY == 1 else ROWS[i]


def sparse_run(name, make, sign, with_values):
    weight, target, scale = sparse_problem()
    opt = make([weight])
    losses = []
    for i in range(STEPS):
        opt.zero_grad()
        loss = sparse_objective(weight, target, scale, rows_of(name, i), sign)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "final": [encode_tensor(weight)], "state_dict": encode_state_dict(opt.state_dict(), with_values)}


sparse_runs = {name: sparse_run(name, make, sign, name in STATE_VALUES) for name, (make, sign) in SPARSE_RUNS.items()}


# LBFGS: step(closure), several iterations per step, with and without the
# strong Wolfe line search. The dot products make it BLAS-dependent.
# The runs stop short of the minimum: there the tolerance tests decide when
# to stop, on differences a BLAS kernel's last bit could change.
LBFGS_RUNS = {
    "lbfgs": (lambda p: optim.LBFGS(p, lr=0.5, max_iter=4, history_size=5), 3),
    "lbfgs_strong_wolfe": (lambda p: optim.LBFGS(p, lr=1, max_iter=5, history_size=4, line_search_fn="strong_wolfe"), 2),
    "lbfgs_max_iter": (lambda p: optim.LBFGS(p, max_iter=6), 1),
}
# 2.x's LBFGS takes complex parameters as pairs of real ones (complex_problem's).
LBFGS_COMPLEX = {"lbfgs_complex", "lbfgs_complex_strong_wolfe"}
if TORCH2:
    LBFGS_RUNS.update({
        "lbfgs_complex": (lambda p: optim.LBFGS(p, lr=0.5, max_iter=4, history_size=5), 3),
        "lbfgs_complex_strong_wolfe": (lambda p: optim.LBFGS(p, lr=1, max_iter=5, history_size=4, line_search_fn="strong_wolfe"), 2),
    })

# 2.14's LBFGS maximizes: the negated objective, climbed.
LBFGS_MAXIMIZE = {"lbfgs_maximize"}
if TORCH214:
    LBFGS_RUNS["lbfgs_maximize"] = (lambda p: optim.LBFGS(p, lr=0.5, max_iter=4, history_size=5, maximize=True), 3)



def lbfgs_run(name, make, steps):
    is_complex = name in LBFGS_COMPLEX
    params, targets, weights = complex_problem() if is_complex else problem()
    opt = make(params)

    def closure():
        opt.zero_grad()
        sign = -1 if name in LBFGS_MAXIMIZE else 1
        loss = complex_objective(params, targets, weights) if is_complex else objective(params, targets, weights, sign)
        loss.backward()
        return loss

    losses = [opt.step(closure).item() for _ in range(steps)]
    sd = opt.state_dict()
    s = sd["state"][0]
    return {
        "steps": steps,
        "losses": losses,
        "final": [encode_tensor(torch.view_as_real(p) if is_complex else p) for p in params],
        "func_evals": s["func_evals"],
        "n_iter": s["n_iter"],
        "state_dict": encode_state_dict(sd, with_values=False),
    }


lbfgs_runs = {name: lbfgs_run(name, make, steps) for name, (make, steps) in LBFGS_RUNS.items()}


# Resuming: a state_dict saved by Python after RESUME_AT steps (with the
# parameters then) loads into a fresh optimizer, and RESUME_MORE further
# steps give these parameters.
RESUME_AT, RESUME_MORE = 5, 5
RESUMED = ["adadelta_wd_maximize", "adagrad_lr_decay", "adamax", "asgd_t0_wd", "nadam_wd_momentum_decay",
           "radam_wd", "rmsprop_centered_momentum", "rmsprop_groups", "rprop_etas_step_sizes_maximize"]
os.makedirs(os.path.join(FIXTURES, "optimizers"), exist_ok=True)


def resume(name, make, sign):
    params, targets, weights = problem()
    opt = make(params)
    for i in range(RESUME_AT + RESUME_MORE):
        if i == RESUME_AT:
            path = os.path.join(FIXTURES, "optimizers", f"{name}.pt")
            torch.save({"params": [p.detach().clone() for p in params], "optimizer": opt.state_dict()}, path)
        opt.zero_grad()
        objective(params, targets, weights, sign).backward()
        opt.step()
    return [encode_tensor(p) for p in params]


resumed = {name: resume(name, *RUNS[name]) for name in RESUMED}


def resume_sparse():
    weight, target, scale = sparse_problem()
    opt = optim.SparseAdam([weight], lr=0.05)
    for i in range(RESUME_AT + RESUME_MORE):
        if i == RESUME_AT:
            path = os.path.join(FIXTURES, "optimizers", "sparse_adam.pt")
            torch.save({"params": [weight.detach().clone()], "optimizer": opt.state_dict()}, path)
        opt.zero_grad()
        sparse_objective(weight, target, scale, ROWS[i], 1).backward()
        opt.step()
    return [encode_tensor(weight)]


resumed["sparse_adam"] = resume_sparse()


def resume_lbfgs():
    params, targets, weights = problem()
    opt = optim.LBFGS(params, lr=0.5, max_iter=4, history_size=5)

    def closure():
        opt.zero_grad()
        loss = objective(params, targets, weights, 1)
        loss.backward()
        return loss

    for i in range(3):
        if i == 2:
            path = os.path.join(FIXTURES, "optimizers", "lbfgs.pt")
            torch.save({"params": [p.detach().clone() for p in params], "optimizer": opt.state_dict()}, path)
        opt.step(closure)
    return [encode_tensor(p) for p in params]


resumed["lbfgs"] = resume_lbfgs()


# Bad hyperparameters: Python's ValueError messages.
def error_of(make):
    p = [torch.zeros(2, requires_grad=True)]
    try:
        make(p)
    except ValueError as e:
        return str(e)
    raise AssertionError("no error")


ERRORS = [
    ("Adadelta", {"lr": -1}), ("Adadelta", {"rho": 2}), ("Adadelta", {"eps": -1}), ("Adadelta", {"weight_decay": -0.5}),
    ("Adagrad", {"lr": -0.5}), ("Adagrad", {"lr_decay": -1}), ("Adagrad", {"initial_accumulator_value": -1}), ("Adagrad", {"eps": -1}),
    ("Adamax", {"betas": [1, 0.9]}), ("Adamax", {"betas": [0.9, -0.5]}), ("Adamax", {"eps": -1}),
    ("ASGD", {"lr": -1}), ("ASGD", {"weight_decay": -1}),
    ("NAdam", {"momentum_decay": -1}), ("NAdam", {"betas": [0.9, 1]}), ("NAdam", {"lr": -1}),
    ("RAdam", {"eps": -1}), ("RAdam", {"weight_decay": -1}),
    ("RMSprop", {"alpha": -1}), ("RMSprop", {"momentum": -0.5}), ("RMSprop", {"eps": -1}),
    ("Rprop", {"etas": [1.5, 1.2]}), ("Rprop", {"etas": [0.5, 0.9]}), ("Rprop", {"lr": -1}),
    ("SparseAdam", {"lr": 0}), ("SparseAdam", {"eps": 0}), ("SparseAdam", {"betas": [0.9, 1]}),
]
errors = [{"optimizer": name, "kwargs": kw, "message": error_of(lambda p: getattr(optim, name)(p, **kw))} for name, kw in ERRORS]
errors.append({"optimizer": "LBFGS", "groups": True, "message": error_of(
    lambda p: optim.LBFGS([{"params": p}, {"params": [torch.zeros(1, requires_grad=True)]}]))})


def runtime_error(fn):
    try:
        fn()
    except RuntimeError as e:
        return str(e)
    raise AssertionError("no error")


def dense_to_sparse_adam():
    p = torch.zeros(2, requires_grad=True)
    opt = optim.SparseAdam([p])
    (p * p).sum().backward()
    opt.step()


def sparse_to_rmsprop():
    w = torch.zeros(3, 2, requires_grad=True)
    opt = optim.RMSprop([w])
    torch.nn.functional.embedding(torch.tensor([0]), w, sparse=True).sum().backward()
    opt.step()


step_errors = {"sparse_adam_dense": runtime_error(dense_to_sparse_adam), "rmsprop_sparse": runtime_error(sparse_to_rmsprop)}

payload = {
    "steps": STEPS,
    "runs": runs,
    "complex_steps": COMPLEX_STEPS,
    "complex_runs": complex_runs,
    "sparse_rows": ROWS,
    "sparse_runs": sparse_runs,
    "lbfgs_runs": lbfgs_runs,
    "resume_at": RESUME_AT,
    "resume_more": RESUME_MORE,
    "resumed": resumed,
    "errors": errors,
    "step_errors": step_errors,
}
if TORCH2:
    payload["sparse_empty_every"] = EMPTY_EVERY
write_fixture("optimizers.json", payload)
