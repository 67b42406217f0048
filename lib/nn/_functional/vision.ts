// nn.functional's resampling: interpolate (and the deprecated upsample,
// upsample_nearest, upsample_bilinear), grid_sample and affine_grid, after
// torch/nn/functional.py: Python's checks and messages, then the ATen
// operator Python picks by mode and the input's number of dimensions.
import { aten } from '../../aten';
import { libtorchAtLeast } from '../../_libtorch_version';
import { describeValue } from '../../_describe';
import { Tensor } from '../../tensor';
import { pyfn, warn, type PyFn } from './_utils';

const A = {
  upsample_nearest1d: aten('upsample_nearest1d', 'vec'),
  upsample_nearest2d: aten('upsample_nearest2d', 'vec'),
  upsample_nearest3d: aten('upsample_nearest3d', 'vec'),
  _upsample_nearest_exact1d: aten('_upsample_nearest_exact1d', 'vec'),
  _upsample_nearest_exact2d: aten('_upsample_nearest_exact2d', 'vec'),
  _upsample_nearest_exact3d: aten('_upsample_nearest_exact3d', 'vec'),
  upsample_linear1d: aten('upsample_linear1d', 'vec'),
  upsample_bilinear2d: aten('upsample_bilinear2d', 'vec'),
  _upsample_bilinear2d_aa: aten('_upsample_bilinear2d_aa', 'vec'),
  upsample_trilinear3d: aten('upsample_trilinear3d', 'vec'),
  upsample_bicubic2d: aten('upsample_bicubic2d', 'vec'),
  _upsample_bicubic2d_aa: aten('_upsample_bicubic2d_aa', 'vec'),
  adaptive_avg_pool1d: aten('adaptive_avg_pool1d', ''),
  adaptive_avg_pool2d: aten('adaptive_avg_pool2d', ''),
  adaptive_avg_pool3d: aten('adaptive_avg_pool3d', ''),
  grid_sampler: aten('grid_sampler', ''),
  affine_grid_generator: aten('affine_grid_generator', ''),
};

/** The interpolation modes ('lanczos': PyTorch 2.14 only). */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'area' | 'lanczos';

/**
 * 2.14's interpolate has mode 'lanczos' (Lanczos-3, antialiased, 4-D, PIL's
 * Image.LANCZOS). Measured on 2.14 and absent from 2.6; the versions between
 * follow 2.6 here. Its operator exists only there, so it is looked up only there.
 */
const LANCZOS = libtorchAtLeast(2, 14);
const upsampleLanczos2dAA = LANCZOS ? aten('_upsample_lanczos2d_aa', 'vec') : null;
const AA_MODES = LANCZOS ? 'bilinear, bicubic, and lanczos modes' : 'bilinear and bicubic modes';
const INTERPOLATE_MODES = `nearest | linear | bilinear | bicubic | trilinear${LANCZOS ? ' | lanczos' : ''} | area | nearest-exact`;

/** An output size: an int for every spatial dimension, or one per spatial dimension. */
export type SizeN = number | number[];
/** A scale: one number for every spatial dimension, or one per spatial dimension. */
export type ScaleN = number | number[];

const pyList = (v: readonly unknown[]) => `[${v.map(String).join(', ')}]`;

function checkSizeArg(fn: string, v: unknown): SizeN | null {
  if (v === null || (typeof v === 'number' && Number.isInteger(v))) return v as number | null;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return [...v];
  throw new TypeError(`${fn}(): argument 'size' must be an int or a list of ints, not ${describeValue(v)}`);
}

function checkScaleArg(fn: string, v: unknown): ScaleN | null {
  if (v === null || typeof v === 'number') return v as number | null;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return [...v];
  throw new TypeError(`${fn}(): argument 'scale_factor' must be a float or a list of floats, not ${describeValue(v)}`);
}

export interface InterpolateOptions {
  size?: SizeN | null;
  scale_factor?: ScaleN | null;
  mode?: InterpolateMode;
  align_corners?: boolean | null;
  recompute_scale_factor?: boolean | null;
  antialias?: boolean;
}

/** PyTorch 2.x's interpolate: the size given as a list must be ints; a clearer antialias message. */
const TORCH2_INTERPOLATE = libtorchAtLeast(2);

