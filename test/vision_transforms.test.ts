// torchvision.transforms on tensors against torchvision itself, the release
// paired with the loaded libtorch (0.14 with 1.13, 0.21 with 2.6; run by
// scripts/golden/vision_transforms.py under each): the same seeds (torch's and Python's
// random's) give the same crops, flips, angles, jitters, erasures and
// choices, uint8 outputs exactly and float ones within 1e-6, and every
// transform prints as Python prints it.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import * as pyrandom from '../lib/python/random';
import { transforms as T } from '../lib/vision';
import { torchvisionAtLeast } from '../lib/vision/version';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
import { decodeTensor, fixture, flatValues, type EncodedTensor } from './_helpers';

const F = T.functional;
const IM = T.InterpolationMode;

interface Case {
  input: string;
  outputs: EncodedTensor[];
  next_rand: number;
  next_pyrandom: number;
  repr: string;
}
const golden = fixture<{ images: Record<string, EncodedTensor>; cases: Record<string, Case>; functional: Record<string, EncodedTensor> }>('vision_transforms.json');
const images = Object.fromEntries(Object.entries(golden.images).map(([k, v]) => [k, decodeTensor(v)]));

// The same transforms as the Python script, case for case.
const CASES: Record<string, () => T.Transform> = {
  resize_int: () => new T.Resize(4),
  resize_int_tall: () => new T.Resize(4),
  resize_hw_f32: () => new T.Resize([9, 5]),
  resize_nearest: () => new T.Resize([4, 11], { interpolation: IM.NEAREST }),
  resize_bicubic_u8: () => new T.Resize([10, 5], { interpolation: IM.BICUBIC }),
  resize_antialias: () => new T.Resize(3, { antialias: true }),
  resize_bicubic_antialias_u8: () => new T.Resize(3, { interpolation: IM.BICUBIC, antialias: true }),
  resize_max_size: () => new T.Resize(4, { max_size: 5 }),
  resize_batch: () => new T.Resize([3, 4]),
  center_crop: () => new T.CenterCrop(4),
  center_crop_odd: () => new T.CenterCrop([3, 5]),
  center_crop_pad: () => new T.CenterCrop([9, 11]),
  pad_constant: () => new T.Pad(2, { fill: 7 }),
  pad_edge: () => new T.Pad([1, 2], { padding_mode: 'edge' }),
  pad_reflect: () => new T.Pad([1, 2, 3, 1], { padding_mode: 'reflect' }),
  pad_symmetric: () => new T.Pad([3, 1, 2, 4], { padding_mode: 'symmetric' }),
  random_crop: () => new T.RandomCrop(4),
  random_crop_padding: () => new T.RandomCrop([5, 7], { padding: 2 }),
  random_crop_pad_if_needed: () => new T.RandomCrop([8, 10], { pad_if_needed: true, fill: 3 }),
  random_crop_reflect: () => new T.RandomCrop(6, { padding: [1, 2], padding_mode: 'reflect' }),
  hflip: () => new T.RandomHorizontalFlip(),
  vflip: () => new T.RandomVerticalFlip({ p: 0.3 }),
  random_resized_crop: () => new T.RandomResizedCrop(4),
  random_resized_crop_f32: () => new T.RandomResizedCrop([3, 5], { scale: [0.5, 1.0], ratio: [0.5, 2.0] }),
  random_resized_crop_fallback: () => new T.RandomResizedCrop(3, { scale: [0.99, 1.0], ratio: [4.0, 5.0] }),
  random_resized_crop_nearest: () => new T.RandomResizedCrop(5, { interpolation: IM.NEAREST }),
  color_jitter: () => new T.ColorJitter(0.4, 0.4, 0.4, 0.1),
  color_jitter_u8: () => new T.ColorJitter({ brightness: 0.5, contrast: 0.3, saturation: 0.7, hue: 0.2 }),
  color_jitter_ranges: () => new T.ColorJitter({ brightness: [0.5, 0.9], hue: [-0.3, 0.05] }),
  color_jitter_gray: () => new T.ColorJitter(0.3, 0.3, 0.3, 0.3),
  rotation: () => new T.RandomRotation(30),
  rotation_bilinear_f32: () => new T.RandomRotation([-90, 45], { interpolation: IM.BILINEAR }),
  rotation_expand: () => new T.RandomRotation(40, { expand: true, fill: [10, 20, 30] }),
  rotation_center_fill: () => new T.RandomRotation(60, { interpolation: IM.BILINEAR, center: [1, 2], fill: 0.5 }),
  affine: () => new T.RandomAffine(25, { translate: [0.2, 0.1], scale: [0.8, 1.2], shear: 10 }),
  affine_bilinear_shear4: () => new T.RandomAffine([-10, 30], { shear: [-5, 5, 0, 20], interpolation: IM.BILINEAR, fill: 0.25, center: [2, 3] }),
  affine_degrees_only: () => new T.RandomAffine(0),
  random_invert: () => new T.RandomInvert(),
  random_invert_f32: () => new T.RandomInvert({ p: 0.7 }),
  random_posterize: () => new T.RandomPosterize(3, { p: 0.6 }),
  random_solarize: () => new T.RandomSolarize(100, { p: 0.6 }),
  random_solarize_f32: () => new T.RandomSolarize(0.4),
  random_sharpness: () => new T.RandomAdjustSharpness(2.5),
  random_sharpness_f32: () => new T.RandomAdjustSharpness(0.3, { p: 0.8 }),
  random_autocontrast: () => new T.RandomAutocontrast({ p: 0.7 }),
  random_autocontrast_f32: () => new T.RandomAutocontrast(),
  random_equalize: () => new T.RandomEqualize({ p: 0.7 }),
  autoaugment_imagenet: () => new T.AutoAugment(),
  autoaugment_cifar10: () => new T.AutoAugment(T.AutoAugmentPolicy.CIFAR10, { fill: [5, 6, 7] }),
  autoaugment_svhn: () => new T.AutoAugment({ policy: T.AutoAugmentPolicy.SVHN, interpolation: IM.BILINEAR }),
  randaugment: () => new T.RandAugment(),
  randaugment_f32: () => new T.RandAugment({ num_ops: 3, magnitude: 5, num_magnitude_bins: 11, fill: 0.5 }),
  trivialaugment: () => new T.TrivialAugmentWide(),
  trivialaugment_bilinear: () => new T.TrivialAugmentWide({ num_magnitude_bins: 8, interpolation: IM.BILINEAR, fill: 3 }),
  perspective: () => new T.RandomPerspective({ p: 0.8 }),
  perspective_nearest_fill: () => new T.RandomPerspective(0.3, 1.0, IM.NEAREST, { fill: [0.1, 0.2, 0.3] }),
  elastic: () => new T.ElasticTransform({ alpha: 20.0, sigma: 0.5 }),
  elastic_nearest_u8: () => new T.ElasticTransform({ alpha: [30.0, 10.0], sigma: [0.5, 0.6], interpolation: IM.NEAREST, fill: 7 }),
  grayscale: () => new T.Grayscale(),
  grayscale3: () => new T.Grayscale({ num_output_channels: 3 }),
  random_grayscale: () => new T.RandomGrayscale({ p: 0.5 }),
  random_apply: () => new T.RandomApply([new T.RandomHorizontalFlip({ p: 1.0 }), new T.CenterCrop(4)], { p: 0.6 }),
  random_choice: () => new T.RandomChoice([new T.RandomHorizontalFlip({ p: 1.0 }), new T.CenterCrop(4), new T.RandomVerticalFlip({ p: 1.0 })]),
  random_choice_p: () => new T.RandomChoice([new T.CenterCrop(4), new T.RandomCrop(5), new T.Pad(1)], [0.2, 0.5, 0.3]),
  random_order: () => new T.RandomOrder([new T.CenterCrop(5), new T.RandomHorizontalFlip({ p: 1.0 }), new T.Pad([1, 0, 2, 0]), new T.RandomCrop(4)]),
  gaussian_blur: () => new T.GaussianBlur(3),
  gaussian_blur_u8: () => new T.GaussianBlur([5, 3], { sigma: [0.5, 1.5] }),
  random_erasing: () => new T.RandomErasing({ p: 0.9 }),
  random_erasing_value: () => new T.RandomErasing({ p: 1.0, scale: [0.1, 0.3], value: [0.1, 0.2, 0.3] }),
  random_erasing_random: () => new T.RandomErasing({ p: 1.0, value: 'random' }),
  convert_u8_f32: () => new T.ConvertImageDtype(torch.float32),
  convert_f32_u8: () => new T.ConvertImageDtype(torch.uint8),
  convert_u8_i32: () => new T.ConvertImageDtype(torch.int32),
  normalize: () => new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]),
  to_tensor_hwc: () => new T.ToTensor(),
  compose: () => new T.Compose([new T.RandomResizedCrop(5), new T.RandomHorizontalFlip(), new T.ConvertImageDtype(torch.float32), new T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])]),
};

