// nn.Linear and nn.Identity, after torch/nn/modules/linear.py.
import { checkOptions } from '../../_options';
import { empty } from '../../factories';
import { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';

function checkFeatures(module: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new TypeError(`${module}: ${name} must be a non-negative integer, got ${typeof v === 'number' ? v : typeof v}`);
  }
  return v;
}

/**
 * y = x W^T + b.
 * Input: (*, H_in), output: (*, H_out). weight: (out_features, in_features),
 * bias: (out_features), both initialised from U(-1/sqrt(in_features), 1/sqrt(in_features)).
 */
export class Linear extends Module {
  in_features: number;
  out_features: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(in_features: number, out_features: number, options: { bias?: boolean } = {}) {
    checkOptions('Linear', options, { bias: 'bool' });
    const { bias = true } = options;
    super();
    this.in_features = checkFeatures('Linear', 'in_features', in_features);
    this.out_features = checkFeatures('Linear', 'out_features', out_features);
    this.weight = new Parameter(empty([out_features, in_features]));
    this.bias = bias ? new Parameter(empty([out_features])) : null;
    this.reset_parameters();
  }

  /** Python's order of draws: the weight's kaiming_uniform_, then the bias. */
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    try {
      return F.linear(input, this.weight, this.bias);
    } catch (err) {
      // libtorch names the matmul's shapes; say which module and what it expected.
      if (input instanceof Tensor && input.ndim > 0 && input.size(-1) !== this.in_features) {
        throw new RangeError(
          `${this.toString()} got an input of shape [${[...input.shape].join(', ')}], whose last dimension should be ${this.in_features}: ${(err as Error).message}`,
        );
      }
      throw err;
    }
  }

  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/** Returns its input unchanged. */
export class Identity extends Module {
  override forward(input: Tensor): Tensor {
    return input;
  }
}
