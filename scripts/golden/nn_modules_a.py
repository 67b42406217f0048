"""Golden values for the torch.nn module classes of activation.py, loss.py,
dropout.py, padding.py, pixelshuffle.py, channelshuffle.py, distance.py,
flatten.py (Unflatten), linear.py (Bilinear) and container.py (ParameterList,
ParameterDict). One table of cases: each names a class, its constructor's
positional and keyword arguments, and its inputs. For each case this records
the module's repr, its parameters after torch.manual_seed(0) and
construction, its state_dict keys, the forward on the inputs (under
torch.manual_seed(1), for the random ones), the gradients of a weighted sum
of the output with respect to the inputs and parameters, and, for a module
with parameters, the parameters after three SGD steps on that sum.
test/nn_modules_a.test.ts runs the same table from the fixture.
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 nn_modules_a.py"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from _common import encode_tensor, write_fixture

torch.manual_seed(2024)


def randn(*shape, grad=True, scale=1.0):
    return {"t": torch.randn(*shape) * scale, "grad": grad}


def rand(*shape, lo=0.0, hi=1.0, grad=True):
    return {"t": torch.rand(*shape) * (hi - lo) + lo, "grad": grad}


def sign(*shape):
    return {"t": (torch.rand(*shape) > 0.5).float() * 2 - 1, "grad": False}


def binary(*shape):
    return {"t": (torch.rand(*shape) > 0.5).float(), "grad": False}


def log_softmax(*shape, dim=-1, grad=True):
    return {"t": F.log_softmax(torch.randn(*shape), dim).detach(), "grad": grad}


def softmax(*shape, dim=-1):
    return {"t": F.softmax(torch.randn(*shape), dim).detach(), "grad": False}


def ints(values):
    return {"t": torch.tensor(values), "grad": False}


def tensor_arg(t):
    return {"tensor": encode_tensor(t)}


W4 = torch.rand(4) + 0.5
W5 = torch.rand(5) + 0.5
ML_TARGET = [[0, 3, -1, 0, 0], [1, -1, 0, 0, 0], [4, 2, 1, -1, 0]]


def case(cls, args=(), kwargs=None, inputs=(), eval_mode=False, label=None):
    return {"cls": cls, "args": list(args), "kwargs": kwargs or {}, "inputs": list(inputs), "eval": eval_mode, "label": label}


X = lambda: randn(2, 3, 4)  # noqa: E731
X4 = lambda: randn(2, 3, 4, scale=4.0)  # noqa: E731

CASES = [
    # ------------------------------------------------ activations
    case("Threshold", [0.1, 20.0], inputs=[X()]),
    case("Threshold", [0.1, 20.0], {"inplace": True}, [X()]),
    case("ReLU6", inputs=[X4()]),
    case("ReLU6", [True], inputs=[X4()]),
    case("RReLU", inputs=[X()], label="training"),
    case("RReLU", [0.1, 0.3], inputs=[X()], eval_mode=True, label="eval"),
    case("RReLU", [], {"inplace": True}, [X()], label="training"),
    case("Hardtanh", inputs=[X()]),
    case("Hardtanh", [-0.5, 0.5, True], inputs=[X()]),
    case("Hardtanh", [], {"min_value": -0.25}, [X()], label="deprecated keyword"),
    case("Hardsigmoid", inputs=[X4()]),
    case("Hardsigmoid", [True], inputs=[X4()]),
    case("SiLU", inputs=[X()]),
    case("SiLU", [], {"inplace": True}, [X()]),
    case("Mish", inputs=[X()]),
    case("Mish", [True], inputs=[X()]),
    case("Hardswish", inputs=[X4()]),
    case("Hardswish", [], {"inplace": True}, [X4()]),
    case("ELU", inputs=[X()]),
    case("ELU", [], {"alpha": 0.5, "inplace": True}, [X()]),
    case("CELU", [0.7], inputs=[X()]),
    case("CELU", [], {"inplace": True}, [X()]),
    case("SELU", inputs=[X()]),
    case("SELU", [True], inputs=[X()]),
    case("GLU", inputs=[X()]),
    case("GLU", [1], inputs=[randn(2, 4, 3)]),
    case("GELU", inputs=[X()]),
    case("GELU", [], {"approximate": "tanh"}, [X()]),
    case("Hardshrink", inputs=[X()]),
    case("Hardshrink", [0.3], inputs=[X()]),
    case("LeakyReLU", inputs=[X()]),
    case("LeakyReLU", [0.2, True], inputs=[X()]),
    case("LogSigmoid", inputs=[X()]),
    case("Softplus", inputs=[X()]),
    case("Softplus", [2, 1], inputs=[X()]),
    case("Softshrink", [], {"lambd": 0.3}, [X()]),
    case("PReLU", inputs=[X()]),
    case("PReLU", [3, 0.1], inputs=[X()]),
    case("PReLU", [], {"num_parameters": 3, "init": 0.2, "dtype": {"torch_dtype": "float64"}}, [{"t": torch.randn(2, 3, 4, dtype=torch.float64), "grad": True}]),
    case("Softsign", inputs=[X()]),
    case("Tanhshrink", inputs=[X()]),
    case("Softmin", [1], inputs=[X()]),
    case("Softmin", inputs=[X()], label="implicit dim"),
    case("Softmax2d", inputs=[randn(2, 3, 2, 2)]),
    case("Softmax2d", inputs=[randn(3, 2, 2)]),
    case("ReLU", [True], inputs=[X()]),
    case("Softmax", [], {"dim": -1}, [X()]),
    case("LogSoftmax", [1], inputs=[X()]),
    # ------------------------------------------------ dropout (training, under manual_seed(1))
    case("Dropout1d", [0.3], inputs=[randn(2, 5, 4)]),
    case("Dropout1d", [0.5], inputs=[randn(5, 4)], label="no batch"),
    case("Dropout2d", [], {"p": 0.5}, [randn(2, 4, 2, 2)]),
    case("Dropout2d", [0.4, True], inputs=[randn(2, 4, 2, 2)]),
    case("Dropout2d", inputs=[randn(2, 4, 2, 2)], eval_mode=True, label="eval"),
    case("Dropout3d", [0.4], inputs=[randn(2, 3, 2, 2, 2)]),
    case("AlphaDropout", [0.2], inputs=[randn(4, 6)]),
    case("AlphaDropout", [0.2, True], inputs=[randn(4, 6)], label="inplace ignored"),
    case("FeatureAlphaDropout", [0.3], inputs=[randn(2, 5, 2, 2)]),
    case("Dropout", [0.25], inputs=[randn(4, 6)]),
    # ------------------------------------------------ padding
    case("ReflectionPad1d", [2], inputs=[X()]),
    case("ReflectionPad1d", [[1, 0]], inputs=[X()]),
    case("ReflectionPad2d", [1], inputs=[randn(1, 2, 3, 3)]),
    case("ReflectionPad2d", [[1, 0, 2, 1]], inputs=[randn(2, 3, 3)]),
    case("ReflectionPad3d", [1], inputs=[randn(1, 1, 2, 3, 3)]),
    case("ReplicationPad1d", [[2, 1]], inputs=[X()]),
    case("ReplicationPad2d", [1], inputs=[randn(1, 2, 3, 3)]),
    case("ReplicationPad3d", [[1, 0, 1, 0, 2, 1]], inputs=[randn(1, 1, 2, 2, 3)]),
    case("ZeroPad2d", [2], inputs=[randn(1, 2, 2, 3)]),
    case("ZeroPad2d", [], {"padding": [1, 0, 2, 1]}, [randn(1, 2, 2, 3)]),
    case("ConstantPad1d", [2, 3.5], inputs=[X()]),
    case("ConstantPad1d", [[-1, 2], 1.5], inputs=[X()], label="negative crops"),
    case("ConstantPad2d", [[1, 0, 2, 1], -1.0], inputs=[randn(1, 2, 2, 3)]),
    case("ConstantPad3d", [1], {"value": 0.5}, [randn(1, 1, 2, 2, 2)]),
    # ------------------------------------------------ shuffles, distances, Unflatten, Bilinear
    case("PixelShuffle", [2], inputs=[randn(1, 8, 2, 3)]),
    case("PixelUnshuffle", [2], inputs=[randn(1, 2, 4, 4)]),
    case("ChannelShuffle", [2], inputs=[randn(1, 4, 2, 2)]),
    case("PairwiseDistance", inputs=[randn(3, 4), randn(3, 4)]),
    case("PairwiseDistance", [1.0, 1e-3, True], inputs=[randn(3, 4), randn(3, 4)]),
    case("CosineSimilarity", inputs=[randn(3, 4), randn(3, 4)]),
    case("CosineSimilarity", [0, 1e-6], inputs=[randn(3, 4), randn(3, 4)]),
    case("Unflatten", [1, [2, 2]], inputs=[randn(2, 4, 3)]),
    case("Unflatten", [], {"dim": -1, "unflattened_size": [-1, 2]}, [randn(2, 3, 4)]),
    case("Bilinear", [3, 2, 4], inputs=[randn(5, 3), randn(5, 2)]),
    case("Bilinear", [3, 2, 4], {"bias": False}, [randn(5, 3), randn(5, 2)]),
    # ------------------------------------------------ containers
    case("ParameterList", [[tensor_arg(torch.randn(3, 4)), tensor_arg(torch.randn(2))]]),
    case("ParameterDict", [{"b": tensor_arg(torch.randn(3, 4)), "a": tensor_arg(torch.randn(2)), "10": tensor_arg(torch.randn(1))}]),
    case("ParameterList", [[tensor_arg(torch.randn(2, 2)), 3, "x", None]], label="entries that are not tensors"),
    case("ParameterDict", [[["z", tensor_arg(torch.randn(2))], ["y", 2.5], ["x", tensor_arg(torch.randn(1, 2, dtype=torch.float64))]]], label="pairs, in their order"),
    # ------------------------------------------------ losses
    case("BCELoss", inputs=[rand(3, 4, lo=0.05, hi=0.95), binary(3, 4)]),
    case("BCELoss", [], {"weight": tensor_arg(W4), "reduction": "sum"}, [rand(3, 4, lo=0.05, hi=0.95), binary(3, 4)]),
    case("BCELoss", [None, False], inputs=[rand(3, 4, lo=0.05, hi=0.95), binary(3, 4)], label="size_average=False"),
    case("KLDivLoss", [], {"reduction": "batchmean"}, [log_softmax(3, 4), softmax(3, 4)]),
    case("KLDivLoss", [], {"reduction": "sum", "log_target": True}, [log_softmax(3, 4), log_softmax(3, 4, grad=False)]),
    case("KLDivLoss", inputs=[log_softmax(3, 4), softmax(3, 4)], label="mean"),
    case("KLDivLoss", [], {"reduce": False}, [log_softmax(3, 4), softmax(3, 4)]),
    case("PoissonNLLLoss", inputs=[X(), rand(2, 3, 4, hi=3.0, grad=False)]),
    case("PoissonNLLLoss", [False, True], {"reduction": "none"}, [rand(2, 3, 4, lo=0.1, hi=2.0), rand(2, 3, 4, lo=0.5, hi=3.0, grad=False)]),
    case("GaussianNLLLoss", inputs=[randn(3, 4), randn(3, 4, grad=False), rand(3, 4, lo=0.1, hi=1.1)]),
    case("GaussianNLLLoss", [], {"full": True, "reduction": "sum", "eps": 1e-3}, [randn(3, 4), randn(3, 4, grad=False), rand(3, lo=0.1, hi=1.1)]),
    case("HingeEmbeddingLoss", [], {"margin": 0.5}, [X(), sign(2, 3, 4)]),
    case("MultiLabelMarginLoss", inputs=[randn(3, 5), ints(ML_TARGET)]),
    case("MultiLabelMarginLoss", [], {"reduction": "none"}, [randn(3, 5), ints(ML_TARGET)]),
    case("SmoothL1Loss", [], {"beta": 0.5}, [X(), randn(2, 3, 4, grad=False)]),
    case("SmoothL1Loss", [None, None, "none"], inputs=[X(), randn(2, 3, 4, grad=False)]),
    case("HuberLoss", [], {"delta": 0.5}, [X(), randn(2, 3, 4, grad=False)]),
    case("HuberLoss", ["sum"], inputs=[X(), randn(2, 3, 4, grad=False)]),
    case("SoftMarginLoss", inputs=[X(), sign(2, 3, 4)]),
    case("MultiLabelSoftMarginLoss", inputs=[randn(3, 4), binary(3, 4)]),
    case("MultiLabelSoftMarginLoss", [tensor_arg(W4)], {"reduction": "none"}, [randn(3, 4), binary(3, 4)]),
    case("CosineEmbeddingLoss", [], {"margin": 0.2}, [randn(4, 5), randn(4, 5), sign(4)]),
    case("MarginRankingLoss", [0.1], inputs=[randn(4), randn(4), sign(4)]),
    case("MultiMarginLoss", inputs=[randn(3, 5), ints([0, 4, 2])]),
    case("MultiMarginLoss", [2, 0.5, tensor_arg(W5)], inputs=[randn(3, 5), ints([0, 4, 2])]),
    case("TripletMarginLoss", inputs=[randn(3, 4), randn(3, 4), randn(3, 4)]),
    case("TripletMarginLoss", [0.5, 1.5], {"swap": True, "reduction": "none"}, [randn(3, 4), randn(3, 4), randn(3, 4)]),
    case("TripletMarginWithDistanceLoss", inputs=[randn(3, 4), randn(3, 4), randn(3, 4)]),
    case("TripletMarginWithDistanceLoss", [], {"distance_function": {"fn": "cosine"}, "margin": 0.3, "swap": True, "reduction": "none"},
         [randn(3, 4), randn(3, 4), randn(3, 4)]),
    case("CTCLoss", inputs=[log_softmax(5, 2, 4), ints([[1, 2, 3], [3, 1, 0]]), ints([5, 4]), ints([3, 2])]),
    case("CTCLoss", [0, "sum", True], inputs=[log_softmax(5, 2, 4), ints([[1, 2, 3], [3, 1, 0]]), ints([5, 4]), ints([3, 2])]),
    case("MSELoss", [], {"reduction": "sum"}, [X(), randn(2, 3, 4, grad=False)]),
    case("BCEWithLogitsLoss", [], {"pos_weight": tensor_arg(W4)}, [randn(3, 4), binary(3, 4)]),
    case("CrossEntropyLoss", [], {"label_smoothing": 0.1}, [randn(3, 5), ints([0, 4, 2])]),
]


def decode_arg(v):
    if isinstance(v, dict):
        if "tensor" in v:
            e = v["tensor"]
            return torch.tensor(e["values"], dtype=getattr(torch, e["dtype"])).reshape(e["shape"])
        if "torch_dtype" in v:
            return getattr(torch, v["torch_dtype"])
        if "fn" in v:
            assert v["fn"] == "cosine"
            return lambda a, b: 1.0 - F.cosine_similarity(a, b)
        return {k: decode_arg(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode_arg(x) for x in v]
    return v


def weights_like(out):
    """The fixed weights of the scalar whose gradients are compared: a ramp, the same in TypeScript."""
    return torch.linspace(-1.0, 2.0, out.numel(), dtype=out.dtype).reshape(out.shape)


def run(c):
    cls = getattr(nn, c["cls"])
    torch.manual_seed(0)
    m = cls(*decode_arg(c["args"]), **decode_arg(c["kwargs"]))
    if c["eval"]:
        m.eval()
    rec = {
        "repr": repr(m),
        "state_dict_keys": list(m.state_dict().keys()),
        "parameters": {k: encode_tensor(p) for k, p in m.named_parameters()},
    }
    if not c["inputs"]:
        return rec
    leaves = [i["t"].clone().requires_grad_(i["grad"]) for i in c["inputs"]]

    passed = []

    def forward():
        # A clone: an in-place module must not write into a leaf.
        args = [x.clone() if x.requires_grad else x for x in leaves]
        passed[:] = args
        torch.manual_seed(1)
        return m(*args)

    out = forward()
    rec["output"] = encode_tensor(out)
    # What the module left in its inputs: an in-place one writes its output there.
    rec["inputs_after"] = [encode_tensor(a) for a in passed]
    try:
        (out * weights_like(out)).sum().backward()
    except RuntimeError as e:
        # ChannelShuffle: libtorch 1.13 has no derivative for channel_shuffle.
        rec["backward_error"] = str(e).split("\n")[0]
        return rec
    rec["input_grads"] = [encode_tensor(x.grad) if x.requires_grad else None for x in leaves]
    rec["parameter_grads"] = {k: encode_tensor(p.grad) for k, p in m.named_parameters()}
    params = list(m.parameters())
    if params:
        opt = torch.optim.SGD(params, lr=0.1)
        for _ in range(3):
            opt.zero_grad()
            o = forward()
            (o * weights_like(o)).sum().backward()
            opt.step()
        rec["after_sgd"] = {k: encode_tensor(p) for k, p in m.named_parameters()}
    return rec


cases = []
for c in CASES:
    encoded_inputs = [{"tensor": encode_tensor(i["t"]), "grad": i["grad"]} for i in c["inputs"]]
    cases.append({
        "cls": c["cls"], "label": c["label"], "args": c["args"], "kwargs": c["kwargs"], "eval": c["eval"],
        "inputs": encoded_inputs, "expected": run(c),
    })

write_fixture("nn_modules_a.json", {"cases": cases})
