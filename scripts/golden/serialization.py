"""Golden torch.save files written by Python, and what is in them, for
torchts's torch.load; and the reader torchts's test uses to check files
torchts wrote (run as `serialization.py check FILE`).
Run: /usr/bin/python3 scripts/golden/serialization.py"""
import json
import os
import sys

import torch
from torch import nn

from _common import FIXTURES, encode_tensor, write_fixture

OUT = os.path.join(FIXTURES, "serialization")


def encode(v):
    if isinstance(v, torch.Tensor):
        return {"tensor": encode_tensor(v), "parameter": isinstance(v, nn.Parameter), "requires_grad": v.requires_grad}
    if isinstance(v, dict):
        return {"dict": {str(k): encode(x) for k, x in v.items()}}
    if isinstance(v, (list, tuple)):
        return {"list": [encode(x) for x in v]}
    return {"value": v}


if len(sys.argv) == 3 and sys.argv[1] == "check":
    # Load a file torchts wrote, both ways, and print what is in it.
    plain = torch.load(sys.argv[2])
    try:
        safe = encode(torch.load(sys.argv[2], weights_only=True))
    except Exception as e:  # noqa: BLE001 - reported to the test
        safe = {"error": str(e)[-200:]}
    print(json.dumps({"load": encode(plain), "weights_only": safe}))
    sys.exit(0)

os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
torch.save(model.state_dict(), os.path.join(OUT, "mlp_state_dict.pt"))
x = torch.randn(5, 4)
model_output = model(x)

base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
tensors = {
    "float32": torch.randn(2, 3),
    "float64": torch.randn(3, dtype=torch.float64),
    "float16": torch.randn(4).half(),
    "bfloat16": torch.randn(4).bfloat16(),
    "int64": torch.tensor([-(2 ** 40), 0, 2 ** 40]),
    "int32": torch.tensor([-5, 7], dtype=torch.int32),
    "int16": torch.tensor([300, -300], dtype=torch.int16),
    "int8": torch.tensor([-128, 127], dtype=torch.int8),
    "uint8": torch.tensor([0, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
    "scalar": torch.tensor(3.5),
    "empty": torch.zeros(0, 3),
    "base": base,
    "transposed_view": base.t(),
    "row_view": base[1],
    "requires_grad": torch.ones(2, requires_grad=True),
    "parameter": nn.Parameter(torch.full((2,), 0.5)),
}
torch.save(tensors, os.path.join(OUT, "tensors.pt"))
nested = {"epoch": 3, "loss": 0.25, "name": "mlp", "done": True, "none": None, "big": 2 ** 62,
          "list": [1, [2, 3], (4, 5)], "weights": [torch.ones(2), torch.zeros(1, dtype=torch.int64)]}
torch.save(nested, os.path.join(OUT, "nested.pt"))

opt = torch.optim.Adam(model.parameters(), lr=0.01)
for _ in range(3):
    opt.zero_grad()
    model(x).pow(2).mean().backward()
    opt.step()
torch.save(opt.state_dict(), os.path.join(OUT, "adam_state_dict.pt"))
torch.save(model.state_dict(), os.path.join(OUT, "mlp_after_adam.pt"))
opt.zero_grad()
model(x).pow(2).mean().backward()
opt.step()

write_fixture("serialization.json", {
    "input": encode_tensor(x),
    "model_output": encode_tensor(model_output),
    "tensors": {k: encode(v) for k, v in tensors.items()},
    "nested": encode(nested),
    "after_fourth_step": {n: encode_tensor(p) for n, p in model.named_parameters()},
})
