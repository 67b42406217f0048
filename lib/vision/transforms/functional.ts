// torchvision.transforms.functional for tensors: the tensor path of
// torchvision (transforms/functional.py and _functional_tensor.py), op for
// op, so that the same image gives the same numbers. It is the torchvision
// paired with the loaded libtorch (../version.ts): 0.14 on libtorch 1.13,
// 0.21 on 2.6; where the two differ, torchvisionAtLeast says which is
// followed, and a comment what changed.
//
// A tensor image is (..., C, H, W) (or (H, W) for one channel), uint8 or
// float, as torchvision's tensor path takes it. to_tensor and pil_to_tensor
// take what PIL or numpy hold in Python: a uint8 (H, W) or (H, W, C) tensor.
import { describeValue } from '../../_describe';
import torch from '../../index';
import * as F from '../../nn/functional';
import { def_, type PyArgs } from '../../nn/modules/utils';
import { dtype as DType, float32, float64, get_default_dtype, int16, int32, int64, int8, uint16, uint8 } from '../../dtype';
import { Tensor } from '../../tensor';
import { torchvisionAtLeast } from '../version';

/** torchvision.transforms.InterpolationMode: the values are the names interpolate and grid_sample take. */
export const InterpolationMode = {
  NEAREST: 'nearest',
  /** Added in torchvision 0.15 (interpolate's 'nearest-exact'): refused when following 0.14. */
  NEAREST_EXACT: 'nearest-exact',
  BILINEAR: 'bilinear',
  BICUBIC: 'bicubic',
  BOX: 'box',
  HAMMING: 'hamming',
  LANCZOS: 'lanczos',
} as const;
export type InterpolationMode = (typeof InterpolationMode)[keyof typeof InterpolationMode];

const MODES = new Set<string>(Object.values(InterpolationMode).filter((m) => m !== InterpolationMode.NEAREST_EXACT || torchvisionAtLeast(15)));

/** An interpolation argument checked as torchvision checks it (its enum's values are these strings). */
export function _checkInterpolation(fn: string, v: unknown): InterpolationMode {
  if (typeof v !== 'string' || !MODES.has(v)) {
    throw new TypeError(`${fn}: argument 'interpolation' should be an InterpolationMode (one of ${[...MODES].map((m) => `'${m}'`).join(', ')}), got ${describeValue(v)}${typeof v === 'string' ? ` '${v}'` : ''}`);
  }
  return v as InterpolationMode;
}

function checkTensor(fn: string, img: unknown): Tensor {
  if (!(img instanceof Tensor)) throw new TypeError(`${fn}: img should be a Tensor image, got ${describeValue(img)}`);
  return img;
}

/** torchvision's _assert_image_tensor: an image has at least two dimensions. */
function assertImage(fn: string, img: unknown): Tensor {
  const t = checkTensor(fn, img);
  if (t.ndim < 2) throw new TypeError(`${fn}: Tensor is not a torch image: expected (..., H, W), got shape ${String(t.shape)}`);
  return t;
}

/**
 * The ops that resample through interpolate, grid_sample or conv2d need a
 * channel dimension (torchvision fails on (H, W) there, with an index error).
 */
function assertCHW(fn: string, img: Tensor): Tensor {
  if (img.ndim < 3) throw new TypeError(`${fn}: expected a tensor image (..., C, H, W), got shape ${String(img.shape)}; give a grey (H, W) image its channel with .unsqueeze(0)`);
  return img;
}

function assertChannels(fn: string, img: Tensor, permitted: number[]): void {
  const c = dims(img)[0];
  if (!permitted.includes(c)) throw new TypeError(`${fn}: Input image tensor permitted channel values are [${permitted.join(', ')}], but found ${c}`);
}

function dims(img: Tensor): [number, number, number] {
  const s = img.shape;
  return [img.ndim === 2 ? 1 : s[s.length - 3], s[s.length - 2], s[s.length - 1]];
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);

/** Python's round(): halves to even. */
export function _pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's a // b for ints. */
const floorDiv = (a: number, b: number) => Math.floor(a / b);

/** img[..., start:stop] along dim, with Python's slice rules (negative ends count from the end, out of range clamps). */
function pySlice(img: Tensor, dim: number, start: number, stop: number): Tensor {
  const n = img.size(dim);
  const norm = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const a = norm(start);
  const b = norm(stop);
  return img.narrow(dim, a, Math.max(b - a, 0));
}

// ---------------------------------------------------------------- sizes

const getDimensionsArgs = def_<{ img: Tensor }>('get_dimensions(Tensor img)');
/** [channels, height, width] of an image. */
export function get_dimensions(...args: [img: Tensor] | [{ img: Tensor }]): number[] {
  const { img } = getDimensionsArgs(args);
  return dims(assertImage('get_dimensions', img));
}

const getImageSizeArgs = def_<{ img: Tensor }>('get_image_size(Tensor img)');
/** [width, height] of an image. */
export function get_image_size(...args: [img: Tensor] | [{ img: Tensor }]): number[] {
  const { img } = getImageSizeArgs(args);
  const [, h, w] = dims(assertImage('get_image_size', img));
  return [w, h];
}

const getNumChannelsArgs = def_<{ img: Tensor }>('get_image_num_channels(Tensor img)');
export function get_image_num_channels(...args: [img: Tensor] | [{ img: Tensor }]): number {
  const { img } = getNumChannelsArgs(args);
  return dims(assertImage('get_image_num_channels', img))[0];
}

// ---------------------------------------------------------------- conversions

function checkHWC(fn: string, pic: unknown): Tensor {
  if (!(pic instanceof Tensor)) throw new TypeError(`${fn}: pic should be a uint8 image Tensor (H, W) or (H, W, C), as PIL or numpy hold it. Got ${describeValue(pic)}`);
  if (pic.ndim !== 2 && pic.ndim !== 3) throw new RangeError(`${fn}: pic should be 2/3 dimensional. Got ${pic.ndim} dimensions.`);
  return pic;
}

const toTensorArgs = def_<{ pic: Tensor }>('to_tensor(Tensor pic)');
/** numpy's (H, W) or (H, W, C) image as (C, H, W); uint8 scaled to [0, 1] in the default dtype, other dtypes kept. */
export function to_tensor(...args: [pic: Tensor] | [{ pic: Tensor }]): Tensor {
  const { pic } = toTensorArgs(args);
  const x = checkHWC('to_tensor', pic);
  const img = (x.ndim === 2 ? x.unsqueeze(-1) : x).permute(2, 0, 1).contiguous();
  return img.dtype === uint8 ? img.to(get_default_dtype()).div(255) : img;
}

const pilToTensorArgs = def_<{ pic: Tensor }>('pil_to_tensor(Tensor pic)');
/**
 * A PIL-like (H, W) or (H, W, C) image as (C, H, W), its dtype kept. An
 * 'I;16' image, held here as the int16 of its samples (to_pil_image's), is
 * numpy's uint16 in Python, which torch takes from 2.3 (beside torchvision
 * 0.18) as torch.uint16: the same bits, viewed so. Before, torch refused it;
 * here it stays int16.
 */
export function pil_to_tensor(...args: [pic: Tensor] | [{ pic: Tensor }]): Tensor {
  const { pic } = pilToTensorArgs(args);
  const x = checkHWC('pil_to_tensor', pic);
  const img = (x.ndim === 2 ? x.unsqueeze(-1) : x).permute(2, 0, 1);
  return img.dtype === int16 && torchvisionAtLeast(18) ? img.view(uint16) : img;
}

/** PIL's image modes that to_pil_image makes: what each holds, and the dtype of its pixels here. */
export type PILMode = 'L' | 'I;16' | 'I' | 'F' | 'LA' | 'RGB' | 'YCbCr' | 'HSV' | 'RGBA' | 'CMYK' | 'RGBX';

const CHANNEL_MODES: Record<number, string[]> = { 2: ['LA'], 3: ['RGB', 'YCbCr', 'HSV'], 4: ['RGBA', 'CMYK', 'RGBX'] };
const pyList = (v: string[]) => `[${v.map((m) => `'${m}'`).join(', ')}]`;

const toPilImageArgs = def_<{ pic: Tensor; mode: string | null }>('to_pil_image(Tensor pic, str? mode=None)');
/**
 * A (C, H, W) or (H, W) tensor as the PIL image torchvision's to_pil_image
 * makes of it, which here is the array PIL holds: (H, W) for one channel,
 * (H, W, C) for 2 to 4, on the CPU, a copy. A float tensor becomes uint8 by
 * pic.mul(255).byte() (truncating, as torchvision does) unless mode is 'F'.
 * The mode, when not given, follows the channels and dtype: one channel
 * uint8 'L', int16 'I;16', int32 'I', float32 'F'; 2 channels 'LA', 3
 * 'RGB', 4 'RGBA' (uint8 only). A mode given must be one the channels
 * permit; its pixels are the same bytes whichever it is (an image here
 * carries no mode: 'YCbCr' and 'RGB' hold the same tensor). torchvision's
 * numpy path (an (H, W, C) ndarray) has no counterpart: a tensor is (C, H, W).
 */
