"""Debian's Fashion-MNIST (/usr/share/datasets/fashion-mnist, gzip files in one
folder) laid out as torchvision expects it, in a temporary root."""
import gzip
import os
import shutil
import tempfile

DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist"


def torchvision_root():
    root = tempfile.mkdtemp(prefix="fashion-mnist-")
    raw = os.path.join(root, "FashionMNIST", "raw")
    os.makedirs(raw)
    for name in os.listdir(DEBIAN_FOLDER):
        if name.endswith(".gz"):
            with gzip.open(os.path.join(DEBIAN_FOLDER, name)) as src, open(os.path.join(raw, name[:-3]), "wb") as dst:
                shutil.copyfileobj(src, dst)
    return root
