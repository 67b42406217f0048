// The Transformer family, after torch/nn/modules/transformer.py (1.13):
// Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer,
// TransformerDecoderLayer.
//
// Python has fused "fast paths" (torch._transformer_encoder_layer_fwd,
// torch._native_multi_head_attention) taken only in eval mode with autograd
// off; these classes run the reference path that Python takes otherwise,
// which gives the same numbers (measured: within 2.4e-7). One fast path
// changes what comes out, not only how: TransformerEncoder's nested-tensor
// path for a padded batch, whose output is zero at padded positions (and in
// 1.13 cut to the longest sequence); TransformerEncoder.forward reproduces that.
//
// PyTorch 2.x (TORCH2 below) added a bias switch to every layer, is_causal
// hints to every forward (a mask equal to the causal mask is detected by the
// stacks and handed down, and MultiheadAttention then lets
// scaled_dot_product_attention apply it), and makes the masks float on entry
// (F._canonical_mask); its nested-tensor output keeps the input's length.
import { aten } from '../../aten';
import { libtorchAtLeast } from '../../_libtorch_version';
import { is_grad_enabled } from '../../autograd/grad_mode';
import { bool as boolDtype } from '../../dtype';
import { full } from '../../factories';
import { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { _canonical_mask } from '../_functional/attention';
import { sameSize, warn } from '../_functional/_utils';
import { GELU, MultiheadAttention, ReLU } from './activation';
import { ModuleList } from './container';
import { Dropout } from './dropout';
import { Linear } from './linear';
import { Module, deepcopy } from './module';
import { LayerNorm } from './normalization';
import { def_, type FactoryKwargs, type PyArgs } from './utils';

const A = {
  triu: aten('triu', ''),
  ne: aten('ne', 'Scalar'),
  logical_not: aten('logical_not', ''),
  cumprod: aten('cumprod', ''),
  equal: aten('equal', ''),
  sum: aten('sum', 'dim_IntList'),
  max: aten('max', ''),
  narrow: aten('narrow', ''),
  unsqueeze: aten('unsqueeze', ''),
  masked_fill: aten('masked_fill', 'Scalar'),
  eq: aten('eq', 'Tensor'),
  all: aten('all', ''),
};

const TORCH2 = libtorchAtLeast(2);

/** A layer's activation: 'relu', 'gelu', or any function or module of one tensor. */
export type Activation = 'relu' | 'gelu' | ((input: Tensor) => Tensor);

/** Python's _get_activation_fn, for the string forms; a function (or module) is kept as given. */
function activationFn(who: string, activation: unknown): (input: Tensor) => Tensor {
  if (activation === 'relu') return F.relu as (input: Tensor) => Tensor;
  if (activation === 'gelu') return F.gelu as (input: Tensor) => Tensor;
  if (typeof activation === 'string') throw new RangeError(`${who}: activation should be relu/gelu, not ${activation}`);
  if (typeof activation !== 'function') {
    throw new TypeError(`${who}: activation must be 'relu', 'gelu' or a function of one tensor, got ${activation === null ? 'null' : typeof activation}`);
  }
  return activation as (input: Tensor) => Tensor;
}

/** Python's _get_clones: N deep copies of one module (the same initial weights in each), in a ModuleList. */
function getClones(module: Module, N: number): ModuleList {
  return new ModuleList(Array.from({ length: N }, () => deepcopy(module)));
}

function checkLayerCount(who: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${who}: num_layers must be a non-negative integer, got ${n}`);
}

function checkPaddingMask(who: string, name: string, mask: Tensor | null): void {
  if (mask !== null && mask.dtype !== boolDtype && !mask.is_floating_point()) {
    throw new TypeError(`${who}: only bool and floating types of ${name} are supported, got ${String(mask.dtype)}`);
  }
}

/**
 * Python 2.x's _detect_is_causal_mask: the is_causal hint as given, or
 * where it is None, whether the mask is the causal mask of size sz.
 */
function detectIsCausalMask(mask: Tensor | null, is_causal: boolean | null, size: number | null): boolean {
  if (is_causal !== null || mask === null) return is_causal === true;
  const sz = size ?? mask.shape[mask.ndim - 2];
  const causal = Transformer.generate_square_subsequent_mask(sz, { device: mask.device, dtype: mask.dtype });
  return sameSize(mask, causal) && (A.all(A.eq(mask, causal)).item() as boolean);
}

/** Python 2.x's _get_seq_len: the sequence length of a batched or unbatched input. */
function seqLen(src: Tensor, batch_first: boolean): number {
  return src.ndim === 2 ? src.shape[0] : src.shape[batch_first ? 1 : 0];
}

function checkFeatures(who: string, name: string, x: Tensor, d_model: number): void {
  if (!(x instanceof Tensor)) throw new TypeError(`${who}: argument '${name}' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.ndim !== 2 && x.ndim !== 3) throw new RangeError(`${who}: ${name} should be 2-D (unbatched) or 3-D (batched), got shape [${[...x.shape].join(', ')}]`);
  if (x.shape[x.ndim - 1] !== d_model) {
    throw new RangeError(`${who}: ${name} should have d_model=${d_model} features in its last dimension, got shape [${[...x.shape].join(', ')}]`);
  }
}