export function to_pil_image(...args: PyArgs<[pic: Tensor], [mode: PILMode | null], { pic: Tensor; mode: PILMode | null }>): Tensor {
  const { pic, mode } = toPilImageArgs(args);
  return _to_pil_image(pic, mode);
}

export function _to_pil_image(pic: unknown, mode: string | null, fn = 'to_pil_image'): Tensor {
  if (!(pic instanceof Tensor)) throw new TypeError(`${fn}: pic should be Tensor or ndarray. Got ${describeValue(pic)}.`);
  if (pic.ndim !== 2 && pic.ndim !== 3) throw new RangeError(`${fn}: pic should be 2/3 dimensional. Got ${pic.ndim} dimensions.`);
  let img = pic.ndim === 2 ? pic.unsqueeze(0) : pic;
  const c = img.size(0);
  if (c > 4) throw new RangeError(`${fn}: pic should not have > 4 channels. Got ${c} channels.`);
  // torchvision would go on to ask PIL for an image of no bands, which PIL refuses.
  if (c === 0) throw new RangeError(`${fn}: pic should have 1 to 4 channels. Got 0 channels.`);
  if (img.is_floating_point() && mode !== 'F') img = img.mul(255).to(uint8);
  // Python takes the pixels out through numpy, which refuses a tensor that requires grad up to
  // torchvision 0.14; later releases call pic.numpy(force=True), which detaches it.
  if (img.requires_grad && !torchvisionAtLeast(15)) throw new TypeError(`${fn}: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.`);
  const d = img.dtype;
  let out = mode;
  if (c === 1) {
    const expected = d === uint8 ? 'L' : d === int16 ? 'I;16' : d === int32 ? 'I' : d === float32 ? 'F' : null;
    if (mode !== null && mode !== expected) throw new RangeError(`${fn}: Incorrect mode (${mode}) supplied for input type ${d.name}. Should be ${expected === null ? 'None' : expected}`);
    out = expected;
  } else {
    const permitted = CHANNEL_MODES[c];
    if (mode !== null && !permitted.includes(mode)) throw new RangeError(`${fn}: Only modes ${pyList(permitted)} are supported for ${c}D inputs`);
    if (mode === null && d === uint8) out = permitted[0];
    // PIL would read a wider dtype's bytes as if they were uint8 pixels: no image torchvision means to make.
    if (out !== null && d !== uint8) throw new TypeError(`${fn}: mode ${out} holds uint8 pixels; got ${d.name} (PIL would reinterpret its bytes). Convert the image to uint8 first`);
  }
  if (out === null) throw new TypeError(`${fn}: Input type ${d.name} is not supported`);
  const hwc = img.detach().cpu().permute(1, 2, 0);
  const pixels = c === 1 ? hwc.squeeze(2) : hwc;
  // PIL's image holds its own pixels: never a view of pic.
  return pixels.is_contiguous() ? pixels.clone() : pixels.contiguous();
}

function maxValue(d: DType): number {
  if (d === uint8) return 255;
  // torch.uint16 (PyTorch 2.3+), which torchvision 0.21 decodes 16-bit PNGs to.
  if (d.name === 'uint16') return 65535;
  if (d === int8) return 127;
  if (d === int16) return 32767;
  if (d === int32) return 2147483647;
  // 2**63 - 1 as Python's float() of it.
  if (d === int64) return 9223372036854775807;
  return 1;
}

const convertArgs = def_<{ image: Tensor; dtype: DType }>('convert_image_dtype(Tensor image, ScalarType? dtype=None)');
/** An image to another dtype, rescaling its values to that dtype's range (float [0, 1], int [0, max]). */
export function convert_image_dtype(...args: PyArgs<[image: Tensor], [dtype: DType], { image: Tensor; dtype: DType }>): Tensor {
  const { image, dtype } = convertArgs(args);
  return _convert_image_dtype(image, dtype ?? float32);
}

export function _convert_image_dtype(image: Tensor, dtype: DType): Tensor {
  if (image.dtype === dtype) return image;
  if (image.is_floating_point()) {
    if (dtype.is_floating_point) return image.to(dtype);
    if ((image.dtype === float32 && (dtype === int32 || dtype === int64)) || (image.dtype === float64 && dtype === int64)) {
      throw new TypeError(`convert_image_dtype: The cast from ${String(image.dtype)} to ${String(dtype)} cannot be performed safely.`);
    }
    // max + 1 - eps spreads [0, 1] evenly over the ints; only 1.0 itself maps to max.
    const eps = 1e-3;
    return image.mul(maxValue(dtype) + 1.0 - eps).to(dtype);
  }
  const inputMax = maxValue(image.dtype);
  if (dtype.is_floating_point) return image.to(dtype).div(inputMax);
  const outputMax = maxValue(dtype);
  if (inputMax > outputMax) {
    const factor = Math.floor((inputMax + 1) / (outputMax + 1));
    return torch.div(image, factor, { rounding_mode: 'floor' }).to(dtype);
  }
  const factor = Math.floor((outputMax + 1) / (inputMax + 1));
  return image.to(dtype).mul(factor);
}

const normalizeArgs = def_<{ tensor: Tensor; mean: number[]; std: number[]; inplace: boolean }>('normalize(Tensor tensor, float[] mean, float[] std, bool inplace=False)');
/** (tensor - mean[c]) / std[c] per channel of a float (..., C, H, W) image. */
export function normalize(...args: PyArgs<[tensor: Tensor, mean: number[], std: number[]], [inplace: boolean], { tensor: Tensor; mean: number[]; std: number[]; inplace: boolean }>): Tensor {
  const { tensor, mean, std, inplace } = normalizeArgs(args);
  return _normalize(tensor, mean, std, inplace);
}

export function _normalize(tensor: Tensor, mean: number[], std: number[], inplace: boolean): Tensor {
  assertImage('normalize', tensor);
  if (!tensor.is_floating_point()) throw new TypeError(`normalize: Input tensor should be a float tensor. Got ${String(tensor.dtype)}.`);
  if (tensor.ndim < 3) throw new RangeError(`normalize: Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = ${String(tensor.shape)}`);
  const out = inplace ? tensor : tensor.clone();
  const m = torch.tensor(mean, { dtype: out.dtype });
  const s = torch.tensor(std, { dtype: out.dtype });
  if (s.eq(0).any().item()) throw new RangeError(`normalize: std evaluated to zero after conversion to ${String(out.dtype)}, leading to division by zero.`);
  return out.sub_(m.view(-1, 1, 1)).div_(s.view(-1, 1, 1));
}

// ---------------------------------------------------------------- geometry

/** torchvision's _cast_squeeze_in: NCHW in one of dtypes. */
function castSqueezeIn(img: Tensor, dtypes: DType[]): [Tensor, boolean, boolean, DType] {
  let x = img;
  const needSqueeze = x.ndim < 4;
  if (needSqueeze) x = x.unsqueeze(0);
  const outDtype = x.dtype;
  const needCast = !dtypes.includes(outDtype);
  if (needCast) x = x.to(dtypes[0]);
  return [x, needCast, needSqueeze, outDtype];
}

function castSqueezeOut(img: Tensor, needCast: boolean, needSqueeze: boolean, outDtype: DType): Tensor {
  let x = img;
  if (needSqueeze) x = x.squeeze(0);
  if (needCast) {
    // Rounding before the cast: truncation would bias every value down.
    if (!outDtype.is_floating_point && outDtype.name !== 'bool') x = torch.round(x);
    x = x.to(outDtype);
  }
  return x;
}

