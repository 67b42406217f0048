"""One Python rank of the DistributedDataParallel job in
test/distributed_ddp.test.ts: the steps of ddp_rank.ts, in Python, printing
the same JSON object."""
import json
import sys

import torch
import torch.distributed as dist
from torch import nn

STEPS = 4
BATCH = 12


class Net(nn.Module):
    def __init__(self, with_norm, with_spare, hidden=16):
        super().__init__()
        self.fc1 = nn.Linear(6, hidden)
        self.fc2 = nn.Linear(hidden, 3)
        self.spare = nn.Linear(hidden, 3) if with_spare else None
        self.norm = nn.BatchNorm1d(hidden) if with_norm else None
        self.use_spare = False

    def forward(self, x):
        h = self.fc1(x)
        if self.norm is not None:
            h = self.norm(h)
        h = torch.relu(h)
        return self.fc2(h) + self.spare(h) if self.use_spare and self.spare is not None else self.fc2(h)


def batch():
    g = torch.Generator().manual_seed(1234)
    x = torch.randn(BATCH, 6, generator=g)
    y = torch.randint(0, 3, (BATCH,), generator=g)
    return x, y


def weights(m):
    return [p.detach().reshape(-1).tolist() for p in m.parameters()]


def spare_at(scenario, i):
    return scenario == "unused" and i % 2 == 1


def bucket_indices(ddp, params):
    index = {id(p): i for i, p in enumerate(params)}
    return [[index[id(p)] for p in b.parameters()] for b in ddp.reducer._get_zeros_like_grad_buckets()]


def main():
    dist.init_process_group("gloo")
    results = {scenario: run(scenario) for scenario in sys.argv[1].split(",")}
    dist.destroy_process_group()
    print(json.dumps(results))


def run(scenario):
    rank, world = dist.get_rank(), dist.get_world_size()
    with_norm = scenario == "buffers"
    torch.manual_seed(rank)
    if scenario in ("mismatch", "mismatch_count"):
        model = Net(False, False, 17) if rank == 1 and scenario == "mismatch" else Net(False, rank == 1)
        try:
            nn.parallel.DistributedDataParallel(model)
            error = "no error"
        except RuntimeError as e:
            error = str(e)
        after = torch.tensor([rank + 1.0])
        dist.all_reduce(after)
        return {"rank": rank, "error": error, "after": after.tolist()}
    model = Net(with_norm, scenario == "unused")
    ddp = nn.parallel.DistributedDataParallel(model, find_unused_parameters=scenario == "unused", static_graph=scenario == "static")
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x, y = batch()
    share = BATCH // world
    xs, ys = x[rank * share:(rank + 1) * share], y[rank * share:(rank + 1) * share]
    results = {"rank": rank, "world_size": world, "steps": [], "buckets": [], "initial": weights(model)}
    for i in range(STEPS):
        opt.zero_grad()
        model.use_spare = spare_at(scenario, i)
        if scenario == "no_sync" and i % 2 == 0:
            half = share // 2
            with ddp.no_sync():
                loss_fn(ddp(xs[:half]), ys[:half]).backward()
            loss_fn(ddp(xs[half:]), ys[half:]).backward()
        else:
            loss_fn(ddp(xs), ys).backward()
        opt.step()
        results["steps"].append(weights(model))
        results["buckets"].append(bucket_indices(ddp, params))
    torch.manual_seed(0)
    single = Net(with_norm, scenario == "unused")
    sopt = torch.optim.SGD(single.parameters(), lr=0.1, momentum=0.9)
    for i in range(STEPS):
        sopt.zero_grad()
        single.use_spare = spare_at(scenario, i)
        if scenario == "no_sync" and i % 2 == 0:
            half = share // 2
            total = torch.zeros(())
            for r in range(world):
                xr, yr = x[r * share:(r + 1) * share], y[r * share:(r + 1) * share]
                total = total + loss_fn(single(xr[:half]), yr[:half]) + loss_fn(single(xr[half:]), yr[half:])
            (total / world).backward()
        elif with_norm:
            total = torch.zeros(())
            for r in range(world):
                total = total + loss_fn(single(x[r * share:(r + 1) * share]), y[r * share:(r + 1) * share])
            (total / world).backward()
        else:
            loss_fn(single(x), y).backward()
        sopt.step()
    results["single"] = weights(single)
    return results


if __name__ == "__main__":
    main()
