// torchvision.transforms for tensors: ToTensor, Normalize, Compose, Lambda.
// An "image" here is a uint8 tensor (H, W) or (H, W, C), what PIL holds in
// Python. Each transform is callable; those that can also take a whole
// batch (N, ...) at once let datasets batch with one native call.
import { PYTHON_DEF, PythonArgParser, splitKeywords } from '../../_arg_parser';
import { inspect } from 'node:util';

import { describeValue } from '../../_describe';
import { pyFloatRepr } from '../../_pyformat';
import { parseNamedLeading, type PyArgs } from '../../nn/modules/utils';
import { empty, rand, randint, randperm } from '../../factories';
import torch from '../../index';
import * as F from './functional';
import * as pyrandom from '../../python/random';
import { _ANTIALIAS_DEFAULT_PY, _setupSize, type InterpolationMode } from './functional';
import { torchvisionAtLeast } from '../version';

import { float32, get_default_dtype, type dtype } from '../../dtype';
import { tensor } from '../../factories';
import { Tensor } from '../../tensor';

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Transform {
  /** Applies forward(): typed by this transform's forward(). */
  (input: Parameters<this['forward']>[0]): ReturnType<this['forward']>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Transform {
  constructor() {
    const self = ((input: unknown) => (self as Transform).forward(input)) as unknown as Transform;
    delete (self as { name?: string }).name;
    delete (self as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    return self;
  }

  abstract forward(input: any): any;

  /** The transform applied to a batch (N, ...) at once, or null when it only takes one item. */
  batched(): ((batch: any) => any) | null {
    return null;
  }

  toString(): string {
    return `${this.constructor.name}()`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function checkImage(x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`ToTensor: pic should be a uint8 image Tensor (H, W) or (H, W, C). Got ${x === null ? 'null' : typeof x}`);
  return x;
}

// Every transform is a Python class: an unknown keyword's message suggests the
// nearest parameter as CPython 3.13 does (_arg_parser.ts).

const toTensorArgs = new PythonArgParser(['ToTensor()'], PYTHON_DEF);
const normalizeArgs = new PythonArgParser(['Normalize(float[] mean, float[] std, bool inplace=False)'], PYTHON_DEF);
const composeArgs = new PythonArgParser(['Compose(Any transforms)'], PYTHON_DEF);
const lambdaArgs = new PythonArgParser(['Lambda(Any lambd)'], PYTHON_DEF);

/** uint8 (H, W) or (H, W, C) -> float (C, H, W) in [0, 1], as torchvision's ToTensor on a PIL image. */
export class ToTensor extends Transform {
  /** torchvision's ToTensor() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    toTensorArgs.parse(args);
    super();
  }

  forward(pic: Tensor): Tensor {
    const x = checkImage(pic);
    if (x.ndim !== 2 && x.ndim !== 3) throw new RangeError(`ToTensor: pic should be 2 or 3 dimensional. Got ${x.ndim} dimensions.`);
    return scale(x.ndim === 2 ? x.unsqueeze(0) : x.permute(2, 0, 1).contiguous());
  }

  override batched(): (batch: Tensor) => Tensor {
    return (batch) => {
      const x = checkImage(batch);
      if (x.ndim === 3) return scale(x.unsqueeze(1));
      if (x.ndim === 4) return scale(x.permute(0, 3, 1, 2).contiguous());
      throw new RangeError(`ToTensor: a batch should be (N, H, W) or (N, H, W, C). Got ${x.ndim} dimensions.`);
    };
  }
}

function scale(x: Tensor): Tensor {
  return x.dtype.name === 'uint8' ? x.to(get_default_dtype()).div(255) : x.to(get_default_dtype());
}

/** (x - mean[c]) / std[c] for each channel c of a (..., C, H, W) float tensor. */
export class Normalize extends Transform {
  readonly mean: number[];
  readonly std: number[];
  readonly inplace: boolean;
  private readonly stdCheckedFor = new Set<dtype>();

  /** torchvision's Normalize(mean, std, inplace=False): one mean and std per channel. */
  constructor(mean: number[], std: number[], inplace?: boolean);
  constructor(mean: number[], std: number[], options: { inplace?: boolean });
  constructor(options: { mean: number[]; std: number[]; inplace?: boolean });
  constructor(...args: unknown[]) {
    const { mean, std, inplace } = normalizeArgs.parseNamed(args) as unknown as { mean: number[]; std: number[]; inplace: boolean };
    super();
    if (std.some((s) => s === 0)) throw new RangeError(`std evaluated to zero after conversion to ${String(float32)}, leading to division by zero.`);
    this.mean = mean;
    this.std = std;
    this.inplace = inplace;
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || !x.is_floating_point()) throw new TypeError('Normalize: input tensor should be a float tensor. Got ' + (x instanceof Tensor ? String(x.dtype) : typeof x));
    if (x.ndim < 3) throw new RangeError(`Normalize: expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = ${String(x.shape)}`);
    const out = this.inplace ? x : x.clone();
    const mean = tensor(this.mean, { dtype: x.dtype }).view(-1, 1, 1);
    const std = tensor(this.std, { dtype: x.dtype }).view(-1, 1, 1);
    // As torchvision checks it: a std that is not 0 as a JS number can still be 0 in the image's dtype
    // (1e-50 in float32). Once per dtype: the batched form runs this for every batch.
    if (!this.stdCheckedFor.has(x.dtype)) {
      if (std.eq(0).any().item()) {
        throw new RangeError(`Normalize: std evaluated to zero after conversion to ${String(x.dtype)}, leading to division by zero.`);
      }
      this.stdCheckedFor.add(x.dtype);
    }
    return out.sub_(mean).div_(std);
  }

  override batched(): (batch: Tensor) => Tensor {
    return (batch) => this.forward(batch);
  }

  override toString(): string {
    const tuple = (v: number[]) => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;
    return `Normalize(mean=${tuple(this.mean)}, std=${tuple(this.std)})`;
  }
}

type Callable = (x: any) => any;

/** What the last of the transforms returns: what Compose returns. */
type ComposedOutput<Ts extends Callable[]> = Ts extends [...Callable[], infer Last extends Callable] ? ReturnType<Last> : unknown;

/** Transforms applied one after another. */
export class Compose<Ts extends Callable[] = Callable[]> extends Transform {
  readonly transforms: Ts;

  /** torchvision's Compose(transforms). */
  constructor(transforms: [...Ts]);
  constructor(...args: unknown[]) {
    const { transforms } = composeArgs.parseNamed(args) as unknown as { transforms: Ts };
    super();
    if (!Array.isArray(transforms) || transforms.some((f) => typeof f !== 'function')) {
      throw new TypeError('Compose: transforms must be an array of callables');
    }
    this.transforms = transforms;
  }

  forward(x: Parameters<Ts[0]>[0]): ComposedOutput<Ts> {
    let out = x;
    for (const t of this.transforms) out = t(out);
    return out;
  }

  override batched(): ((batch: unknown) => unknown) | null {
    const steps = this.transforms.map((t) => (t instanceof Transform ? t.batched() : null));
    if (steps.some((s) => s === null)) return null;
    return (batch) => steps.reduce((out, step) => step!(out), batch);
  }

  override toString(): string {
    return `Compose(\n${this.transforms.map((t) => `    ${String(t)}`).join('\n')}\n)`;
  }
}

/** A user function as a transform. */
export class Lambda<In = any, Out = unknown> extends Transform {
  readonly lambd: (x: In) => Out;

  /** torchvision's Lambda(lambd). */
  constructor(lambd: (x: In) => Out);
  constructor(...args: unknown[]) {
    const { lambd } = lambdaArgs.parseNamed(args) as unknown as { lambd: (x: In) => Out };
    super();
    this.lambd = lambd;
    if (typeof lambd !== 'function') throw new TypeError(`Argument lambd should be callable, got ${typeof lambd}`);
  }

  forward(x: In): Out {
    return this.lambd(x);
  }
}

// ---------------------------------------------------------------- torchvision's tensor transforms
//
// Each follows torchvision/transforms/transforms.py: the same checks, the
// same random draws from torch's default generator in the same order (so
// torch.manual_seed(s) gives the same crops, flips and angles as Python),
// and the same repr, as the torchvision paired with the loaded libtorch
// (../version.ts) has them.

function checkProbability(cls: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${cls}: p should be a probability in [0, 1], got ${String(p)}`);
  return p;
}

/** Python's repr of a number as torchvision stored it: an int as an int, a float with its point. */
function pyNum(v: number, isFloat: boolean): string {
  return isFloat ? pyFloatRepr(v) : String(v);
}

/** Python's repr of a list or tuple of numbers. */
function pySeq(v: readonly number[], tuple: boolean, isFloat = false): string {
  const items = v.map((x) => pyNum(x, isFloat || !Number.isInteger(x)));
  return tuple ? `(${items.join(', ')}${v.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`;
}

/** A value as given by the user, printed as Python prints it (an array as a list). */
function pyGiven(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNum(v, !Number.isInteger(v));
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(pyGiven).join(', ')}]`;
  return String(v);
}

/** Whether the call gave the parameter at position (or by name): Python keeps a given list as a list, its defaults are tuples. */
function wasGiven(args: readonly unknown[], position: number, name: string): boolean {
  const [positional, keywords] = splitKeywords(args);
  return positional.length > position || (keywords !== undefined && name in keywords);
}

/** torchvision's _setup_size, remembering whether Python would hold a tuple (from an int) or the list as given. */
function setupSize(cls: string, size: unknown): { size: [number, number]; repr: string } {
  const hw = _setupSize(cls, size);
  const tuple = typeof size === 'number' || (Array.isArray(size) && size.length === 1);
  return { size: hw, repr: pySeq(hw, tuple) };
}

const pilToTensorArgs = new PythonArgParser(['PILToTensor()'], PYTHON_DEF);
/** A PIL-like uint8 (H, W) or (H, W, C) image to a (C, H, W) tensor of the same dtype, unscaled. */
export class PILToTensor extends Transform {
  constructor(...args: []);
  constructor(...args: unknown[]) {
    pilToTensorArgs.parse(args);
    super();
  }

  forward(pic: Tensor): Tensor {
    return F.pil_to_tensor(pic);
  }
}

const toPilImageArgs = new PythonArgParser(['ToPILImage(str? mode=None)'], PYTHON_DEF);
/**
 * A (C, H, W) or (H, W) tensor to the image PIL would hold (F.to_pil_image):
 * (H, W) or (H, W, C) on the CPU, the mode inferred from the channels and
 * dtype, or given.
 */
export class ToPILImage extends Transform {
  readonly mode: F.PILMode | null;

  /** torchvision's ToPILImage(mode=None). */
  constructor(...args: PyArgs<[], [mode: F.PILMode | null], { mode: F.PILMode | null }>);
  constructor(...args: unknown[]) {
    const { mode } = toPilImageArgs.parseNamed(args) as unknown as { mode: F.PILMode | null };
    super();
    this.mode = mode;
  }

  forward(pic: Tensor): Tensor {
    return F._to_pil_image(pic, this.mode, 'ToPILImage');
  }

  override toString(): string {
    return `ToPILImage(${this.mode === null ? '' : `mode=${this.mode}`})`;
  }
}

const convertDtypeArgs = new PythonArgParser(['ConvertImageDtype(ScalarType dtype)'], PYTHON_DEF);
/** An image to dtype, values rescaled to its range (F.convert_image_dtype). */
export class ConvertImageDtype extends Transform {
  readonly dtype: dtype;

  constructor(dtype: dtype);
  constructor(options: { dtype: dtype });
  constructor(...args: unknown[]) {
    const { dtype } = convertDtypeArgs.parseNamed(args) as unknown as { dtype: dtype };
    super();
    this.dtype = dtype;
  }

  forward(image: Tensor): Tensor {
    return F._convert_image_dtype(image, this.dtype);
  }

  override toString(): string {
    return `ConvertImageDtype()`;
  }
}

interface ResizeOptions {
  interpolation?: InterpolationMode;
  max_size?: number | null;
  antialias?: boolean | null;
}
const resizeArgs = new PythonArgParser([`Resize(Any size, str interpolation='bilinear', int? max_size=None, bool? antialias=${_ANTIALIAS_DEFAULT_PY})`], PYTHON_DEF);
/**
 * Resizes (..., H, W) to size: [h, w], or an int for the smaller edge
 * (aspect ratio kept). Tensor path: interpolate with align_corners=False;
 * antialias is on by default from torchvision 0.17 (None, off, before).
 */
export class Resize extends Transform {
  readonly size: number | number[];
  readonly interpolation: InterpolationMode;
  readonly max_size: number | null;
  readonly antialias: boolean | null;

  constructor(...args: PyArgs<[size: number | number[]], [interpolation: InterpolationMode, max_size: number | null, antialias: boolean | null], ResizeOptions & { size: number | number[] }>);
  constructor(...args: unknown[]) {
    const a = resizeArgs.parseNamed(args) as unknown as Required<ResizeOptions> & { size: number | number[] };
    super();
    F._checkSize('Resize', a.size);
    this.size = a.size;
    this.interpolation = F._checkInterpolation('Resize', a.interpolation);
    this.max_size = a.max_size;
    this.antialias = a.antialias;
  }

  forward(img: Tensor): Tensor {
    return F._resize(img, this.size, this.interpolation, this.max_size, this.antialias);
  }

  override toString(): string {
    return `Resize(size=${pyGiven(this.size)}, interpolation=${this.interpolation}, max_size=${pyGiven(this.max_size)}, antialias=${pyGiven(this.antialias)})`;
  }
}

const centerCropArgs = new PythonArgParser(['CenterCrop(Any size)'], PYTHON_DEF);
/** The central crop of size [h, w] (an int for a square); smaller images are zero-padded. */
export class CenterCrop extends Transform {
  readonly size: [number, number];
  private readonly sizeRepr: string;

  constructor(...args: PyArgs<[size: number | number[]], [], { size: number | number[] }>);
  constructor(...args: unknown[]) {
    const { size } = centerCropArgs.parseNamed(args) as unknown as { size: number | number[] };
    super();
    ({ size: this.size, repr: this.sizeRepr } = setupSize('CenterCrop', size));
  }

  forward(img: Tensor): Tensor {
    return F._center_crop(img, this.size);
  }

  override toString(): string {
    return `CenterCrop(size=${this.sizeRepr})`;
  }
}

function checkPadArgs(cls: string, padding: unknown, fill: unknown, paddingMode: unknown): void {
  if (!(typeof padding === 'number' || Array.isArray(padding))) throw new TypeError(`${cls}: Got inappropriate padding arg: ${describeValue(padding)}`);
  if (!(typeof fill === 'number' || Array.isArray(fill))) throw new TypeError(`${cls}: Got inappropriate fill arg: ${describeValue(fill)}`);
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(paddingMode as string)) throw new RangeError(`${cls}: Padding mode should be either constant, edge, reflect or symmetric, got '${String(paddingMode)}'`);
  if (Array.isArray(padding) && ![1, 2, 4].includes(padding.length)) throw new RangeError(`${cls}: Padding must be an int or a 1, 2, or 4 element tuple, not a ${padding.length} element tuple`);
}

function fillForTensor(cls: string, fill: number | number[]): number {
  // torchvision's tensor pad takes one number; a per-channel list is for PIL images.
  if (typeof fill === 'number') return fill;
  throw new TypeError(`${cls}: fill for a tensor image must be a number, got a list [${fill.join(', ')}] (per-channel fill is for PIL images)`);
}

type PaddingMode = F.PaddingMode;
interface PadOptions {
  fill?: number | number[];
  padding_mode?: PaddingMode;
}
const padArgs = new PythonArgParser(["Pad(Any padding, Any fill=0, str padding_mode='constant')"], PYTHON_DEF);
/** Pads the borders: padding an int, [lr, tb] or [left, top, right, bottom]; padding_mode constant, edge, reflect or symmetric. */
export class Pad extends Transform {
  readonly padding: number | number[];
  readonly fill: number | number[];
  readonly padding_mode: PaddingMode;

  constructor(...args: PyArgs<[padding: number | number[]], [fill: number | number[], padding_mode: PaddingMode], PadOptions & { padding: number | number[] }>);
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(padArgs, args, (v) => Array.isArray(v)) as unknown as Required<PadOptions> & { padding: number | number[] };
    checkPadArgs('Pad', a.padding, a.fill, a.padding_mode);
    super();
    this.padding = a.padding;
    this.fill = a.fill;
    this.padding_mode = a.padding_mode;
  }

  forward(img: Tensor): Tensor {
    return F._pad(img, this.padding, fillForTensor('Pad', this.fill), this.padding_mode);
  }

  override toString(): string {
    return `Pad(padding=${pyGiven(this.padding)}, fill=${pyGiven(this.fill)}, padding_mode=${this.padding_mode})`;
  }
}

interface RandomCropOptions {
  padding?: number | number[] | null;
  pad_if_needed?: boolean;
  fill?: number | number[];
  padding_mode?: PaddingMode;
}
const randomCropArgs = new PythonArgParser(["RandomCrop(Any size, Any padding=None, bool pad_if_needed=False, Any fill=0, str padding_mode='constant')"], PYTHON_DEF);
/**
 * A crop of size [h, w] at a random place: top torch.randint(0, H - h + 1),
 * then left torch.randint(0, W - w + 1); padding first if given, and
 * pad_if_needed pads an image smaller than size.
 */
export class RandomCrop extends Transform {
  readonly size: [number, number];
  readonly padding: number | number[] | null;
  readonly pad_if_needed: boolean;
  readonly fill: number | number[];
  readonly padding_mode: PaddingMode;

  constructor(
    ...args: PyArgs<[size: number | number[]], [padding: number | number[] | null, pad_if_needed: boolean, fill: number | number[], padding_mode: PaddingMode], RandomCropOptions & { size: number | number[] }>
  );
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(randomCropArgs, args, (v) => Array.isArray(v)) as unknown as Required<RandomCropOptions> & { size: number | number[] };
    if (a.padding !== null) checkPadArgs('RandomCrop', a.padding, a.fill, a.padding_mode);
    super();
    this.size = setupSize('RandomCrop', a.size).size;
    this.padding = a.padding;
    this.pad_if_needed = a.pad_if_needed;
    this.fill = a.fill;
    this.padding_mode = a.padding_mode;
  }

  /** [top, left, h, w] of a random crop of output_size [h, w]. */
  static get_params(img: Tensor, output_size: [number, number]): [number, number, number, number] {
    const [, h, w] = F.get_dimensions(img);
    const [th, tw] = output_size;
    if (h < th || w < tw) throw new RangeError(`RandomCrop: Required crop size (${th}, ${tw}) is larger than input image size (${h}, ${w})`);
    if (w === tw && h === th) return [0, 0, h, w];
    const i = Number(randint(0, h - th + 1, [1]).item());
    const j = Number(randint(0, w - tw + 1, [1]).item());
    return [i, j, th, tw];
  }

  forward(img: Tensor): Tensor {
    let x = img;
    const fill = () => fillForTensor('RandomCrop', this.fill);
    if (this.padding !== null) x = F._pad(x, this.padding, fill(), this.padding_mode);
    const [, height, width] = F.get_dimensions(x);
    if (this.pad_if_needed && width < this.size[1]) x = F._pad(x, [this.size[1] - width, 0], fill(), this.padding_mode);
    if (this.pad_if_needed && height < this.size[0]) x = F._pad(x, [0, this.size[0] - height], fill(), this.padding_mode);
    const [i, j, h, w] = RandomCrop.get_params(x, this.size);
    return F._crop(x, i, j, h, w);
  }

  override toString(): string {
    return `RandomCrop(size=${pySeq(this.size, true)}, padding=${pyGiven(this.padding)})`;
  }
}

const flipArgs = new Map<string, PythonArgParser>();
function flipP(cls: string, args: unknown[]): number {
  let parser = flipArgs.get(cls);
  if (!parser) flipArgs.set(cls, (parser = new PythonArgParser([`${cls}(float p=0.5)`], PYTHON_DEF)));
  return checkProbability(cls, (parser.parseNamed(args) as unknown as { p: number }).p);
}

/** Mirrors left to right when torch.rand(1) < p. */
export class RandomHorizontalFlip extends Transform {
  readonly p: number;

  constructor(...args: PyArgs<[], [p: number], { p: number }>);
  constructor(...args: unknown[]) {
    const p = flipP('RandomHorizontalFlip', args);
    super();
    this.p = p;
  }

  forward(img: Tensor): Tensor {
    return rand(1).lt(this.p).item() ? F.hflip(img) : img;
  }

  override toString(): string {
    return `RandomHorizontalFlip(p=${pyFloatRepr(this.p)})`;
  }
}

/** Mirrors top to bottom when torch.rand(1) < p. */
export class RandomVerticalFlip extends Transform {
  readonly p: number;

  constructor(...args: PyArgs<[], [p: number], { p: number }>);
  constructor(...args: unknown[]) {
    const p = flipP('RandomVerticalFlip', args);
    super();
    this.p = p;
  }

  forward(img: Tensor): Tensor {
    return rand(1).lt(this.p).item() ? F.vflip(img) : img;
  }

  override toString(): string {
    return `RandomVerticalFlip(p=${pyFloatRepr(this.p)})`;
  }
}

/** Python's round(x, 4) as its repr prints it. */
function round4(x: number): number {
  return Number(x.toFixed(4));
}

function checkRange(cls: string, name: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number')) throw new TypeError(`${cls}: ${name} should be a sequence of two numbers (min, max), got ${describeValue(v)}`);
  return [v[0], v[1]];
}

interface RandomResizedCropOptions {
  scale?: [number, number];
  ratio?: [number, number];
  interpolation?: InterpolationMode;
  antialias?: boolean | null;
}
const randomResizedCropArgs = new PythonArgParser([
  `RandomResizedCrop(Any size, float[] scale=[0.08, 1.0], float[] ratio=[0.75, 1.3333333333333333], str interpolation='bilinear', bool? antialias=${_ANTIALIAS_DEFAULT_PY})`,
], PYTHON_DEF);
/**
 * A crop of random area (scale of the image's) and aspect ratio (drawn
 * log-uniform in ratio), resized to size: up to 10 tries, each drawing
 * torch.empty(1).uniform_ twice, then torch.randint for top and left; else
 * the central crop of the closest ratio.
 */
export class RandomResizedCrop extends Transform {
  readonly size: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly interpolation: InterpolationMode;
  readonly antialias: boolean | null;
  private readonly sizeRepr: string;

  constructor(
    ...args: PyArgs<[size: number | number[]], [scale: [number, number], ratio: [number, number], interpolation: InterpolationMode, antialias: boolean | null], RandomResizedCropOptions & { size: number | number[] }>
  );
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(randomResizedCropArgs, args, (v) => Array.isArray(v)) as unknown as Required<RandomResizedCropOptions> & { size: number | number[] };
    const cls = 'RandomResizedCrop';
    const scale = checkRange(cls, 'scale', a.scale);
    const ratio = checkRange(cls, 'ratio', a.ratio);
    const interpolation = F._checkInterpolation(cls, a.interpolation);
    super();
    ({ size: this.size, repr: this.sizeRepr } = setupSize(cls, a.size));
    if (scale[0] > scale[1] || ratio[0] > ratio[1]) process.emitWarning('Scale and ratio should be of kind (min, max)', 'UserWarning');
    this.scale = scale;
    this.ratio = ratio;
    this.interpolation = interpolation;
    this.antialias = a.antialias;
  }

  /** [top, left, h, w] of a random crop, as torchvision draws it. */
  static get_params(img: Tensor, scale: [number, number], ratio: [number, number]): [number, number, number, number] {
    const [, height, width] = F.get_dimensions(img);
    const area = height * width;
    const logRatio = tensor(ratio, { dtype: float32 }).log().tolist() as number[];
    for (let k = 0; k < 10; k++) {
      const targetArea = area * (empty(1).uniform_(scale[0], scale[1]).item() as number);
      const aspectRatio = empty(1).uniform_(logRatio[0], logRatio[1]).exp().item() as number;
      const w = F._pyRound(Math.sqrt(targetArea * aspectRatio));
      const h = F._pyRound(Math.sqrt(targetArea / aspectRatio));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        const i = Number(randint(0, height - h + 1, [1]).item());
        const j = Number(randint(0, width - w + 1, [1]).item());
        return [i, j, h, w];
      }
    }
    const inRatio = width / height;
    let w: number;
    let h: number;
    if (inRatio < Math.min(...ratio)) {
      w = width;
      h = F._pyRound(w / Math.min(...ratio));
    } else if (inRatio > Math.max(...ratio)) {
      h = height;
      w = F._pyRound(h * Math.max(...ratio));
    } else {
      w = width;
      h = height;
    }
    return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
  }

  forward(img: Tensor): Tensor {
    const [i, j, h, w] = RandomResizedCrop.get_params(img, this.scale, this.ratio);
    return F._resize(F._crop(img, i, j, h, w), this.size, this.interpolation, null, this.antialias);
  }

  override toString(): string {
    // torchvision 0.14's repr closes the parenthesis after interpolation too, printed here as Python
    // prints it; later releases close it only at the end.
    const close = torchvisionAtLeast(15) ? '' : ')';
    return (
      `RandomResizedCrop(size=${this.sizeRepr}, scale=${pySeq(this.scale.map(round4), true, true)}, ratio=${pySeq(this.ratio.map(round4), true, true)}, ` +
      `interpolation=${this.interpolation}${close}, antialias=${pyGiven(this.antialias)})`
    );
  }
}

