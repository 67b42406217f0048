// torchvision.transforms.autoaugment: AutoAugment (the learned ImageNet,
// CIFAR10 and SVHN policies), RandAugment and TrivialAugmentWide, on
// tensors, drawing their ops and magnitudes from torch's generator as
// torchvision does (0.14 to 0.21: the same).
import { PYTHON_DEF, PythonArgParser } from '../../_arg_parser';
import { describeValue } from '../../_describe';
import { arange, rand, randint } from '../../factories';
import { type PyArgs } from '../../nn/modules/utils';
import torch from '../../index';
import type { Tensor } from '../../tensor';
import * as F from './functional';
import { type InterpolationMode } from './functional';
import { Transform } from './transforms';

/** torchvision's AutoAugmentPolicy: the data set a policy was learned on. */
export const AutoAugmentPolicy = { IMAGENET: 'imagenet', CIFAR10: 'cifar10', SVHN: 'svhn' } as const;
export type AutoAugmentPolicy = (typeof AutoAugmentPolicy)[keyof typeof AutoAugmentPolicy];

const POLICY_NAMES: Record<string, string> = { imagenet: 'IMAGENET', cifar10: 'CIFAR10', svhn: 'SVHN' };

/** math.degrees: x * (180 / pi). */
const degrees = (x: number) => x * (180 / Math.PI);

/** torchvision's _apply_op: one named operation at a magnitude. */
function applyOp(img: Tensor, op: string, magnitude: number, interpolation: InterpolationMode, fill: number[] | null): Tensor {
  switch (op) {
    case 'ShearX':
      return F._affine(img, 0.0, [0, 0], 1.0, [degrees(Math.atan(magnitude)), 0.0], interpolation, fill, [0, 0]);
    case 'ShearY':
      return F._affine(img, 0.0, [0, 0], 1.0, [0.0, degrees(Math.atan(magnitude))], interpolation, fill, [0, 0]);
    case 'TranslateX':
      return F._affine(img, 0.0, [Math.trunc(magnitude), 0], 1.0, [0.0, 0.0], interpolation, fill, null);
    case 'TranslateY':
      return F._affine(img, 0.0, [0, Math.trunc(magnitude)], 1.0, [0.0, 0.0], interpolation, fill, null);
    case 'Rotate':
      return F._rotate(img, magnitude, interpolation, false, null, fill);
    case 'Brightness':
      return F._adjust_brightness(img, 1.0 + magnitude);
    case 'Color':
      return F._adjust_saturation(img, 1.0 + magnitude);
    case 'Contrast':
      return F._adjust_contrast(img, 1.0 + magnitude);
    case 'Sharpness':
      return F._adjust_sharpness(img, 1.0 + magnitude);
    case 'Posterize':
      return F._posterize(img, Math.trunc(magnitude));
    case 'Solarize':
      return F._solarize(img, magnitude);
    case 'AutoContrast':
      return F._autocontrast(img);
    case 'Equalize':
      return F._equalize(img);
    case 'Invert':
      return F._invert(img);
    case 'Identity':
      return img;
    default:
      throw new RangeError(`The provided operator ${op} is not recognized.`);
  }
}

/** [magnitudes (a 1-D float tensor, or null for ops without one), signed]. */
type Space = [string, Tensor | null, boolean][];

const linspace = (a: number, b: number, n: number) => torch.linspace(a, b, n);
/** 8 - round(arange(n) / ((n - 1) / k)) as int: Posterize's bits. */
const posterizeBits = (n: number, k: number) => torch.rsub(arange(n).div((n - 1) / k).round().to(torch.int32), 8);

function fillFor(fill: number | number[] | null, channels: number): number[] | null {
  if (typeof fill === 'number') return new Array<number>(channels).fill(fill);
  return fill === null ? null : [...fill];
}

function checkFillArg(cls: string, fill: unknown): number | number[] | null {
  if (fill === null || typeof fill === 'number' || (Array.isArray(fill) && fill.every((f) => typeof f === 'number'))) return fill as number | number[] | null;
  throw new TypeError(`${cls}: fill should be a number, a list of numbers or null, got ${describeValue(fill)}`);
}

