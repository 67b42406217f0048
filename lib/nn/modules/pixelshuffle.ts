// nn.PixelShuffle and nn.PixelUnshuffle, after torch/nn/modules/pixelshuffle.py.
import { aten } from '../../aten';
import type { Tensor } from '../../tensor';
import { moduleError } from './_module_error';
import { Module } from './module';
import { def_, type PyArgs } from './utils';

const pixelShuffleOp = aten('pixel_shuffle', '');
const pixelUnshuffleOp = aten('pixel_unshuffle', '');

function checkFactor(fn: string, name: string, v: number): number {
  if (!(v >= 1)) throw new RangeError(`${fn}: ${name} must be a positive integer, got ${v}`);
  return v;
}

const pixelShuffleArgs = def_<{ upscale_factor: number }>('PixelShuffle(int upscale_factor)');

/**
 * Rearranges channels into space, for sub-pixel convolution: with r the upscale_factor,
 * input (*, C·r², H, W) -> output (*, C, H·r, W·r).
 */
export class PixelShuffle extends Module {
  upscale_factor: number;

  /** Python's PixelShuffle(upscale_factor). */
  constructor(...args: PyArgs<[upscale_factor: number], [], { upscale_factor: number }>);
  constructor(...args: unknown[]) {
    const { upscale_factor } = pixelShuffleArgs(args);
    super();
    this.upscale_factor = checkFactor('PixelShuffle', 'upscale_factor', upscale_factor);
  }

  override forward(input: Tensor): Tensor {
    try {
      return pixelShuffleOp(input, this.upscale_factor);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `upscale_factor=${this.upscale_factor}`;
  }
}

const pixelUnshuffleArgs = def_<{ downscale_factor: number }>('PixelUnshuffle(int downscale_factor)');

/**
 * PixelShuffle's inverse: with r the downscale_factor,
 * input (*, C, H·r, W·r) -> output (*, C·r², H, W).
 */
export class PixelUnshuffle extends Module {
  downscale_factor: number;

  /** Python's PixelUnshuffle(downscale_factor). */
  constructor(...args: PyArgs<[downscale_factor: number], [], { downscale_factor: number }>);
  constructor(...args: unknown[]) {
    const { downscale_factor } = pixelUnshuffleArgs(args);
    super();
    this.downscale_factor = checkFactor('PixelUnshuffle', 'downscale_factor', downscale_factor);
  }

  override forward(input: Tensor): Tensor {
    try {
      return pixelUnshuffleOp(input, this.downscale_factor);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `downscale_factor=${this.downscale_factor}`;
  }
}
