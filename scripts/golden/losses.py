"""Golden loss values and input gradients for each loss, functional and module.
Run: /usr/bin/python3 scripts/golden/losses.py"""
import torch
import torch.nn.functional as F
from torch import nn

from _common import encode_tensor, write_fixture

torch.manual_seed(7)
INPUTS = {
    "logits": torch.randn(6, 5),
    "target": torch.tensor([0, 4, 2, 2, 1, 3]),
    "target_ignored": torch.tensor([0, -100, 2, 2, -100, 3]),
    "probs": torch.softmax(torch.randn(6, 5), 1),
    "class_weight": torch.rand(5) + 0.5,
    "pred": torch.randn(4, 3),
    "real": torch.randn(4, 3),
    "binary": (torch.rand(4, 3) > 0.5).float(),
    "pos_weight": torch.rand(3) + 0.5,
    "logits_nd": torch.randn(2, 5, 3),
    "target_nd": torch.randint(0, 5, (2, 3)),
}

# (name, input key, target key, loss module factory); the functional form is
# tested through the module, which calls it.
CASES = [
    ("cross_entropy", "logits", "target", lambda: nn.CrossEntropyLoss()),
    ("cross_entropy_sum", "logits", "target", lambda: nn.CrossEntropyLoss(reduction="sum")),
    ("cross_entropy_none", "logits", "target", lambda: nn.CrossEntropyLoss(reduction="none")),
    ("cross_entropy_weight", "logits", "target", lambda: nn.CrossEntropyLoss(weight=INPUTS["class_weight"])),
    ("cross_entropy_ignore", "logits", "target_ignored", lambda: nn.CrossEntropyLoss()),
    ("cross_entropy_ignore_3", "logits", "target", lambda: nn.CrossEntropyLoss(ignore_index=2)),
    ("cross_entropy_smoothing", "logits", "target", lambda: nn.CrossEntropyLoss(label_smoothing=0.1)),
    ("cross_entropy_probs", "logits", "probs", lambda: nn.CrossEntropyLoss()),
    ("cross_entropy_nd", "logits_nd", "target_nd", lambda: nn.CrossEntropyLoss()),
    ("nll", "logits", "target", lambda: nn.Sequential(nn.LogSoftmax(dim=1))),
    ("mse", "pred", "real", lambda: nn.MSELoss()),
    ("mse_sum", "pred", "real", lambda: nn.MSELoss(reduction="sum")),
    ("l1", "pred", "real", lambda: nn.L1Loss()),
    ("l1_none", "pred", "real", lambda: nn.L1Loss(reduction="none")),
    ("bce_logits", "pred", "binary", lambda: nn.BCEWithLogitsLoss()),
    ("bce_logits_pos_weight", "pred", "binary", lambda: nn.BCEWithLogitsLoss(pos_weight=INPUTS["pos_weight"])),
]


def compute(name, input_key, target_key, make):
    x = INPUTS[input_key].clone().requires_grad_(True)
    target = INPUTS[target_key]
    if name == "nll":
        loss = nn.NLLLoss()(make()(x), target)
    else:
        loss = make()(x, target)
    loss.sum().backward()
    return {"loss": encode_tensor(loss), "grad": encode_tensor(x.grad)}


results = {name: {"input": i, "target": tk, **compute(name, i, tk, make)} for name, i, tk, make in CASES}
functional = {
    "F.cross_entropy": encode_tensor(F.cross_entropy(INPUTS["logits"], INPUTS["target"])),
    "F.nll_loss": encode_tensor(F.nll_loss(INPUTS["logits"].log_softmax(1), INPUTS["target"], reduction="sum")),
    "F.mse_loss": encode_tensor(F.mse_loss(INPUTS["pred"], INPUTS["real"])),
    "F.l1_loss": encode_tensor(F.l1_loss(INPUTS["pred"], INPUTS["real"], reduction="sum")),
    "F.binary_cross_entropy_with_logits": encode_tensor(F.binary_cross_entropy_with_logits(INPUTS["pred"], INPUTS["binary"])),
    "F.linear": encode_tensor(F.linear(INPUTS["pred"], INPUTS["real"], INPUTS["real"][:, 0])),
    "F.relu": encode_tensor(F.relu(INPUTS["pred"])),
    "F.softmax": encode_tensor(F.softmax(INPUTS["pred"], dim=0)),
    "F.log_softmax": encode_tensor(F.log_softmax(INPUTS["pred"], dim=1)),
}
write_fixture("losses.json", {"inputs": {k: encode_tensor(v) for k, v in INPUTS.items()}, "cases": results, "functional": functional})
