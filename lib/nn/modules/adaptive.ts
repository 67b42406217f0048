// nn.AdaptiveLogSoftmaxWithLoss, after torch/nn/modules/adaptive.py.
import { inspect } from 'node:util';

import { describeValue } from '../../_options';
import { slice } from '../../indexing';
import { NamedTensorTuple, type NamedTuple } from '../../return_types';
import { Tensor } from '../../tensor';
import * as F from '../functional';
import { Sequential, ModuleList } from './container';
import { Linear } from './linear';
import { Module } from './module';
import { def_, type FactoryKwargs, type PyArgs } from './utils';

export interface AdaptiveLogSoftmaxWithLossKwargs extends FactoryKwargs {
  in_features: number;
  n_classes: number;
  cutoffs: Iterable<number>;
  div_value?: number;
  head_bias?: boolean;
}

const adaptiveArgs = def_<Required<AdaptiveLogSoftmaxWithLossKwargs>>(
  'AdaptiveLogSoftmaxWithLoss(int in_features, int n_classes, Any cutoffs, float div_value=4., bool head_bias=False, Device? device=None, dtype? dtype=None)',
);
const forwardArgs = def_<{ input_: Tensor; target_: Tensor }>('AdaptiveLogSoftmaxWithLoss.forward(Tensor input_, Tensor target_)');
const logProbArgs = def_<{ input: Tensor }>('AdaptiveLogSoftmaxWithLoss.log_prob(Tensor input)');
const predictArgs = def_<{ input: Tensor }>('AdaptiveLogSoftmaxWithLoss.predict(Tensor input)');

const CUTOFFS_MESSAGE =
  'cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1';

/** What forward returns: Python's `_ASMoutput(output, loss)` named tuple, `[output, loss]` that also has them by name. */
export type ASMoutput = NamedTuple<[Tensor, Tensor], { output: Tensor; loss: Tensor }>;

class ASMoutputTuple extends NamedTensorTuple {
  constructor(output: Tensor, loss: Tensor) {
    super('_ASMoutput', ['output', 'loss']);
    this.push(output, loss);
    Object.defineProperty(this, 'output', { value: output, enumerable: false });
    Object.defineProperty(this, 'loss', { value: loss, enumerable: false });
  }

  // Python's namedtuple repr, on one line: `_ASMoutput(output=tensor(...), loss=tensor(...))`.
  override [inspect.custom](): string {
    return `_ASMoutput(output=${String(this[0])}, loss=${String(this[1])})`;
  }
}

/** Python's float `a // b` (floatobject.c): the floor of the exact quotient, where Math.floor(a / b) can round up first (1 // 0.1 is 9.0). */
function pyFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0;
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return floordiv;
}

function shapeOf(t: Tensor): string {
  return `[${[...t.shape].join(', ')}]`;
}

/**
 * Adaptive softmax (Grave et al., "Efficient softmax approximation for GPUs").
 * The classes, sorted by frequency, are split at `cutoffs = [c_0, ..., c_{k-1}]`:
 * the head scores the c_0 most frequent classes and one logit per tail cluster,
 * head(x) = x W_h^T (+ b_h), of size c_0 + k; tail cluster i (classes
 * c_{i-1} .. c_i - 1, with c_k = n_classes) is a projection to
 * floor(in_features / div_value^(i+1)) features and then to its classes, with no biases.
 * log p(y | x) = log_softmax(head(x))_y for a head class, and
 * log_softmax(head(x))_{c_0 + i} + log_softmax(tail_i(x))_{y - c_i} for a class of cluster i.
 * Input: (N, in_features) or (in_features); target: (N) or () int64 class indices.
 * Output: the named tuple [output (N) or (): log p(target | input), loss (): the mean of -output].
 * Parameters: head.weight (c_0 + k, in_features), head.bias (with head_bias),
 * tail.i.0.weight (hsz_i, in_features), tail.i.1.weight (c_{i+1} - c_i, hsz_i),
 * each initialised as nn.Linear initialises its own.
 */
export class AdaptiveLogSoftmaxWithLoss extends Module {
  in_features: number;
  n_classes: number;
  /** The cutoffs as given, with n_classes appended (as Python keeps them). */
  cutoffs: number[];
  div_value: number;
  head_bias: boolean;
  shortlist_size: number;
  n_clusters: number;
  head_size: number;
  head: Linear;
  tail: ModuleList;