type JitterArg = number | [number, number];
interface ColorJitterOptions {
  brightness?: JitterArg;
  contrast?: JitterArg;
  saturation?: JitterArg;
  hue?: JitterArg;
}
const colorJitterArgs = new PythonArgParser(['ColorJitter(Any brightness=0, Any contrast=0, Any saturation=0, Any hue=0)'], PYTHON_DEF);

/**
 * ColorJitter's _check_input: [min, max] of the factor, or null when it is
 * always the identity. Up to torchvision 0.14 only a given pair is checked
 * against the bound (a single hue of 0.7 passes, to fail at the first
 * call); later releases check both forms, and keep the pair as a tuple of
 * floats, which the repr shows.
 */
function jitterRange(name: string, value: unknown, center = 1, bound: [number, number] = [0, Infinity], clipFirstOnZero = true): [number, number] | null {
  const checkAll = torchvisionAtLeast(15);
  const boundRepr = `(${pyGiven(bound[0])}, ${bound[1] === Infinity ? 'inf' : pyGiven(bound[1])})`;
  const checkBound = (v: [number, number]) => {
    if (bound[0] <= v[0] && v[0] <= v[1] && v[1] <= bound[1]) return;
    if (checkAll) throw new RangeError(`ColorJitter: ${name} values should be between ${boundRepr}, but got ${pySeq(v, false, true)}.`);
    throw new RangeError(`ColorJitter: ${name} values should be between ${boundRepr}, got [${v.join(', ')}]`);
  };
  let v: [number, number];
  if (typeof value === 'number') {
    if (value < 0) throw new RangeError(`ColorJitter: If ${name} is a single number, it must be non negative.`);
    v = [center - value, center + value];
    if (clipFirstOnZero) v[0] = Math.max(v[0], 0.0);
  } else if (Array.isArray(value) && value.length === 2 && value.every((x) => typeof x === 'number')) {
    v = [value[0], value[1]];
    if (!checkAll) checkBound(v);
  } else {
    throw new TypeError(`ColorJitter: ${name} should be a single number or a list/tuple with length 2, got ${describeValue(value)}`);
  }
  if (checkAll) checkBound(v);
  return v[0] === center && v[1] === center ? null : v;
}

