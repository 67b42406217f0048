// What torchvision's model builders share, after torchvision/models/_utils.py:
// _make_divisible, _ovewrite_named_param, and the builders' own arguments
// (weights, progress), plus the checks a model makes of the image it is given.
import { splitKeywords } from '../../_arg_parser';
import { describeValue } from '../../_describe';
import { Module } from '../../nn/modules/module';
import { AdaptiveAvgPool2d } from '../../nn/modules/pooling';
import { Tensor } from '../../tensor';

/**
 * A layer a model builds by calling it with its channel count, as torchvision
 * calls `norm_layer(planes)`: a Module class (`nn.BatchNorm2d`), built with
 * `new`, or a function returning a Module (Python's `partial(nn.GroupNorm, 32)`
 * is `(c) => new nn.GroupNorm(32, c)`).
 */
export type LayerFactory<A extends unknown[] = [number]> = (new (...args: A) => Module) | ((...args: A) => Module);

/** Calls a layer factory as Python calls the callable, checking that what comes back is a Module. */
export function _make(owner: string, name: string, factory: unknown, ...args: unknown[]): Module {
  if (typeof factory !== 'function') {
    throw new TypeError(`${owner}(): argument '${name}' must be a Module class or a function returning a Module, not ${describeValue(factory)}`);
  }
  const isClass = factory.prototype instanceof Module || factory === Module;
  const m = isClass ? new (factory as new (...a: unknown[]) => Module)(...args) : (factory as (...a: unknown[]) => unknown)(...args);
  if (!(m instanceof Module)) {
    throw new TypeError(`${owner}(): '${name}' returned ${describeValue(m)}, not a Module`);
  }
  return m;
}

/**
 * The channel count nearest to v that is a multiple of divisor (and at least
 * min_value, by default divisor), never rounding down by more than 10%: the
 * rule of TensorFlow's MobileNet that torchvision keeps, so that widths scaled
 * by width_mult stay multiples of 8.
 */
