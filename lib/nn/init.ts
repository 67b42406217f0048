// nn.init, after torch/nn/init.py: the same formulas in the same float
// arithmetic (Python's ** is the C library's pow), and the same draws from
// the default generator, so a seed gives Python's weights.
import { native } from '../native';
import { no_grad } from '../autograd/grad_mode';
import type { Tensor } from '../tensor';
import { def_, type PyArgs } from './modules/utils';

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

const LINEAR_FNS = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d']);

const calculateGainArgs = def_<{ nonlinearity: string; param: unknown }>('calculate_gain(str nonlinearity, Any param=None)');

/** Python's calculate_gain(nonlinearity, param=None). */
export function calculate_gain(...args: PyArgs<[nonlinearity: Nonlinearity], [param: number | null], { nonlinearity: Nonlinearity; param?: number | null }>): number;
export function calculate_gain(...args: unknown[]): number {
  const { nonlinearity, param } = calculateGainArgs(args);
  if (LINEAR_FNS.has(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    const slope = param ?? 0.01;
    if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`negative_slope ${String(param)} not a valid number`);
    return Math.sqrt(2.0 / (1 + native.libmPow(slope, 2)));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new TypeError(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

export function _calculate_fan_in_and_fan_out(tensor: Tensor): [number, number] {
  const dims = tensor.ndim;
  if (dims < 2) throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const shape = tensor.shape;
  let receptive = 1;
  for (let d = 2; d < dims; d++) receptive *= shape[d];
  return [shape[1] * receptive, shape[0] * receptive];
}

function correctFan(tensor: Tensor, mode: string): number {
  const m = String(mode).toLowerCase();
  if (m !== 'fan_in' && m !== 'fan_out') throw new TypeError(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  return m === 'fan_in' ? fanIn : fanOut;
}

const uniformArgs = def_<{ tensor: Tensor; a: number; b: number }>('uniform_(Tensor tensor, float a=0., float b=1.)');
const normalArgs = def_<{ tensor: Tensor; mean: number; std: number }>('normal_(Tensor tensor, float mean=0., float std=1.)');
const constantArgs = def_<{ tensor: Tensor; val: number }>('constant_(Tensor tensor, float val)');
const onesArgs = def_<{ tensor: Tensor }>('ones_(Tensor tensor)');
const zerosArgs = def_<{ tensor: Tensor }>('zeros_(Tensor tensor)');
const xavierUniformArgs = def_<{ tensor: Tensor; gain: number }>('xavier_uniform_(Tensor tensor, float gain=1.)');
const xavierNormalArgs = def_<{ tensor: Tensor; gain: number }>('xavier_normal_(Tensor tensor, float gain=1.)');
type Kaiming = { tensor: Tensor; a: number; mode: 'fan_in' | 'fan_out'; nonlinearity: Nonlinearity };
const kaimingUniformArgs = def_<Kaiming>('kaiming_uniform_(Tensor tensor, float a=0, str mode="fan_in", str nonlinearity="leaky_relu")');
const kaimingNormalArgs = def_<Kaiming>('kaiming_normal_(Tensor tensor, float a=0, str mode="fan_in", str nonlinearity="leaky_relu")');

/** Python's uniform_(tensor, a=0., b=1.). */
export function uniform_(...args: PyArgs<[tensor: Tensor], [a: number, b: number], { tensor: Tensor; a?: number; b?: number }>): Tensor;
export function uniform_(...args: unknown[]): Tensor {
  const { tensor, a, b } = uniformArgs(args);
  return no_grad(() => tensor.uniform_(a, b));
}

/** Python's normal_(tensor, mean=0., std=1.). */
export function normal_(...args: PyArgs<[tensor: Tensor], [mean: number, std: number], { tensor: Tensor; mean?: number; std?: number }>): Tensor;
export function normal_(...args: unknown[]): Tensor {
  const { tensor, mean, std } = normalArgs(args);
  return no_grad(() => tensor.normal_(mean, std));
}

/** Python's constant_(tensor, val). */
export function constant_(...args: PyArgs<[tensor: Tensor, val: number], [], { tensor: Tensor; val: number }>): Tensor;
export function constant_(...args: unknown[]): Tensor {
  const { tensor, val } = constantArgs(args);
  return no_grad(() => tensor.fill_(val));
}

/** Python's ones_(tensor). */
export function ones_(...args: PyArgs<[tensor: Tensor], [], { tensor: Tensor }>): Tensor;
export function ones_(...args: unknown[]): Tensor {
  const { tensor } = onesArgs(args);
  return no_grad(() => tensor.fill_(1));
}

/** Python's zeros_(tensor). */
export function zeros_(...args: PyArgs<[tensor: Tensor], [], { tensor: Tensor }>): Tensor;
export function zeros_(...args: unknown[]): Tensor {
  const { tensor } = zerosArgs(args);
  return no_grad(() => tensor.zero_());
}

/** Python's xavier_uniform_(tensor, gain=1.). */
export function xavier_uniform_(...args: PyArgs<[tensor: Tensor], [gain: number], { tensor: Tensor; gain?: number }>): Tensor;
export function xavier_uniform_(...args: unknown[]): Tensor {
  const { tensor, gain } = xavierUniformArgs(args);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return no_grad(() => tensor.uniform_(-a, a));
}

/** Python's xavier_normal_(tensor, gain=1.). */
export function xavier_normal_(...args: PyArgs<[tensor: Tensor], [gain: number], { tensor: Tensor; gain?: number }>): Tensor;
export function xavier_normal_(...args: unknown[]): Tensor {
  const { tensor, gain } = xavierNormalArgs(args);
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return no_grad(() => tensor.normal_(0, std));
}

export interface KaimingOptions {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

type KaimingArgs = PyArgs<[tensor: Tensor], [a: number, mode: 'fan_in' | 'fan_out', nonlinearity: Nonlinearity], KaimingOptions & { tensor: Tensor }>;

/** Python's kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'). */
export function kaiming_uniform_(...args: KaimingArgs): Tensor;
export function kaiming_uniform_(...args: unknown[]): Tensor {
  const { tensor, a, mode, nonlinearity } = kaimingUniformArgs(args);
  if (tensor.numel() === 0) return tensor;
  const std = calculate_gain(nonlinearity, a) / Math.sqrt(correctFan(tensor, mode));
  const bound = Math.sqrt(3.0) * std;
  return no_grad(() => tensor.uniform_(-bound, bound));
}

/** Python's kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'). */
export function kaiming_normal_(...args: KaimingArgs): Tensor;
export function kaiming_normal_(...args: unknown[]): Tensor {
  const { tensor, a, mode, nonlinearity } = kaimingNormalArgs(args);
  if (tensor.numel() === 0) return tensor;
  const std = calculate_gain(nonlinearity, a) / Math.sqrt(correctFan(tensor, mode));
  return no_grad(() => tensor.normal_(0, std));
}