// ---------------------------------------------------------------- layers

export interface TransformerLayerKwargs extends FactoryKwargs {
  d_model: number;
  nhead: number;
  dim_feedforward?: number;
  dropout?: number;
  activation?: Activation;
  layer_norm_eps?: number;
  batch_first?: boolean;
  norm_first?: boolean;
  /** PyTorch 2.x only: whether the Linear and LayerNorm layers (and the attention's projections) have biases. */
  bias?: boolean;
}

type LayerArgs = PyArgs<
  [d_model: number, nhead: number],
  [dim_feedforward: number, dropout: number, activation: Activation, layer_norm_eps: number, batch_first: boolean, norm_first: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
  TransformerLayerKwargs
>;

const layerParams =
  '(int d_model, int nhead, int dim_feedforward=2048, float dropout=0.1, Any activation="relu", float layer_norm_eps=1e-5, ' +
  `bool batch_first=False, bool norm_first=False, ${TORCH2 ? 'bool bias=True, ' : ''}Device? device=None, dtype? dtype=None)`;
const encoderLayerArgs = def_<Required<TransformerLayerKwargs>>(`TransformerEncoderLayer${layerParams}`);
const decoderLayerArgs = def_<Required<TransformerLayerKwargs>>(`TransformerDecoderLayer${layerParams}`);

export interface TransformerEncoderLayerForwardKwargs {
  src: Tensor;
  src_mask?: Tensor | null;
  src_key_padding_mask?: Tensor | null;
  /** PyTorch 2.x only: src_mask is the causal mask. */
  is_causal?: boolean;
}

const encoderLayerForwardArgs = def_<Required<TransformerEncoderLayerForwardKwargs>>(
  `TransformerEncoderLayer.forward(Tensor src, Tensor? src_mask=None, Tensor? src_key_padding_mask=None${TORCH2 ? ', bool is_causal=False' : ''})`,
);

/**
 * One encoder layer of "Attention Is All You Need": self-attention then a
 * feed-forward network, each with dropout, a residual connection and
 * LayerNorm. Post-norm (the default): x = norm1(x + SA(x)); x = norm2(x + FF(x)).
 * Pre-norm (norm_first): x = x + SA(norm1(x)); x = x + FF(norm2(x)).
 * FF(x) = linear2(dropout(activation(linear1(x)))).
 * Input src: (S, N, E), (N, S, E) with batch_first, or (S, E) unbatched, E = d_model;
 * src_mask (S, S) or (N * nhead, S, S); src_key_padding_mask (N, S) or (S).
 * Output: the shape of src.
 */
export class TransformerEncoderLayer extends Module {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm_first: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  /** Python's flag for its fused path: 1 for F.relu, 2 for F.gelu, else 0. */
  activation_relu_or_gelu: number;
  activation: (input: Tensor) => Tensor;

  /**
   * Python's TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
   * activation=F.relu, layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None);
   * 2.x's has bias=True before device.
   */
  constructor(...args: LayerArgs);
  constructor(...args: unknown[]) {
    const a = encoderLayerArgs(args);
    super();
    const fk = { device: a.device, dtype: a.dtype };
    // 1.13 has no bias switch (a.bias undefined): its layers always have biases.
    const bias = a.bias ?? true;
    const biasKw = TORCH2 ? { bias } : {};
    this.self_attn = new MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, bias, batch_first: a.batch_first, ...fk });
    this.linear1 = new Linear(a.d_model, a.dim_feedforward, { bias, ...fk });
    this.dropout = new Dropout(a.dropout);
    this.linear2 = new Linear(a.dim_feedforward, a.d_model, { bias, ...fk });
    this.norm_first = a.norm_first;
    this.norm1 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...biasKw, ...fk });
    this.norm2 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...biasKw, ...fk });
    this.dropout1 = new Dropout(a.dropout);
    this.dropout2 = new Dropout(a.dropout);
    const activation = activationFn('TransformerEncoderLayer', a.activation);
    this.activation_relu_or_gelu = activation === F.relu || activation instanceof ReLU ? 1 : activation === F.gelu || activation instanceof GELU ? 2 : 0;
    this.activation = activation;
  }

  /** Python's forward(src, src_mask=None, src_key_padding_mask=None), and in 2.x is_causal=False. */
  override forward(
    ...args: PyArgs<[src: Tensor], [src_mask: Tensor | null, src_key_padding_mask: Tensor | null, is_causal: boolean], TransformerEncoderLayerForwardKwargs>
  ): Tensor;
  override forward(...args: unknown[]): Tensor {
    const a = encoderLayerForwardArgs(args);
    const { src } = a;
    let { src_mask, src_key_padding_mask } = a;
    const is_causal = a.is_causal ?? false;
    const who = 'TransformerEncoderLayer';
    if (TORCH2) {
      src_key_padding_mask = _canonical_mask(who, src_key_padding_mask, 'src_key_padding_mask', src_mask?.dtype ?? null, 'src_mask', src.dtype);
      src_mask = _canonical_mask(who, src_mask, 'src_mask', null, '', src.dtype, false);
    } else {
      checkPaddingMask(who, 'src_key_padding_mask', src_key_padding_mask);
    }
    checkFeatures(who, 'src', src, this.self_attn.embed_dim);
    let x = src;
    if (this.norm_first) {
      x = x.add(this._sa_block(this.norm1(x), src_mask, src_key_padding_mask, is_causal));
      x = x.add(this._ff_block(this.norm2(x)));
    } else {
      x = this.norm1(x.add(this._sa_block(x, src_mask, src_key_padding_mask, is_causal)));
      x = this.norm2(x.add(this._ff_block(x)));
    }
    return x;
  }

  _sa_block(x: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null, is_causal = false): Tensor {
    const causal = TORCH2 ? { is_causal } : {};
    const [out] = this.self_attn(x, x, x, { attn_mask, key_padding_mask, need_weights: false, ...causal });
    return this.dropout1(out);
  }

  _ff_block(x: Tensor): Tensor {
    return this.dropout2(this.linear2(this.dropout(this.activation(this.linear1(x)))));
  }
}

