// torch.dtype: the element types, with the codes libtorch's c10::ScalarType
// gives them.
import { inspect } from 'node:util';

import { LIBTORCH_VERSION, libtorchAtLeast } from './_libtorch_version';

export class dtype {
  constructor(
    /** libtorch's c10::ScalarType code, read by the native layer. */
    readonly _code: number,
    readonly name: string,
    readonly itemsize: number,
    readonly is_floating_point: boolean,
    readonly is_signed: boolean,
    readonly is_complex = false,
  ) {}

  toString(): string {
    return `torch.${this.name}`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export const uint8 = new dtype(0, 'uint8', 1, false, false);
export const int8 = new dtype(1, 'int8', 1, false, true);
export const int16 = new dtype(2, 'int16', 2, false, true);
export const int32 = new dtype(3, 'int32', 4, false, true);
export const int64 = new dtype(4, 'int64', 8, false, true);
export const float16 = new dtype(5, 'float16', 2, true, true);
export const float32 = new dtype(6, 'float32', 4, true, true);
export const float64 = new dtype(7, 'float64', 8, true, true);
export const complex64 = new dtype(9, 'complex64', 8, false, true, true);
export const complex128 = new dtype(10, 'complex128', 16, false, true, true);
export const bool = new dtype(11, 'bool', 1, false, false);
export const bfloat16 = new dtype(15, 'bfloat16', 2, true, true);
/**
 * The wider unsigned integers, which PyTorch 2.3 added with limited support
 * (copies, comparisons, bit operations and a few more; most arithmetic is not
 * implemented for them, and libtorch says so). torchvision 0.21 reads 16-bit
 * PNGs as uint16. Against an older libtorch they exist as names only, and
 * using one is an error that says which libtorch has them.
 */
export const uint16 = new dtype(27, 'uint16', 2, false, false);
export const uint32 = new dtype(28, 'uint32', 4, false, false);
export const uint64 = new dtype(29, 'uint64', 8, false, false);

/** Whether the loaded libtorch has uint16, uint32 and uint64 (c10::ScalarType::UInt16.., PyTorch 2.3). */
export const HAS_WIDE_UNSIGNED = libtorchAtLeast(2, 3);
const WIDE_UNSIGNED: readonly dtype[] = [uint16, uint32, uint64];

// PyTorch's aliases are the same objects, so `torch.float === torch.float32`.
export const float = float32;
export const double = float64;
export const half = float16;
export const long = int64;
export const int = int32;
export const short = int16;
export const cfloat = complex64;
export const cdouble = complex128;

const byCode = new Map<number, dtype>(
  [uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128, bool, bfloat16, ...(HAS_WIDE_UNSIGNED ? WIDE_UNSIGNED : [])].map((d) => [
    d._code,
    d,
  ]),
);

export function dtypeFromCode(code: number): dtype {
  const d = byCode.get(code);
  if (!d) throw new TypeError(`torchts does not support libtorch scalar type ${code}`);
  return d;
}

/**
 * The libtorch code of a dtype given by a user, for the native layer: only
 * torchts's own dtype objects pass, so an object that merely looks like one
 * (`{ _code: 13 }`) is a TypeError here rather than a code of its choosing in
 * C++ (which refuses unsupported codes again, tensor.h's scalarTypeFromCode).
 * `fn` names the function for the message.
 */
export function dtypeCode(d: unknown, fn: string, argument = 'dtype'): number {
  if (d instanceof dtype && byCode.get(d._code) === d) return d._code;
  if (d instanceof dtype && WIDE_UNSIGNED.includes(d)) {
    throw new TypeError(`${fn}: ${String(d)} needs libtorch 2.3 or newer (PyTorch added it in 2.3); the loaded libtorch is ${LIBTORCH_VERSION}`);
  }
  const given = d === null ? 'null' : Array.isArray(d) ? 'an array' : typeof d === 'object' ? 'an object' : `${typeof d} ${String(d)}`;
  throw new TypeError(`${fn}: argument '${argument}' must be a torch.dtype (torch.float32, torch.int64, ...), got ${given}`);
}

let defaultDtype: dtype = float32;

export function get_default_dtype(): dtype {
  return defaultDtype;
}

export function set_default_dtype(d: dtype): void {
  if (!(d instanceof dtype) || !d.is_floating_point) {
    throw new TypeError(`set_default_dtype: only floating-point types are supported as the default type, got ${String(d)}`);
  }
  defaultDtype = d;
}
