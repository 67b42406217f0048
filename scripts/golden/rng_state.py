"""Generator states: torch.get_rng_state / set_rng_state, Generator.get_state
/ set_state and torch.random.fork_rng. The state's bytes after a seed and
some draws (torchts's must be the same bytes), the draws that follow it,
the same draws after restoring it (including a cached normal sample), and
Python's messages for a state that is not one.
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 rng_state.py"""
import base64

import torch

from _common import encode_tensor, write_fixture


def b64(t):
    return base64.b64encode(t.numpy().tobytes()).decode()


def draws(generator=None):
    return {
        "randn": encode_tensor(torch.randn(7, generator=generator)),
        "rand": encode_tensor(torch.rand(3, generator=generator)),
        "randint": encode_tensor(torch.randint(0, 100, (4,), generator=generator)),
        "normal_one": encode_tensor(torch.randn(1, generator=generator)),
    }


torch.manual_seed(3)
torch.randn(5)
torch.randn(1)  # one normal sample: the next is cached in the state
default_state = torch.get_rng_state()
default_draws = draws()
torch.set_rng_state(default_state)
assert torch.equal(torch.randn(7), torch.tensor(default_draws["randn"]["values"]))

g = torch.Generator().manual_seed(11)
torch.randn(3, generator=g)
generator_state = g.get_state()
generator_draws = draws(g)

# fork_rng: the draws inside are undone for what follows.
torch.manual_seed(5)
with torch.random.fork_rng():
    inside = torch.randn(3)
after = torch.randn(3)
assert torch.equal(inside, after)


def error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type and the words are what is recorded
        return {"error": type(e).__name__, "message": str(e).split("\n")[0]}
    raise AssertionError("no error")


errors = {
    "float": error(lambda: torch.set_rng_state(torch.zeros(5056))),
    "short": error(lambda: torch.set_rng_state(torch.zeros(10, dtype=torch.uint8))),
    "strided": error(lambda: torch.set_rng_state(torch.zeros(10112, dtype=torch.uint8)[::2])),
    "zeros": error(lambda: torch.set_rng_state(torch.zeros(5056, dtype=torch.uint8))),
    "generator_float": error(lambda: torch.Generator().set_state(torch.zeros(5056))),
}

write_fixture("rng_state.json", {
    "default_state": b64(default_state),
    "default_draws": default_draws,
    "generator_state": b64(generator_state),
    "generator_draws": generator_draws,
    "fork_rng_after": encode_tensor(after),
    "errors": errors,
})