/** interpolate after its arguments are bound: Python's body, in its order. */
export function _interpolate(
  input: Tensor,
  { size = null, scale_factor = null, mode = 'nearest', align_corners = null, recompute_scale_factor = null, antialias = false }: InterpolateOptions = {},
): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`interpolate(): argument 'input' must be a Tensor, not ${describeValue(input)}`);
  if (mode === 'nearest' || mode === 'area' || mode === 'nearest-exact') {
    if (align_corners !== null) {
      throw new RangeError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
    }
  } else if (align_corners === null) {
    align_corners = false;
  }
  const dim = input.ndim - 2;
  const spatial = [...input.shape].slice(2);
  let outputSize: number[] | null;
  let scaleFactors: number[] | null;
  if (size !== null && scale_factor !== null) {
    throw new RangeError('only one of size or scale_factor should be defined');
  } else if (size !== null) {
    scaleFactors = null;
    if (Array.isArray(size)) {
      if (size.length !== dim) {
        throw new RangeError(
          `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${pyList(spatial)} and output size of ${pyList(size)}. ` +
            'Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.',
        );
      }
      // 2.x checks that each is an int (a JS number with a fraction is Python's float).
      if (TORCH2_INTERPOLATE && !size.every((x) => Number.isInteger(x))) {
        const types = size.map((x) => `<class '${typeof x === 'number' ? (Number.isInteger(x) ? 'int' : 'float') : typeof x}'>`);
        throw new TypeError(`expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, int], but got size with types [${types.join(', ')}]`);
      }
      outputSize = size;
    } else {
      outputSize = new Array(Math.max(dim, 0)).fill(size);
    }
  } else if (scale_factor !== null) {
    outputSize = null;
    if (Array.isArray(scale_factor)) {
      if (scale_factor.length !== dim) {
        throw new RangeError(
          `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${pyList(spatial)} and scale_factor of shape ${pyList(scale_factor)}. ` +
            'Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.',
        );
      }
      scaleFactors = scale_factor;
    } else {
      scaleFactors = new Array(Math.max(dim, 0)).fill(scale_factor);
    }
  } else {
    throw new RangeError('either size or scale_factor should be defined');
  }
  if (recompute_scale_factor === true && size !== null) throw new RangeError('recompute_scale_factor is not meaningful with an explicit size.');
  if (mode === 'area' && outputSize === null) recompute_scale_factor = true;
  if (recompute_scale_factor === true) {
    outputSize = scaleFactors!.map((s, i) => Math.floor(spatial[i] * s));
    scaleFactors = null;
  }
  if (antialias && !((mode === 'bilinear' || mode === 'bicubic' || (LANCZOS && mode === 'lanczos')) && input.ndim === 4)) {
    throw new RangeError(
      TORCH2_INTERPOLATE ? `Anti-alias option is restricted to ${AA_MODES} and requires a 4-D tensor as input` : 'Anti-alias option is only supported for bilinear and bicubic modes',
    );
  }
  const n = input.ndim;
  if (n >= 3 && n <= 5) {
    const k = n - 3;
    switch (mode) {
      case 'nearest':
        return [A.upsample_nearest1d, A.upsample_nearest2d, A.upsample_nearest3d][k](input, outputSize, scaleFactors);
      case 'nearest-exact':
        return [A._upsample_nearest_exact1d, A._upsample_nearest_exact2d, A._upsample_nearest_exact3d][k](input, outputSize, scaleFactors);
      case 'area':
        return [A.adaptive_avg_pool1d, A.adaptive_avg_pool2d, A.adaptive_avg_pool3d][k](input, outputSize);
      case 'linear':
        if (n === 3) return A.upsample_linear1d(input, outputSize, align_corners, scaleFactors);
        break;
      case 'bilinear':
        if (n === 4) return (antialias ? A._upsample_bilinear2d_aa : A.upsample_bilinear2d)(input, outputSize, align_corners, scaleFactors);
        break;
      case 'trilinear':
        if (n === 5) return A.upsample_trilinear3d(input, outputSize, align_corners, scaleFactors);
        break;
      case 'bicubic':
        if (n === 4) return (antialias ? A._upsample_bicubic2d_aa : A.upsample_bicubic2d)(input, outputSize, align_corners, scaleFactors);
        break;
      case 'lanczos':
        if (upsampleLanczos2dAA !== null && n === 4) {
          if (align_corners) throw new RangeError('Lanczos mode does not support align_corners=True');
          if (!antialias) throw new RangeError('Lanczos mode requires antialias=True');
          return upsampleLanczos2dAA(input, outputSize, align_corners, scaleFactors) as Tensor;
        }
        break;
    }
    const needs: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5 };
    if (needs[mode] !== undefined) throw new Error(`Got ${n}D input, but ${mode} mode needs ${needs[mode]}D input`);
  }
  throw new Error(
    `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${n}D) for the modes: ${INTERPOLATE_MODES} (got ${mode})`,
  );
}

