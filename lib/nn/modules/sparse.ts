// nn.Embedding and nn.EmbeddingBag, after torch/nn/modules/sparse.py.
import { pyFloatRepr } from '../../_pyformat';
import { no_grad } from '../../autograd/grad_mode';
import { empty } from '../../factories';
import { Tensor } from '../../tensor';
import { _embedding, _embedding_bag, _embedding_bag_mode, _padding_index, type EmbeddingBagMode } from '../_functional/sparse';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Module } from './module';
import { checkSize, def_, pyBool, type FactoryKwargs, type PyArgs } from './utils';
import { libtorchAtLeast } from '../../_libtorch_version';

export interface EmbeddingOptions extends FactoryKwargs {
  padding_idx?: number | null;
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  sparse?: boolean;
  _weight?: Tensor | null;
  /** PyTorch 2.x only: the table does not require grad (from_pretrained's freeze). */
  _freeze?: boolean;
}

interface EmbeddingKwargs extends EmbeddingOptions {
  num_embeddings: number;
  embedding_dim: number;
}

/** PyTorch 2.x's Embedding takes _freeze, positionally after _weight. */
const TORCH2_FREEZE = libtorchAtLeast(2);

const embeddingArgs = def_<Required<EmbeddingKwargs>>(
  'Embedding(int num_embeddings, int embedding_dim, int? padding_idx=None, float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, bool sparse=False, Tensor? _weight=None, ' +
    `${TORCH2_FREEZE ? 'bool _freeze=False, ' : ''}Device? device=None, dtype? dtype=None)`,
);

const fromPretrainedArgs = def_<{ embeddings: Tensor; freeze: boolean } & Required<Omit<EmbeddingOptions, '_weight' | 'device' | 'dtype'>>>(
  'from_pretrained(Tensor embeddings, bool freeze=True, int? padding_idx=None, float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, bool sparse=False)',
);

/** A given _weight must be the table's shape: Python asserts it. */
function checkWeight(weight: Tensor, rows: number, cols: number): void {
  if (weight.ndim !== 2 || weight.shape[0] !== rows || weight.shape[1] !== cols) {
    throw new Error(`Shape of weight does not match num_embeddings and embedding_dim: expected [${rows}, ${cols}], got [${[...weight.shape].join(', ')}]`);
  }
}

/** Python's _fill_padding_idx_with_zero: the padding row starts at zero. */
function zeroPaddingRow(weight: Tensor, padding_idx: number | null): void {
  if (padding_idx === null) return;
  no_grad(() => weight.select(0, padding_idx).fill_(0));
}

/**
 * A lookup table: row i of weight (num_embeddings, embedding_dim), drawn from
 * N(0, 1), for each index i. Input: (*) integer indices; output: (*, embedding_dim).
 * The padding_idx row starts at zero and gets no gradient; max_norm rescales
 * the rows looked up, in place, to norm at most max_norm.
 */
export class Embedding extends Module {
  num_embeddings: number;
  embedding_dim: number;
  padding_idx: number | null;
  max_norm: number | null;
  norm_type: number;
  scale_grad_by_freq: boolean;
  sparse: boolean;
  weight: Parameter;

  /**
   * Python's Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
   * scale_grad_by_freq=False, sparse=False, _weight=None, device=None, dtype=None); 2.x's has _freeze=False before device.
   */
  constructor(
    ...args: PyArgs<
      [num_embeddings: number, embedding_dim: number],
      [
        padding_idx: number | null,
        max_norm: number | null,
        norm_type: number,
        scale_grad_by_freq: boolean,
        sparse: boolean,
        _weight: Tensor | null,
        device: FactoryKwargs['device'],
        dtype: FactoryKwargs['dtype'],
      ],
      EmbeddingKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = embeddingArgs(args);
    super();
    this.num_embeddings = checkSize('Embedding', 'num_embeddings', a.num_embeddings);
    this.embedding_dim = checkSize('Embedding', 'embedding_dim', a.embedding_dim);
    this.padding_idx = a.padding_idx === null ? null : _padding_index('Embedding', a.padding_idx, a.num_embeddings, 'Padding_idx must be within num_embeddings');
    this.max_norm = a.max_norm;
    this.norm_type = a.norm_type;
    this.scale_grad_by_freq = a.scale_grad_by_freq;
    // 1.13 has no _freeze (undefined here): the table requires grad.
    const requiresGrad = !(a._freeze ?? false);
    if (a._weight === null) {
      this.weight = new Parameter(empty([a.num_embeddings, a.embedding_dim], { device: a.device, dtype: a.dtype }), requiresGrad);
      this.reset_parameters();
    } else {
      checkWeight(a._weight, a.num_embeddings, a.embedding_dim);
      this.weight = new Parameter(a._weight, requiresGrad);
    }
    this.sparse = a.sparse;
  }

