"""Python's side of bench/dataloader_workers.ts: one epoch of the notebook's
training on FashionMNIST through a DataLoader (ToTensor per item, batches of
32, shuffled), and the same epoch's loading alone (and its wait for the
first batch), with num_workers 0 and 2. Prints one JSON line of seconds.

  /usr/bin/python3 bench/dataloader_workers.py FASHION_ROOT"""
import json
import sys
import time

import torch
from torch import nn, optim
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import ToTensor

root = sys.argv[1]
torch.set_num_threads(1)
train_set = datasets.FashionMNIST(root=root, transform=ToTensor())


def model():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 10))


def epoch(num_workers, train):
    torch.manual_seed(0)
    loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=num_workers)
    m = model()
    opt = optim.Adam(m.parameters(), lr=0.04)
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    first = None
    for x, y in loader:
        if first is None:
            first = time.perf_counter()
        if train:
            opt.zero_grad()
            loss_fn(m(x), y).backward()
            opt.step()
    return time.perf_counter() - start, first - start


out = {}
for workers in (0, 2):
    out[f"load_w{workers}"], first = epoch(workers, False)
    if workers:
        out[f"first_w{workers}"] = first
    out[f"train_w{workers}"] = epoch(workers, True)[0]
print(json.dumps(out))
