// The padding modules, after torch/nn/modules/padding.py: each turns its
// padding into the full list F.pad takes (an int stands for every side) once,
// at construction, and its forward is one call of ATen's pad.
import { pyFloatRepr } from '../../_pyformat';
import { aten } from '../../aten';
import type { Tensor } from '../../tensor';
import { moduleError } from './_module_error';
import { Module } from './module';
import { _ntuple, def_, type PyArgs } from './utils';

const padOp = aten('pad', '');

type PadMode = 'constant' | 'reflect' | 'replicate';

/** Python's repr of the padding tuple: `(1, 1, 2, 0)`. */
function tupleRepr(padding: readonly number[]): string {
  return `(${padding.join(', ')})`;
}

/** What every padding module shares: its sides and ATen's pad mode. */
abstract class PadNd extends Module {
  padding: number[];

  protected constructor(
    padding: unknown,
    sides: 2 | 4 | 6,
    private readonly mode: PadMode,
    protected readonly padValue: number | null,
  ) {
    super();
    this.padding = _ntuple(new.target.name, 'padding', padding, sides);
  }

  override forward(input: Tensor): Tensor {
    try {
      return padOp(input, this.padding, this.mode, this.padValue);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return tupleRepr(this.padding);
  }
}

type PaddingArg<N extends number> = number | (N extends 2 ? [number, number] : N extends 4 ? [number, number, number, number] : [number, number, number, number, number, number]);
type PadArgs<N extends number> = PyArgs<[padding: PaddingArg<N>], [], { padding: PaddingArg<N> }>;

const reflectionPad1dArgs = def_<{ padding: unknown }>('ReflectionPad1d(Any padding)');
const reflectionPad2dArgs = def_<{ padding: unknown }>('ReflectionPad2d(Any padding)');
const reflectionPad3dArgs = def_<{ padding: unknown }>('ReflectionPad3d(Any padding)');

/**
 * Pads the last dim by reflecting the input at its edges (the edge itself not repeated).
 * padding: an int, or (left, right). Input: (N, C, W_in) or (C, W_in);
 * output: W_out = W_in + left + right. Each side must be less than W_in.
 */
export class ReflectionPad1d extends PadNd {
  /** Python's ReflectionPad1d(padding). */
  constructor(...args: PadArgs<2>);
  constructor(...args: unknown[]) {
    super(reflectionPad1dArgs(args).padding, 2, 'reflect', null);
  }
}

/**
 * Pads the last two dims by reflection. padding: an int, or (left, right, top, bottom).
 * Input: (N, C, H_in, W_in) or (C, H_in, W_in); output: H_out = H_in + top + bottom,
 * W_out = W_in + left + right.
 */
export class ReflectionPad2d extends PadNd {
  /** Python's ReflectionPad2d(padding). */
  constructor(...args: PadArgs<4>);
  constructor(...args: unknown[]) {
    super(reflectionPad2dArgs(args).padding, 4, 'reflect', null);
  }
}

/**
 * Pads the last three dims by reflection. padding: an int, or
 * (left, right, top, bottom, front, back). Input: (N, C, D, H, W) or (C, D, H, W).
 */
export class ReflectionPad3d extends PadNd {
  /** Python's ReflectionPad3d(padding). */
  constructor(...args: PadArgs<6>);
  constructor(...args: unknown[]) {
    super(reflectionPad3dArgs(args).padding, 6, 'reflect', null);
  }
}

const replicationPad1dArgs = def_<{ padding: unknown }>('ReplicationPad1d(Any padding)');
const replicationPad2dArgs = def_<{ padding: unknown }>('ReplicationPad2d(Any padding)');
const replicationPad3dArgs = def_<{ padding: unknown }>('ReplicationPad3d(Any padding)');

/**
 * Pads the last dim by repeating the edge value. padding: an int, or (left, right).
 * Input: (N, C, W_in) or (C, W_in); output: W_out = W_in + left + right.
 */
export class ReplicationPad1d extends PadNd {
  /** Python's ReplicationPad1d(padding). */
  constructor(...args: PadArgs<2>);
  constructor(...args: unknown[]) {
    super(replicationPad1dArgs(args).padding, 2, 'replicate', null);
  }
}

/**
 * Pads the last two dims by repeating the edge values. padding: an int, or
 * (left, right, top, bottom). Input: (N, C, H, W) or (C, H, W).
 */
export class ReplicationPad2d extends PadNd {
  /** Python's ReplicationPad2d(padding). */
  constructor(...args: PadArgs<4>);
  constructor(...args: unknown[]) {
    super(replicationPad2dArgs(args).padding, 4, 'replicate', null);
  }
}

/**
 * Pads the last three dims by repeating the edge values. padding: an int, or
 * (left, right, top, bottom, front, back). Input: (N, C, D, H, W) or (C, D, H, W).
 */
export class ReplicationPad3d extends PadNd {
  /** Python's ReplicationPad3d(padding). */
  constructor(...args: PadArgs<6>);
  constructor(...args: unknown[]) {
    super(replicationPad3dArgs(args).padding, 6, 'replicate', null);
  }
}

/** The constant pads: the same, with the value they fill with. */
abstract class ConstantPadNd extends PadNd {
  get value(): number {
    return this.padValue as number;
  }

