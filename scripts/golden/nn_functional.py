"""Golden values for torch.nn.functional where PyTorch's OpInfo samples do not
reach: the in-place forms (inplace=True and the `_` functions, with the input
as they leave it), the random ones under a seed (rrelu in training,
gumbel_softmax, the dropouts), keyword and default handling, and the errors
Python raises (type and message).
Run: /usr/bin/python3 scripts/golden/nn_functional.py"""
import torch
import torch.nn.functional as F

from _common import encode_tensor, write_fixture

torch.manual_seed(3)
INPUTS = {
    "x": torch.randn(4, 6),
    "x3": torch.randn(2, 3, 5),
    "x4": torch.randn(2, 3, 4, 4),
    "x5": torch.randn(2, 2, 3, 4, 4),
    "pos": torch.rand(4, 6) + 0.1,
    "prob": torch.rand(4, 6) * 0.9 + 0.05,
    "binary": (torch.rand(4, 6) > 0.5).float(),
    "sign": (torch.rand(4, 6) > 0.5).float() * 2 - 1,
    "sign4": (torch.rand(4) > 0.5).float() * 2 - 1,
    "w6": torch.rand(6) + 0.5,
    "y": torch.randn(4, 6),
    "z": torch.randn(4, 6),
    "target4": torch.tensor([0, 5, 2, 3]),
    "ml_target": torch.tensor([[0, 3, -1, 0, 0, 0], [1, -1, 0, 0, 0, 0], [5, 4, 2, -1, 0, 0], [2, -1, 0, 0, 0, 0]]),
    "idx": torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]]),
    "idx1": torch.tensor([1, 2, 4, 5, 4, 3, 2, 9]),
    "offsets": torch.tensor([0, 3, 5]),
    "emb": torch.randn(10, 3),
    "labels": torch.tensor([[0, 2, 1], [3, 0, 1]]),
}