/** uint8 and other integer images exactly; floats within 1e-6 (resampling runs through grid_sample, conv and bmm). */
function assertClose(t: import('ava').ExecutionContext, actual: Tensor, expected: EncodedTensor, label: string): void {
  t.is(actual.dtype.name, expected.dtype, `${label}: dtype`);
  t.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  const want = decodeTensor(expected);
  if (actual.is_floating_point()) {
    const diff = actual.double().sub(want.double()).abs();
    const worst = diff.numel() === 0 ? 0 : (diff.max().item() as number);
    t.true(worst <= 1e-6, `${label}: max |difference| ${worst}`);
  } else {
    t.deepEqual(flatValues(actual), flatValues(want), label);
  }
}

test('every case of the Python script has its transform here', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), Object.keys(golden.cases).sort());
});

for (const [name, c] of Object.entries(golden.cases)) {
  test(`${name}: same outputs and random draws as torchvision`, (t) => {
    const transform = CASES[name]();
    t.is(String(transform), c.repr, 'repr');
    torch.manual_seed(7);
    pyrandom.seed(7);
    c.outputs.forEach((expected, k) => {
      assertClose(t, transform(images[c.input].clone()), expected, `${name}[${k}]`);
    });
    // The generators are where Python's were after: no draw more, no draw less.
    t.is(torch.rand(1).item(), c.next_rand, 'draws used');
    t.is(pyrandom.random(), c.next_pyrandom, "Python random's draws used");
  });
}

