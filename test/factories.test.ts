// The factories Python writes by hand and the Tensor properties and methods
// that no ATen schema says, against Python (scripts/golden/factories.py):
// each case below makes the same call as the script's case of that name.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { assertTensorMatches, fixture, type EncodedTensor } from './_helpers';

const golden = fixture<{ cases: Record<string, { tensor?: EncodedTensor; value?: unknown }> }>('factories.json');
const t_: any = torch;

const x = () => torch.tensor([[1.5, 2], [3, 4]]);
const m = () => torch.arange(12).float().reshape(2, 2, 3);
const c = () => torch.complex(torch.tensor([[1.0, 2], [3, 4]]).float(), torch.tensor([[0.5, -1], [2, 0]]));
const src = () => torch.arange(6).float();
const cl = () => torch.arange(24).float().reshape(1, 2, 3, 4);
const dense = (v: unknown) => (v instanceof torch.Tensor && (v as any).layout !== torch.strided ? (v as any).to_dense() : v);

const CASES: Record<string, () => unknown> = {
  'range(0, 2)': () => t_.range(0, 2),
  'range(0, 2, 0.5)': () => t_.range(0, 2, 0.5),
  'range(1, 4, dtype=float64)': () => t_.range(1, 4, { dtype: torch.float64 }),
  'linspace(0, 1, 5)': () => torch.linspace(0, 1, 5),
  'linspace(-2, 3, 4, dtype=int64)': () => torch.linspace(-2, 3, 4, { dtype: torch.int64 }),
  'logspace(0, 2, 3)': () => t_.logspace(0, 2, 3),
  'logspace(0, 3, 4, base=2)': () => t_.logspace(0, 3, 4, { base: 2 }),
  'logspace(-1, 1, 5, 3.0, dtype=float64)': () => t_.logspace(-1, 1, 5, 3.0, { dtype: torch.float64 }),
  'full([2, 2], 7)': () => torch.full([2, 2], 7),
  'full([3], True)': () => torch.full([3], true),
  'full([2], 2.5)': () => torch.full([2], 2.5),
  'randint(10, [5]) after manual_seed(0)': () => (torch.manual_seed(0), torch.randint(10, [5])),
  'randint(3, 9, [2, 3], dtype=int32) after manual_seed(0)': () => (torch.manual_seed(0), torch.randint(3, 9, [2, 3], { dtype: torch.int32 })),
  'as_tensor([1, 2.5])': () => t_.as_tensor([1, 2.5]),
  'asarray([[1, 2], [3, 4]])': () => t_.asarray([[1, 2], [3, 4]]),
  'sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], [3, 4, 5], [2, 3])': () => t_.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], [3, 4, 5], [2, 3]),
  'sparse_coo_tensor([[0, 1], [1, 0]], [1.5, 2])': () => t_.sparse_coo_tensor([[0, 1], [1, 0]], [1.5, 2]),
  'sparse_csr_tensor([0, 2, 3], [0, 2, 1], [1.5, 2, 3], [2, 3])': () => t_.sparse_csr_tensor([0, 2, 3], [0, 2, 1], [1.5, 2, 3], [2, 3]),
  'sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], [1.5, 2, 3], [2, 3])': () => t_.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], [1.5, 2, 3], [2, 3]),
  'sparse_bsr_tensor([0, 1, 1], [0], [[[1.5, 2], [3, 4]]], [4, 2])': () => t_.sparse_bsr_tensor([0, 1, 1], [0], [[[1.5, 2], [3, 4]]], [4, 2]),
  'nonzero(tensor([[0, 1], [2, 0]]))': () => t_.nonzero(torch.tensor([[0, 1], [2, 0]])),
  'nonzero(tensor([[0, 1], [2, 0]]), as_tuple=True)[1]': () => t_.nonzero(torch.tensor([[0, 1], [2, 0]]), { as_tuple: true })[1],
  'm.mT': () => m().mT,
  'c.mH.real': () => c().mH.real,
  'c.mH.imag': () => c().mH.imag,
  'c.H.imag': () => c().H.imag,
  'z.real = [3, 4]; z.imag = 1.5 (real)': () => complexAssigned().real,
  'z.real = [3, 4]; z.imag = 1.5 (imag)': () => complexAssigned().imag,
  'x.new_tensor([1, 2])': () => x().new_tensor([1, 2]),
  'x.new_tensor([1, 2], dtype=int32)': () => x().new_tensor([1, 2], { dtype: torch.int32 }),
  'x.clone().apply_(lambda v: v * 10 + 1)': () => x().clone().apply_((v) => v * 10 + 1),
  'x.clone().map_(tensor([1, 2]), lambda a, b: a * b)': () => x().clone().map_(torch.tensor([1.0, 2]), (a, b) => a * b),
  'x.clone().map2_(tensor([1, 2]), tensor([[1], [0]]), lambda a, b, c: a + b * c)': () =>
    x().clone().map2_(torch.tensor([1.0, 2]), torch.tensor([[1.0], [0]]), (a, b, k) => a + b * k),
  'set_(arange(6), 2, [2, 2])': () => torch.zeros(1).set_(src(), 2, [2, 2]),
  'set_(arange(6), 1, [2], [3])': () => torch.zeros(1).set_(src(), 1, [2], [3]),
  'arange(6)[2:].storage_offset()': () => src().index(torch.slice(2, null)).storage_offset(),
  'x.byte()': () => x().byte(),
  'x.char()': () => x().sub(3).char(),
  'x.short()': () => x().short(),
  'x.cdouble().real': () => x().cdouble().real,
  'cl.float(memory_format=channels_last).stride()': () => [...cl().float({ memory_format: torch.channels_last }).stride()],
  'cl.double(memory_format=channels_last).stride()': () => [...cl().double({ memory_format: torch.channels_last }).stride()],
  'deprecated add(a, 2, b)': () => t_.add(dA(), 2, dB()),
  'deprecated a.add(2, b)': () => (dA() as any).add(2, dB()),
  'deprecated a.clone().sub_(2, b)': () => (dA() as any).sub_(2, dB()),
  'deprecated addmm(0.5, a, 2, b, b)': () => t_.addmm(0.5, dA(), 2, dB(), dB()),
  'deprecated a.addmm(0.5, b, b)': () => (dA() as any).addmm(0.5, dB(), dB()),
  'deprecated addcdiv(a, 2, b, b)': () => t_.addcdiv(dA(), 2, dB(), dB()),
  'deprecated a.clone().addcmul_(2, b, b)': () => (dA() as any).addcmul_(2, dB(), dB()),
  'deprecated addmv(0.5, v, 2, b, v)': () => t_.addmv(0.5, torch.ones(2), 2, dB(), torch.ones(2)),
  'deprecated addr(0.5, a, v, v)': () => t_.addr(0.5, dA(), torch.ones(2), torch.ones(2)),
  'deprecated baddbmm(0.5, a[None], 2, b[None], b[None])': () => t_.baddbmm(0.5, dA().unsqueeze(0), 2, dB().unsqueeze(0), dB().unsqueeze(0)),
  'deprecated sub(a, 2, b, out=)': () => t_.sub(dA(), 2, dB(), { out: torch.empty(2, 2) }),
};

