// nn.LayerNorm, after torch/nn/modules/normalization.py.
// TEMP: a plain LayerNorm for the Transformer family; the full
// normalization.ts (GroupNorm, LocalResponseNorm, ...) replaces this file.
import { pyFloatRepr } from '../../_pyformat';
import { empty } from '../../factories';
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';
import { def_, pyBool, type FactoryKwargs, type PyArgs } from './utils';

export interface LayerNormKwargs extends FactoryKwargs {
  normalized_shape: number | number[];
  eps?: number;
  elementwise_affine?: boolean;
}

const layerNormArgs = def_<Required<LayerNormKwargs>>(
  'LayerNorm(Any normalized_shape, float eps=1e-5, bool elementwise_affine=True, Device? device=None, dtype? dtype=None)',
);

/**
 * y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, the mean and (biased)
 * variance taken over the last len(normalized_shape) dimensions.
 * Input: (N, *), output: (N, *) (same shape). weight and bias:
 * normalized_shape, initialised to ones and zeros.
 */
export class LayerNorm extends Module {
  normalized_shape: number[];
  eps: number;
  elementwise_affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  /** Python's LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, device=None, dtype=None). */
  constructor(...args: PyArgs<[normalized_shape: number | number[]], [eps: number, elementwise_affine: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']], LayerNormKwargs>);
  constructor(...args: unknown[]) {
    const { normalized_shape, eps, elementwise_affine, device, dtype } = layerNormArgs(args);
    super();
    const shape = typeof normalized_shape === 'number' ? [normalized_shape] : normalized_shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new TypeError(`LayerNorm(): argument 'normalized_shape' must be an int or a list of non-negative ints, got ${String(normalized_shape)}`);
    }
    this.normalized_shape = [...shape];
    this.eps = eps;
    this.elementwise_affine = elementwise_affine;
    this.weight = elementwise_affine ? new Parameter(empty(this.normalized_shape, { device, dtype })) : null;
    this.bias = elementwise_affine ? new Parameter(empty(this.normalized_shape, { device, dtype })) : null;
    this.reset_parameters();
  }

  reset_parameters(): void {
    if (this.weight !== null && this.bias !== null) {
      init.ones_(this.weight);
      init.zeros_(this.bias);
    }
  }

  override forward(input: Tensor): Tensor {
    return F.layer_norm(input, this.normalized_shape, this.weight, this.bias, this.eps);
  }

  override extra_repr(): string {
    // Python keeps normalized_shape as a tuple: (8,) or (2, 3).
    const tuple = this.normalized_shape.length === 1 ? `(${this.normalized_shape[0]},)` : `(${this.normalized_shape.join(', ')})`;
    return `${tuple}, eps=${pyFloatRepr(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}`;
  }
}