export interface TransformerDecoderLayerForwardKwargs {
  tgt: Tensor;
  memory: Tensor;
  tgt_mask?: Tensor | null;
  memory_mask?: Tensor | null;
  tgt_key_padding_mask?: Tensor | null;
  memory_key_padding_mask?: Tensor | null;
  /** PyTorch 2.x only: tgt_mask is the causal mask (TransformerDecoder: null to detect it). */
  tgt_is_causal?: boolean | null;
  /** PyTorch 2.x only: memory_mask is the causal mask. */
  memory_is_causal?: boolean;
}

type DecoderForwardArgs = PyArgs<
  [tgt: Tensor, memory: Tensor],
  [
    tgt_mask: Tensor | null, memory_mask: Tensor | null, tgt_key_padding_mask: Tensor | null, memory_key_padding_mask: Tensor | null,
    tgt_is_causal: boolean | null, memory_is_causal: boolean,
  ],
  TransformerDecoderLayerForwardKwargs
>;

const decoderForwardParams =
  '(Tensor tgt, Tensor memory, Tensor? tgt_mask=None, Tensor? memory_mask=None, Tensor? tgt_key_padding_mask=None, Tensor? memory_key_padding_mask=None';
const decoderLayerForwardArgs = def_<Required<TransformerDecoderLayerForwardKwargs>>(
  `TransformerDecoderLayer.forward${decoderForwardParams}${TORCH2 ? ', bool tgt_is_causal=False, bool memory_is_causal=False' : ''})`,
);

/**
 * One decoder layer: self-attention over tgt, attention over the encoder's
 * memory, then a feed-forward network, each with dropout, a residual
 * connection and LayerNorm (after each block, or before with norm_first).
 * Input tgt: (T, N, E), memory: (S, N, E) ((N, T, E), (N, S, E) with
 * batch_first; (T, E), (S, E) unbatched); tgt_mask (T, T), memory_mask (T, S),
 * tgt_key_padding_mask (N, T), memory_key_padding_mask (N, S).
 * Output: the shape of tgt.
 */
export class TransformerDecoderLayer extends Module {
  self_attn: MultiheadAttention;
  multihead_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm_first: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  activation: (input: Tensor) => Tensor;

