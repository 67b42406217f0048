"""The Python twin of examples/five_lines.ts; its stdout is the fixture the
TypeScript must reproduce byte for byte.
Run: /usr/bin/python3 scripts/golden/five_lines.py"""
import contextlib
import io

import torch

from _common import write_fixture

out = io.StringIO()
with contextlib.redirect_stdout(out):
    torch.manual_seed(42)
    x = torch.randn(3, 4, requires_grad=True)
    y = (x * x).sum(1).mean()
    y.backward(); print(x, y, x.grad)  # noqa: E702

write_fixture("five_lines.json", {"script": "examples/five_lines.ts", "stdout": out.getvalue()})
