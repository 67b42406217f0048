"""Golden outputs of torch.utils.data's breadth (1.13): every sampler's index
sequence (seeded, with and without generators), DataLoader batches over map
and iterable datasets, random_split's indices, default_collate and
default_convert of nested structures, TensorDataset/Subset/ConcatDataset
indexing, and Python's errors; for test/data_breadth.test.ts.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 data_breadth.py"""
import warnings

import torch
from torch.utils.data import (BatchSampler, ChainDataset, ConcatDataset, DataLoader, Dataset, DistributedSampler,
                              IterableDataset, RandomSampler, SequentialSampler, Subset, SubsetRandomSampler,
                              TensorDataset, WeightedRandomSampler, default_collate, default_convert, random_split)

from _common import encode_tensor, write_fixture

warnings.simplefilter("ignore")


def enc(v):
    """A collated structure: tensors, lists (and tuples), dicts, strings and plain values, tagged."""
    if isinstance(v, torch.Tensor):
        return {"tensor": encode_tensor(v)}
    if isinstance(v, (list, tuple)):
        return {"list": [enc(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": {k: enc(x) for k, x in v.items()}}
    if isinstance(v, str):
        return {"str": v}
    return {"value": v}


def g(seed):
    return torch.Generator().manual_seed(seed)


def after(seed, f):
    """f's result after torch.manual_seed(seed), and the default generator's next draw (it must be in step)."""
    torch.manual_seed(seed)
    out = f()
    return {"out": out, "next": torch.rand(3).tolist()}


class Items(Dataset):
    """Items mixing kinds, for batch_size=None (default_convert) and collate."""
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return (i, i * 0.5 + 0.25, f"s{i}", {"a": i, "t": torch.tensor([i, -i])})


class Stream(IterableDataset):
    def __init__(self, n, start=0):
        self.n, self.start = n, start

    def __iter__(self):
        for i in range(self.start, self.start + self.n):
            yield {"x": torch.tensor([i, i + 1]), "y": i}

    def __len__(self):
        return self.n


class Endless(IterableDataset):
    def __iter__(self):
        return iter(range(5))


samplers = {
    "random_default": after(0, lambda: [list(RandomSampler(range(10))), list(RandomSampler(range(10)))]),
    "random_generator": after(1, lambda: (lambda s: [list(s), list(s)])(RandomSampler(range(10), generator=g(1)))),
    "random_num_samples": after(2, lambda: [list(RandomSampler(range(10), num_samples=23))]),
    "random_replacement": after(3, lambda: [list(RandomSampler(range(7), replacement=True, num_samples=70))]),
    "random_replacement_generator": after(3, lambda: [list(RandomSampler(range(10), True, generator=g(4)))]),
    "subset_random": after(5, lambda: (lambda s: [list(s), list(s)])(SubsetRandomSampler([10, 20, 30, 40, 50]))),
    "subset_random_generator": after(5, lambda: [list(SubsetRandomSampler([10, 20, 30, 40, 50], generator=g(6)))]),
    "weighted": after(7, lambda: [list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 20))]),
    "weighted_no_replacement": after(7, lambda: [list(WeightedRandomSampler(torch.tensor([0.1, 0.9, 0.4, 0.7, 3.0, 0.6]), 5, replacement=False, generator=g(8)))]),
    "batch": after(0, lambda: [list(BatchSampler(SequentialSampler(range(10)), 3, False))]),
    "batch_drop_last": after(0, lambda: [list(BatchSampler(SequentialSampler(range(10)), 3, True))]),
    "batch_random": after(9, lambda: [list(BatchSampler(RandomSampler(range(10), generator=g(9)), 4, False))]),
}

distributed = {}
for name, kw, n in [("default", {}, 10), ("no_shuffle_drop_last", {"shuffle": False, "drop_last": True}, 10),
                    ("seed_drop_last", {"seed": 5, "drop_last": True}, 11), ("padding", {"shuffle": False}, 2)]:
    reps = 5 if name == "padding" else 3
    runs = []
    for rank in range(reps):
        s = DistributedSampler(range(n), num_replicas=reps, rank=rank, **kw)
        first = list(s)
        s.set_epoch(2)
        runs.append({"epoch0": first, "epoch2": list(s), "len": len(s)})
    distributed[name] = {"n": n, "num_replicas": reps, "ranks": runs}

ds = TensorDataset(torch.arange(10), torch.arange(10) * 2.5)
loaders = {
    "shuffle": after(11, lambda: (lambda l: [[enc(b) for b in l], [enc(b) for b in l], len(l)])(DataLoader(ds, batch_size=3, shuffle=True))),
    "generator_drop_last": after(12, lambda: (lambda gen: (lambda l: [[enc(b) for b in l], [enc(b) for b in l], len(l), torch.rand(2, generator=gen).tolist()])(
        DataLoader(ds, batch_size=4, shuffle=True, generator=gen, drop_last=True)))(g(12))),
    "batch_size_none": after(0, lambda: [[enc(b) for b in DataLoader(Items(), batch_size=None)], len(DataLoader(Items(), batch_size=None))]),
    "items_collated": after(0, lambda: [[enc(b) for b in DataLoader(Items(), batch_size=3)]]),
    "batch_sampler": after(13, lambda: [[enc(b) for b in DataLoader(ds, batch_sampler=BatchSampler(RandomSampler(range(10)), 3, False))]]),
    "sampler": after(14, lambda: [[enc(b) for b in DataLoader(ds, batch_size=2, sampler=SubsetRandomSampler([1, 3, 5, 7, 9]))]]),
    "iterable": after(15, lambda: [[enc(b) for b in DataLoader(Stream(7), batch_size=3)], len(DataLoader(Stream(7), batch_size=3))]),
    "iterable_drop_last": after(15, lambda: [[enc(b) for b in DataLoader(Stream(7), batch_size=3, drop_last=True)], len(DataLoader(Stream(7), batch_size=3, drop_last=True))]),
    "iterable_none": after(15, lambda: [[enc(b) for b in DataLoader(Stream(3), batch_size=None)]]),
    "chain": after(15, lambda: [[enc(b) for b in DataLoader(ChainDataset([Stream(3), Stream(4, 10)]), batch_size=2)], len(ChainDataset([Stream(3), Stream(4, 10)]))]),
    "iterable_no_len": after(15, lambda: [[enc(b) for b in DataLoader(Endless(), batch_size=2)]]),
}

splits = {
    "ints_generator": [s.indices for s in random_split(range(10), [3, 7], generator=g(42))],
    "fractions": [s.indices for s in random_split(range(31), [0.3, 0.3, 0.4], generator=g(1))],
    "fractions_remainder": [s.indices for s in random_split(range(5), [0.5, 0.5], generator=g(2))],
}
torch.manual_seed(13)
splits["default_generator"] = [s.indices for s in random_split(range(8), [2, 6])]
splits["default_generator_next"] = torch.rand(3).tolist()

collate = {
    "mixed_tuples": enc(default_collate([(torch.tensor([1., 2.]), 1, 0.5, True, "a", {"k": [1, 2], "m": (3.5, "x")}),
                                         (torch.tensor([3., 4.]), 2, 1.5, False, "b", {"k": [3, 4], "m": (4.5, "y")})])),
    "nested_dicts": enc(default_collate([{"a": {"b": 1, "c": [1.5, 2]}}, {"a": {"b": 2, "c": [2.5, 3]}}])),
    "lists": enc(default_collate([[1, 2], [3, 4], [5, 6]])),
    "bools": enc(default_collate([True, False, True])),
    "strings": enc(default_collate(["x", "y"])),
    "tensors_2d": enc(default_collate([torch.ones(2, 3, dtype=torch.int32), torch.zeros(2, 3, dtype=torch.int32)])),
    "convert": enc(default_convert((1, [2.5, "a"], {"t": torch.tensor([1.5]), "u": (True, None)}))),
}

tds = TensorDataset(torch.arange(12).reshape(6, 2), torch.arange(6))
indexing = {
    "slice": enc(tds[2:5]),
    "slice_step": enc(tds[0:6:2]),
    "tensor": enc(tds[torch.tensor([0, 3, 5])]),
    "list": enc(tds[[1, 2]]),
    "negative": enc(tds[-1]),
    "subset_list": enc(Subset(tds, [5, 0, 3])[[0, 2]]),
    "concat_7": enc(ConcatDataset([tds, TensorDataset(torch.arange(100, 108).reshape(4, 2), torch.arange(4))])[7]),
    "concat_neg": enc(ConcatDataset([tds, TensorDataset(torch.arange(100, 108).reshape(4, 2), torch.arange(4))])[-1]),
    "concat_sizes": ConcatDataset([tds, TensorDataset(torch.arange(100, 108).reshape(4, 2), torch.arange(4))]).cumulative_sizes,
}

errors = {}


def err(name, f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        errors[name] = {"type": type(e).__name__, "message": str(e)}
    else:
        raise SystemExit(f"{name}: no error")


err("batch_sampler_exclusive", lambda: DataLoader(ds, batch_size=2, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False)))
err("batch_sampler_shuffle", lambda: DataLoader(ds, shuffle=True, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False)))
err("sampler_shuffle", lambda: DataLoader(ds, shuffle=True, sampler=SequentialSampler(ds)))
err("none_drop_last", lambda: DataLoader(ds, batch_size=None, drop_last=True))
err("iterable_shuffle", lambda: DataLoader(Stream(3), shuffle=True))
err("random_num_samples", lambda: RandomSampler(range(3), num_samples=0))
err("random_replacement", lambda: RandomSampler(range(3), replacement=1))
err("weighted_num_samples", lambda: WeightedRandomSampler([1.0, 2.0], 0))
err("weighted_replacement", lambda: WeightedRandomSampler([1.0, 2.0], 2, replacement=1))
err("weighted_2d", lambda: WeightedRandomSampler([[1.0, 2.0]], 2))
err("batch_size", lambda: BatchSampler(SequentialSampler(range(3)), 0, False))
err("batch_drop_last", lambda: BatchSampler(SequentialSampler(range(3)), 2, 0))
err("distributed_rank", lambda: DistributedSampler(range(3), num_replicas=3, rank=3))
err("split_sum", lambda: random_split(range(10), [3, 6]))
err("split_fraction", lambda: random_split(range(10), [1.5, -0.5]))
err("concat_empty", lambda: ConcatDataset([]))
err("concat_negative", lambda: ConcatDataset([tds])[-7])
err("concat_iterable", lambda: ConcatDataset([Stream(2)]))
err("collate_none", lambda: default_collate([None, None]))
err("collate_unequal", lambda: default_collate([[1, 2], [3]]))
err("iterable_len", lambda: len(DataLoader(Endless(), batch_size=2)))

write_fixture("data_breadth.json", {
    "samplers": samplers, "distributed": distributed, "loaders": loaders, "splits": splits,
    "collate": collate, "indexing": indexing, "errors": errors,
})