  /**
   * Python's TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
   * activation=F.relu, layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None);
   * 2.x's has bias=True before device.
   */
  constructor(...args: LayerArgs);
  constructor(...args: unknown[]) {
    const a = decoderLayerArgs(args);
    super();
    const fk = { device: a.device, dtype: a.dtype };
    const bias = a.bias ?? true;
    const biasKw = TORCH2 ? { bias } : {};
    this.self_attn = new MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first, bias, ...fk });
    this.multihead_attn = new MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first, bias, ...fk });
    this.linear1 = new Linear(a.d_model, a.dim_feedforward, { bias, ...fk });
    this.dropout = new Dropout(a.dropout);
    this.linear2 = new Linear(a.dim_feedforward, a.d_model, { bias, ...fk });
    this.norm_first = a.norm_first;
    this.norm1 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...biasKw, ...fk });
    this.norm2 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...biasKw, ...fk });
    this.norm3 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...biasKw, ...fk });
    this.dropout1 = new Dropout(a.dropout);
    this.dropout2 = new Dropout(a.dropout);
    this.dropout3 = new Dropout(a.dropout);
    this.activation = activationFn('TransformerDecoderLayer', a.activation);
  }

  /**
   * Python's forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
   * memory_key_padding_mask=None), and in 2.x tgt_is_causal=False, memory_is_causal=False.
   */
  override forward(...args: DecoderForwardArgs): Tensor;
  override forward(...args: unknown[]): Tensor {
    const a = decoderLayerForwardArgs(args);
    const { tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask } = a;
    const tgtCausal = a.tgt_is_causal ?? false;
    const memCausal = a.memory_is_causal ?? false;
    const who = 'TransformerDecoderLayer';
    checkFeatures(who, 'tgt', tgt, this.self_attn.embed_dim);
    checkFeatures(who, 'memory', memory, this.self_attn.embed_dim);
    let x = tgt;
    if (this.norm_first) {
      x = x.add(this._sa_block(this.norm1(x), tgt_mask, tgt_key_padding_mask, tgtCausal));
      x = x.add(this._mha_block(this.norm2(x), memory, memory_mask, memory_key_padding_mask, memCausal));
      x = x.add(this._ff_block(this.norm3(x)));
    } else {
      x = this.norm1(x.add(this._sa_block(x, tgt_mask, tgt_key_padding_mask, tgtCausal)));
      x = this.norm2(x.add(this._mha_block(x, memory, memory_mask, memory_key_padding_mask, memCausal)));
      x = this.norm3(x.add(this._ff_block(x)));
    }
    return x;
  }

  _sa_block(x: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null, is_causal = false): Tensor {
    const causal = TORCH2 ? { is_causal } : {};
    const [out] = this.self_attn(x, x, x, { attn_mask, key_padding_mask, need_weights: false, ...causal });
    return this.dropout1(out);
  }

  _mha_block(x: Tensor, mem: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null, is_causal = false): Tensor {
    const causal = TORCH2 ? { is_causal } : {};
    const [out] = this.multihead_attn(x, mem, mem, { attn_mask, key_padding_mask, need_weights: false, ...causal });
    return this.dropout2(out);
  }

  _ff_block(x: Tensor): Tensor {
    return this.dropout3(this.linear2(this.dropout(this.activation(this.linear1(x)))));
  }
}

// ---------------------------------------------------------------- stacks

export interface TransformerEncoderKwargs {
  encoder_layer: Module;
  num_layers: number;
  norm?: Module | null;
  enable_nested_tensor?: boolean;
  mask_check?: boolean;
}

const encoderArgs = def_<Required<TransformerEncoderKwargs>>(
  'TransformerEncoder(Any encoder_layer, int num_layers, Any norm=None, bool enable_nested_tensor=True, bool mask_check=True)',
);

export interface TransformerEncoderForwardKwargs {
  src: Tensor;
  mask?: Tensor | null;
  src_key_padding_mask?: Tensor | null;
  /** PyTorch 2.x only: mask is the causal mask; null (the default) detects it. */
  is_causal?: boolean | null;
}

const encoderForwardArgs = def_<Required<TransformerEncoderForwardKwargs>>(
  `TransformerEncoder.forward(Tensor src, Tensor? mask=None, Tensor? src_key_padding_mask=None${TORCH2 ? ', bool? is_causal=None' : ''})`,
);

/**
 * Why a layer does not allow Python's nested-tensor path ('' where it does):
 * 2.x's why_not_sparsity_fast_path of TransformerEncoder's constructor (1.13
 * asks the same of the first layer in forward, without the bias condition).
 */
