"""Golden outputs of torchvision 0.14's to_pil_image / ToPILImage on tensors:
for each input and mode, the PIL image's mode and its pixels as numpy holds
them (np.asarray(img): (H, W) or (H, W, C); an 'I;16' image's uint16 as the
int16 of the same bits, torch 1.13 having no uint16), what PILToTensor and
ToTensor make of it again, and the errors torchvision raises.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 vision_to_pil_image.py
"""
import numpy as np
import torch
import torchvision
import torchvision.transforms as T
import torchvision.transforms.functional as F

from _common import encode_tensor, write_fixture

torch.manual_seed(5)
INPUTS = {
    "u8_1": torch.randint(0, 256, (1, 3, 4), dtype=torch.uint8),
    "u8_2d": torch.randint(0, 256, (3, 4), dtype=torch.uint8),
    "u8_2": torch.randint(0, 256, (2, 3, 4), dtype=torch.uint8),
    "u8_3": torch.randint(0, 256, (3, 3, 4), dtype=torch.uint8),
    "u8_4": torch.randint(0, 256, (4, 3, 4), dtype=torch.uint8),
    # 255 * x truncated: 0.999 -> 254, 1.2 -> 306 wraps to 50, -0.1 -> 231
    "f32_1": torch.tensor([[[0.0, 0.5, 1.0], [0.999, 1.2, -0.1]]]),
    "f32_3": torch.rand(3, 3, 4),
    "f32_2": torch.rand(2, 2, 3),
    "f64_1": torch.rand(1, 2, 5, dtype=torch.float64),
    "f16_3": torch.rand(3, 2, 2).half(),
    "i16_1": torch.tensor([[[-3, 0, 7], [-25536, 32767, -32768]]], dtype=torch.int16),
    "i32_2d": torch.tensor([[-5, 0, 2**31 - 1], [7, -(2**31), 12]], dtype=torch.int32),
    "f32_1_F": torch.tensor([[[1.5, -2.25], [1e10, 0.0]]]),
}

# name: (input, mode)
CASES = {
    "u8_1": ("u8_1", None),
    "u8_1_L": ("u8_1", "L"),
    "u8_2d": ("u8_2d", None),
    "u8_2": ("u8_2", None),
    "u8_2_LA": ("u8_2", "LA"),
    "u8_3": ("u8_3", None),
    "u8_3_YCbCr": ("u8_3", "YCbCr"),
    "u8_3_HSV": ("u8_3", "HSV"),
    "u8_4": ("u8_4", None),
    "u8_4_CMYK": ("u8_4", "CMYK"),
    "u8_4_RGBX": ("u8_4", "RGBX"),
    "f32_1": ("f32_1", None),
    "f32_1_L": ("f32_1", "L"),
    "f32_3": ("f32_3", None),
    "f32_2": ("f32_2", None),
    "f64_1": ("f64_1", None),
    "f16_3": ("f16_3", "RGB"),
    "i16_1": ("i16_1", None),
    "i32_2d": ("i32_2d", "I"),
    "f32_1_F": ("f32_1_F", "F"),
}


def pixels(img):
    a = np.asarray(img)
    if a.dtype == np.uint16:
        a = a.view(np.int16)
    return torch.from_numpy(a.copy())


def again(fn, img):
    try:
        return encode_tensor(fn(img))
    except TypeError as e:
        return {"error": str(e)}


cases = {}
for name, (key, mode) in CASES.items():
    img = F.to_pil_image(INPUTS[key], mode)
    t = T.ToPILImage(mode)
    cases[name] = {
        "input": key,
        "mode": mode,
        "pil_mode": img.mode,
        "pixels": encode_tensor(pixels(img)),
        "pil_to_tensor": again(F.pil_to_tensor, img),
        "to_tensor": again(F.to_tensor, img),
        "repr": repr(t),
    }


def error_of(fn):
    try:
        fn()
    except (TypeError, ValueError) as e:
        return [type(e).__name__, str(e)]
    raise AssertionError("no error")


u8 = INPUTS
errors = {
    "not_tensor": error_of(lambda: F.to_pil_image([[1, 2]])),
    "four_d": error_of(lambda: F.to_pil_image(torch.zeros(1, 1, 2, 2, dtype=torch.uint8))),
    "five_channels": error_of(lambda: F.to_pil_image(torch.zeros(5, 2, 2, dtype=torch.uint8))),
    "wrong_mode_1": error_of(lambda: F.to_pil_image(u8["u8_1"], "F")),
    "wrong_mode_2": error_of(lambda: F.to_pil_image(u8["u8_2"], "RGB")),
    "wrong_mode_3": error_of(lambda: F.to_pil_image(u8["u8_3"], "RGBA")),
    "wrong_mode_4": error_of(lambda: F.to_pil_image(u8["u8_4"], "RGB")),
    "f64_mode_F": error_of(lambda: F.to_pil_image(u8["f64_1"], "F")),
    "int64_1": error_of(lambda: F.to_pil_image(torch.zeros(1, 2, 2, dtype=torch.long))),
    "int32_3": error_of(lambda: F.to_pil_image(torch.zeros(3, 2, 2, dtype=torch.int32))),
}

write_fixture("vision_to_pil_image.json", {
    "torchvision_version": torchvision.__version__,
    "inputs": {k: encode_tensor(v) for k, v in INPUTS.items()},
    "cases": cases,
    "errors": errors,
})
