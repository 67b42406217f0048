"""Golden torch.nn results: seeded initial weights, reprs, parameter names and
shapes, the notebook's three ways of building one MLP, and nn.init.
Run: /usr/bin/python3 scripts/golden/nn.py"""
import math

import torch
from torch import nn

from _common import encode_tensor, summarize_tensor, write_fixture
from _notebook_models import NOTEBOOK_DIMS, SimpleFixedMLP, SimpleMLP, sequential_mlp


def describe(model):
    return {
        "repr": repr(model),
        "named_parameters": [[n, list(p.shape)] for n, p in model.named_parameters()],
        "state_dict_keys": list(model.state_dict().keys()),
        "parameters": {n: summarize_tensor(p) for n, p in model.named_parameters()},
    }


def seeded(seed, make):
    torch.manual_seed(seed)
    return make()


models = {
    "linear_784_32": describe(seeded(0, lambda: nn.Linear(784, 32))),
    "linear_3_2_nobias": describe(seeded(1, lambda: nn.Linear(3, 2, bias=False))),
    "simple_fixed_mlp": describe(seeded(2, SimpleFixedMLP)),
    "simple_mlp_notebook": describe(seeded(3, lambda: SimpleMLP(NOTEBOOK_DIMS))),
    "simple_mlp_shallow": describe(seeded(4, lambda: SimpleMLP([784, 10]))),
    "simple_mlp_deep": describe(seeded(5, lambda: SimpleMLP([784, 256, 128, 64, 32, 10]))),
    "sequential_notebook": describe(seeded(6, lambda: sequential_mlp(NOTEBOOK_DIMS))),
    "conv_net": describe(seeded(7, lambda: nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 14 * 14, 10)))),
    "batchnorm_mlp": describe(seeded(8, lambda: nn.Sequential(
        nn.Linear(8, 6), nn.BatchNorm1d(6), nn.Dropout(0.2), nn.Tanh(), nn.Linear(6, 3), nn.Sigmoid()))),
    "containers": describe(seeded(9, lambda: nn.Sequential(
        nn.ModuleList([nn.Linear(2, 2), nn.Identity()]),
        nn.ModuleDict({"head": nn.Linear(2, 1), "act": nn.Softmax(dim=1)}),
        nn.LogSoftmax(dim=1)))),
}

# The notebook's comparison: three models built three ways, in one seeded
# run, printing each parameter's shape and the first three weights.
torch.manual_seed(10)
three = [SimpleFixedMLP(), SimpleMLP(NOTEBOOK_DIMS), sequential_mlp(NOTEBOOK_DIMS)]
three_ways = []
for k, model in enumerate(three):
    three_ways.append(f"Model {k + 1} parameter shapes:")
    for i, param in enumerate(model.parameters()):
        three_ways.append(f"\t{param.shape} {param.detach()[0, :3] if i == 0 else ''}")

# nn.init after a seed: (name, seed, shape, init call).
INITS = [
    ("uniform_", 20, [3, 4], lambda t: nn.init.uniform_(t, -2, 3)),
    ("normal_", 21, [3, 4], lambda t: nn.init.normal_(t, 1, 0.5)),
    ("constant_", 22, [2, 2], lambda t: nn.init.constant_(t, 0.25)),
    ("ones_", 23, [2], nn.init.ones_),
    ("zeros_", 24, [2], nn.init.zeros_),
    ("kaiming_uniform_", 25, [5, 7], lambda t: nn.init.kaiming_uniform_(t)),
    ("kaiming_uniform_relu_fan_out", 26, [5, 7], lambda t: nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu")),
    ("kaiming_normal_", 27, [6, 4, 3, 3], lambda t: nn.init.kaiming_normal_(t)),
    ("kaiming_normal_a", 28, [6, 4], lambda t: nn.init.kaiming_normal_(t, a=math.sqrt(5))),
    ("xavier_uniform_", 29, [4, 9], lambda t: nn.init.xavier_uniform_(t)),
    ("xavier_uniform_gain", 30, [4, 9], lambda t: nn.init.xavier_uniform_(t, gain=nn.init.calculate_gain("tanh"))),
    ("xavier_normal_", 31, [8, 3, 2], lambda t: nn.init.xavier_normal_(t)),
]
inits = {}
for name, seed, shape, fn in INITS:
    torch.manual_seed(seed)
    t = torch.empty(shape)
    fn(t)
    inits[name] = {"seed": seed, "shape": shape, "tensor": encode_tensor(t)}

gains = {
    name: nn.init.calculate_gain(*args)
    for name, args in {
        "linear": ("linear",), "sigmoid": ("sigmoid",), "tanh": ("tanh",), "relu": ("relu",),
        "leaky_relu": ("leaky_relu",), "leaky_relu_0.2": ("leaky_relu", 0.2),
        "leaky_relu_sqrt5": ("leaky_relu", math.sqrt(5)), "selu": ("selu",), "conv2d": ("conv2d",),
    }.items()
}

# Forward outputs of seeded models on seeded input, train and eval mode.
torch.manual_seed(40)
bn_model = nn.Sequential(nn.Linear(8, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3))
x = torch.randn(5, 8)
train_out = bn_model(x)
bn_model.eval()
eval_out = bn_model(x)
torch.manual_seed(41)
conv = nn.Conv2d(2, 3, 3, stride=2, padding=1)
pool = nn.MaxPool2d(2)
img = torch.randn(2, 2, 8, 8)
torch.manual_seed(42)
drop = nn.Dropout(0.3)
dropped = drop(torch.ones(4, 5))
forwards = {
    "batchnorm_train": encode_tensor(train_out),
    "batchnorm_eval": encode_tensor(eval_out),
    "batchnorm_running_mean": encode_tensor(bn_model[1].running_mean),
    "batchnorm_running_var": encode_tensor(bn_model[1].running_var),
    "conv": encode_tensor(conv(img)),
    "conv_pool": encode_tensor(pool(conv(img))),
    "dropout": encode_tensor(dropped),
}

write_fixture("nn.json", {
    "models": models,
    "three_ways": three_ways,
    "inits": inits,
    "gains": gains,
    "forwards": forwards,
})
