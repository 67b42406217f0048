"""What torchvision 0.14 reads from tiny fake KMNIST, EMNIST and QMNIST
files in their real IDX formats (gzip'd, in root/<Class>/raw): lengths,
targets, classes and a few items, per split. The files travel in the
fixture (base64); the test writes them out and reads them with torchts.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 vision_mnist.py
"""
import base64
import gzip
import os
import struct
import tempfile

import numpy as np
import torch
import torchvision
from torchvision.datasets import EMNIST, KMNIST, QMNIST

from _common import encode_tensor, write_fixture

rng = np.random.default_rng(3)


def idx(arr, type_code):
    header = struct.pack(">BBBB", 0, 0, type_code, arr.ndim) + b"".join(struct.pack(">I", d) for d in arr.shape)
    body = arr.astype(">i4").tobytes() if type_code == 0x0C else arr.astype(np.uint8).tobytes()
    return gzip.compress(header + body, mtime=0)


def images(n, h=3, w=2):
    # Mostly zeros, as digits are: the gzip'd files stay small even for QMNIST's 10000-image cut.
    a = np.zeros((n, h, w), dtype=np.uint8)
    a[:, 0, 0] = np.arange(n) % 251
    a[:, 1, 1] = rng.integers(0, 256, n)
    return a


FILES = {"KMNIST": {}, "EMNIST": {}, "QMNIST": {}}
FILES["KMNIST"]["train-images-idx3-ubyte.gz"] = idx(images(4), 8)
FILES["KMNIST"]["train-labels-idx1-ubyte.gz"] = idx(rng.integers(0, 10, 4), 8)
FILES["KMNIST"]["t10k-images-idx3-ubyte.gz"] = idx(images(3), 8)
FILES["KMNIST"]["t10k-labels-idx1-ubyte.gz"] = idx(rng.integers(0, 10, 3), 8)
for split, n_classes in (("letters", 27), ("balanced", 47)):
    for part, n in (("train", 5), ("test", 2)):
        FILES["EMNIST"][f"emnist-{split}-{part}-images-idx3-ubyte.gz"] = idx(images(n), 8)
        FILES["EMNIST"][f"emnist-{split}-{part}-labels-idx1-ubyte.gz"] = idx(rng.integers(0, n_classes, n), 8)


def qlabels(n):
    # Class, then NIST's provenance columns: regular patterns (small once gzip'd) with random ends.
    a = np.stack([np.arange(n) % 10] + [(np.arange(n) * (j + 3)) % 977 + 1000 * j for j in range(7)], 1)
    a[:3] = np.concatenate([rng.integers(0, 10, (3, 1)), rng.integers(0, 100000, (3, 7))], 1)
    a[-3:] = np.concatenate([rng.integers(0, 10, (3, 1)), rng.integers(0, 100000, (3, 7))], 1)
    return a

QLABELS = {"train": qlabels(4), "test": qlabels(10003)}
FILES["QMNIST"]["qmnist-train-images-idx3-ubyte.gz"] = idx(images(4), 8)
FILES["QMNIST"]["qmnist-train-labels-idx2-int.gz"] = idx(QLABELS["train"], 0x0C)
FILES["QMNIST"]["qmnist-test-images-idx3-ubyte.gz"] = idx(images(10003), 8)
FILES["QMNIST"]["qmnist-test-labels-idx2-int.gz"] = idx(QLABELS["test"], 0x0C)

# torchvision 0.14 reads QMNIST's big-endian int32 labels without swapping
# their bytes (read_sn3_pascalvincent_tensor flips the element order
# instead), so its targets are not the file's. The expected targets are the
# rows the files hold, cut as torchvision cuts test10k / test50k; everything
# else (images, lengths, classes, repr) is what torchvision reads.
QCUT = {"train": ("train", slice(None)), "test": ("test", slice(None)), "test10k": ("test", slice(0, 10000)), "test50k": ("test", slice(10000, None))}


def summary(ds, picks):
    if isinstance(ds, QMNIST):
        labels, cut = QCUT[ds.what]
        ds.targets = torch.from_numpy(QLABELS[labels][cut]).long()
    return {
        "length": len(ds),
        "data_shape": list(ds.data.shape),
        "data_sum": int(ds.data.long().sum()),
        "targets": encode_tensor(ds.targets) if len(ds) < 20 else None,
        "targets_sum": int(ds.targets.long().sum()),
        "classes": list(ds.classes),
        "items": {str(i): [encode_tensor(torch.from_numpy(np.array(ds[i][0]))), ds[i][1] if not torch.is_tensor(ds[i][1]) else encode_tensor(ds[i][1])] for i in picks},
        "repr": repr(ds),
    }


with tempfile.TemporaryDirectory() as root:
    for cls, files in FILES.items():
        raw = os.path.join(root, cls, "raw")
        os.makedirs(raw)
        for name, b in files.items():
            with open(os.path.join(raw, name[:-3]), "wb") as f:
                f.write(gzip.decompress(b))
    results = {
        "kmnist_train": summary(KMNIST(root), [0, 3]),
        "kmnist_test": summary(KMNIST(root, train=False), [2]),
        "emnist_letters_train": summary(EMNIST(root, "letters"), [0, 4]),
        "emnist_balanced_test": summary(EMNIST(root, split="balanced", train=False), [1]),
        "qmnist_train": summary(QMNIST(root), [0, 3]),
        "qmnist_train_nocompat": summary(QMNIST(root, compat=False), [1]),
        "qmnist_test": summary(QMNIST(root, what="test"), [10002]),
        "qmnist_test10k": summary(QMNIST(root, what="test10k"), [9999]),
        "qmnist_test50k": summary(QMNIST(root, what="test50k", compat=False), [0, 2]),
        "qmnist_train_false": summary(QMNIST(root, train=False), [5]),
    }
    results = {k: {**v, "repr": v["repr"].replace(root, "<root>")} for k, v in results.items()}

write_fixture("vision_mnist.json", {
    "torchvision_version": torchvision.__version__,
    "files": {cls: {k: base64.b64encode(v).decode() for k, v in files.items()} for cls, files in FILES.items()},
    **results,
})
