"""Golden draws of Python's own `random` module (CPython's Mersenne Twister
and the methods over it), for lib/python/random.ts: for each seed (ints of
every size and sign, floats, str and bytes in both versions, bool), a run
of calls and what each returned, replayed call for call by
test/python_random.test.ts.

Values travel as JSON; an int beyond 2**53 (or asked for as one: a bigint
argument) as {"int": "<decimal>"}, bytes as {"bytes": "<hex>"}.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 python_random.py
"""
import random
import sys

from _common import write_fixture


def enc(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and abs(v) > 2**53:
        return {"int": str(v)}
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, list):
        return [enc(x) for x in v]
    return v


def big(v):
    """An argument the JS side passes as a bigint."""
    return {"int": str(v)}


def dec(v):
    if isinstance(v, dict) and "int" in v:
        return int(v["int"])
    if isinstance(v, dict) and "bytes" in v:
        return bytes.fromhex(v["bytes"])
    if isinstance(v, list):
        return [dec(x) for x in v]
    return v


# name, args (as JSON), keywords
CALLS = [
    ("random", [], {}),
    ("random", [], {}),
    ("getrandbits", [0], {}),
    ("getrandbits", [1], {}),
    ("getrandbits", [31], {}),
    ("getrandbits", [32], {}),
    ("getrandbits", [33], {}),
    ("getrandbits", [53], {}),
    ("getrandbits", [big(64)], {}),
    ("getrandbits", [big(100)], {}),
    ("randrange", [10], {}),
    ("randrange", [3, 17], {}),
    ("randrange", [20, 3, -3], {}),
    ("randrange", [0, 100, 7], {}),
    ("randrange", [-50, -10], {"step": 4}),
    ("randrange", [2**40], {}),
    ("randrange", [2**53 - 1], {}),
    ("randrange", [big(2**70)], {}),
    ("randrange", [big(-(2**65)), big(2**65), big(3)], {}),
    ("randint", [-5, 5], {}),
    ("randint", [1, 1], {}),
    ("randint", [big(0), big(2**64)], {}),
    ("choice", [[10, 20, 30, 40, 50, 60, 70]], {}),
    ("choice", ["abcdefghij"], {}),
    ("shuffle", [list(range(20))], {}),
    ("sample", [list(range(10)), 4], {}),
    ("sample", [list(range(1000)), 8], {}),
    ("sample", [list(range(30)), 30], {}),
    ("sample", [["a", "b", "c"], 4], {"counts": [3, 1, 2]}),
    ("choices", [["p", "q", "r", "s", "t"]], {"k": 6}),
    ("choices", [["p", "q", "r", "s", "t"], [0.1, 0, 2.5, 1, 0.4]], {"k": 4}),
    ("choices", [["p", "q", "r"]], {"cum_weights": [1, 1, 5], "k": 3}),
    ("choices", [["x", "y"]], {}),
    ("uniform", [-1, 4], {}),
    ("uniform", [2.5, 2.5], {}),
    ("randbytes", [5], {}),
    ("randbytes", [0], {}),
    ("random_n", [1000], {}),
    ("random", [], {}),
]

# kind, value, version
SEEDS = [
    ("int", 0, 2),
    ("int", 1, 2),
    ("int", 42, 2),
    ("int", -7, 2),
    ("int", 2**32 - 1, 2),
    ("int", 2**32, 2),
    ("int", 2**53 - 1, 2),
    ("bigint", 2**64 + 5, 2),
    ("bigint", 12345678901234567890, 2),
    ("bigint", -(2**100) - 1, 2),
    ("float", 0.5, 2),
    ("float", -2.5, 2),
    ("float", 3.14159, 2),
    ("float", 1e-300, 2),
    ("float", 123456.75, 2),
    ("float", float("inf"), 2),
    ("float", float("-inf"), 2),
    ("bool", True, 2),
    ("str", "hello", 2),
    ("str", "", 2),
    ("str", "h\u00e9llo \u2713 \U0001f600", 2),
    ("bytes", b"\x00\xff\x10", 2),
    ("str", "hello", 1),
    ("str", "h\u00e9llo", 1),
    ("bytes", b"abc", 1),
    ("int", 5, 1),
]


def run(rng):
    out = []
    for name, args, kwargs in CALLS:
        a = dec(args)
        if name == "random_n":
            for _ in range(a[0]):
                r = rng.random()
            out.append(r)
        elif name == "shuffle":
            x = list(a[0])
            rng.shuffle(x)
            out.append(x)
        else:
            out.append(enc(getattr(rng, name)(*a, **kwargs)))
    return out


cases = []
for kind, value, version in SEEDS:
    rng = random.Random()
    rng.seed(value, version)
    state = rng.getstate()[1]
    cases.append({
        "kind": kind,
        # bytes as hex, floats as Python's repr (inf too), big ints as decimal
        "seed": value.hex() if kind == "bytes" else repr(value) if kind in ("float", "bigint") else value,
        "version": version,
        "state_head": list(state[:4]),
        "state_sum": sum(state[:624]),
        "state_index": state[624],
        "results": run(rng),
    })

# The module-level functions share one generator, as random.seed() seeds it.
random.seed(2024)
module_level = [random.random(), random.randrange(100), random.choice("xyz"), random.sample(range(50), 3)]

write_fixture("python_random.json", {
    "python_version": sys.version.split()[0],
    "calls": CALLS,
    "cases": cases,
    "module_level": module_level,
})
