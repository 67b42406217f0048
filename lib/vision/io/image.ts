// torchvision.io.image: read_file, decode_image / decode_png / decode_jpeg
// and read_image, giving what torchvision gives: a uint8 (C, H, W) tensor,
// its channels chosen by ImageReadMode. sharp (libvips) decodes; the mode
// conversions are done here, as torchvision asks libpng and libjpeg to do
// them, so that PNGs come out byte for byte as Python's.
// 16-bit PNGs follow the torchvision paired with the loaded libtorch
// (../version.ts). Up to 0.20 (0.14 beside libtorch 1.13) they are refused,
// except by the private _read_png_16, which gives their samples as int32
// (torch had no uint16). 0.21 (beside 2.6) decodes them everywhere, to
// torch.uint16, and has no _read_png_16.
import * as fs from 'node:fs';

import { describeValue } from '../../_describe';
import { int32, uint16, uint8 } from '../../dtype';
import { from_typed_array } from '../../factories';
import { def_ } from '../../nn/modules/utils';
import { Tensor } from '../../tensor';
import { decodeSync, type Decoded } from './_sharp';
import { TORCHVISION_VERSION, torchvisionAtLeast } from '../version';

/** Whether decode_png, decode_image and read_image decode 16-bit PNGs (to uint16): torchvision 0.21 on. */
const DECODES_16_BIT = torchvisionAtLeast(21);

/** torchvision.io.ImageReadMode: which channels a decoded image has. */
export const ImageReadMode = {
  /** As stored: 1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA) channels. */
  UNCHANGED: 0,
  GRAY: 1,
  GRAY_ALPHA: 2,
  RGB: 3,
  RGB_ALPHA: 4,
} as const;
export type ImageReadMode = (typeof ImageReadMode)[keyof typeof ImageReadMode];

const MODE_NAMES = ['UNCHANGED', 'GRAY', 'GRAY_ALPHA', 'RGB', 'RGB_ALPHA'];

function checkMode(fn: string, mode: unknown): ImageReadMode {
  if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 4) {
    throw new TypeError(`${fn}: mode should be an ImageReadMode (${MODE_NAMES.map((n, i) => `${n}=${i}`).join(', ')}), got ${describeValue(mode)}${typeof mode === 'number' ? ` ${mode}` : ''}`);
  }
  return mode as ImageReadMode;
}

const readFileArgs = def_<{ path: string }>('read_file(str path)');
/** The bytes of a file as a uint8 1-D tensor. */
export function read_file(...args: [path: string] | [{ path: string }]): Tensor {
  const { path } = readFileArgs(args);
  const bytes = fs.readFileSync(path);
  return from_typed_array(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), [bytes.length], { dtype: uint8 });
}

function checkEncoded(fn: string, input: unknown): Uint8Array {
  if (!(input instanceof Tensor)) throw new TypeError(`${fn}: input should be a uint8 1-D tensor of the file's bytes, got ${describeValue(input)}`);
  if (input.dtype !== uint8 || input.ndim !== 1) throw new TypeError(`${fn}: Expected a torch.uint8 1-D tensor of the file's bytes, got ${String(input.dtype)} of shape ${String(input.shape)}`);
  if (input.numel() === 0) throw new RangeError(`${fn}: Expected a non empty 1-dimensional tensor`);
  return input.contiguous().toTypedArray() as Uint8Array;
}

const isPng = (b: Uint8Array) => b.length >= 4 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * Grey from RGB as libpng's png_set_rgb_to_gray(png, 1, 0.2989, 0.587),
 * which torchvision asks for: integer weights of 32768 (9794, 19234, 3740),
 * truncated; a pixel already grey stays as it is.
 */
function pngGray(r: number, g: number, b: number): number {
  return r === g && r === b ? r : (9794 * r + 19234 * g + 3740 * b) >> 15;
}

/**
 * Grey from 16-bit RGB as libpng does it for 16-bit samples: the same
 * weights, rounded rather than truncated.
 */
function pngGray16(r: number, g: number, b: number): number {
  return (9794 * r + 19234 * g + 3740 * b + 16384) >>> 15;
}

/** Grey from RGB as libjpeg's JCS_GRAYSCALE output: the luma, 0.299 R + 0.587 G + 0.114 B in 16-bit fixed point, rounded. */
function jpegGray(r: number, g: number, b: number): number {
  return (19595 * r + 38470 * g + 7471 * b + 32768) >> 16;
}

/**
 * Interleaved (H, W, C) pixels with C in 1..4 to the mode's channels, then
 * (C, H, W): uint8, or for 16-bit samples (an added alpha 65535) uint16
 * from torchvision 0.21, int32 (_read_png_16's) before.
 */
