"""Golden values for the torch.nn modules of convolution, pooling,
normalisation, embedding, upsampling and fold, and the nn.functional
functions they need (test/nn_modules_b.test.ts runs the same tables).

Each module case: torch.manual_seed(0), the module built (its parameters and
buffers recorded, and its repr); torch.manual_seed(1), a forward on the case's
input (recorded), a backward of sum(output * cotangent) with the cotangent
torch.linspace(-1, 1, numel) (the input's and the parameters' gradients
recorded); for modules with parameters, two more SGD steps (lr=0.1) after the
first, and the parameters and buffers after them (two more forwards for a
module with buffers only); for batch and instance norms, an eval-mode forward
after that.
Each functional case: float inputs require grad; the result (or Python's
error: type and first line of its message) and, where it is differentiable,
the gradients of sum(output * cotangent) for every input that gets one.
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 nn_modules_b.py"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import warnings

from _common import encode_tensor, write_fixture

warnings.simplefilter("ignore")

torch.manual_seed(3)
_x4 = torch.randn(2, 3, 4, 4)
_p1, _i1 = F.max_pool1d(torch.randn(2, 3, 8), 2, return_indices=True)
_p2, _i2 = F.max_pool2d(_x4, 2, return_indices=True)
_p2b, _i2b = F.max_pool2d(torch.randn(1, 2, 5, 5), 2, return_indices=True)
_p3, _i3 = F.max_pool3d(torch.randn(1, 2, 4, 4, 4), 2, return_indices=True)
INPUTS = {
    "x3": torch.randn(2, 3, 7),
    "x4": _x4,
    "x4b": torch.randn(2, 4, 5, 5),
    "x5": torch.randn(1, 2, 3, 4, 4),
    "x3d": torch.randn(3, 5, 5),
    "g3": torch.randn(2, 6, 5),
    "g4": torch.randn(2, 6, 2, 3),
    "ln": torch.randn(2, 3, 5),
    "bn1": torch.randn(4, 3, 5),
    "pos4": torch.rand(2, 3, 4, 4) + 0.1,
    "cols": torch.randn(2, 12, 12),
    "cols2": torch.randn(1, 12, 9),
    "theta": torch.randn(2, 2, 3),
    "theta3": torch.randn(1, 3, 4),
    "grid": torch.rand(2, 3, 4, 2) * 2.4 - 1.2,
    "table": torch.randn(10, 3),
    "idx": torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]]),
    "idx1": torch.tensor([1, 2, 4, 5, 4, 3, 2, 9]),
    "idx_rep": torch.tensor([[1, 1, 4, 1], [4, 3, 3, 9]]),
    "offsets": torch.tensor([0, 3, 5]),
    "offsets_last": torch.tensor([0, 3, 5, 8]),
    "psw": torch.rand(8),
    "p1": _p1, "i1": _i1, "p2": _p2, "i2": _i2, "p2b": _p2b, "i2b": _i2b, "p3": _p3, "i3": _i3,
}

# name: (constructor, forward(m, inputs) or the input's name)
MODULES = {
    "emb": (lambda: nn.Embedding(10, 3), "idx"),
    "emb_pad": (lambda: nn.Embedding(10, 3, padding_idx=2), "idx"),
    "emb_negpad": (lambda: nn.Embedding(10, 3, -1), "idx"),
    "emb_maxnorm": (lambda: nn.Embedding(10, 3, max_norm=1.0), "idx"),
    "emb_maxnorm_p1": (lambda: nn.Embedding(10, 3, max_norm=0.5, norm_type=1.0), "idx"),
    "emb_freq": (lambda: nn.Embedding(10, 3, scale_grad_by_freq=True), "idx_rep"),
    "emb_pretrained": (lambda: nn.Embedding.from_pretrained(torch.arange(30.0).reshape(10, 3) / 10, freeze=False, padding_idx=0), "idx"),
    "bag_mean": (lambda: nn.EmbeddingBag(10, 3), "idx"),
    "bag_sum_offsets": (lambda: nn.EmbeddingBag(10, 3, mode="sum"), lambda m, I: m(I["idx1"], I["offsets"])),
    "bag_max": (lambda: nn.EmbeddingBag(10, 3, mode="max"), "idx"),
    "bag_psw": (lambda: nn.EmbeddingBag(10, 3, mode="sum"), lambda m, I: m(I["idx1"], I["offsets"], per_sample_weights=I["psw"])),
    "bag_last_offset": (lambda: nn.EmbeddingBag(10, 3, include_last_offset=True), lambda m, I: m(I["idx1"], I["offsets_last"])),
    "bag_pad": (lambda: nn.EmbeddingBag(10, 3, mode="sum", padding_idx=4), "idx"),
    "bag_maxnorm": (lambda: nn.EmbeddingBag(10, 3, max_norm=1.0), "idx"),
    "layernorm": (lambda: nn.LayerNorm(5), "ln"),
    "layernorm_shape": (lambda: nn.LayerNorm([3, 5], eps=1e-3), "ln"),
    "layernorm_noaffine": (lambda: nn.LayerNorm(5, elementwise_affine=False), "ln"),
    "bn1d": (lambda: nn.BatchNorm1d(3), "bn1"),
    "bn2d": (lambda: nn.BatchNorm2d(3), "x4"),
    "bn2d_cumulative": (lambda: nn.BatchNorm2d(3, momentum=None), "x4"),
    "bn2d_notrack": (lambda: nn.BatchNorm2d(3, track_running_stats=False), "x4"),
    "bn2d_noaffine": (lambda: nn.BatchNorm2d(3, 1e-3, 0.3, False), "x4"),
    "bn3d": (lambda: nn.BatchNorm3d(2), "x5"),
    "in1d": (lambda: nn.InstanceNorm1d(3), "x3"),
    "in2d": (lambda: nn.InstanceNorm2d(3), "x4"),
    "in2d_affine_track": (lambda: nn.InstanceNorm2d(3, affine=True, track_running_stats=True), "x4"),
    "in2d_unbatched": (lambda: nn.InstanceNorm2d(3, momentum=0.2, track_running_stats=True), "x3d"),
    "in3d": (lambda: nn.InstanceNorm3d(2, affine=True), "x5"),
    "groupnorm": (lambda: nn.GroupNorm(3, 6), "g3"),
    "groupnorm_noaffine": (lambda: nn.GroupNorm(2, 6, eps=1e-3, affine=False), "g4"),
    "lrn": (lambda: nn.LocalResponseNorm(3), "x4"),
    "lrn_3d": (lambda: nn.LocalResponseNorm(2, alpha=0.01, beta=0.5, k=2.0), "x3"),
    "lrn_5d": (lambda: nn.LocalResponseNorm(3), "x5"),
    "crossmaplrn": (lambda: nn.CrossMapLRN2d(3), "x4"),
    "crossmaplrn_5": (lambda: nn.CrossMapLRN2d(5, 0.01, 0.5, 2.5), "g4"),
    "crossmaplrn_2": (lambda: nn.CrossMapLRN2d(2, alpha=0.1), "g4"),
    "conv1d": (lambda: nn.Conv1d(3, 4, 3), "x3"),
    "conv1d_opts": (lambda: nn.Conv1d(3, 6, 3, stride=2, padding=2, dilation=2, groups=3), "x3"),
    "conv1d_same": (lambda: nn.Conv1d(3, 4, 4, padding="same"), "x3"),
    "conv1d_reflect": (lambda: nn.Conv1d(3, 4, 3, padding=2, padding_mode="reflect"), "x3"),
    "conv1d_circular": (lambda: nn.Conv1d(3, 4, 3, padding=1, padding_mode="circular", bias=False), "x3"),
    "conv2d_replicate": (lambda: nn.Conv2d(3, 2, 3, padding=1, padding_mode="replicate"), "x4"),
    "conv2d_same_reflect": (lambda: nn.Conv2d(3, 2, [3, 2], padding="same", padding_mode="reflect"), "x4"),
    "conv3d": (lambda: nn.Conv3d(2, 3, 2, stride=[1, 2, 2], padding=1), "x5"),
    "convt1d": (lambda: nn.ConvTranspose1d(3, 2, 3, stride=2), "x3"),
    "convt2d": (lambda: nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1), "x4"),
    "convt2d_groups": (lambda: nn.ConvTranspose2d(4, 4, 2, groups=2, dilation=2, bias=False), "x4b"),
    "convt2d_output_size": (lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1), lambda m, I: m(I["x4"], output_size=[8, 8])),
    "convt3d": (lambda: nn.ConvTranspose3d(2, 2, 2, stride=[1, 2, 1]), "x5"),
    "avgpool1d": (lambda: nn.AvgPool1d(3, stride=2, padding=1), "x3"),
    "avgpool2d": (lambda: nn.AvgPool2d(2), "x4"),
    "avgpool2d_opts": (lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), "x4"),
    "avgpool2d_divisor": (lambda: nn.AvgPool2d([2, 3], divisor_override=2), "x4"),
    "avgpool3d": (lambda: nn.AvgPool3d(2, stride=1), "x5"),
    "adaptiveavg1d": (lambda: nn.AdaptiveAvgPool1d(3), "x3"),
    "adaptiveavg2d": (lambda: nn.AdaptiveAvgPool2d([4, 5]), "x4"),
    "adaptiveavg2d_none": (lambda: nn.AdaptiveAvgPool2d([None, 2]), "x4"),
    "adaptiveavg2d_int": (lambda: nn.AdaptiveAvgPool2d(1), "x4"),
    "adaptiveavg3d": (lambda: nn.AdaptiveAvgPool3d([2, 1, 3]), "x5"),
    "lppool1d": (lambda: nn.LPPool1d(2, 3, stride=2), "x3"),
    "lppool2d": (lambda: nn.LPPool2d(1.5, 2), "pos4"),
    "lppool2d_opts": (lambda: nn.LPPool2d(2, [2, 3], stride=[1, 2], ceil_mode=True), "x4"),
    "maxunpool1d": (lambda: nn.MaxUnpool1d(2), lambda m, I: m(I["p1"], I["i1"])),
    "maxunpool2d": (lambda: nn.MaxUnpool2d(2, stride=2), lambda m, I: m(I["p2"], I["i2"])),
    "maxunpool2d_size": (lambda: nn.MaxUnpool2d(2), lambda m, I: m(I["p2b"], I["i2b"], output_size=[5, 5])),
    "maxunpool3d": (lambda: nn.MaxUnpool3d(2), lambda m, I: m(I["p3"], I["i3"])),
    "fracmax2d": (lambda: nn.FractionalMaxPool2d(2, output_size=2), "x4"),
    "fracmax2d_ratio": (lambda: nn.FractionalMaxPool2d(2, output_ratio=(0.5, 0.6), return_indices=True), "x4b"),
    "fracmax3d": (lambda: nn.FractionalMaxPool3d(2, output_size=[1, 2, 2]), "x5"),
    "upsample_nearest": (lambda: nn.Upsample(scale_factor=2), "x4"),
    "upsample_bilinear": (lambda: nn.Upsample(size=[5, 7], mode="bilinear"), "x4"),
    "upsample_bicubic_ac": (lambda: nn.Upsample(scale_factor=1.5, mode="bicubic", align_corners=True), "x4"),
    "upsample_linear": (lambda: nn.Upsample(scale_factor=2.5, mode="linear", recompute_scale_factor=True), "x3"),
    "upsample_trilinear": (lambda: nn.Upsample(size=[4, 5, 5], mode="trilinear"), "x5"),
    "upsample_area": (lambda: nn.Upsample(size=[4, 3], mode="area"), "x4"),
    "upsample_nearest_exact": (lambda: nn.Upsample(scale_factor=(1.5, 2.0), mode="nearest-exact"), "x4"),
    "upsampling_nearest2d": (lambda: nn.UpsamplingNearest2d(scale_factor=2), "x4"),
    "upsampling_bilinear2d": (lambda: nn.UpsamplingBilinear2d(size=[8, 5]), "x4"),
    "fold": (lambda: nn.Fold([4, 5], 2), "cols"),
    "fold_opts": (lambda: nn.Fold(output_size=[5, 5], kernel_size=[2, 3], padding=1, stride=2), "cols2"),
    "unfold": (lambda: nn.Unfold(2), "x4"),
    "unfold_opts": (lambda: nn.Unfold([2, 3], dilation=[1, 2], padding=1, stride=[2, 1]), "x4"),
}

# Module constructions Python refuses: the error's type and message.
MODULE_ERRORS = {
    "emb_padding_out_of_range": lambda: nn.Embedding(10, 3, padding_idx=10),
    "groupnorm_indivisible": lambda: nn.GroupNorm(4, 6),
    "conv1d_groups": lambda: nn.Conv1d(3, 4, 3, groups=2),
    "conv1d_bad_padding_string": lambda: nn.Conv1d(3, 4, 3, padding="full"),
    "conv1d_strided_same": lambda: nn.Conv1d(3, 4, 3, stride=2, padding="same"),
    "convt2d_reflect": lambda: nn.ConvTranspose2d(3, 4, 3, padding_mode="reflect"),
    "fracmax_no_size": lambda: nn.FractionalMaxPool2d(2),
    "fracmax_both": lambda: nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5),
    "fracmax_bad_ratio": lambda: nn.FractionalMaxPool2d(2, output_ratio=1.5),
    "emb_unknown_keyword": lambda: nn.Embedding(10, 3, padding=1),
}

FUNCTIONS = {
    "embedding": lambda I: F.embedding(I["idx"], I["table"]),
    "embedding_padding": lambda I: F.embedding(I["idx"], I["table"], padding_idx=-2),
    "embedding_max_norm": lambda I: (F.embedding(I["idx"], I["table"], max_norm=1.5), I["table"]),
    "embedding_bag_sum": lambda I: F.embedding_bag(I["idx1"], I["table"], I["offsets"], mode="sum"),
    "embedding_bag_max_2d": lambda I: F.embedding_bag(I["idx"], I["table"], mode="max"),
    "embedding_bag_psw": lambda I: F.embedding_bag(I["idx1"], I["table"], I["offsets"], mode="sum", per_sample_weights=I["psw"]),
    "embedding_bag_padding": lambda I: F.embedding_bag(I["idx"], I["table"], padding_idx=-1),
    "group_norm": lambda I: F.group_norm(I["g3"], 2),
    "group_norm_affine": lambda I: F.group_norm(I["g4"], 3, I["table"][:6, 0], I["table"][:6, 1], 1e-3),
    "instance_norm": lambda I: F.instance_norm(I["x4"]),
    "instance_norm_stats": lambda I: F.instance_norm(I["x4"], torch.zeros(3), torch.ones(3), use_input_stats=False),
    "local_response_norm": lambda I: F.local_response_norm(I["x4"], 2, k=0.5),
    "interpolate_nearest": lambda I: F.interpolate(I["x4"], scale_factor=1.7),
    "interpolate_bilinear_ac": lambda I: F.interpolate(I["x4"], [3, 8], mode="bilinear", align_corners=True),
    "interpolate_bilinear_aa": lambda I: F.interpolate(I["x4"], scale_factor=0.5, mode="bilinear", antialias=True),
    "interpolate_bicubic_aa": lambda I: F.interpolate(I["x4"], size=3, mode="bicubic", antialias=True),
    "interpolate_area": lambda I: F.interpolate(I["x3"], scale_factor=0.5, mode="area"),
    "interpolate_trilinear": lambda I: F.interpolate(I["x5"], scale_factor=[1.0, 1.5, 0.75], mode="trilinear"),
    "interpolate_nearest_exact": lambda I: F.interpolate(I["x3"], 11, mode="nearest-exact"),
    "upsample": lambda I: F.upsample(I["x4"], scale_factor=2, mode="bilinear"),
    "upsample_nearest": lambda I: F.upsample_nearest(I["x4"], 7),
    "upsample_bilinear": lambda I: F.upsample_bilinear(I["x4"], scale_factor=1.5),
    "grid_sample": lambda I: F.grid_sample(I["x4"], I["grid"], align_corners=False),
    "grid_sample_nearest_border": lambda I: F.grid_sample(I["x4"], I["grid"], "nearest", "border", True),
    "grid_sample_bicubic_reflection": lambda I: F.grid_sample(I["x4"], I["grid"], mode="bicubic", padding_mode="reflection", align_corners=False),
    "affine_grid": lambda I: F.affine_grid(I["theta"], [2, 3, 4, 5], align_corners=False),
    "affine_grid_3d": lambda I: F.affine_grid(I["theta3"], [1, 1, 2, 3, 2], True),
    "lp_pool1d": lambda I: F.lp_pool1d(I["x3"], 2, 2),
    "lp_pool2d": lambda I: F.lp_pool2d(I["x4"], 3.0, [2, 3], stride=2, ceil_mode=True),
    "max_unpool1d": lambda I: F.max_unpool1d(I["p1"], I["i1"], 2),
    "max_unpool2d_size": lambda I: F.max_unpool2d(I["p2b"], I["i2b"], 2, output_size=[1, 2, 5, 5]),
    "max_unpool3d": lambda I: F.max_unpool3d(I["p3"], I["i3"], 2, 2, 0),
    "fractional_max_pool2d": lambda I: F.fractional_max_pool2d(I["x4"], 2, output_ratio=0.5),
    "fractional_max_pool2d_indices": lambda I: F.fractional_max_pool2d(I["x4b"], 2, 3, None, True),
    "fractional_max_pool2d_with_indices": lambda I: F.fractional_max_pool2d_with_indices(I["x3d"], [2, 2], [3, 2]),
    "fractional_max_pool3d": lambda I: F.fractional_max_pool3d(I["x5"], 2, output_size=[1, 2, 2], return_indices=True),
    # errors
    "embedding_padding_out_of_range": lambda I: F.embedding(I["idx"], I["table"], padding_idx=10),
    "embedding_bag_bad_mode": lambda I: F.embedding_bag(I["idx"], I["table"], mode="median"),
    "embedding_bag_2d_offsets": lambda I: F.embedding_bag(I["idx"], I["table"], I["offsets"]),
    "embedding_bag_1d_no_offsets": lambda I: F.embedding_bag(I["idx1"], I["table"]),
    "embedding_bag_max_psw": lambda I: F.embedding_bag(I["idx1"], I["table"], I["offsets"], mode="max", per_sample_weights=I["psw"]),
    "embedding_bag_psw_shape": lambda I: F.embedding_bag(I["idx1"], I["table"], I["offsets"], mode="sum", per_sample_weights=I["psw"][:5]),
    "embedding_bag_3d": lambda I: F.embedding_bag(I["x5"].long(), I["table"]),
    "group_norm_one_value": lambda I: F.group_norm(I["g3"][:1, :, :1], 6),
    "instance_norm_one_value": lambda I: F.instance_norm(I["x4"][:, :, :1, :1]),
    "local_response_norm_2d": lambda I: F.local_response_norm(I["table"], 2),
    "interpolate_both": lambda I: F.interpolate(I["x4"], 3, 2.0),
    "interpolate_neither": lambda I: F.interpolate(I["x4"]),
    "interpolate_size_length": lambda I: F.interpolate(I["x4"], [3, 4, 5]),
    "interpolate_align_nearest": lambda I: F.interpolate(I["x4"], 3, align_corners=True),
    "interpolate_linear_4d": lambda I: F.interpolate(I["x4"], 3, mode="linear"),
    "interpolate_bad_mode": lambda I: F.interpolate(I["x4"], 3, mode="cubic"),
    "interpolate_antialias_nearest": lambda I: F.interpolate(I["x4"], 3, antialias=True),
    "interpolate_recompute_size": lambda I: F.interpolate(I["x4"], 3, recompute_scale_factor=True),
    "interpolate_2d": lambda I: F.interpolate(I["table"], 3),
    "grid_sample_bad_mode": lambda I: F.grid_sample(I["x4"], I["grid"], mode="linear"),
    "grid_sample_bad_padding": lambda I: F.grid_sample(I["x4"], I["grid"], padding_mode="wrap"),
    "affine_grid_int_theta": lambda I: F.affine_grid(I["idx"], [2, 3, 4, 5]),
    "affine_grid_bad_theta": lambda I: F.affine_grid(I["theta"], [2, 3, 4, 5, 6]),
    "affine_grid_3d_size": lambda I: F.affine_grid(I["theta"], [2, 3, 4]),
    "affine_grid_zero_size": lambda I: F.affine_grid(I["theta"], [2, 3, 0, 5], align_corners=False),
    "max_unpool2d_bad_size": lambda I: F.max_unpool2d(I["p2b"], I["i2b"], 2, output_size=[7, 7]),
    "max_unpool2d_size_length": lambda I: F.max_unpool2d(I["p2b"], I["i2b"], 2, output_size=[5]),
    "fractional_max_pool2d_no_size": lambda I: F.fractional_max_pool2d(I["x4"], 2),
}


def cotangent(t):
    return torch.linspace(-1, 1, t.numel(), dtype=t.dtype).reshape(t.shape)


def first(out):
    return out[0] if isinstance(out, (tuple, list)) else out


def encode_all(out):
    if isinstance(out, torch.Tensor):
        return [encode_tensor(out)]
    return [encode_tensor(t) for t in out]


def fresh_inputs():
    return {k: v.clone() for k, v in INPUTS.items()}


def state(m):
    return {name: encode_tensor(t) for name, t in list(m.named_parameters()) + list(m.named_buffers())}


def run_module(name, ctor, fwd):
    torch.manual_seed(0)
    m = ctor()
    record = {"repr": repr(m), "init": state(m)}
    I = fresh_inputs()
    if isinstance(fwd, str):
        main = fwd
        fwd = lambda m, I, main=main: m(I[main])  # noqa: E731
    else:
        main = None
    for k, v in I.items():
        if v.is_floating_point():
            v.requires_grad_(True)
    torch.manual_seed(1)
    out = fwd(m, I)
    record["output"] = encode_all(out)
    y = first(out)
    params = [p for p in m.parameters() if p.requires_grad]
    if y.requires_grad:
        (y * cotangent(y)).sum().backward()
        record["input_grads"] = {k: encode_tensor(v.grad) for k, v in sorted(I.items()) if v.grad is not None}
        record["param_grads"] = {n: encode_tensor(p.grad) for n, p in m.named_parameters() if p.grad is not None}
    if params:
        opt = torch.optim.SGD(params, lr=0.1)
        opt.step()
        for _ in range(2):
            opt.zero_grad()
            y = first(fwd(m, I))
            (y * cotangent(y)).sum().backward()
            opt.step()
        record["after_steps"] = state(m)
    elif list(m.buffers()):
        for _ in range(2):
            fwd(m, I)
        record["after_steps"] = state(m)
    # Norms in eval mode: the running statistics where tracked, the batch's where not.
    if name.startswith(("bn", "in")):
        m.eval()
        with torch.no_grad():
            record["eval_output"] = encode_all(fwd(m, I))
    return record


def error_of(fn):
    try:
        fn()
    except Exception as e:  # the error Python raises is the golden value
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    raise AssertionError("expected an error")


def run_function(fn):
    I = fresh_inputs()
    for v in I.values():
        if v.is_floating_point():
            v.requires_grad_(True)
    torch.manual_seed(0)
    try:
        out = fn(I)
    except Exception as e:  # the error Python raises is the golden value
        return {"error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}
    record = {"values": encode_all(out)}
    y = first(out)
    if y.requires_grad:
        (y * cotangent(y)).sum().backward()
        record["grads"] = {k: encode_tensor(v.grad) for k, v in sorted(I.items()) if v.grad is not None}
    return record


write_fixture("nn_modules_b.json", {
    "inputs": {k: encode_tensor(v) for k, v in INPUTS.items()},
    "modules": {name: run_module(name, ctor, fwd) for name, (ctor, fwd) in MODULES.items()},
    "module_errors": {name: error_of(fn) for name, fn in MODULE_ERRORS.items()},
    "functions": {name: run_function(fn) for name, fn in FUNCTIONS.items()},
})
