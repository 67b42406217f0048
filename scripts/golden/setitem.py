"""Golden results of index assignment (x[idx] = v), in-place ops through
views, version counters and torch.frombuffer. Each case is a small program;
test/setitem.test.ts and test/frombuffer.test.ts run the same program under
the same name. Errors are recorded as their message.
Run: /usr/bin/python3 scripts/golden/setitem.py"""
import struct

import torch

from _common import encode_tensor, write_fixture

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def grid():
    return torch.arange(12.0).reshape(3, 4)


def name(t):
    return None if t.grad_fn is None else t.grad_fn.name()


# ----- the index forms, each writing a number or a tensor -----

@case
def int_number():
    x = grid(); x[1] = 5
    return {"x": x, "version": x._version}

@case
def negative_int_tensor():
    x = grid(); x[-1] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    return {"x": x}

@case
def slice_broadcast():
    x = grid(); x[:, 1:3] = torch.tensor([[-1.0, -2.0]])
    return {"x": x}

@case
def slice_step():
    x = grid(); x[::2, 1::2] = 0
    return {"x": x}

@case
def ellipsis_int():
    x = grid(); x[..., 0] = torch.tensor([7.0, 8.0, 9.0])
    return {"x": x}

@case
def none_int():
    x = grid(); x[None, 1] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    return {"x": x}

@case
def leading_ones_dropped():
    x = grid(); x[0] = torch.ones(1, 1, 4)
    return {"x": x}

@case
def mask():
    x = grid(); x[x > 5] = 0
    return {"x": x, "version": x._version}

@case
def mask_tensor_value():
    x = grid(); x[x.remainder(5) == 0] = torch.tensor([-1.0, -2.0, -3.0])
    return {"x": x}

@case
def list_of_ints():
    x = grid(); x[[0, 2]] = torch.tensor([[1.0], [2.0]])
    return {"x": x}

@case
def list_of_bools():
    x = grid(); x[[True, False, True]] = 3
    return {"x": x}

@case
def index_tensor_dim1():
    x = grid(); x[:, torch.tensor([0, 3])] = -1
    return {"x": x}

@case
def slice_and_list():
    x = grid(); x[1:, [0, 2]] = torch.tensor([10.0, 20.0])
    return {"x": x}

@case
def int_and_index_tensor():
    x = grid(); x[0, torch.tensor([1, 3])] = 9
    return {"x": x}

@case
def two_index_tensors():
    x = grid(); x[torch.tensor([0, 2]), torch.tensor([1, 3])] = torch.tensor([100.0, 200.0])
    return {"x": x}

@case
def duplicate_indices_last_wins():
    x = torch.zeros(3); x[torch.tensor([0, 0])] = torch.tensor([1.0, 2.0])
    return {"x": x}

@case
def zero_dim_index_tensor():
    x = grid().requires_grad_().clone(); x[torch.tensor(2)] = 4
    return {"x": x, "grad_fn": name(x)}

@case
def true_in_tuple():
    x = grid(); x[0, True] = torch.ones(1, 1, 4)
    return {"x": x}

@case
def true_alone():
    x = grid(); x[True] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    return {"x": x}

@case
def false_alone_is_nothing():
    x = grid(); x[False] = torch.ones(5)
    return {"x": x, "version": x._version}

@case
def empty_tuple():
    x = torch.tensor(5.0); x[()] = 1
    return {"x": x}

@case
def number_into_int64_truncates():
    x = torch.zeros(3, dtype=torch.int64); x[0] = 3.7; x[1] = -2.5
    return {"x": x}

@case
def number_into_bool():
    x = torch.zeros(3, dtype=torch.bool); x[0] = 2.5; x[torch.tensor([2])] = 1
    return {"x": x}

@case
def float64_into_float32_view():
    x = torch.zeros(3); x[0:2] = torch.tensor([1.5, 2.5], dtype=torch.float64)
    return {"x": x}

@case
def int_tensor_into_float_view():
    x = torch.zeros(3); x[1:] = torch.tensor([7, 8])
    return {"x": x}

# ----- autograd -----

