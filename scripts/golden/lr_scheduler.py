"""Golden learning-rate sequences of every torch.optim.lr_scheduler (1.13),
for test/lr_scheduler.test.ts, which builds the same optimizers and
schedulers and requires the same numbers exactly (===).

Under torch >= 2 (the fixture in test/fixtures/torch-<version>/) it records
what 2.x alone has too, after what 1.13 has: CyclicLR cycling Adam's beta1,
SequentialLR undoing the initial steps of the schedulers inside a nested
SequentialLR or ChainedScheduler, ReduceLROnPlateau extending min_lrs to a
param group added later (and its error where min_lr was a list), a CyclicLR
state_dict loaded into a CyclicLR of another mode, and the new errors of
SequentialLR, ChainedScheduler and CosineAnnealingWarmRestarts. 1.13's
fixture is the same without them.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 lr_scheduler.py
(no BLAS is involved; the schedules are pure float arithmetic and libm)."""
import collections
import math
import warnings

import torch
from torch.optim import SGD, Adam
from torch.optim import lr_scheduler as S

from _common import encode_number, write_fixture

warnings.simplefilter("ignore")

# What PyTorch 2 alone has is recorded only by it (and 1.13's fixture stays as it was).
TORCH2 = int(torch.__version__.split(".")[0]) >= 2


def make_opt(kind="sgd", lrs=(0.1, 0.05)):
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    if kind == "adam":
        return Adam(groups, lr=lrs[0])
    return SGD(groups, lr=lrs[0], momentum=0.9)


def metric(i):
    """A noisy, slowly improving metric for ReduceLROnPlateau."""
    return 1.0 / (1 + 0.2 * i) + 0.05 * ((i * 7) % 5)


