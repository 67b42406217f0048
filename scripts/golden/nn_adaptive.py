"""Golden values for nn.AdaptiveLogSoftmaxWithLoss: seeded construction (the
parameters by name, drawn in Python's order, and the repr), reset_parameters,
forward (output and loss, batched and unbatched), backward (the grads of the
input and of every parameter), log_prob, predict (each of its three paths),
three SGD steps, and the errors Python raises for bad cutoffs and bad inputs.
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 nn_adaptive.py"""
import torch
import torch.nn as nn

from _common import encode_tensor, write_fixture

# in_features, n_classes, cutoffs, div_value, head_bias
VARIANTS = [
    (8, 10, [2, 6], 2.0, True),
    (6, 12, [3], 4.0, False),
    (16, 20, [4, 8, 15], 4.0, False),
    (9, 9, [2, 5], 1.5, True),
]


def params(m):
    return {name: encode_tensor(p) for name, p in m.named_parameters()}


def grads(m):
    # (None where zero_grad() left none: torch 2's default, set_to_none=True)
    return {name: None if p.grad is None else encode_tensor(p.grad) for name, p in m.named_parameters()}


cases = []
for k, (in_features, n_classes, cutoffs, div_value, head_bias) in enumerate(VARIANTS):
    torch.manual_seed(10 + k)
    m = nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, div_value=div_value, head_bias=head_bias)
    case = {
        "args": [in_features, n_classes, cutoffs, div_value, head_bias],
        "seed": 10 + k,
        "repr": repr(m),
        "attrs": {a: getattr(m, a) for a in ["in_features", "n_classes", "cutoffs", "div_value", "head_bias", "shortlist_size", "n_clusters", "head_size"]},
        "params": params(m),
    }
    # Inputs travel in the fixture: the test does not depend on randn here.
    g = torch.Generator().manual_seed(100 + k)
    x = torch.randn(7, in_features, generator=g)
    target = torch.randint(0, n_classes, (7,), generator=g)
    target[0], target[1] = 0, n_classes - 1  # the head and the last cluster always
    case["x"] = encode_tensor(x)
    case["target"] = encode_tensor(target)

    xg = x.clone().requires_grad_()
    out = m(xg, target)
    out.loss.backward()
    case["output"] = encode_tensor(out.output)
    case["loss"] = encode_tensor(out.loss)
    case["x_grad"] = encode_tensor(xg.grad)
    case["grads"] = grads(m)
    case["log_prob"] = encode_tensor(m.log_prob(x))
    case["predict"] = encode_tensor(m.predict(x))

    # Unbatched: a 1-D input and a 0-D target, one in a tail cluster.
    x1 = torch.randn(in_features, generator=g)
    t1 = torch.tensor(n_classes - 2)
    m.zero_grad()
    x1g = x1.clone().requires_grad_()
    out1 = m(x1g, t1)
    case["repr1"] = repr(out1)
    out1.loss.backward()
    case["x1"] = encode_tensor(x1)
    case["t1"] = encode_tensor(t1)
    case["output1"] = encode_tensor(out1.output)
    case["loss1"] = encode_tensor(out1.loss)
    case["x1_grad"] = encode_tensor(x1g.grad)
    case["grads1"] = grads(m)

    torch.manual_seed(50 + k)
    m.reset_parameters()
    case["reset"] = params(m)
    cases.append(case)

# predict's three paths: every row's head picks a shortlist class, none does, some do.
# The head's bias is set (after seed 7's construction) to steer the argmax.
torch.manual_seed(7)
pm = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [2, 6], head_bias=True)
g = torch.Generator().manual_seed(7)
px = torch.randn(6, 8, generator=g) * 0.01
px[:3] *= 100
predict_paths = {"x": encode_tensor(px), "cases": []}
for bias in [[5.0, 0.0, 0.0, 0.0], [0.0, 0.0, 5.0, 0.0], [0.0, 0.3, 0.0, 0.2]]:
    with torch.no_grad():
        pm.head.bias.copy_(torch.tensor(bias))
    head_pick = pm.head(px).argmax(1)
    predict_paths["cases"].append({
        "bias": bias,
        "head_pick": encode_tensor(head_pick),
        "predict": encode_tensor(pm.predict(px)),
        "log_prob": encode_tensor(pm.log_prob(px)),
    })

# Three SGD steps (momentum, weight decay) on one batch.
torch.manual_seed(3)
sm = nn.AdaptiveLogSoftmaxWithLoss(6, 11, [2, 5, 8], div_value=2.0, head_bias=True)
g = torch.Generator().manual_seed(3)
sx = torch.randn(9, 6, generator=g)
st = torch.tensor([0, 1, 2, 4, 5, 7, 8, 10, 3])
opt = torch.optim.SGD(sm.parameters(), lr=0.5, momentum=0.9, weight_decay=0.01)
losses = []
for _ in range(3):
    opt.zero_grad()
    loss = sm(sx, st).loss
    loss.backward()
    opt.step()
    losses.append(loss.item())
sgd = {"x": encode_tensor(sx), "target": encode_tensor(st), "losses": losses, "params": params(sm)}


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type is recorded
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("no error")


torch.manual_seed(0)
em = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [2, 6])
errors = {
    "cutoffs_zero": error_of(lambda: nn.AdaptiveLogSoftmaxWithLoss(8, 10, [0, 3])),
    "cutoffs_unsorted": error_of(lambda: nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5, 3])),
    "cutoffs_repeated": error_of(lambda: nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 3])),
    "cutoffs_too_large": error_of(lambda: nn.AdaptiveLogSoftmaxWithLoss(8, 10, [2, 10])),
    "cutoffs_fraction": error_of(lambda: nn.AdaptiveLogSoftmaxWithLoss(8, 10, [2.5, 6])),
    "target_out_of_range": error_of(lambda: em(torch.zeros(4, 8), torch.tensor([0, 10, 3, -1]))),
    "target_too_large": error_of(lambda: em(torch.zeros(2, 8), torch.tensor([12, 1]))),
    "batch_mismatch": error_of(lambda: em(torch.zeros(5, 8), torch.tensor([0, 1, 2, 3]))),
    "target_1d_input_3d": error_of(lambda: em(torch.zeros(2, 3, 8), torch.tensor([0, 1]))),
    "target_0d_input_2d": error_of(lambda: em(torch.zeros(2, 8), torch.tensor(1))),
    "target_2d": error_of(lambda: em(torch.zeros(2, 8), torch.zeros(2, 1, dtype=torch.long))),
    "input_features": error_of(lambda: em(torch.zeros(3, 7), torch.tensor([0, 1, 7]))),
}

write_fixture("nn_adaptive.json", {"cases": cases, "predict_paths": predict_paths, "sgd": sgd, "errors": errors})