@case
def grad_fn_per_form():
    base = torch.zeros(3, 4, requires_grad=True)
    out = {}
    for label, index, value in [
        ("int", (0,), 1.0),
        ("slice", (slice(0, 2),), 1.0),
        ("whole_slice", (slice(0, 3),), 1.0),
        ("whole_slice_tensor", (slice(0, 3),), torch.ones(3, 4)),
        ("colon", (slice(None),), 1.0),
        ("ellipsis", (Ellipsis,), torch.ones(3, 4)),
        ("ellipsis_number", (Ellipsis,), 2.0),
        ("list", ([0, 2],), 1.0),
        ("mask", (torch.tensor([True, False, True]),), 1.0),
        ("int_tensor", (0, torch.tensor([1])), 1.0),
    ]:
        y = base.clone()
        y[index] = value
        out[label] = name(y)
    return out

@case
def copy_slices_backward():
    a = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    b = torch.tensor([10.0, 20.0], requires_grad=True)
    y = a * 2
    y[1:3] = b * b
    loss = (y * y).sum()
    loss.backward()
    return {"y": y, "grad_fn": name(y), "loss": loss, "a.grad": a.grad, "b.grad": b.grad}

@case
def index_put_backward():
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    b = torch.tensor([0.5, -0.5], requires_grad=True)
    y = a.exp()
    y = y * 1
    y[torch.tensor([0, 2]), torch.tensor([1, 0])] = b * 3
    loss = y.pow(2).sum()
    loss.backward()
    return {"y": y, "grad_fn": name(y), "a.grad": a.grad, "b.grad": b.grad}

@case
def mask_backward():
    a = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    y = a * 3
    y[a < 0] = 0
    y.sum().backward()
    return {"y": y, "a.grad": a.grad}

@case
def value_requires_grad_into_plain_tensor():
    x = torch.zeros(3)
    v = torch.tensor(2.0, requires_grad=True)
    x[1] = v
    x.sum().backward()
    return {"x": x, "grad_fn": name(x), "v.grad": v.grad}

@case
def leaf_refuses():
    out = {}
    for label, index in [("view", 0), ("index_put", torch.tensor([0])), ("ellipsis", Ellipsis)]:
        x = torch.zeros(3, requires_grad=True)
        try:
            x[index] = 1
            out[label] = "no error"
        except RuntimeError as e:
            out[label] = str(e)
    return out

@case
def saved_tensor_modified():
    a = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
    y = a.exp()
    y[0] = 0
    try:
        y.sum().backward()
        return {"error": "no error"}
    except RuntimeError as e:
        return {"error": str(e).split("\n")[0], "version": y._version}

# ----- in-place ops through views -----

@case
def view_select_add_():
    base = torch.zeros(2, 3)
    v = base[0]
    v.add_(1)
    return {"base": base, "base._version": base._version, "v._version": v._version}

@case
def view_narrow_mul_():
    base = torch.arange(6.0).reshape(2, 3)
    base.narrow(1, 1, 2).mul_(2)
    return {"base": base, "base._version": base._version}

@case
def view_view_setitem():
    base = torch.zeros(6)
    v = base.view(2, 3)
    v[1] = 5
    v[0, torch.tensor([0, 2])] = torch.tensor([1.0, 2.0])
    return {"base": base, "base._version": base._version, "v._version": v._version}

@case
def view_transpose_setitem():
    base = torch.arange(6.0).reshape(2, 3)
    base.t()[2] = -1
    return {"base": base}

@case
def view_of_nonleaf_autograd():
    a = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True)
    y = a * 1
    v = y.view(2, 3)
    v[0, 1] = 10
    v.mul_(2)
    loss = (y * a).sum()
    loss.backward()
    return {"y": y, "y.grad_fn": name(y), "v.grad_fn": name(v), "loss": loss, "a.grad": a.grad,
            "y._version": y._version}

@case
def view_of_leaf_refuses():
    a = torch.zeros(2, 3, requires_grad=True)
    try:
        a[0].add_(1)
        return {"error": "no error"}
    except RuntimeError as e:
        return {"error": str(e)}

@case
def versions():
    x = torch.zeros(4)
    out = {"fresh": x._version}
    x.add_(1); out["add_"] = x._version
    x[0] = 2; out["setitem_int"] = x._version
    x[torch.tensor([1])] = 3; out["setitem_index"] = x._version
    x[x > 100] = 0; out["setitem_empty_mask"] = x._version
    y = x[1:]
    y.mul_(2); out["via_view_base"] = x._version; out["via_view_view"] = y._version
    out["x"] = x
    return out

