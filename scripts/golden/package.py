"""The training the package test runs in a clean-room install of the packed
tarball (test/package.test.ts): a seeded two-layer net, fifty Adam steps on a
regression; the last loss, as Python prints it, is what each installed binary
must print.
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 package.py"""
import torch
from torch import nn, optim

from _common import write_fixture

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = optim.Adam(model.parameters(), lr=0.05)
x = torch.randn(32, 4)
y = x.sum(1, keepdim=True)
for _ in range(50):
    opt.zero_grad()
    loss = nn.MSELoss()(model(x), y)
    loss.backward()
    opt.step()

write_fixture("package.json", {"stdout": f"loss {loss.item()!r}\n"})