def metric_up(i):
    return 0.1 * (i // 6) + 0.01 * ((i * 3) % 4)


# name -> (optimizer kind, lrs, scheduler builder, steps, stepper)
# stepper: 'step' (sched.step()), 'plateau' / 'plateau_up' (step(metric(i))),
# or a list of epochs for step(epoch).
CASES = {
    "lambda_one": ("sgd", (0.1, 0.05), lambda o: S.LambdaLR(o, lambda e: 1.0 / (1 + 0.1 * e)), 40, "step"),
    "lambda_list": ("sgd", (0.1, 0.05), lambda o: S.LambdaLR(o, [lambda e: 0.5 + e // 5 * 0.1, lambda e: 1 - e / 50]), 40, "step"),
    "multiplicative": ("sgd", (0.1, 0.05), lambda o: S.MultiplicativeLR(o, lambda e: 0.95), 40, "step"),
    "multiplicative_list": ("sgd", (0.1, 0.05), lambda o: S.MultiplicativeLR(o, [lambda e: 0.9, lambda e: 1.0 + 0.001 * e]), 40, "step"),
    "step": ("sgd", (0.1, 0.05), lambda o: S.StepLR(o, 7, gamma=0.3), 40, "step"),
    "multistep": ("sgd", (0.1, 0.05), lambda o: S.MultiStepLR(o, [3, 7, 7, 12], gamma=0.3), 30, "step"),
    "constant_default": ("sgd", (0.1, 0.05), lambda o: S.ConstantLR(o), 12, "step"),
    "constant": ("sgd", (0.1, 0.05), lambda o: S.ConstantLR(o, factor=0.5, total_iters=4), 12, "step"),
    "linear_default": ("sgd", (0.1, 0.05), lambda o: S.LinearLR(o), 12, "step"),
    "linear": ("sgd", (0.1, 0.05), lambda o: S.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=8), 15, "step"),
    "exponential": ("sgd", (0.1, 0.05), lambda o: S.ExponentialLR(o, 0.93), 60, "step"),
    "polynomial_default": ("sgd", (0.1, 0.05), lambda o: S.PolynomialLR(o), 10, "step"),
    "polynomial": ("sgd", (0.1, 0.05), lambda o: S.PolynomialLR(o, total_iters=20, power=2.0), 30, "step"),
    "polynomial_frac": ("sgd", (0.1, 0.05), lambda o: S.PolynomialLR(o, total_iters=13, power=0.7), 20, "step"),
    "cosine": ("sgd", (0.1, 0.05), lambda o: S.CosineAnnealingLR(o, T_max=10), 50, "step"),
    "cosine_eta_min": ("sgd", (0.1, 0.05), lambda o: S.CosineAnnealingLR(o, 7, eta_min=0.01), 50, "step"),
    "sequential": ("sgd", (0.1, 0.05), lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.1, total_iters=2), S.ExponentialLR(o, gamma=0.9)], milestones=[2]), 30, "step"),
    "sequential3": ("sgd", (0.1, 0.05), lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.2, total_iters=5), S.CosineAnnealingLR(o, T_max=10), S.StepLR(o, 3, 0.5)], [5, 15]), 40, "step"),
    "chained": ("sgd", (0.1, 0.05), lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2), S.ExponentialLR(o, gamma=0.9)]), 30, "step"),
    "chained3": ("sgd", (0.1, 0.05), lambda o: S.ChainedScheduler([S.LinearLR(o, 0.5, total_iters=4), S.MultiStepLR(o, [5, 10], 0.5), S.ExponentialLR(o, 0.98)]), 30, "step"),
    "plateau_default": ("sgd", (0.1, 0.05), lambda o: S.ReduceLROnPlateau(o, patience=2), 60, "plateau"),
    "plateau_max_abs": ("sgd", (0.1, 0.05), lambda o: S.ReduceLROnPlateau(o, mode="max", threshold_mode="abs", threshold=0.01, factor=0.5, patience=1, cooldown=2, min_lr=[0.01, 0.02]), 60, "plateau_up"),
    "plateau_max_rel": ("sgd", (0.1, 0.05), lambda o: S.ReduceLROnPlateau(o, "max", 0.7, 3, 0.05), 60, "plateau_up"),
    "plateau_min_abs_eps": ("sgd", (0.1, 0.05), lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=0, threshold_mode="abs", threshold=0.02, eps=0.01), 60, "plateau"),
    "cyclic_triangular": ("sgd", (0.1, 0.05), lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4), 40, "step"),
    "cyclic_triangular2": ("sgd", (0.1, 0.05), lambda o: S.CyclicLR(o, [0.01, 0.02], [0.1, 0.2], step_size_up=3, step_size_down=5, mode="triangular2", base_momentum=[0.8, 0.7], max_momentum=0.95), 50, "step"),
    "cyclic_exp_range": ("sgd", (0.1, 0.05), lambda o: S.CyclicLR(o, 0.001, 0.01, 5, mode="exp_range", gamma=0.97), 60, "step"),
    "cyclic_scale_fn_cycle": ("sgd", (0.1, 0.05), lambda o: S.CyclicLR(o, 0.01, 0.1, 4, scale_fn=lambda x: 0.5 * (1 + 1 / x)), 40, "step"),
    "cyclic_scale_fn_iterations": ("sgd", (0.1, 0.05), lambda o: S.CyclicLR(o, 0.01, 0.1, 4, scale_fn=lambda x: 1 / (1 + 0.01 * x), scale_mode="iterations"), 40, "step"),
    "cyclic_adam": ("adam", (0.1, 0.05), lambda o: S.CyclicLR(o, 0.001, 0.006, 3, cycle_momentum=False), 30, "step"),
    "onecycle_cos": ("sgd", (0.1, 0.05), lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=40), 40, "step"),
    "onecycle_linear_three_phase_adam": ("adam", (0.1, 0.05), lambda o: S.OneCycleLR(o, [0.01, 0.02], epochs=4, steps_per_epoch=10, anneal_strategy="linear", three_phase=True), 40, "step"),
    "onecycle_cos_three_phase": ("sgd", (0.1, 0.05), lambda o: S.OneCycleLR(o, 0.05, 33, pct_start=0.4, three_phase=True, base_momentum=0.8, max_momentum=[0.9, 0.99]), 33, "step"),
    "onecycle_no_momentum": ("sgd", (0.1, 0.05), lambda o: S.OneCycleLR(o, 0.2, 30, pct_start=0.25, div_factor=10.0, final_div_factor=100.0, cycle_momentum=False), 30, "step"),
    "warm_restarts": ("sgd", (0.1, 0.05), lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, eta_min=0.001), 40, "step"),
    "warm_restarts_T_mult": ("sgd", (0.1, 0.05), lambda o: S.CosineAnnealingWarmRestarts(o, 3, 2), 50, "step"),
    "warm_restarts_epochs": ("sgd", (0.1, 0.05), lambda o: S.CosineAnnealingWarmRestarts(o, 5, eta_min=0.01), None, [i / 4 for i in range(80)] + [7, 3.5, 12]),
    "warm_restarts_epochs_T_mult": ("sgd", (0.1, 0.05), lambda o: S.CosineAnnealingWarmRestarts(o, 2, 3), None,
                                    [i / 2 for i in range(60)] + [i / 10 for i in range(60, 90)] + [26.0, 80.0, 241.5, 242.0, 242.5, 727.0, 728.0, 2.0, 1.5]),
    "warm_restarts_epochs_T_mult2": ("sgd", (0.1, 0.05), lambda o: S.CosineAnnealingWarmRestarts(o, 1, 2, eta_min=0.001), None, [i / 3 for i in range(100)]),
}

