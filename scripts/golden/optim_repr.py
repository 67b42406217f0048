"""Golden reprs of torch.optim's optimizers (print(optimizer)): every
optimizer of 1.13 with its defaults, some with hyperparameters given, two
param groups, and a group after a scheduler added initial_lr. Floats print
as Python's repr prints them (1e-08, 1000000.0, 0.0001).

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 optim_repr.py
"""
import torch
from torch import optim

from _common import write_fixture


def params():
    return [torch.nn.Parameter(torch.zeros(2))]


NAMES = ["Adadelta", "Adagrad", "Adam", "AdamW", "SparseAdam", "Adamax", "ASGD", "LBFGS", "NAdam", "RAdam", "RMSprop", "Rprop", "SGD"]
# SGD's lr is required in 1.13: it gets one, the rest nothing.
defaults = {name: repr(getattr(optim, name)(params(), **({"lr": 0.5} if name == "SGD" else {}))) for name in NAMES}

given = {
    "adam": repr(optim.Adam(params(), lr=0.04, betas=(0.8, 0.95), eps=1e-7, weight_decay=0.25, amsgrad=True)),
    "sgd": repr(optim.SGD(params(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)),
    "lbfgs": repr(optim.LBFGS(params(), lr=0.5, line_search_fn="strong_wolfe", tolerance_grad=1e-12)),
    "rprop": repr(optim.Rprop(params(), etas=(0.25, 1.5), step_sizes=(1e-9, 12.5))),
    "rmsprop": repr(optim.RMSprop(params(), lr=1e-20, alpha=0.5, centered=True)),
}
a, b = params(), params()
two = optim.SGD([{"params": a}, {"params": b, "lr": 0.01, "momentum": 0.5}], lr=0.3)
given["two_groups"] = repr(two)
sched_opt = optim.Adam(params(), lr=0.002)
optim.lr_scheduler.StepLR(sched_opt, step_size=3)
given["after_scheduler"] = repr(sched_opt)

write_fixture("optim_repr.json", {"defaults": defaults, "given": given})