type InterpolateKw = InterpolateOptions & { input: Tensor };

/**
 * Resamples the spatial dimensions of (N, C, d1, ..., dK), K = 1, 2 or 3, to
 * `size` or by `scale_factor`, with mode 'nearest', 'nearest-exact', 'linear'
 * (3-D input), 'bilinear' or 'bicubic' (4-D), 'trilinear' (5-D), or 'area'
 * (adaptive average pooling). Python's interpolate(input, size=None,
 * scale_factor=None, mode='nearest', align_corners=None,
 * recompute_scale_factor=None, antialias=False).
 */
export const interpolate: PyFn<
  [input: Tensor],
  [size: SizeN | null, scale_factor: ScaleN | null, mode: InterpolateMode, align_corners: boolean | null, recompute_scale_factor: boolean | null, antialias: boolean],
  InterpolateKw
> = pyfn(
  'interpolate(Tensor input, Any size=None, Any scale_factor=None, str mode="nearest", bool? align_corners=None, bool? recompute_scale_factor=None, bool antialias=False)',
  (a: Required<InterpolateKw>) =>
    _interpolate(a.input, { ...a, size: checkSizeArg('interpolate', a.size), scale_factor: checkScaleArg('interpolate', a.scale_factor) }),
);

type UpsampleKw = { input: Tensor; size: SizeN | null; scale_factor: ScaleN | null; mode: InterpolateMode; align_corners: boolean | null };

/** Deprecated for interpolate, which it calls. Python's upsample(input, size=None, scale_factor=None, mode='nearest', align_corners=None). */
export const upsample: PyFn<[input: Tensor], [size: SizeN | null, scale_factor: ScaleN | null, mode: InterpolateMode, align_corners: boolean | null], UpsampleKw> = pyfn(
  'upsample(Tensor input, Any size=None, Any scale_factor=None, str mode="nearest", bool? align_corners=None)',
  (a: UpsampleKw) => {
    warn('nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.');
    return _interpolate(a.input, { size: checkSizeArg('upsample', a.size), scale_factor: checkScaleArg('upsample', a.scale_factor), mode: a.mode, align_corners: a.align_corners });
  },
);

type UpsampleFixedKw = { input: Tensor; size: SizeN | null; scale_factor: ScaleN | null };

/** Nearest-neighbour upsampling; deprecated for interpolate(..., mode='nearest'). Python's upsample_nearest(input, size=None, scale_factor=None). */
export const upsample_nearest: PyFn<[input: Tensor], [size: SizeN | null, scale_factor: ScaleN | null], UpsampleFixedKw> = pyfn(
  'upsample_nearest(Tensor input, Any size=None, Any scale_factor=None)',
  (a: UpsampleFixedKw) => {
    warn('nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate instead.');
    return _interpolate(a.input, { size: checkSizeArg('upsample_nearest', a.size), scale_factor: checkScaleArg('upsample_nearest', a.scale_factor), mode: 'nearest' });
  },
);

/** Bilinear upsampling with align_corners=True; deprecated for interpolate. Python's upsample_bilinear(input, size=None, scale_factor=None). */
export const upsample_bilinear: PyFn<[input: Tensor], [size: SizeN | null, scale_factor: ScaleN | null], UpsampleFixedKw> = pyfn(
  'upsample_bilinear(Tensor input, Any size=None, Any scale_factor=None)',
  (a: UpsampleFixedKw) => {
    warn('nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate instead.');
    return _interpolate(a.input, {
      size: checkSizeArg('upsample_bilinear', a.size),
      scale_factor: checkScaleArg('upsample_bilinear', a.scale_factor),
      mode: 'bilinear',
      align_corners: true,
    });
  },
);