test('functional ops match torchvision.transforms.functional', (t) => {
  const f = golden.functional;
  const u8 = images.u8;
  const f32 = images.f32;
  assertClose(t, F.adjust_brightness(u8, 1.3), f.adjust_brightness, 'adjust_brightness');
  assertClose(t, F.adjust_contrast(f32, 0.6), f.adjust_contrast, 'adjust_contrast');
  assertClose(t, F.adjust_saturation(u8, 1.7), f.adjust_saturation, 'adjust_saturation');
  assertClose(t, F.adjust_hue(f32, -0.27), f.adjust_hue, 'adjust_hue');
  assertClose(t, F.adjust_hue(u8, 0.33), f.adjust_hue_u8, 'adjust_hue uint8');
  assertClose(t, F.adjust_gamma(u8, 0.8, 1.1), f.adjust_gamma, 'adjust_gamma');
  assertClose(t, F.rotate(f32, 33.0, IM.BILINEAR, { expand: true }), f.rotate_expand_f32, 'rotate expand');
  assertClose(t, F.rotate(u8, 90.0), f.rotate_90, 'rotate 90');
  assertClose(t, F.affine(f32, 12.0, [1, -2], 0.9, [4.0, -3.0], IM.BILINEAR), f.affine_f32, 'affine bilinear');
  assertClose(t, F.affine(u8, -30.0, [0, 1], 1.3, 8.0, { fill: [9.0, 99.0, 199.0] }), f.affine_u8_fill, 'affine nearest with fill');
  assertClose(t, F.crop(u8, -2, 3, 5, 7), f.crop_outside, 'crop outside the image');
  const five = F.five_crop(u8, [3, 5]);
  t.is(five.length, 5);
  five.forEach((x, i) => assertClose(t, x, (f.five_crop as unknown as EncodedTensor[])[i], `five_crop[${i}]`));
  const ten = new T.TenCrop(4, { vertical_flip: true })(u8);
  t.is(ten.length, 10);
  ten.forEach((x, i) => assertClose(t, x, (f.ten_crop_vertical as unknown as EncodedTensor[])[i], `ten_crop[${i}]`));
  t.is(String(new T.FiveCrop(4)), f.five_crop_repr as unknown as string);
  t.is(String(new T.TenCrop([3, 5])), f.ten_crop_repr as unknown as string);
  const lt = new T.LinearTransformation(torch.eye(12).mul(0.5).add(torch.arange(144, { dtype: torch.float32 }).view(12, 12).div(100)), torch.linspace(0, 1, 12));
  assertClose(t, lt(f32.narrow(1, 0, 2).narrow(2, 0, 2).contiguous()), f.linear_transformation, 'LinearTransformation');
  t.is(String(new T.LinearTransformation(torch.tensor([[1.0, 0.5], [0.0, 2.0]]), torch.tensor([0.25, -1.0]))), f.linear_transformation_repr as unknown as string);
  t.throws(() => new T.LinearTransformation(torch.zeros([2, 3]), torch.zeros([2])), { instanceOf: RangeError, message: /transformation_matrix should be square/ });
  t.throws(() => lt(f32), { instanceOf: RangeError, message: /incompatible shape.\[3 x 6 x 8\] != 12/ });
  assertClose(t, F.perspective(f32, [[0, 0], [7, 0], [7, 5], [0, 5]], [[1, 0], [6, 1], [7, 4], [0, 5]]), f.perspective_f32, 'perspective');
  assertClose(t, F.equalize(torch.stack([u8, torch.div(u8, 3, { rounding_mode: 'floor' })])), f.equalize_batch, 'equalize a batch');
  assertClose(t, F.equalize(torch.full([1, 4, 4], 7, { dtype: torch.uint8 })), f.equalize_flat, 'equalize a flat image');
  assertClose(t, F.autocontrast(torch.cat([u8.narrow(0, 0, 2), torch.full([1, 6, 8], 9, { dtype: torch.uint8 })])), f.autocontrast_flat_channel, 'autocontrast with a flat channel');
  assertClose(t, F.posterize(u8, 0), f.posterize_0, 'posterize to 0 bits');
  assertClose(t, F.resized_crop(f32, 1, 2, 4, 5, [6, 6]), f.resized_crop, 'resized_crop');
  assertClose(t, F.gaussian_blur(f32, [3, 5], [0.7, 1.2]), f.gaussian_blur_sigma, 'gaussian_blur');
  assertClose(t, F.erase(f32, 1, 2, 3, 4, torch.tensor(0.25)), f.erase, 'erase');
  assertClose(t, F.pil_to_tensor(images.hwc), f.pil_to_tensor_hwc, 'pil_to_tensor');
  assertClose(t, F.convert_image_dtype(torch.tensor([[[0, 2 ** 24, 2 ** 31 - 1]]], { dtype: torch.int32 }), torch.uint8), f.convert_i32_u8, 'convert int32 to uint8');
});

