"""One Python rank of the DistributedDataParallel job in
test/distributed_ddp.test.ts: the steps of ddp_rank.ts, in Python, printing
the same JSON object."""
import json
import sys

import torch
import torch.distributed as dist
from torch.distributed.algorithms.ddp_comm_hooks import default_hooks
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
    return scenario in ("unused", "skip_unused") and i % 2 == 1


# Each scenario's keywords to DDP, and its model: with BatchNorm (whose
# buffers start different on each rank in the *_buffers and forward_sync_off
# scenarios), with a head some steps leave unused.
OPTIONS = {
    "unused": {"find_unused_parameters": True},
    "static": {"static_graph": True},
    "local_buffers": {"broadcast_buffers": False},
    "forward_sync_off": {"forward_sync_buffers": False},
    "no_init_sync": {"init_sync": False},
    "cap_list": {"bucket_cap_mb_list": [0.0002, 0.0003]},
    # The spare head in a bucket of its own (the limits in bytes: 384, 256, 12, 204), which the steps that leave it unused skip.
    "skip_unused": {"find_unused_parameters": True, "skip_all_reduce_unused_params": True, "bucket_cap_mb_list": [384 / 2**20, 256 / 2**20, 12 / 2**20, 204 / 2**20]},
    "batched_copy": {"batched_grad_copy": True},
}
WITH_NORM = ("buffers", "local_buffers", "forward_sync_off")
RANK_BUFFERS = ("local_buffers", "forward_sync_off")
WITH_SPARE = ("unused", "skip_unused")

# The communication hooks each scenario registers.
HOOKS = {
    "hook_allreduce": lambda ddp: ddp.register_comm_hook(None, default_hooks.allreduce_hook),
    "hook_fp16": lambda ddp: ddp.register_comm_hook(None, default_hooks.fp16_compress_hook),
    "builtin_fp16": lambda ddp: ddp._register_builtin_comm_hook(dist.BuiltinCommHookType.FP16_COMPRESS),
}


def buffers(m):
    return [b.reshape(-1).tolist() for b in m.buffers()]


def bucket_indices(ddp, params):
    index = {id(p): i for i, p in enumerate(params)}
    return [[index[id(p)] for p in b.parameters()] for b in ddp.reducer._get_zeros_like_grad_buckets()]


def main():
    dist.init_process_group("gloo")
    results = {scenario: run(scenario) for scenario in sys.argv[1].split(",")}
    dist.destroy_process_group()
    print(json.dumps(results))


# Uneven inputs under ddp.join(): rank r trains on STEPS - 2 r batches.
JOINS = {
    "join": ({}, {}),
    "join_dynamic": ({"divide_by_initial_world_size": False}, {"find_unused_parameters": True}),
    "join_buffers": ({}, {}),
    "join_throw": ({"throw_on_early_termination": True}, {}),
}


def run_join(scenario):
    rank, world = dist.get_rank(), dist.get_world_size()
    join_options, options = JOINS[scenario]
    torch.manual_seed(rank)
    model = Net(scenario == "join_buffers", scenario == "join_dynamic")
    ddp = nn.parallel.DistributedDataParallel(model, **options)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x, y = batch()
    share = BATCH // world
    xs, ys = x[rank * share:(rank + 1) * share], y[rank * share:(rank + 1) * share]
    results = {"rank": rank, "steps": []}
    try:
        with ddp.join(**join_options):
            for i in range(STEPS - 2 * rank):
                opt.zero_grad()
                model.use_spare = scenario == "join_dynamic" and i % 2 == 1
                loss_fn(ddp(xs), ys).backward()
                opt.step()
                results["steps"].append(weights(model))
        results["error"] = None
    except RuntimeError as e:
        results["error"] = str(e)
    results["final"] = weights(model)
    results["buffers"] = buffers(model)
    after = torch.tensor([rank + 1.0])
    dist.all_reduce(after)
    results["after"] = after.tolist()
    return results


def run(scenario):
    rank, world = dist.get_rank(), dist.get_world_size()
    if scenario in JOINS:
        return run_join(scenario)
    with_norm = scenario in WITH_NORM
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
    model = Net(with_norm, scenario in WITH_SPARE)
    if scenario in RANK_BUFFERS:
        with torch.no_grad():
            model.norm.running_mean.fill_(rank + 1.0)
    ddp = nn.parallel.DistributedDataParallel(model, **OPTIONS.get(scenario, {}))
    if scenario in HOOKS:
        HOOKS[scenario](ddp)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x, y = batch()
    share = BATCH // world
    xs, ys = x[rank * share:(rank + 1) * share], y[rank * share:(rank + 1) * share]
    results = {"rank": rank, "world_size": world, "steps": [], "buckets": [], "initial": weights(model), "initial_buffers": buffers(model)}
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
    results["buffers"] = buffers(model)
    torch.manual_seed(0)
    single = Net(with_norm, scenario in WITH_SPARE)
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