/** torchvision's _compute_resized_output_size: [h, w]. */
function resizedOutputSize(h: number, w: number, size: number[], maxSize: number | null): [number, number] {
  if (size.length === 2) return [size[0], size[1]];
  const [short, long] = w <= h ? [w, h] : [h, w];
  const requested = size[0];
  let newShort = requested;
  let newLong = Math.trunc((requested * long) / short);
  if (maxSize !== null) {
    if (maxSize <= requested) {
      throw new RangeError(`resize: max_size = ${maxSize} must be strictly greater than the requested size for the smaller edge size = ${size.length === 1 ? `[${size[0]}]` : size[0]}`);
    }
    if (newLong > maxSize) [newShort, newLong] = [Math.trunc((maxSize * newShort) / newLong), maxSize];
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

export type SizeArg = number | number[];

export function _checkSize(fn: string, size: unknown, allowed: number[] = [1, 2]): number[] {
  if (isInt(size)) return [size];
  if (!isIntList(size)) throw new TypeError(`${fn}: Size should be int or sequence of ints. Got ${describeValue(size)}`);
  if (!allowed.includes(size.length)) throw new RangeError(`${fn}: Size must be an int or a 1 or 2 element tuple/list, not a ${size.length} element tuple/list`);
  return size;
}

/**
 * The antialias default of resize, resized_crop, Resize and
 * RandomResizedCrop. None (off, for tensors) up to torchvision 0.16; 0.17
 * made it True, for the PIL and tensor backends to agree.
 */
export const _ANTIALIAS_DEFAULT: boolean | null = torchvisionAtLeast(17) ? true : null;
/** The default as the signatures below print it. */
export const _ANTIALIAS_DEFAULT_PY = _ANTIALIAS_DEFAULT === null ? 'None' : 'True';

interface ResizeKwargs {
  img: Tensor;
  size: SizeArg;
  interpolation: InterpolationMode;
  max_size: number | null;
  antialias: boolean | null;
}
const resizeArgs = def_<ResizeKwargs>(`resize(Tensor img, Any size, str interpolation='bilinear', int? max_size=None, bool? antialias=${_ANTIALIAS_DEFAULT_PY})`);
/**
 * Resizes (..., H, W) to size: [h, w], or an int for the smaller edge (the
 * other keeps the aspect ratio, truncated). Tensors interpolate with
 * align_corners=False; antialias (bilinear and bicubic only) is on by
 * default from torchvision 0.17, off unless asked before (_ANTIALIAS_DEFAULT).
 */
export function resize(...args: PyArgs<[img: Tensor, size: SizeArg], [interpolation: InterpolationMode, max_size: number | null, antialias: boolean | null], ResizeKwargs>): Tensor {
  const a = resizeArgs(args);
  return _resize(a.img, a.size, a.interpolation, a.max_size, a.antialias);
}

export function _resize(img: Tensor, size: SizeArg, interpolation: InterpolationMode, maxSize: number | null, antialias: boolean | null): Tensor {
  const fn = 'resize';
  const mode = _checkInterpolation(fn, interpolation);
  const sz = _checkSize(fn, size);
  if (maxSize !== null && sz.length !== 1) {
    throw new RangeError('resize: max_size should only be passed if size specifies the length of the smaller edge, i.e. size should be an int or a sequence of length 1 in torchscript mode.');
  }
  const [, h, w] = dims(assertImage(fn, img));
  const [oh, ow] = resizedOutputSize(h, w, sz, maxSize);
  if (oh !== h || ow !== w) assertCHW(fn, img);
  if (oh === h && ow === w) return img;
  if (!['nearest', 'nearest-exact', 'bilinear', 'bicubic'].includes(mode)) {
    throw new RangeError(`resize: interpolation '${mode}' is only for PIL images; tensors take ${torchvisionAtLeast(15) ? "'nearest', 'nearest-exact'" : "'nearest'"}, 'bilinear' or 'bicubic'`);
  }
  let aa = antialias ?? false;
  if (aa && mode !== 'bilinear' && mode !== 'bicubic') {
    // 0.17, making True the default, stopped refusing it for the other modes: it means nothing there.
    if (!torchvisionAtLeast(17)) throw new RangeError('resize: Antialias option is supported for bilinear and bicubic interpolation modes only');
    aa = false;
  }
  const [x, needCast, needSqueeze, outDtype] = castSqueezeIn(img, [float32, float64]);
  const alignCorners = mode === 'bilinear' || mode === 'bicubic' ? false : null;
  let out = F.interpolate(x, { size: [oh, ow], mode: mode as 'nearest' | 'nearest-exact' | 'bilinear' | 'bicubic', align_corners: alignCorners, antialias: aa });
  if (mode === 'bicubic' && outDtype === uint8) out = out.clamp(0, 255);
  return castSqueezeOut(out, needCast, needSqueeze, outDtype);
}

export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** torchvision's _parse_pad_padding: [left, right, top, bottom]. */
function parsePadding(fn: string, padding: unknown): number[] {
  if (isInt(padding)) return [padding, padding, padding, padding];
  if (!isIntList(padding)) throw new TypeError(`${fn}: Got inappropriate padding arg: expected an int or a list of 1, 2 or 4 ints, got ${describeValue(padding)}`);
  if (padding.length === 1) return [padding[0], padding[0], padding[0], padding[0]];
  if (padding.length === 2) return [padding[0], padding[0], padding[1], padding[1]];
  if (padding.length === 4) return [padding[0], padding[2], padding[1], padding[3]];
  throw new RangeError(`${fn}: Padding must be an int or a 1, 2, or 4 element tuple, not a ${padding.length} element tuple`);
}

interface PadKwargs {
  img: Tensor;
  padding: number | number[];
  fill: number | null;
  padding_mode: PaddingMode;
}
const padArgs = def_<PadKwargs>("pad(Tensor img, Any padding, float? fill=0, str padding_mode='constant')");
/**
 * Pads the last two dimensions: padding is an int for all sides, [lr, tb],
 * or [left, top, right, bottom]; padding_mode constant (fill), edge,
 * reflect or symmetric.
 */
export function pad(...args: PyArgs<[img: Tensor, padding: number | number[]], [fill: number | null, padding_mode: PaddingMode], PadKwargs>): Tensor {
  const a = padArgs(args);
  return _pad(a.img, a.padding, a.fill, a.padding_mode);
}

export function _pad(img: Tensor, padding: number | number[], fill: number | null, paddingMode: string): Tensor {
  const fn = 'pad';
  assertImage(fn, img);
  if (fill !== null && typeof fill !== 'number') throw new TypeError(`${fn}: Got inappropriate fill arg: expected a number, got ${describeValue(fill)}`);
  const p = parsePadding(fn, padding);
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(paddingMode)) {
    throw new RangeError(`${fn}: Padding mode should be either constant, edge, reflect or symmetric, got '${paddingMode}'`);
  }
  if (paddingMode === 'symmetric') return padSymmetric(img, p);
  const mode = paddingMode === 'edge' ? 'replicate' : paddingMode;
  let x = img;
  const needSqueeze = x.ndim < 4;
  if (needSqueeze) x = x.unsqueeze(0);
  const outDtype = x.dtype;
  // reflect and replicate take only floats (pytorch/pytorch#40763): torchvision casts there and back.
  const needCast = mode !== 'constant' && outDtype !== float32 && outDtype !== float64;
  if (needCast) x = x.to(float32);
  x = mode === 'constant' ? F.pad(x, p, { mode, value: fill ?? 0 }) : F.pad(x, p, { mode });
  if (needSqueeze) x = x.squeeze(0);
  if (needCast) x = x.to(outDtype);
  return x;
}

/** torchvision's _pad_symmetric: mirror including the edge pixel; negative padding crops. */
function padSymmetric(img: Tensor, padding: number[]): Tensor {
  let x = img;
  let p = padding;
  if (p.some((v) => v < 0)) {
    const [cl, cr, ct, cb] = p.map((v) => -Math.min(v, 0));
    x = pySlice(pySlice(x, -2, ct, x.size(-2) - cb), -1, cl, x.size(-1) - cr);
    p = p.map((v) => Math.max(v, 0));
  }
  if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`pad: Symmetric padding of N-D tensors are not supported yet: got ${x.ndim} dimensions, expected 3 or 4`);
  const indices = (n: number, before: number, after: number) => {
    const idx: number[] = [];
    for (let i = before - 1; i >= 0; i--) idx.push(i);
    for (let i = 0; i < n; i++) idx.push(i);
    for (let i = 0; i < after; i++) idx.push(n - (i + 1));
    return torch.tensor(idx, { dtype: int64 });
  };
  const ys = indices(x.size(-2), p[2], p[3]);
  const xs = indices(x.size(-1), p[0], p[1]);
  return x.index_select(x.ndim - 2, ys).index_select(x.ndim - 1, xs);
}

interface CropKwargs {
  img: Tensor;
  top: number;
  left: number;
  height: number;
  width: number;
}
const cropArgs = def_<CropKwargs>('crop(Tensor img, int top, int left, int height, int width)');
/** img[..., top:top+height, left:left+width]; parts outside the image are zero-padded. */
export function crop(...args: [img: Tensor, top: number, left: number, height: number, width: number] | [CropKwargs]): Tensor {
  const a = cropArgs(args);
  return _crop(a.img, a.top, a.left, a.height, a.width);
}

export function _crop(img: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const [, h, w] = dims(assertImage('crop', img));
  const right = left + width;
  const bottom = top + height;
  if (left < 0 || top < 0 || right > w || bottom > h) {
    const ltrb = [Math.max(-left + Math.min(0, right), 0), Math.max(-top + Math.min(0, bottom), 0), Math.max(right - Math.max(w, left), 0), Math.max(bottom - Math.max(h, top), 0)];
    const inside = pySlice(pySlice(img, -2, Math.max(top, 0), bottom), -1, Math.max(left, 0), right);
    return _pad(inside, ltrb, 0, 'constant');
  }
  return img.narrow(-2, top, height).narrow(-1, left, width);
}

