"""The notebook's MLP trained data-parallel with DistributedDataParallel: the
Python twin of examples/data_parallel.ts (each rank trains on its
DistributedSampler share of Fashion-MNIST; DDP averages the gradients during
backward). Node and Python ranks can share one job.

    python3 -m torch.distributed.run --nproc_per_node=2 examples/data_parallel.py [--steps 30] [--batch-size 32] [--seed 0]
"""
import argparse
import gzip
import json
import os
import sys

import torch
import torch.distributed as dist
import torch.nn.functional as F
import torch.optim as optim
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

# The notebook's models, as examples/notebook_models.ts has them for the TypeScript side.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "golden"))
from _notebook_models import NOTEBOOK_DIMS, SimpleMLP  # noqa: E402

DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


def read_idx(path, offset):
    with gzip.open(path) as f:
        return torch.frombuffer(bytearray(f.read()[offset:]), dtype=torch.uint8)


def training_set(folder):
    images = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz"), 16).view(-1, 28, 28)
    labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz"), 8).long()
    images = images.to(torch.float32).div(255).sub(0.1307).div(0.3081).unsqueeze(1)
    return TensorDataset(images, labels)


def weights(model):
    return [v for p in model.parameters() for v in p.detach().flatten().tolist()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=DEBIAN_FASHION_MNIST)
    args = parser.parse_args()

    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(args.seed)
    model = SimpleMLP(NOTEBOOK_DIMS)
    ddp = DistributedDataParallel(model)
    dataset = training_set(args.data)
    sampler = DistributedSampler(dataset, shuffle=True, seed=args.seed)
    loader = DataLoader(dataset, batch_size=args.batch_size, sampler=sampler)
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    losses = []
    for x, y in loader:
        if len(losses) == args.steps:
            break
        optimizer.zero_grad()
        loss = F.cross_entropy(ddp(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    print(json.dumps({"rank": rank, "world_size": world, "losses": losses, "weights": weights(model)}), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
