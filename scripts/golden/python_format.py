"""Golden results of Python's format(value, format_spec) (the formatting of
f"{x:.4f}" and '{:5.2f}'.format(x)) for lib/python/builtins.ts: ints, floats
(round halves, tiny, huge, negative zero, inf, nan), strings and bools
against a grid of format specs, and the ValueErrors of bad specs.

Values travel as JSON: a float as {"float": repr}, an int as {"int": str}.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 python_format.py
"""
import sys

from _common import write_fixture

VALUES = [
    0, 7, -42, 1234567, -9876543210, 2**70, True,
    0.0, -0.0, 3.0, 2.5, 0.125, -1.5, 3.14159265358979, -0.00012345, 1e-7, 123456789.125, 1e16, 1.5e300, 5e-324,
    0.5, 1234.5, 99.995, -0.004, float("inf"), float("-inf"), float("nan"),
    "", "abc", "héllo",
]

SPECS = [
    "", "d", "5d", "<6d", "^7d", "=+8d", "+d", " d", "08d", ",d", "_d", "012,d", "b", "#b", "o", "#o", "x", "#X", "#012_x", "c", "n",
    "f", ".0f", ".1f", ".2f", ".3f", "#.0f", "10.4f", "+.2f", " .2f", "z.2f", "z.1f", "010.2f", "*^12.3f", ",.2f", "015,.2f", "_f", "F",
    "e", ".0e", ".3e", "#.0e", "E", "12.2e",
    "g", ".0g", ".1g", ".3g", ".10g", "#g", "#.3g", "G", ".3", ".1", ".10", "%", ".1%", "010.1%",
    "s", "10", "<10", ">10", "^10", "*^9", ".2", "05", "x<6",
]

ERROR_SPECS = ["q", ".", ",_", "10.2q", "+s", "=10s", "#s", ",s", ".2d", "zd", "+c", "xx"]


def enc(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    return v


results = []
for v in VALUES:
    row = []
    for spec in SPECS:
        try:
            row.append(format(v, spec))
        except (ValueError, TypeError, OverflowError) as e:
            row.append({"error": type(e).__name__, "message": str(e)})
    results.append({"value": enc(v), "results": row})

errors = {}
for v in [5, 2.5, "ab"]:
    for spec in ERROR_SPECS:
        try:
            errors[f"{type(v).__name__} {spec}"] = {"ok": format(v, spec)}
        except (ValueError, TypeError) as e:
            errors[f"{type(v).__name__} {spec}"] = {"error": type(e).__name__, "message": str(e)}

write_fixture("python_format.json", {
    "python_version": sys.version.split()[0],
    "specs": SPECS,
    "values": results,
    "errors": errors,
})
