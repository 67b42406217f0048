# One Python rank of bench/ddp.ts: DDP training steps of an MLP on a fixed
# batch, timed between barriers (rank 0's clock), as rank.ts times torchts's.
import json
import sys
import time

import torch
import torch.distributed as dist
from torch import nn


def main():
    dims = [int(d) for d in sys.argv[1].split("-")]
    batch, budget = int(sys.argv[2]), float(sys.argv[3])
    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i + 2 < len(dims):
            layers.append(nn.ReLU())
    torch.manual_seed(0)
    model = nn.Sequential(*layers)
    ddp = nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(batch, dims[0])
    y = torch.randint(0, dims[-1], (batch,))

    def step():
        opt.zero_grad()
        loss_fn(ddp(x), y).backward()
        opt.step()

    for _ in range(5):
        step()
    probe = time.perf_counter()
    for _ in range(3):
        step()
    per_step = (time.perf_counter() - probe) / 3
    count = torch.tensor([max(5, min(100000, round(budget / per_step)))])
    dist.broadcast(count, 0)
    steps = int(count.item())
    dist.barrier()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = (time.perf_counter() - start) / steps
    dist.barrier()
    dist.destroy_process_group()
    print(json.dumps({"seconds_per_step": seconds, "steps": steps}), flush=True)


if __name__ == "__main__":
    main()
