"""torch.uint16, uint32 and uint64 (PyTorch 2.3's unsigned types, with limited
support): what tensor() makes of ints (a negative one wraps into uint16 and
uint32, not into uint64), which values overflow, what tolist, item and
type() give, and which ops libtorch lacks for them. Recorded only under a
torch that has them (PyTorch 1.13 has none: torchts names the libtorch that
does, test/unsigned_dtypes.test.ts).
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 unsigned_dtypes.py"""
import torch

from _common import write_fixture

if not hasattr(torch, "uint16"):
    print(f"torch {torch.__version__} has no uint16: nothing to record")
    raise SystemExit(0)


def outcome(fn):
    try:
        t = fn()
        values = t.tolist()
        if not t.dtype.is_floating_point and t.dtype != torch.bool:
            values = [str(v) for v in values]  # exact beyond 2^53, where JSON's numbers are not
        return {"dtype": str(t.dtype).replace("torch.", ""), "values": values, "type": t.type()}
    except Exception as e:  # noqa: BLE001 - the type and the words are what is recorded
        return {"error": type(e).__name__, "message": str(e).split("\n")[0]}


made = {}
for name in ("uint16", "uint32", "uint64"):
    d = getattr(torch, name)
    for v in (0, 1, 255, 65535, 65536, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1, -1, -65535, -65536, -(2**32) + 1, -(2**32)):
        made[f"{name}:{v}"] = outcome(lambda: torch.tensor([v], dtype=d))
    made[f"{name}:float"] = outcome(lambda: torch.tensor([1.5, 2.0], dtype=d))
    made[f"{name}:zeros"] = outcome(lambda: torch.zeros(2, dtype=d))

x = torch.tensor([1, 65535], dtype=torch.uint16)
ops = {
    "eq": outcome(lambda: x == 1),
    "float": outcome(lambda: x.float()),
    "to_int32": outcome(lambda: x.to(torch.int32)),
    "add": outcome(lambda: x + x),
    "bitwise_and": outcome(lambda: x & x),
    "max": outcome(lambda: x.max().reshape(1)),
    "promote": outcome(lambda: x + torch.tensor([1], dtype=torch.int16)),
    "from_int32": outcome(lambda: torch.tensor([7, 70000], dtype=torch.int32).to(torch.uint16)),
}
write_fixture("unsigned_dtypes.json", {
    "made": made,
    "ops": ops,
    "item": x[1].item(),
    "repr": repr(x),
    "itemsize": [torch.uint16.itemsize, torch.uint32.itemsize, torch.uint64.itemsize],
    "is_signed": [torch.uint16.is_signed, torch.uint32.is_signed, torch.uint64.is_signed],
})