const pyFill = (fill: number | number[] | null) => (fill === null ? 'None' : Array.isArray(fill) ? `[${fill.join(', ')}]` : String(fill));
const pyMode = (m: InterpolationMode) => `InterpolationMode.${m.toUpperCase()}`;

type Policy = [[string, number, number | null], [string, number, number | null]][];

const POLICIES: Record<AutoAugmentPolicy, Policy> = {
  imagenet: [
    [['Posterize', 0.4, 8], ['Rotate', 0.6, 9]], [['Solarize', 0.6, 5], ['AutoContrast', 0.6, null]], [['Equalize', 0.8, null], ['Equalize', 0.6, null]],
    [['Posterize', 0.6, 7], ['Posterize', 0.6, 6]], [['Equalize', 0.4, null], ['Solarize', 0.2, 4]], [['Equalize', 0.4, null], ['Rotate', 0.8, 8]],
    [['Solarize', 0.6, 3], ['Equalize', 0.6, null]], [['Posterize', 0.8, 5], ['Equalize', 1.0, null]], [['Rotate', 0.2, 3], ['Solarize', 0.6, 8]],
    [['Equalize', 0.6, null], ['Posterize', 0.4, 6]], [['Rotate', 0.8, 8], ['Color', 0.4, 0]], [['Rotate', 0.4, 9], ['Equalize', 0.6, null]],
    [['Equalize', 0.0, null], ['Equalize', 0.8, null]], [['Invert', 0.6, null], ['Equalize', 1.0, null]], [['Color', 0.6, 4], ['Contrast', 1.0, 8]],
    [['Rotate', 0.8, 8], ['Color', 1.0, 2]], [['Color', 0.8, 8], ['Solarize', 0.8, 7]], [['Sharpness', 0.4, 7], ['Invert', 0.6, null]],
    [['ShearX', 0.6, 5], ['Equalize', 1.0, null]], [['Color', 0.4, 0], ['Equalize', 0.6, null]], [['Equalize', 0.4, null], ['Solarize', 0.2, 4]],
    [['Solarize', 0.6, 5], ['AutoContrast', 0.6, null]], [['Invert', 0.6, null], ['Equalize', 1.0, null]], [['Color', 0.6, 4], ['Contrast', 1.0, 8]],
    [['Equalize', 0.8, null], ['Equalize', 0.6, null]],
  ],
  cifar10: [
    [['Invert', 0.1, null], ['Contrast', 0.2, 6]], [['Rotate', 0.7, 2], ['TranslateX', 0.3, 9]], [['Sharpness', 0.8, 1], ['Sharpness', 0.9, 3]],
    [['ShearY', 0.5, 8], ['TranslateY', 0.7, 9]], [['AutoContrast', 0.5, null], ['Equalize', 0.9, null]], [['ShearY', 0.2, 7], ['Posterize', 0.3, 7]],
    [['Color', 0.4, 3], ['Brightness', 0.6, 7]], [['Sharpness', 0.3, 9], ['Brightness', 0.7, 9]], [['Equalize', 0.6, null], ['Equalize', 0.5, null]],
    [['Contrast', 0.6, 7], ['Sharpness', 0.6, 5]], [['Color', 0.7, 7], ['TranslateX', 0.5, 8]], [['Equalize', 0.3, null], ['AutoContrast', 0.4, null]],
    [['TranslateY', 0.4, 3], ['Sharpness', 0.2, 6]], [['Brightness', 0.9, 6], ['Color', 0.2, 8]], [['Solarize', 0.5, 2], ['Invert', 0.0, null]],
    [['Equalize', 0.2, null], ['AutoContrast', 0.6, null]], [['Equalize', 0.2, null], ['Equalize', 0.6, null]], [['Color', 0.9, 9], ['Equalize', 0.6, null]],
    [['AutoContrast', 0.8, null], ['Solarize', 0.2, 8]], [['Brightness', 0.1, 3], ['Color', 0.7, 0]], [['Solarize', 0.4, 5], ['AutoContrast', 0.9, null]],
    [['TranslateY', 0.9, 9], ['TranslateY', 0.7, 9]], [['AutoContrast', 0.9, null], ['Solarize', 0.8, 3]], [['Equalize', 0.8, null], ['Invert', 0.1, null]],
    [['TranslateY', 0.7, 9], ['AutoContrast', 0.9, null]],
  ],
  svhn: [
    [['ShearX', 0.9, 4], ['Invert', 0.2, null]], [['ShearY', 0.9, 8], ['Invert', 0.7, null]], [['Equalize', 0.6, null], ['Solarize', 0.6, 6]],
    [['Invert', 0.9, null], ['Equalize', 0.6, null]], [['Equalize', 0.6, null], ['Rotate', 0.9, 3]], [['ShearX', 0.9, 4], ['AutoContrast', 0.8, null]],
    [['ShearY', 0.9, 8], ['Invert', 0.4, null]], [['ShearY', 0.9, 5], ['Solarize', 0.2, 6]], [['Invert', 0.9, null], ['AutoContrast', 0.8, null]],
    [['Equalize', 0.6, null], ['Rotate', 0.9, 3]], [['ShearX', 0.9, 4], ['Solarize', 0.3, 3]], [['ShearY', 0.8, 8], ['Invert', 0.7, null]],
    [['Equalize', 0.9, null], ['TranslateY', 0.6, 6]], [['Invert', 0.9, null], ['Equalize', 0.6, null]], [['Contrast', 0.3, 3], ['Rotate', 0.8, 4]],
    [['Invert', 0.8, null], ['TranslateY', 0.0, 2]], [['ShearY', 0.7, 6], ['Solarize', 0.4, 8]], [['Invert', 0.6, null], ['Rotate', 0.8, 4]],
    [['ShearY', 0.3, 7], ['TranslateX', 0.9, 3]], [['ShearX', 0.1, 6], ['Invert', 0.6, null]], [['Solarize', 0.7, 2], ['TranslateY', 0.6, 7]],
    [['ShearY', 0.8, 4], ['Invert', 0.8, null]], [['ShearX', 0.7, 9], ['TranslateY', 0.8, 3]], [['ShearY', 0.8, 5], ['AutoContrast', 0.7, null]],
    [['ShearX', 0.7, 2], ['Invert', 0.1, null]],
  ],
};

