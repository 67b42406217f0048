"""Golden values for torch.nn.utils (clip_grad_norm_, clip_grad_value_,
parameters_to_vector, vector_to_parameters, weight_norm, spectral_norm and
their removal) and every public function of torch.nn.init, each under a seed.
The TypeScript twin of each case, by name, is in test/nn_utils.test.ts.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 nn_utils.py"""
import math
import warnings

import torch
import torch.nn as nn
import torch.nn.init as init
from torch.nn.utils import (clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters,
                            weight_norm, remove_weight_norm, spectral_norm, remove_spectral_norm)

from _common import encode_tensor, write_fixture


def model_with_grads():
    """Two Linear layers and a loss, seeded: every parameter has a gradient."""
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))
    x = torch.randn(5, 4)
    (m(x) ** 2).sum().mul(3).backward()
    return m


def clip_case(fn):
    m = model_with_grads()
    out = fn(m)
    return {
        "returned": None if out is None else encode_tensor(out),
        "grads": [None if p.grad is None else encode_tensor(p.grad) for p in m.parameters()],
    }


CLIP = {
    "norm_2_clips": lambda m: clip_grad_norm_(m.parameters(), 1.0),
    "norm_2_no_clip": lambda m: clip_grad_norm_(m.parameters(), 1000.0),
    "norm_1": lambda m: clip_grad_norm_(m.parameters(), 0.5, norm_type=1),
    "norm_inf": lambda m: clip_grad_norm_(m.parameters(), 0.5, float("inf")),
    "norm_3": lambda m: clip_grad_norm_(m.parameters(), max_norm=0.25, norm_type=3.0),
    "norm_half": lambda m: clip_grad_norm_(list(m.parameters()), 2.0, 0.5),
    "single_tensor": lambda m: clip_grad_norm_(m[0].weight, 0.1),
    "single_tensor_inf": lambda m: clip_grad_norm_(m[2].weight, 0.1, float("inf")),
    "some_without_grad": lambda m: (setattr(m[0].weight, "grad", None), clip_grad_norm_(m.parameters(), 0.3))[1],
    "none_with_grad": lambda m: ([setattr(p, "grad", None) for p in m.parameters()], clip_grad_norm_(m.parameters(), 0.3))[1],
    "nonfinite_scaled": lambda m: (m[0].bias.grad.__setitem__(0, float("inf")), clip_grad_norm_(m.parameters(), 1.0))[1],
    "value": lambda m: clip_grad_value_(m.parameters(), 0.2),
    "value_single": lambda m: clip_grad_value_(m[2].bias, clip_value=0.05),
}
TORCH2 = tuple(int(x) for x in torch.__version__.split(".")[:2]) >= (2, 0)
TORCH26 = tuple(int(x) for x in torch.__version__.split(".")[:2]) >= (2, 6)
if TORCH2:
    # PyTorch 2's foreach= (1.13 has no such keyword: see ERRORS).
    CLIP.update({
        "norm_2_foreach_true": lambda m: clip_grad_norm_(m.parameters(), 1.0, foreach=True),
        "norm_inf_foreach_false": lambda m: clip_grad_norm_(m.parameters(), 0.5, float("inf"), False, False),
        "value_foreach_true": lambda m: clip_grad_value_(m.parameters(), 0.2, foreach=True),
        "value_foreach_false": lambda m: clip_grad_value_(m.parameters(), 0.2, False),
    })
if TORCH26:
    from torch.nn.utils import get_total_norm, clip_grads_with_norm_
    CLIP.update({
        # The two halves of clip_grad_norm_, the norm taken of the gradients by hand.
        "total_norm_then_clip": lambda m: (lambda total: (clip_grads_with_norm_(m.parameters(), 0.7, total), total)[1])(
            get_total_norm([p.grad for p in m.parameters()], 3.0)),
        "total_norm_of_none": lambda m: get_total_norm([]),
        "total_norm_foreach_false": lambda m: get_total_norm(m[0].weight.grad, float("inf"), foreach=False),
    })


def convert():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 2, bias=False))
    vec = parameters_to_vector(m.parameters())
    new = torch.arange(vec.numel(), dtype=torch.float32) / 7
    vector_to_parameters(new, m.parameters())
    return {"vector": encode_tensor(vec), "params": [encode_tensor(p) for p in m.parameters()],
            "grad_fn": type(parameters_to_vector(m.parameters()).grad_fn).__name__}


def weight_norm_case(build, apply_fn, x_shape):
    torch.manual_seed(0)
    m = build()
    apply_fn(m)
    x = torch.randn(*x_shape)
    y = m(x)
    (y ** 2).sum().backward()
    named = dict(m.named_parameters())
    out = {
        "state_dict_keys": list(m.state_dict().keys()),
        "params": {n: encode_tensor(p) for n, p in named.items()},
        "grads": {n: encode_tensor(p.grad) for n, p in named.items()},
        "input": encode_tensor(x),
        "output": encode_tensor(y),
        "weight": encode_tensor(m.weight),
    }
    remove_weight_norm(m)
    out["removed_keys"] = list(m.state_dict().keys())
    out["removed_weight"] = encode_tensor(m.weight)
    return out