function whyNotSparsityFastPath(layer: unknown): string {
  const enc = 'encoder_layer';
  if (!(layer instanceof TransformerEncoderLayer)) return `${enc} was not TransformerEncoderLayer`;
  if (layer.norm_first) return `${enc}.norm_first was True`;
  if (!layer.self_attn.batch_first) return `${enc}.self_attn.batch_first was not True(use batch_first for better inference performance)`;
  if (!layer.self_attn._qkv_same_embed_dim) return `${enc}.self_attn._qkv_same_embed_dim was not True`;
  if (TORCH2 && layer.self_attn.in_proj_bias === null) return `${enc}.self_attn was passed bias=False`;
  if (!layer.activation_relu_or_gelu) return `${enc}.activation_relu_or_gelu was not True`;
  if (layer.norm1.eps !== layer.norm2.eps) return `${enc}.norm1.eps was not equal to ${enc}.norm2.eps`;
  if (layer.self_attn.num_heads % 2 === 1) return `${enc}.self_attn.num_heads is odd`;
  return '';
}

function checkModuleArg(who: string, name: string, v: unknown, nullable: boolean): void {
  if (v instanceof Module || (nullable && v === null)) return;
  throw new TypeError(`${who}: argument '${name}' must be an nn.Module${nullable ? ' or null' : ''}, got ${v === null ? 'null' : typeof v}`);
}

/**
 * num_layers copies of encoder_layer applied in turn, then norm if given.
 * The copies are deep copies, made after encoder_layer drew its weights, so
 * each starts with the same weights, as in Python. enable_nested_tensor and
 * mask_check choose Python's nested-tensor eval-mode path, whose output this
 * class reproduces (see forward); 2.x decides in the constructor whether the
 * layer allows it (use_nested_tensor, with Python's warning where not).
 * Input src: (S, N, E) ((N, S, E) with batch_first); mask (S, S);
 * src_key_padding_mask (N, S). Output: the shape of src.
 */
export class TransformerEncoder extends Module {
  layers: ModuleList;
  num_layers: number;
  norm: Module | null;
  enable_nested_tensor: boolean;
  /** PyTorch 2.x only: enable_nested_tensor, and the layer fit for the nested-tensor path. */
  use_nested_tensor?: boolean;
  mask_check: boolean;

  /** Python's TransformerEncoder(encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True). */
  constructor(...args: PyArgs<[encoder_layer: Module, num_layers: number], [norm: Module | null, enable_nested_tensor: boolean, mask_check: boolean], TransformerEncoderKwargs>);
  constructor(...args: unknown[]) {
    const a = encoderArgs(args);
    checkModuleArg('TransformerEncoder', 'encoder_layer', a.encoder_layer, false);
    checkModuleArg('TransformerEncoder', 'norm', a.norm, true);
    checkLayerCount('TransformerEncoder', a.num_layers);
    super();
    this.layers = getClones(a.encoder_layer, a.num_layers);
    this.num_layers = a.num_layers;
    this.norm = a.norm;
    this.enable_nested_tensor = a.enable_nested_tensor;
    if (TORCH2) this.use_nested_tensor = a.enable_nested_tensor;
    this.mask_check = a.mask_check;
    if (TORCH2) {
      const why = whyNotSparsityFastPath(a.encoder_layer);
      if (a.enable_nested_tensor && why) {
        warn(`enable_nested_tensor is True, but self.use_nested_tensor is False because ${why}`);
        this.use_nested_tensor = false;
      }
    }
  }

  /** Python's forward(src, mask=None, src_key_padding_mask=None), and in 2.x is_causal=None. */
  override forward(
    ...args: PyArgs<[src: Tensor], [mask: Tensor | null, src_key_padding_mask: Tensor | null, is_causal: boolean | null], TransformerEncoderForwardKwargs>
  ): Tensor;
  override forward(...args: unknown[]): Tensor {
    const a = encoderForwardArgs(args);
    const { src } = a;
    let { mask, src_key_padding_mask } = a;
    const who = 'TransformerEncoder';
    if (TORCH2) {
      src_key_padding_mask = _canonical_mask(who, src_key_padding_mask, 'src_key_padding_mask', mask?.dtype ?? null, 'mask', src.dtype);
      mask = _canonical_mask(who, mask, 'mask', null, '', src.dtype, false);
    } else {
      checkPaddingMask(who, 'src_key_padding_mask', src_key_padding_mask);
    }
    const padded = this.nestedPathPadding(src, mask, src_key_padding_mask);
    // On Python's nested path the padded tokens are left out (a float mask's
    // nonzero entries too, not added to the scores): a bool mask does that here.
    const layerMask = padded ?? src_key_padding_mask;
    // 2.x tells the layers whether mask is the causal mask.
    let causal = {};
    if (TORCH2) {
      const first = this.layers.at(0) as TransformerEncoderLayer;
      causal = { is_causal: detectIsCausalMask(mask, a.is_causal ?? null, seqLen(src, first.self_attn.batch_first)) };
    }
    let output = src;
    for (const mod of this.layers) output = mod(output, { src_mask: mask, src_key_padding_mask: layerMask, ...causal });
    if (padded !== null) {
      // Python's output.to_padded_tensor(0.): zeros where padded; in 1.13 as
      // long as the longest sequence, in 2.x (to_padded_tensor(0., src.size())) as long as src.
      let kept = padded;
      if (!TORCH2) {
        const longest = A.max(A.sum(A.logical_not(padded), [1], false, null)).item() as number;
        output = A.narrow(output, 1, 0, longest);
        kept = A.narrow(padded, 1, 0, longest);
      }
      output = A.masked_fill(output, A.unsqueeze(kept, -1), 0);
    }
    if (this.norm !== null) output = this.norm(output);
    return output;
  }