# step(epoch): Python's closed forms (and LambdaLR's get_lr, which has none).
CLOSED_EPOCHS = [0, 3, 4, 10, 2, 7, 15, 1, 30, 12]
CLOSED = {
    "closed_step": lambda o: S.StepLR(o, 4, gamma=0.5),
    "closed_multistep": lambda o: S.MultiStepLR(o, [3, 7, 7, 12], gamma=0.3),
    "closed_constant": lambda o: S.ConstantLR(o, factor=0.5, total_iters=4),
    "closed_linear": lambda o: S.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=8),
    "closed_exponential": lambda o: S.ExponentialLR(o, 0.93),
    "closed_polynomial": lambda o: S.PolynomialLR(o, total_iters=20, power=2.0),
    "closed_cosine": lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
    "closed_lambda": lambda o: S.LambdaLR(o, lambda e: 1.0 / (1 + 0.1 * e)),
    "closed_multiplicative": lambda o: S.MultiplicativeLR(o, lambda e: 0.95),
}
for name, build in CLOSED.items():
    CASES[name] = ("sgd", (0.1, 0.05), build, None, CLOSED_EPOCHS)

if TORCH2:
    CASES.update({
        # 1.13 refuses an optimizer without momentum; 2.x cycles Adam's beta1 instead.
        "cyclic_adam_beta1": ("adam", (0.1, 0.05), lambda o: S.CyclicLR(o, 0.001, 0.006, 3, base_momentum=0.85, max_momentum=0.95), 30, "step"),
        "cyclic_adam_beta1_triangular2": ("adam", (0.1, 0.05), lambda o: S.CyclicLR(o, [0.001, 0.002], 0.01, 2, 4, mode="triangular2", base_momentum=[0.8, 0.7], max_momentum=0.9), 40, "step"),
        # 2.x's recursive_undo reaches the schedulers inside a nested SequentialLR or ChainedScheduler
        # (which lead: one that is not first would be stepped with an epoch, which they refuse).
        "sequential_nested": ("sgd", (0.1, 0.05), lambda o: S.SequentialLR(o, [
            S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=2), S.ExponentialLR(o, 0.9)], [3]),
            S.StepLR(o, 2, 0.5)], [6]), 20, "step"),
        "sequential_of_chained": ("sgd", (0.1, 0.05), lambda o: S.SequentialLR(o, [
            S.ChainedScheduler([S.LinearLR(o, 0.5, total_iters=3), S.ExponentialLR(o, 0.95)]),
            S.CosineAnnealingLR(o, T_max=6)], [5]), 20, "step"),
    })