const dA = () => torch.ones(2, 2);
const dB = () => torch.ones(2, 2).mul(3);

function complexAssigned(): Tensor {
  const z = torch.zeros(2, { dtype: torch.complex64 });
  z.real = torch.tensor([3.0, 4]);
  z.imag = 1.5;
  return z;
}

test('every golden case has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), Object.keys(golden.cases).sort());
});

for (const [name, want] of Object.entries(golden.cases)) {
  test(`${name} gives Python's result`, (t) => {
    const got = dense(CASES[name]());
    if (want.tensor) assertTensorMatches(t, got as Tensor, want.tensor, name);
    else t.deepEqual(got, want.value);
  });
}

test('the sparse constructors check their indices, and say which', (t) => {
  if (libtorchAtLeast(2)) {
    // PyTorch 2 checks them only when asked (check_invariants=True, not taken here yet), as its Python does.
    t.notThrows(() => t_.sparse_coo_tensor([[0, 1], [1, 5]], [1, 2], [2, 2]));
    t.notThrows(() => t_.sparse_csr_tensor([0, 1, 9], [1, 0], [3.5, 4], [2, 2]));
  } else {
    t.throws(() => t_.sparse_coo_tensor([[0, 1], [1, 5]], [1, 2], [2, 2]), { message: /size is inconsistent with indices: for dim 1, size is 2 but found index 5/ });
    t.throws(() => t_.sparse_csr_tensor([0, 1, 9], [1, 0], [3.5, 4], [2, 2]), { message: /crow_indices\[\.\.\., -1\] == nnz/ });
  }
  t.throws(() => t_.sparse_coo_tensor([[0]], [1], [1], { bogus: 1 }), { instanceOf: TypeError, message: "sparse_coo_tensor() got an unexpected keyword argument 'bogus'" });
});

