# One Python rank of bench/distributed.ts's all_reduce benchmark: for each
# size, `iters` all_reduce calls of a float32 tensor (after a few of
# warm-up) between barriers; prints {bytes: seconds per call} as JSON
# (rank 0's clock).
import json
import sys
import time

import torch
import torch.distributed as dist


def main():
    sizes = [int(s) for s in sys.argv[1].split(",")]
    budget = float(sys.argv[2])
    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    out = {}
    for nbytes in sizes:
        t = torch.ones(max(1, nbytes // 4))
        iters = max(3, min(2000, int(budget / max(nbytes, 4) * 1e6)))
        for _ in range(max(2, iters // 10)):
            dist.all_reduce(t)
        dist.barrier()
        start = time.perf_counter()
        for _ in range(iters):
            dist.all_reduce(t)
        elapsed = time.perf_counter() - start
        out[nbytes] = elapsed / iters
        dist.barrier()
    dist.destroy_process_group()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