test('erase leaves its input alone unless inplace', (t) => {
  const img = torch.zeros([1, 3, 3]);
  F.erase(img, 0, 0, 2, 2, torch.tensor(1.0));
  t.is(img.sum().item(), 0);
  F.erase(img, 0, 0, 2, 2, torch.tensor(1.0), { inplace: true });
  t.is(img.sum().item(), 4);
});

test('bad arguments name the transform and what was expected', (t) => {
  t.throws(() => new T.Resize([1, 2, 3]), { instanceOf: RangeError, message: /Resize: Size must be an int or a 1 or 2 element/ });
  t.throws(() => new T.Resize(4, { interpolation: 'cubic' as any }), { instanceOf: TypeError, message: /Resize: argument 'interpolation' should be an InterpolationMode/ });
  t.throws(() => new T.Resize(4, { max_sizes: 3 } as any), { instanceOf: TypeError, message: /max_sizes/ });
  t.throws(() => new T.Resize([4, 4], { max_size: 8 })(images.u8), { instanceOf: RangeError, message: /max_size should only be passed if size specifies the length of the smaller edge/ });
  t.throws(() => new T.Resize(4, { max_size: 4 })(images.u8), { instanceOf: RangeError, message: /max_size = 4 must be strictly greater/ });
  t.throws(() => new T.Resize(4, { interpolation: IM.LANCZOS })(images.u8), { instanceOf: RangeError, message: /'lanczos' is only for PIL images/ });
  if (torchvisionAtLeast(17)) {
    // 0.17 made antialias=True the default, and so ignores it where it means nothing.
    t.deepEqual(flatValues(new T.Resize(4, { interpolation: IM.NEAREST, antialias: true })(images.u8)), flatValues(new T.Resize(4, { interpolation: IM.NEAREST, antialias: false })(images.u8)));
  } else {
    t.throws(() => new T.Resize(4, { interpolation: IM.NEAREST, antialias: true })(images.u8), { instanceOf: RangeError, message: /Antialias option is supported for bilinear and bicubic/ });
  }
  t.throws(() => new T.RandomCrop(10)(images.u8), { instanceOf: RangeError, message: /Required crop size \(10, 10\) is larger than input image size \(6, 8\)/ });
  t.throws(() => new T.CenterCrop([1, 2, 3]), { instanceOf: RangeError, message: /CenterCrop: Please provide only two dimensions/ });
  t.throws(() => new T.Pad([1, 2, 3]), { instanceOf: RangeError, message: /Pad: Padding must be an int or a 1, 2, or 4 element tuple, not a 3 element tuple/ });
  t.throws(() => new T.Pad(1, { padding_mode: 'wrap' as any }), { instanceOf: RangeError, message: /Padding mode should be either constant, edge, reflect or symmetric/ });
  t.throws(() => new T.Pad(1, { fill: [1, 2, 3] })(images.u8), { instanceOf: TypeError, message: /Pad: fill for a tensor image must be a number/ });
  t.throws(() => new T.RandomHorizontalFlip(1.5), { instanceOf: RangeError, message: /RandomHorizontalFlip: p should be a probability/ });
  // @ts-expect-error: a surplus positional, as Python refuses it
  t.throws(() => new T.RandomHorizontalFlip(0.5, 1), { instanceOf: TypeError });
  t.throws(() => new T.ColorJitter(-1), { instanceOf: RangeError, message: /If brightness is a single number, it must be non negative/ });
  t.throws(() => new T.ColorJitter({ hue: [0.2, 0.6] }), { instanceOf: RangeError, message: /ColorJitter: hue values should be between/ });
  t.throws(() => new T.ColorJitter({ contrast: [1, 2, 3] as any }), { instanceOf: TypeError, message: /contrast should be a single number or a list\/tuple with length 2/ });
  t.throws(() => new T.RandomRotation(-5), { instanceOf: RangeError, message: /If degrees is a single number, it must be positive/ });
  t.throws(() => new T.RandomRotation(5, { fill: [1, 2] })(images.u8), { instanceOf: RangeError, message: /'fill' cannot broadcast to match the number of channels of the image \(2 != 3\)/ });
  t.throws(() => new T.RandomRotation(5, { interpolation: IM.BICUBIC })(images.u8), { instanceOf: RangeError, message: /Interpolation mode 'bicubic' is unsupported with Tensor input/ });
  t.throws(() => new T.RandomAffine(10, { translate: [0.5, 1.5] }), { instanceOf: RangeError, message: /translation values should be between 0 and 1/ });
  t.throws(() => new T.RandomAffine(10, { shear: [1, 2, 3] }), { instanceOf: RangeError, message: /shear should be a sequence of length 2 or 4/ });
  t.throws(() => F.affine(images.u8, 0, [1], 1, 0), { instanceOf: RangeError, message: /translate should be a sequence of length 2/ });
  t.throws(() => F.affine(images.u8, 0, [1, 1], 0, 0), { instanceOf: RangeError, message: /scale should be positive/ });
  t.throws(() => F.posterize(images.f32, 2), { instanceOf: TypeError, message: /Only torch.uint8 image tensors are supported, but found torch.float32/ });
  t.throws(() => F.posterize(images.u8, 9), { instanceOf: RangeError, message: /bits should be between 0 and 8. Got 9/ });
  t.throws(() => F.solarize(images.f32, 2), { instanceOf: TypeError, message: /Threshold should be less than bound of img/ });
  t.throws(() => F.equalize(images.u8_2d), { instanceOf: TypeError, message: /3 or 4 dimensions, but found 2/ });
  t.throws(() => new T.RandomInvert(2), { instanceOf: RangeError, message: /RandomInvert: p should be a probability/ });
  t.throws(() => new T.AutoAugment('imagenette' as any), { instanceOf: RangeError, message: /The provided policy imagenette is not recognized/ });
  t.throws(() => new T.RandAugment({ magnitude: 31 }), { instanceOf: RangeError, message: /magnitude 31 should be a bin in \[0, num_magnitude_bins = 31\)/ });
  t.throws(() => F.five_crop(images.u8, 7), { instanceOf: RangeError, message: /Requested crop size \(7, 7\) is bigger than input size \(6, 8\)/ });
  t.throws(() => F.perspective(images.f32, [[0, 0]], [[1, 1]]), { instanceOf: TypeError, message: /startpoints and endpoints should each be four \[x, y\] points/ });
  t.throws(() => new T.ElasticTransform({ alpha: [1, 2, 3] }), { instanceOf: RangeError, message: /If alpha is a sequence its length should be 2/ });
  t.throws(() => F.elastic_transform(images.f32, torch.zeros([1, 6, 8])), { instanceOf: RangeError, message: /displacement shape should be torch.Size\(\[1, 6, 8, 2\]\)/ });
  for (const [name, f] of [
    ['resize', () => new T.Resize(3)(images.u8_2d)],
    ['rotate', () => new T.RandomRotation(10)(images.u8_2d)],
    ['affine', () => new T.RandomAffine(10)(images.u8_2d)],
    ['gaussian_blur', () => new T.GaussianBlur(3)(images.u8_2d)],
    ['perspective', () => new T.RandomPerspective({ p: 1 })(images.u8_2d)],
  ] as const) {
    t.throws(f, { instanceOf: TypeError, message: new RegExp(`^${name}: expected a tensor image \\(\\.\\.\\., C, H, W\\), got shape torch.Size\\(\\[6, 8\\]\\)`) }, name);
  }
  t.throws(() => new T.GaussianBlur(4), { instanceOf: RangeError, message: /Kernel size value should be an odd and positive number/ });
  t.throws(() => new T.GaussianBlur(3, { sigma: [2, 1] }), { instanceOf: RangeError, message: /sigma values should be positive and of the form \(min, max\)/ });
  t.throws(() => new T.RandomErasing({ value: 'noise' as any }), { instanceOf: RangeError, message: /If value is str, it should be 'random'/ });
  t.throws(() => new T.RandomErasing({ p: 1, value: [1, 2] })(images.f32), { instanceOf: RangeError, message: /either a single value or 3 \(number of input channels\)/ });
  t.throws(() => new T.RandomErasing()(images.u8_2d), { instanceOf: TypeError, message: /RandomErasing: img should be a Tensor image/ });
  t.throws(() => new T.Grayscale(2), { instanceOf: RangeError, message: /num_output_channels should be either 1 or 3/ });
  t.throws(() => new T.Grayscale()(torch.zeros([2, 4, 4])), { instanceOf: TypeError, message: /permitted channel values are \[1, 3\], but found 2/ });
  t.throws(() => new T.ConvertImageDtype(torch.int32)(images.f32), { instanceOf: TypeError, message: /The cast from torch.float32 to torch.int32 cannot be performed safely/ });
  t.throws(() => F.hflip(torch.zeros([3])), { instanceOf: TypeError, message: /hflip: Tensor is not a torch image/ });
  t.throws(() => F.adjust_hue(images.f32, 0.7), { instanceOf: RangeError, message: /hue_factor \(0.7\) is not in \[-0.5, 0.5\]/ });
  t.throws(() => F.adjust_brightness(images.f32, -1), { instanceOf: RangeError, message: /brightness_factor \(-1\) is not non-negative/ });
  // @ts-expect-error: a surplus positional, as Python refuses it
  t.throws(() => F.resize(images.u8, 4, 'bilinear', null, null, 1), { instanceOf: TypeError });
  t.throws(() => F.normalize(images.u8, [0], [1]), { instanceOf: TypeError, message: /Input tensor should be a float tensor/ });
});

