"""Golden TorchScript modules scripted and saved by Python, with their
outputs on fixed inputs; and (`jit.py check FILE INPUT_JSON`) running a
module torchts saved, to check the round trip.
Run: /usr/bin/python3 scripts/golden/jit.py"""
import json
import os
import sys

import torch
from torch import nn

from _common import FIXTURES, encode_tensor, write_fixture

OUT = os.path.join(FIXTURES, "jit")


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.conv(x))))
        return self.fc(x.flatten(1))


class TwoOutputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 2)

    def forward(self, x, scale: float):
        y = self.lin(x)
        return y * scale, y.sum()


if len(sys.argv) == 4 and sys.argv[1] == "check":
    module = torch.jit.load(sys.argv[2])
    x = torch.tensor(json.loads(sys.argv[3]), dtype=torch.float32)
    print(json.dumps(encode_tensor(module(x))))
    sys.exit(0)

os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
mlp = torch.jit.script(nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3)))
cnn = torch.jit.script(CNN().eval())
two = torch.jit.script(TwoOutputs())
mlp.save(os.path.join(OUT, "mlp.pt"))
cnn.save(os.path.join(OUT, "cnn.pt"))
two.save(os.path.join(OUT, "two_outputs.pt"))
x_mlp = torch.randn(5, 1, 4, 4)
x_cnn = torch.randn(2, 1, 8, 8)
x_two = torch.randn(4, 3)
y0, y1 = two(x_two, 2.5)
write_fixture("jit.json", {
    "mlp": {"input": encode_tensor(x_mlp), "output": encode_tensor(mlp(x_mlp)),
            "parameters": [[n, list(p.shape)] for n, p in mlp.named_parameters()]},
    "cnn": {"input": encode_tensor(x_cnn), "output": encode_tensor(cnn(x_cnn)),
            "parameters": [[n, list(p.shape)] for n, p in cnn.named_parameters()],
            "buffers": [n for n, _ in cnn.named_buffers()],
            "state_dict_keys": list(cnn.state_dict().keys())},
    "two_outputs": {"input": encode_tensor(x_two), "scale": 2.5, "outputs": [encode_tensor(y0), encode_tensor(y1)]},
})