  /** N(0, 1) for every row, then the padding row zeroed: Python's order of draws. */
  reset_parameters(): void {
    init.normal_(this.weight);
    zeroPaddingRow(this.weight, this.padding_idx);
  }

  override forward(input: Tensor): Tensor {
    return _embedding(input, this.weight, this.padding_idx ?? -1, this.max_norm, this.norm_type, this.scale_grad_by_freq, this.sparse);
  }

  override extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    if (this.max_norm !== null) s += `, max_norm=${pyFloatRepr(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${pyFloatRepr(this.norm_type)}`;
    if (this.scale_grad_by_freq) s += ', scale_grad_by_freq=True';
    if (this.sparse) s += ', sparse=True';
    return s;
  }

  /**
   * An Embedding whose table is `embeddings` (2-D), shared, not copied; frozen
   * (requires_grad false) unless freeze is false. Python's classmethod
   * Embedding.from_pretrained(embeddings, freeze=True, padding_idx=None,
   * max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False).
   */
  static from_pretrained(
    ...args: PyArgs<
      [embeddings: Tensor],
      [freeze: boolean, padding_idx: number | null, max_norm: number | null, norm_type: number, scale_grad_by_freq: boolean, sparse: boolean],
      Omit<EmbeddingOptions, '_weight' | 'device' | 'dtype'> & { embeddings: Tensor; freeze?: boolean }
    >
  ): Embedding;
  static from_pretrained(...args: unknown[]): Embedding {
    const a = fromPretrainedArgs(args);
    if (a.embeddings.ndim !== 2) throw new Error(`Embeddings parameter is expected to be 2-dimensional, got shape [${[...a.embeddings.shape].join(', ')}]`);
    const [rows, cols] = a.embeddings.shape;
    const embedding = new Embedding(rows, cols, {
      _weight: a.embeddings,
      // 2.x passes freeze on as _freeze; 1.13 sets requires_grad afterwards.
      ...(TORCH2_FREEZE ? { _freeze: a.freeze } : {}),
      padding_idx: a.padding_idx,
      max_norm: a.max_norm,
      norm_type: a.norm_type,
      scale_grad_by_freq: a.scale_grad_by_freq,
      sparse: a.sparse,
    });
    if (!TORCH2_FREEZE) embedding.weight.requires_grad = !a.freeze;
    return embedding;
  }
}

export interface EmbeddingBagOptions extends FactoryKwargs {
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  mode?: EmbeddingBagMode;
  sparse?: boolean;
  _weight?: Tensor | null;
  include_last_offset?: boolean;
  padding_idx?: number | null;
}

interface EmbeddingBagKwargs extends EmbeddingBagOptions {
  num_embeddings: number;
  embedding_dim: number;
}

const embeddingBagArgs = def_<Required<EmbeddingBagKwargs>>(
  'EmbeddingBag(int num_embeddings, int embedding_dim, float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, str mode="mean", bool sparse=False, Tensor? _weight=None, bool include_last_offset=False, int? padding_idx=None, Device? device=None, dtype? dtype=None)',
);

const bagFromPretrainedArgs = def_<{ embeddings: Tensor; freeze: boolean } & Required<Omit<EmbeddingBagOptions, '_weight' | 'device' | 'dtype'>>>(
  'from_pretrained(Tensor embeddings, bool freeze=True, float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, str mode="mean", bool sparse=False, bool include_last_offset=False, int? padding_idx=None)',
);

const bagForwardArgs = def_<{ input: Tensor; offsets: Tensor | null; per_sample_weights: Tensor | null }>(
  'forward(Tensor input, Tensor? offsets=None, Tensor? per_sample_weights=None)',
);

/**
 * Sums, means or maxima of bags of embeddings, without materialising them.
 * Input (B, N): B bags of N indices; or (N,) with offsets (B,) giving where
 * each bag starts. Output: (B, embedding_dim). weight: (num_embeddings,
 * embedding_dim), drawn from N(0, 1).
 */
export class EmbeddingBag extends Module {
  num_embeddings: number;
  embedding_dim: number;
  max_norm: number | null;
  norm_type: number;
  scale_grad_by_freq: boolean;
  padding_idx: number | null;
  weight: Parameter;
  mode: EmbeddingBagMode;
  sparse: boolean;
  include_last_offset: boolean;

