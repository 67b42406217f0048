// nn.Upsample, nn.UpsamplingNearest2d and nn.UpsamplingBilinear2d, after
// torch/nn/modules/upsampling.py.
import { pyFloatRepr } from '../../_pyformat';
import type { Tensor } from '../../tensor';
import { _interpolate, type InterpolateMode, type ScaleN, type SizeN } from '../_functional/vision';
import { Module } from './module';
import { def_, reprAsGiven, type PyArgs } from './utils';
import { libtorchAtLeast } from '../../_libtorch_version';

const MODES = ['nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area'];

interface UpsampleKwargs {
  size?: SizeN | null;
  scale_factor?: ScaleN | null;
  mode?: InterpolateMode;
  align_corners?: boolean | null;
  recompute_scale_factor?: boolean | null;
}

const upsampleArgs = def_<Required<UpsampleKwargs>>(
  'Upsample(Any size=None, Any scale_factor=None, str mode="nearest", bool? align_corners=None, bool? recompute_scale_factor=None)',
);
const nearestArgs = def_<{ size: SizeN | null; scale_factor: ScaleN | null }>('UpsamplingNearest2d(Any size=None, Any scale_factor=None)');
const bilinearArgs = def_<{ size: SizeN | null; scale_factor: ScaleN | null }>('UpsamplingBilinear2d(Any size=None, Any scale_factor=None)');

function checkSize(name: string, v: unknown): SizeN | null {
  if (v === null || (typeof v === 'number' && Number.isInteger(v))) return v as number | null;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return [...v];
  throw new TypeError(`${name}(): argument 'size' must be an int or a list of ints`);
}

function checkScale(name: string, v: unknown): ScaleN | null {
  // Python: `float(scale_factor) if scale_factor else None`, so 0 is no scale factor.
  if (v === null || v === 0) return null;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return [...v];
  throw new TypeError(`${name}(): argument 'scale_factor' must be a float or a list of floats`);
}

/**
 * Upsamples (N, C, d1, ..., dK), K = 1, 2 or 3, to size or by scale_factor,
 * with F.interpolate's modes: 'nearest', 'nearest-exact', 'linear' (3-D
 * input), 'bilinear' and 'bicubic' (4-D), 'trilinear' (5-D), 'area'.
 * Output: (N, C, d1 * s1, ...) with scale_factor (floored), or (N, C, *size).
 */
export class Upsample extends Module {
  // Set by init(), which the subclasses call with their fixed mode.
  size!: SizeN | null;
  scale_factor!: ScaleN | null;
  mode!: InterpolateMode;
  align_corners!: boolean | null;
  recompute_scale_factor!: boolean | null;

  /** Python's Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None). */
  constructor(...args: PyArgs<[], [size: SizeN | null, scale_factor: ScaleN | null, mode: InterpolateMode, align_corners: boolean | null, recompute_scale_factor: boolean | null], UpsampleKwargs>);
  constructor(...args: unknown[]) {
    const a = upsampleArgs(args);
    super();
    this.init(a.size, a.scale_factor, a.mode, a.align_corners, a.recompute_scale_factor);
  }

  protected init(size: unknown, scale_factor: unknown, mode: string, align_corners: boolean | null, recompute_scale_factor: boolean | null): void {
    const name = this._get_name();
    this.size = checkSize(name, size);
    this.scale_factor = checkScale(name, scale_factor);
    // Python finds a bad mode only at forward; a module that cannot run is refused here.
    if (!MODES.includes(mode)) throw new RangeError(`${name}(): mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got '${mode}'`);
    this.mode = mode as InterpolateMode;
    this.align_corners = align_corners;
    this.recompute_scale_factor = recompute_scale_factor;
  }

  override forward(input: Tensor): Tensor {
    return _interpolate(input, {
      size: this.size,
      scale_factor: this.scale_factor,
      mode: this.mode,
      align_corners: this.align_corners,
      recompute_scale_factor: this.recompute_scale_factor,
    });
  }

  override extra_repr(): string {
    // Python keeps scale_factor as a float, or a tuple of floats.
    const s = this.scale_factor;
    let info: string;
    if (s !== null) info = `scale_factor=${typeof s === 'number' ? pyFloatRepr(s) : s.length === 1 ? `(${pyFloatRepr(s[0])},)` : `(${s.map(pyFloatRepr).join(', ')})`}`;
    else info = `size=${this.size === null ? 'None' : reprAsGiven(this.size)}`;
    // (Python 2.x: ", mode=" + repr(self.mode))
    return libtorchAtLeast(2) ? `${info}, mode='${this.mode}'` : `${info}, mode=${this.mode}`;
  }
}

/** Nearest-neighbour upsampling of (N, C, H, W): Upsample with mode 'nearest'. */
export class UpsamplingNearest2d extends Upsample {
  /** Python's UpsamplingNearest2d(size=None, scale_factor=None). */
  constructor(...args: PyArgs<[], [size: SizeN | null, scale_factor: ScaleN | null], { size?: SizeN | null; scale_factor?: ScaleN | null }>);
  constructor(...args: unknown[]) {
    const a = nearestArgs(args);
    super({ size: null });
    this.init(a.size, a.scale_factor, 'nearest', null, null);
  }
}

/** Bilinear upsampling of (N, C, H, W) with align_corners=True: Upsample with mode 'bilinear'. */
export class UpsamplingBilinear2d extends Upsample {
  /** Python's UpsamplingBilinear2d(size=None, scale_factor=None). */
  constructor(...args: PyArgs<[], [size: SizeN | null, scale_factor: ScaleN | null], { size?: SizeN | null; scale_factor?: ScaleN | null }>);
  constructor(...args: unknown[]) {
    const a = bilinearArgs(args);
    super({ size: null });
    this.init(a.size, a.scale_factor, 'bilinear', true, null);
  }
}
