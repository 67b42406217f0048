"""Golden results of torch/functional.py's functions (lib/functional.ts) and of
the hand-written methods whose bindings now follow Python's: the forms the
OpInfo samples do not cover (einsum's three forms, norm's dispatch, meshgrid's
indexing, tensordot's dims, ...). Each case is a small program on fixed inputs;
test/functional.test.ts runs the same program under the same name. A case
that raises records only that it raised.
Run: /usr/bin/python3 scripts/golden/functional.py"""
import torch

from _common import encode_tensor, write_fixture

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def m(*shape):
    """A fixed tensor of the shape: 0.5, 1.5, ... with alternating signs, so no value repeats."""
    n = 1
    for d in shape:
        n *= d
    v = torch.arange(n, dtype=torch.float64) + 0.5
    v = v * torch.where(torch.arange(n) % 2 == 0, 1.0, -1.0).double()
    return v.reshape(shape)


def encode(r):
    if isinstance(r, torch.Tensor):
        if r.is_complex():
            r = torch.view_as_real(r)
        return encode_tensor(r)
    if isinstance(r, torch.Size):
        return list(r)
    if isinstance(r, (list, tuple)):
        return [encode(x) for x in r]
    return r


# ----- einsum -----

@case
def einsum_varargs():
    return torch.einsum('ij,jk->ik', m(2, 3), m(3, 4))

@case
def einsum_list():
    return torch.einsum('ij,jk', [m(2, 3), m(3, 4)])

@case
def einsum_implicit_output():
    return torch.einsum('ba,ca', m(2, 3), m(4, 3))

@case
def einsum_trace():
    return torch.einsum('ii', m(3, 3))

@case
def einsum_ellipsis():
    return torch.einsum('...ij->...ji', m(2, 2, 3))

@case
def einsum_sublist():
    return torch.einsum(m(2, 3), [0, 1], m(3, 4), [1, 2], [0, 2])

@case
def einsum_sublist_implicit():
    return torch.einsum(m(2, 3), [0, 1], m(2, 3), [0, 1])

@case
def einsum_sublist_ellipsis():
    return torch.einsum(m(2, 2, 3), [..., 0, 1], [..., 1, 0])

@case
def einsum_three_operands():
    return torch.einsum('i,ij,j->', m(2), m(2, 3), m(3))

# ----- norm -----

@case
def norm_default():
    return torch.norm(m(2, 3))

@case
def norm_fro_dim():
    return torch.norm(m(2, 3, 4), 'fro', (1, 2))

@case
def norm_fro_dim_int_keepdim():
    return torch.norm(m(2, 3), 'fro', 1, True)

@case
def norm_nuc():
    return torch.norm(m(3, 3), 'nuc')

@case
def norm_nuc_dim():
    return torch.norm(m(2, 3, 3), p='nuc', dim=(1, 2), keepdim=True)

@case
def norm_p3_dim():
    return torch.norm(m(2, 3), 3, 0)

@case
def norm_inf():
    return torch.norm(m(2, 3), float('inf'))

@case
def norm_p1_dtype():
    return torch.norm(m(2, 3).float(), 1, dtype=torch.float64)

@case
def norm_p_none():
    return torch.norm(m(2, 3), p=None)

@case
def norm_p_none_dim():
    return torch.norm(m(2, 3), p=None, dim=1)

@case
def norm_out():
    out = torch.empty(0, dtype=torch.float64)
    r = torch.norm(m(2, 3), 2, 1, out=out)
    return [r, out]

@case
def norm_bad_string():
    return torch.norm(m(2), 'abc')

@case
def norm_fro_dtype():
    return torch.norm(m(2), 'fro', dtype=torch.float64)

@case
def tensor_norm_default():
    return m(2, 3).norm()

@case
def tensor_norm_positional():
    return m(2, 3).norm(1, 1, True)

@case
def tensor_norm_keywords():
    return m(2, 3).norm(p='nuc')

# ----- meshgrid, broadcasting, building -----

@case
def meshgrid_default():
    return torch.meshgrid(m(2), m(3))

@case
def meshgrid_xy():
    return torch.meshgrid(m(2), m(3), m(4), indexing='xy')

@case
def meshgrid_list_ij():
    return torch.meshgrid([m(2), m(3)], indexing='ij')

@case
def broadcast_tensors_three():
    return torch.broadcast_tensors(m(3), m(2, 1), m(1, 1, 1))

@case
def broadcast_shapes_mixed():
    return torch.broadcast_shapes(2, (3, 1), [1])

@case
def broadcast_shapes_mismatch():
    return torch.broadcast_shapes((2,), (3,))

@case
def block_diag_mixed():
    return torch.block_diag(m(2, 2), m(3), torch.tensor(7.0, dtype=torch.float64))

@case
def cartesian_prod_three():
    return torch.cartesian_prod(m(2), m(3), m(2))

@case
def atleast_2d_list():
    return torch.atleast_2d([m(3), torch.tensor(2.0, dtype=torch.float64)])

@case
def atleast_3d_varargs():
    return torch.atleast_3d(m(2, 3), m(3))

