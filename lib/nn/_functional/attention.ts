// nn.functional's multi-head attention, after torch/nn/functional.py 1.13
// (multi_head_attention_forward, _mha_shape_check, _in_projection_packed,
// _in_projection): the same ATen operators in the same order, so that the
// numbers are Python's, and Python's checks with Python's words, each error
// naming the function (or the module) that was called.
//
// Built against libtorch 2.x, Python 2.x's version of the same function is
// followed (TORCH2 below): masks are made float up front (_canonical_mask,
// which refuses the uint8 attn_mask 1.13 took), the key padding mask is added
// to the attention mask rather than filled into it, q is scaled by
// q * sqrt(1 / E) rather than q / sqrt(E), the weights are averaged by mean(),
// there is an is_causal hint, and with need_weights=False the attention is
// ATen's scaled_dot_product_attention (a fused kernel, other rounding).
import { aten } from '../../aten';
import { namespaceFunction } from '../../_dispatch';
import { libtorchAtLeast } from '../../_libtorch_version';
import { bool as boolDtype } from '../../dtype';
import { zeros, zeros_like } from '../../factories';
import { Tensor } from '../../tensor';
import { pyfn, sizeRepr, warn, type PyFn } from './_utils';

const A = {
  linear: aten('linear', ''),
  chunk: aten('chunk', ''),
  split_with_sizes: aten('split_with_sizes', ''),
  cat: aten('cat', ''),
  repeat: aten('repeat', ''),
  pad: aten('constant_pad_nd', ''),
  unsqueeze: aten('unsqueeze', ''),
  squeeze: aten('squeeze', 'dim'),
  contiguous: aten('contiguous', ''),
  view: aten('view', ''),
  transpose: aten('transpose', 'int'),
  reshape: aten('reshape', ''),
  expand: aten('expand', ''),
  masked_fill: aten('masked_fill', 'Scalar'),
  masked_fill_: aten('masked_fill_', 'Scalar'),
  logical_or: aten('logical_or', ''),
  to_dtype: aten('to', 'dtype'),
  div: aten('div', 'Scalar'),
  baddbmm: aten('baddbmm', ''),
  bmm: aten('bmm', ''),
  softmax: aten('softmax', 'int'),
  dropout: aten('dropout', ''),
  sum: aten('sum', 'dim_IntList'),
  mul: aten('mul', 'Scalar'),
  add: aten('add', 'Tensor'),
  mean: aten('mean', 'dim'),
  unflatten: aten('unflatten', 'int'),
  squeeze_dim: aten('squeeze', 'dim'),
  select: aten('select', 'int'),
  permute: aten('permute', ''),
};

/** Python 2.x's multi-head attention (see the head of this file). */
const TORCH2 = libtorchAtLeast(2);
/** Operators only libtorch 2.x has, resolved only there. */
const A2 = TORCH2 ? { sdpa: aten('scaled_dot_product_attention', '') } : null;

/** The options of scaled_dot_product_attention, keyword-only in Python. */
export interface ScaledDotProductAttentionOptions {
  scale?: number | null;
  enable_gqa?: boolean;
}

/**
 * softmax(Q K^T * scale + mask) V, scale 1/sqrt(E) unless given, with
 * dropout; is_causal applies the causal mask. Shapes: query (N, ..., L, E),
 * key (N, ..., S, E), value (N, ..., S, Ev); attn_mask broadcastable to
 * (N, ..., L, S), bool (True may attend) or float (added). Output (N, ..., L, Ev).
 * PyTorch 2.x only (torch._C._nn.scaled_dot_product_attention, which picks
 * a fused kernel): undefined when built against 1.13, which has no such function.
 * Python's scaled_dot_product_attention(query, key, value, attn_mask=None,
 * dropout_p=0.0, is_causal=False, *, scale=None, enable_gqa=False).
 */
export const scaled_dot_product_attention:
  | ((
      query: Tensor, key: Tensor, value: Tensor, attn_mask?: Tensor | null, dropout_p?: number, is_causal?: boolean,
      options?: ScaledDotProductAttentionOptions,
    ) => Tensor)
  | undefined = TORCH2 ? namespaceFunction('nn', 'scaled_dot_product_attention') : undefined;

