// torchvision.transforms for tensors: ToTensor, Normalize, Compose, Lambda.
// An "image" here is a uint8 tensor (H, W) or (H, W, C), what PIL holds in
// Python. Each transform is callable; those that can also take a whole
// batch (N, ...) at once let datasets batch with one native call.
import { PythonArgParser } from '../_arg_parser';
import { inspect } from 'node:util';

import { float32, type dtype } from '../dtype';
import { get_default_dtype } from '../dtype';
import { tensor } from '../factories';
import { Tensor } from '../tensor';

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

const toTensorArgs = new PythonArgParser(['ToTensor()']);
const normalizeArgs = new PythonArgParser(['Normalize(float[] mean, float[] std, bool inplace=False)']);
const composeArgs = new PythonArgParser(['Compose(Any transforms)']);
const lambdaArgs = new PythonArgParser(['Lambda(Any lambd)']);

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
