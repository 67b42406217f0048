"""Golden op results: each case names a Tensor method or torch function, its
inputs and its arguments; torchts's test makes the same call and compares.
Run: /usr/bin/python3 scripts/golden/ops.py"""
import torch

from _common import encode_tensor, write_fixture

torch.manual_seed(1234)
INPUTS = {
    "a": torch.randn(3, 4),
    "b": torch.randn(4),
    "c": torch.randn(3, 1),
    "p": torch.rand(3, 4) + 0.1,
    "m": torch.randn(4, 5),
    "d": torch.randn(3, 4, dtype=torch.float64),
    "x3": torch.randn(2, 3, 4),
    "i": torch.randint(-5, 10, (3, 4)),
    "j": torch.randint(1, 6, (4,), dtype=torch.int32),
    "u": torch.randint(0, 255, (3, 4), dtype=torch.uint8),
    "mask": torch.rand(3, 4) > 0.5,
    "idx": torch.tensor([2, 0, 3]),
    "h": torch.randn(3, 4).half(),
    "z": torch.tensor([0.0, -1.5, 2.25, -0.0]),
}

T = lambda name: {"tensor": name}  # noqa: E731
SLICE = lambda *a: {"slice": list(a)}  # noqa: E731
DT = lambda name: {"dtype": name}  # noqa: E731

# (method or function, self input or None, positional args, keyword args)
CASES = [
    ("add", "a", [T("b")], {}),
    ("add", "a", [T("c")], {}),
    ("add", "a", [2], {}),
    ("add", "a", [T("b")], {"alpha": 2}),
    ("add", "i", [T("j")], {}),
    ("add", "i", [1.5], {}),
    ("add", "h", [T("h")], {}),
    ("add", "u", [T("i")], {}),
    ("sub", "a", [T("c")], {}),
    ("sub", "i", [3], {}),
    ("mul", "a", [T("b")], {}),
    ("mul", "i", [T("j")], {}),
    ("mul", "d", [T("a")], {}),
    ("mul", "mask", [2], {}),
    ("mul", "h", [0.5], {}),
    ("div", "a", [T("b")], {}),
    ("div", "i", [2], {}),
    ("div", "i", [2], {"rounding_mode": "floor"}),
    ("div", "i", [2], {"rounding_mode": "trunc"}),
    ("remainder", "i", [3], {}),
    ("pow", "p", [2], {}),
    ("pow", "p", [0.5], {}),
    ("pow", "p", [T("p")], {}),
    ("pow", "i", [2], {}),
    ("matmul", "a", [T("m")], {}),
    ("matmul", "a", [T("b")], {}),
    ("matmul", "x3", [T("m")], {}),
    ("neg", "a", [], {}),
    ("neg", "i", [], {}),
    ("abs", "a", [], {}),
    ("abs", "z", [], {}),
    ("exp", "a", [], {}),
    ("log", "p", [], {}),
    ("sqrt", "p", [], {}),
    ("relu", "a", [], {}),
    ("sigmoid", "a", [], {}),
    ("tanh", "d", [], {}),
    ("softmax", "a", [1], {}),
    ("softmax", "a", [0], {}),
    ("log_softmax", "a", [1], {}),
    ("log_softmax", "d", [0], {}),
    ("eq", "i", [T("j")], {}),
    ("ne", "a", [T("c")], {}),
    ("lt", "a", [0], {}),
    ("le", "a", [T("b")], {}),
    ("gt", "i", [2], {}),
    ("ge", "d", [T("a")], {}),
    ("sum", "a", [], {}),
    ("sum", "a", [1], {}),
    ("sum", "a", [[0, 1]], {}),
    ("sum", "a", [0], {"keepdim": True}),
    ("sum", "i", [], {}),
    ("sum", "mask", [], {}),
    ("sum", "u", [1], {}),
    ("mean", "a", [], {}),
    ("mean", "a", [1], {}),
    ("mean", "d", [0], {"keepdim": True}),
    ("max", "a", [], {}),
    ("max", "a", [1], {}),
    ("max", "i", [0], {"keepdim": True}),
    ("max", "a", [T("c")], {}),
    ("min", "a", [0], {}),
    ("min", "i", [], {}),
    ("argmax", "a", [], {}),
    ("argmax", "a", [1], {}),
    ("argmin", "a", [0], {"keepdim": True}),
    ("prod", "p", [], {}),
    ("std", "a", [], {}),
    ("var", "a", [1], {}),
    ("reshape", "a", [[4, 3]], {}),
    ("reshape", "x3", [[-1, 4]], {}),
    ("view", "a", [[2, 6]], {}),
    ("flatten", "x3", [], {}),
    ("flatten", "x3", [1], {}),
    ("unsqueeze", "b", [0], {}),
    ("squeeze", "c", [], {}),
    ("permute", "x3", [[2, 0, 1]], {}),
    ("transpose", "x3", [0, 2], {}),
    ("t", "a", [], {}),
    ("expand", "c", [[3, 4]], {}),
    ("select", "a", [1, 2], {}),
    ("narrow", "a", [1, 1, 2], {}),
    ("index_select", "a", [1, T("idx")], {}),
    ("masked_select", "a", [T("mask")], {}),
    ("index", "a", [T("mask")], {}),
    ("index", "a", [1, SLICE(0, 3, 2)], {}),
    ("index", "x3", [SLICE(None, None, None), 0], {}),
    ("index", "x3", ["...", 1], {}),
    ("index", "a", [None, SLICE(None, None, None), T("idx")], {}),
    ("index", "a", [SLICE(None, None, None), T("idx")], {}),
    ("to", "a", [DT("int64")], {}),
    ("to", "d", [DT("float32")], {}),
    ("to", "i", [DT("float64")], {}),
    ("float", "i", [], {}),
    ("long", "a", [], {}),
    ("clamp", "a", [-0.5, 0.5], {}),
    ("clone", "a", [], {}),
    ("add_", "a", [1], {}),
    ("mul_", "d", [T("d")], {}),
    ("zero_", "i", [], {}),
    ("cat", None, [[T("a"), T("a")], 0], {}),
    ("cat", None, [[T("a"), T("c")], 1], {}),
    ("stack", None, [[T("b"), T("b")], 1], {}),
    ("where", None, [T("mask"), T("a"), T("b")], {}),
    ("matmul", None, [T("a"), T("m")], {}),
    ("max", None, [T("a"), 1], {}),
]


