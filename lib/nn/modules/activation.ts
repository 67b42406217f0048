// Activation modules, after torch/nn/modules/activation.py.
import type { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from './module';
import { def_, type PyArgs } from './utils';

const reluArgs = def_<{ inplace: boolean }>('ReLU(bool inplace=False)');

/** max(0, x), elementwise. */
export class ReLU extends Module {
  inplace: boolean;

  /** Python's ReLU(inplace=False): `new ReLU()`, `new ReLU(true)` or `new ReLU({ inplace: true })`. */
  constructor(...args: PyArgs<[], [inplace: boolean], { inplace: boolean }>);
  constructor(...args: unknown[]) {
    const { inplace } = reluArgs(args);
    super();
    this.inplace = inplace;
  }

  override forward(input: Tensor): Tensor {
    return F._relu(input, this.inplace);
  }

  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

const noArgs = (name: string) => def_<Record<string, never>>(`${name}()`);
const tanhArgs = noArgs('Tanh');
const sigmoidArgs = noArgs('Sigmoid');

export class Tanh extends Module {
  /** Python's Tanh() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    tanhArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    return F._tanh(input);
  }
}

export class Sigmoid extends Module {
  /** Python's Sigmoid() takes no arguments. */
  constructor(...args: []);
  constructor(...args: unknown[]) {
    sigmoidArgs(args);
    super();
  }

  override forward(input: Tensor): Tensor {
    return F._sigmoid(input);
  }
}

const softmaxArgs = def_<{ dim: number | null }>('Softmax(int? dim=None)');
const logSoftmaxArgs = def_<{ dim: number | null }>('LogSoftmax(int? dim=None)');

/** exp(x_i) / sum_j exp(x_j) along dim. */
export class Softmax extends Module {
  dim: number | null;

  /** Python's Softmax(dim=None): `new Softmax(1)` or `new Softmax({ dim: 1 })`. */
  constructor(...args: PyArgs<[], [dim: number | null], { dim: number | null }>);
  constructor(...args: unknown[]) {
    const { dim } = softmaxArgs(args);
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return F._softmax(input, F._get_softmax_dim('softmax', input.ndim, this.dim));
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** log(softmax(x)) along dim, computed stably. */
export class LogSoftmax extends Module {
  dim: number | null;

  /** Python's LogSoftmax(dim=None): `new LogSoftmax(1)` or `new LogSoftmax({ dim: 1 })`. */
  constructor(...args: PyArgs<[], [dim: number | null], { dim: number | null }>);
  constructor(...args: unknown[]) {
    const { dim } = logSoftmaxArgs(args);
    super();
    this.dim = dim;
  }

  override forward(input: Tensor): Tensor {
    return F._log_softmax(input, F._get_softmax_dim('log_softmax', input.ndim, this.dim));
  }

  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

// ---------------------------------------------------------------- MultiheadAttention
// (Its imports sit here, beside it, so that the classes above stay as they were.)
import { empty } from '../../factories';
import { _multi_head_attention_forward, _check_key_padding_mask_dtype } from '../_functional/attention';
import * as init from '../init';
import { Parameter } from '../parameter';
import { Linear } from './linear';
import type { FactoryKwargs } from './utils';

/**
 * A Linear that Python's quantization leaves alone (torch/nn/modules/linear.py):
 * MultiheadAttention's out_proj. Named apart only so that it prints as Python's.
 */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface MultiheadAttentionKwargs extends FactoryKwargs {
  embed_dim: number;
  num_heads: number;
  dropout?: number;
  bias?: boolean;
  add_bias_kv?: boolean;
  add_zero_attn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batch_first?: boolean;
}

export interface MultiheadAttentionForwardKwargs {
  query: Tensor;
  key: Tensor;
  value: Tensor;
  key_padding_mask?: Tensor | null;
  need_weights?: boolean;
  attn_mask?: Tensor | null;
  average_attn_weights?: boolean;
}

const multiheadAttentionArgs = def_<Required<MultiheadAttentionKwargs>>(
  'MultiheadAttention(int embed_dim, int num_heads, float dropout=0., bool bias=True, bool add_bias_kv=False, bool add_zero_attn=False, ' +
    'int? kdim=None, int? vdim=None, bool batch_first=False, Device? device=None, dtype? dtype=None)',
);
const multiheadAttentionForwardArgs = def_<Required<MultiheadAttentionForwardKwargs>>(
  'MultiheadAttention.forward(Tensor query, Tensor key, Tensor value, Tensor? key_padding_mask=None, bool need_weights=True, Tensor? attn_mask=None, bool average_attn_weights=True)',
);

/**
 * Multi-head attention ("Attention Is All You Need"):
 * MultiHead(Q, K, V) = concat(head_1, ..., head_h) W_o + b_o, with
 * head_i = softmax((Q W_q^i)(K W_k^i)^T / sqrt(head_dim) + mask) (V W_v^i)
 * and head_dim = embed_dim / num_heads.
 * Input: query (L, N, E_q), key (S, N, E_k), value (S, N, E_v); (N, L, E_q) ...
 * with batch_first; (L, E_q), (S, E_k), (S, E_v) unbatched. key_padding_mask
 * (N, S) or (S); attn_mask (L, S) or (N * num_heads, L, S).
 * Output: [attn_output (L, N, E) (batch_first: (N, L, E)), attn_weights
 * (N, L, S), or (N, num_heads, L, S) without averaging, or null].
 * Parameters as Python's state_dict names them: in_proj_weight (3E, E) and
 * in_proj_bias (3E), or q_proj_weight/k_proj_weight/v_proj_weight when kdim
 * or vdim differ from embed_dim; out_proj.weight, out_proj.bias; bias_k and
 * bias_v (1, 1, E) with add_bias_kv.
 *
 * Python 1.13 takes a fused kernel (torch._native_multi_head_attention) in
 * eval mode without autograd under some conditions; this is the reference
 * path it must equal, which Python takes otherwise.
 */
export class MultiheadAttention extends Module {
  embed_dim: number;
  kdim: number;
  vdim: number;
  _qkv_same_embed_dim: boolean;
  num_heads: number;
  dropout: number;
  batch_first: boolean;
  head_dim: number;
  // Declared in Python's order of registration, which state_dict keeps.
  q_proj_weight: Parameter | null;
  k_proj_weight: Parameter | null;
  v_proj_weight: Parameter | null;
  in_proj_weight: Parameter | null;
  in_proj_bias: Parameter | null;
  out_proj: NonDynamicallyQuantizableLinear;
  bias_k: Parameter | null;
  bias_v: Parameter | null;
  add_zero_attn: boolean;

  /**
   * Python's MultiheadAttention(embed_dim, num_heads, dropout=0., bias=True, add_bias_kv=False,
   * add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None).
   */
  constructor(
    ...args: PyArgs<
      [embed_dim: number, num_heads: number],
      [dropout: number, bias: boolean, add_bias_kv: boolean, add_zero_attn: boolean, kdim: number | null, vdim: number | null, batch_first: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']],
      MultiheadAttentionKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = multiheadAttentionArgs(args);
    const { embed_dim, num_heads, device, dtype } = a;
    super();
    const fk = { device, dtype };
    if (!(embed_dim > 0)) throw new RangeError(`MultiheadAttention: embed_dim must be a positive integer, got ${embed_dim}`);
    if (!(num_heads > 0)) throw new RangeError(`MultiheadAttention: num_heads must be a positive integer, got ${num_heads}`);
    if (!(a.dropout >= 0 && a.dropout <= 1)) throw new RangeError(`MultiheadAttention: dropout probability has to be between 0 and 1, but got ${a.dropout}`);
    this.embed_dim = embed_dim;
    this.kdim = a.kdim ?? embed_dim;
    this.vdim = a.vdim ?? embed_dim;
    this._qkv_same_embed_dim = this.kdim === embed_dim && this.vdim === embed_dim;
    this.num_heads = num_heads;
    this.dropout = a.dropout;
    this.batch_first = a.batch_first;
    this.head_dim = Math.floor(embed_dim / num_heads);
    if (this.head_dim * num_heads !== embed_dim) {
      throw new RangeError(`MultiheadAttention: embed_dim must be divisible by num_heads, got embed_dim=${embed_dim} and num_heads=${num_heads}`);
    }
    if (!this._qkv_same_embed_dim) {
      this.q_proj_weight = new Parameter(empty([embed_dim, embed_dim], fk));
      this.k_proj_weight = new Parameter(empty([embed_dim, this.kdim], fk));
      this.v_proj_weight = new Parameter(empty([embed_dim, this.vdim], fk));
      this.in_proj_weight = null;
    } else {
      this.in_proj_weight = new Parameter(empty([3 * embed_dim, embed_dim], fk));
      this.q_proj_weight = this.k_proj_weight = this.v_proj_weight = null;
    }
    this.in_proj_bias = a.bias ? new Parameter(empty([3 * embed_dim], fk)) : null;
    // Drawn here, before _reset_parameters: Python's order of draws.
    this.out_proj = new NonDynamicallyQuantizableLinear(embed_dim, embed_dim, { bias: a.bias, ...fk });
    if (a.add_bias_kv) {
      this.bias_k = new Parameter(empty([1, 1, embed_dim], fk));
      this.bias_v = new Parameter(empty([1, 1, embed_dim], fk));
    } else {
      this.bias_k = this.bias_v = null;
    }
    this.add_zero_attn = a.add_zero_attn;
    this._reset_parameters();
  }

  /** Python's order: xavier_uniform_ on the projection weights, zero biases (out_proj's too), xavier_normal_ on bias_k, bias_v. */
  _reset_parameters(): void {
    if (this._qkv_same_embed_dim) {
      init.xavier_uniform_(this.in_proj_weight!);
    } else {
      init.xavier_uniform_(this.q_proj_weight!);
      init.xavier_uniform_(this.k_proj_weight!);
      init.xavier_uniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias !== null) {
      init.constant_(this.in_proj_bias, 0);
      init.constant_(this.out_proj.bias!, 0);
    }
    if (this.bias_k !== null) init.xavier_normal_(this.bias_k);
    if (this.bias_v !== null) init.xavier_normal_(this.bias_v);
  }

  /**
   * Python's forward(query, key, value, key_padding_mask=None, need_weights=True,
   * attn_mask=None, average_attn_weights=True): [attn_output, attn_weights or null].
   */
  override forward(
    ...args: PyArgs<
      [query: Tensor, key: Tensor, value: Tensor],
      [key_padding_mask: Tensor | null, need_weights: boolean, attn_mask: Tensor | null, average_attn_weights: boolean],
      MultiheadAttentionForwardKwargs
    >
  ): [Tensor, Tensor | null];
  override forward(...args: unknown[]): [Tensor, Tensor | null] {
    const parsed = multiheadAttentionForwardArgs(args);
    let { query, key, value } = parsed;
    const { key_padding_mask, need_weights, attn_mask, average_attn_weights } = parsed;
    const who = 'MultiheadAttention';
    const isBatched = query.ndim === 3;
    _check_key_padding_mask_dtype(who, key_padding_mask);
    if (this.batch_first && isBatched) {
      // Transposed so that query, key and value stay one tensor where they were one (self-attention).
      if (key === value) {
        if (query === key) query = key = value = query.transpose(1, 0);
        else {
          [query, key] = [query.transpose(1, 0), key.transpose(1, 0)];
          value = key;
        }
      } else {
        [query, key, value] = [query.transpose(1, 0), key.transpose(1, 0), value.transpose(1, 0)];
      }
    }
    const [out, weights] = _multi_head_attention_forward(who, {
      query, key, value,
      embed_dim_to_check: this.embed_dim,
      num_heads: this.num_heads,
      in_proj_weight: this.in_proj_weight,
      in_proj_bias: this.in_proj_bias,
      bias_k: this.bias_k,
      bias_v: this.bias_v,
      add_zero_attn: this.add_zero_attn,
      dropout_p: this.dropout,
      out_proj_weight: this.out_proj.weight,
      out_proj_bias: this.out_proj.bias,
      training: this.training,
      key_padding_mask,
      need_weights,
      attn_mask,
      use_separate_proj_weight: !this._qkv_same_embed_dim,
      q_proj_weight: this.q_proj_weight,
      k_proj_weight: this.k_proj_weight,
      v_proj_weight: this.v_proj_weight,
      static_k: null,
      static_v: null,
      average_attn_weights,
    });
    return [this.batch_first && isBatched ? out.transpose(1, 0) : out, weights];
  }
}