/** torchvision's _setup_size: [h, w] from an int or a list of one or two. */
export function _setupSize(fn: string, size: unknown): [number, number] {
  if (typeof size === 'number') return [Math.trunc(size), Math.trunc(size)];
  if (isIntList(size) && size.length === 1) return [size[0], size[0]];
  if (!isIntList(size) || size.length !== 2) throw new RangeError(`${fn}: Please provide only two dimensions (h, w) for size. Got ${describeValue(size)}`);
  return [size[0], size[1]];
}

const centerCropArgs = def_<{ img: Tensor; output_size: SizeArg }>('center_crop(Tensor img, Any output_size)');
/** The central output_size crop; an image smaller than it is zero-padded first. */
export function center_crop(...args: [img: Tensor, output_size: SizeArg] | [{ img: Tensor; output_size: SizeArg }]): Tensor {
  const { img, output_size } = centerCropArgs(args);
  return _center_crop(img, output_size);
}

export function _center_crop(img: Tensor, outputSize: SizeArg): Tensor {
  const [ch, cw] = _setupSize('center_crop', outputSize);
  let x = img;
  let [, h, w] = dims(assertImage('center_crop', x));
  if (cw > w || ch > h) {
    const ltrb = [cw > w ? floorDiv(cw - w, 2) : 0, ch > h ? floorDiv(ch - h, 2) : 0, cw > w ? floorDiv(cw - w + 1, 2) : 0, ch > h ? floorDiv(ch - h + 1, 2) : 0];
    x = _pad(x, ltrb, 0, 'constant');
    [, h, w] = dims(x);
    if (cw === w && ch === h) return x;
  }
  return _crop(x, _pyRound((h - ch) / 2.0), _pyRound((w - cw) / 2.0), ch, cw);
}

interface ResizedCropKwargs extends CropKwargs {
  size: SizeArg;
  interpolation: InterpolationMode;
  antialias: boolean | null;
}
const resizedCropArgs = def_<ResizedCropKwargs>(`resized_crop(Tensor img, int top, int left, int height, int width, Any size, str interpolation='bilinear', bool? antialias=${_ANTIALIAS_DEFAULT_PY})`);
/** crop, then resize to size. */
export function resized_crop(
  ...args: PyArgs<[img: Tensor, top: number, left: number, height: number, width: number, size: SizeArg], [interpolation: InterpolationMode, antialias: boolean | null], ResizedCropKwargs>
): Tensor {
  const a = resizedCropArgs(args);
  return _resize(_crop(a.img, a.top, a.left, a.height, a.width), a.size, a.interpolation, null, a.antialias);
}

const flipArgs = def_<{ img: Tensor }>('hflip(Tensor img)');
/** Mirrors left to right. */
export function hflip(...args: [img: Tensor] | [{ img: Tensor }]): Tensor {
  return assertImage('hflip', flipArgs(args).img).flip(-1);
}

const vflipArgs = def_<{ img: Tensor }>('vflip(Tensor img)');
/** Mirrors top to bottom. */
export function vflip(...args: [img: Tensor] | [{ img: Tensor }]): Tensor {
  return assertImage('vflip', vflipArgs(args).img).flip(-2);
}

// ---------------------------------------------------------------- affine and rotation

/** torchvision's _get_inverse_affine_matrix: the output-to-input map of rotate/affine, as 6 numbers. */
export function _get_inverse_affine_matrix(center: number[], angle: number, translate: number[], scale: number, shear: number[], inverted = true): number[] {
  // math.radians: x * (pi / 180), in that order.
  const rad = (d: number) => d * (Math.PI / 180);
  const rot = rad(angle);
  const sx = rad(shear[0]);
  const sy = rad(shear[1]);
  const [cx, cy] = center;
  const [tx, ty] = translate;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  let m: number[];
  if (inverted) {
    m = [d, -b, 0.0, -c, a, 0.0].map((v) => v / scale);
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
    m[2] += cx;
    m[5] += cy;
  } else {
    m = [a, b, 0.0, c, d, 0.0].map((v) => v * scale);
    m[2] += m[0] * -cx + m[1] * -cy;
    m[5] += m[3] * -cx + m[4] * -cy;
    m[2] += cx + tx;
    m[5] += cy + ty;
  }
  return m;
}

/** torchvision's _gen_affine_grid: pixel centres mapped by theta, normalised by the input's size. */
function genAffineGrid(theta: Tensor, w: number, h: number, ow: number, oh: number): Tensor {
  const d = 0.5;
  const xs = torch.linspace(-ow * 0.5 + d, ow * 0.5 + d - 1, ow).to(theta.dtype);
  const ys = torch.linspace(-oh * 0.5 + d, oh * 0.5 + d - 1, oh).to(theta.dtype);
  const base = torch.stack([xs.view(1, ow).expand(oh, ow), ys.view(oh, 1).expand(oh, ow), torch.ones([oh, ow], { dtype: theta.dtype })], -1).view(1, oh, ow, 3);
  const rescaled = theta.transpose(1, 2).div(torch.tensor([0.5 * w, 0.5 * h], { dtype: theta.dtype }));
  return base.view(1, oh * ow, 3).bmm(rescaled).view(1, oh, ow, 2);
}

/** torchvision's _apply_grid_transform: grid_sample, with a mask channel to paint fill where the grid left the image. */
function applyGridTransform(img: Tensor, grid0: Tensor, mode: string, fill: number[] | null): Tensor {
  let [x, needCast, needSqueeze, outDtype] = castSqueezeIn(img, [grid0.dtype]);
  let grid = grid0;
  if (x.size(0) > 1) grid = grid.expand(x.size(0), grid.size(1), grid.size(2), grid.size(3));
  if (fill !== null) {
    const mask = torch.ones([x.size(0), 1, x.size(2), x.size(3)], { dtype: x.dtype });
    x = torch.cat([x, mask], 1);
  }
  x = F.grid_sample(x, grid, { mode: mode as 'nearest' | 'bilinear', padding_mode: 'zeros', align_corners: false });
  if (fill !== null) {
    const c = x.size(1);
    let mask = x.narrow(1, c - 1, 1);
    x = x.narrow(1, 0, c - 1);
    mask = mask.expand_as(x);
    const fillImg = torch.tensor(fill, { dtype: x.dtype }).view(1, fill.length, 1, 1).expand_as(x);
    x = mode === 'nearest' ? torch.where(mask.lt(0.5), fillImg, x) : x.mul(mask).add(torch.rsub(mask, 1.0).mul(fillImg));
  }
  return castSqueezeOut(x, needCast, needSqueeze, outDtype);
}

function checkFill(fn: string, img: Tensor, fill: unknown): number[] | null {
  if (fill === null) return null;
  if (typeof fill === 'number') return [fill];
  if (!Array.isArray(fill) || !fill.every((v) => typeof v === 'number')) throw new TypeError(`${fn}: Argument fill should be either int, float, or a list of them, got ${describeValue(fill)}`);
  const c = dims(img)[0];
  if (fill.length > 1 && fill.length !== c) {
    throw new RangeError(`${fn}: The number of elements in 'fill' cannot broadcast to match the number of channels of the image (${fill.length} != ${c})`);
  }
  return fill;
}

/** torchvision's _compute_affine_output_size: the bounding box (w, h) of the transformed corners. */
function affineOutputSize(matrix: number[], w: number, h: number): [number, number] {
  const pts = torch.tensor([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0], [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]], { dtype: float32 });
  const theta = torch.tensor(matrix, { dtype: float32 }).view(2, 3);
  const newPts = torch.matmul(pts, theta.t());
  const shift = torch.tensor([w * 0.5, h * 0.5], { dtype: float32 });
  const minVals = newPts.amin(0).add(shift);
  const maxVals = newPts.amax(0).add(shift);
  // Truncating to 1e-4 keeps a ceil of 1e-15 from adding a pixel.
  const tol = 1e-4;
  const cmax = torch.ceil(maxVals.div(tol).trunc().mul(tol));
  const cmin = torch.floor(minVals.div(tol).trunc().mul(tol));
  const size = cmax.sub(cmin).tolist() as number[];
  return [Math.trunc(size[0]), Math.trunc(size[1])];
}

interface RotateKwargs {
  img: Tensor;
  angle: number;
  interpolation: InterpolationMode;
  expand: boolean;
  center: number[] | null;
  fill: number[] | null;
}
const rotateArgs = def_<RotateKwargs>("rotate(Tensor img, float angle, str interpolation='nearest', bool expand=False, Any center=None, Any fill=None)");
/**
 * Rotates by angle degrees counter-clockwise about center ([x, y] in
 * pixels; the image centre by default); expand grows the output to hold the
 * whole rotated image; fill paints the area outside it (zeros when null).
 */
export function rotate(
  ...args: PyArgs<[img: Tensor, angle: number], [interpolation: InterpolationMode, expand: boolean, center: number[] | null, fill: number[] | null], RotateKwargs>
): Tensor {
  const a = rotateArgs(args);
  return _rotate(a.img, a.angle, a.interpolation, a.expand, a.center, a.fill);
}

