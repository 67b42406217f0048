"""Tiny fake datasets in the real on-disk formats, and what torchvision 0.14
reads from them: CIFAR-10 as Python 2's cPickle wrote the real batches
(protocol 2, str as BINSTRING, numpy arrays by _reconstruct), CIFAR-100 as
Python 3 re-saves it (protocols 2 and 4), and the .tar.gz archive
download=True unpacks. The files travel in the fixture (base64); the test
writes them to a temp dir and reads them with torchts.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 vision_datasets.py
"""
import base64
import hashlib
import io
import os
import pickle
import struct
import tarfile
import tempfile

import numpy as np
import torchvision
from torchvision.datasets import CIFAR10, CIFAR100

from _common import write_fixture


def py2_pickle(obj):
    """Pickle protocol 2 as Python 2's cPickle writes CIFAR's batches: byte
    strings as SHORT_BINSTRING/BINSTRING, booleans as INT, numpy arrays by
    numpy.core.multiarray._reconstruct."""
    out = bytearray(b"\x80\x02")

    def string(b):
        out.extend(b"U" + bytes([len(b)]) + b if len(b) < 256 else b"T" + struct.pack("<i", len(b)) + b)

    def integer(n):
        if 0 <= n < 256:
            out.extend(b"K" + bytes([n]))
        elif 0 <= n < 65536:
            out.extend(b"M" + struct.pack("<H", n))
        else:
            out.extend(b"J" + struct.pack("<i", n))

    def emit(o):
        if isinstance(o, dict):
            out.extend(b"}(")
            for k, v in o.items():
                emit(k)
                emit(v)
            out.extend(b"u")
        elif isinstance(o, list):
            out.extend(b"](")
            for v in o:
                emit(v)
            out.extend(b"e")
        elif isinstance(o, bytes):
            string(o)
        elif isinstance(o, bool):
            out.extend(b"I01\n" if o else b"I00\n")
        elif isinstance(o, int):
            integer(o)
        elif isinstance(o, np.ndarray):
            assert o.dtype == np.uint8
            out.extend(b"cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85U\x01b\x87R(K\x01(")
            for d in o.shape:
                integer(d)
            out.extend(b"tcnumpy\ndtype\nU\x02u1K\x00K\x01\x87R(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tbI00\n")
            string(o.tobytes())
            out.extend(b"tb")
        else:
            raise TypeError(type(o))

    emit(obj)
    out.extend(b".")
    return bytes(out)


rng = np.random.default_rng(5)
CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def batch(n, label_key="labels", str_keys=True, n_classes=10):
    k = (lambda s: s.encode()) if str_keys else (lambda s: s)
    entry = {
        k("batch_label"): k("fake batch"),
        k(label_key): [int(x) for x in rng.integers(0, n_classes, n)],
        k("data"): rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        k("filenames"): [k(f"img_{i}.png") for i in range(n)],
    }
    if label_key == "fine_labels":
        entry[k("coarse_labels")] = [int(x) for x in rng.integers(0, 20, n)]
    return entry


def md5(b):
    return hashlib.md5(b).hexdigest()


files10 = {f"data_batch_{i}": py2_pickle(batch(2)) for i in range(1, 6)}
files10["test_batch"] = py2_pickle(batch(3))
files10["batches.meta"] = py2_pickle({b"label_names": [c.encode() for c in CIFAR10_CLASSES], b"num_cases_per_batch": 2, b"num_vis": 3072})

fine = [f"class_{i:02d}" for i in range(100)]
files100 = {
    "train": pickle.dumps(batch(4, "fine_labels", False, 100), protocol=4),
    "test": pickle.dumps(batch(2, "fine_labels", False, 100), protocol=2),
    "meta": pickle.dumps({"fine_label_names": fine, "coarse_label_names": [f"super_{i}" for i in range(20)]}, protocol=2),
}


class Fake10(CIFAR10):
    train_list = [[f"data_batch_{i}", md5(files10[f"data_batch_{i}"])] for i in range(1, 6)]
    test_list = [["test_batch", md5(files10["test_batch"])]]
    meta = {"filename": "batches.meta", "key": "label_names", "md5": md5(files10["batches.meta"])}


class Fake100(CIFAR100):
    train_list = [["train", md5(files100["train"])]]
    test_list = [["test", md5(files100["test"])]]
    meta = {"filename": "meta", "key": "fine_label_names", "md5": md5(files100["meta"])}


def read(cls, root, train):
    ds = cls(root, train=train)
    items = [ds[i] for i in range(len(ds))]
    return {
        "length": len(ds),
        # The (N, 32, 32, 3) array's shape and the MD5 of its bytes in C order.
        "data_shape": list(ds.data.shape),
        "data_md5": md5(np.ascontiguousarray(ds.data).tobytes()),
        "targets": list(ds.targets),
        "classes": list(ds.classes),
        "class_to_idx": ds.class_to_idx,
        # What the PIL image holds, as a tensor (H, W, C).
        "item0_shape": list(np.array(items[0][0]).shape),
        "item0_md5": md5(np.array(items[0][0]).tobytes()),
        "item0_target": items[0][1],
        "repr": repr(ds).replace(root, "<root>"),
    }


with tempfile.TemporaryDirectory() as root:
    for folder, files in (("cifar-10-batches-py", files10), ("cifar-100-python", files100)):
        os.makedirs(os.path.join(root, folder))
        for name, b in files.items():
            with open(os.path.join(root, folder, name), "wb") as f:
                f.write(b)
    results = {
        "cifar10_train": read(Fake10, root, True),
        "cifar10_test": read(Fake10, root, False),
        "cifar100_train": read(Fake100, root, True),
        "cifar100_test": read(Fake100, root, False),
    }

# The archive download=True fetches: the folder, as tar.gz.
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w:gz") as tar:
    info = tarfile.TarInfo("cifar-10-batches-py")
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    tar.addfile(info)
    for name, b in files10.items():
        info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
        info.size = len(b)
        tar.addfile(info, io.BytesIO(b))
archive = buf.getvalue()

b64 = lambda b: base64.b64encode(b).decode()
write_fixture("vision_datasets.json", {
    "torchvision_version": torchvision.__version__,
    "cifar10_files": {k: b64(v) for k, v in files10.items()},
    "cifar100_files": {k: b64(v) for k, v in files100.items()},
    "md5": {
        "cifar10": {"train_list": Fake10.train_list, "test_list": Fake10.test_list, "meta": Fake10.meta},
        "cifar100": {"train_list": Fake100.train_list, "test_list": Fake100.test_list, "meta": Fake100.meta},
    },
    "cifar10_archive": {"bytes": b64(archive), "md5": md5(archive)},
    **results,
})