WEIGHT_NORM = {
    "linear": (lambda: nn.Linear(4, 3), lambda m: weight_norm(m), (2, 4)),
    "linear_dim1": (lambda: nn.Linear(4, 3), lambda m: weight_norm(m, dim=1), (2, 4)),
    "linear_dim_none": (lambda: nn.Linear(4, 3), lambda m: weight_norm(m, "weight", None), (2, 4)),
    "conv": (lambda: nn.Conv2d(2, 3, 3), lambda m: weight_norm(m), (1, 2, 5, 5)),
}


def spectral_case(build, apply_fn, x_shape):
    torch.manual_seed(0)
    m = build()
    apply_fn(m)
    after_apply = {n: encode_tensor(b) for n, b in m.named_buffers()}
    x = torch.randn(*x_shape)
    outs = []
    y = m(x)
    (y ** 2).sum().backward()
    outs.append(encode_tensor(y))
    grad = encode_tensor(m.weight_orig.grad)
    outs.append(encode_tensor(m(x)))
    m.eval()
    outs.append(encode_tensor(m(x)))
    out = {
        "state_dict_keys": list(m.state_dict().keys()),
        "buffers_after_apply": after_apply,
        "buffers": {n: encode_tensor(b) for n, b in m.named_buffers()},
        "input": encode_tensor(x),
        "outputs": outs,
        "grad_orig": grad,
        "weight": encode_tensor(m.weight),
    }
    remove_spectral_norm(m)
    out["removed_keys"] = list(m.state_dict().keys())
    out["removed_weight"] = encode_tensor(m.weight)
    return out


SPECTRAL = {
    "linear": (lambda: nn.Linear(5, 4), lambda m: spectral_norm(m), (3, 5)),
    "linear_3_iterations": (lambda: nn.Linear(5, 4), lambda m: spectral_norm(m, n_power_iterations=3, eps=1e-8), (3, 5)),
    "conv_dim1": (lambda: nn.Conv2d(2, 3, 3), lambda m: spectral_norm(m, "weight", 2, 1e-12, 1), (1, 2, 5, 5)),
}


