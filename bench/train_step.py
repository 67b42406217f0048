"""The Python twin of bench/train_step.ts.
   /usr/bin/python3 bench/train_step.py [steps] [device]   (device: cpu, or cuda on a GPU machine)"""
import sys
import time

import torch
from torch import nn, optim

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
device = sys.argv[2] if len(sys.argv) > 2 else "cpu"
torch.set_num_threads(1)
torch.manual_seed(0)
data = torch.randn(steps, 32, 1, 28, 28).to(device)
labels = torch.randint(0, 10, (steps, 32)).to(device)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                      nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 10)).to(device)
opt = optim.Adam(model.parameters(), lr=0.04)
loss_fn = nn.CrossEntropyLoss()


def step(i):
    opt.zero_grad()
    loss = loss_fn(model(data[i]), labels[i])
    loss.backward()
    opt.step()


for i in range(min(200, steps // 10)):
    step(i)
times = []
for _ in range(5):
    t0 = time.perf_counter()
    for i in range(steps):
        step(i)
    if device != "cpu":
        torch.cuda.synchronize()  # the steps were queued; count them done
    times.append((time.perf_counter() - t0) * 1e6 / steps)
times.sort()
print(f"python train step ({device}): median {times[2]:.1f} us over 5 runs of {steps} steps (threads {torch.get_num_threads()})")
