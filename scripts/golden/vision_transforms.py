"""Golden outputs of torchvision's tensor transforms and functional ops (0.14
under torch 1.13, 0.21 under 2.6: the release the torch running it pairs with):
each case applies a transform to a small seeded image right after
torch.manual_seed(seed) and random.seed(seed) (RandomChoice and RandomOrder
draw from Python's random), a few times in a row (so the random draws that
follow each other are checked too), and records the outputs and the repr.

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 vision_transforms.py
"""
import random

import torch
import torchvision
import torchvision.transforms as T
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode as IM

from _common import encode_tensor, write_fixture

torch.manual_seed(2024)
IMAGES = {
    "u8": torch.randint(0, 256, (3, 6, 8), dtype=torch.uint8),
    "u8_tall": torch.randint(0, 256, (3, 9, 5), dtype=torch.uint8),
    "u8_gray": torch.randint(0, 256, (1, 6, 8), dtype=torch.uint8),
    "u8_2d": torch.randint(0, 256, (6, 8), dtype=torch.uint8),
    "f32": torch.rand(3, 6, 8),
    "f64": torch.rand(3, 6, 8, dtype=torch.float64),
    "f32_batch": torch.rand(2, 3, 5, 7),
    "hwc": torch.randint(0, 256, (5, 4, 3), dtype=torch.uint8),
}