function convert(d: Decoded, mode: ImageReadMode, gray: (r: number, g: number, b: number) => number, fn: string): Tensor {
  const n = d.width * d.height;
  const src = d.data;
  const wide = src instanceof Uint16Array;
  const c = d.channels;
  const hasColor = c >= 3;
  const hasAlpha = c === 2 || c === 4;
  const opaque = wide ? 65535 : 255;
  const out = mode === ImageReadMode.UNCHANGED ? c : mode === ImageReadMode.GRAY ? 1 : mode === ImageReadMode.GRAY_ALPHA ? 2 : mode === ImageReadMode.RGB ? 3 : 4;
  const wideDtype = wide ? (DECODES_16_BIT ? uint16 : int32) : uint8;
  const dst = !wide ? new Uint8Array(n * out) : DECODES_16_BIT ? new Uint16Array(n * out) : new Int32Array(n * out);
  for (let i = 0; i < n; i++) {
    const s = i * c;
    const r = src[s];
    const g = hasColor ? src[s + 1] : r;
    const b = hasColor ? src[s + 2] : r;
    const a = hasAlpha ? src[s + c - 1] : opaque;
    // Planar output: channel k of pixel i at k * n + i.
    switch (out) {
      case 1: dst[i] = hasColor ? gray(r, g, b) : r; break;
      case 2: dst[i] = hasColor ? gray(r, g, b) : r; dst[n + i] = a; break;
      case 3: dst[i] = r; dst[n + i] = g; dst[2 * n + i] = b; break;
      case 4: dst[i] = r; dst[n + i] = g; dst[2 * n + i] = b; dst[3 * n + i] = a; break;
    }
  }
  return from_typed_array(dst, [out, d.height, d.width], { dtype: wideDtype });
}

function decodeWith(fn: string, bytes: Uint8Array, depth16 = false): Decoded {
  try {
    return decodeSync(bytes, undefined, depth16);
  } catch (e) {
    const msg = (e as Error).message;
    if (/needs the 'sharp' package/.test(msg)) throw e;
    throw new Error(`${fn}: could not decode the image: ${msg}`);
  }
}

/** The bit depth in a PNG's IHDR (the chunk every PNG starts with), or null where it is not there to read. */
function pngBitDepth(b: Uint8Array): number | null {
  const isIhdr = b.length > 24 && b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52;
  return isIhdr ? b[24] : null;
}

function pngFrom(fn: string, bytes: Uint8Array, mode: ImageReadMode, allow16 = false): Tensor {
  if (!isPng(bytes)) throw new Error(`${fn}: Content is not png`);
  // As libpng tells torchvision, from the header, before decoding anything.
  const depth = pngBitDepth(bytes);
  const with16 = allow16 || DECODES_16_BIT;
  if (depth !== null && depth > 8 && !with16) throw new Error(`${fn}: At most 8-bit PNG images are supported currently.`);
  const d = decodeWith(fn, bytes, with16);
  return convert(d, mode, d.data instanceof Uint16Array ? pngGray16 : pngGray, fn);
}

function jpegFrom(fn: string, bytes: Uint8Array, mode: ImageReadMode): Tensor {
  if (!isJpeg(bytes)) throw new Error(`${fn}: Not a JPEG file`);
  if (mode === ImageReadMode.GRAY_ALPHA || mode === ImageReadMode.RGB_ALPHA) throw new RangeError(`${fn}: The provided mode is not supported for JPEG files`);
  return convert(decodeWith(fn, bytes), mode, jpegGray, fn);
}

type DecodeArgs = [input: Tensor, mode?: ImageReadMode] | [input: Tensor, options: { mode?: ImageReadMode }] | [{ input: Tensor; mode?: ImageReadMode }];

const decodePngArgs = def_<{ input: Tensor; mode: number }>('decode_png(Tensor input, int mode=0)');
/** A PNG's bytes (uint8 1-D) to a uint8 (C, H, W) image, every colour type; a 16-bit PNG is refused, or uint16 from torchvision 0.21. */
export function decode_png(...args: DecodeArgs): Tensor {
  const { input, mode } = decodePngArgs(args);
  return pngFrom('decode_png', checkEncoded('decode_png', input), checkMode('decode_png', mode));
}

const decodeJpegArgs = def_<{ input: Tensor; mode: number; device: string }>("decode_jpeg(Tensor input, int mode=0, str device='cpu')");
/** A JPEG's bytes (uint8 1-D) to a uint8 (C, H, W) image: 1 or 3 channels (GRAY, RGB or UNCHANGED). */
export function decode_jpeg(...args: [input: Tensor, mode?: ImageReadMode, device?: 'cpu'] | [input: Tensor, options: { mode?: ImageReadMode; device?: 'cpu' }] | [{ input: Tensor; mode?: ImageReadMode; device?: 'cpu' }]): Tensor {
  const { input, mode, device } = decodeJpegArgs(args);
  // torchvision decodes on the GPU with nvjpeg; here only the CPU path exists.
  if (device !== 'cpu') throw new RangeError(`decode_jpeg: device '${device}' is not supported here; decode on 'cpu' and move the tensor with .to()`);
  return jpegFrom('decode_jpeg', checkEncoded('decode_jpeg', input), checkMode('decode_jpeg', mode));
}