/** Python's repr of a tuple of ints: (5,) or (2, 5). */
function tupleRepr(dims: readonly number[]): string {
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

function shapeIs(t: Tensor, dims: readonly number[]): boolean {
  return t.ndim === dims.length && dims.every((d, i) => t.shape[i] === d);
}

/** The arguments of multi_head_attention_forward, by Python's names. */
export interface MultiHeadAttentionForwardKwargs {
  query: Tensor;
  key: Tensor;
  value: Tensor;
  embed_dim_to_check: number;
  num_heads: number;
  in_proj_weight: Tensor | null;
  in_proj_bias: Tensor | null;
  bias_k: Tensor | null;
  bias_v: Tensor | null;
  add_zero_attn: boolean;
  dropout_p: number;
  out_proj_weight: Tensor;
  out_proj_bias: Tensor | null;
  training?: boolean;
  key_padding_mask?: Tensor | null;
  need_weights?: boolean;
  attn_mask?: Tensor | null;
  use_separate_proj_weight?: boolean;
  q_proj_weight?: Tensor | null;
  k_proj_weight?: Tensor | null;
  v_proj_weight?: Tensor | null;
  static_k?: Tensor | null;
  static_v?: Tensor | null;
  average_attn_weights?: boolean;
  /** PyTorch 2.x only: attn_mask is the causal mask (a hint that lets the fused kernel apply it). */
  is_causal?: boolean;
}

/**
 * Python's _mha_shape_check: whether query is batched (3-D) or not (2-D),
 * and that key, value and the masks have the number of dimensions that goes
 * with it.
 */
export function _mha_shape_check(
  who: string,
  query: Tensor,
  key: Tensor,
  value: Tensor,
  key_padding_mask: Tensor | null,
  attn_mask: Tensor | null,
  num_heads: number,
): boolean {
  if (query.ndim === 3) {
    if (key.ndim !== 3 || value.ndim !== 3) {
      throw new RangeError(`${who}: For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
    }
    if (key_padding_mask !== null && key_padding_mask.ndim !== 2) {
      throw new RangeError(`${who}: For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${key_padding_mask.ndim}-D tensor instead`);
    }
    if (attn_mask !== null && attn_mask.ndim !== 2 && attn_mask.ndim !== 3) {
      throw new RangeError(`${who}: For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attn_mask.ndim}-D tensor instead`);
    }
    return true;
  }
  if (query.ndim === 2) {
    if (key.ndim !== 2 || value.ndim !== 2) {
      throw new RangeError(`${who}: For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
    }
    if (key_padding_mask !== null && key_padding_mask.ndim !== 1) {
      throw new RangeError(`${who}: For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${key_padding_mask.ndim}-D tensor instead`);
    }
    if (attn_mask !== null) {
      if (attn_mask.ndim !== 2 && attn_mask.ndim !== 3) {
        throw new RangeError(`${who}: For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attn_mask.ndim}-D tensor instead`);
      }
      if (attn_mask.ndim === 3) {
        const expected = [num_heads, query.shape[0], key.shape[0]];
        if (!shapeIs(attn_mask, expected)) throw new RangeError(`${who}: Expected \`attn_mask\` shape to be ${tupleRepr(expected)} but got ${sizeRepr(attn_mask)}`);
      }
    }
    return false;
  }
  throw new RangeError(`${who}: query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
}

/** Python's check that a key padding mask is bool or floating point. */
export function _check_key_padding_mask_dtype(who: string, mask: Tensor | null, name = 'key_padding_mask'): void {
  if (mask !== null && mask.dtype !== boolDtype && !mask.is_floating_point()) {
    throw new TypeError(`${who}: only bool and floating types of ${name} are supported, got ${String(mask.dtype)}`);
  }
}

/**
 * Python 2.x's _canonical_mask: a bool mask becomes a float one of
 * target_type (0 where False, -inf where True), a float mask is kept, any
 * other dtype refused; with a warning where the other mask given beside it
 * has another dtype.
 */
export function _canonical_mask(
  who: string, mask: Tensor | null, mask_name: string, other_type: Tensor['dtype'] | null, other_name: string,
  target_type: Tensor['dtype'], check_other = true,
): Tensor | null {
  if (mask === null) return null;
  const isFloat = mask.is_floating_point();
  if (mask.dtype !== boolDtype && !isFloat) {
    throw new TypeError(`${who}: only bool and floating types of ${mask_name} are supported, got ${String(mask.dtype)}`);
  }
  if (check_other && other_type !== null && mask.dtype !== other_type) {
    warn(`Support for mismatched ${mask_name} and ${other_name} is deprecated. Use same type for both instead.`);
  }
  if (isFloat) return mask;
  const floatMask = zeros_like(mask, { dtype: target_type });
  A.masked_fill_(floatMask, mask, -Infinity);
  return floatMask;
}

/** PyTorch 2.x's reshape of a packed projection into n parts: (..., n*E) -> (n, ..., E), contiguous. */
function splitPacked(proj: Tensor, n: number, E: number): Tensor[] {
  // Python 2.x: proj.unflatten(-1, (n, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous(),
  // "for better memory coalescing and keeping same order as chunk()", then proj[0], proj[1], ...
  const parts = A.contiguous(A.squeeze_dim(A.transpose(A.unsqueeze(A.unflatten(proj, -1, [n, E]), 0), 0, -2), -2));
  return Array.from({ length: n }, (_, i) => A.select(parts, 0, i) as Tensor);
}

/**
 * Python's _in_projection_packed: q, k and v projected by one weight packed
 * [W_q; W_k; W_v]. Self-attention (q, k and v the same tensor) is one matmul
 * split in three, encoder-decoder attention (k and v the same) two, as in
 * Python, which keeps the same BLAS calls and so the same rounding. 1.13
 * splits by chunk(), 2.x by splitPacked.
 */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): Tensor[] {
  const E = q.shape[q.ndim - 1];
  if (k === v) {
    if (q === k) {
      const proj = A.linear(q, w, b);
      return TORCH2 ? splitPacked(proj, 3, E) : A.chunk(proj, 3, -1);
    }
    const [wQ, wKV] = A.split_with_sizes(w, [E, E * 2], 0) as Tensor[];
    const [bQ, bKV] = b === null ? [null, null] : (A.split_with_sizes(b, [E, E * 2], 0) as Tensor[]);
    const qProj = A.linear(q, wQ, bQ);
    const kvProj = A.linear(k, wKV, bKV);
    return [qProj, ...(TORCH2 ? splitPacked(kvProj, 2, E) : (A.chunk(kvProj, 2, -1) as Tensor[]))];
  }
  const [wQ, wK, wV] = A.chunk(w, 3, 0) as Tensor[];
  const [bQ, bK, bV] = b === null ? [null, null, null] : (A.chunk(b, 3, 0) as Tensor[]);
  return [A.linear(q, wQ, bQ), A.linear(k, wK, bK), A.linear(v, wV, bV)];
}

/** Python's _in_projection: q, k and v each by its own weight, with Python's shape checks. */
function inProjection(who: string, q: Tensor, k: Tensor, v: Tensor, w: [Tensor, Tensor, Tensor], b: [Tensor | null, Tensor | null, Tensor | null]): Tensor[] {
  const [Eq, Ek, Ev] = [q, k, v].map((t) => t.shape[t.ndim - 1]);
  const names = ['query', 'key', 'value'];
  const inner = [Eq, Ek, Ev];
  w.forEach((weight, i) => {
    if (!shapeIs(weight, [Eq, inner[i]])) throw new RangeError(`${who}: expecting ${names[i]} weights shape of ${tupleRepr([Eq, inner[i]])}, but got ${sizeRepr(weight)}`);
  });
  b.forEach((bias, i) => {
    if (bias !== null && !shapeIs(bias, [Eq])) throw new RangeError(`${who}: expecting ${names[i]} bias shape of ${tupleRepr([Eq])}, but got ${sizeRepr(bias)}`);
  });
  return [A.linear(q, w[0], b[0]), A.linear(k, w[1], b[1]), A.linear(v, w[2], b[2])];
}

/**
 * multi_head_attention_forward without binding: the arguments by name,
 * defaults filled in; `who` names the caller in errors (the function, or the
 * MultiheadAttention module).
 */
export function _multi_head_attention_forward(who: string, a: Required<MultiHeadAttentionForwardKwargs>): [Tensor, Tensor | null] {
  let { query, key, value, key_padding_mask, attn_mask, is_causal } = a;
  const { num_heads, in_proj_bias, bias_k, bias_v, static_k, static_v, need_weights } = a;
  for (const [name, t] of [['query', query], ['key', key], ['value', value]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`${who}: argument '${name}' must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  const isBatched = _mha_shape_check(who, query, key, value, key_padding_mask, attn_mask, num_heads);
  // Unbatched input runs as a batch of one, squeezed again at the end. Each
  // is unsqueezed apart, as in Python: three tensors then, so that the
  // projection below takes Python's path (three matmuls) and its rounding.
  if (!isBatched) {
    query = A.unsqueeze(query, 1);
    key = A.unsqueeze(key, 1);
    value = A.unsqueeze(value, 1);
    if (key_padding_mask !== null) key_padding_mask = A.unsqueeze(key_padding_mask, 0);
  }
  const [tgtLen, bsz, embedDim] = query.shape;
  let srcLen = key.shape[0];
  if (TORCH2) {
    // 2.x makes both masks float here; with the is_causal hint and nothing
    // else to merge (no padding mask, no weights asked for) the attention
    // mask is dropped and scaled_dot_product_attention applies causality.
    key_padding_mask = _canonical_mask(who, key_padding_mask, 'key_padding_mask', attn_mask?.dtype ?? null, 'attn_mask', query.dtype);
    if (is_causal && attn_mask === null) {
      throw new RangeError(`${who}: Need attn_mask if specifying the is_causal hint. You may use the Transformer module method \`generate_square_subsequent_mask\` to create this mask.`);
    }
    if (is_causal && key_padding_mask === null && !need_weights) {
      attn_mask = null;
    } else {
      attn_mask = _canonical_mask(who, attn_mask, 'attn_mask', null, '', query.dtype, false);
      // The padding mask merged in below makes the mask no longer causal.
      if (key_padding_mask !== null) is_causal = false;
    }
  } else {
    _check_key_padding_mask_dtype(who, key_padding_mask);
  }
  if (embedDim !== a.embed_dim_to_check) throw new RangeError(`${who}: was expecting embedding dimension of ${a.embed_dim_to_check}, but got ${embedDim}`);
  if (!Number.isInteger(num_heads) || num_heads <= 0) throw new RangeError(`${who}: num_heads must be a positive integer, got ${num_heads}`);
  const headDim = Math.floor(embedDim / num_heads);
  if (headDim * num_heads !== embedDim) throw new RangeError(`${who}: embed_dim ${embedDim} not divisible by num_heads ${num_heads}`);
  if (a.use_separate_proj_weight) {
    if (key.shape[0] !== value.shape[0] || key.shape[1] !== value.shape[1]) {
      throw new RangeError(`${who}: key's sequence and batch dims torch.Size([${key.shape[0]}, ${key.shape[1]}]) do not match value's torch.Size([${value.shape[0]}, ${value.shape[1]}])`);
    }
  } else if (!shapeIs(key, [...value.shape])) {
    throw new RangeError(`${who}: key shape ${sizeRepr(key)} does not match value shape ${sizeRepr(value)}`);
  }

  let q: Tensor;
  let k: Tensor;
  let v: Tensor;
  if (!a.use_separate_proj_weight) {
    if (a.in_proj_weight === null) throw new TypeError(`${who}: use_separate_proj_weight is False but in_proj_weight is None`);
    [q, k, v] = inProjectionPacked(query, key, value, a.in_proj_weight, in_proj_bias);
  } else {
    if (a.q_proj_weight === null) throw new TypeError(`${who}: use_separate_proj_weight is True but q_proj_weight is None`);
    if (a.k_proj_weight === null) throw new TypeError(`${who}: use_separate_proj_weight is True but k_proj_weight is None`);
    if (a.v_proj_weight === null) throw new TypeError(`${who}: use_separate_proj_weight is True but v_proj_weight is None`);
    const b = in_proj_bias === null ? [null, null, null] : (A.chunk(in_proj_bias, 3, 0) as Tensor[]);
    [q, k, v] = inProjection(who, query, key, value, [a.q_proj_weight, a.k_proj_weight, a.v_proj_weight], [b[0], b[1], b[2]]);
  }

  if (attn_mask !== null) {
    // 1.13 took a byte mask (as bool, with a warning); 2.x refused it above.
    if (!TORCH2 && attn_mask.dtype.name === 'uint8') {
      warn('Byte tensor for attn_mask in nn.MultiheadAttention is deprecated. Use bool tensor instead.');
      attn_mask = A.to_dtype(attn_mask, boolDtype, false, false, null) as Tensor;
    } else if (!attn_mask.is_floating_point() && attn_mask.dtype !== boolDtype) {
      throw new TypeError(`${who}: Only float, byte, and bool types are supported for attn_mask, not ${String(attn_mask.dtype)}`);
    }
    if (attn_mask.ndim === 2) {
      if (!shapeIs(attn_mask, [tgtLen, srcLen])) throw new RangeError(`${who}: The shape of the 2D attn_mask is ${sizeRepr(attn_mask)}, but should be ${tupleRepr([tgtLen, srcLen])}.`);
      attn_mask = A.unsqueeze(attn_mask, 0) as Tensor;
    } else if (attn_mask.ndim === 3) {
      const want = [bsz * num_heads, tgtLen, srcLen];
      if (!shapeIs(attn_mask, want)) throw new RangeError(`${who}: The shape of the 3D attn_mask is ${sizeRepr(attn_mask)}, but should be ${tupleRepr(want)}.`);
    } else {
      throw new RangeError(`${who}: attn_mask's dimension ${attn_mask.ndim} is not supported`);
    }
  }

  // bias_k and bias_v: one more key and value position, shared by the batch.
  if (bias_k !== null && bias_v !== null) {
    if (static_k !== null) throw new TypeError(`${who}: bias cannot be added to static key.`);
    if (static_v !== null) throw new TypeError(`${who}: bias cannot be added to static value.`);
    k = A.cat([k, A.repeat(bias_k, [1, bsz, 1])], 0);
    v = A.cat([v, A.repeat(bias_v, [1, bsz, 1])], 0);
    if (attn_mask !== null) attn_mask = A.pad(attn_mask, [0, 1], 0) as Tensor;
    if (key_padding_mask !== null) key_padding_mask = A.pad(key_padding_mask, [0, 1], 0) as Tensor;
  } else if (bias_k !== null || bias_v !== null) {
    throw new TypeError(`${who}: bias_k and bias_v must be given together, got only ${bias_k !== null ? 'bias_k' : 'bias_v'}`);
  }

  // Heads become part of the batch: (L, N, E) -> (N * heads, L, head_dim).
  // 1.13 makes each contiguous first; 2.x views them as they are.
  const heads = (t: Tensor, len: number): Tensor => A.transpose(A.view(TORCH2 ? t : A.contiguous(t), [len, bsz * num_heads, headDim]), 0, 1);
  q = heads(q, tgtLen);
  if (static_k === null) {
    k = heads(k, k.shape[0]);
  } else {
    if (static_k.shape[0] !== bsz * num_heads) throw new RangeError(`${who}: expecting static_k.size(0) of ${bsz * num_heads}, but got ${static_k.shape[0]}`);
    if (static_k.shape[2] !== headDim) throw new RangeError(`${who}: expecting static_k.size(2) of ${headDim}, but got ${static_k.shape[2]}`);
    k = static_k;
  }
  if (static_v === null) {
    v = heads(v, v.shape[0]);
  } else {
    if (static_v.shape[0] !== bsz * num_heads) throw new RangeError(`${who}: expecting static_v.size(0) of ${bsz * num_heads}, but got ${static_v.shape[0]}`);
    if (static_v.shape[2] !== headDim) throw new RangeError(`${who}: expecting static_v.size(2) of ${headDim}, but got ${static_v.shape[2]}`);
    v = static_v;
  }

  if (a.add_zero_attn) {
    const zeroShape = [bsz * num_heads, 1, headDim];
    k = A.cat([k, zeros(zeroShape, { dtype: k.dtype, device: k.device })], 1);
    v = A.cat([v, zeros(zeroShape, { dtype: v.dtype, device: v.device })], 1);
    if (attn_mask !== null) attn_mask = A.pad(attn_mask, [0, 1], 0) as Tensor;
    if (key_padding_mask !== null) key_padding_mask = A.pad(key_padding_mask, [0, 1], 0) as Tensor;
  }
  srcLen = k.shape[1];

  // The key padding mask joins the attention mask, one copy per head: 1.13
  // fills it in (or ors two bool masks), 2.x adds the two float masks.
  if (key_padding_mask !== null) {
    if (TORCH2) {
      if (key_padding_mask.shape[0] !== bsz) throw new RangeError(`${who}: Expected key_padded_mask.shape[0] to be ${bsz}, but got ${key_padding_mask.shape[0]}`);
      if (key_padding_mask.shape[1] !== srcLen) throw new RangeError(`${who}: Expected key_padded_mask.shape[1] to be ${srcLen}, but got ${key_padding_mask.shape[1]}`);
    } else if (!shapeIs(key_padding_mask, [bsz, srcLen])) {
      throw new RangeError(`${who}: expecting key_padding_mask shape of ${tupleRepr([bsz, srcLen])}, but got ${sizeRepr(key_padding_mask)}`);
    }
    key_padding_mask = A.reshape(A.expand(A.view(key_padding_mask, [bsz, 1, 1, srcLen]), [-1, num_heads, -1, -1], false), [bsz * num_heads, 1, srcLen]) as Tensor;
    if (attn_mask === null) attn_mask = key_padding_mask;
    else if (TORCH2) attn_mask = A.add(attn_mask, key_padding_mask, 1) as Tensor;
    else if (attn_mask.dtype === boolDtype) attn_mask = A.logical_or(attn_mask, key_padding_mask) as Tensor;
    else attn_mask = A.masked_fill(attn_mask, key_padding_mask, -Infinity) as Tensor;
  }
  if (!TORCH2 && attn_mask !== null && attn_mask.dtype === boolDtype) {
    const floatMask = zeros_like(attn_mask, { dtype: q.dtype });
    A.masked_fill_(floatMask, attn_mask, -Infinity);
    attn_mask = floatMask;
  }
  const dropoutP = a.training ? a.dropout_p : 0.0;

  if (TORCH2 && !need_weights) {
    // 2.x: no weights to return, so ATen's scaled_dot_product_attention on
    // (N, heads, L, head_dim), the mask as (1 or N, heads or 1, L, S).
    if (attn_mask !== null) {
      attn_mask = attn_mask.shape[0] === 1 && attn_mask.ndim === 3 ? A.unsqueeze(attn_mask, 0) as Tensor : A.view(attn_mask, [bsz, num_heads, -1, srcLen]) as Tensor;
    }
    const q4 = A.view(q, [bsz, num_heads, tgtLen, headDim]);
    const k4 = A.view(k, [bsz, num_heads, srcLen, headDim]);
    const v4 = A.view(v, [bsz, num_heads, srcLen, headDim]);
    let out: Tensor = A2!.sdpa(q4, k4, v4, attn_mask, dropoutP, is_causal, null, false);
    out = A.view(A.contiguous(A.permute(out, [2, 0, 1, 3])), [bsz * tgtLen, embedDim]);
    out = A.linear(out, a.out_proj_weight, a.out_proj_bias);
    out = A.view(out, [tgtLen, bsz, out.shape[1]]);
    return [isBatched ? out : A.squeeze(out, 1), null];
  }

  // softmax(q k^T / sqrt(head_dim) + mask) v, then the output projection.
  const E = q.shape[2];
  const qScaled = TORCH2 ? A.mul(q, Math.sqrt(1.0 / E)) : A.div(q, Math.sqrt(E));
  const kT = A.transpose(k, -2, -1);
  let weights: Tensor = attn_mask !== null ? A.baddbmm(attn_mask, qScaled, kT, 1, 1) : A.bmm(qScaled, kT);
  weights = A.softmax(weights, -1, null);
  if (dropoutP > 0.0) weights = A.dropout(weights, dropoutP, true);
  let out: Tensor = A.bmm(weights, v);
  out = A.view(A.contiguous(A.transpose(out, 0, 1)), [tgtLen * bsz, embedDim]);
  out = A.linear(out, a.out_proj_weight, a.out_proj_bias);
  out = A.view(out, [tgtLen, bsz, out.shape[1]]);
  if (need_weights) {
    weights = A.view(weights, [bsz, num_heads, tgtLen, srcLen]);
    if (a.average_attn_weights) weights = TORCH2 ? A.mean(weights, [1], false, null) : A.div(A.sum(weights, [1], false, null), num_heads);
    if (!isBatched) return [A.squeeze(out, 1), A.squeeze(weights, 0)];
    return [out, weights];
  }
  return [isBatched ? out : A.squeeze(out, 1), null];
}

type MhaRequired = [
  query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: number, num_heads: number,
  in_proj_weight: Tensor | null, in_proj_bias: Tensor | null, bias_k: Tensor | null, bias_v: Tensor | null,
  add_zero_attn: boolean, dropout_p: number, out_proj_weight: Tensor, out_proj_bias: Tensor | null,
];
type MhaOptional = [
  training: boolean, key_padding_mask: Tensor | null, need_weights: boolean, attn_mask: Tensor | null,
  use_separate_proj_weight: boolean, q_proj_weight: Tensor | null, k_proj_weight: Tensor | null, v_proj_weight: Tensor | null,
  static_k: Tensor | null, static_v: Tensor | null, average_attn_weights: boolean, is_causal: boolean,
];

/**
 * Multi-head attention, "Attention Is All You Need": with
 * Q = query W_q + b_q, K = key W_k + b_k, V = value W_v + b_v split into
 * num_heads heads of embed_dim / num_heads,
 * head_i = softmax(Q_i K_i^T / sqrt(head_dim) + mask) V_i and
 * out = concat(head_1, ..., head_h) W_o + b_o.
 * Shapes: query (L, N, E) or unbatched (L, E); key and value (S, N, E) or (S, E);
 * key_padding_mask (N, S) or (S), bool (True is ignored) or float (added);
 * attn_mask (L, S) or (N * num_heads, L, S), bool (True may not attend), float (added), or
 * byte (as bool; libtorch 1.13 only).
 * Returns [attn_output (L, N, E), attn_weights (N, L, S) averaged over heads, or
 * (N, num_heads, L, S) with average_attn_weights false; null unless need_weights].
 * Python's multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
 * in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight,
 * out_proj_bias, training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
 * use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None, v_proj_weight=None,
 * static_k=None, static_v=None, average_attn_weights=True), and in 2.x is_causal=False.
 */
export const multi_head_attention_forward: PyFn<MhaRequired, MhaOptional, MultiHeadAttentionForwardKwargs, [Tensor, Tensor | null]> = pyfn(
  'multi_head_attention_forward(Tensor query, Tensor key, Tensor value, int embed_dim_to_check, int num_heads, ' +
    'Tensor? in_proj_weight, Tensor? in_proj_bias, Tensor? bias_k, Tensor? bias_v, bool add_zero_attn, float dropout_p, ' +
    'Tensor out_proj_weight, Tensor? out_proj_bias, bool training=True, Tensor? key_padding_mask=None, bool need_weights=True, ' +
    'Tensor? attn_mask=None, bool use_separate_proj_weight=False, Tensor? q_proj_weight=None, Tensor? k_proj_weight=None, ' +
    'Tensor? v_proj_weight=None, Tensor? static_k=None, Tensor? static_v=None, bool average_attn_weights=True' +
    // 2.x added the is_causal hint.
    (TORCH2 ? ', bool is_causal=False)' : ')'),
  (a: Required<MultiHeadAttentionForwardKwargs>) => _multi_head_attention_forward('multi_head_attention_forward()', a),
);
