// torch/functional.py's functions (lib/functional.ts) and the hand-written
// methods whose bindings now follow Python's, on the forms the OpInfo samples
// do not cover: each case is the program of the same name in
// scripts/golden/functional.py (run: /usr/bin/python3 scripts/golden/functional.py),
// compared with Python's results; a case Python raises on must throw here.
import test from 'ava';

import { libtorchAtLeast } from '../lib/_libtorch_version';
import torch, { type Tensor } from '../lib';
import { assertTensorMatches, fixture, type EncodedTensor } from './_helpers';

const golden = fixture<{ cases: Record<string, { result?: unknown; raises?: string }> }>('functional.json').cases;

/** The fixed tensor of scripts/golden/functional.py's m(): 0.5, -1.5, 2.5, ... in float64. */
function m(...shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (i + 0.5) * (i % 2 === 0 ? 1 : -1));
  return torch.tensor(values, { dtype: torch.float64 }).reshape(shape);
}

const f64 = { dtype: torch.float64 };

const CASES: Record<string, () => unknown> = {
  einsum_varargs: () => torch.einsum('ij,jk->ik', m(2, 3), m(3, 4)),
  einsum_list: () => torch.einsum('ij,jk', [m(2, 3), m(3, 4)]),
  einsum_implicit_output: () => torch.einsum('ba,ca', m(2, 3), m(4, 3)),
  einsum_trace: () => torch.einsum('ii', m(3, 3)),
  einsum_ellipsis: () => torch.einsum('...ij->...ji', m(2, 2, 3)),
  einsum_sublist: () => torch.einsum(m(2, 3), [0, 1], m(3, 4), [1, 2], [0, 2]),
  einsum_sublist_implicit: () => torch.einsum(m(2, 3), [0, 1], m(2, 3), [0, 1]),
  einsum_sublist_ellipsis: () => torch.einsum(m(2, 2, 3), ['...', 0, 1], ['...', 1, 0]),
  einsum_three_operands: () => torch.einsum('i,ij,j->', m(2), m(2, 3), m(3)),

  norm_default: () => torch.norm(m(2, 3)),
  norm_fro_dim: () => torch.norm(m(2, 3, 4), 'fro', [1, 2]),
  norm_fro_dim_int_keepdim: () => torch.norm(m(2, 3), 'fro', 1, true),
  norm_nuc: () => torch.norm(m(3, 3), 'nuc'),
  norm_nuc_dim: () => torch.norm(m(2, 3, 3), { p: 'nuc', dim: [1, 2], keepdim: true }),
  norm_p3_dim: () => torch.norm(m(2, 3), 3, 0),
  norm_inf: () => torch.norm(m(2, 3), Infinity),
  norm_p1_dtype: () => torch.norm(m(2, 3).float(), 1, { dtype: torch.float64 }),
  norm_p_none: () => torch.norm(m(2, 3), { p: null }),
  norm_p_none_dim: () => torch.norm(m(2, 3), { p: null, dim: 1 }),
  norm_out: () => {
    const out = torch.empty(0, f64);
    const r = torch.norm(m(2, 3), 2, 1, { out });
    return [r, out];
  },
  norm_bad_string: () => torch.norm(m(2), 'abc' as 'fro'),
  norm_fro_dtype: () => torch.norm(m(2), 'fro', { dtype: torch.float64 }),
  tensor_norm_default: () => m(2, 3).norm(),
  tensor_norm_positional: () => m(2, 3).norm(1, 1, true),
  tensor_norm_keywords: () => m(2, 3).norm({ p: 'nuc' }),

  meshgrid_default: () => torch.meshgrid(m(2), m(3)),
  meshgrid_xy: () => torch.meshgrid(m(2), m(3), m(4), { indexing: 'xy' }),
  meshgrid_list_ij: () => torch.meshgrid([m(2), m(3)], { indexing: 'ij' }),
  broadcast_tensors_three: () => torch.broadcast_tensors(m(3), m(2, 1), m(1, 1, 1)),
  broadcast_shapes_mixed: () => torch.broadcast_shapes(2, [3, 1], [1]),
  broadcast_shapes_mismatch: () => torch.broadcast_shapes([2], [3]),
  block_diag_mixed: () => torch.block_diag(m(2, 2), m(3), torch.tensor(7.0, f64)),
  cartesian_prod_three: () => torch.cartesian_prod(m(2), m(3), m(2)),
  atleast_2d_list: () => torch.atleast_2d([m(3), torch.tensor(2.0, f64)]),
  atleast_3d_varargs: () => torch.atleast_3d(m(2, 3), m(3)),
  atleast_1d_one: () => torch.atleast_1d(torch.tensor(2.0, f64)),
  chain_matmul_three: () => torch.chain_matmul(m(2, 3), m(3, 4), m(4, 2)),

  tensordot_int: () => torch.tensordot(m(2, 3, 4), m(3, 4, 2), 2),
  tensordot_lists: () => torch.tensordot(m(2, 3, 4), m(4, 3, 2), [[1, 2], [1, 0]]),
  tensordot_tensor_dims: () => torch.tensordot(m(2, 3), m(3, 2), torch.tensor([[1], [0]])),
  tensordot_tensor_int: () => torch.tensordot(m(2, 3), m(3, 2), { dims: torch.tensor(1) }),
  tensordot_negative: () => torch.tensordot(m(2, 3), m(3, 2), -1),
  cdist_modes: () => {
    const [x1, x2] = [m(2, 3, 4), m(2, 5, 4)];
    return [
      torch.cdist(x1, x2),
      torch.cdist(x1, x2, 1.5),
      torch.cdist(x1, x2, { compute_mode: 'use_mm_for_euclid_dist' }),
      torch.cdist(x1, x2, 2.0, 'donot_use_mm_for_euclid_dist'),
    ];
  },
  cdist_bad_mode: () => torch.cdist(m(2, 3), m(2, 3), { compute_mode: 'fast' }),
  split_int: () => torch.split(m(5, 2), 2),
  split_sizes_dim: () => torch.split(m(2, 5), [1, 4], { dim: 1 }),
  tensor_split_tensor_size: () => m(5).split(torch.tensor(3)),
  tensor_split_keywords: () => m(2, 4).split({ split_size: [3, 1], dim: 1 }),
  lu_default: () => torch.lu(m(3, 3).add(torch.eye(3, f64).mul(10))),
  lu_infos: () => torch.lu(m(2, 3, 3), { get_infos: true }),
  tensor_lu_infos_positional: () => m(3, 3).lu(true, true),
  stft_positional_center_false: () =>
    torch.stft(m(16), 8, 2, 8, torch.hann_window(8, f64), false, 'reflect', false, true, true),
  stft_center_constant: () => torch.stft(m(2, 16), 4, { return_complex: true, pad_mode: 'constant' }),
  tensor_stft_keywords: () => m(16).stft({ n_fft: 8, hop_length: 4, normalized: true, onesided: false, return_complex: true }),
  // 2.14's align_to_window, recorded by 2.14 alone.
  ...(libtorchAtLeast(2, 14)
    ? {
        stft_align_to_window: () => torch.stft(m(16), 8, 2, 6, torch.hann_window(6, f64), false, 'reflect', false, true, true, true),
        tensor_stft_align_to_window_keywords: () => m(2, 16).stft(8, { hop_length: 3, win_length: 5, center: false, return_complex: true, align_to_window: false }),
        stft_align_to_window_with_center_raises: () => torch.stft(m(16), 8, { center: true, return_complex: true, align_to_window: true }),
      }
    : {}),

  max_dim_keepdim_positional: () => {
    const r = torch.max(m(2, 3), 1, true);
    return [r.values, r.indices];
  },
  min_dim_keyword: () => {
    const r = m(2, 3).min({ dim: 0 });
    return [r.values, r.indices];
  },
  std_unbiased_positional: () => [m(2, 3).std(1, false), m(2, 3).std(false), torch.std(m(2, 3), true)],
  var_correction: () => [m(2, 3).var(1, { correction: 0, keepdim: true }), m(2, 3).var({ dim: 0, unbiased: false })],
  sum_keepdim_positional: () => [m(2, 3).sum(1, true), m(2, 3).sum({ dim: 0 }), torch.sum(m(2, 3), [0, 1], { dtype: torch.float32 }), m(2, 3).mean(1, true)],
  // Python's varargs int list: sum_to_size(1, 3) is sum_to_size([1, 3]), sum_to_size(1) is sum_to_size([1]).
  sum_to_size_varargs: () => [(m(2, 3) as any).sum_to_size(1, 3), (m(3) as any).sum_to_size(1)],
  narrow_tensor_start: () => m(4, 3).narrow(0, torch.tensor(1), 2),
  masked_fill_tensor_value: () => m(2, 2).masked_fill(torch.tensor([[true, false], [false, true]]), torch.tensor(9.0, f64)),
  arange_bools: () => [torch.arange(false as unknown as number, true as unknown as number, true as unknown as number, f64), torch.arange(true as unknown as number, 4)],
  argmax_keepdim_positional: () => m(2, 3).argmax(1, true),
};