# init: name -> (shape, call). Each starts from torch.empty(shape) after manual_seed(0).
INIT = {
    "uniform_": ((3, 5), lambda t: init.uniform_(t)),
    "uniform_ab": ((3, 5), lambda t: init.uniform_(t, -2.0, b=0.5)),
    "normal_": ((3, 5), lambda t: init.normal_(t)),
    "normal_mean_std": ((3, 5), lambda t: init.normal_(t, 1.5, std=0.1)),
    "trunc_normal_": ((40, 5), lambda t: init.trunc_normal_(t)),
    "trunc_normal_ab": ((40, 5), lambda t: init.trunc_normal_(t, mean=0.5, std=2.0, a=-1.0, b=1.5)),
    "constant_": ((2, 3), lambda t: init.constant_(t, 0.3)),
    "ones_": ((2, 3), lambda t: init.ones_(t)),
    "zeros_": ((2, 3), lambda t: init.zeros_(t)),
    "eye_": ((3, 5), lambda t: init.eye_(t)),
    "eye_tall": ((4, 2), lambda t: init.eye_(t)),
    "dirac_3d": ((4, 3, 3), lambda t: init.dirac_(t)),
    "dirac_4d_groups": ((4, 3, 3, 2), lambda t: init.dirac_(t, 2)),
    "dirac_5d": ((2, 3, 3, 2, 3), lambda t: init.dirac_(t, groups=1)),
    "xavier_uniform_": ((4, 6), lambda t: init.xavier_uniform_(t)),
    "xavier_uniform_gain": ((4, 3, 2, 2), lambda t: init.xavier_uniform_(t, gain=init.calculate_gain("relu"))),
    "xavier_normal_": ((4, 6), lambda t: init.xavier_normal_(t, 0.5)),
    "kaiming_uniform_": ((4, 6), lambda t: init.kaiming_uniform_(t)),
    "kaiming_uniform_fan_out_relu": ((4, 3, 3), lambda t: init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu")),
    "kaiming_normal_": ((4, 6), lambda t: init.kaiming_normal_(t, math.sqrt(5))),
    "kaiming_normal_selu": ((4, 6), lambda t: init.kaiming_normal_(t, 0, "fan_in", "selu")),
    "orthogonal_": ((4, 6), lambda t: init.orthogonal_(t)),
    "orthogonal_tall_gain": ((6, 3), lambda t: init.orthogonal_(t, gain=2.0)),
    "orthogonal_3d": ((3, 2, 4), lambda t: init.orthogonal_(t)),
    "sparse_": ((10, 4), lambda t: init.sparse_(t, 0.3)),
    "sparse_std": ((6, 3), lambda t: init.sparse_(t, sparsity=0.5, std=1.0)),
    # the deprecated names: the same draws
    "uniform": ((3, 5), lambda t: init.uniform(t, -1.0, 1.0)),
    "normal": ((3, 5), lambda t: init.normal(t)),
    "constant": ((2, 3), lambda t: init.constant(t, 2.0)),
    "eye": ((3, 3), lambda t: init.eye(t)),
    "dirac": ((2, 2, 3), lambda t: init.dirac(t)),
    "xavier_uniform": ((4, 6), lambda t: init.xavier_uniform(t)),
    "xavier_normal": ((4, 6), lambda t: init.xavier_normal(t)),
    "kaiming_uniform": ((4, 6), lambda t: init.kaiming_uniform(t)),
    "kaiming_normal": ((4, 6), lambda t: init.kaiming_normal(t)),
    "orthogonal": ((4, 6), lambda t: init.orthogonal(t)),
    "sparse": ((10, 4), lambda t: init.sparse(t, 0.2)),
}

GAINS = [["linear", None], ["conv1d", None], ["conv2d", None], ["conv3d", None], ["conv_transpose1d", None],
         ["conv_transpose2d", None], ["conv_transpose3d", None], ["sigmoid", None], ["tanh", None], ["relu", None],
         ["leaky_relu", None], ["leaky_relu", 0.2], ["leaky_relu", 1], ["selu", None]]


def init_case(shape, call):
    torch.manual_seed(0)
    t = torch.empty(*shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = call(t)
    assert out is t
    return encode_tensor(t)


def deprecation_of(fn):
    """The one warning a deprecated name gives: its category and words."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    assert len(caught) == 1, caught
    return {"category": caught[0].category.__name__, "message": str(caught[0].message)}


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type and the words are what is recorded
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("no error")


ERRORS = {
    "clip_nonfinite": lambda: clip_grad_norm_((lambda m: (m[0].bias.grad.__setitem__(0, float("nan")), m)[1])(model_with_grads()).parameters(), 1.0, error_if_nonfinite=True),
    "vector_not_tensor": lambda: vector_to_parameters([1.0, 2.0], nn.Linear(1, 1).parameters()),
    "weight_norm_twice": lambda: weight_norm(weight_norm(nn.Linear(2, 2))),
    "remove_weight_norm_missing": lambda: remove_weight_norm(nn.Linear(2, 2)),
    "spectral_norm_twice": lambda: spectral_norm(spectral_norm(nn.Linear(2, 2))),
    "spectral_norm_iterations": lambda: spectral_norm(nn.Linear(2, 2), n_power_iterations=0),
    "remove_spectral_norm_missing": lambda: remove_spectral_norm(nn.Linear(2, 2)),
    "eye_3d": lambda: init.eye_(torch.empty(2, 2, 2)),
    "dirac_2d": lambda: init.dirac_(torch.empty(2, 2)),
    "dirac_groups": lambda: init.dirac_(torch.empty(3, 2, 2), groups=2),
    "orthogonal_1d": lambda: init.orthogonal_(torch.empty(3)),
    "sparse_3d": lambda: init.sparse_(torch.empty(2, 2, 2), 0.1),
    "fan_1d": lambda: init.xavier_uniform_(torch.empty(3)),
    "kaiming_mode": lambda: init.kaiming_uniform_(torch.empty(2, 2), mode="fan_avg"),
    "gain_unknown": lambda: init.calculate_gain("swish"),
}
if not TORCH2:
    ERRORS.update({
        "clip_foreach_keyword": lambda: clip_grad_norm_(model_with_grads().parameters(), 1.0, foreach=True),
        "value_foreach_keyword": lambda: clip_grad_value_(model_with_grads().parameters(), 0.2, foreach=None),
        "clip_five_positionals": lambda: clip_grad_norm_(model_with_grads().parameters(), 1.0, 2.0, False, None),
    })
if TORCH26:
    ERRORS.update({
        "total_norm_nonfinite": lambda: get_total_norm([torch.tensor([1.0, float("inf")])], error_if_nonfinite=True),
    })


if __name__ == "__main__":
    write_fixture("nn_utils.json", {
        "clip": {n: clip_case(f) for n, f in CLIP.items()},
        "convert": convert(),
        "weight_norm": {n: weight_norm_case(*c) for n, c in WEIGHT_NORM.items()},
        "spectral_norm": {n: spectral_case(*c) for n, c in SPECTRAL.items()},
        "init": {n: init_case(*c) for n, c in INIT.items()},
        "gains": [[name, param, init.calculate_gain(name, param)] for name, param in GAINS],
        "errors": {n: error_of(f) for n, f in ERRORS.items()},
        "clip_grad_norm_deprecation": deprecation_of(lambda: nn.utils.clip_grad_norm(model_with_grads().parameters(), 1.0)),
    })