const ALIGN_CORNERS_WARNING =
  'Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for details.';

const GRID_SAMPLE_MODES: Record<string, number> = { bilinear: 0, nearest: 1, bicubic: 2 };
const GRID_SAMPLE_PADDING_MODES: Record<string, number> = { zeros: 0, border: 1, reflection: 2 };

type GridSampleKw = { input: Tensor; grid: Tensor; mode: 'bilinear' | 'nearest' | 'bicubic'; padding_mode: 'zeros' | 'border' | 'reflection'; align_corners: boolean | null };

/**
 * Samples input (N, C, H_in, W_in) at the normalised [-1, 1] locations of
 * grid (N, H_out, W_out, 2) (or the 5-D volumetric forms), giving
 * (N, C, H_out, W_out). Python's grid_sample(input, grid, mode='bilinear',
 * padding_mode='zeros', align_corners=None).
 */
export const grid_sample: PyFn<
  [input: Tensor, grid: Tensor],
  [mode: GridSampleKw['mode'], padding_mode: GridSampleKw['padding_mode'], align_corners: boolean | null],
  GridSampleKw
> = pyfn(
  'grid_sample(Tensor input, Tensor grid, str mode="bilinear", str padding_mode="zeros", bool? align_corners=None)',
  (a: GridSampleKw) => {
    const modeEnum = GRID_SAMPLE_MODES[a.mode];
    if (modeEnum === undefined) throw new RangeError(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${a.mode}'`);
    const paddingEnum = GRID_SAMPLE_PADDING_MODES[a.padding_mode];
    if (paddingEnum === undefined) {
      throw new RangeError(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${a.padding_mode}'`);
    }
    let align = a.align_corners;
    if (align === null) {
      warn(ALIGN_CORNERS_WARNING);
      align = false;
    }
    return A.grid_sampler(a.input, a.grid, modeEnum, paddingEnum, align);
  },
);

type AffineGridKw = { theta: Tensor; size: number[]; align_corners: boolean | null };

/**
 * The sampling grid (N, H, W, 2) (or (N, D, H, W, 3)) of the affine maps theta
 * (N, 2, 3) (or (N, 3, 4)) for an output of size (N, C, H, W) (or
 * (N, C, D, H, W)), for grid_sample. Python's affine_grid(theta, size, align_corners=None).
 */
export const affine_grid: PyFn<[theta: Tensor, size: number[]], [align_corners: boolean | null], AffineGridKw> = pyfn(
  'affine_grid(Tensor theta, int[] size, bool? align_corners=None)',
  (a: AffineGridKw) => {
    const { theta, size } = a;
    let align = a.align_corners;
    if (align === null) {
      warn(ALIGN_CORNERS_WARNING);
      align = false;
    }
    const shape = `torch.Size(${pyList([...theta.shape])})`;
    if (!theta.is_floating_point()) throw new RangeError(`Expected theta to have floating point type, but got ${String(theta.dtype)}`);
    let spatial: number[];
    if (size.length === 4) {
      if (theta.ndim !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
        throw new RangeError(`Expected a batch of 2D affine matrices of shape Nx2x3 for size ${pyList(size)}. Got ${shape}.`);
      }
      spatial = size.slice(-2);
    } else if (size.length === 5) {
      if (theta.ndim !== 3 || theta.shape[1] !== 3 || theta.shape[2] !== 4) {
        throw new RangeError(`Expected a batch of 3D affine matrices of shape Nx3x4 for size ${pyList(size)}. Got ${shape}.`);
      }
      spatial = size.slice(-3);
    } else {
      throw new Error(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${pyList(size)}.`);
    }
    if (align && Math.min(...spatial) === 1) {
      warn(
        'Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners=True. This is not an intended use case of affine_grid. See the documentation of affine_grid for details.',
      );
    } else if (Math.min(...size) <= 0) {
      throw new RangeError(`Expected non-zero, positive output size. Got ${pyList(size)}`);
    }
    return A.affine_grid_generator(theta, size, align);
  },
);
