"""Debian's Fashion-MNIST (/usr/share/datasets/fashion-mnist, gzip files in one
folder) laid out as torchvision expects it, in a temporary root."""
import gzip
import os
import shutil
import tempfile

DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist"


def torchvision_root(folder=DEBIAN_FOLDER):
    """folder: one holding the four .gz files (Debian's, or a subset of them)."""
    root = tempfile.mkdtemp(prefix="fashion-mnist-")
    raw = os.path.join(root, "FashionMNIST", "raw")
    os.makedirs(raw)
    for name in os.listdir(folder):
        if name.endswith(".gz"):
            with gzip.open(os.path.join(folder, name)) as src, open(os.path.join(raw, name[:-3]), "wb") as dst:
                shutil.copyfileobj(src, dst)
    return root