test('what changed after torchvision 0.14: ColorJitter bounds, ElasticTransform fills, NEAREST_EXACT', (t) => {
  if (!torchvisionAtLeast(15)) {
    // 0.14: T.ColorJitter(hue=0.7) -> ColorJitter(brightness=None, contrast=None, saturation=None, hue=[-0.7, 0.7])
    t.is(String(new T.ColorJitter({ hue: 0.7 })), 'ColorJitter(brightness=None, contrast=None, saturation=None, hue=[-0.7, 0.7])');
    // T.ElasticTransform(fill=[1, 2, 3]) -> TypeError: fill should be int or float. Got <class 'list'>
    t.throws(() => new T.ElasticTransform({ fill: [1, 2, 3] }), { instanceOf: TypeError, message: /ElasticTransform: fill should be int or float. Got an array/ });
    // T.InterpolationMode.NEAREST_EXACT -> AttributeError
    t.throws(() => new T.Resize(3, { interpolation: IM.NEAREST_EXACT }), { instanceOf: TypeError, message: /Resize: argument 'interpolation' should be an InterpolationMode/ });
    return;
  }
  // 0.21: T.ColorJitter(hue=0.7) -> ValueError: hue values should be between (-0.5, 0.5), but got [-0.7, 0.7].
  t.throws(() => new T.ColorJitter({ hue: 0.7 }), { instanceOf: RangeError, message: 'ColorJitter: hue values should be between (-0.5, 0.5), but got [-0.7, 0.7].' });
  // T.ColorJitter(brightness=[1, 2]) -> ColorJitter(brightness=(1.0, 2.0), contrast=None, saturation=None, hue=None)
  t.is(String(new T.ColorJitter({ brightness: [1, 2] })), 'ColorJitter(brightness=(1.0, 2.0), contrast=None, saturation=None, hue=None)');
  // T.ElasticTransform(fill=[1, 2, 3]) -> ElasticTransform(alpha=[50.0, 50.0], sigma=[5.0, 5.0], interpolation=InterpolationMode.BILINEAR, fill=[1.0, 2.0, 3.0])
  t.is(String(new T.ElasticTransform({ fill: [1, 2, 3] })), 'ElasticTransform(alpha=[50.0, 50.0], sigma=[5.0, 5.0], interpolation=InterpolationMode.BILINEAR, fill=[1.0, 2.0, 3.0])');
  t.deepEqual([...new T.ElasticTransform({ sigma: 0.5, fill: [1, 2, 3] })(images.f32).shape], [3, 6, 8]);
  // T.Resize([3, 7], interpolation=T.InterpolationMode.NEAREST_EXACT)(x) equals interpolate(x[None], size=[3, 7], mode='nearest-exact')[0]
  const resize = new T.Resize([3, 7], { interpolation: IM.NEAREST_EXACT });
  t.is(String(resize), `Resize(size=[3, 7], interpolation=nearest-exact, max_size=None, antialias=${torchvisionAtLeast(17) ? 'True' : 'None'})`);
  const x = torch.arange(120, { dtype: torch.float32 }).view(6, 4, 5).div(100);
  t.deepEqual(flatValues(resize(x)), flatValues(torch.nn.functional.interpolate(x.unsqueeze(0), { size: [3, 7], mode: 'nearest-exact' }).squeeze(0)));
});