export function _rotate(img: Tensor, angle: number, interpolation: InterpolationMode, expand: boolean, center: number[] | null, fill: number[] | number | null): Tensor {
  const fn = 'rotate';
  const mode = _checkInterpolation(fn, interpolation);
  assertImage(fn, img);
  if (center !== null && !(Array.isArray(center) && center.length === 2 && center.every((v) => typeof v === 'number'))) {
    throw new TypeError(`${fn}: Argument center should be a sequence of two numbers [x, y], got ${describeValue(center)}`);
  }
  const fillList = checkFill(fn, img, fill);
  if (mode !== 'nearest' && mode !== 'bilinear') throw new RangeError(`${fn}: Interpolation mode '${mode}' is unsupported with Tensor input`);
  assertCHW(fn, img);
  const [, h, w] = dims(img);
  const centerF = center === null ? [0.0, 0.0] : [1.0 * (center[0] - w * 0.5), 1.0 * (center[1] - h * 0.5)];
  const matrix = _get_inverse_affine_matrix(centerF, -angle, [0.0, 0.0], 1.0, [0.0, 0.0]);
  const [ow, oh] = expand ? affineOutputSize(matrix, w, h) : [w, h];
  const dt = img.is_floating_point() ? img.dtype : float32;
  const theta = torch.tensor(matrix, { dtype: dt }).reshape(1, 2, 3);
  return applyGridTransform(img, genAffineGrid(theta, w, h, ow, oh), mode, fillList);
}

interface AffineKwargs {
  img: Tensor;
  angle: number;
  translate: number[];
  scale: number;
  shear: number | number[];
  interpolation: InterpolationMode;
  fill: number[] | null;
  center: number[] | null;
}
const affineArgs = def_<AffineKwargs>("affine(Tensor img, float angle, Any translate, float scale, Any shear, str interpolation='nearest', Any fill=None, Any center=None)");
/**
 * Rotation by angle degrees, translation by translate [tx, ty] pixels,
 * scaling and shear [sx, sy] degrees (one number: sx), about center (the
 * image centre by default), keeping the image size; fill paints outside.
 */
export function affine(
  ...args: PyArgs<
    [img: Tensor, angle: number, translate: number[], scale: number, shear: number | number[]],
    [interpolation: InterpolationMode, fill: number[] | null, center: number[] | null],
    AffineKwargs
  >
): Tensor {
  const a = affineArgs(args);
  return _affine(a.img, a.angle, a.translate, a.scale, a.shear, a.interpolation, a.fill, a.center);
}

export function _affine(img: Tensor, angle: number, translate: number[], scale: number, shear: number | number[], interpolation: InterpolationMode, fill: number[] | number | null, center: number[] | null): Tensor {
  const fn = 'affine';
  const mode = _checkInterpolation(fn, interpolation);
  if (!Array.isArray(translate) || !translate.every((v) => typeof v === 'number')) throw new TypeError(`${fn}: Argument translate should be a sequence of two numbers, got ${describeValue(translate)}`);
  if (translate.length !== 2) throw new RangeError(`${fn}: Argument translate should be a sequence of length 2, got ${translate.length}`);
  if (!(scale > 0.0)) throw new RangeError(`${fn}: Argument scale should be positive, got ${scale}`);
  let sh: number[];
  if (typeof shear === 'number') sh = [shear, 0.0];
  else if (Array.isArray(shear) && shear.every((v) => typeof v === 'number')) sh = shear.length === 1 ? [shear[0], shear[0]] : shear;
  else throw new TypeError(`${fn}: Shear should be either a single value or a sequence of two values, got ${describeValue(shear)}`);
  if (sh.length !== 2) throw new RangeError(`${fn}: Shear should be a sequence containing two values. Got [${sh.join(', ')}]`);
  if (center !== null && !(Array.isArray(center) && center.length === 2 && center.every((v) => typeof v === 'number'))) {
    throw new TypeError(`${fn}: Argument center should be a sequence of two numbers [x, y], got ${describeValue(center)}`);
  }
  const [, h, w] = dims(assertCHW(fn, assertImage(fn, img)));
  const fillList = checkFill(fn, img, fill);
  if (mode !== 'nearest' && mode !== 'bilinear') throw new RangeError(`${fn}: Interpolation mode '${mode}' is unsupported with Tensor input`);
  const centerF = center === null ? [0.0, 0.0] : [1.0 * (center[0] - w * 0.5), 1.0 * (center[1] - h * 0.5)];
  const matrix = _get_inverse_affine_matrix(centerF, angle, translate.map((t) => 1.0 * t), scale, sh);
  const dt = img.is_floating_point() ? img.dtype : float32;
  const theta = torch.tensor(matrix, { dtype: dt }).reshape(1, 2, 3);
  return applyGridTransform(img, genAffineGrid(theta, w, h, w, h), mode, fillList);
}

/**
 * torchvision's _get_perspective_coeffs: the 8 coefficients mapping
 * endpoints to startpoints, by least squares (LAPACK gels): in float32 up
 * to torchvision 0.14; later releases solve in float64, to keep clear of
 * float32's numerical trouble there, and round the solution to float32.
 */
export function _get_perspective_coeffs(startpoints: number[][], endpoints: number[][]): number[] {
  const inDouble = torchvisionAtLeast(15);
  if (inDouble && (startpoints.length !== 4 || endpoints.length !== 4)) {
    throw new RangeError(`_get_perspective_coeffs: Please provide exactly four corners, got ${startpoints.length} startpoints and ${endpoints.length} endpoints.`);
  }
  const rows: number[][] = [];
  endpoints.forEach((p1, i) => {
    const p2 = startpoints[i];
    rows.push([p1[0], p1[1], 1, 0, 0, 0, -p2[0] * p1[0], -p2[0] * p1[1]]);
    rows.push([0, 0, 0, p1[0], p1[1], 1, -p2[1] * p1[0], -p2[1] * p1[1]]);
  });
  const dt = inDouble ? float64 : float32;
  const a = torch.tensor(rows, { dtype: dt });
  const b = torch.tensor(startpoints, { dtype: dt }).view(8);
  return torch.linalg.lstsq(a, b, { driver: 'gels' }).solution.to(float32).tolist() as number[];
}

/** torchvision's _perspective_grid: output pixel centres through the projective map, normalised to [-1, 1]. */
function perspectiveGrid(coeffs: number[], ow: number, oh: number, dt: DType): Tensor {
  const theta1 = torch.tensor([[[coeffs[0], coeffs[1], coeffs[2]], [coeffs[3], coeffs[4], coeffs[5]]]], { dtype: dt });
  const theta2 = torch.tensor([[[coeffs[6], coeffs[7], 1.0], [coeffs[6], coeffs[7], 1.0]]], { dtype: dt });
  const d = 0.5;
  const xs = torch.linspace(d, ow * 1.0 + d - 1.0, ow).to(dt);
  const ys = torch.linspace(d, oh * 1.0 + d - 1.0, oh).to(dt);
  const base = torch.stack([xs.view(1, ow).expand(oh, ow), ys.view(oh, 1).expand(oh, ow), torch.ones([oh, ow], { dtype: dt })], -1).view(1, oh * ow, 3);
  const rescaled1 = theta1.transpose(1, 2).div(torch.tensor([0.5 * ow, 0.5 * oh], { dtype: dt }));
  const grid1 = base.bmm(rescaled1);
  const grid2 = base.bmm(theta2.transpose(1, 2));
  return grid1.div(grid2).sub(1.0).view(1, oh, ow, 2);
}

interface PerspectiveKwargs {
  img: Tensor;
  startpoints: number[][];
  endpoints: number[][];
  interpolation: InterpolationMode;
  fill: number[] | null;
}
const perspectiveArgs = def_<PerspectiveKwargs>("perspective(Tensor img, Any startpoints, Any endpoints, str interpolation='bilinear', Any fill=None)");
/** The projective transform taking the four startpoints [x, y] (corners of the original) to the endpoints. */
export function perspective(
  ...args: PyArgs<[img: Tensor, startpoints: number[][], endpoints: number[][]], [interpolation: InterpolationMode, fill: number[] | null], PerspectiveKwargs>
): Tensor {
  const a = perspectiveArgs(args);
  return _perspective(a.img, a.startpoints, a.endpoints, a.interpolation, a.fill);
}

export function _perspective(img: Tensor, startpoints: number[][], endpoints: number[][], interpolation: InterpolationMode, fill: number[] | number | null): Tensor {
  const fn = 'perspective';
  const points = (v: unknown) => Array.isArray(v) && v.length === 4 && v.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number'));
  if (!points(startpoints) || !points(endpoints)) throw new TypeError(`${fn}: startpoints and endpoints should each be four [x, y] points, got ${describeValue(startpoints)} and ${describeValue(endpoints)}`);
  const mode = _checkInterpolation(fn, interpolation);
  assertImage(fn, img);
  const fillList = checkFill(fn, img, fill);
  if (mode !== 'nearest' && mode !== 'bilinear') throw new RangeError(`${fn}: Interpolation mode '${mode}' is unsupported with Tensor input`);
  assertCHW(fn, img);
  const coeffs = _get_perspective_coeffs(startpoints, endpoints);
  const [, h, w] = dims(img);
  const dt = img.is_floating_point() ? img.dtype : float32;
  return applyGridTransform(img, perspectiveGrid(coeffs, w, h, dt), mode, fillList);
}