# name: (transform, input, number of applications)
CASES = {
    "resize_int": (T.Resize(4), "u8", 1),
    "resize_int_tall": (T.Resize(4), "u8_tall", 1),
    "resize_hw_f32": (T.Resize([9, 5]), "f32", 1),
    "resize_nearest": (T.Resize([4, 11], interpolation=IM.NEAREST), "u8", 1),
    "resize_bicubic_u8": (T.Resize([10, 5], interpolation=IM.BICUBIC), "u8", 1),
    "resize_antialias": (T.Resize(3, antialias=True), "f32", 1),
    "resize_bicubic_antialias_u8": (T.Resize(3, interpolation=IM.BICUBIC, antialias=True), "u8", 1),
    "resize_max_size": (T.Resize(4, max_size=5), "u8", 1),
    "resize_batch": (T.Resize([3, 4]), "f32_batch", 1),
    "center_crop": (T.CenterCrop(4), "u8", 1),
    "center_crop_odd": (T.CenterCrop([3, 5]), "f32", 1),
    "center_crop_pad": (T.CenterCrop([9, 11]), "u8", 1),
    "pad_constant": (T.Pad(2, fill=7), "u8", 1),
    "pad_edge": (T.Pad([1, 2], padding_mode="edge"), "u8", 1),
    "pad_reflect": (T.Pad([1, 2, 3, 1], padding_mode="reflect"), "f32", 1),
    "pad_symmetric": (T.Pad([3, 1, 2, 4], padding_mode="symmetric"), "u8", 1),
    "random_crop": (T.RandomCrop(4), "u8", 4),
    "random_crop_padding": (T.RandomCrop([5, 7], padding=2), "f32", 3),
    "random_crop_pad_if_needed": (T.RandomCrop([8, 10], pad_if_needed=True, fill=3), "u8", 2),
    "random_crop_reflect": (T.RandomCrop(6, padding=[1, 2], padding_mode="reflect"), "u8", 3),
    "hflip": (T.RandomHorizontalFlip(), "u8", 6),
    "vflip": (T.RandomVerticalFlip(p=0.3), "f32", 6),
    "random_resized_crop": (T.RandomResizedCrop(4), "u8", 4),
    "random_resized_crop_f32": (T.RandomResizedCrop([3, 5], scale=(0.5, 1.0), ratio=(0.5, 2.0)), "f32", 4),
    "random_resized_crop_fallback": (T.RandomResizedCrop(3, scale=(0.99, 1.0), ratio=(4.0, 5.0)), "u8_tall", 2),
    "random_resized_crop_nearest": (T.RandomResizedCrop(5, interpolation=IM.NEAREST), "u8", 3),
    "color_jitter": (T.ColorJitter(0.4, 0.4, 0.4, 0.1), "f32", 3),
    "color_jitter_u8": (T.ColorJitter(brightness=0.5, contrast=0.3, saturation=0.7, hue=0.2), "u8", 3),
    "color_jitter_ranges": (T.ColorJitter(brightness=[0.5, 0.9], hue=[-0.3, 0.05]), "f64", 2),
    "color_jitter_gray": (T.ColorJitter(0.3, 0.3, 0.3, 0.3), "u8_gray", 2),
    "rotation": (T.RandomRotation(30), "u8", 3),
    "rotation_bilinear_f32": (T.RandomRotation([-90, 45], interpolation=IM.BILINEAR), "f32", 3),
    "rotation_expand": (T.RandomRotation(40, expand=True, fill=[10, 20, 30]), "u8", 2),
    "rotation_center_fill": (T.RandomRotation(60, interpolation=IM.BILINEAR, center=[1, 2], fill=0.5), "f32", 2),
    "affine": (T.RandomAffine(25, translate=[0.2, 0.1], scale=[0.8, 1.2], shear=10), "u8", 3),
    "affine_bilinear_shear4": (T.RandomAffine([-10, 30], shear=[-5, 5, 0, 20], interpolation=IM.BILINEAR, fill=0.25, center=[2, 3]), "f32", 3),
    "affine_degrees_only": (T.RandomAffine(0), "u8", 1),
    "random_invert": (T.RandomInvert(), "u8", 4),
    "random_invert_f32": (T.RandomInvert(p=0.7), "f32", 3),
    "random_posterize": (T.RandomPosterize(3, p=0.6), "u8", 4),
    "random_solarize": (T.RandomSolarize(100, p=0.6), "u8", 3),
    "random_solarize_f32": (T.RandomSolarize(0.4), "f32", 3),
    "random_sharpness": (T.RandomAdjustSharpness(2.5), "u8", 3),
    "random_sharpness_f32": (T.RandomAdjustSharpness(0.3, p=0.8), "f32", 3),
    "random_autocontrast": (T.RandomAutocontrast(p=0.7), "u8", 3),
    "random_autocontrast_f32": (T.RandomAutocontrast(), "f32", 3),
    "random_equalize": (T.RandomEqualize(p=0.7), "u8", 3),
    "autoaugment_imagenet": (T.AutoAugment(), "u8", 8),
    "autoaugment_cifar10": (T.AutoAugment(T.AutoAugmentPolicy.CIFAR10, fill=[5, 6, 7]), "u8", 8),
    "autoaugment_svhn": (T.AutoAugment(policy=T.AutoAugmentPolicy.SVHN, interpolation=IM.BILINEAR), "u8", 8),
    "randaugment": (T.RandAugment(), "u8", 8),
    "randaugment_f32": (T.RandAugment(num_ops=3, magnitude=5, num_magnitude_bins=11, fill=0.5), "u8", 6),
    "trivialaugment": (T.TrivialAugmentWide(), "u8", 10),
    "trivialaugment_bilinear": (T.TrivialAugmentWide(num_magnitude_bins=8, interpolation=IM.BILINEAR, fill=3), "u8", 8),
    "perspective": (T.RandomPerspective(p=0.8), "f32", 3),
    "perspective_nearest_fill": (T.RandomPerspective(0.3, 1.0, IM.NEAREST, fill=[0.1, 0.2, 0.3]), "f32", 2),
    "elastic": (T.ElasticTransform(alpha=20.0, sigma=0.5), "f32", 2),
    "elastic_nearest_u8": (T.ElasticTransform(alpha=[30.0, 10.0], sigma=[0.5, 0.6], interpolation=IM.NEAREST, fill=7), "u8", 2),
    "grayscale": (T.Grayscale(), "u8", 1),
    "grayscale3": (T.Grayscale(num_output_channels=3), "f32", 1),
    "random_grayscale": (T.RandomGrayscale(p=0.5), "u8", 4),
    "random_apply": (T.RandomApply([T.RandomHorizontalFlip(p=1.0), T.CenterCrop(4)], p=0.6), "u8", 4),
    "random_choice": (T.RandomChoice([T.RandomHorizontalFlip(p=1.0), T.CenterCrop(4), T.RandomVerticalFlip(p=1.0)]), "u8", 6),
    "random_choice_p": (T.RandomChoice([T.CenterCrop(4), T.RandomCrop(5), T.Pad(1)], p=[0.2, 0.5, 0.3]), "u8", 6),
    "random_order": (T.RandomOrder([T.CenterCrop(5), T.RandomHorizontalFlip(p=1.0), T.Pad([1, 0, 2, 0]), T.RandomCrop(4)]), "u8", 4),
    "gaussian_blur": (T.GaussianBlur(3), "f32", 2),
    "gaussian_blur_u8": (T.GaussianBlur([5, 3], sigma=[0.5, 1.5]), "u8", 2),
    "random_erasing": (T.RandomErasing(p=0.9), "f32", 3),
    "random_erasing_value": (T.RandomErasing(p=1.0, scale=[0.1, 0.3], value=[0.1, 0.2, 0.3]), "f32", 2),
    "random_erasing_random": (T.RandomErasing(p=1.0, value="random"), "f32", 2),
    "convert_u8_f32": (T.ConvertImageDtype(torch.float32), "u8", 1),
    "convert_f32_u8": (T.ConvertImageDtype(torch.uint8), "f32", 1),
    "convert_u8_i32": (T.ConvertImageDtype(torch.int32), "u8", 1),
    "normalize": (T.Normalize((0.5, 0.4, 0.3), (0.2, 0.25, 0.3)), "f32", 1),
    "to_tensor_hwc": (T.ToTensor(), "hwc", 1),
    "compose": (T.Compose([T.RandomResizedCrop(5), T.RandomHorizontalFlip(), T.ConvertImageDtype(torch.float32), T.Normalize((0.5,) * 3, (0.5,) * 3)]), "u8", 3),
}


