"""PyTorch's own operator conformance data (OpInfo's op_db) as fixtures for
torchts: every OpInfo's sample inputs on CPU, called by its Python name, with
the outputs, the gradients and the errors Python gives.

    /usr/bin/python3 scripts/golden/opinfo.py      (or `npm run golden`)

writes test/fixtures/opinfo/index.json (what was recorded, what was skipped
and why) and one gzip'd JSON shard per namespace; test/_opinfo.ts reads them
and calls torchts the same way (test/opinfo.test.ts, `npm run opinfo`).

Per OpInfo and dtype (float32 and float64 where the op takes them, else int64,
else bool): torch.manual_seed(seed of the op and dtype), its sample inputs
(requires_grad where it supports autograd), the first MAX_SAMPLES that are
small enough and that JSON and torchts can carry; before each call
torch.manual_seed(seed of the sample), so random ops draw the same numbers in
torchts. Gradients are of sum(output * cotangent) over the outputs that
require grad, the cotangent a fixed pattern both sides compute
(cotangent_values below), w.r.t. the tensors that require grad in the order
they appear in input, args, kwargs.

Encoding (test/_opinfo.ts decodes it):
- a tensor: {"$t": dtype, "shape": [...], "b64": raw little-endian bytes,
  "rg": requires_grad}; the same tensor met again: {"$ref": k}, k its order
  of first appearance, so aliasing survives;
- a float that is nan, inf or -0: {"$f": "nan" | "inf" | "-inf" | "-0"};
  other ints and floats as JSON numbers, bools, None (null), strings;
- lists and tuples: arrays; a named tuple (torch.return_types): {"$nt": name,
  "fields": [...], "items": [...]};
- torch.dtype: {"$dtype": "float32"}; torch.device: {"$device": "cpu"};
  slice: {"$slice": [start, stop, step]}; Ellipsis: {"$ellipsis": true}.
"""
import os
import sys

# Some sample functions iterate over sets of strings (meshgrid's indexing
# modes), whose order follows Python's per-process string hashing: fixed here,
# so that reruns give the same bytes.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import base64  # noqa: E402
import collections
import gzip
import itertools
import json
import math
import random
import types
import unittest
import warnings
import zlib

# common_utils imports expecttest (a PyPI test helper Debian does not ship)
# only for its TestCase base class and ACCEPT flag; the sample inputs need
# neither.
if "expecttest" not in sys.modules:
    _stub = types.ModuleType("expecttest")
    _stub.ACCEPT = False
    _stub.TestCase = unittest.TestCase
    sys.modules["expecttest"] = _stub

import numpy  # noqa: E402
import torch  # noqa: E402
from torch.testing._internal.common_methods_invocations import op_db  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import FIXTURES, ROOT  # noqa: E402

OUT = os.path.join(FIXTURES, "opinfo")
MAX_SAMPLES = 8          # recorded per OpInfo and dtype
MAX_DRAWN = 40           # samples looked at per OpInfo and dtype to find them
MAX_INPUT_NUMEL = 400    # elements in all the tensors of one sample's arguments
MAX_OUTPUT_NUMEL = 1200  # elements in all its outputs
MAX_INT = 2 ** 53        # ints past this are not exact as JS numbers

NAMESPACES = {
    "nn.functional": ("torch.nn.functional", torch.nn.functional),
    "linalg": ("torch.linalg", torch.linalg),
    "fft": ("torch.fft", torch.fft),
    "special": ("torch.special", torch.special),
}
# What torchts' tensors can hold; a sample with any other dtype is skipped.
DTYPES = {
    torch.float32: "float32", torch.float64: "float64", torch.float16: "float16",
    torch.bfloat16: "bfloat16", torch.int64: "int64", torch.int32: "int32",
    torch.int16: "int16", torch.int8: "int8", torch.uint8: "uint8", torch.bool: "bool",
}


# Ops that return uninitialised memory: two calls may agree by chance (the
# allocator hands back the same block), so they are named.
UNINITIALISED = {"empty", "empty_like", "new_empty", "new_empty_strided", "empty_strided"}

# Ops whose backward returns memory it never wrote where the forward's output
# overlaps itself: their gradients are not recorded.
BACKWARD_UNINITIALISED = {"as_strided_scatter"}