function compare(t: import('ava').ExecutionContext, actual: unknown, expected: unknown, label: string): void {
  if (Array.isArray(expected)) {
    t.true(Array.isArray(actual), `${label}: expected a list, got ${typeof actual}`);
    const a = actual as unknown[];
    // A torch.Size is a list of numbers in both.
    if (expected.every((x) => typeof x === 'number')) {
      t.deepEqual([...a], expected, label);
      return;
    }
    t.is(a.length, expected.length, `${label}: length`);
    expected.forEach((e, i) => compare(t, a[i], e, `${label}[${i}]`));
    return;
  }
  let tensor = actual as Tensor;
  if (tensor.is_complex()) tensor = torch.view_as_real(tensor);
  assertTensorMatches(t, tensor, expected as EncodedTensor, label, 1e-9);
}

test('every case of scripts/golden/functional.py has a program here, and none is left over', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), Object.keys(golden).sort());
});

for (const [name, run] of Object.entries(CASES)) {
  test(`${name} matches Python`, (t) => {
    const expected = golden[name];
    if (expected === undefined) return t.fail(`no golden case ${name}`);
    if (expected.raises !== undefined) {
      t.throws(run, undefined, `Python raises ${expected.raises}`);
      return;
    }
    compare(t, run(), expected.result, name);
  });
}

test('torch.broadcast_tensors and the other variadic functions refuse an unknown keyword, as Python does', (t) => {
  t.throws(() => torch.broadcast_tensors(m(2), { dims: 1 } as never), { message: "broadcast_tensors() got an unexpected keyword argument 'dims'" });
  t.throws(() => torch.meshgrid(m(2), { index: 'xy' } as never), { message: "meshgrid() got an unexpected keyword argument 'index'" });
  t.throws(() => torch.norm(m(2), { q: 1 } as never), { message: "norm() got an unexpected keyword argument 'q'" });
});

test('torch.align_tensors throws as in Python', (t) => {
  t.throws(() => torch.align_tensors(m(2)), { message: /not yet implemented/ });
});