# Resumed from a state_dict after `at` steps.
RESUME = {"step": 10, "multistep": 5, "cosine": 13, "lambda_one": 9, "multiplicative": 6, "exponential": 7, "cyclic_triangular2": 11,
          "cyclic_scale_fn_iterations": 9, "onecycle_linear_three_phase_adam": 17, "onecycle_cos": 12, "warm_restarts_T_mult": 14,
          "plateau_max_abs": 20, "plateau_default": 25, "sequential3": 8, "chained3": 6, "polynomial": 6, "linear": 3}
if TORCH2:
    RESUME.update({"cyclic_adam_beta1": 7, "cyclic_adam_beta1_triangular2": 9, "sequential_nested": 4, "sequential_of_chained": 7})


def jsonable(v):
    """A state_dict's value as JSON: functions (and CyclicLR's WeakMethod) do
    not travel, as test/lr_scheduler.test.ts's side leaves them out too."""
    if isinstance(v, float) or isinstance(v, bool) or isinstance(v, int):
        return encode_number(v)
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):  # Counter too: its keys become strings
        return {str(k): jsonable(x) for k, x in v.items() if not callable(x) and not hasattr(x, "__call__")}
    raise TypeError(f"cannot encode {type(v)}")


def encode_state(sd):
    out = {}
    for k, v in sd.items():
        if callable(v) or type(v).__name__ == "WeakMethod":
            continue
        out[k] = jsonable(v)
    return out


def snapshot(opt):
    """What a scheduler writes into the param groups: lr, and momentum / beta1 where cycled."""
    return {
        "lr": [g["lr"] for g in opt.param_groups],
        "momentum": [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups],
    }


def groups_state(opt):
    return [jsonable({k: v for k, v in g.items() if k != "params"}) for g in opt.param_groups]


def drive(sched, stepper, i):
    if stepper == "step":
        sched.step()
    elif stepper == "plateau":
        sched.step(metric(i))
    elif stepper == "plateau_up":
        sched.step(metric_up(i))
    else:
        sched.step(stepper[i])


def run(name):
    kind, lrs, build, steps, stepper = CASES[name]
    opt = make_opt(kind, lrs)
    sched = build(opt)
    n = steps if steps is not None else len(stepper)
    seq = [snapshot(opt)]
    resume = None
    for i in range(n):
        if name in RESUME and i == RESUME[name]:
            resume = {"at": i, "state_dict": encode_state(sched.state_dict()), "param_groups": groups_state(opt)}
        opt.step()
        drive(sched, stepper, i)
        seq.append(snapshot(opt))
    out = {
        "lr": [s["lr"] for s in seq],
        "momentum": [s["momentum"] for s in seq],
        "state_dict_keys": sorted(encode_state(sched.state_dict()).keys()),
        "last_lr": sched._last_lr,
    }
    if resume:
        out["resume"] = resume
    return out


payload = {
    "metric": [metric(i) for i in range(60)],
    "metric_up": [metric_up(i) for i in range(60)],
    "cases": {name: run(name) for name in CASES},
}

# One step past OneCycleLR's total_steps is Python's error.
opt = make_opt()
sched = S.OneCycleLR(opt, 0.1, total_steps=5)
for _ in range(5):
    sched.step()
try:
    sched.step()
except ValueError as e:
    payload["onecycle_past_end"] = str(e)

# Bad arguments: Python's messages.
errors = {}