/** AutoAugment's and RandAugment's operations: magnitudes over num_bins for an image of image_size [h, w]. */
function autoSpace(numBins: number, imageSize: [number, number], identity: boolean): Space {
  const space: Space = [
    ['ShearX', linspace(0.0, 0.3, numBins), true],
    ['ShearY', linspace(0.0, 0.3, numBins), true],
    ['TranslateX', linspace(0.0, (150.0 / 331.0) * imageSize[1], numBins), true],
    ['TranslateY', linspace(0.0, (150.0 / 331.0) * imageSize[0], numBins), true],
    ['Rotate', linspace(0.0, 30.0, numBins), true],
    ['Brightness', linspace(0.0, 0.9, numBins), true],
    ['Color', linspace(0.0, 0.9, numBins), true],
    ['Contrast', linspace(0.0, 0.9, numBins), true],
    ['Sharpness', linspace(0.0, 0.9, numBins), true],
    ['Posterize', posterizeBits(numBins, 4), false],
    ['Solarize', linspace(255.0, 0.0, numBins), false],
    ['AutoContrast', null, false],
    ['Equalize', null, false],
  ];
  return identity ? [['Identity', null, false], ...space] : [...space, ['Invert', null, false]];
}

// Python classes: an unknown keyword's message suggests the nearest parameter as CPython 3.13 does (_arg_parser.ts).

const autoAugmentArgs = new PythonArgParser(["AutoAugment(str policy='imagenet', str interpolation='nearest', Any fill=None)"], PYTHON_DEF);

/**
 * AutoAugment (Cubuk et al., 2019): one of the policy's 25 sub-policies,
 * drawn by torch.randint; each of its two ops applied when its
 * torch.rand draw is at most the op's probability, its sign drawn by
 * torch.randint(2). Expects uint8 images (Solarize's thresholds are 0-255).
 */
export class AutoAugment extends Transform {
  readonly policy: AutoAugmentPolicy;
  readonly interpolation: InterpolationMode;
  readonly fill: number | number[] | null;
  readonly policies: Policy;