/**
 * Random brightness, contrast, saturation and hue, applied in an order
 * drawn by torch.randperm(4), each factor by torch.empty(1).uniform_.
 */
export class ColorJitter extends Transform {
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;
  readonly saturation: [number, number] | null;
  readonly hue: [number, number] | null;

  constructor(...args: PyArgs<[], [brightness: JitterArg, contrast: JitterArg, saturation: JitterArg, hue: JitterArg], ColorJitterOptions>);
  constructor(...args: unknown[]) {
    const a = colorJitterArgs.parseNamed(args) as unknown as Required<ColorJitterOptions>;
    const brightness = jitterRange('brightness', a.brightness);
    const contrast = jitterRange('contrast', a.contrast);
    const saturation = jitterRange('saturation', a.saturation);
    const hue = jitterRange('hue', a.hue, 0, [-0.5, 0.5], false);
    super();
    this.brightness = brightness;
    this.contrast = contrast;
    this.saturation = saturation;
    this.hue = hue;
  }

  /** [order, brightness, contrast, saturation, hue] as torchvision draws them. */
  static get_params(
    brightness: [number, number] | null,
    contrast: [number, number] | null,
    saturation: [number, number] | null,
    hue: [number, number] | null,
  ): [number[], number | null, number | null, number | null, number | null] {
    const order = randperm(4).tolist() as number[];
    const draw = (r: [number, number] | null) => (r === null ? null : (empty(1).uniform_(r[0], r[1]).item() as number));
    const b = draw(brightness);
    const c = draw(contrast);
    const s = draw(saturation);
    const h = draw(hue);
    return [order, b, c, s, h];
  }