  /**
   * Whether Python would run this batch as nested tensors (its
   * why_not_sparsity_fast_path is empty): then the padding mask as bool, else null.
   */
  private nestedPathPadding(src: Tensor, mask: Tensor | null, kpm: Tensor | null): Tensor | null {
    const first = this.layers.length > 0 ? this.layers.at(0) : null;
    if (!(first instanceof TransformerEncoderLayer)) return null;
    // 2.x judged the layer in the constructor (use_nested_tensor); 1.13 judges the first layer here.
    if (TORCH2 ? !this.use_nested_tensor : whyNotSparsityFastPath(first) !== '' || !this.enable_nested_tensor) return null;
    if (first.training || src.ndim !== 3 || kpm === null || mask !== null) return null;
    const attn = first.self_attn;
    const padded = kpm.dtype === boolDtype ? kpm : (A.ne(kpm, 0) as Tensor);
    // Python checks (mask_check) that each sequence's tokens come first and
    // its padding after; a mask that is not so runs the reference path here
    // even with mask_check=False, where Python's nested tensor would take
    // each sequence's first tokens regardless of the mask.
    const valid = A.logical_not(padded).long();
    if (!A.equal(A.cumprod(valid, 1, null), valid)) return null;
    const tensors = [src, attn.in_proj_weight, attn.in_proj_bias, attn.out_proj.weight, attn.out_proj.bias, first.norm1.weight, first.norm1.bias,
      first.norm2.weight, first.norm2.bias, first.linear1.weight, first.linear1.bias, first.linear2.weight, first.linear2.bias];
    if (is_grad_enabled() && tensors.some((t) => t !== null && t.requires_grad)) return null;
    return padded;
  }
}

export interface TransformerDecoderKwargs {
  decoder_layer: Module;
  num_layers: number;
  norm?: Module | null;
}

const decoderArgs = def_<Required<TransformerDecoderKwargs>>('TransformerDecoder(Any decoder_layer, int num_layers, Any norm=None)');
const decoderForwardArgs = def_<Required<TransformerDecoderLayerForwardKwargs>>(
  `TransformerDecoder.forward${decoderForwardParams}${TORCH2 ? ', bool? tgt_is_causal=None, bool memory_is_causal=False' : ''})`,
);

/**
 * num_layers deep copies of decoder_layer applied in turn to tgt (each
 * attending to memory), then norm if given.
 * Input tgt: (T, N, E), memory: (S, N, E) (batch first with batch_first).
 * Output: the shape of tgt.
 */
export class TransformerDecoder extends Module {
  layers: ModuleList;
  num_layers: number;
  norm: Module | null;

  /** Python's TransformerDecoder(decoder_layer, num_layers, norm=None). */
  constructor(...args: PyArgs<[decoder_layer: Module, num_layers: number], [norm: Module | null], TransformerDecoderKwargs>);
  constructor(...args: unknown[]) {
    const a = decoderArgs(args);
    checkModuleArg('TransformerDecoder', 'decoder_layer', a.decoder_layer, false);
    checkModuleArg('TransformerDecoder', 'norm', a.norm, true);
    checkLayerCount('TransformerDecoder', a.num_layers);
    super();
    this.layers = getClones(a.decoder_layer, a.num_layers);
    this.num_layers = a.num_layers;
    this.norm = a.norm;
  }

  /**
   * Python's forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
   * memory_key_padding_mask=None), and in 2.x tgt_is_causal=None, memory_is_causal=False.
   */
  override forward(...args: DecoderForwardArgs): Tensor;
  override forward(...args: unknown[]): Tensor {
    const a = decoderForwardArgs(args);
    const { tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask } = a;
    // 2.x tells the layers whether tgt_mask is the causal mask.
    let causal = {};
    if (TORCH2) {
      const first = this.layers.at(0) as TransformerDecoderLayer;
      const tgt_is_causal = detectIsCausalMask(tgt_mask, a.tgt_is_causal ?? null, seqLen(tgt, first.self_attn.batch_first));
      causal = { tgt_is_causal, memory_is_causal: a.memory_is_causal };
    }
    let output = tgt;
    for (const mod of this.layers) output = mod(output, memory, { tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask, ...causal });
    if (this.norm !== null) output = this.norm(output);
    return output;
  }
}