const fiveCropArgs = def_<{ img: Tensor; size: SizeArg }>('five_crop(Tensor img, Any size)');
/** The four corner crops and the central crop of size [h, w]: [top-left, top-right, bottom-left, bottom-right, centre]. */
export function five_crop(...args: [img: Tensor, size: SizeArg] | [{ img: Tensor; size: SizeArg }]): Tensor[] {
  const { img, size } = fiveCropArgs(args);
  return _five_crop(img, size);
}

export function _five_crop(img: Tensor, size: SizeArg): Tensor[] {
  const [ch, cw] = _setupSize('five_crop', size);
  const [, h, w] = dims(assertImage('five_crop', img));
  if (cw > w || ch > h) throw new RangeError(`five_crop: Requested crop size (${ch}, ${cw}) is bigger than input size (${h}, ${w})`);
  return [_crop(img, 0, 0, ch, cw), _crop(img, 0, w - cw, ch, cw), _crop(img, h - ch, 0, ch, cw), _crop(img, h - ch, w - cw, ch, cw), _center_crop(img, [ch, cw])];
}

const tenCropArgs = def_<{ img: Tensor; size: SizeArg; vertical_flip: boolean }>('ten_crop(Tensor img, Any size, bool vertical_flip=False)');
/** five_crop of the image, then of its mirror (left-right, or top-bottom with vertical_flip). */
export function ten_crop(...args: PyArgs<[img: Tensor, size: SizeArg], [vertical_flip: boolean], { img: Tensor; size: SizeArg; vertical_flip: boolean }>): Tensor[] {
  const { img, size, vertical_flip } = tenCropArgs(args);
  return _ten_crop(img, size, vertical_flip);
}

export function _ten_crop(img: Tensor, size: SizeArg, verticalFlip: boolean): Tensor[] {
  const first = _five_crop(img, size);
  return [...first, ..._five_crop(verticalFlip ? img.flip(-2) : img.flip(-1), size)];
}

interface ElasticKwargs {
  img: Tensor;
  displacement: Tensor;
  interpolation: InterpolationMode;
  fill: number | number[] | null;
}
const elasticArgs = def_<ElasticKwargs>("elastic_transform(Tensor img, Tensor displacement, str interpolation='bilinear', Any fill=None)");
/** Moves each pixel by displacement (1, H, W, 2), in grid_sample's [-1, 1] units, from the identity grid. */
export function elastic_transform(...args: PyArgs<[img: Tensor, displacement: Tensor], [interpolation: InterpolationMode, fill: number | number[] | null], ElasticKwargs>): Tensor {
  const a = elasticArgs(args);
  return _elastic_transform(a.img, a.displacement, a.interpolation, a.fill);
}

export function _elastic_transform(img: Tensor, displacement: Tensor, interpolation: InterpolationMode, fill: number | number[] | null): Tensor {
  const fn = 'elastic_transform';
  const mode = _checkInterpolation(fn, interpolation);
  const [, h, w] = dims(assertCHW(fn, assertImage(fn, img)));
  const want = [1, h, w, 2];
  if (displacement.ndim !== 4 || want.some((d, i) => displacement.size(i) !== d)) {
    throw new RangeError(`${fn}: Argument displacement shape should be torch.Size([${want.join(', ')}]), but given ${String(displacement.shape)}`);
  }
  if (fill !== null && typeof fill !== 'number' && !(Array.isArray(fill) && fill.every((f) => typeof f === 'number'))) throw new TypeError(`${fn}: fill should be a number or a list of numbers, got ${describeValue(fill)}`);
  const fillList = fill === null ? null : typeof fill === 'number' ? [fill] : checkFill(fn, img, fill);
  if (mode !== 'nearest' && mode !== 'bilinear') throw new RangeError(`${fn}: Interpolation mode '${mode}' is unsupported with Tensor input`);
  // torchvision's _create_identity_grid: pixel centres in [-1, 1], x then y.
  const ys = torch.linspace((-h + 1) / h, (h - 1) / h, h);
  const xs = torch.linspace((-w + 1) / w, (w - 1) / w, w);
  const identity = torch.stack([xs.view(1, w).expand(h, w), ys.view(h, 1).expand(h, w)], -1).unsqueeze(0);
  return applyGridTransform(img, identity.add(displacement), mode, fillList);
}

// ---------------------------------------------------------------- colour

const grayArgs = def_<{ img: Tensor; num_output_channels: number }>('rgb_to_grayscale(Tensor img, int num_output_channels=1)');
/** ITU-R 601-2 luma (0.2989 R + 0.587 G + 0.114 B), in the image's dtype; 1 or 3 output channels. */
export function rgb_to_grayscale(...args: PyArgs<[img: Tensor], [num_output_channels: number], { img: Tensor; num_output_channels: number }>): Tensor {
  const { img, num_output_channels } = grayArgs(args);
  return _rgb_to_grayscale(img, num_output_channels);
}

export function _rgb_to_grayscale(img: Tensor, numOutputChannels = 1): Tensor {
  const fn = 'rgb_to_grayscale';
  checkTensor(fn, img);
  if (img.ndim < 3) throw new TypeError(`${fn}: Input image tensor should have at least 3 dimensions, but found ${img.ndim}`);
  assertChannels(fn, img, [1, 3]);
  if (numOutputChannels !== 1 && numOutputChannels !== 3) throw new RangeError(`${fn}: num_output_channels should be either 1 or 3, got ${numOutputChannels}`);
  let l: Tensor;
  if (img.size(-3) === 3) {
    const [r, g, b] = img.unbind(-3);
    l = r.mul(0.2989).add(g.mul(0.587)).add(b.mul(0.114)).to(img.dtype).unsqueeze(-3);
  } else {
    l = img.clone();
  }
  return numOutputChannels === 3 ? l.expand(...img.shape) : l;
}

/**
 * The top of an image's range where the colour ops clamp or invert: 1 for
 * floats and 255 for every integer dtype up to torchvision 0.14; later
 * releases take the dtype's own maximum (_max_value: 32767 for int16).
 */
function colorBound(d: DType): number {
  if (torchvisionAtLeast(15)) return maxValue(d);
  return d.is_floating_point ? 1 : 255;
}

/** torchvision's _blend: ratio * img1 + (1 - ratio) * img2, clamped to the dtype's range. */
function blend(img1: Tensor, img2: Tensor, ratio: number): Tensor {
  const bound = colorBound(img1.dtype);
  return img1.mul(ratio).add(img2.mul(1.0 - ratio)).clamp(0, bound).to(img1.dtype);
}

function checkFactor(fn: string, name: string, v: number): void {
  if (typeof v !== 'number' || !(v >= 0)) throw new RangeError(`${fn}: ${name} (${v}) is not non-negative.`);
}

const brightnessArgs = def_<{ img: Tensor; brightness_factor: number }>('adjust_brightness(Tensor img, float brightness_factor)');
/** Blends with black: 0 gives black, 1 the image. */
export function adjust_brightness(...args: [img: Tensor, brightness_factor: number] | [{ img: Tensor; brightness_factor: number }]): Tensor {
  const { img, brightness_factor } = brightnessArgs(args);
  return _adjust_brightness(img, brightness_factor);
}

export function _adjust_brightness(img: Tensor, factor: number): Tensor {
  const fn = 'adjust_brightness';
  checkFactor(fn, 'brightness_factor', factor);
  assertChannels(fn, assertImage(fn, img), [1, 3]);
  return blend(img, torch.zeros_like(img), factor);
}

const contrastArgs = def_<{ img: Tensor; contrast_factor: number }>('adjust_contrast(Tensor img, float contrast_factor)');
/** Blends with the mean grey level: 0 gives flat grey, 1 the image. */
export function adjust_contrast(...args: [img: Tensor, contrast_factor: number] | [{ img: Tensor; contrast_factor: number }]): Tensor {
  const { img, contrast_factor } = contrastArgs(args);
  return _adjust_contrast(img, contrast_factor);
}

export function _adjust_contrast(img: Tensor, factor: number): Tensor {
  const fn = 'adjust_contrast';
  checkFactor(fn, 'contrast_factor', factor);
  assertChannels(fn, assertImage(fn, img), [3, 1]);
  const dt = img.is_floating_point() ? img.dtype : float32;
  const grey = dims(img)[0] === 3 ? _rgb_to_grayscale(img).to(dt) : img.to(dt);
  return blend(img, grey.mean([-3, -2, -1], true), factor);
}