def run(transform, name, img, times):
    torch.manual_seed(7)
    random.seed(7)
    outs = []
    for _ in range(times):
        x = img.clone()
        if name == "to_tensor_hwc":
            out = transform(x.numpy())
        else:
            out = transform(x)
        outs.append(encode_tensor(out))
    # What the generators hold after: the draws used were exactly these.
    return outs, torch.rand(1).item(), random.random()


cases = {}
for name, (transform, key, times) in CASES.items():
    outs, after, py_after = run(transform, name, IMAGES[key], times)
    cases[name] = {"input": key, "outputs": outs, "next_rand": after, "next_pyrandom": py_after, "repr": repr(transform)}

torch.manual_seed(3)
functional = {
    "adjust_brightness": encode_tensor(F.adjust_brightness(IMAGES["u8"], 1.3)),
    "adjust_contrast": encode_tensor(F.adjust_contrast(IMAGES["f32"], 0.6)),
    "adjust_saturation": encode_tensor(F.adjust_saturation(IMAGES["u8"], 1.7)),
    "adjust_hue": encode_tensor(F.adjust_hue(IMAGES["f32"], -0.27)),
    "adjust_hue_u8": encode_tensor(F.adjust_hue(IMAGES["u8"], 0.33)),
    "adjust_gamma": encode_tensor(F.adjust_gamma(IMAGES["u8"], 0.8, 1.1)),
    "rotate_expand_f32": encode_tensor(F.rotate(IMAGES["f32"], 33.0, IM.BILINEAR, expand=True)),
    "rotate_90": encode_tensor(F.rotate(IMAGES["u8"], 90.0)),
    "affine_f32": encode_tensor(F.affine(IMAGES["f32"], 12.0, [1, -2], 0.9, [4.0, -3.0], IM.BILINEAR)),
    "affine_u8_fill": encode_tensor(F.affine(IMAGES["u8"], -30.0, [0, 1], 1.3, 8.0, fill=[9.0, 99.0, 199.0])),
    "crop_outside": encode_tensor(F.crop(IMAGES["u8"], -2, 3, 5, 7)),
    "five_crop": [encode_tensor(x) for x in F.five_crop(IMAGES["u8"], [3, 5])],
    "ten_crop_vertical": [encode_tensor(x) for x in F.ten_crop(IMAGES["u8"], 4, vertical_flip=True)],
    "five_crop_repr": repr(T.FiveCrop(4)),
    "ten_crop_repr": repr(T.TenCrop([3, 5])),
    "linear_transformation": encode_tensor(T.LinearTransformation(torch.eye(12) * 0.5 + torch.arange(144.).view(12, 12) / 100, torch.linspace(0, 1, 12))(IMAGES["f32"][:, :2, :2].contiguous())),
    "linear_transformation_repr": repr(T.LinearTransformation(torch.tensor([[1.0, 0.5], [0.0, 2.0]]), torch.tensor([0.25, -1.0]))),
    "perspective_f32": encode_tensor(F.perspective(IMAGES["f32"], [[0, 0], [7, 0], [7, 5], [0, 5]], [[1, 0], [6, 1], [7, 4], [0, 5]])),
    "equalize_batch": encode_tensor(F.equalize(torch.stack([IMAGES["u8"], IMAGES["u8"] // 3]))),
    "equalize_flat": encode_tensor(F.equalize(torch.full((1, 4, 4), 7, dtype=torch.uint8))),
    "autocontrast_flat_channel": encode_tensor(F.autocontrast(torch.cat([IMAGES["u8"][:2], torch.full((1, 6, 8), 9, dtype=torch.uint8)]))),
    "posterize_0": encode_tensor(F.posterize(IMAGES["u8"], 0)),
    "resized_crop": encode_tensor(F.resized_crop(IMAGES["f32"], 1, 2, 4, 5, [6, 6])),
    "gaussian_blur_sigma": encode_tensor(F.gaussian_blur(IMAGES["f32"], [3, 5], [0.7, 1.2])),
    "erase": encode_tensor(F.erase(IMAGES["f32"], 1, 2, 3, 4, torch.tensor(0.25))),
    "pil_to_tensor_hwc": encode_tensor(torch.as_tensor(IMAGES["hwc"].numpy()).permute(2, 0, 1)),
    "convert_i32_u8": encode_tensor(F.convert_image_dtype(torch.tensor([[[0, 2**24, 2**31 - 1]]], dtype=torch.int32), torch.uint8)),
}

write_fixture("vision_transforms.json", {
    "torchvision_version": torchvision.__version__,
    "images": {k: encode_tensor(v) for k, v in IMAGES.items()},
    "cases": cases,
    "functional": functional,
})