  constructor(...args: PyArgs<[], [policy: AutoAugmentPolicy, interpolation: InterpolationMode, fill: number | number[] | null], { policy: AutoAugmentPolicy; interpolation: InterpolationMode; fill: number | number[] | null }>);
  constructor(...args: unknown[]) {
    const a = autoAugmentArgs.parseNamed(args) as unknown as { policy: string; interpolation: unknown; fill: unknown };
    if (!(a.policy in POLICIES)) throw new RangeError(`AutoAugment: The provided policy ${a.policy} is not recognized; expected one of ${Object.keys(POLICIES).map((p) => `'${p}'`).join(', ')}`);
    const interpolation = F._checkInterpolation('AutoAugment', a.interpolation);
    const fill = checkFillArg('AutoAugment', a.fill);
    super();
    this.policy = a.policy as AutoAugmentPolicy;
    this.interpolation = interpolation;
    this.fill = fill;
    this.policies = POLICIES[this.policy];
  }

  /** [sub-policy index, two probabilities, two signs], as torchvision draws them. */
  static get_params(transform_num: number): [number, Tensor, Tensor] {
    const policyId = Number(randint(transform_num, [1]).item());
    const probs = rand([2]);
    const signs = randint(2, [2]);
    return [policyId, probs, signs];
  }

  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.get_dimensions(img);
    const fill = fillFor(this.fill, channels);
    const [id, probs, signs] = AutoAugment.get_params(this.policies.length);
    const space = new Map(autoSpace(10, [height, width], false).map(([name, m, s]) => [name, [m, s] as const]));
    let x = img;
    this.policies[id].forEach(([op, p, magnitudeId], i) => {
      // probs[i] <= p compares in float32, as the tensor does in Python.
      if (!probs.select(0, i).le(p).item()) return;
      const [magnitudes, signed] = space.get(op)!;
      let magnitude = magnitudeId !== null && magnitudes !== null ? (magnitudes.select(0, magnitudeId).item() as number) : 0.0;
      if (signed && Number(signs.select(0, i).item()) === 0) magnitude *= -1.0;
      x = applyOp(x, op, magnitude, this.interpolation, fill);
    });
    return x;
  }

  override toString(): string {
    return `AutoAugment(policy=AutoAugmentPolicy.${POLICY_NAMES[this.policy]}, fill=${pyFill(this.fill)})`;
  }
}

interface RandAugmentOptions {
  num_ops?: number;
  magnitude?: number;
  num_magnitude_bins?: number;
  interpolation?: InterpolationMode;
  fill?: number | number[] | null;
}
const randAugmentArgs = new PythonArgParser(["RandAugment(int num_ops=2, int magnitude=9, int num_magnitude_bins=31, str interpolation='nearest', Any fill=None)"], PYTHON_DEF);

/**
 * RandAugment (Cubuk et al., 2020): num_ops operations, each drawn by
 * torch.randint over the 14 ops, at the fixed magnitude bin, its sign by
 * torch.randint(2).
 */
export class RandAugment extends Transform {
  readonly num_ops: number;
  readonly magnitude: number;
  readonly num_magnitude_bins: number;
  readonly interpolation: InterpolationMode;
  readonly fill: number | number[] | null;