def err(name, f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        errors[name] = {"type": type(e).__name__, "message": str(e)}


err("not_optimizer", lambda: S.StepLR(None, 3))
err("constant_factor", lambda: S.ConstantLR(make_opt(), factor=1.5))
err("linear_start", lambda: S.LinearLR(make_opt(), start_factor=-0.1))
err("linear_end", lambda: S.LinearLR(make_opt(), end_factor=2))
err("lambda_count", lambda: S.LambdaLR(make_opt(), [lambda e: 1.0]))
err("plateau_factor", lambda: S.ReduceLROnPlateau(make_opt(), factor=1.0))
err("plateau_mode", lambda: S.ReduceLROnPlateau(make_opt(), mode="mid"))
err("plateau_threshold_mode", lambda: S.ReduceLROnPlateau(make_opt(), threshold_mode="relative"))
err("plateau_min_lr", lambda: S.ReduceLROnPlateau(make_opt(), min_lr=[0.1]))
err("cyclic_mode", lambda: S.CyclicLR(make_opt(), 0.01, 0.1, mode="sine"))
err("cyclic_momentum_adam", lambda: S.CyclicLR(make_opt("adam"), 0.01, 0.1))
err("cyclic_max_lr_count", lambda: S.CyclicLR(make_opt(), 0.01, [0.1, 0.2, 0.3]))
err("onecycle_no_steps", lambda: S.OneCycleLR(make_opt(), 0.1))
err("onecycle_total_steps", lambda: S.OneCycleLR(make_opt(), 0.1, total_steps=0))
err("onecycle_epochs", lambda: S.OneCycleLR(make_opt(), 0.1, epochs=-2, steps_per_epoch=3))
err("onecycle_pct_start", lambda: S.OneCycleLR(make_opt(), 0.1, 10, pct_start=1.5))
err("onecycle_anneal", lambda: S.OneCycleLR(make_opt(), 0.1, 10, anneal_strategy="cosine"))
err("warm_T_0", lambda: S.CosineAnnealingWarmRestarts(make_opt(), 0))
err("warm_T_mult", lambda: S.CosineAnnealingWarmRestarts(make_opt(), 5, 0))
err("warm_epoch", lambda: S.CosineAnnealingWarmRestarts(make_opt(), 5).step(-1))
err("resume_no_initial_lr", lambda: S.StepLR(make_opt(), 3, last_epoch=4))
err("sequential_milestones", lambda: (lambda o: S.SequentialLR(o, [S.StepLR(o, 2), S.StepLR(o, 3)], [2, 4]))(make_opt()))
err("sequential_optimizer", lambda: (lambda o, p: S.SequentialLR(o, [S.StepLR(o, 2), S.StepLR(p, 3)], [2]))(make_opt(), make_opt()))
err("chained_optimizer", lambda: (lambda o, p: S.ChainedScheduler([S.StepLR(o, 2), S.StepLR(p, 3)]))(make_opt(), make_opt()))
if TORCH2:
    err("sequential_empty", lambda: S.SequentialLR(make_opt(), [], []))
    err("chained_empty", lambda: S.ChainedScheduler([]))
    err("sequential_plateau", lambda: (lambda o: S.SequentialLR(o, [S.StepLR(o, 2), S.ReduceLROnPlateau(o)], [2]))(make_opt()))
    err("chained_plateau", lambda: (lambda o: S.ChainedScheduler([S.ReduceLROnPlateau(o), S.StepLR(o, 2)]))(make_opt()))
    err("sequential_not_scheduler", lambda: (lambda o: S.SequentialLR(o, [S.StepLR(o, 2), object()], [2]))(make_opt()))
    err("chained_not_scheduler", lambda: (lambda o: S.ChainedScheduler([S.StepLR(o, 2), object()]))(make_opt()))
    # The message shows the other optimizer's repr (an Adam's here) and names the first scheduler's class.
    err("sequential_optimizer_adam", lambda: (lambda o, p: S.SequentialLR(o, [S.ExponentialLR(p, 0.9)], []))(make_opt(), make_opt("adam")))
    err("chained_optimizer_given", lambda: (lambda o, p: S.ChainedScheduler([S.StepLR(o, 2)], optimizer=p))(make_opt(), make_opt("adam", (0.01,))))
    err("warm_eta_min_str", lambda: S.CosineAnnealingWarmRestarts(make_opt(), 5, eta_min="0.1"))
    err("warm_eta_min_none", lambda: S.CosineAnnealingWarmRestarts(make_opt(), 5, 1, None))
    err("warm_eta_min_list", lambda: S.CosineAnnealingWarmRestarts(make_opt(), 5, eta_min=[0.1]))

    def plateau_list_min_lr_added_group():
        o = make_opt()
        sched = S.ReduceLROnPlateau(o, patience=0, min_lr=[0.01, 0.02])
        o.add_param_group({"params": [torch.zeros(1, requires_grad=True)], "lr": 0.3})
        sched.step(1.0)
        sched.step(2.0)

    err("plateau_list_min_lr_added_group", plateau_list_min_lr_added_group)
payload["errors"] = errors

if TORCH2:
    # ReduceLROnPlateau with one min_lr (default_min_lr): a param group added
    # after a few steps gets it too, at the next reduction.
    PLATEAU_ADD_AT = 8

    def plateau_added_group():
        o = make_opt()
        sched = S.ReduceLROnPlateau(o, factor=0.5, patience=1, min_lr=0.004)
        lrs, min_lrs = [], []
        for i in range(40):
            if i == PLATEAU_ADD_AT:
                o.add_param_group({"params": [torch.zeros(1, requires_grad=True)], "lr": 0.3})
            sched.step(metric(i))
            lrs.append([g["lr"] for g in o.param_groups])
            min_lrs.append(list(sched.min_lrs))
        return {"add_at": PLATEAU_ADD_AT, "lr": lrs, "min_lrs": min_lrs, "last_lr": sched.get_last_lr(), "state_dict": encode_state(sched.state_dict())}

    payload["plateau_added_group"] = plateau_added_group()

    # A CyclicLR state_dict loaded into a CyclicLR made with another mode:
    # 2.x's load_state_dict derives the scale function again from the loaded
    # mode (and gamma), so the loaded scheduler goes on as the saved one.
    CYCLIC_SAVED_AT, CYCLIC_MORE = 6, 24
    CYCLIC_MODES = {
        "triangular2_into_exp_range": (lambda o: S.CyclicLR(o, 0.01, 0.1, 4, mode="triangular2"),
                                       lambda o: S.CyclicLR(o, 0.02, 0.2, 3, mode="exp_range", gamma=0.9)),
        "exp_range_into_triangular": (lambda o: S.CyclicLR(o, 0.01, 0.1, 4, 2, mode="exp_range", gamma=0.95),
                                      lambda o: S.CyclicLR(o, 0.01, 0.1, 4)),
    }

    def cyclic_other_mode(saved, loaded):
        o = make_opt()
        a = saved(o)
        for _ in range(CYCLIC_SAVED_AT):
            a.step()
        sd = a.state_dict()
        # Encoded before loading: CyclicLR.load_state_dict pops _scale_fn_custom from the dict it is given.
        saved_state = encode_state(sd)
        b = loaded(make_opt())
        b.load_state_dict(sd)
        seq = []
        for _ in range(CYCLIC_MORE):
            b.step()
            seq.append(snapshot(b.optimizer))
        return {"state_dict": saved_state, "mode": b.mode, "scale_mode": b.scale_mode,
                "lr": [x["lr"] for x in seq], "momentum": [x["momentum"] for x in seq]}

    payload["cyclic_other_mode"] = {name: cyclic_other_mode(*pair) for name, pair in CYCLIC_MODES.items()}

write_fixture("lr_scheduler.json", payload)
