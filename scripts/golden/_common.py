"""Helpers shared by the golden-output scripts: run with Debian's python3-torch
(/usr/bin/python3), the same libtorch that torchts builds against.

The fixtures are PyTorch 1.13's (Debian 12) in test/fixtures/. Run under
another torch (Debian 13's 2.6, in the root of `sh scripts/debian_root.sh trixie`), a
script writes to test/fixtures/torch-<major>.<minor>/ instead, and a test
reads that version's file where there is one (test/_helpers.ts): kept only
where that Python gives other numbers than 1.13 (the Adam of torch 2, ...)."""
import json
import math
import os
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE_TORCH = (1, 13)
_VERSION = tuple(int(x) for x in torch.__version__.split(".")[:2])
FIXTURES = os.path.join(ROOT, "test", "fixtures")
if _VERSION != BASE_TORCH:
    FIXTURES = os.path.join(FIXTURES, f"torch-{_VERSION[0]}.{_VERSION[1]}")


def encode_number(x):
    """JSON has no NaN, inf or -0; they travel as strings."""
    if isinstance(x, bool):
        return x
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        if x == 0 and math.copysign(1.0, x) < 0:
            return "-0"
    return x


def encode_tensor(t):
    t = t.detach()
    flat = t.reshape(-1)
    if t.dtype in (torch.float16, torch.bfloat16):
        flat = flat.float()
    return {
        "dtype": str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "values": [encode_number(v) for v in flat.tolist()],
    }


def summarize_tensor(t, edge=48):
    """A large tensor, recorded without all its values: its first and last
    values (enough to show the same random draws in the same order) and its
    sum and sum of squares (over all of them)."""
    flat = t.detach().reshape(-1).double()
    return {
        "dtype": str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "head": [encode_number(v) for v in flat[:edge].tolist()],
        "tail": [encode_number(v) for v in flat[-edge:].tolist()],
        "sum": float(flat.sum()),
        "sumsq": float((flat * flat).sum()),
    }


def write_fixture(name, payload, per_kernel=False):
    """per_kernel: the payload depends on which OpenBLAS kernels ran (long
    training trajectories do), so it goes to test/fixtures/blas/<kernel>/,
    the kernel that `npm run golden` asked for (scripts/blas_kernel.js)."""
    script = os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)
    folder = FIXTURES
    header = {"generated_by": f"/usr/bin/python3 {script}", "torch_version": torch.__version__}
    if per_kernel:
        kernel = os.environ.get("OPENBLAS_CORETYPE")
        if not kernel:
            sys.exit(f"{script}: its fixture depends on OpenBLAS's kernels; run it through "
                     "`npm run golden`, which names them (scripts/blas_kernel.js)")
        folder = os.path.join(FIXTURES, "blas", kernel)
        header["openblas_kernel"] = kernel
    payload = {**header, **payload}
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)}")