  /** Python's AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, div_value=4.0, head_bias=False, device=None, dtype=None). */
  constructor(
    ...args: PyArgs<
      [in_features: number, n_classes: number, cutoffs: Iterable<number>],
      [div_value: number, head_bias: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
      AdaptiveLogSoftmaxWithLossKwargs
    >
  );
  constructor(...args: unknown[]) {
    const { in_features, n_classes, cutoffs: given, div_value, head_bias, device, dtype } = adaptiveArgs(args);
    super();
    const who = 'AdaptiveLogSoftmaxWithLoss()';
    // Python takes any sequence (list(cutoffs)); a string or a number is not one of ints.
    if (given === null || typeof given !== 'object' || typeof (given as any)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${who}: argument 'cutoffs' must be a sequence of ints, not ${describeValue(given)}`);
    }
    const cutoffs = [...(given as Iterable<unknown>)];
    const bad = cutoffs.find((c) => typeof c !== 'number');
    if (bad !== undefined) throw new TypeError(`${who}: argument 'cutoffs' must be a sequence of ints, but it holds ${describeValue(bad)}`);
    const cs = cutoffs as number[];
    const valid =
      cs.length > 0 &&
      cs.every((c, i) => Number.isInteger(c) && c > 0 && c <= n_classes - 1 && (i === 0 || cs[i - 1] < c));
    if (!valid) {
      // Python's ValueError, then what was given (an empty list is Python's `min() arg is an empty sequence`).
      throw new RangeError(`${who}: ${CUTOFFS_MESSAGE} (got cutoffs=[${cs.join(', ')}] with n_classes=${n_classes})`);
    }

    this.in_features = in_features;
    this.n_classes = n_classes;
    this.cutoffs = [...cs, n_classes];
    this.div_value = div_value;
    this.head_bias = head_bias;
    this.shortlist_size = this.cutoffs[0];
    this.n_clusters = this.cutoffs.length - 1;
    this.head_size = this.shortlist_size + this.n_clusters;

    // Built, and so drawn, in Python's order: the head, then each cluster's two projections.
    const fk = { device, dtype };
    this.head = new Linear(in_features, this.head_size, { bias: head_bias, ...fk });
    this.tail = new ModuleList();
    for (let i = 0; i < this.n_clusters; i++) {
      const scale = div_value ** (i + 1);
      if (scale === 0) throw new RangeError(`${who}: div_value=${div_value} gives a zero divisor for cluster ${i} (float floor division by zero)`);
      const hsz = pyFloorDiv(in_features, scale);
      if (!Number.isFinite(hsz) || hsz < 0) {
        throw new RangeError(`${who}: div_value=${div_value} gives cluster ${i} a hidden size of ${hsz} (in_features // div_value**${i + 1}); it must be a non-negative integer`);
      }
      const osz = this.cutoffs[i + 1] - this.cutoffs[i];
      this.tail.append(new Sequential(new Linear(in_features, hsz, { bias: false, ...fk }), new Linear(hsz, osz, { bias: false, ...fk })));
    }
  }

  /** Python's order of draws: the head, then each cluster's input-to-hidden and hidden-to-output projections. */
  reset_parameters(): void {
    this.head.reset_parameters();
    for (const projection of this.tail) {
      const [i2h, h2o] = [...(projection as Sequential)] as Linear[];
      i2h.reset_parameters();
      h2o.reset_parameters();
    }
  }

  /** Python's forward(input_, target_): `[output, loss]`, also `.output` and `.loss`. */
  override forward(...args: PyArgs<[input_: Tensor, target_: Tensor], [], { input_: Tensor; target_: Tensor }>): ASMoutput;
  override forward(...args: unknown[]): ASMoutput {
    const { input_, target_ } = forwardArgs(args);
    const fail = (message: string) => new RangeError(`AdaptiveLogSoftmaxWithLoss: ${message}`);
    const targDim = target_.ndim;
    if (targDim === 1) {
      if (input_.ndim === 0 || input_.size(0) !== target_.size(0)) {
        throw fail(`Input and target should have the same size in the batch dimension. The input's shape is ${shapeOf(input_)}, the target's ${shapeOf(target_)}.`);
      }
      if (input_.ndim !== 2) throw fail(`1D target tensor expects 2D input tensors, but found inputs with size ${String(input_.shape)}`);
    } else if (targDim === 0) {
      if (input_.ndim !== 1) throw fail(`0D target tensor expects 1D input tensors, but found inputs with size ${String(input_.shape)}`);
    } else {
      throw fail(`0D or 1D target tensor expected, multi-target not supported (target ${shapeOf(target_)})`);
    }
    // Python fails later in gather for any other dtype; say so here.
    if (target_.dtype.name !== 'int64') throw new TypeError(`AdaptiveLogSoftmaxWithLoss: target should be an int64 tensor of class indices, got ${target_.dtype.name}`);

    const isBatched = targDim > 0;
    const input = isBatched ? input_ : input_.unsqueeze(0);
    const target = isBatched ? target_ : target_.unsqueeze(0);

    try {
      let usedRows = 0;
      const batchSize = target.size(0);
      let output = input.new_zeros([batchSize]);
      const gatherInds = target.new_empty([batchSize]);

      const cutoffValues = [0, ...this.cutoffs];
      for (let i = 0; i < cutoffValues.length - 1; i++) {
        const lowIdx = cutoffValues[i];
        const highIdx = cutoffValues[i + 1];
        const targetMask = target.ge(lowIdx).bitwise_and(target.lt(highIdx));
        const rowIndices = targetMask.nonzero().squeeze();
        if (rowIndices.numel() === 0) continue;

        if (i === 0) {
          gatherInds.index_copy_(0, rowIndices, target.index(targetMask));
        } else {
          const relativeTarget = target.index(targetMask).sub(lowIdx);
          const inputSubset = input.index_select(0, rowIndices);
          const clusterOutput = (this.tail.at(i - 1) as Sequential)(inputSubset);
          const clusterIndex = this.shortlist_size + i - 1;
          gatherInds.index_fill_(0, rowIndices, clusterIndex);
          const clusterLogprob = F.log_softmax(clusterOutput, 1);
          const localLogprob = clusterLogprob.gather(1, relativeTarget.unsqueeze(1));
          output.index_copy_(0, rowIndices, localLogprob.squeeze(1));
        }
        usedRows += rowIndices.numel();
      }

      if (usedRows !== batchSize) {
        throw fail(`Target values should be in [0, ${this.n_classes - 1}], but values in range [${target.min().item()}, ${target.max().item()}] were found.`);
      }

      const headOutput = this.head(input);
      const headLogprob = F.log_softmax(headOutput, 1);
      // In place, as Python's `output += ...`: autograd records the same graph.
      output.add_(headLogprob.gather(1, gatherInds.unsqueeze(1)).squeeze());
      const loss = output.neg().mean();
      if (!isBatched) output = output.squeeze(0);
      return new ASMoutputTuple(output, loss) as unknown as ASMoutput;
    } catch (err) {
      throw this._named(err);
    }
  }

  /** The log of the full distribution, given the input and the head's output (Python's _get_full_log_prob). */
  _get_full_log_prob(input: Tensor, headOutput: Tensor): Tensor {
    const out = input.new_empty([headOutput.size(0), this.n_classes]);
    const headLogprob = F.log_softmax(headOutput, 1);
    out.setitem(slice(), slice(null, this.shortlist_size), headLogprob.index(slice(), slice(null, this.shortlist_size)));
    for (let i = 0; i < this.n_clusters; i++) {
      const [startIdx, stopIdx] = [this.cutoffs[i], this.cutoffs[i + 1]];
      const clusterOutput = (this.tail.at(i) as Sequential)(input);
      const clusterLogprob = F.log_softmax(clusterOutput, 1);
      const outputLogprob = clusterLogprob.add(headLogprob.index(slice(), this.shortlist_size + i).unsqueeze(1));
      out.setitem(slice(), slice(startIdx, stopIdx), outputLogprob);
    }
    return out;
  }

  /** Log-probabilities of all n_classes classes. Input: (N, in_features); output: (N, n_classes). */
  log_prob(...args: PyArgs<[input: Tensor], [], { input: Tensor }>): Tensor;
  log_prob(...args: unknown[]): Tensor {
    const { input } = logProbArgs(args);
    this._checkMinibatch('log_prob', input);
    try {
      return this._get_full_log_prob(input, this.head(input));
    } catch (err) {
      throw this._named(err);
    }
  }

  /**
   * The most probable class of each example: log_prob(input).argmax(1), computing
   * the tail clusters only for the rows whose head does not pick a shortlist class.
   * Input: (N, in_features); output: (N) int64.
   */
  predict(...args: PyArgs<[input: Tensor], [], { input: Tensor }>): Tensor;
  predict(...args: unknown[]): Tensor {
    const { input } = predictArgs(args);
    this._checkMinibatch('predict', input);
    try {
      const headOutput = this.head(input);
      const output = headOutput.argmax(1);
      const notInShortlist = output.ge(this.shortlist_size);
      if (!notInShortlist.any().item()) return output;
      if (notInShortlist.all().item()) return this._get_full_log_prob(input, headOutput).argmax(1);
      const logProb = this._get_full_log_prob(input.index(notInShortlist), headOutput.index(notInShortlist));
      output.setitem(notInShortlist, logProb.argmax(1));
      return output;
    } catch (err) {
      throw this._named(err);
    }
  }

  // Python fails in log_softmax(dim=1) for anything but a minibatch; say what was expected.
  private _checkMinibatch(method: string, input: Tensor): void {
    if (input.ndim !== 2) {
      throw new RangeError(`AdaptiveLogSoftmaxWithLoss.${method}: input should be a minibatch (N, in_features=${this.in_features}), got shape ${shapeOf(input)}`);
    }
  }

  // An error from a child (a Linear given the wrong feature count) or an op, prefixed with this module's name once.
  private _named(err: unknown): unknown {
    if (!(err instanceof Error) || err.message.startsWith('AdaptiveLogSoftmaxWithLoss')) return err;
    const before = err.message;
    err.message = `AdaptiveLogSoftmaxWithLoss: ${before}`;
    if (typeof err.stack === 'string') err.stack = err.stack.replace(before, err.message);
    return err;
  }
}