export function _make_divisible(v: number, divisor: number, min_value: number | null = null): number {
  const min = min_value ?? divisor;
  // Python's int() truncates toward zero before the floor division.
  let new_v = Math.max(min, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (new_v < 0.9 * v) new_v += divisor;
  return new_v;
}

/** Python's round(): halves go to the even neighbour (round(2.5) == 2). */
export function _py_round(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * A builder's fixed setting of a model argument (resnext50_32x4d's groups=32):
 * set where the caller left it out; where the caller gave another value, an
 * error, as torchvision refuses it.
 */
export function _ovewrite_named_param(kwargs: Record<string, unknown>, param: string, new_value: unknown): void {
  if (param in kwargs && kwargs[param] !== undefined) {
    if (kwargs[param] !== new_value) {
      throw new RangeError(`The parameter '${param}' expected value ${String(new_value)} but got ${String(kwargs[param])} instead.`);
    }
  } else {
    kwargs[param] = new_value;
  }
}

/** The keywords every builder takes besides the model's own: `resnet18({ weights: null, progress: true, num_classes: 10 })`. */
export interface BuilderOptions {
  /** Must be null: pretrained weights are not downloaded (see the error for how to load a file you have). */
  weights?: null;
  progress?: boolean;
  /** torchvision's deprecated spelling of weights: only false is accepted. */
  pretrained?: false;
}

/**
 * Binds a builder's call, torchvision's `resnet18(*, weights=None,
 * progress=True, **kwargs)` (which also takes weights and progress
 * positionally, as the deprecated interface did): returns the keywords meant
 * for the model's constructor. Any weights other than null is refused with
 * what to do instead, since nothing is downloaded here.
 */
export function _builder_args(builder: string, args: readonly unknown[]): Record<string, unknown> {
  const [positional, keywords = {}] = splitKeywords(args);
  if (positional.length > 2) {
    throw new TypeError(`${builder}() takes from 0 to 2 positional arguments but ${positional.length} were given`);
  }
  const kwargs: Record<string, unknown> = { ...keywords };
  for (const [i, name] of ['weights', 'progress'].entries()) {
    if (i < positional.length) {
      if (name in kwargs) throw new TypeError(`${builder}() got multiple values for argument '${name}'`);
      kwargs[name] = positional[i];
    }
  }
  const { weights, progress, pretrained } = kwargs;
  delete kwargs.weights;
  delete kwargs.progress;
  delete kwargs.pretrained;
  if (progress !== undefined && typeof progress !== 'boolean') {
    throw new TypeError(`${builder}(): argument 'progress' must be bool, not ${describeValue(progress)}`);
  }
  const asked = weights !== undefined && weights !== null ? `weights=${typeof weights === 'string' ? `'${weights}'` : describeValue(weights)}` : pretrained ? 'pretrained=true' : null;
  if (pretrained !== undefined && typeof pretrained !== 'boolean') {
    throw new TypeError(`${builder}(): argument 'pretrained' must be bool, not ${describeValue(pretrained)}`);
  }
  if (asked !== null) {
    throw new TypeError(
      `${builder}(): ${asked} cannot be honoured: torchts does not download pretrained weights, so weights must be null. ` +
        `Build the model with weights: null and load a state_dict file you have: ` +
        `model.load_state_dict(torch.load('${builder}.pth')) (a torchvision state_dict saved with torch.save loads as is).`,
    );
  }
  return kwargs;
}

/**
 * Checks the image batch a model is given: a Tensor (N, C, H, W) with the
 * channels its first layer takes and at least its smallest size, so that a
 * wrong input is an error naming the model rather than one from a layer deep inside.
 */
export function _check_image_input(model: string, input: unknown, channels: number | null, minSize = 1): void {
  if (!(input instanceof Tensor)) {
    throw new TypeError(`${model}.forward(): argument 'x' must be a Tensor, not ${describeValue(input)}`);
  }
  const shape = [...input.shape];
  const expected = `(N, ${channels ?? 'C'}, H, W)${minSize > 1 ? ` with H and W at least ${minSize}` : ''}`;
  if (shape.length !== 4) {
    throw new RangeError(`${model}: expected a 4-D image batch ${expected}, got an input of shape [${shape.join(', ')}]`);
  }
  if (channels !== null && shape[1] !== channels) {
    throw new RangeError(`${model}: expected an image batch ${expected}, got ${shape[1]} channels (input of shape [${shape.join(', ')}])`);
  }
  if (shape[2] < minSize || shape[3] < minSize) {
    throw new RangeError(`${model}: the image is too small: expected ${expected}, got an input of shape [${shape.join(', ')}]`);
  }
}

/** An error from inside a model's forward, its message prefixed with the model's name (its class and stack kept). */
export function _model_error(model: string, input: unknown, err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const shape = input instanceof Tensor ? ` (input of shape [${[...input.shape].join(', ')}])` : '';
  const before = err.message;
  err.message = `${model}${shape}: ${before}`;
  if (typeof err.stack === 'string' && err.stack.includes(before)) err.stack = err.stack.replace(before, err.message);
  return err;
}

/**
 * nn.AdaptiveAvgPool2d made with a Python tuple, as torchvision makes its
 * models' pooling (`nn.AdaptiveAvgPool2d((1, 1))`): it prints
 * `output_size=(1, 1)`. JS has no tuple, and nn prints an array as Python
 * prints a list; this keeps print(model) equal to torchvision's.
 */
export class _AdaptiveAvgPool2dTuple extends AdaptiveAvgPool2d {
  constructor(h: number, w: number) {
    super([h, w]);
  }

  override _get_name(): string {
    return 'AdaptiveAvgPool2d';
  }

  override extra_repr(): string {
    const [h, w] = this.output_size as number[];
    return `output_size=(${h}, ${w})`;
  }
}