  forward(img: Tensor): Tensor {
    const [order, b, c, s, h] = ColorJitter.get_params(this.brightness, this.contrast, this.saturation, this.hue);
    let x = img;
    for (const id of order) {
      if (id === 0 && b !== null) x = F._adjust_brightness(x, b);
      else if (id === 1 && c !== null) x = F._adjust_contrast(x, c);
      else if (id === 2 && s !== null) x = F._adjust_saturation(x, s);
      else if (id === 3 && h !== null) x = F._adjust_hue(x, h);
    }
    return x;
  }

  override toString(): string {
    // A list up to torchvision 0.14, a tuple after.
    const r = (v: [number, number] | null) => (v === null ? 'None' : pySeq(v, torchvisionAtLeast(15), true));
    return `ColorJitter(brightness=${r(this.brightness)}, contrast=${r(this.contrast)}, saturation=${r(this.saturation)}, hue=${r(this.hue)})`;
  }
}

interface RandomRotationOptions {
  interpolation?: InterpolationMode;
  expand?: boolean;
  center?: [number, number] | null;
  fill?: number | number[] | null;
}
const randomRotationArgs = new PythonArgParser(["RandomRotation(Any degrees, str interpolation='nearest', bool expand=False, Any center=None, Any fill=0)"], PYTHON_DEF);
/** Rotates by an angle drawn by torch.empty(1).uniform_(degrees[0], degrees[1]) (degrees d means [-d, d]). */
export class RandomRotation extends Transform {
  readonly degrees: [number, number];
  readonly interpolation: InterpolationMode;
  readonly expand: boolean;
  readonly center: [number, number] | null;
  readonly fill: number | number[];

  constructor(
    ...args: PyArgs<
      [degrees: number | [number, number]],
      [interpolation: InterpolationMode, expand: boolean, center: [number, number] | null, fill: number | number[] | null],
      RandomRotationOptions & { degrees: number | [number, number] }
    >
  );
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(randomRotationArgs, args, (v) => Array.isArray(v)) as unknown as Required<RandomRotationOptions> & { degrees: unknown };
    const cls = 'RandomRotation';
    const interpolation = F._checkInterpolation(cls, a.interpolation);
    let degrees: [number, number];
    if (typeof a.degrees === 'number') {
      if (a.degrees < 0) throw new RangeError(`${cls}: If degrees is a single number, it must be positive.`);
      degrees = [-a.degrees, a.degrees];
    } else {
      degrees = checkRange(cls, 'degrees', a.degrees);
    }
    if (a.center !== null) checkRange(cls, 'center', a.center);
    const fill = a.fill ?? 0;
    if (!(typeof fill === 'number' || (Array.isArray(fill) && fill.every((f) => typeof f === 'number')))) {
      throw new TypeError(`${cls}: Fill should be either a sequence or a number, got ${describeValue(fill)}`);
    }
    super();
    this.degrees = [degrees[0] + 0, degrees[1] + 0];
    this.interpolation = interpolation;
    this.expand = a.expand;
    this.center = a.center;
    this.fill = fill;
  }

  /** The angle, as torchvision draws it. */
  static get_params(degrees: [number, number]): number {
    return empty(1).uniform_(degrees[0], degrees[1]).item() as number;
  }

  forward(img: Tensor): Tensor {
    const [channels] = F.get_dimensions(img);
    const fill = typeof this.fill === 'number' ? new Array<number>(channels).fill(this.fill) : [...this.fill];
    const angle = RandomRotation.get_params(this.degrees);
    return F._rotate(img, angle, this.interpolation, this.expand, this.center, fill);
  }

  override toString(): string {
    let s = `RandomRotation(degrees=${pySeq(this.degrees, false, true)}, interpolation=${this.interpolation}, expand=${pyGiven(this.expand)}`;
    if (this.center !== null) s += `, center=${pyGiven(this.center)}`;
    s += `, fill=${pyGiven(this.fill)})`;
    return s;
  }
}

interface RandomAffineOptions {
  translate?: [number, number] | null;
  scale?: [number, number] | null;
  shear?: number | number[] | null;
  interpolation?: InterpolationMode;
  fill?: number | number[] | null;
  center?: [number, number] | null;
}
const randomAffineArgs = new PythonArgParser(["RandomAffine(Any degrees, Any translate=None, Any scale=None, Any shear=None, str interpolation='nearest', Any fill=0, Any center=None)"], PYTHON_DEF);

/** torchvision's _setup_angle: [-x, x] from a number, or a list of one of the allowed lengths, as floats. */
function setupAngle(cls: string, x: unknown, name: string, sizes: number[]): number[] {
  if (typeof x === 'number') {
    if (x < 0) throw new RangeError(`${cls}: If ${name} is a single number, it must be positive.`);
    return [-x + 0, x];
  }
  if (!Array.isArray(x) || !x.every((v) => typeof v === 'number')) throw new TypeError(`${cls}: ${name} should be a sequence of length ${sizes.join(' or ')}.`);
  if (!sizes.includes(x.length)) throw new RangeError(`${cls}: ${name} should be a sequence of length ${sizes.join(' or ')}.`);
  return [...x];
}

/**
 * A random affine map about the centre: angle by torch.empty(1).uniform_(degrees),
 * then (when given) translation, scale and shear, each by uniform_ in
 * torchvision's order; the image keeps its size.
 */
export class RandomAffine extends Transform {
  readonly degrees: number[];
  readonly translate: [number, number] | null;
  readonly scale: [number, number] | null;
  readonly shear: number[] | null;
  readonly interpolation: InterpolationMode;
  readonly fill: number | number[];
  readonly center: [number, number] | null;

