"""Golden draws from the default generator after torch.manual_seed.
Run: /usr/bin/python3 scripts/golden/generator.py"""
import torch

from _common import encode_tensor, write_fixture

# (name, seed, draw) - torchts's test makes the same draws by name.
DRAWS = [
    ("rand_3x4", 0, lambda: torch.rand(3, 4)),
    ("rand_float64_5", 1, lambda: torch.rand(5, dtype=torch.float64)),
    ("rand_100", 2, lambda: torch.rand(100)),
    ("randn_3x4", 0, lambda: torch.randn(3, 4)),
    ("randn_7", 3, lambda: torch.randn(7)),
    ("randn_64", 4, lambda: torch.randn(64)),
    ("randn_float64_20", 5, lambda: torch.randn(20, dtype=torch.float64)),
    ("randint_0_10_x8", 6, lambda: torch.randint(0, 10, (8,))),
    ("randint_high_5_2x3", 7, lambda: torch.randint(5, (2, 3))),
    ("randint_neg_int32", 8, lambda: torch.randint(-100, 100, (6,), dtype=torch.int32)),
    ("randperm_10", 9, lambda: torch.randperm(10)),
    ("randperm_1000", 10, lambda: torch.randperm(1000)),
    ("uniform_default", 11, lambda: torch.empty(6).uniform_()),
    ("uniform_-2_3", 12, lambda: torch.empty(2, 5).uniform_(-2, 3)),
    ("normal_default", 13, lambda: torch.empty(6).normal_()),
    ("normal_5_0.5", 14, lambda: torch.empty(3, 3).normal_(5, 0.5)),
    ("normal_float64", 15, lambda: torch.empty(40, dtype=torch.float64).normal_(1, 2)),
    ("rand_then_randn", 16, lambda: torch.cat([torch.rand(3), torch.randn(3)])),
    ("rand_like", 17, lambda: torch.rand_like(torch.zeros(2, 2))),
    ("randn_like", 18, lambda: torch.randn_like(torch.zeros(2, 2, dtype=torch.float64))),
    ("bernoulli_", 19, lambda: torch.empty(10).bernoulli_(0.3)),
]

results = {}
for name, seed, draw in DRAWS:
    torch.manual_seed(seed)
    results[name] = {"seed": seed, "tensor": encode_tensor(draw())}
write_fixture("generator.json", {"draws": results})
