"""Golden outputs of torchvision on 16-bit PNGs. Up to 0.20 (0.14 beside
torch 1.13), read_image and decode_png refuse them ("At most 8-bit PNG
images are supported currently."), and the private
torchvision.io.image._read_png_16 decodes them to int32 (C, H, W) tensors in
every ImageReadMode. From 0.21 (beside torch 2.6) _read_png_16 is gone, and
decode_png, decode_image and read_image decode them themselves, to uint16
(C, H, W) tensors, in every mode. The files are written here (zlib and
struct: grey, grey-alpha, RGB and RGBA at 16 bits, one Adam7-interlaced
with its non-interlaced twin, and PIL's own 'I;16'), and travel in the
fixture (base64).

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 vision_io_png16.py
"""
import base64
import io
import os
import struct
import tempfile
import zlib

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision.io import ImageReadMode, decode_image, decode_png, read_file, read_image

# 0.21 decodes 16-bit PNGs to uint16 (torch 2.3+ has the dtype) and dropped _read_png_16.
DECODES_16_BIT = tuple(int(x) for x in torchvision.__version__.split(".")[:2]) >= (0, 21)
if not DECODES_16_BIT:
    from torchvision.io.image import _read_png_16

from _common import encode_tensor, write_fixture

rng = np.random.default_rng(16)
H, W = 4, 5


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png16(pixels, color_type, interlace=0, extra=b"", depth=16):
    """pixels: (H, W, C) uint16 (uint8 at depth 8); rows unfiltered (filter 0),
    samples big-endian; extra: chunks before IDAT (tRNS)."""
    h, w = pixels.shape[:2]
    ihdr = struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, interlace)
    big = pixels.astype(">u2" if depth == 16 else "u1")
    if interlace == 0:
        raw = b"".join(b"\x00" + big[y].tobytes() for y in range(h))
    else:
        # Adam7: seven passes of sub-images, each row filtered on its own.
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            sub = big[y0::dy, x0::dx]
            if sub.size == 0:
                continue
            raw += b"".join(b"\x00" + row.tobytes() for row in sub)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def pil_png(img):
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def u16(c):
    return rng.integers(0, 65536, (H, W, c), dtype=np.uint16)


grey_pixels = u16(1)
rgb_pixels = u16(3)
# Grey pixels in RGB (equal bands), which the grey conversion keeps as they are.
rgb_pixels[0, :3] = grey_pixels[0, :3]
interlaced_pixels = u16(3)
FILES = {
    "gray16.png": png16(grey_pixels, 0),
    "gray_alpha16.png": png16(u16(2), 4),
    "rgb16.png": png16(rgb_pixels, 2),
    "rgba16.png": png16(u16(4), 6),
    "rgb16_interlaced.png": png16(interlaced_pixels, 2, interlace=1),
    # The same pixels, not interlaced: what the interlaced file decodes to (see below).
    "rgb16_interlaced_twin.png": png16(interlaced_pixels, 2),
    "pil_i16.png": pil_png(Image.fromarray(rng.integers(0, 65536, (H, W), dtype=np.uint16))),
}

# ImageFolder's default loader is PIL's Image.open(path).convert('RGB'): a
# 16-bit grey PNG opens as mode 'I' ('I;16' in Pillow 11) and converts by
# clipping each sample to 255; a 16-bit grey-alpha, RGB or RGBA one by its
# high byte; a tRNS chunk (one grey or RGB value transparent) leaves the RGB
# values as they are. Small values show the clipping: most random 16-bit
# samples are over 255.
small_grey = rng.integers(0, 600, (H, W, 1), dtype=np.uint16)
grey8 = rng.integers(0, 256, (H, W, 1), dtype=np.uint8)
rgb8 = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
LOADER_FILES = {
    **FILES,
    "gray16_small.png": png16(small_grey, 0),
    "gray16_trns.png": png16(small_grey, 0, extra=chunk(b"tRNS", struct.pack(">H", int(small_grey[0, 0, 0])))),
    "gray8_trns.png": png16(grey8, 0, extra=chunk(b"tRNS", struct.pack(">H", int(grey8[0, 0, 0]))), depth=8),
    "rgb8_trns.png": png16(rgb8, 2, extra=chunk(b"tRNS", struct.pack(">HHH", *map(int, rgb8[0, 0]))), depth=8),
    "rgb16_trns.png": png16(rgb_pixels, 2, extra=chunk(b"tRNS", struct.pack(">HHH", *map(int, rgb_pixels[0, 0])))),
}

MODES = ["UNCHANGED", "GRAY", "GRAY_ALPHA", "RGB", "RGB_ALPHA"]

decoded = {}
with tempfile.TemporaryDirectory() as d:
    for name, b in FILES.items():
        p = os.path.join(d, name)
        with open(p, "wb") as f:
            f.write(b)
        decoded[name] = {}
        if DECODES_16_BIT:
            for mode in MODES:
                m = getattr(ImageReadMode, mode)
                out = decode_png(read_file(p), m)
                assert out.dtype == torch.uint16
                assert torch.equal(read_image(p, m), out) and torch.equal(decode_image(read_file(p), m), out)
                decoded[name][mode] = encode_tensor(out)
            continue
        for mode in MODES:
            decoded[name][mode] = encode_tensor(_read_png_16(p, getattr(ImageReadMode, mode)))
        try:
            read_image(p)
            raise AssertionError("read_image took a 16-bit PNG")
        except RuntimeError as e:
            decoded[name]["read_image_error"] = str(e)
        try:
            decode_png(read_file(p))
            raise AssertionError("decode_png took a 16-bit PNG")
        except RuntimeError as e:
            decoded[name]["decode_png_error"] = str(e)

# torchvision 0.14 reads an interlaced 16-bit PNG wrongly: it hands libpng one
# row buffer for every row of every pass, so each pass after the first is
# merged into whatever row was read last, not into the same row's earlier
# passes (its 8-bit path reads into the image itself). The test compares the
# interlaced file with its twin's decoding instead, which is the file's pixels.
# 0.21's decode_png reads it right.
truth = torch.from_numpy(interlaced_pixels.astype(np.int32)).permute(2, 0, 1)
twin = torch.tensor(decoded["rgb16_interlaced_twin.png"]["UNCHANGED"]["values"], dtype=torch.int32).view(3, H, W)
interlaced = torch.tensor(decoded["rgb16_interlaced.png"]["UNCHANGED"]["values"], dtype=torch.int32).view(3, H, W)
assert torch.equal(twin, truth) and torch.equal(interlaced, truth) == DECODES_16_BIT

loaded = {}
for name, b in LOADER_FILES.items():
    rgb = np.asarray(Image.open(io.BytesIO(b)).convert("RGB"))
    loaded[name] = encode_tensor(torch.from_numpy(rgb.copy()))

write_fixture("vision_io_png16.json", {
    "torchvision_version": torchvision.__version__,
    "files": {k: base64.b64encode(v).decode() for k, v in FILES.items()},
    "decoded": decoded,
    "loader_files": {k: base64.b64encode(v).decode() for k, v in LOADER_FILES.items() if k not in FILES},
    "default_loader": loaded,
})