class Inexpressible(Exception):
    """A sample that JSON or torchts cannot carry; its message is the reason."""


def stable_seed(*parts):
    return zlib.crc32("/".join(map(str, parts)).encode()) & 0x7FFFFFFF


def cotangent_values(n, k):
    """The cotangent of output k: a fixed pattern of exact binary fractions
    (-1.25 .. 1.25), the same in test/_opinfo.ts, instead of all ones, so
    that a backward that permutes or drops elements shows."""
    return [((i * 7 + k * 3) % 11 - 5) / 4 for i in range(n)]


def cotangent(t, k):
    return torch.tensor(cotangent_values(t.numel(), k), dtype=torch.float64).reshape(t.shape).to(t.dtype)


def encode_float(x):
    if math.isnan(x):
        return {"$f": "nan"}
    if math.isinf(x):
        return {"$f": "inf" if x > 0 else "-inf"}
    if x == 0 and math.copysign(1.0, x) < 0:
        return {"$f": "-0"}
    return x


class Encoder:
    """Encodes one sample's values; remembers the tensors it met, in order."""

    def __init__(self, values=True):
        self.values = values
        self.seen = {}      # id(tensor) -> ref
        self.tensors = []   # in order of first appearance
        self.numel = 0
        self.integral_floats = False

    def tensor(self, t):
        if id(t) in self.seen:
            return {"$ref": self.seen[id(t)]}
        if t.is_complex() or t.dtype not in DTYPES:
            raise Inexpressible(f"a {t.dtype} tensor")
        if t.layout != torch.strided:
            raise Inexpressible(f"a {t.layout} tensor")
        if t.is_quantized or t.is_meta or t.device.type != "cpu":
            raise Inexpressible("a quantized, meta or non-CPU tensor")
        self.seen[id(t)] = len(self.tensors)
        self.tensors.append(t)
        self.numel += t.numel()
        data = t.detach().contiguous()
        if data.dtype == torch.bfloat16:
            raw = data.view(torch.int16).numpy().tobytes()
        else:
            raw = data.numpy().tobytes()
        out = {"$t": DTYPES[t.dtype], "shape": list(t.shape), "b64": base64.b64encode(raw).decode() if self.values else ""}
        if t.requires_grad:
            out["rg"] = True
        return out

    def value(self, v):
        if isinstance(v, torch.Tensor):
            return self.tensor(v)
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            if abs(v) > MAX_INT:
                raise Inexpressible(f"the int {v}, past 2**53")
            return v
        if isinstance(v, float):
            if math.isfinite(v) and v == int(v):
                self.integral_floats = True
            return encode_float(v)
        if isinstance(v, torch.dtype):
            if v not in DTYPES:
                raise Inexpressible(f"the dtype {v}")
            return {"$dtype": DTYPES[v]}
        if isinstance(v, torch.device):
            return {"$device": str(v)}
        if isinstance(v, slice):
            return {"$slice": [self.value(v.start), self.value(v.stop), self.value(v.step)]}
        if v is Ellipsis:
            return {"$ellipsis": True}
        if isinstance(v, tuple) and type(v).__module__ == "torch.return_types":
            # A structseq: its field names are its __match_args__.
            fields = list(getattr(type(v), "__match_args__", ()))[: len(v)]
            return {"$nt": type(v).__name__, "fields": fields, "items": [self.value(x) for x in v]}
        if isinstance(v, (list, tuple)):  # torch.Size too
            return [self.value(x) for x in v]
        raise Inexpressible(f"a {type(v).__module__}.{type(v).__qualname__} value")


def floats_as_ints(v):
    """v with its integral float scalars as ints (what a JS number says)."""
    if isinstance(v, float) and math.isfinite(v) and v == int(v):
        return int(v)
    if isinstance(v, list):
        return [floats_as_ints(x) for x in v]
    if isinstance(v, tuple) and not hasattr(v, "_fields"):
        return tuple(floats_as_ints(x) for x in v)
    if isinstance(v, dict):
        return {k: floats_as_ints(x) for k, x in v.items()}
    return v