  constructor(
    ...args: PyArgs<
      [degrees: number | [number, number]],
      [translate: [number, number] | null, scale: [number, number] | null, shear: number | number[] | null, interpolation: InterpolationMode, fill: number | number[] | null, center: [number, number] | null],
      RandomAffineOptions & { degrees: number | [number, number] }
    >
  );
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(randomAffineArgs, args, (v) => Array.isArray(v)) as unknown as Required<RandomAffineOptions> & { degrees: unknown };
    const cls = 'RandomAffine';
    const interpolation = F._checkInterpolation(cls, a.interpolation);
    const degrees = setupAngle(cls, a.degrees, 'degrees', [2]);
    if (a.translate !== null) {
      checkRange(cls, 'translate', a.translate);
      if (a.translate.some((t) => !(t >= 0.0 && t <= 1.0))) throw new RangeError(`${cls}: translation values should be between 0 and 1, got [${a.translate.join(', ')}]`);
    }
    if (a.scale !== null) {
      checkRange(cls, 'scale', a.scale);
      if (a.scale.some((s) => s <= 0)) throw new RangeError(`${cls}: scale values should be positive, got [${a.scale.join(', ')}]`);
    }
    const shear = a.shear === null ? null : setupAngle(cls, a.shear, 'shear', [2, 4]);
    const fill = a.fill ?? 0;
    if (!(typeof fill === 'number' || (Array.isArray(fill) && fill.every((f) => typeof f === 'number')))) throw new TypeError(`${cls}: Fill should be either a sequence or a number, got ${describeValue(fill)}`);
    if (a.center !== null) checkRange(cls, 'center', a.center);
    super();
    this.degrees = degrees;
    this.translate = a.translate;
    this.scale = a.scale;
    this.shear = shear;
    this.interpolation = interpolation;
    this.fill = fill;
    this.center = a.center;
  }

  /** [angle, [tx, ty], scale, [shear x, shear y]], as torchvision draws them; img_size is [width, height]. */
  static get_params(degrees: number[], translate: number[] | null, scale_ranges: number[] | null, shears: number[] | null, img_size: number[]): [number, [number, number], number, [number, number]] {
    const uniform = (lo: number, hi: number) => empty(1).uniform_(lo, hi).item() as number;
    const angle = uniform(degrees[0], degrees[1]);
    let translations: [number, number] = [0, 0];
    if (translate !== null) {
      const maxDx = translate[0] * img_size[0];
      const maxDy = translate[1] * img_size[1];
      const tx = F._pyRound(uniform(-maxDx, maxDx));
      const ty = F._pyRound(uniform(-maxDy, maxDy));
      translations = [tx, ty];
    }
    const scale = scale_ranges !== null ? uniform(scale_ranges[0], scale_ranges[1]) : 1.0;
    let shearX = 0.0;
    let shearY = 0.0;
    if (shears !== null) {
      shearX = uniform(shears[0], shears[1]);
      if (shears.length === 4) shearY = uniform(shears[2], shears[3]);
    }
    return [angle, translations, scale, [shearX, shearY]];
  }

  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.get_dimensions(img);
    const fill = typeof this.fill === 'number' ? new Array<number>(channels).fill(this.fill) : [...this.fill];
    const [angle, translate, scale, shear] = RandomAffine.get_params(this.degrees, this.translate, this.scale, this.shear, [width, height]);
    return F._affine(img, angle, translate, scale, shear, this.interpolation, fill, this.center);
  }

  override toString(): string {
    let s = `RandomAffine(degrees=${pySeq(this.degrees, false, true)}`;
    if (this.translate !== null) s += `, translate=${pyGiven(this.translate)}`;
    if (this.scale !== null) s += `, scale=${pyGiven(this.scale)}`;
    if (this.shear !== null) s += `, shear=${pySeq(this.shear, false, true)}`;
    if (this.interpolation !== 'nearest') s += `, interpolation=${this.interpolation}`;
    if (this.fill !== 0) s += `, fill=${pyGiven(this.fill)}`;
    if (this.center !== null) s += `, center=${pyGiven(this.center)}`;
    return `${s})`;
  }
}

// The colour ops applied with probability p: torch.rand(1).item() < p, as torchvision draws it.
abstract class RandomColorOp extends Transform {
  readonly p: number;

  protected constructor(p: number) {
    super();
    this.p = checkProbability(this.constructor.name, p);
  }

  protected abstract applyOp(img: Tensor): Tensor;

  forward(img: Tensor): Tensor {
    return (rand(1).item() as number) < this.p ? this.applyOp(img) : img;
  }
}

const pOnly = new Map<string, PythonArgParser>();
function pArg(cls: string, args: unknown[]): number {
  let parser = pOnly.get(cls);
  if (!parser) pOnly.set(cls, (parser = new PythonArgParser([`${cls}(float p=0.5)`], PYTHON_DEF)));
  return (parser.parseNamed(args) as unknown as { p: number }).p;
}

/** Inverts the colours (F.invert) with probability p. */
export class RandomInvert extends RandomColorOp {
  constructor(...args: PyArgs<[], [p: number], { p: number }>);
  constructor(...args: unknown[]) {
    super(pArg('RandomInvert', args));
  }

  protected applyOp(img: Tensor): Tensor {
    return F._invert(img);
  }

  override toString(): string {
    return `RandomInvert(p=${pyFloatRepr(this.p)})`;
  }
}

/** Stretches the contrast (F.autocontrast) with probability p. */
export class RandomAutocontrast extends RandomColorOp {
  constructor(...args: PyArgs<[], [p: number], { p: number }>);
  constructor(...args: unknown[]) {
    super(pArg('RandomAutocontrast', args));
  }

  protected applyOp(img: Tensor): Tensor {
    return F._autocontrast(img);
  }

  override toString(): string {
    return `RandomAutocontrast(p=${pyFloatRepr(this.p)})`;
  }
}

/** Equalises the histogram (F.equalize) with probability p. */
export class RandomEqualize extends RandomColorOp {
  constructor(...args: PyArgs<[], [p: number], { p: number }>);
  constructor(...args: unknown[]) {
    super(pArg('RandomEqualize', args));
  }

  protected applyOp(img: Tensor): Tensor {
    return F._equalize(img);
  }

  override toString(): string {
    return `RandomEqualize(p=${pyFloatRepr(this.p)})`;
  }
}

const posterizeArgs = new PythonArgParser(['RandomPosterize(int bits, float p=0.5)'], PYTHON_DEF);
/** Keeps `bits` bits per value (F.posterize) with probability p. */
export class RandomPosterize extends RandomColorOp {
  readonly bits: number;

  constructor(...args: PyArgs<[bits: number], [p: number], { bits: number; p?: number }>);
  constructor(...args: unknown[]) {
    const a = posterizeArgs.parseNamed(args) as unknown as { bits: number; p: number };
    super(a.p);
    this.bits = a.bits;
  }

  protected applyOp(img: Tensor): Tensor {
    return F._posterize(img, this.bits);
  }

  override toString(): string {
    return `RandomPosterize(bits=${this.bits},p=${pyFloatRepr(this.p)})`;
  }
}

const solarizeArgs = new PythonArgParser(['RandomSolarize(float threshold, float p=0.5)'], PYTHON_DEF);
/** Inverts the values at or above threshold (F.solarize) with probability p. */
export class RandomSolarize extends RandomColorOp {
  readonly threshold: number;

  constructor(...args: PyArgs<[threshold: number], [p: number], { threshold: number; p?: number }>);
  constructor(...args: unknown[]) {
    const a = solarizeArgs.parseNamed(args) as unknown as { threshold: number; p: number };
    super(a.p);
    this.threshold = a.threshold;
  }

  protected applyOp(img: Tensor): Tensor {
    return F._solarize(img, this.threshold);
  }

  override toString(): string {
    return `RandomSolarize(threshold=${pyGiven(this.threshold)},p=${pyFloatRepr(this.p)})`;
  }
}

const sharpnessArgs = new PythonArgParser(['RandomAdjustSharpness(float sharpness_factor, float p=0.5)'], PYTHON_DEF);
/** Sharpens by sharpness_factor (F.adjust_sharpness) with probability p. */
export class RandomAdjustSharpness extends RandomColorOp {
  readonly sharpness_factor: number;

  constructor(...args: PyArgs<[sharpness_factor: number], [p: number], { sharpness_factor: number; p?: number }>);
  constructor(...args: unknown[]) {
    const a = sharpnessArgs.parseNamed(args) as unknown as { sharpness_factor: number; p: number };
    super(a.p);
    this.sharpness_factor = a.sharpness_factor;
  }

  protected applyOp(img: Tensor): Tensor {
    return F._adjust_sharpness(img, this.sharpness_factor);
  }

  override toString(): string {
    return `RandomAdjustSharpness(sharpness_factor=${pyGiven(this.sharpness_factor)},p=${pyFloatRepr(this.p)})`;
  }
}