const saturationArgs = def_<{ img: Tensor; saturation_factor: number }>('adjust_saturation(Tensor img, float saturation_factor)');
/** Blends with the grey image: 0 gives grey, 1 the image, 2 doubles the saturation. */
export function adjust_saturation(...args: [img: Tensor, saturation_factor: number] | [{ img: Tensor; saturation_factor: number }]): Tensor {
  const { img, saturation_factor } = saturationArgs(args);
  return _adjust_saturation(img, saturation_factor);
}

export function _adjust_saturation(img: Tensor, factor: number): Tensor {
  const fn = 'adjust_saturation';
  checkFactor(fn, 'saturation_factor', factor);
  assertChannels(fn, assertImage(fn, img), [1, 3]);
  if (dims(img)[0] === 1) return img;
  return blend(img, _rgb_to_grayscale(img), factor);
}

function rgb2hsv(img: Tensor): Tensor {
  const [r, g, b] = img.unbind(-3);
  const maxc = img.amax(-3);
  const minc = img.amin(-3);
  // Where max == min, s and h would divide by zero; torchvision divides by one there instead.
  const eqc = maxc.eq(minc);
  const cr = maxc.sub(minc);
  const ones = torch.ones_like(maxc);
  const s = cr.div(torch.where(eqc, ones, maxc));
  const crDivisor = torch.where(eqc, ones, cr);
  const rc = maxc.sub(r).div(crDivisor);
  const gc = maxc.sub(g).div(crDivisor);
  const bc = maxc.sub(b).div(crDivisor);
  const hr = maxc.eq(r).mul(bc.sub(gc));
  const hg = maxc.eq(g).logical_and(maxc.ne(r)).mul(rc.add(2.0).sub(bc));
  const hb = maxc.ne(g).logical_and(maxc.ne(r)).mul(gc.add(4.0).sub(rc));
  const h = torch.fmod(hr.add(hg).add(hb).div(6.0).add(1.0), 1.0);
  return torch.stack([h, s, maxc], -3);
}

function hsv2rgb(img: Tensor): Tensor {
  const [h, s, v] = img.unbind(-3);
  const i0 = torch.floor(h.mul(6.0));
  const f = h.mul(6.0).sub(i0);
  const i = i0.to(int32).remainder(6);
  const p = v.mul(torch.rsub(s, 1.0)).clamp(0.0, 1.0);
  const q = v.mul(torch.rsub(s.mul(f), 1.0)).clamp(0.0, 1.0);
  const t = v.mul(torch.rsub(s.mul(torch.rsub(f, 1.0)), 1.0)).clamp(0.0, 1.0);
  const mask = i.unsqueeze(-3).eq(torch.arange(6).view(-1, 1, 1));
  const a1 = torch.stack([v, q, p, p, t, v], -3);
  const a2 = torch.stack([t, v, v, q, p, p], -3);
  const a3 = torch.stack([p, p, t, v, v, q], -3);
  const a4 = torch.stack([a1, a2, a3], -4);
  return torch.einsum('...ijk, ...xijk -> ...xjk', [mask.to(img.dtype), a4]);
}

const hueArgs = def_<{ img: Tensor; hue_factor: number }>('adjust_hue(Tensor img, float hue_factor)');
/** Shifts the hue by hue_factor turns, in [-0.5, 0.5]. */
export function adjust_hue(...args: [img: Tensor, hue_factor: number] | [{ img: Tensor; hue_factor: number }]): Tensor {
  const { img, hue_factor } = hueArgs(args);
  return _adjust_hue(img, hue_factor);
}

export function _adjust_hue(img: Tensor, factor: number): Tensor {
  const fn = 'adjust_hue';
  if (!(factor >= -0.5 && factor <= 0.5)) throw new RangeError(`${fn}: hue_factor (${factor}) is not in [-0.5, 0.5].`);
  assertChannels(fn, assertImage(fn, img), [1, 3]);
  if (dims(img)[0] === 1) return img;
  const origDtype = img.dtype;
  // Up to 0.14 only uint8 went to float (and back by a truncating * 255);
  // later releases convert_image_dtype every image to float32 and back, so
  // a float64 image is adjusted in float32, and uint8 returns by * (256 - 1e-3).
  const toFloat = torchvisionAtLeast(15);
  let x = toFloat ? _convert_image_dtype(img, float32) : img.dtype === uint8 ? img.to(float32).div(255.0) : img;
  const [h, s, v] = rgb2hsv(x).unbind(-3);
  x = hsv2rgb(torch.stack([h.add(factor).remainder(1.0), s, v], -3));
  if (toFloat) return _convert_image_dtype(x, origDtype);
  return origDtype === uint8 ? x.mul(255.0).to(origDtype) : x;
}

const gammaArgs = def_<{ img: Tensor; gamma: number; gain: number }>('adjust_gamma(Tensor img, float gamma, float gain=1)');
/** gain * img ** gamma, on [0, 1] values. */
export function adjust_gamma(...args: PyArgs<[img: Tensor, gamma: number], [gain: number], { img: Tensor; gamma: number; gain: number }>): Tensor {
  const { img, gamma, gain } = gammaArgs(args);
  const fn = 'adjust_gamma';
  assertChannels(fn, assertImage(fn, img), [1, 3]);
  if (!(gamma >= 0)) throw new RangeError(`${fn}: Gamma should be a non-negative real number, got ${gamma}`);
  const x = img.is_floating_point() ? img : _convert_image_dtype(img, float32);
  return _convert_image_dtype(x.pow(gamma).mul(gain).clamp(0, 1), img.dtype);
}

function assertImage3(fn: string, img: unknown): Tensor {
  const t = assertImage(fn, img);
  if (t.ndim < 3) throw new TypeError(`${fn}: Input image tensor should have at least 3 dimensions, but found ${t.ndim}`);
  return t;
}

const invertArgs = def_<{ img: Tensor }>('invert(Tensor img)');
/** max - img: 1 - x for floats, 255 - x for uint8. */
export function invert(...args: [img: Tensor] | [{ img: Tensor }]): Tensor {
  return _invert(invertArgs(args).img);
}

export function _invert(img: Tensor): Tensor {
  assertChannels('invert', assertImage3('invert', img), [1, 3]);
  if (img.dtype === int64 && torchvisionAtLeast(15)) {
    // (2**63 - 1) - img, which a JS number cannot hold: it is ~img with the sign bit flipped.
    return torch.bitwise_xor(torch.bitwise_not(img), torch.tensor(-(2 ** 63), { dtype: int64 }));
  }
  const bound = torch.tensor(colorBound(img.dtype), { dtype: img.dtype });
  return bound.sub(img);
}

const posterizeArgs = def_<{ img: Tensor; bits: number }>('posterize(Tensor img, int bits)');
/** Keeps the top `bits` bits of each uint8 value. */
export function posterize(...args: [img: Tensor, bits: number] | [{ img: Tensor; bits: number }]): Tensor {
  const { img, bits } = posterizeArgs(args);
  return _posterize(img, bits);
}

export function _posterize(img: Tensor, bits: number): Tensor {
  const fn = 'posterize';
  if (!(bits >= 0 && bits <= 8)) throw new RangeError(`${fn}: The number if bits should be between 0 and 8. Got ${bits}`);
  assertImage3(fn, img);
  if (img.dtype !== uint8) throw new TypeError(`${fn}: Only torch.uint8 image tensors are supported, but found ${String(img.dtype)}`);
  assertChannels(fn, img, [1, 3]);
  // -(2 ** (8 - bits)) is ~(2 ** (8 - bits) - 1): the low bits cleared.
  return torch.bitwise_and(img, -(2 ** (8 - bits)));
}

const solarizeArgs = def_<{ img: Tensor; threshold: number }>('solarize(Tensor img, float threshold)');
/** Inverts the values at or above threshold. */
export function solarize(...args: [img: Tensor, threshold: number] | [{ img: Tensor; threshold: number }]): Tensor {
  const { img, threshold } = solarizeArgs(args);
  return _solarize(img, threshold);
}

export function _solarize(img: Tensor, threshold: number): Tensor {
  const fn = 'solarize';
  assertChannels(fn, assertImage3(fn, img), [1, 3]);
  const bound = colorBound(img.dtype);
  if (threshold > bound) throw new TypeError(`${fn}: Threshold should be less than bound of img: ${threshold} > ${bound}`);
  return torch.where(img.ge(threshold), _invert(img), img);
}

/** torchvision's _blurred_degenerate_image: a 3x3 smoothing (centre weight 5) of the inside, the border kept. */
function blurredDegenerate(img: Tensor): Tensor {
  const dt = img.is_floating_point() ? img.dtype : float32;
  let kernel = torch.ones([3, 3], { dtype: dt });
  kernel.select(0, 1).select(0, 1).fill_(5.0);
  kernel = kernel.div(kernel.sum());
  kernel = kernel.expand(img.size(-3), 1, 3, 3);
  let [x, needCast, needSqueeze, outDtype] = castSqueezeIn(img, [kernel.dtype]);
  x = F.conv2d(x, kernel, { groups: x.size(-3) });
  x = castSqueezeOut(x, needCast, needSqueeze, outDtype);
  const result = img.clone();
  result.narrow(-2, 1, img.size(-2) - 2).narrow(-1, 1, img.size(-1) - 2).copy_(x);
  return result;
}