def resolve(arg, inputs):
    if isinstance(arg, list):
        return [resolve(a, inputs) for a in arg]
    if isinstance(arg, dict):
        if "tensor" in arg:
            return inputs[arg["tensor"]]
        if "slice" in arg:
            return slice(*arg["slice"])
        if "dtype" in arg:
            return getattr(torch, arg["dtype"])
    if arg == "...":
        return Ellipsis
    return arg


def run(op, self_name, args, kwargs):
    # In-place cases act on a copy so that later cases see the original inputs.
    inputs = {k: v.clone() for k, v in INPUTS.items()}
    a = [resolve(x, inputs) for x in args]
    if self_name is None:
        return getattr(torch, op)(*a, **kwargs)
    self = inputs[self_name]
    if op == "index":
        return self[tuple(a)]
    return getattr(self, op)(*a, **kwargs)


def encode_result(r):
    if isinstance(r, torch.Tensor):
        return {"tensor": encode_tensor(r)}
    return {"tuple": [encode_tensor(t) for t in r]}


cases = []
for op, self_name, args, kwargs in CASES:
    cases.append(
        {
            "op": op,
            "self": self_name,
            "args": args,
            "kwargs": kwargs,
            "result": encode_result(run(op, self_name, args, kwargs)),
        }
    )

write_fixture("ops.json", {"inputs": {k: encode_tensor(v) for k, v in INPUTS.items()}, "cases": cases})