const fiveCropArgs = new PythonArgParser(['FiveCrop(Any size)'], PYTHON_DEF);
/** The four corner crops and the central crop, as an array of five images. */
export class FiveCrop extends Transform {
  readonly size: [number, number];
  private readonly sizeRepr: string;

  constructor(...args: PyArgs<[size: number | number[]], [], { size: number | number[] }>);
  constructor(...args: unknown[]) {
    const { size } = fiveCropArgs.parseNamed(args) as unknown as { size: number | number[] };
    super();
    ({ size: this.size, repr: this.sizeRepr } = setupSize('FiveCrop', size));
  }

  forward(img: Tensor): Tensor[] {
    return F._five_crop(img, this.size);
  }

  override toString(): string {
    return `FiveCrop(size=${this.sizeRepr})`;
  }
}

const tenCropArgs = new PythonArgParser(['TenCrop(Any size, bool vertical_flip=False)'], PYTHON_DEF);
/** FiveCrop of the image and of its mirror image: ten images. */
export class TenCrop extends Transform {
  readonly size: [number, number];
  readonly vertical_flip: boolean;
  private readonly sizeRepr: string;

  constructor(...args: PyArgs<[size: number | number[]], [vertical_flip: boolean], { size: number | number[]; vertical_flip?: boolean }>);
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(tenCropArgs, args, (v) => Array.isArray(v)) as unknown as { size: number | number[]; vertical_flip: boolean };
    super();
    ({ size: this.size, repr: this.sizeRepr } = setupSize('TenCrop', a.size));
    this.vertical_flip = a.vertical_flip;
  }

  forward(img: Tensor): Tensor[] {
    return F._ten_crop(img, this.size, this.vertical_flip);
  }

  override toString(): string {
    return `TenCrop(size=${this.sizeRepr}, vertical_flip=${pyGiven(this.vertical_flip)})`;
  }
}

interface RandomPerspectiveOptions {
  distortion_scale?: number;
  p?: number;
  interpolation?: InterpolationMode;
  fill?: number | number[] | null;
}
const randomPerspectiveArgs = new PythonArgParser(["RandomPerspective(float distortion_scale=0.5, float p=0.5, str interpolation='bilinear', Any fill=0)"], PYTHON_DEF);
/**
 * A random perspective distortion with probability p (torch.rand(1) < p):
 * each corner moved inwards by up to distortion_scale of half the image,
 * drawn by torch.randint, x then y, corner by corner.
 */
export class RandomPerspective extends Transform {
  readonly distortion_scale: number;
  readonly p: number;
  readonly interpolation: InterpolationMode;
  readonly fill: number | number[];

  constructor(...args: PyArgs<[], [distortion_scale: number, p: number, interpolation: InterpolationMode, fill: number | number[] | null], RandomPerspectiveOptions>);
  constructor(...args: unknown[]) {
    const a = randomPerspectiveArgs.parseNamed(args) as unknown as Required<RandomPerspectiveOptions>;
    const cls = 'RandomPerspective';
    const interpolation = F._checkInterpolation(cls, a.interpolation);
    const fill = a.fill ?? 0;
    if (!(typeof fill === 'number' || (Array.isArray(fill) && fill.every((f) => typeof f === 'number')))) throw new TypeError(`${cls}: Fill should be either a sequence or a number, got ${describeValue(fill)}`);
    if (!(a.distortion_scale >= 0 && a.distortion_scale <= 1)) throw new RangeError(`${cls}: distortion_scale should be in [0, 1], got ${a.distortion_scale}`);
    checkProbability(cls, a.p);
    super();
    this.distortion_scale = a.distortion_scale;
    this.p = a.p;
    this.interpolation = interpolation;
    this.fill = fill;
  }

  /** [startpoints, endpoints], as torchvision draws them. */
  static get_params(width: number, height: number, distortion_scale: number): [number[][], number[][]] {
    const halfH = Math.floor(height / 2);
    const halfW = Math.floor(width / 2);
    const dx = Math.trunc(distortion_scale * halfW);
    const dy = Math.trunc(distortion_scale * halfH);
    const draw = (lo: number, hi: number) => Number(randint(lo, hi, [1]).item());
    const topleft = [draw(0, dx + 1), draw(0, dy + 1)];
    const topright = [draw(width - dx - 1, width), draw(0, dy + 1)];
    const botright = [draw(width - dx - 1, width), draw(height - dy - 1, height)];
    const botleft = [draw(0, dx + 1), draw(height - dy - 1, height)];
    const startpoints = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]];
    return [startpoints, [topleft, topright, botright, botleft]];
  }

  forward(img: Tensor): Tensor {
    const [channels, height, width] = F.get_dimensions(img);
    const fill = typeof this.fill === 'number' ? new Array<number>(channels).fill(this.fill) : [...this.fill];
    if (!rand(1).lt(this.p).item()) return img;
    const [start, end] = RandomPerspective.get_params(width, height, this.distortion_scale);
    return F._perspective(img, start, end, this.interpolation, fill);
  }

  override toString(): string {
    return `RandomPerspective(p=${pyFloatRepr(this.p)})`;
  }
}

interface ElasticTransformOptions {
  alpha?: number | number[];
  sigma?: number | number[];
  interpolation?: InterpolationMode;
  /** A number; from torchvision 0.15 also a list of them (one per channel), kept as floats. */
  fill?: number | number[];
}
const elasticArgs = new PythonArgParser(["ElasticTransform(Any alpha=50.0, Any sigma=5.0, str interpolation='bilinear', Any fill=0)"], PYTHON_DEF);

function twoFloats(cls: string, name: string, v: unknown): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new TypeError(`${cls}: ${name} should be float or a sequence of floats. Got ${describeValue(v)}`);
  if (v.length !== 2) throw new RangeError(`${cls}: If ${name} is a sequence its length should be 2. Got ${v.length}`);
  return [v[0], v[1]];
}

/**
 * Elastic distortion (Simard et al., 2003): a displacement field drawn by
 * torch.rand (x, then y), smoothed by a Gaussian of sigma, scaled by
 * alpha / size, applied with grid_sample.
 */
export class ElasticTransform extends Transform {
  readonly alpha: [number, number];
  readonly sigma: [number, number];
  readonly interpolation: InterpolationMode;
  readonly fill: number | number[];

  constructor(...args: PyArgs<[], [alpha: number | number[], sigma: number | number[], interpolation: InterpolationMode, fill: number | number[]], ElasticTransformOptions>);
  constructor(...args: unknown[]) {
    const a = elasticArgs.parseNamed(args) as unknown as Required<ElasticTransformOptions>;
    const cls = 'ElasticTransform';
    const alpha = twoFloats(cls, 'alpha', a.alpha);
    const sigma = twoFloats(cls, 'sigma', a.sigma);
    const interpolation = F._checkInterpolation(cls, a.interpolation);
    let fill: number | number[];
    if (!torchvisionAtLeast(15)) {
      if (typeof a.fill !== 'number') throw new TypeError(`${cls}: fill should be int or float. Got ${describeValue(a.fill)}`);
      fill = a.fill;
    } else if (typeof a.fill === 'number') {
      fill = [a.fill];
    } else if (Array.isArray(a.fill) && a.fill.every((f) => typeof f === 'number')) {
      fill = [...a.fill];
    } else {
      throw new TypeError(`${cls}: fill should be int or float or a list or tuple of them. Got ${describeValue(a.fill)}`);
    }
    super();
    this.alpha = alpha;
    this.sigma = sigma;
    this.interpolation = interpolation;
    this.fill = fill;
  }

  /** The displacement (1, H, W, 2) for an image of size [h, w], as torchvision draws it. */
  static get_params(alpha: number[], sigma: number[], size: number[]): Tensor {
    const field = (k: number) => {
      let d = rand([1, 1, ...size]).mul(2).sub(1);
      if (sigma[k] > 0.0) {
        let ks = Math.trunc(8 * sigma[k] + 1);
        if (ks % 2 === 0) ks += 1;
        d = F._gaussian_blur(d, [ks, ks], sigma);
      }
      // 0.27 scales dx by the width and dy by the height; before, by the
      // height and the width (measured on 0.21 and 0.27; 0.27 from then on here).
      return d.mul(alpha[k]).div(torchvisionAtLeast(27) ? size[1 - k] : size[k]);
    };
    const dx = field(0);
    const dy = field(1);
    return torch.cat([dx, dy], 1).permute(0, 2, 3, 1);
  }

  forward(img: Tensor): Tensor {
    const [, height, width] = F.get_dimensions(img);
    const displacement = ElasticTransform.get_params(this.alpha, this.sigma, [height, width]);
    return F._elastic_transform(img, displacement, this.interpolation, this.fill);
  }