def flat_tensors(v):
    if isinstance(v, torch.Tensor):
        return [v]
    if isinstance(v, (list, tuple)):
        return [t for x in v for t in flat_tensors(x)]
    return []


def same_result(a, b, exact=False):
    """a and b agree as the runner would compare them (assert_close's
    default tolerances: some LAPACK drivers differ in the last bits from one
    call to the next)."""
    ta, tb = flat_tensors(a), flat_tensors(b)
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb):
        if x.dtype != y.dtype or x.shape != y.shape:
            return False
        try:
            tol = {"rtol": 0, "atol": 0} if exact else {}
            torch.testing.assert_close(x.detach(), y.detach(), equal_nan=True, check_stride=False, **tol)
        except Exception:  # noqa: BLE001
            return False
    if not ta:
        return repr(a) == repr(b)
    return True


def copy_sample(sample):
    """The sample again (fresh leaf tensors, same values) for a second call."""
    memo = {}

    def copy(v):
        if isinstance(v, torch.Tensor):
            if id(v) not in memo:
                memo[id(v)] = v.detach().clone().requires_grad_(v.requires_grad)
            return memo[id(v)]
        if isinstance(v, list):
            return [copy(x) for x in v]
        if isinstance(v, tuple) and not hasattr(v, "_fields"):
            return tuple(copy(x) for x in v)
        if isinstance(v, dict):
            return {k: copy(x) for k, x in v.items()}
        return v

    return copy(sample.input), copy(sample.args), copy(sample.kwargs)


def error_of(e):
    msg = str(e).split("\n")[0][:300]
    return {"type": type(e).__name__, "message": msg}


def python_names(op):
    """[(qualified Python name, 'function' | 'method', callable)] for an
    OpInfo, or (None, reason) when it has no Python name torchts could
    mirror."""
    ns, _, base = op.name.rpartition(".")
    if ns in NAMESPACES:
        qual, mod = NAMESPACES[ns]
        if getattr(mod, base, None) is op.op:
            return [(f"{qual}.{base}", "function", op.op)], None
        return None, f"op.op is a test wrapper around {qual}.{base}, not the function itself"
    if ns:
        return None, f"torch.{ns} is outside the issue's namespaces"
    if op.name.startswith("jiterator"):
        return None, "a CUDA jiterator test op"
    found = []
    if getattr(torch, op.name, None) is op.op:
        found.append((f"torch.{op.name}", "function", op.op))
    method = op.method_variant
    if isinstance(op.op, types.MethodDescriptorType):
        method = op.op
    if method is not None and getattr(torch.Tensor, op.name, None) is method:
        if op.name == "__getitem__":
            return None, "Python's indexing syntax (torchts spells it x.index(...))"
        found.append((f"Tensor.{op.name}", "method", method))
    if not found:
        kind = type(op.op).__name__
        return None, f"op.op is a test {kind} ({getattr(op.op, '__name__', '?')}) with no Tensor method of the name behind it"
    return found, None


def run_call(fn, inp, args, kwargs, seed):
    torch.manual_seed(seed)
    return fn(inp, *args, **kwargs)


def grads_of(out, leaves):
    outs = [t for t in flat_tensors(out) if t.requires_grad and t.is_floating_point()]
    if not outs or not leaves:
        return None
    cots = [cotangent(t, k) for k, t in enumerate(outs)]
    try:
        gs = torch.autograd.grad(outs, leaves, grad_outputs=cots, allow_unused=True, retain_graph=True)
        again = torch.autograd.grad(outs, leaves, grad_outputs=cots, allow_unused=True)
    except Exception as e:  # noqa: BLE001
        return {"error": error_of(e)}
    # A backward that reads memory it never wrote (as_strided_scatter's over
    # overlapping outputs) gives other values each time: no gradient recorded.
    if any((g is None) != (h is None) or (g is not None and not same_result(g, h)) for g, h in zip(gs, again)):
        return None
    enc = Encoder()
    return {"outputs": len(outs), "values": [None if g is None else enc.tensor(g.detach().clone()) for g in gs]}