test('a transform composes with plain functions and keeps no state between calls', (t) => {
  const pipeline = new T.Compose([new T.CenterCrop(4), (x: Tensor) => x.float().div(255)]);
  const out = pipeline(images.u8);
  t.deepEqual([...out.shape], [3, 4, 4]);
  t.deepEqual(flatValues(out), flatValues(F.center_crop(images.u8, 4).float().div(255)));
});

test('RandomChoice and RandomOrder refuse what torchvision refuses, and take keywords', (t) => {
  // T.RandomChoice(T.CenterCrop(4)) -> TypeError: Argument transforms should be a sequence
  t.throws(() => new T.RandomChoice(new T.CenterCrop(4) as any), { instanceOf: TypeError, message: /^RandomChoice: Argument transforms should be a sequence \(an array of callables\), got function$/ });
  t.throws(() => new T.RandomOrder([1, 2] as any), { instanceOf: TypeError, message: /^RandomOrder: Argument transforms should be a sequence/ });
  // T.RandomChoice([T.CenterCrop(4)], p=0.5) -> TypeError: Argument p should be a sequence
  t.throws(() => new T.RandomChoice([new T.CenterCrop(4)], 0.5 as any), { instanceOf: TypeError, message: 'RandomChoice: Argument p should be a sequence (an array of numbers), got number 0.5' });
  // torchvision raises this at the first call, from random.choices: The number of weights does not match the population
  t.throws(() => new T.RandomChoice([new T.CenterCrop(4)], [0.5, 0.5]), { instanceOf: RangeError, message: 'RandomChoice: p should have one weight per transform (1), got 2' });
  // T.RandomChoice([T.CenterCrop(4)], p=[0])(img) -> ValueError: Total of weights must be greater than zero
  t.throws(() => new T.RandomChoice([new T.CenterCrop(4)], [0])(images.u8), { instanceOf: RangeError, message: 'choices(): Total of weights must be greater than zero' });
  // T.RandomOrder([T.CenterCrop(4)], p=1) -> TypeError: RandomTransforms.__init__() got an unexpected keyword argument 'p' (nothing near enough to suggest)
  t.throws(() => new (T.RandomOrder as any)([new T.CenterCrop(4)], { p: 1 }), { instanceOf: TypeError, message: "RandomOrder() got an unexpected keyword argument 'p'" });
  // Python 3.13 (beside 2.6) suggests the nearest parameter of a transform's __init__; 3.11 (beside 1.13) does not.
  const didYouMean = (name: string) => (PYTHON_DEFS_SUGGEST_KEYWORDS ? `. Did you mean '${name}'?` : '');
  // T.Compose([], transform=[]) -> TypeError: Compose.__init__() got an unexpected keyword argument 'transform'. Did you mean 'transforms'?
  t.throws(() => new (T.Compose as any)([], { transform: [] }), { instanceOf: TypeError, message: `Compose() got an unexpected keyword argument 'transform'${didYouMean('transforms')}` });
  // T.RandomHorizontalFlip(P=0.5) -> TypeError: RandomHorizontalFlip.__init__() got an unexpected keyword argument 'P'. Did you mean 'p'?
  t.throws(() => new T.RandomHorizontalFlip({ P: 0.5 } as any), { instanceOf: TypeError, message: `RandomHorizontalFlip() got an unexpected keyword argument 'P'${didYouMean('p')}` });
  // T.AutoAugment(polcy='imagenet') -> TypeError: AutoAugment.__init__() got an unexpected keyword argument 'polcy'. Did you mean 'policy'?
  t.throws(() => new T.AutoAugment({ polcy: 'imagenet' } as any), { instanceOf: TypeError, message: `AutoAugment() got an unexpected keyword argument 'polcy'${didYouMean('policy')}` });
  // repr(T.RandomChoice(transforms=[T.CenterCrop(4)], p=[1])) -> 'RandomChoice(\n    CenterCrop(size=(4, 4))\n)(p=[1])'
  t.is(String(new T.RandomChoice({ transforms: [new T.CenterCrop(4)], p: [1] })), 'RandomChoice(\n    CenterCrop(size=(4, 4))\n)(p=[1])');
  t.is(String(new T.RandomOrder({ transforms: [new T.CenterCrop(4)] })), 'RandomOrder(\n    CenterCrop(size=(4, 4))\n)');
});
