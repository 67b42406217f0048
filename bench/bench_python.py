"""Python PyTorch's side of bench/run.ts: the same training step, the
notebook's whole workload with its DataLoader, and one small op.
   /usr/bin/python3 bench/bench_python.py images.u8 labels.u8 n repeats models fashion_root"""
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import ToTensor

images_path, labels_path, n, repeats, n_models, root = sys.argv[1:7]
n, repeats, n_models = int(n), int(repeats), int(n_models)
torch.set_num_threads(1)
torch.manual_seed(0)
images = torch.from_numpy(np.fromfile(images_path, dtype=np.uint8)).view(n, 1, 28, 28).float().div(255)
labels = torch.from_numpy(np.fromfile(labels_path, dtype=np.uint8)).long()


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))


def epoch_step_us():
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=0.04)
    loss_fn = nn.CrossEntropyLoss()
    steps = n // 32
    t0 = time.perf_counter()
    for s in range(steps):
        x, y = images[s * 32:(s + 1) * 32], labels[s * 32:(s + 1) * 32]
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return (time.perf_counter() - t0) * 1e6 / steps


def notebook_seconds():
    train_set = datasets.FashionMNIST(root=root, transform=ToTensor())
    test_set = datasets.FashionMNIST(root=root, transform=ToTensor(), train=False)
    train_loader = DataLoader(train_set, batch_size=32, shuffle=False)
    test_loader = DataLoader(test_set, batch_size=32, shuffle=False)
    t0 = time.perf_counter()
    models = [mlp() for _ in range(n_models)]
    loss_fn = nn.CrossEntropyLoss()
    for model in models:
        opt = torch.optim.Adam(model.parameters(), lr=0.04)
        for batch, y in train_loader:
            opt.zero_grad()
            loss = loss_fn(model(batch), y)
            loss.backward()
            opt.step()
    for model in models:
        correct = 0
        for batch, y in test_loader:
            correct += (model(batch).argmax(1) == y).sum().item()
    return time.perf_counter() - t0


def per_call(fn, iters):
    t0 = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - t0) / iters


a, b = torch.ones(4), torch.ones(4)
bias, m1, m2 = torch.randn(32), torch.randn(32, 784), torch.randn(784, 32)
# The first epoch is timed on its own; the figure is the median of the
# epochs after it, each with a fresh model (bench/README.md).
first_epoch_us = epoch_step_us()
print(json.dumps({
    "train_step_first_us": first_epoch_us,
    "train_step_us": statistics.median(epoch_step_us() for _ in range(repeats)),
    "notebook_s": notebook_seconds() if n_models > 0 else None,
    "add_ns": statistics.median(per_call(lambda: a + b, 200000) * 1e9 for _ in range(repeats)),
    "addmm_us": statistics.median(per_call(lambda: torch.addmm(bias, m1, m2), 20000) * 1e6 for _ in range(repeats)),
}))