test('as_tensor and asarray share what needs no change, as Python does', (t) => {
  const a = torch.ones(3);
  t.is(t_.as_tensor(a), a);
  t.not(t_.as_tensor(a, { dtype: torch.float64 }), a);
  t.is(t_.asarray(a), a);
  t.not(t_.asarray(a, { copy: true }), a);
  t.throws(() => t_.asarray(a, { dtype: torch.float64, copy: false }), { instanceOf: TypeError, message: /copy=False/ });
  const shared = new Float32Array([1, 2, 3]);
  const s = t_.asarray(shared);
  shared[0] = 9;
  t.is(s.index(0).item(), 9);
  const copied = t_.asarray(shared, { copy: true });
  shared[1] = 7;
  t.is(copied.index(1).item(), 2);
  const viaAsTensor = t_.as_tensor(shared);
  shared[2] = 5;
  t.is(viaAsTensor.index(2).item(), 5);
});

test('kind-of-tensor properties answer as Python does', (t) => {
  const d = torch.ones(2);
  t.is(d.layout, torch.strided);
  t.false(d.is_sparse);
  t.true(d.is_cpu);
  t.false(d.is_meta);
  t.false(d.is_quantized);
  t.is(d.get_device(), -1);
  t.is(t_.get_device(d), -1);
  t.is(t_.numel(torch.ones(2, 3)), 6);
  t.is(d.nelement(), 2);
  t.is(torch.ones(2, 3).ndimension(), 2);
  const sp = t_.sparse_coo_tensor([[0]], [1.0], [2]);
  t.is(sp.layout, torch.sparse_coo);
  t.true(sp.is_sparse);
  t.true(t_.sparse_csr_tensor([0, 1], [0], [1.0], [1, 1]).is_sparse_csr);
  t.throws(() => torch.ones(2).imag, { message: /imag is not implemented for tensors with non-complex dtypes/ });
});

test('set_ refuses a view outside its source, and apply_ what Python refuses', (t) => {
  t.throws(() => torch.zeros(1).set_(src(), 4, [2, 2]), { message: /needs 32 bytes of storage, but the source's storage has 24 bytes/ });
  t.throws(() => torch.ones(2, { requires_grad: true }).apply_((v) => v), { instanceOf: TypeError, message: /Can't call apply_\(\) on Variable that requires grad/ });
  t.throws(() => torch.ones(2).apply_(3 as any), { instanceOf: TypeError, message: /apply_\(\): argument 'callable' must be a function/ });
  t.throws(() => x().float({ memory_format: torch.channels_last, bogus: 1 } as any), { instanceOf: TypeError, message: "float() got an unexpected keyword argument 'bogus'" });
});

test("a deprecated signature is never offered in an error, as in Python", (t) => {
  const err = t.throws(() => t_.add(torch.ones(2), 'a', torch.ones(2)), { instanceOf: TypeError });
  // Python: torch.add(torch.ones(2), 'a', torch.ones(2)) -> TypeError: add() takes 2 positional arguments but 3 were given
  // (the deprecated add(input, alpha, other) is hidden: the one left to take three arguments gives its complaint).
  t.regex(err!.message, /^add\(\) takes 2 positional arguments but 3 were given/);
  t.notRegex(err!.message, /Number alpha, Tensor other/);
});