def record_sample(op, names, sample, seed, needs_grad):
    if op.name == "linalg.lstsq" and sample.kwargs.get("driver") == "gelsy":
        # LAPACK's gelsy gives other last bits from one call, and one process,
        # to the next (by the alignment of its work memory), so the fixture's
        # bytes would change from run to run; within tolerance all the same.
        raise Inexpressible("Python's own result varies in its last bits from call to call")
    enc = Encoder()
    inp = enc.value(sample.input)
    args = [enc.value(a) for a in sample.args]
    # In the order the fixture's JSON lists them (sort_keys), so that the tensors,
    # and the gradients of the leaves among them, are numbered as the reader meets them.
    kwargs = {k: enc.value(sample.kwargs[k]) for k in sorted(sample.kwargs)}
    if enc.numel > MAX_INPUT_NUMEL:
        raise Inexpressible("too large (inputs)")
    leaves = [t for t in enc.tensors if t.requires_grad]
    rec = {"seed": seed, "input": inp, "args": args, "kwargs": kwargs}
    fn0 = names[0][2]
    # A JS number cannot say 2.0 from 2: keep a sample that has an integral
    # float only where Python gives the same either way.
    if enc.integral_floats:
        i2, a2, k2 = copy_sample(sample)
        i3, a3, k3 = copy_sample(sample)
        try:
            r_float = run_call(fn0, i2, a2, k2, seed)
        except Exception:  # noqa: BLE001
            r_float = "error"
        try:
            r_int = run_call(fn0, floats_as_ints(i3), floats_as_ints(a3), floats_as_ints(k3), seed)
        except Exception:  # noqa: BLE001
            r_int = "error"
        if (r_float == "error") != (r_int == "error") or (r_float != "error" and not same_result(r_float, r_int)):
            raise Inexpressible("an integral float (2.0) that Python treats otherwise than the int (2): a JS number cannot say which")
    # The first variant's call is the one recorded; each other variant must
    # give the same on a copy of the sample, or it is left out of this sample.
    # Copies for the other variants and for a second call, taken before any
    # call can write into the sample.
    copies = [copy_sample(sample) for _ in range(len(names) + 2)]
    results = {}
    for (qual, kind, fn), copy in zip(names, copies):
        i, a, k = (sample.input, sample.args, sample.kwargs) if not results else copy
        if kind == "method" and not isinstance(i, torch.Tensor):
            continue
        try:
            out = run_call(fn, i, a, k, seed)
            results[qual] = ("ok", out)
        except Exception as e:  # noqa: BLE001
            results[qual] = ("error", e)
    if not results:
        raise Inexpressible("a method variant only, and an input that is no tensor")
    qual0 = next(iter(results))
    status, out = results[qual0]
    variants = [qual0]
    for qual, (st, o) in list(results.items())[1:]:
        if st == status and (st == "error" or same_result(out, o)):
            variants.append(qual)
    rec["variants"] = variants
    if status == "error":
        rec["error"] = error_of(out)
        return rec
    # An op whose values are not a function of its arguments and the seed
    # (torch.empty's uninitialised memory) is compared by dtype and shape.
    fn0 = dict((q, f) for q, _, f in names)[qual0]
    agains = []
    for i, a, k in copies[-2:]:
        try:
            agains.append(run_call(fn0, i, a, k, seed))
        except Exception:  # noqa: BLE001
            agains.append(None)
    if op.name in UNINITIALISED or any(x is None or not same_result(out, x) for x in agains):
        rec["nondeterministic"] = True
        needs_grad = False
    elif not all(same_result(out, x, exact=True) for x in agains):
        # Within tolerance but not bit for bit (gelsy's lstsq): the fixture's
        # bytes would change from run to run.
        raise Inexpressible("Python's own result varies in its last bits from call to call")
    if op.name in BACKWARD_UNINITIALISED:
        needs_grad = False
    out_enc = Encoder(values="nondeterministic" not in rec)
    try:
        rec["output"] = out_enc.value(out)
    except Inexpressible as e:
        raise Inexpressible(f"its output holds {e}")
    if out_enc.numel > MAX_OUTPUT_NUMEL:
        raise Inexpressible("too large (outputs)")
    if needs_grad:
        g = grads_of(out, leaves)
        if g is not None:
            rec["grad"] = g
    return rec