@case
def atleast_1d_one():
    return torch.atleast_1d(torch.tensor(2.0, dtype=torch.float64))

@case
def chain_matmul_three():
    return torch.chain_matmul(m(2, 3), m(3, 4), m(4, 2))

# ----- tensordot, cdist, split, lu, stft -----

@case
def tensordot_int():
    return torch.tensordot(m(2, 3, 4), m(3, 4, 2), 2)

@case
def tensordot_lists():
    return torch.tensordot(m(2, 3, 4), m(4, 3, 2), ([1, 2], [1, 0]))

@case
def tensordot_tensor_dims():
    return torch.tensordot(m(2, 3), m(3, 2), torch.tensor([[1], [0]]))

@case
def tensordot_tensor_int():
    return torch.tensordot(m(2, 3), m(3, 2), dims=torch.tensor(1))

@case
def tensordot_negative():
    return torch.tensordot(m(2, 3), m(3, 2), -1)

@case
def cdist_modes():
    x1, x2 = m(2, 3, 4), m(2, 5, 4)
    return [torch.cdist(x1, x2), torch.cdist(x1, x2, 1.5), torch.cdist(x1, x2, compute_mode='use_mm_for_euclid_dist'),
            torch.cdist(x1, x2, 2.0, 'donot_use_mm_for_euclid_dist')]

@case
def cdist_bad_mode():
    return torch.cdist(m(2, 3), m(2, 3), compute_mode='fast')

@case
def split_int():
    return torch.split(m(5, 2), 2)

@case
def split_sizes_dim():
    return torch.split(m(2, 5), [1, 4], dim=1)

@case
def tensor_split_tensor_size():
    return m(5).split(torch.tensor(3))

@case
def tensor_split_keywords():
    return m(2, 4).split(split_size=[3, 1], dim=1)

@case
def lu_default():
    return torch.lu(m(3, 3) + 10 * torch.eye(3, dtype=torch.float64))

@case
def lu_infos():
    return torch.lu(m(2, 3, 3), get_infos=True)

@case
def tensor_lu_infos_positional():
    return m(3, 3).lu(True, True)

@case
def stft_positional_center_false():
    return torch.stft(m(16), 8, 2, 8, torch.hann_window(8, dtype=torch.float64), False, 'reflect', False, True, True)

@case
def stft_center_constant():
    return torch.stft(m(2, 16), 4, return_complex=True, pad_mode='constant')

@case
def tensor_stft_keywords():
    return m(16).stft(n_fft=8, hop_length=4, normalized=True, onesided=False, return_complex=True)

# 2.14's align_to_window (a window shorter than n_fft; the frames aligned to it), recorded by 2.14 alone.
if tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 14):
    @case
    def stft_align_to_window():
        return torch.stft(m(16), 8, 2, 6, torch.hann_window(6, dtype=torch.float64), False, 'reflect', False, True, True, True)

    @case
    def tensor_stft_align_to_window_keywords():
        return m(2, 16).stft(8, hop_length=3, win_length=5, center=False, return_complex=True, align_to_window=False)

    @case
    def stft_align_to_window_with_center_raises():
        return torch.stft(m(16), 8, center=True, return_complex=True, align_to_window=True)

# ----- hand-written methods that now bind as Python does -----

@case
def max_dim_keepdim_positional():
    r = torch.max(m(2, 3), 1, True)
    return [r.values, r.indices]

@case
def min_dim_keyword():
    r = m(2, 3).min(dim=0)
    return [r.values, r.indices]

@case
def std_unbiased_positional():
    return [m(2, 3).std(1, False), m(2, 3).std(False), torch.std(m(2, 3), True)]

@case
def var_correction():
    return [m(2, 3).var(1, correction=0, keepdim=True), m(2, 3).var(dim=0, unbiased=False)]

@case
def sum_keepdim_positional():
    return [m(2, 3).sum(1, True), m(2, 3).sum(dim=0), torch.sum(m(2, 3), (0, 1), dtype=torch.float32), m(2, 3).mean(1, True)]

@case
def sum_to_size_varargs():
    return [m(2, 3).sum_to_size(1, 3), m(3).sum_to_size(1)]

@case
def narrow_tensor_start():
    return m(4, 3).narrow(0, torch.tensor(1), 2)

@case
def masked_fill_tensor_value():
    return m(2, 2).masked_fill(torch.tensor([[True, False], [False, True]]), torch.tensor(9.0, dtype=torch.float64))

@case
def arange_bools():
    return [torch.arange(False, True, True, dtype=torch.float64), torch.arange(True, 4)]

@case
def argmax_keepdim_positional():
    return m(2, 3).argmax(1, True)


def main():
    results = {}
    for name, fn in CASES.items():
        try:
            results[name] = {"result": encode(fn())}
        except Exception as e:  # noqa: BLE001  a case that raises records that it raised
            results[name] = {"raises": type(e).__name__}
    write_fixture("functional.json", {"about": __doc__, "cases": results})


if __name__ == "__main__":
    main()
