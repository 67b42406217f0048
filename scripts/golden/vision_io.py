"""Golden outputs of torchvision.io's image decoding (read_image in every
ImageReadMode) on small PNGs of each colour type and on JPEGs, and of
ImageFolder / DatasetFolder on a tiny folder tree: the files travel in the
fixture (base64), the test writes them out and reads them with torchts.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 vision_io.py
"""
import base64
import io
import os
import tempfile

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision.datasets import DatasetFolder, ImageFolder
from torchvision.io import ImageReadMode, read_image

from _common import encode_tensor, write_fixture

rng = np.random.default_rng(11)
H, W = 5, 7


def png(img, **kw):
    buf = io.BytesIO()
    img.save(buf, format="PNG", **kw)
    return buf.getvalue()


def jpeg(img, quality=90, subsampling=0):
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, subsampling=subsampling)
    return buf.getvalue()


rgb = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
rgba = rng.integers(0, 256, (H, W, 4), dtype=np.uint8)
gray = rng.integers(0, 256, (H, W), dtype=np.uint8)
la = rng.integers(0, 256, (H, W, 2), dtype=np.uint8)
palette_img = Image.fromarray(rgb).quantize(colors=6)
palette_trns = palette_img.copy()
palette_trns.info["transparency"] = 2
# A smooth image: JPEG's loss on it is small, so the decoders' differences show.
yy, xx = np.mgrid[0:16, 0:24]
smooth = np.stack([xx * 10, yy * 15, (xx + yy) * 6], -1).astype(np.uint8)

FILES = {
    "rgb.png": png(Image.fromarray(rgb)),
    "rgba.png": png(Image.fromarray(rgba)),
    "gray.png": png(Image.fromarray(gray)),
    "gray_alpha.png": png(Image.fromarray(la, mode="LA")),
    "palette.png": png(palette_img),
    "palette_trns.png": png(palette_trns, transparency=2),
    "rgb_444.jpg": jpeg(Image.fromarray(smooth)),
    "rgb_420.jpg": jpeg(Image.fromarray(smooth), subsampling=2),
    "gray.jpg": jpeg(Image.fromarray(smooth[..., 0])),
}

MODES = ["UNCHANGED", "GRAY", "GRAY_ALPHA", "RGB", "RGB_ALPHA"]

decoded = {}
with tempfile.TemporaryDirectory() as d:
    for name, b in FILES.items():
        p = os.path.join(d, name)
        with open(p, "wb") as f:
            f.write(b)
        decoded[name] = {}
        for mode in MODES:
            try:
                decoded[name][mode] = encode_tensor(read_image(p, getattr(ImageReadMode, mode)))
            except Exception as e:  # the modes a format does not take
                decoded[name][mode] = {"error": f"{type(e).__name__}: {e}"}
        # What PIL's convert('RGB') gives: ImageFolder's default loader.
        with open(p, "rb") as f:
            decoded[name]["pil_rgb"] = encode_tensor(torch.from_numpy(np.array(Image.open(f).convert("RGB"))))

# ImageFolder: class folders (one nested deeper, one empty, one with a
# file of another extension) and DatasetFolder with its own extensions.
TREE = {
    "cat/b.png": FILES["rgb.png"],
    "cat/a.PNG": FILES["gray.png"],
    "cat/sub/c.png": FILES["rgba.png"],
    "cat/notes.txt": b"not an image",
    "dog/x.jpg": FILES["rgb_444.jpg"],
    "dog/y.png": FILES["palette.png"],
    "ant/z.png": FILES["gray_alpha.png"],
    "empty/.keep": b"",
}


def rel(root, samples):
    return [[os.path.relpath(p, root), c] for p, c in samples]


with tempfile.TemporaryDirectory() as root:
    for name, b in TREE.items():
        p = os.path.join(root, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(b)
    try:
        ImageFolder(root)
        empty_error = None
    except FileNotFoundError as e:
        empty_error = str(e).replace(root, "<root>")
    os.remove(os.path.join(root, "empty/.keep"))
    os.rmdir(os.path.join(root, "empty"))
    ds = ImageFolder(root)
    image_folder = {
        "classes": ds.classes,
        "class_to_idx": ds.class_to_idx,
        "samples": rel(root, ds.samples),
        "targets": ds.targets,
        "items": [encode_tensor(torch.from_numpy(np.array(ds[i][0]))) for i in range(len(ds))],
        "repr": repr(ds).replace(root, "<root>"),
        "empty_class_error": empty_error,
    }
    valid = DatasetFolder(root, loader=lambda p: p, is_valid_file=lambda p: p.endswith("c.png") or p.endswith("x.jpg") or p.endswith("z.png"))
    dataset_folder = {
        "samples": rel(root, valid.samples),
        "classes": valid.classes,
    }
    try:
        DatasetFolder(root, loader=lambda p: p, extensions=(".txt",))
        txt_error = None
    except FileNotFoundError as e:
        txt_error = str(e).replace(root, "<root>")
    dataset_folder["txt_error"] = txt_error

write_fixture("vision_io.json", {
    "torchvision_version": torchvision.__version__,
    "files": {k: base64.b64encode(v).decode() for k, v in FILES.items()},
    "decoded": decoded,
    "image_folder": image_folder,
    "dataset_folder": dataset_folder,
})