def sample_dtypes(op):
    supported = op.supported_dtypes("cpu")
    floats = [d for d in (torch.float32, torch.float64) if d in supported]
    if floats:
        return floats
    for d in (torch.int64, torch.bool):
        if d in supported:
            return [d]
    return []


def shard_of(op_name):
    ns = op_name.rpartition(".")[0]
    if ns:
        return ns.replace(".", "_")
    return "torch_a-l" if op_name.lstrip("_")[:1] <= "l" else "torch_m-z"


def main():
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    shards = collections.defaultdict(list)
    skipped_ops = []
    skip_counts = collections.Counter()
    counts = {"opinfos": len(op_db), "entries": 0, "samples": 0}
    for op in op_db:
        key = op.name + (f".{op.variant_test_name}" if op.variant_test_name else "")
        names, why = python_names(op)
        if names is None:
            skipped_ops.append({"opinfo": key, "reason": why})
            continue
        dtypes = sample_dtypes(op)
        if not dtypes:
            skipped_ops.append({"opinfo": key, "reason": "no float32, float64, int64 or bool on CPU"})
            continue
        entry = {"opinfo": key, "aten_name": op.aten_name, "names": [q for q, _, _ in names],
                 "supports_autograd": bool(op.supports_autograd), "samples": {}, "skipped": {}}
        for dtype in dtypes:
            dname = DTYPES[dtype]
            needs_grad = bool(op.supports_autograd) and dtype.is_floating_point
            torch.manual_seed(stable_seed(key, dname))
            # Some sample functions draw from Python's and NumPy's generators too.
            random.seed(stable_seed(key, dname))
            numpy.random.seed(stable_seed(key, dname))
            recorded, skipped = [], collections.Counter()
            try:
                drawn = list(itertools.islice(op.sample_inputs("cpu", dtype, requires_grad=needs_grad), MAX_DRAWN))
            except Exception as e:  # noqa: BLE001
                skipped[f"sample_inputs raised {type(e).__name__}"] += 1
                drawn = []
            for n, sample in enumerate(drawn):
                if len(recorded) >= MAX_SAMPLES:
                    break
                try:
                    rec = record_sample(op, names, sample, stable_seed(key, dname, n), needs_grad)
                except Inexpressible as e:
                    skipped[str(e)] += 1
                    continue
                recorded.append(rec)
            if recorded:
                entry["samples"][dname] = recorded
            if skipped:
                entry["skipped"][dname] = dict(sorted(skipped.items()))
                for reason, c in skipped.items():
                    skip_counts[reason] += c
        if not entry["samples"]:
            skipped_ops.append({"opinfo": key, "reason": "no sample JSON and torchts can carry", "samples_skipped": entry["skipped"]})
            continue
        if not entry["skipped"]:
            del entry["skipped"]
        counts["entries"] += 1
        counts["samples"] += sum(len(v) for v in entry["samples"].values())
        shards[shard_of(op.name)].append(entry)
        torch.set_grad_enabled(True)

    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".json.gz"):
            os.remove(os.path.join(OUT, old))
    files = []
    for name, entries in sorted(shards.items()):
        fname = f"{name}.json.gz"
        data = json.dumps({"entries": entries}, separators=(",", ":"), sort_keys=True).encode()
        with open(os.path.join(OUT, fname), "wb") as f:
            f.write(gzip.compress(data, compresslevel=9, mtime=0))
        files.append(fname)
        print(f"wrote {os.path.relpath(os.path.join(OUT, fname), ROOT)} ({len(entries)} OpInfos)")
    index = {
        "generated_by": "/usr/bin/python3 scripts/golden/opinfo.py",
        "torch_version": torch.__version__,
        "limits": {"max_samples": MAX_SAMPLES, "max_drawn": MAX_DRAWN, "max_input_numel": MAX_INPUT_NUMEL,
                   "max_output_numel": MAX_OUTPUT_NUMEL},
        "counts": {**counts, "opinfos_skipped": len(skipped_ops)},
        "shards": files,
        "samples_skipped": dict(skip_counts.most_common()),
        "opinfos_skipped": skipped_ops,
    }
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(os.path.join(OUT, 'index.json'), ROOT)}: {counts}")


if __name__ == "__main__":
    main()
