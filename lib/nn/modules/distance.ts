// nn.PairwiseDistance and nn.CosineSimilarity, after torch/nn/modules/distance.py.
import { aten } from '../../aten';
import type { Tensor } from '../../tensor';
import { moduleError } from './_module_error';
import { Module } from './module';
import { def_, type PyArgs } from './utils';

const pairwiseDistanceOp = aten('pairwise_distance', '');
const cosineSimilarityOp = aten('cosine_similarity', '');

interface PairwiseDistanceKwargs {
  p: number;
  eps: number;
  keepdim: boolean;
}

const pairwiseDistanceArgs = def_<PairwiseDistanceKwargs>('PairwiseDistance(float p=2.0, float eps=1e-06, bool keepdim=False)');

/**
 * dist(x1, x2) = ‖x1 - x2 + eps‖_p along the last dim.
 * Inputs: (N, D) or (D), broadcasting; output: (N) or (), (N, 1) with keepdim.
 * The p-norm's p is kept as `norm`, as Python keeps it.
 */
export class PairwiseDistance extends Module {
  norm: number;
  eps: number;
  keepdim: boolean;

  /** Python's PairwiseDistance(p=2.0, eps=1e-06, keepdim=False). */
  constructor(...args: PyArgs<[], [p: number, eps: number, keepdim: boolean], Partial<PairwiseDistanceKwargs>>);
  constructor(...args: unknown[]) {
    const a = pairwiseDistanceArgs(args);
    super();
    this.norm = a.p;
    this.eps = a.eps;
    this.keepdim = a.keepdim;
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    try {
      return pairwiseDistanceOp(x1, x2, this.norm, this.eps, this.keepdim);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}

const cosineSimilarityArgs = def_<{ dim: number; eps: number }>('CosineSimilarity(int dim=1, float eps=1e-08)');

/**
 * cos(x1, x2) = x1 · x2 / max(‖x1‖₂ ‖x2‖₂, eps) along dim.
 * Inputs: (*₁, D, *₂), broadcasting; output: (*₁, *₂).
 */
export class CosineSimilarity extends Module {
  dim: number;
  eps: number;

  /** Python's CosineSimilarity(dim=1, eps=1e-08). */
  constructor(...args: PyArgs<[], [dim: number, eps: number], Partial<{ dim: number; eps: number }>>);
  constructor(...args: unknown[]) {
    const a = cosineSimilarityArgs(args);
    super();
    this.dim = a.dim;
    this.eps = a.eps;
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    try {
      return cosineSimilarityOp(x1, x2, this.dim, this.eps);
    } catch (err) {
      throw moduleError(this, err);
    }
  }
}