  override extra_repr(): string {
    return `padding=${tupleRepr(this.padding)}, value=${pyFloatRepr(this.value)}`;
  }
}

type ConstantPadArgs<N extends number> = PyArgs<[padding: PaddingArg<N>, value: number], [], { padding: PaddingArg<N>; value: number }>;

const constantPad1dArgs = def_<{ padding: unknown; value: number }>('ConstantPad1d(Any padding, float value)');
const constantPad2dArgs = def_<{ padding: unknown; value: number }>('ConstantPad2d(Any padding, float value)');
const constantPad3dArgs = def_<{ padding: unknown; value: number }>('ConstantPad3d(Any padding, float value)');

/**
 * Pads the last dim with a constant. padding: an int, or (left, right); a
 * negative side crops. Input: (N, C, W_in) or (C, W_in); output: W_out = W_in + left + right.
 */
export class ConstantPad1d extends ConstantPadNd {
  /** Python's ConstantPad1d(padding, value). */
  constructor(...args: ConstantPadArgs<2>);
  constructor(...args: unknown[]) {
    const a = constantPad1dArgs(args);
    super(a.padding, 2, 'constant', a.value);
  }
}

/**
 * Pads the last two dims with a constant. padding: an int, or (left, right, top, bottom).
 * Input: (N, C, H, W) or (C, H, W).
 */
export class ConstantPad2d extends ConstantPadNd {
  /** Python's ConstantPad2d(padding, value). */
  constructor(...args: ConstantPadArgs<4>);
  constructor(...args: unknown[]) {
    const a = constantPad2dArgs(args);
    super(a.padding, 4, 'constant', a.value);
  }
}

/**
 * Pads the last three dims with a constant. padding: an int, or
 * (left, right, top, bottom, front, back). Input: (N, C, D, H, W) or (C, D, H, W).
 */
export class ConstantPad3d extends ConstantPadNd {
  /** Python's ConstantPad3d(padding, value). */
  constructor(...args: ConstantPadArgs<6>);
  constructor(...args: unknown[]) {
    const a = constantPad3dArgs(args);
    super(a.padding, 6, 'constant', a.value);
  }
}

const zeroPad2dArgs = def_<{ padding: unknown }>('ZeroPad2d(Any padding)');

/**
 * Pads the last two dims with zeros: a ConstantPad2d with value 0, as in Python.
 * padding: an int, or (left, right, top, bottom). Input: (N, C, H, W) or (C, H, W).
 */
export class ZeroPad2d extends ConstantPad2d {
  /** Python's ZeroPad2d(padding). */
  constructor(...args: PadArgs<4>);
  constructor(...args: unknown[]) {
    super(zeroPad2dArgs(args).padding as PaddingArg<4>, 0.0);
  }

  override extra_repr(): string {
    return tupleRepr(this.padding);
  }
}