// ---------------------------------------------------------------- Transformer

export interface TransformerKwargs extends FactoryKwargs {
  d_model?: number;
  nhead?: number;
  num_encoder_layers?: number;
  num_decoder_layers?: number;
  dim_feedforward?: number;
  dropout?: number;
  activation?: Activation;
  custom_encoder?: Module | null;
  custom_decoder?: Module | null;
  layer_norm_eps?: number;
  batch_first?: boolean;
  norm_first?: boolean;
  /** PyTorch 2.x only: whether the layers and norms have biases. */
  bias?: boolean;
}

const transformerArgs = def_<Required<TransformerKwargs>>(
  'Transformer(int d_model=512, int nhead=8, int num_encoder_layers=6, int num_decoder_layers=6, int dim_feedforward=2048, ' +
    'float dropout=0.1, Any activation="relu", Any custom_encoder=None, Any custom_decoder=None, float layer_norm_eps=1e-5, ' +
    `bool batch_first=False, bool norm_first=False, ${TORCH2 ? 'bool bias=True, ' : ''}Device? device=None, dtype? dtype=None)`,
);

export interface TransformerForwardKwargs {
  src: Tensor;
  tgt: Tensor;
  src_mask?: Tensor | null;
  tgt_mask?: Tensor | null;
  memory_mask?: Tensor | null;
  src_key_padding_mask?: Tensor | null;
  tgt_key_padding_mask?: Tensor | null;
  memory_key_padding_mask?: Tensor | null;
  /** PyTorch 2.x only: src_mask is the causal mask; null (the default) detects it. */
  src_is_causal?: boolean | null;
  /** PyTorch 2.x only: tgt_mask is the causal mask; null (the default) detects it. */
  tgt_is_causal?: boolean | null;
  /** PyTorch 2.x only: memory_mask is the causal mask. */
  memory_is_causal?: boolean;
}

const transformerForwardArgs = def_<Required<TransformerForwardKwargs>>(
  'Transformer.forward(Tensor src, Tensor tgt, Tensor? src_mask=None, Tensor? tgt_mask=None, Tensor? memory_mask=None, ' +
    'Tensor? src_key_padding_mask=None, Tensor? tgt_key_padding_mask=None, Tensor? memory_key_padding_mask=None' +
    `${TORCH2 ? ', bool? src_is_causal=None, bool? tgt_is_causal=None, bool memory_is_causal=False' : ''})`,
);

// 2.x added dtype.
const squareMaskArgs = def_<{ sz: number; device: FactoryKwargs['device']; dtype: FactoryKwargs['dtype'] }>(
  `generate_square_subsequent_mask(int sz, Device? device=None${TORCH2 ? ', dtype? dtype=None' : ''})`,
);

/**
 * The encoder-decoder Transformer of "Attention Is All You Need":
 * memory = encoder(src), out = decoder(tgt, memory), with num_encoder_layers
 * and num_decoder_layers layers, each stack ending in a LayerNorm. After
 * construction every parameter of more than one dimension is redrawn by
 * xavier_uniform_, in parameters() order, as Python does.
 * Input src: (S, N, E), tgt: (T, N, E) ((N, S, E), (N, T, E) with batch_first;
 * (S, E), (T, E) unbatched), E = d_model. Output: (T, N, E).
 */