  override toString(): string {
    if (torchvisionAtLeast(15)) {
      const mode = Object.entries(F.InterpolationMode).find(([, v]) => v === this.interpolation)![0];
      return `ElasticTransform(alpha=${pySeq(this.alpha, false, true)}, sigma=${pySeq(this.sigma, false, true)}, interpolation=InterpolationMode.${mode}, fill=${pySeq(this.fill as number[], false, true)})`;
    }
    // torchvision 0.14's repr leaves its last two fields unformatted; printed as Python prints it.
    return `ElasticTransform(alpha=${pySeq(this.alpha, false, true)}), (sigma=${pySeq(this.sigma, false, true)}), interpolation={self.interpolation}, fill={self.fill})`;
  }
}

const linearTransformationArgs = new PythonArgParser(['LinearTransformation(Tensor transformation_matrix, Tensor mean_vector)'], PYTHON_DEF);
/**
 * A linear map of the flattened image: (x.view(-1, D) - mean_vector) @
 * transformation_matrix, D = C * H * W (ZCA whitening, for one).
 */
export class LinearTransformation extends Transform {
  readonly transformation_matrix: Tensor;
  readonly mean_vector: Tensor;

  constructor(...args: PyArgs<[transformation_matrix: Tensor, mean_vector: Tensor], [], { transformation_matrix: Tensor; mean_vector: Tensor }>);
  constructor(...args: unknown[]) {
    const { transformation_matrix: m, mean_vector: v } = linearTransformationArgs.parseNamed(args) as unknown as { transformation_matrix: Tensor; mean_vector: Tensor };
    const cls = 'LinearTransformation';
    if (m.ndim !== 2 || m.size(0) !== m.size(1)) throw new RangeError(`${cls}: transformation_matrix should be square. Got ${String(m.shape)} rectangular matrix.`);
    if (v.size(0) !== m.size(0)) throw new RangeError(`${cls}: mean_vector should have the same length ${v.size(0)} as any one of the dimensions of the transformation_matrix [${String(m.shape)}]`);
    if (String(m.device) !== String(v.device)) throw new RangeError(`${cls}: Input tensors should be on the same device. Got ${String(m.device)} and ${String(v.device)}`);
    // After 0.14 torchvision also wants one dtype of both, and forward() casts the matrix to the image's.
    if (torchvisionAtLeast(15) && m.dtype !== v.dtype) throw new RangeError(`${cls}: Input tensors should have the same dtype. Got ${String(m.dtype)} and ${String(v.dtype)}`);
    super();
    this.transformation_matrix = m;
    this.mean_vector = v;
  }

  forward(img: Tensor): Tensor {
    const shape = img.shape;
    if (img.ndim < 3) throw new TypeError(`LinearTransformation: expected a tensor image (..., C, H, W), got shape ${String(shape)}`);
    const n = shape[shape.length - 3] * shape[shape.length - 2] * shape[shape.length - 1];
    if (n !== this.transformation_matrix.size(0)) {
      throw new RangeError(`LinearTransformation: Input tensor and transformation matrix have incompatible shape.[${shape.slice(-3).join(' x ')}] != ${this.transformation_matrix.size(0)}`);
    }
    const flat = img.view(-1, n).sub(this.mean_vector);
    const matrix = torchvisionAtLeast(15) ? this.transformation_matrix.to(flat.dtype) : this.transformation_matrix;
    return torch.mm(flat, matrix).view(...shape);
  }

  override toString(): string {
    // Tensor.tolist() as Python prints it: floats with their point.
    const fmt = (v: unknown, isFloat: boolean): string => (Array.isArray(v) ? `[${v.map((x) => fmt(x, isFloat)).join(', ')}]` : pyNum(v as number, isFloat));
    const list = (t: Tensor) => fmt(t.tolist(), t.is_floating_point());
    return `LinearTransformation(transformation_matrix=${list(this.transformation_matrix)}, mean_vector=${list(this.mean_vector)})`;
  }
}

const grayscaleArgs = new PythonArgParser(['Grayscale(int num_output_channels=1)'], PYTHON_DEF);
/** RGB to grey (ITU-R 601-2 luma), 1 or 3 output channels. */
export class Grayscale extends Transform {
  readonly num_output_channels: number;

  constructor(...args: PyArgs<[], [num_output_channels: number], { num_output_channels: number }>);
  constructor(...args: unknown[]) {
    const { num_output_channels } = grayscaleArgs.parseNamed(args) as unknown as { num_output_channels: number };
    if (num_output_channels !== 1 && num_output_channels !== 3) throw new RangeError(`Grayscale: num_output_channels should be either 1 or 3, got ${num_output_channels}`);
    super();
    this.num_output_channels = num_output_channels;
  }

  forward(img: Tensor): Tensor {
    return F._rgb_to_grayscale(img, this.num_output_channels);
  }

  override toString(): string {
    return `Grayscale(num_output_channels=${this.num_output_channels})`;
  }
}

const randomGrayscaleArgs = new PythonArgParser(['RandomGrayscale(float p=0.1)'], PYTHON_DEF);
/** To grey with as many channels as the input, when torch.rand(1) < p. */
export class RandomGrayscale extends Transform {
  readonly p: number;

  constructor(...args: PyArgs<[], [p: number], { p: number }>);
  constructor(...args: unknown[]) {
    const { p } = randomGrayscaleArgs.parseNamed(args) as unknown as { p: number };
    checkProbability('RandomGrayscale', p);
    super();
    this.p = p;
  }

  forward(img: Tensor): Tensor {
    const [c] = F.get_dimensions(img);
    return rand(1).lt(this.p).item() ? F._rgb_to_grayscale(img, c) : img;
  }

  override toString(): string {
    return `RandomGrayscale(p=${pyFloatRepr(this.p)})`;
  }
}

const randomApplyArgs = new PythonArgParser(['RandomApply(Any transforms, float p=0.5)'], PYTHON_DEF);
/** The transforms in order, all or none: none when p < torch.rand(1). */
export class RandomApply extends Transform {
  readonly transforms: Callable[];
  readonly p: number;

  constructor(...args: PyArgs<[transforms: Callable[]], [p: number], { transforms: Callable[]; p: number }>);
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(randomApplyArgs, args, (v) => Array.isArray(v)) as unknown as { transforms: Callable[]; p: number };
    if (!Array.isArray(a.transforms) || a.transforms.some((f) => typeof f !== 'function')) throw new TypeError('RandomApply: transforms must be an array of callables');
    checkProbability('RandomApply', a.p);
    super();
    this.transforms = a.transforms;
    this.p = a.p;
  }

  forward(img: any): any {
    if (rand(1).gt(this.p).item()) return img;
    let x = img;
    for (const t of this.transforms) x = t(x);
    return x;
  }

  override toString(): string {
    return `RandomApply(\n    p=${pyFloatRepr(this.p)}${this.transforms.map((t) => `\n    ${String(t)}`).join('')}\n)`;
  }
}

/**
 * torchvision's RandomTransforms: the base of the transforms that pick from
 * a list with Python's own `random` module (torchts/python/random), which
 * `random.seed` seeds, not torch.manual_seed.
 */
export abstract class RandomTransforms extends Transform {
  readonly transforms: Callable[];

  constructor(cls: string, transforms: unknown) {
    if (!Array.isArray(transforms) || transforms.some((f) => typeof f !== 'function')) {
      throw new TypeError(`${cls}: Argument transforms should be a sequence (an array of callables), got ${describeValue(transforms)}`);
    }
    super();
    this.transforms = transforms;
  }

  override toString(): string {
    return `${this.constructor.name}(${this.transforms.map((t) => `\n    ${String(t)}`).join('')}\n)`;
  }
}

const randomOrderArgs = new PythonArgParser(['RandomOrder(Any transforms)'], PYTHON_DEF);
/** The transforms, each once, in an order drawn by Python's random.shuffle. */
export class RandomOrder extends RandomTransforms {
  /** torchvision's RandomOrder(transforms). */
  constructor(transforms: Callable[]);
  constructor(options: { transforms: Callable[] });
  constructor(...args: unknown[]) {
    const { transforms } = parseNamedLeading(randomOrderArgs, args, (v) => Array.isArray(v)) as { transforms: unknown };
    super('RandomOrder', transforms);
  }

  forward(img: any): any {
    const order = this.transforms.map((_, i) => i);
    pyrandom.shuffle(order);
    let x = img;
    for (const i of order) x = this.transforms[i](x);
    return x;
  }
}

const randomChoiceArgs = new PythonArgParser(['RandomChoice(Any transforms, Any p=None)'], PYTHON_DEF);
/**
 * One of the transforms, drawn by Python's random.choices(transforms,
 * weights=p): uniformly without p, else with probability p[i] / sum(p).
 */
export class RandomChoice extends RandomTransforms {
  readonly p: number[] | null;

