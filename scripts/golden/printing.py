"""Golden printed forms: each case is a recipe both sides follow to build a
tensor, and the text Python's repr() gives for it.
Run: /usr/bin/python3 scripts/golden/printing.py"""
import math

import torch

from _common import write_fixture


def decode(v):
    if isinstance(v, list):
        return [decode(x) for x in v]
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "-0": -0.0}.get(v, v) if isinstance(v, str) else v


def build(r):
    dtype = getattr(torch, r["dtype"]) if "dtype" in r else None
    kind = r["make"]
    if kind == "tensor":
        t = torch.tensor(decode(r["data"]), dtype=dtype)
    elif kind in ("randn", "rand"):
        torch.manual_seed(r["seed"])
        t = getattr(torch, kind)(*r["shape"], dtype=dtype)
    elif kind == "arange":
        t = torch.arange(r["end"], dtype=dtype)
    elif kind in ("zeros", "ones"):
        t = getattr(torch, kind)(*r["shape"], dtype=dtype)
    else:
        raise ValueError(kind)
    if "scale" in r:
        t = t * r["scale"]
    if "shape" in r and kind in ("arange", "tensor"):
        t = t.reshape(r["shape"])
    if r.get("requires_grad"):
        t.requires_grad_(True)
    for step in r.get("then", []):
        name, *args = step
        args = [t if a == "self" else t.t() if a == "selfT" else a for a in args]
        t = getattr(t, name)(*args)
    return t


R = []


def case(**recipe):
    R.append(recipe)


case(make="tensor", data=[0.8, 0.6, 0.4], dtype="float32")
case(make="tensor", data=3.5, dtype="float32")
case(make="tensor", data=3)
case(make="tensor", data=True)
case(make="tensor", data=[1, 2, 3])
case(make="tensor", data=[-10, 5, 300])
case(make="tensor", data=[0.5, 1])
case(make="tensor", data=[1, 2, 3], dtype="int32")
case(make="tensor", data=[-1, 2, 3], dtype="int8")
case(make="tensor", data=[0, 128, 255], dtype="uint8")
case(make="tensor", data=[7, -300], dtype="int16")
case(make="tensor", data=[1.25, -2.5], dtype="float64")
case(make="tensor", data=[1.25, -2.5, 65504], dtype="float16")
case(make="tensor", data=[1.25, -2.5, 3.140625], dtype="bfloat16")
case(make="tensor", data=[True, False, True], dtype="bool")
case(make="randn", seed=0, shape=[3, 4])
case(make="randn", seed=1, shape=[2, 3, 4])
case(make="randn", seed=2, shape=[2, 2, 2, 2])
case(make="rand", seed=3, shape=[5, 5], scale=1e-5)
case(make="randn", seed=4, shape=[4], scale=1e9)
case(make="tensor", data=[1e-3, 1, 1e4], dtype="float32")
case(make="tensor", data=[1, 2, 3], dtype="float32")
case(make="tensor", data=[1, 1e9], dtype="float32")
case(make="tensor", data=[-1, 2000], dtype="float32")
case(make="tensor", data=["nan", "inf", "-inf", "-0", 2], dtype="float32")
case(make="tensor", data=["nan", 1.5], dtype="float32")
case(make="tensor", data=["nan", "nan"], dtype="float32")
case(make="zeros", shape=[3])
case(make="zeros", shape=[2, 3], dtype="int64")
case(make="tensor", data=[], dtype="float32")
case(make="zeros", shape=[0, 3])
case(make="zeros", shape=[0], dtype="int64")
case(make="zeros", shape=[2, 0], dtype="float64")
case(make="arange", end=2000)
case(make="randn", seed=5, shape=[1001])
case(make="randn", seed=6, shape=[100, 100])
case(make="randn", seed=7, shape=[10, 10, 10])
case(make="randn", seed=8, shape=[30])
case(make="arange", end=100)
case(make="arange", end=12, shape=[3, 4])
case(make="arange", end=2000, dtype="float32", shape=[40, 50])
case(make="tensor", data=[0.03125, 0.5], dtype="float32")
case(make="tensor", data=[0.00005, 0.5], dtype="float32")
case(make="tensor", data=[0.12345, 123.45], dtype="float32")
case(make="tensor", data=[123456789, -1])
case(make="tensor", data=[-1.5, 2.25], dtype="float32")
case(make="randn", seed=9, shape=[3], requires_grad=True)
case(make="randn", seed=9, shape=[2], dtype="float64", requires_grad=True)
case(make="randn", seed=10, shape=[3], requires_grad=True, then=[["mul", 2]])
case(make="randn", seed=11, shape=[3], requires_grad=True, then=[["sum"]])
case(make="randn", seed=12, shape=[3], requires_grad=True, then=[["add", 1]])
case(make="randn", seed=13, shape=[2, 3], requires_grad=True, then=[["matmul", "selfT"]])
case(make="randn", seed=14, shape=[4], requires_grad=True, then=[["relu"]])
case(make="randn", seed=15, shape=[2, 3], requires_grad=True, then=[["mean"]])
case(make="randn", seed=16, shape=[2, 3], requires_grad=True, then=[["softmax", 1]])
case(make="randn", seed=17, shape=[2, 3], requires_grad=True, then=[["log_softmax", 1]])
case(make="randn", seed=18, shape=[2, 3], requires_grad=True, then=[["sigmoid"]])
case(make="randn", seed=19, shape=[2, 3], requires_grad=True, then=[["pow", 2]])
case(make="randn", seed=20, shape=[2, 3], requires_grad=True, then=[["view", 6]])
case(make="randn", seed=21, shape=[200], requires_grad=True, then=[["mul", 3]])
case(make="randn", seed=22, shape=[2, 3], dtype="float64", requires_grad=True, then=[["tanh"]])

cases = [{"recipe": r, "repr": repr(build(r))} for r in R]
sizes = [{"shape": s, "repr": str(torch.zeros(s).shape)} for s in ([32, 784], [3], [], [2, 0, 5])]
write_fixture("printing.json", {"cases": cases, "sizes": sizes})