export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  d_model: number;
  nhead: number;
  batch_first: boolean;

  /**
   * Python's Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
   * dim_feedforward=2048, dropout=0.1, activation=F.relu, custom_encoder=None, custom_decoder=None,
   * layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None).
   */
  constructor(
    ...args: PyArgs<
      [],
      [
        d_model: number, nhead: number, num_encoder_layers: number, num_decoder_layers: number, dim_feedforward: number,
        dropout: number, activation: Activation, custom_encoder: Module | null, custom_decoder: Module | null,
        layer_norm_eps: number, batch_first: boolean, norm_first: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype'],
      ],
      TransformerKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = transformerArgs(args);
    checkModuleArg('Transformer', 'custom_encoder', a.custom_encoder, true);
    checkModuleArg('Transformer', 'custom_decoder', a.custom_decoder, true);
    super();
    const fk = { device: a.device, dtype: a.dtype };
    // 2.x: bias for every layer and norm.
    const biasKw = TORCH2 ? { bias: a.bias } : {};
    const layerKwargs = {
      dim_feedforward: a.dim_feedforward, dropout: a.dropout, activation: a.activation, layer_norm_eps: a.layer_norm_eps,
      batch_first: a.batch_first, norm_first: a.norm_first, ...biasKw, ...fk,
    };
    if (a.custom_encoder !== null) {
      this.encoder = a.custom_encoder;
    } else {
      const layer = new TransformerEncoderLayer(a.d_model, a.nhead, layerKwargs);
      const norm = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...biasKw, ...fk });
      this.encoder = new TransformerEncoder(layer, a.num_encoder_layers, norm);
    }
    if (a.custom_decoder !== null) {
      this.decoder = a.custom_decoder;
    } else {
      const layer = new TransformerDecoderLayer(a.d_model, a.nhead, layerKwargs);
      const norm = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...biasKw, ...fk });
      this.decoder = new TransformerDecoder(layer, a.num_decoder_layers, norm);
    }
    this._reset_parameters();
    this.d_model = a.d_model;
    this.nhead = a.nhead;
    this.batch_first = a.batch_first;
  }

  /**
   * Python's forward(src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None,
   * tgt_key_padding_mask=None, memory_key_padding_mask=None), and in 2.x src_is_causal=None,
   * tgt_is_causal=None, memory_is_causal=False.
   */
  override forward(
    ...args: PyArgs<
      [src: Tensor, tgt: Tensor],
      [
        src_mask: Tensor | null, tgt_mask: Tensor | null, memory_mask: Tensor | null, src_key_padding_mask: Tensor | null,
        tgt_key_padding_mask: Tensor | null, memory_key_padding_mask: Tensor | null,
        src_is_causal: boolean | null, tgt_is_causal: boolean | null, memory_is_causal: boolean,
      ],
      TransformerForwardKwargs
    >
  ): Tensor;
  override forward(...args: unknown[]): Tensor {
    const a = transformerForwardArgs(args);
    const { src, tgt } = a;
    const isBatched = src.ndim === 3;
    const batchDim = this.batch_first ? 0 : 1;
    if (isBatched && (tgt.ndim !== 3 || src.shape[batchDim] !== tgt.shape[batchDim])) {
      throw new RangeError(`Transformer: the batch number of src and tgt must be equal, got src of shape [${[...src.shape].join(', ')}] and tgt of shape [${[...tgt.shape].join(', ')}] (batch_first=${this.batch_first ? 'True' : 'False'})`);
    }
    if (src.shape[src.ndim - 1] !== this.d_model || tgt.shape[tgt.ndim - 1] !== this.d_model) {
      throw new RangeError(`Transformer: the feature number of src and tgt must be equal to d_model=${this.d_model}, got src of shape [${[...src.shape].join(', ')}] and tgt of shape [${[...tgt.shape].join(', ')}]`);
    }
    const srcCausal = TORCH2 ? { is_causal: a.src_is_causal } : {};
    const memory = this.encoder(src, { mask: a.src_mask, src_key_padding_mask: a.src_key_padding_mask, ...srcCausal });
    const tgtCausal = TORCH2 ? { tgt_is_causal: a.tgt_is_causal, memory_is_causal: a.memory_is_causal } : {};
    return this.decoder(tgt, memory, {
      tgt_mask: a.tgt_mask,
      memory_mask: a.memory_mask,
      tgt_key_padding_mask: a.tgt_key_padding_mask,
      memory_key_padding_mask: a.memory_key_padding_mask,
      ...tgtCausal,
    });
  }

  /**
   * A causal mask for a sequence of sz: (sz, sz), 0 on and below the diagonal
   * and -inf above it, so that position i attends only to positions <= i.
   * Python's Transformer.generate_square_subsequent_mask(sz, device='cpu');
   * 2.x's (sz, device=None, dtype=None).
   */
  static generate_square_subsequent_mask(
    ...args: PyArgs<[sz: number], [device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']], { sz: number; device?: FactoryKwargs['device']; dtype?: FactoryKwargs['dtype'] }>
  ): Tensor;
  static generate_square_subsequent_mask(...args: unknown[]): Tensor {
    const { sz, device, dtype } = squareMaskArgs(args);
    return A.triu(full([sz, sz], -Infinity, { device: device ?? 'cpu', dtype: dtype ?? null }), 1);
  }

  /** Python's order: xavier_uniform_ on every parameter with more than one dimension, in parameters() order. */
  _reset_parameters(): void {
    for (const p of this.parameters()) if (p.ndim > 1) init.xavier_uniform_(p);
  }
}
