# One Python rank of a torch.distributed job that test/distributed.test.ts
# starts beside torchts ranks (test/distributed/node_rank.ts runs the same
# steps): the job's settings come from MASTER_ADDR, MASTER_PORT, RANK and
# WORLD_SIZE; what each step gave is printed as one JSON object, which the
# test compares with what the same rank gives in a job of Python ranks only.
import json
import os
import sys

import torch
import torch.distributed as dist
import torch.utils.data

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "int32": torch.int32, "uint8": torch.uint8}


def values(t):
    return t.tolist()


def attempt(results, name, step):
    """Runs step, recording its result, or that it raised (and its message)."""
    try:
        results[name] = step()
    except RuntimeError as e:
        results[name] = {"error": str(e).split("\n")[0]}


def collectives(results):
    rank, world = dist.get_rank(), dist.get_world_size()
    results["rank"], results["world_size"] = rank, world
    for dname, dtype in DTYPES.items():
        ops = ["SUM", "PRODUCT", "MIN", "MAX"] + (["BAND", "BOR", "BXOR"] if not dtype.is_floating_point else [])
        for op in ops:
            t = (torch.arange(6) * (rank + 1) + rank).to(dtype)
            dist.all_reduce(t, op=getattr(dist.ReduceOp, op))
            results[f"all_reduce/{dname}/{op}"] = values(t)
    t = torch.arange(5, dtype=torch.float32) + 10 * rank
    dist.broadcast(t, src=world - 1)
    results["broadcast"] = values(t)
    t = torch.arange(4, dtype=torch.float64) * (rank + 2)
    dist.reduce(t, dst=0, op=dist.ReduceOp.SUM)
    results["reduce/dst"] = values(t) if rank == 0 else None
    outs = [torch.zeros(3, dtype=torch.int64) for _ in range(world)]
    dist.all_gather(outs, torch.tensor([rank, rank * 2, rank * 3]))
    results["all_gather"] = [values(o) for o in outs]
    gather_list = [torch.zeros(2) for _ in range(world)] if rank == 1 else None
    dist.gather(torch.tensor([rank + 0.5, -(rank + 1)]), gather_list=gather_list, dst=1)
    results["gather"] = [values(o) for o in gather_list] if gather_list else None
    out = torch.zeros(2, dtype=torch.int32)
    scatter_list = [torch.tensor([i, i * i], dtype=torch.int32) for i in range(world)] if rank == 0 else None
    dist.scatter(out, scatter_list=scatter_list, src=0)
    results["scatter"] = values(out)
    dist.barrier()
    # A ring: each rank sends to the next and receives from the one before.
    sent = torch.full((3,), float(rank))
    got = torch.zeros(3)
    if rank % 2 == 0:
        dist.send(sent, (rank + 1) % world)
        dist.recv(got, (rank - 1) % world)
    else:
        dist.recv(got, (rank - 1) % world)
        dist.send(sent, (rank + 1) % world)
    results["ring"] = values(got)
    work = dist.all_reduce(torch.ones(2) * rank, async_op=True)
    results["async_op"] = work.wait()
    pair = dist.new_group([0, world - 1])
    t = torch.tensor([float(rank + 1)])
    if rank in (0, world - 1):
        dist.all_reduce(t, group=pair, op=dist.ReduceOp.PRODUCT)
        results["new_group/all_reduce"] = values(t)
        results["new_group/rank"] = dist.get_rank(pair)
    else:
        results["new_group/all_reduce"] = None
        results["new_group/rank"] = None
    # DistributedSampler reads the world size and rank from the group.
    sampler = torch.utils.data.DistributedSampler(range(11), shuffle=True, seed=3)
    sampler.set_epoch(2)
    results["sampler"] = list(sampler)
    c = torch.tensor([1 + 2j * rank, 3 - 1j], dtype=torch.complex64)
    dist.all_reduce(c)
    results["all_reduce/complex64"] = [[z.real, z.imag] for z in c.tolist()]


def main():
    scenario = sys.argv[1]
    dist.init_process_group("gloo")
    results = {}
    if scenario == "collectives":
        collectives(results)
    elif scenario == "checked":
        pass
    elif scenario == "detail":
        rank = dist.get_rank()
        try:
            dist.all_reduce(torch.zeros(6 if rank == 0 else 3))
            results["size"] = "ok"
        except RuntimeError as e:
            results["size"] = str(e)
        after = torch.tensor([rank + 1.0])
        dist.all_reduce(after)
        results["after"] = values(after)
    elif scenario == "leave":
        # Every rank but 0 leaves at once, without a word to the others.
        if dist.get_rank() != 0:
            os._exit(0)
        raise SystemExit("scenario leave: rank 0 is a torchts rank's part")
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    dist.destroy_process_group()
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