# Each case: a function of the inputs (fresh copies each time, after
# torch.manual_seed(0)), returning a tensor, a tuple of tensors, or raising.
# The TypeScript twin of each is in test/functional.test.ts.
CASES = {
    # activations, in place: the result and the input as it is left
    "elu_inplace": lambda I: (F.elu(I["x"], 0.5, inplace=True), I["x"]),
    "elu_": lambda I: (F.elu_(I["x"], alpha=2.0), I["x"]),
    "selu_inplace": lambda I: (F.selu(I["x"], True), I["x"]),
    "selu_": lambda I: (F.selu_(I["x"]), I["x"]),
    "celu_inplace": lambda I: (F.celu(I["x"], alpha=0.7, inplace=True), I["x"]),
    "celu_": lambda I: (F.celu_(I["x"], 0.7), I["x"]),
    "leaky_relu_inplace": lambda I: (F.leaky_relu(I["x"], 0.2, True), I["x"]),
    "leaky_relu_": lambda I: (F.leaky_relu_(I["x"], negative_slope=0.3), I["x"]),
    "hardtanh_inplace": lambda I: (F.hardtanh(I["x"], -0.5, 0.5, True), I["x"]),
    "hardtanh_": lambda I: (F.hardtanh_(I["x"], max_val=0.25), I["x"]),
    "relu6_inplace": lambda I: (F.relu6(I["x"] * 4, inplace=True),),
    "threshold_inplace": lambda I: (F.threshold(I["x"], 0.1, 20.0, inplace=True), I["x"]),
    "threshold_": lambda I: (F.threshold_(I["x"], 0.1, -3.0), I["x"]),
    "relu_": lambda I: (F.relu_(I["x"]), I["x"]),
    "hardsigmoid_inplace": lambda I: (F.hardsigmoid(I["x"] * 4, inplace=True),),
    "silu_inplace": lambda I: (F.silu(I["x"], inplace=True), I["x"]),
    "mish_inplace": lambda I: (F.mish(I["x"], inplace=True), I["x"]),
    "hardswish_inplace": lambda I: (F.hardswish(I["x"] * 4, True),),
    # random activations under manual_seed(0)
    "rrelu_eval": lambda I: F.rrelu(I["x"]),
    "rrelu_training": lambda I: F.rrelu(I["x"], 0.1, 0.6, training=True),
    "rrelu_inplace_training": lambda I: (F.rrelu(I["x"], training=True, inplace=True), I["x"]),
    "rrelu_": lambda I: (F.rrelu_(I["x"], 0.2, 0.4, True), I["x"]),
    "gumbel_softmax": lambda I: F.gumbel_softmax(I["x"]),
    "gumbel_softmax_tau_dim": lambda I: F.gumbel_softmax(I["x"], tau=0.5, dim=0),
    "gumbel_softmax_hard": lambda I: F.gumbel_softmax(I["x"], 2.0, True),
    # keywords and defaults
    "gelu_tanh": lambda I: F.gelu(I["x"], approximate="tanh"),
    "softplus_beta_threshold": lambda I: F.softplus(I["x"], 2, 1),
    "softshrink_lambd": lambda I: F.softshrink(I["x"], lambd=0.3),
    "hardshrink_lambd": lambda I: F.hardshrink(I["x"], 0.3),
    "softmin_implicit_dim": lambda I: F.softmin(I["x"]),
    "softmin_dtype": lambda I: F.softmin(I["x"], 0, dtype=torch.float64),
    "glu_dim0": lambda I: F.glu(I["x"], 0),
    "prelu_channel": lambda I: F.prelu(I["x4"], torch.tensor([0.1, 0.2, 0.3])),
    "logsigmoid": lambda I: F.logsigmoid(I["x"]),
    # errors
    "glu_scalar": lambda I: F.glu(torch.tensor(1.0)),
    "glu_odd": lambda I: F.glu(I["x3"], 1),
    "elu_unknown_keyword": lambda I: F.elu(I["x"], alpah=1.0),
    "elu_surplus_positional": lambda I: F.elu(I["x"], 1.0, False, 3),
    "gelu_positional_approximate": lambda I: F.gelu(I["x"], "tanh"),
    "gelu_bad_approximate": lambda I: F.gelu(I["x"], approximate="fast"),
    "hardtanh_min_over_max": lambda I: F.hardtanh(I["x"], 1.0, -1.0),
    # losses: keywords, weights, the legacy keywords, and Python's checks
    "bce_weight": lambda I: F.binary_cross_entropy(I["prob"], I["binary"], I["w6"]),
    "bce_legacy": lambda I: F.binary_cross_entropy(I["prob"], I["binary"], size_average=False),
    "bce_size_mismatch": lambda I: F.binary_cross_entropy(I["prob"], I["binary"][0]),
    "bce_weight_mismatch": lambda I: F.binary_cross_entropy(I["prob"], I["binary"], torch.ones(5)),
    "kl_div_batchmean": lambda I: F.kl_div(F.log_softmax(I["x"], 1), F.softmax(I["y"], 1), reduction="batchmean"),
    "kl_div_log_target": lambda I: F.kl_div(F.log_softmax(I["x"], 1), F.log_softmax(I["y"], 1), None, None, "sum", True),
    "kl_div_legacy": lambda I: F.kl_div(I["x"], I["pos"], reduce=False),
    "smooth_l1_beta": lambda I: F.smooth_l1_loss(I["x"], I["y"], beta=0.5),
    "huber_delta": lambda I: F.huber_loss(I["x"], I["y"], "sum", 0.5),
    "soft_margin": lambda I: F.soft_margin_loss(I["x"], I["sign"], reduction="none"),
    "multilabel_soft_margin_weight": lambda I: F.multilabel_soft_margin_loss(I["x"], I["binary"], I["w6"]),
    "multilabel_soft_margin_bad_reduction": lambda I: F.multilabel_soft_margin_loss(I["x"], I["binary"], reduction="avg"),
    "multi_margin_p2": lambda I: F.multi_margin_loss(I["x"], I["target4"], 2, 0.5, I["w6"]),
    "multi_margin_p3": lambda I: F.multi_margin_loss(I["x"], I["target4"], 3),
    "multilabel_margin": lambda I: F.multilabel_margin_loss(I["x"], I["ml_target"], reduction="sum"),
    "hinge_embedding": lambda I: F.hinge_embedding_loss(I["x"], I["sign"], 0.5),
    "cosine_embedding": lambda I: F.cosine_embedding_loss(I["x"], I["y"], I["sign4"], margin=0.2),
    "margin_ranking": lambda I: F.margin_ranking_loss(I["x"], I["y"], I["sign"], 0.1),
    "margin_ranking_dims": lambda I: F.margin_ranking_loss(I["x"], I["y"], I["sign4"]),
    "triplet_margin_swap": lambda I: F.triplet_margin_loss(I["x"], I["y"], I["z"], 0.5, 1.5, swap=True),
    "triplet_distance_default": lambda I: F.triplet_margin_with_distance_loss(I["x"], I["y"], I["z"]),
    "triplet_distance_cosine_swap": lambda I: F.triplet_margin_with_distance_loss(I["x"], I["y"], I["z"], distance_function=lambda a, b: 1 - F.cosine_similarity(a, b), margin=0.3, swap=True, reduction="none"),
    "triplet_distance_positional": lambda I: F.triplet_margin_with_distance_loss(I["x"], I["y"], I["z"], None),
    "poisson_nll_full": lambda I: F.poisson_nll_loss(I["pos"], I["pos"] * 3, False, True),
    "poisson_nll_bad_reduction": lambda I: F.poisson_nll_loss(I["x"], I["pos"], reduction="avg"),
    "gaussian_nll_full": lambda I: F.gaussian_nll_loss(I["x"], I["y"], I["pos"], full=True, reduction="sum"),
    "gaussian_nll_var_head": lambda I: F.gaussian_nll_loss(I["x"], I["y"], I["pos"][:, 0]),
    "gaussian_nll_negative_var": lambda I: F.gaussian_nll_loss(I["x"], I["y"], I["x"]),
    "gaussian_nll_bad_var": lambda I: F.gaussian_nll_loss(I["x"], I["y"], I["pos"][:3]),
    "ctc_loss_tensors": lambda I: F.ctc_loss(F.log_softmax(I["x3"].permute(2, 0, 1), 2), I["labels"], torch.tensor([5, 4]), torch.tensor([3, 2])),
    "ctc_loss_lists": lambda I: F.ctc_loss(F.log_softmax(I["x3"].permute(2, 0, 1), 2), I["labels"], [5, 4], [3, 2], reduction="none", zero_infinity=True),
    "loss_bad_reduction": lambda I: F.huber_loss(I["x"], I["y"], "avg"),
}


def encode(result):
    if isinstance(result, torch.Tensor):
        return [encode_tensor(result)]
    return [encode_tensor(t) for t in result]


def run(fn):
    inputs = {k: v.clone() for k, v in INPUTS.items()}
    torch.manual_seed(0)
    try:
        return {"values": encode(fn(inputs))}
    except Exception as e:  # the error Python raises is the golden value
        return {"error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}


write_fixture("nn_functional.json", {
    "inputs": {k: encode_tensor(v) for k, v in INPUTS.items()},
    "cases": {name: run(fn) for name, fn in CASES.items()},
})