const decodeImageArgs = def_<{ input: Tensor; mode: number }>('decode_image(Tensor input, int mode=0)');
/** PNG or JPEG bytes (uint8 1-D), told apart by their signature, to a uint8 (C, H, W) image (a 16-bit PNG: as decode_png). */
export function decode_image(...args: DecodeArgs): Tensor {
  const { input, mode } = decodeImageArgs(args);
  return _decode_image(checkEncoded('decode_image', input), checkMode('decode_image', mode));
}

export function _decode_image(bytes: Uint8Array, mode: ImageReadMode, fn = 'decode_image'): Tensor {
  if (isJpeg(bytes)) return jpegFrom(fn, bytes, mode);
  if (isPng(bytes)) return pngFrom(fn, bytes, mode);
  throw new Error(`${fn}: Unsupported image file. Only jpeg and png are currently supported.`);
}

const readImageArgs = def_<{ path: string; mode: number }>('read_image(str path, int mode=0)');
/** Reads a PNG or JPEG file into a uint8 (C, H, W) tensor, its channels chosen by mode (a 16-bit PNG: as decode_png). */
export function read_image(...args: [path: string, mode?: ImageReadMode] | [path: string, options: { mode?: ImageReadMode }] | [{ path: string; mode?: ImageReadMode }]): Tensor {
  const { path, mode } = readImageArgs(args);
  const m = checkMode('read_image', mode);
  const bytes = fs.readFileSync(path);
  return _decode_image(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), m, 'read_image');
}

const readPng16Args = def_<{ path: string; mode: number }>('_read_png_16(str path, int mode=0)');
/**
 * torchvision 0.14's private _read_png_16: a PNG file decoded with its
 * 16-bit samples kept, as an int32 (C, H, W) tensor (an 8-bit PNG gives
 * uint8, as read_image does). Grey from colour is libpng's 16-bit luma
 * (0.2989 R + 0.587 G + 0.114 B, rounded); an added alpha is 65535.
 * torchvision 0.21 has none (read_image decodes 16-bit PNGs, to uint16):
 * it is refused when following 0.21.
 */
export function _read_png_16(...args: [path: string, mode?: ImageReadMode] | [path: string, options: { mode?: ImageReadMode }] | [{ path: string; mode?: ImageReadMode }]): Tensor {
  const { path, mode } = readPng16Args(args);
  if (DECODES_16_BIT) {
    throw new TypeError(`_read_png_16: torchvision ${TORCHVISION_VERSION} has no _read_png_16; decode_png, decode_image and read_image decode a 16-bit PNG themselves, to torch.uint16`);
  }
  const m = checkMode('_read_png_16', mode);
  const bytes = fs.readFileSync(path);
  return pngFrom('_read_png_16', new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), m, true);
}

/**
 * Any image sharp reads (PNG, JPEG, WebP, TIFF, GIF, ...) as RGB, uint8
 * (H, W, 3): what PIL's Image.open(path).convert('RGB') holds, the default
 * loader of ImageFolder. Grey is repeated, alpha dropped, palettes looked up.
 */
export function _load_rgb_hwc(path: string, fn = 'default_loader'): Tensor {
  const bytes = fs.readFileSync(path);
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A 16-bit grey PNG (with or without tRNS) is PIL's mode 'I' (or 'I;16'),
  // whose convert('RGB') clips each sample to 255; every other 16-bit PNG
  // PIL reads by its high byte, as sharp's 8-bit decoding does.
  const grey16 = isPng(view) && pngBitDepth(view) === 16 && view[25] === 0;
  let d: Decoded;
  try {
    d = decodeSync(view, undefined, grey16);
  } catch (e) {
    const msg = (e as Error).message;
    if (/needs the 'sharp' package/.test(msg)) throw e;
    throw new Error(`${fn}: could not decode ${path}: ${msg}`);
  }
  if (grey16 && d.data instanceof Uint16Array) {
    const grey = new Uint8Array(d.width * d.height);
    // sharp gives the grey band first (a tRNS chunk adds an alpha band after it).
    for (let i = 0; i < grey.length; i++) grey[i] = Math.min(d.data[i * d.channels], 255);
    return from_typed_array(grey, [d.height, d.width, 1]).expand(d.height, d.width, 3).contiguous();
  }
  return convert(d, ImageReadMode.RGB, pngGray, fn).permute(1, 2, 0).contiguous();
}