  /** torchvision's RandomChoice(transforms, p=None). */
  constructor(transforms: Callable[], p?: number[] | null);
  constructor(transforms: Callable[], options: { p?: number[] | null });
  constructor(options: { transforms: Callable[]; p?: number[] | null });
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(randomChoiceArgs, args, (v) => Array.isArray(v)) as { transforms: unknown; p: unknown };
    super('RandomChoice', a.transforms);
    const p = a.p;
    if (p !== null && !(Array.isArray(p) && p.every((w) => typeof w === 'number'))) throw new TypeError(`RandomChoice: Argument p should be a sequence (an array of numbers), got ${describeValue(p)}`);
    // torchvision finds this at the first call (random.choices raises); here it is said at once.
    if (p !== null && p.length !== this.transforms.length) throw new RangeError(`RandomChoice: p should have one weight per transform (${this.transforms.length}), got ${p.length}`);
    this.p = p;
  }

  forward(img: any): any {
    const [t] = pyrandom.choices(this.transforms, this.p);
    return t(img);
  }

  override toString(): string {
    // torchvision's repr: the list's, then "(p=...)" after it.
    return `${super.toString()}(p=${pyGiven(this.p)})`;
  }
}

interface GaussianBlurOptions {
  sigma?: number | [number, number];
}
const gaussianBlurArgs = new PythonArgParser(['GaussianBlur(Any kernel_size, Any sigma=[0.1, 2.0])'], PYTHON_DEF);
/** Gaussian blur with a sigma drawn by torch.empty(1).uniform_(sigma[0], sigma[1]). */
export class GaussianBlur extends Transform {
  readonly kernel_size: [number, number];
  readonly sigma: [number, number];
  private readonly kernelRepr: string;
  private readonly sigmaRepr: string;

  constructor(...args: PyArgs<[kernel_size: number | number[]], [sigma: number | [number, number]], GaussianBlurOptions & { kernel_size: number | number[] }>);
  constructor(...args: unknown[]) {
    const a = parseNamedLeading(gaussianBlurArgs, args, (v) => Array.isArray(v)) as unknown as { kernel_size: unknown; sigma: unknown };
    const cls = 'GaussianBlur';
    const ks = setupSize(cls, a.kernel_size);
    if (ks.size.some((k) => k <= 0 || k % 2 === 0)) throw new RangeError(`${cls}: Kernel size value should be an odd and positive number, got ${ks.repr}`);
    let sigma: [number, number];
    let sigmaRepr: string;
    if (typeof a.sigma === 'number') {
      if (a.sigma <= 0) throw new RangeError(`${cls}: If sigma is a single number, it must be positive, got ${a.sigma}`);
      sigma = [a.sigma, a.sigma];
      sigmaRepr = pySeq(sigma, true);
    } else if (Array.isArray(a.sigma) && a.sigma.length === 2 && a.sigma.every((s) => typeof s === 'number')) {
      if (!(a.sigma[0] > 0 && a.sigma[0] <= a.sigma[1])) throw new RangeError(`${cls}: sigma values should be positive and of the form (min, max), got [${a.sigma.join(', ')}]`);
      sigma = [a.sigma[0], a.sigma[1]];
      // The default is Python's tuple (0.1, 2.0); a list given stays a list.
      sigmaRepr = pySeq(sigma, !wasGiven(args, 1, 'sigma'), true);
    } else {
      throw new RangeError(`${cls}: sigma should be a single number or a list/tuple with length 2, got ${describeValue(a.sigma)}`);
    }
    super();
    this.kernel_size = ks.size;
    this.kernelRepr = ks.repr;
    this.sigma = sigma;
    this.sigmaRepr = sigmaRepr;
  }

  /** The sigma, as torchvision draws it. */
  static get_params(sigma_min: number, sigma_max: number): number {
    return empty(1).uniform_(sigma_min, sigma_max).item() as number;
  }

  forward(img: Tensor): Tensor {
    const sigma = GaussianBlur.get_params(this.sigma[0], this.sigma[1]);
    return F._gaussian_blur(img, this.kernel_size, [sigma, sigma]);
  }

  override toString(): string {
    return `GaussianBlur(kernel_size=${this.kernelRepr}, sigma=${this.sigmaRepr})`;
  }
}

interface RandomErasingOptions {
  p?: number;
  scale?: [number, number];
  ratio?: [number, number];
  value?: number | number[] | 'random';
  inplace?: boolean;
}
const randomErasingArgs = new PythonArgParser(['RandomErasing(float p=0.5, float[] scale=[0.02, 0.33], float[] ratio=[0.3, 3.3], Any value=0, bool inplace=False)'], PYTHON_DEF);
/**
 * Erases a random rectangle of a (..., C, H, W) tensor when torch.rand(1) < p:
 * area and log-aspect drawn by torch.empty(1).uniform_ (up to 10 tries),
 * place by torch.randint; filled with value, or normal noise for 'random'.
 */
export class RandomErasing extends Transform {
  readonly p: number;
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly value: number | number[] | 'random';
  readonly inplace: boolean;
  private readonly seqRepr: [string, string];

  constructor(...args: PyArgs<[], [p: number, scale: [number, number], ratio: [number, number], value: number | number[] | 'random', inplace: boolean], RandomErasingOptions>);
  constructor(...args: unknown[]) {
    const a = randomErasingArgs.parseNamed(args) as unknown as Required<RandomErasingOptions>;
    const cls = 'RandomErasing';
    const v = a.value;
    if (!(typeof v === 'number' || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'number')))) {
      throw new TypeError(`${cls}: Argument value should be either a number or str or a sequence, got ${describeValue(v)}`);
    }
    if (typeof v === 'string' && v !== 'random') throw new RangeError(`${cls}: If value is str, it should be 'random', got '${v}'`);
    const scale = checkRange(cls, 'scale', a.scale);
    const ratio = checkRange(cls, 'ratio', a.ratio);
    if (scale[0] > scale[1] || ratio[0] > ratio[1]) process.emitWarning('Scale and ratio should be of kind (min, max)', 'UserWarning');
    if (scale[0] < 0 || scale[1] > 1) throw new RangeError(`${cls}: Scale should be between 0 and 1, got [${scale.join(', ')}]`);
    if (a.p < 0 || a.p > 1) throw new RangeError(`${cls}: Random erasing probability should be between 0 and 1, got ${a.p}`);
    super();
    this.p = a.p;
    this.scale = scale;
    this.ratio = ratio;
    this.value = v;
    this.inplace = a.inplace;
    this.seqRepr = [pySeq(scale, !wasGiven(args, 1, 'scale'), true), pySeq(ratio, !wasGiven(args, 2, 'ratio'), true)];
  }

  /** [top, left, h, w, v] as torchvision draws them; the whole image (and img itself as v) when no try fits. */
  static get_params(img: Tensor, scale: [number, number], ratio: [number, number], value: number[] | null = null): [number, number, number, number, Tensor] {
    const s = img.shape;
    const [c, imgH, imgW] = [s[s.length - 3], s[s.length - 2], s[s.length - 1]];
    const area = imgH * imgW;
    const logRatio = tensor(ratio, { dtype: float32 }).log().tolist() as number[];
    for (let k = 0; k < 10; k++) {
      const eraseArea = area * (empty(1).uniform_(scale[0], scale[1]).item() as number);
      const aspect = empty(1).uniform_(logRatio[0], logRatio[1]).exp().item() as number;
      const h = F._pyRound(Math.sqrt(eraseArea * aspect));
      const w = F._pyRound(Math.sqrt(eraseArea / aspect));
      if (!(h < imgH && w < imgW)) continue;
      const v = value === null ? empty([c, h, w], { dtype: float32 }).normal_() : tensor(value, { dtype: get_default_dtype() }).view(-1, 1, 1);
      const i = Number(randint(0, imgH - h + 1, [1]).item());
      const j = Number(randint(0, imgW - w + 1, [1]).item());
      return [i, j, h, w, v];
    }
    return [0, 0, imgH, imgW, img];
  }

  forward(img: Tensor): Tensor {
    if (!(img instanceof Tensor) || img.ndim < 3) throw new TypeError(`RandomErasing: img should be a Tensor image (..., C, H, W), got ${img instanceof Tensor ? `shape ${String(img.shape)}` : describeValue(img)}`);
    if (!rand(1).lt(this.p).item()) return img;
    const value = typeof this.value === 'number' ? [this.value] : this.value === 'random' ? null : this.value;
    const c = img.size(-3);
    if (value !== null && value.length !== 1 && value.length !== c) {
      throw new RangeError(`RandomErasing: If value is a sequence, it should have either a single value or ${c} (number of input channels), got ${value.length}`);
    }
    const [i, j, h, w, v] = RandomErasing.get_params(img, this.scale, this.ratio, value);
    return F._erase(img, i, j, h, w, v, this.inplace);
  }

  override toString(): string {
    return `RandomErasing(p=${pyFloatRepr(this.p)}, scale=${this.seqRepr[0]}, ratio=${this.seqRepr[1]}, value=${pyGiven(this.value)}, inplace=${pyGiven(this.inplace)})`;
  }
}