const sharpnessArgs = def_<{ img: Tensor; sharpness_factor: number }>('adjust_sharpness(Tensor img, float sharpness_factor)');
/** Blends with a smoothed image: 0 gives it, 1 the image, 2 sharpens. */
export function adjust_sharpness(...args: [img: Tensor, sharpness_factor: number] | [{ img: Tensor; sharpness_factor: number }]): Tensor {
  const { img, sharpness_factor } = sharpnessArgs(args);
  return _adjust_sharpness(img, sharpness_factor);
}

export function _adjust_sharpness(img: Tensor, factor: number): Tensor {
  const fn = 'adjust_sharpness';
  checkFactor(fn, 'sharpness_factor', factor);
  assertChannels(fn, assertImage(fn, img), [1, 3]);
  if (img.size(-1) <= 2 || img.size(-2) <= 2) return img;
  return blend(img, blurredDegenerate(img), factor);
}

const autocontrastArgs = def_<{ img: Tensor }>('autocontrast(Tensor img)');
/** Stretches each channel to the full range: its minimum to 0, its maximum to the top. */
export function autocontrast(...args: [img: Tensor] | [{ img: Tensor }]): Tensor {
  return _autocontrast(autocontrastArgs(args).img);
}

export function _autocontrast(img: Tensor): Tensor {
  const fn = 'autocontrast';
  assertChannels(fn, assertImage3(fn, img), [1, 3]);
  const bound = colorBound(img.dtype);
  const dt = img.is_floating_point() ? img.dtype : float32;
  let minimum = img.amin([-2, -1], true).to(dt);
  const maximum = img.amax([-2, -1], true).to(dt);
  // Python's `bound / tensor` is Tensor.__rdiv__: reciprocal() * bound, which rounds otherwise than a division.
  let scale = maximum.sub(minimum).reciprocal().mul(bound);
  // A flat channel (max == min) scales by inf: torchvision leaves it as it is.
  const flat = torch.isfinite(scale).logical_not();
  minimum = torch.where(flat, torch.zeros_like(minimum), minimum);
  scale = torch.where(flat, torch.ones_like(scale), scale);
  return img.sub(minimum).mul(scale).clamp(0, bound).to(img.dtype);
}

function scaleChannel(chan: Tensor): Tensor {
  const hist = torch.bincount(chan.reshape(-1), { minlength: 256 });
  const nonzero = hist.masked_select(hist.ne(0));
  const step = Number(torch.div(nonzero.narrow(0, 0, nonzero.size(0) - 1).sum(), 255, { rounding_mode: 'floor' }).item());
  if (step === 0) return chan;
  let lut = torch.div(torch.cumsum(hist, 0).add(Math.floor(step / 2)), step, { rounding_mode: 'floor' });
  lut = F.pad(lut, [1, 0]).narrow(0, 0, 256).clamp(0, 255);
  return lut.index_select(0, chan.to(int64).reshape(-1)).reshape(...chan.shape).to(uint8);
}

const equalizeArgs = def_<{ img: Tensor }>('equalize(Tensor img)');
/** Histogram equalisation of each channel of a uint8 (C, H, W) or (N, C, H, W) image. */
export function equalize(...args: [img: Tensor] | [{ img: Tensor }]): Tensor {
  return _equalize(equalizeArgs(args).img);
}

export function _equalize(img: Tensor): Tensor {
  const fn = 'equalize';
  assertImage(fn, img);
  if (img.ndim < 3 || img.ndim > 4) throw new TypeError(`${fn}: Input image tensor should have 3 or 4 dimensions, but found ${img.ndim}`);
  if (img.dtype !== uint8) throw new TypeError(`${fn}: Only torch.uint8 image tensors are supported, but found ${String(img.dtype)}`);
  assertChannels(fn, img, [1, 3]);
  const single = (x: Tensor) => torch.stack(x.unbind(0).map(scaleChannel));
  return img.ndim === 3 ? single(img) : torch.stack(img.unbind(0).map(single));
}

// ---------------------------------------------------------------- filters and erasing

/**
 * torchvision's _get_gaussian_kernel1d, in dtype: computed in float32 and
 * then cast up to torchvision 0.14; later releases compute it in the
 * kernel's own dtype (float64 for a float64 image).
 */
function gaussianKernel1d(size: number, sigma: number, dtype: DType): Tensor {
  const half = (size - 1) * 0.5;
  const x = torchvisionAtLeast(15) ? torch.linspace(-half, half, size, { dtype }) : torch.linspace(-half, half, size);
  const pdf = torch.exp(x.div(sigma).pow(2).mul(-0.5));
  return pdf.div(pdf.sum()).to(dtype);
}

interface BlurKwargs {
  img: Tensor;
  kernel_size: number | number[];
  sigma: number | number[] | null;
}
const blurArgs = def_<BlurKwargs>('gaussian_blur(Tensor img, Any kernel_size, Any sigma=None)');
/** Gaussian blur with kernel [kx, ky] (odd) and sigma [sx, sy] (default 0.3 * ((k - 1) * 0.5 - 1) + 0.8), reflect padding. */
export function gaussian_blur(...args: PyArgs<[img: Tensor, kernel_size: number | number[]], [sigma: number | number[] | null], BlurKwargs>): Tensor {
  const a = blurArgs(args);
  return _gaussian_blur(a.img, a.kernel_size, a.sigma);
}

export function _gaussian_blur(img: Tensor, kernelSize: number | number[], sigma: number | number[] | null): Tensor {
  const fn = 'gaussian_blur';
  if (!isInt(kernelSize) && !isIntList(kernelSize)) throw new TypeError(`${fn}: kernel_size should be int or a sequence of integers. Got ${describeValue(kernelSize)}`);
  const ks = isInt(kernelSize) ? [kernelSize, kernelSize] : kernelSize;
  if (ks.length !== 2) throw new RangeError(`${fn}: If kernel_size is a sequence its length should be 2. Got ${ks.length}`);
  if (ks.some((k) => k % 2 === 0 || k < 0)) throw new RangeError(`${fn}: kernel_size should have odd and positive integers. Got [${ks.join(', ')}]`);
  let sg: number[];
  if (sigma === null) sg = ks.map((k) => k * 0.15 + 0.35);
  else if (typeof sigma === 'number') sg = [sigma, sigma];
  else if (Array.isArray(sigma) && sigma.every((s) => typeof s === 'number')) sg = sigma.length === 1 ? [sigma[0], sigma[0]] : sigma;
  else throw new TypeError(`${fn}: sigma should be either float or sequence of floats. Got ${describeValue(sigma)}`);
  if (sg.length !== 2) throw new RangeError(`${fn}: If sigma is a sequence, its length should be 2. Got ${sg.length}`);
  if (sg.some((s) => s <= 0)) throw new RangeError(`${fn}: sigma should have positive values. Got [${sg.join(', ')}]`);
  assertCHW(fn, assertImage(fn, img));
  const dt = img.is_floating_point() ? img.dtype : float32;
  const kx = gaussianKernel1d(ks[0], sg[0], dt);
  const ky = gaussianKernel1d(ks[1], sg[1], dt);
  let kernel = torch.mm(ky.view(-1, 1), kx.view(1, -1));
  const c = img.size(-3);
  kernel = kernel.expand(c, 1, kernel.size(0), kernel.size(1));
  let [x, needCast, needSqueeze, outDtype] = castSqueezeIn(img, [kernel.dtype]);
  const p0 = Math.floor(ks[0] / 2);
  const p1 = Math.floor(ks[1] / 2);
  x = F.pad(x, [p0, p0, p1, p1], { mode: 'reflect' });
  x = F.conv2d(x, kernel, { groups: x.size(-3) });
  return castSqueezeOut(x, needCast, needSqueeze, outDtype);
}

interface EraseKwargs {
  img: Tensor;
  i: number;
  j: number;
  h: number;
  w: number;
  v: Tensor;
  inplace: boolean;
}
const eraseArgs = def_<EraseKwargs>('erase(Tensor img, int i, int j, int h, int w, Tensor v, bool inplace=False)');
/** img[..., i:i+h, j:j+w] = v. */
export function erase(...args: PyArgs<[img: Tensor, i: number, j: number, h: number, w: number, v: Tensor], [inplace: boolean], EraseKwargs>): Tensor {
  const a = eraseArgs(args);
  return _erase(a.img, a.i, a.j, a.h, a.w, a.v, a.inplace);
}

export function _erase(img: Tensor, i: number, j: number, h: number, w: number, v: Tensor, inplace: boolean): Tensor {
  assertImage('erase', img);
  const out = inplace ? img : img.clone();
  pySlice(pySlice(out, -2, i, i + h), -1, j, j + w).copy_(v);
  return out;
}
