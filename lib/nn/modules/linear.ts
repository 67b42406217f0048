// nn.Linear, nn.Bilinear and nn.Identity, after torch/nn/modules/linear.py.
import { empty } from '../../factories';
import { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { aten } from '../../aten';
import { moduleError } from './_module_error';
import { Module } from './module';
import { checkSize, def_, pyBool, type FactoryKwargs, type PyArgs } from './utils';

export interface LinearKwargs extends FactoryKwargs {
  in_features: number;
  out_features: number;
  bias?: boolean;
}

const linearArgs = def_<Required<LinearKwargs>>('Linear(int in_features, int out_features, bool bias=True, Device? device=None, dtype? dtype=None)');

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

  /** Python's Linear(in_features, out_features, bias=True, device=None, dtype=None). */
  constructor(...args: PyArgs<[in_features: number, out_features: number], [bias: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']], LinearKwargs>);
  constructor(...args: unknown[]) {
    const { in_features, out_features, bias, device, dtype } = linearArgs(args);
    super();
    this.in_features = checkSize('Linear', 'in_features', in_features);
    this.out_features = checkSize('Linear', 'out_features', out_features);
    this.weight = new Parameter(empty([out_features, in_features], { device, dtype }));
    this.bias = bias ? new Parameter(empty([out_features], { device, dtype })) : null;
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
      return F._linear(input, this.weight, this.bias);
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
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** Returns its input unchanged. Python's Identity(*args, **kwargs) takes and ignores any arguments, so that it can stand in for any module. */
export class Identity extends Module {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  constructor(..._args: unknown[]) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}

export interface BilinearKwargs extends FactoryKwargs {
  in1_features: number;
  in2_features: number;
  out_features: number;
  bias?: boolean;
}

const bilinearArgs = def_<Required<BilinearKwargs>>(
  'Bilinear(int in1_features, int in2_features, int out_features, bool bias=True, Device? device=None, dtype? dtype=None)',
);
const bilinearOp = aten('bilinear', '');

/**
 * y_k = x1ᵀ A_k x2 + b_k for each output feature k.
 * Inputs: (*, H_in1) and (*, H_in2) with the same leading dims, output: (*, H_out).
 * weight: (out_features, in1_features, in2_features), bias: (out_features),
 * both initialised from U(-1/sqrt(in1_features), 1/sqrt(in1_features)).
 */
export class Bilinear extends Module {
  in1_features: number;
  in2_features: number;
  out_features: number;
  weight: Parameter;
  bias: Parameter | null;

  /** Python's Bilinear(in1_features, in2_features, out_features, bias=True, device=None, dtype=None). */
  constructor(
    ...args: PyArgs<
      [in1_features: number, in2_features: number, out_features: number],
      [bias: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
      BilinearKwargs
    >
  );
  constructor(...args: unknown[]) {
    const { in1_features, in2_features, out_features, bias, device, dtype } = bilinearArgs(args);
    super();
    this.in1_features = checkSize('Bilinear', 'in1_features', in1_features);
    this.in2_features = checkSize('Bilinear', 'in2_features', in2_features);
    this.out_features = checkSize('Bilinear', 'out_features', out_features);
    this.weight = new Parameter(empty([out_features, in1_features, in2_features], { device, dtype }));
    this.bias = bias ? new Parameter(empty([out_features], { device, dtype })) : null;
    this.reset_parameters();
  }

  /** Python's order of draws: the weight, then the bias, both from U(-bound, bound) with bound = 1/sqrt(in1_features). */
  reset_parameters(): void {
    const bound = 1 / Math.sqrt(this.weight.size(1));
    init.uniform_(this.weight, -bound, bound);
    if (this.bias !== null) init.uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    if (input1 instanceof Tensor && input2 instanceof Tensor) {
      const n1 = input1.ndim > 0 ? input1.size(-1) : -1;
      const n2 = input2.ndim > 0 ? input2.size(-1) : -1;
      if (n1 !== this.in1_features || n2 !== this.in2_features) {
        throw new RangeError(
          `${this.toString()} got inputs of shapes [${[...input1.shape].join(', ')}] and [${[...input2.shape].join(', ')}], ` +
            `whose last dimensions should be ${this.in1_features} and ${this.in2_features}`,
        );
      }
    }
    try {
      return bilinearOp(input1, input2, this.weight, this.bias);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `in1_features=${this.in1_features}, in2_features=${this.in2_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}`;
  }
}
