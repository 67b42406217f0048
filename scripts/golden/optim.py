"""Golden optimizer trajectories: an MLP trained full-batch on fixed seeded
data, the loss at every step and the final weights, for SGD and Adam
variants; learning-rate schedules; state_dict layout.
Run: /usr/bin/python3 scripts/golden/optim.py"""
import torch
from torch import nn, optim

from _common import encode_tensor, write_fixture

STEPS = 300

# (name, optimizer factory)
RUNS = [
    ("sgd_momentum", lambda p: optim.SGD(p, lr=0.05, momentum=0.9)),
    ("sgd_nesterov_wd", lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    ("sgd_dampening_maximize", lambda p: optim.SGD(p, lr=0.01, momentum=0.5, dampening=0.1, maximize=True)),
    ("sgd_plain", lambda p: optim.SGD(p, lr=0.1)),
    ("adam", lambda p: optim.Adam(p, lr=0.01)),
    ("adam_notebook_lr", lambda p: optim.Adam(p, lr=0.04)),
    ("adam_amsgrad_wd", lambda p: optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=1e-2, amsgrad=True)),
    ("adamw", lambda p: optim.AdamW(p, lr=0.01)),
    ("adamw_maximize", lambda p: optim.AdamW(p, lr=0.001, weight_decay=0.1, maximize=True)),
]


def run(make_optimizer):
    torch.manual_seed(0)
    x = torch.randn(64, 20)
    y = torch.randint(0, 5, (64,))
    model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 5))
    opt = make_optimizer(model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {
        "losses": losses,
        "final": {n: encode_tensor(p) for n, p in model.named_parameters()},
        # (torch 2's plain SGD keeps no state at all)
        "state_keys": sorted(opt.state_dict()["state"].get(0, {}).keys()),
        "param_groups": [{k: v for k, v in g.items() if k != "params"} | {"params": g["params"]}
                         for g in opt.state_dict()["param_groups"]],
    }


runs = {name: run(make) for name, make in RUNS}


def schedule(make):
    model = nn.Linear(2, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    sched = make(opt)
    lrs = []
    for _ in range(25):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


schedules = {
    "step_lr": schedule(lambda o: optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    "cosine": schedule(lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=10)),
    "cosine_eta_min": schedule(lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.01)),
}

write_fixture("optim.json", {"steps": STEPS, "runs": runs, "schedules": schedules}, per_kernel=True)