@case
def factories_start_at_version_0():
    return {
        "zeros": torch.zeros(2)._version, "ones": torch.ones(2)._version, "full": torch.full([2], 3.0)._version,
        "arange": torch.arange(3)._version, "randn": torch.randn(2)._version, "eye": torch.eye(2)._version,
        "linspace": torch.linspace(0, 1, 3)._version, "zeros_like": torch.zeros_like(torch.ones(2))._version,
        "rand_like": torch.rand_like(torch.ones(2))._version,
    }

# ----- errors, as their messages -----

def error_of(fn):
    try:
        fn()
        return "no error"
    except Exception as e:
        return f"{type(e).__name__}: {str(e).splitlines()[0]}"

@case
def errors():
    def assign(x, index, value):
        def run():
            x[index] = value
        return run
    return {
        "out_of_range": error_of(assign(grid(), 5, 1)),
        "out_of_range_dim1": error_of(assign(grid(), (slice(None), -5), 1)),
        "out_of_range_index_tensor": error_of(assign(grid(), torch.tensor([7]), 1)),
        "zero_dim": error_of(assign(torch.tensor(1.0), 0, 1)),
        "too_many": error_of(assign(grid(), (0, 0, 0), 1)),
        "shape_mismatch_view": error_of(assign(grid(), (slice(None), 0), torch.ones(2))),
        "shape_mismatch_index_put": error_of(assign(grid(), torch.tensor([0, 1]), torch.ones(3))),
        "dtype_index_put": error_of(assign(grid(), torch.tensor([0]), torch.ones(4, dtype=torch.float64))),
        "overflow": error_of(assign(torch.zeros(2, dtype=torch.uint8), 0, 300)),
        "float_index_tensor": error_of(assign(grid(), torch.tensor([0.0]), 1)),
    }

# ----- torch.frombuffer -----

FLOATS = struct.pack("<6f", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)

@case
def frombuffer_all():
    return {"t": torch.frombuffer(bytearray(FLOATS), dtype=torch.float32)}

@case
def frombuffer_count_offset():
    return {"t": torch.frombuffer(bytearray(FLOATS), dtype=torch.float32, count=2, offset=8)}

@case
def frombuffer_negative_count():
    return {"t": torch.frombuffer(bytearray(FLOATS), dtype=torch.float32, count=-5, offset=16)}

@case
def frombuffer_int16():
    return {"t": torch.frombuffer(bytearray(struct.pack("<4h", 1, -2, 300, -32768)), dtype=torch.int16)}

@case
def frombuffer_uint8_of_floats():
    return {"t": torch.frombuffer(bytearray(FLOATS[:8]), dtype=torch.uint8)}

@case
def frombuffer_writes_both_ways():
    b = bytearray(FLOATS)
    t = torch.frombuffer(b, dtype=torch.float32)
    t[1] = 20
    t.mul_(2)
    b[0:4] = struct.pack("<f", -1.0)
    return {"t": t, "buffer": torch.tensor(list(struct.unpack("<6f", bytes(b))))}

@case
def frombuffer_requires_grad():
    t = torch.frombuffer(bytearray(FLOATS), dtype=torch.float32, requires_grad=True)
    (t * t).sum().backward()
    return {"t.grad": t.grad, "is_leaf": t.is_leaf}

@case
def frombuffer_errors():
    b = bytearray(8)
    return {
        "empty": error_of(lambda: torch.frombuffer(bytearray(0), dtype=torch.float32)),
        "count_0": error_of(lambda: torch.frombuffer(b, dtype=torch.float32, count=0)),
        "offset_at_end": error_of(lambda: torch.frombuffer(b, dtype=torch.float32, offset=8)),
        "offset_negative": error_of(lambda: torch.frombuffer(b, dtype=torch.float32, offset=-1)),
        "not_a_multiple": error_of(lambda: torch.frombuffer(bytearray(7), dtype=torch.float32)),
        "count_too_big": error_of(lambda: torch.frombuffer(b, dtype=torch.float32, count=3)),
        "count_past_end": error_of(lambda: torch.frombuffer(b, dtype=torch.float32, count=2, offset=4)),
        "requires_grad_int": error_of(lambda: torch.frombuffer(b, dtype=torch.int32, requires_grad=True)),
    }


def encode(v):
    if isinstance(v, torch.Tensor):
        return encode_tensor(v)
    if isinstance(v, dict):
        return {k: encode(x) for k, x in v.items()}
    return v


write_fixture("setitem.json", {"cases": {n: encode(fn()) for n, fn in CASES.items()}})