  constructor(...args: PyArgs<[], [num_ops: number, magnitude: number, num_magnitude_bins: number, interpolation: InterpolationMode, fill: number | number[] | null], RandAugmentOptions>);
  constructor(...args: unknown[]) {
    const a = randAugmentArgs.parseNamed(args) as unknown as Required<RandAugmentOptions>;
    const interpolation = F._checkInterpolation('RandAugment', a.interpolation);
    const fill = checkFillArg('RandAugment', a.fill);
    if (!(a.magnitude >= 0 && a.magnitude < a.num_magnitude_bins)) throw new RangeError(`RandAugment: magnitude ${a.magnitude} should be a bin in [0, num_magnitude_bins = ${a.num_magnitude_bins})`);
    super();
    this.num_ops = a.num_ops;
    this.magnitude = a.magnitude;
    this.num_magnitude_bins = a.num_magnitude_bins;
    this.interpolation = interpolation;
    this.fill = fill;
  }

  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.get_dimensions(img);
    const fill = fillFor(this.fill, channels);
    const space = autoSpace(this.num_magnitude_bins, [height, width], true);
    let x = img;
    for (let k = 0; k < this.num_ops; k++) {
      const [op, magnitudes, signed] = space[Number(randint(space.length, [1]).item())];
      let magnitude = magnitudes !== null ? (magnitudes.select(0, this.magnitude).item() as number) : 0.0;
      if (signed && Number(randint(2, [1]).item())) magnitude *= -1.0;
      x = applyOp(x, op, magnitude, this.interpolation, fill);
    }
    return x;
  }

  override toString(): string {
    return `RandAugment(num_ops=${this.num_ops}, magnitude=${this.magnitude}, num_magnitude_bins=${this.num_magnitude_bins}, interpolation=${pyMode(this.interpolation)}, fill=${pyFill(this.fill)})`;
  }
}

interface TrivialAugmentWideOptions {
  num_magnitude_bins?: number;
  interpolation?: InterpolationMode;
  fill?: number | number[] | null;
}
const trivialArgs = new PythonArgParser(["TrivialAugmentWide(int num_magnitude_bins=31, str interpolation='nearest', Any fill=None)"], PYTHON_DEF);

/** TrivialAugment Wide (Müller and Hutter, 2021): one op by torch.randint, a magnitude bin by torch.randint, a sign by torch.randint(2). */
export class TrivialAugmentWide extends Transform {
  readonly num_magnitude_bins: number;
  readonly interpolation: InterpolationMode;
  readonly fill: number | number[] | null;

  constructor(...args: PyArgs<[], [num_magnitude_bins: number, interpolation: InterpolationMode, fill: number | number[] | null], TrivialAugmentWideOptions>);
  constructor(...args: unknown[]) {
    const a = trivialArgs.parseNamed(args) as unknown as Required<TrivialAugmentWideOptions>;
    const interpolation = F._checkInterpolation('TrivialAugmentWide', a.interpolation);
    const fill = checkFillArg('TrivialAugmentWide', a.fill);
    if (!(a.num_magnitude_bins >= 2)) throw new RangeError(`TrivialAugmentWide: num_magnitude_bins should be at least 2, got ${a.num_magnitude_bins}`);
    super();
    this.num_magnitude_bins = a.num_magnitude_bins;
    this.interpolation = interpolation;
    this.fill = fill;
  }

  forward(img: Tensor): Tensor {
    const [channels] = F.get_dimensions(img);
    const fill = fillFor(this.fill, channels);
    const n = this.num_magnitude_bins;
    const space: Space = [
      ['Identity', null, false],
      ['ShearX', linspace(0.0, 0.99, n), true],
      ['ShearY', linspace(0.0, 0.99, n), true],
      ['TranslateX', linspace(0.0, 32.0, n), true],
      ['TranslateY', linspace(0.0, 32.0, n), true],
      ['Rotate', linspace(0.0, 135.0, n), true],
      ['Brightness', linspace(0.0, 0.99, n), true],
      ['Color', linspace(0.0, 0.99, n), true],
      ['Contrast', linspace(0.0, 0.99, n), true],
      ['Sharpness', linspace(0.0, 0.99, n), true],
      ['Posterize', posterizeBits(n, 6), false],
      ['Solarize', linspace(255.0, 0.0, n), false],
      ['AutoContrast', null, false],
      ['Equalize', null, false],
    ];
    const [op, magnitudes, signed] = space[Number(randint(space.length, [1]).item())];
    let magnitude = magnitudes !== null ? (magnitudes.select(0, Number(randint(magnitudes.size(0), [1]).item())).item() as number) : 0.0;
    if (signed && Number(randint(2, [1]).item())) magnitude *= -1.0;
    return applyOp(img, op, magnitude, this.interpolation, fill);
  }

  override toString(): string {
    return `TrivialAugmentWide(num_magnitude_bins=${this.num_magnitude_bins}, interpolation=${pyMode(this.interpolation)}, fill=${pyFill(this.fill)})`;
  }
}