  /**
   * Python's EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
   * scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None,
   * include_last_offset=False, padding_idx=None, device=None, dtype=None).
   */
  constructor(
    ...args: PyArgs<
      [num_embeddings: number, embedding_dim: number],
      [
        max_norm: number | null,
        norm_type: number,
        scale_grad_by_freq: boolean,
        mode: EmbeddingBagMode,
        sparse: boolean,
        _weight: Tensor | null,
        include_last_offset: boolean,
        padding_idx: number | null,
        device: FactoryKwargs['device'],
        dtype: FactoryKwargs['dtype'],
      ],
      EmbeddingBagKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = embeddingBagArgs(args);
    super();
    this.num_embeddings = checkSize('EmbeddingBag', 'num_embeddings', a.num_embeddings);
    this.embedding_dim = checkSize('EmbeddingBag', 'embedding_dim', a.embedding_dim);
    this.max_norm = a.max_norm;
    this.norm_type = a.norm_type;
    this.scale_grad_by_freq = a.scale_grad_by_freq;
    this.padding_idx = a.padding_idx === null ? null : _padding_index('EmbeddingBag', a.padding_idx, a.num_embeddings, 'padding_idx must be within num_embeddings');
    // Python finds a bad mode only at the first forward; a module that cannot run is refused here.
    _embedding_bag_mode(a.mode, a.scale_grad_by_freq, a.sparse);
    if (a._weight === null) {
      this.weight = new Parameter(empty([a.num_embeddings, a.embedding_dim], { device: a.device, dtype: a.dtype }));
      this.reset_parameters();
    } else {
      checkWeight(a._weight, a.num_embeddings, a.embedding_dim);
      this.weight = new Parameter(a._weight);
    }
    this.mode = a.mode;
    this.sparse = a.sparse;
    this.include_last_offset = a.include_last_offset;
  }

  /** N(0, 1) for every row, then the padding row zeroed: Python's order of draws. */
  reset_parameters(): void {
    init.normal_(this.weight);
    zeroPaddingRow(this.weight, this.padding_idx);
  }

  /** Python's forward(input, offsets=None, per_sample_weights=None). */
  override forward(input: Tensor, offsets?: Tensor | null, per_sample_weights?: Tensor | null): Tensor;
  override forward(input: Tensor, options: { offsets?: Tensor | null; per_sample_weights?: Tensor | null }): Tensor;
  override forward(input: Tensor, offsets?: Tensor | null, options?: { per_sample_weights?: Tensor | null }): Tensor;
  override forward(...args: unknown[]): Tensor {
    // The common call, (input) or (input, offsets), needs no binding.
    const simple = args.length <= 2 && (args[1] === undefined || args[1] === null || args[1] instanceof Tensor);
    const a = simple ? { input: args[0] as Tensor, offsets: (args[1] ?? null) as Tensor | null, per_sample_weights: null } : bagForwardArgs(args);
    return _embedding_bag(a.input, this.weight, {
      offsets: a.offsets,
      max_norm: this.max_norm,
      norm_type: this.norm_type,
      scale_grad_by_freq: this.scale_grad_by_freq,
      mode: this.mode,
      sparse: this.sparse,
      per_sample_weights: a.per_sample_weights,
      include_last_offset: this.include_last_offset,
      padding_idx: this.padding_idx,
    });
  }

  override extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.max_norm !== null) s += `, max_norm=${pyFloatRepr(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${pyFloatRepr(this.norm_type)}`;
    if (this.scale_grad_by_freq) s += `, scale_grad_by_freq=${pyBool(true)}`;
    // (Python 2.x formats every field with repr: mode='sum')
    s += libtorchAtLeast(2) ? `, mode='${this.mode}'` : `, mode=${this.mode}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    return s;
  }

  /**
   * An EmbeddingBag whose table is `embeddings` (2-D), shared, not copied;
   * frozen unless freeze is false. Python's classmethod
   * EmbeddingBag.from_pretrained(embeddings, freeze=True, max_norm=None, norm_type=2.0,
   * scale_grad_by_freq=False, mode='mean', sparse=False, include_last_offset=False, padding_idx=None).
   */
  static from_pretrained(
    ...args: PyArgs<
      [embeddings: Tensor],
      [
        freeze: boolean,
        max_norm: number | null,
        norm_type: number,
        scale_grad_by_freq: boolean,
        mode: EmbeddingBagMode,
        sparse: boolean,
        include_last_offset: boolean,
        padding_idx: number | null,
      ],
      Omit<EmbeddingBagOptions, '_weight' | 'device' | 'dtype'> & { embeddings: Tensor; freeze?: boolean }
    >
  ): EmbeddingBag;
  static from_pretrained(...args: unknown[]): EmbeddingBag {
    const a = bagFromPretrainedArgs(args);
    if (a.embeddings.ndim !== 2) throw new Error(`Embeddings parameter is expected to be 2-dimensional, got shape [${[...a.embeddings.shape].join(', ')}]`);
    const [rows, cols] = a.embeddings.shape;
    const bag = new EmbeddingBag(rows, cols, {
      _weight: a.embeddings,
      max_norm: a.max_norm,
      norm_type: a.norm_type,
      scale_grad_by_freq: a.scale_grad_by_freq,
      mode: a.mode,
      sparse: a.sparse,
      include_last_offset: a.include_last_offset,
      padding_idx: a.padding_idx,
    });
    bag.weight.requires_grad = !a.freeze;
    return bag;
  }
}
