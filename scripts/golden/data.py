"""Golden datasets and DataLoader on the real Fashion-MNIST files: items,
sums, batch counts, first and last batches, shuffled order after a seed,
random_split, default_collate.
Run: /usr/bin/python3 scripts/golden/data.py"""
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split
from torch.utils.data._utils.collate import default_collate
from torchvision import datasets, transforms

from _common import encode_tensor, summarize_tensor, write_fixture
from _fashion_mnist import DEBIAN_FOLDER, torchvision_root

root = torchvision_root()
splits = {}
for train in (True, False):
    ds = datasets.FashionMNIST(root, train=train, transform=transforms.ToTensor())
    first_img, first_target = ds[0]
    last_img, last_target = ds[len(ds) - 1]
    loader = DataLoader(ds, batch_size=32, shuffle=False)
    batches = list(loader)
    splits["train" if train else "test"] = {
        "length": len(ds),
        "classes": ds.classes,
        "data_shape": list(ds.data.shape),
        "data_dtype": str(ds.data.dtype),
        "targets_dtype": str(ds.targets.dtype),
        "data_sum": int(ds.data.sum(dtype=torch.int64)),
        "targets_sum": int(ds.targets.sum()),
        "class_counts": torch.bincount(ds.targets, minlength=10).tolist(),
        "first_data": encode_tensor(ds.data[0]),
        "last_data": encode_tensor(ds.data[-1]),
        "first_item": {"image": encode_tensor(first_img), "target": first_target},
        "last_item": {"image": encode_tensor(last_img), "target": last_target},
        "loader_length": len(loader),
        "first_batch": {"images": summarize_tensor(batches[0][0], edge=784), "labels": encode_tensor(batches[0][1])},
        "last_batch": {"images_shape": list(batches[-1][0].shape), "images_sum": float(batches[-1][0].double().sum()),
                       "labels": encode_tensor(batches[-1][1])},
    }

# Shuffling after a seed: the order, and the generator's state afterwards.
index_set = TensorDataset(torch.arange(100))
torch.manual_seed(0)
epochs = [[b[0].tolist() for b in DataLoader(index_set, batch_size=16, shuffle=True)] for _ in range(2)]
after_shuffle = torch.rand(3)
g = torch.Generator().manual_seed(7)
own_generator = [b[0].tolist() for b in DataLoader(index_set, batch_size=10, shuffle=True, generator=g)]
torch.manual_seed(1)
unshuffled_then_rand = ([b[0].tolist() for b in DataLoader(index_set, batch_size=50)], torch.rand(2))
drop_last = [b[0].tolist() for b in DataLoader(index_set, batch_size=30, drop_last=True)]

torch.manual_seed(2)
split = [s.indices for s in random_split(index_set, [60, 30, 10])]
split_fractions = [len(s) for s in random_split(TensorDataset(torch.arange(7)), [0.5, 0.3, 0.2])]

collate = {
    "ints": encode_tensor(default_collate([1, 2, 3])),
    "floats": encode_tensor(default_collate([1.5, 2.0, -3.25])),
    "tensors": encode_tensor(default_collate([torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])])),
    "pairs": [encode_tensor(x) for x in default_collate([(torch.tensor([1, 2]), 0), (torch.tensor([3, 4]), 1)])],
    "dicts": {k: encode_tensor(v) for k, v in default_collate([{"x": 1.5, "y": 1}, {"x": 2.5, "y": 0}]).items()},
}

write_fixture("data.json", {
    "folder": DEBIAN_FOLDER,
    "splits": splits,
    "shuffle": {
        "epochs": epochs,
        "after": encode_tensor(after_shuffle),
        "own_generator": own_generator,
        "unshuffled": unshuffled_then_rand[0],
        "unshuffled_then_rand": encode_tensor(unshuffled_then_rand[1]),
        "drop_last": drop_last,
    },
    "random_split": {"indices": split, "fraction_lengths": split_fractions},
    "collate": collate,
})
