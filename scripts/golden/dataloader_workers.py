"""Golden outputs of DataLoader with worker processes (1.13): which items each
batch holds and what each worker drew for them (torch.rand and Python's
random, seeded base_seed + worker id), with shuffling, persistent workers,
worker_init_fn, and IterableDatasets with and without sharding by
get_worker_info(); for test/dataloader_workers.test.ts, whose worker threads
must give the same.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 dataloader_workers.py"""
import random
import warnings

import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, get_worker_info

from _common import encode_tensor, write_fixture

# Python warns that three workers exceed this machine's two cores.
warnings.simplefilter("ignore")


def worker_mark():
    """The worker's id and its seed (modulo a prime, to stay a small int), or -1 and 0 in the main process."""
    info = get_worker_info()
    return (-1, 0) if info is None else (info.id, info.seed % 1000003)


class RandomItems(Dataset):
    """Item i: i plus a torch.rand draw, a Python random draw, and who drew them."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        wid, seed = worker_mark()
        return torch.tensor(float(i)) + torch.rand(()), random.random(), wid, seed


class RandomStream(IterableDataset):
    """0..n-1, each with a torch.rand draw; with shard, each worker takes every num_workers-th item."""

    def __init__(self, n, shard):
        self.n = n
        self.shard = shard

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None or not self.shard else (info.id, info.num_workers)
        for i in range(start, self.n, step):
            yield torch.tensor(float(i)) + torch.rand(()), worker_mark()[0]


def seed_python_random_by_id(worker_id):
    random.seed(7 * worker_id)


def enc(part):
    return encode_tensor(part) if isinstance(part, torch.Tensor) else {"value": part}


def batches(loader):
    return [[enc(part) for part in batch] for batch in loader]


def epochs(make, n=2):
    torch.manual_seed(0)
    loader = make()
    return [batches(loader) for _ in range(n)]


def main():
    cases = {
        "shuffled": epochs(lambda: DataLoader(RandomItems(10), batch_size=3, shuffle=True, num_workers=2)),
        "persistent": epochs(lambda: DataLoader(RandomItems(10), batch_size=3, shuffle=True, num_workers=2, persistent_workers=True)),
        "prefetch_1_three_workers": epochs(lambda: DataLoader(RandomItems(11), batch_size=2, num_workers=3, prefetch_factor=1), 1),
        "worker_init_fn": epochs(lambda: DataLoader(RandomItems(8), batch_size=2, num_workers=2, worker_init_fn=seed_python_random_by_id), 1),
        "unbatched": epochs(lambda: DataLoader(RandomItems(5), batch_size=None, num_workers=2), 1),
        "stream_sharded": epochs(lambda: DataLoader(RandomStream(10, True), batch_size=2, num_workers=2), 1),
        "stream_unsharded": epochs(lambda: DataLoader(RandomStream(5, False), batch_size=2, num_workers=2), 1),
    }
    # What the main process draws next: the loaders drew their base seeds (and shuffles) from it.
    torch.manual_seed(0)
    for _ in DataLoader(RandomItems(4), batch_size=2, shuffle=True, num_workers=2):
        pass
    cases["main_after"] = [[[encode_tensor(torch.rand(3))]]]

    write_fixture("dataloader_workers.json", {"cases": cases})


# Python 3.14 starts workers through a forkserver, which imports this file
# again in each worker: only the main process may run the cases.
if __name__ == "__main__":
    main()
