// The calls issue #18 found giving wrong answers with no error, now bound by
// Python's rules (lib/_dispatch.ts, lib/_arg_parser.ts), against Python's own
// results: scripts/golden/binding.py (cd scripts/golden && /usr/bin/python3 binding.py).
import test, { type ExecutionContext } from 'ava';

import * as torch from '../lib';
import type { Tensor } from '../lib';
import { decodeTensor, fixture } from './_helpers';

const golden = fixture('binding.json');
const x = torch.tensor([[3, 1, 2], [0, 5, 4]], { dtype: torch.float32 });
const mask = x.gt(2);
const a = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 });
const r = torch.tensor([1.23456, -2.71828], { dtype: torch.float32 });

function same(t: ExecutionContext, label: string, actual: Tensor | readonly Tensor[]): void {
  const expected = golden[label];
  const got = Array.isArray(actual) ? [...(actual as readonly Tensor[])] : [actual as Tensor];
  const want = Array.isArray(expected) ? expected : [expected];
  t.is(got.length, want.length, `${label}: how many tensors`);
  want.forEach((e: any, i: number) => {
    const w = decodeTensor(e);
    t.is(got[i].dtype, w.dtype, `${label}[${i}]: dtype`);
    t.deepEqual([...got[i].shape], [...w.shape], `${label}[${i}]: shape`);
    t.true(got[i].to(torch.float64).allclose(w.to(torch.float64), { rtol: 1e-6, atol: 1e-6 }), `${label}[${i}]: ${String(got[i])} vs ${String(w)}`);
  });
}

const CASES: [string, () => Tensor | readonly Tensor[]][] = [
  ['x.sort(0)', () => x.sort(0)],
  ['x.argsort(0)', () => x.argsort(0)],
  ['x.topk(1, 0)', () => x.topk(1, 0)],
  ['mask.all(1)', () => mask.all(1)],
  ['mask.any(1)', () => mask.any(1)],
  ['mask.any(dim=0)', () => mask.any({ dim: 0 })],
  ['r.round(decimals=2)', () => r.round({ decimals: 2 })],
  ['x.nonzero(as_tuple=True)', () => x.nonzero({ as_tuple: true })],
  [
    'torch.matmul(a, a, out=out)',
    () => {
      const out = torch.empty(2, 2);
      torch.matmul(a, a, { out });
      return out;
    },
  ],
  ['torch.cat([x, x], dim=1)', () => torch.cat([x, x], { dim: 1 })],
  ['torch.stack([x, x], dim=1)', () => torch.stack([x, x], { dim: 1 })],
  ['torch.softmax(x, dim=0)', () => torch.softmax(x, { dim: 0 })],
  ['torch.log_softmax(x, dim=0)', () => torch.log_softmax(x, { dim: 0 })],
  ['torch.flatten(x, start_dim=0)', () => torch.flatten(x, { start_dim: 0 })],
  ['torch.unsqueeze(x, dim=1)', () => torch.unsqueeze(x, { dim: 1 })],
  ['torch.clamp(x, min=2)', () => torch.clamp(x, { min: 2 })],
  ['torch.where(mask)', () => torch.where(mask)],
  ['torch.pow(2, x)', () => torch.pow(2, x)],
  ['x.split([1, 1])', () => x.split([1, 1])],
  ['torch.ops.aten.add(x, x)', () => torch.ops.aten.add(x, x)],
  ['torch.ops.aten.mean(x, [0])', () => torch.ops.aten.mean(x, [0])],
];

for (const [label, call] of CASES) test(`${label} gives Python's result`, (t) => same(t, label, call()));

test('named tuples keep their fields and destructure as tuples', (t) => {
  const { values, indices } = x.sort(0, { descending: true });
  const [v2, i2] = torch.sort(x, { dim: 0, descending: true });
  t.true(values.equal(v2) && indices.equal(i2));
  t.regex(String(x.max(1)), /^torch\.return_types\.max\(\nvalues=/);
});

test("type(), to(other, copy) and stride(dim) behave as Python's", (t) => {
  t.is(x.type(), golden['x.type()']);
  t.is(x.type('torch.DoubleTensor').dtype, torch.float64);
  const copied = x.to(x, { copy: true });
  t.not(copied, x);
  t.true(copied.equal(x));
  t.is(x.to(x), x);
  t.throws(() => x.stride(5), { instanceOf: RangeError, message: 'Dimension out of range (expected to be in range of [-2, 1], but got 5)' });
  t.is(x.stride(-1), 1);
});

test('torch.randint takes size by keyword', (t) => {
  const n = torch.randint(0, 5, { size: [3, 2] });
  t.deepEqual([...n.shape], [3, 2]);
  t.is(n.dtype, torch.int64);
  t.deepEqual([...torch.randint(5, [4]).shape], [4]);
});

test('requires_grad of a generated factory is set, as Python sets it', (t) => {
  t.true(torch.zeros_like(x, { requires_grad: true }).requires_grad);
  t.true(torch.linalg.det(torch.eye(2)).equal(torch.tensor(1.0)));
});

test('bad input names the function, the parameter and what was given', (t) => {
  t.throws(() => x.sort(1.5), { instanceOf: TypeError, message: /^sort\(\) received an invalid combination of arguments - got \(float\)/ });
  t.throws(() => x.sort({ dims: 0 } as any), { instanceOf: TypeError, message: "sort() got an unexpected keyword argument 'dims'" });
  t.throws(() => (torch.softmax as any)(x, 0, null, 4), { instanceOf: TypeError, message: /^softmax\(\)/ });
  t.throws(() => torch.mm(x, 2 as any), { instanceOf: TypeError, message: "mm(): argument 'mat2' (position 2) must be Tensor, not number 2" });
  const gone = torch.ones(2);
  gone.dispose();
  t.throws(() => torch.mm(x, gone as any), { instanceOf: TypeError, message: "mm(): argument 'mat2' (position 2) is a Tensor that was disposed; it cannot be used after dispose()" });
  t.throws(() => torch.ops.aten.add(x, 'a'), { instanceOf: TypeError, message: /^add\(\) received an invalid combination of arguments - got \(Tensor, string\)/ });
  t.throws(() => torch.linalg.det(x, x as any), { instanceOf: TypeError, message: 'linalg_det() takes 1 positional argument but 2 were given' });
});

test("the hand-written fast methods bind every other call by Python's rules: nothing surplus or unknown is dropped", (t) => {
  const x = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 });
  const y = torch.ones([2, 2]);
  t.throws(() => (x.add as any)(y, 2), { instanceOf: TypeError, message: /^add\(\)/ });
  t.throws(() => x.add(y, { alpha: 2, alhpa: 1 } as any), { instanceOf: TypeError, message: "add() got an unexpected keyword argument 'alhpa'" });
  t.throws(() => (x.relu as any)(1), { instanceOf: TypeError, message: 'relu() takes 0 positional arguments but 1 was given' });
  t.throws(() => (x.sigmoid as any)({ inplace: true }), { instanceOf: TypeError, message: "sigmoid() got an unexpected keyword argument 'inplace'" });
  t.deepEqual(x.sub(y, { alpha: 2 }).tolist(), [[-1, 0], [1, 2]]);
  t.deepEqual((x.transpose as any)({ dim0: 0, dim1: 1 }).tolist(), [[1, 3], [2, 4]]);
  t.deepEqual((x.chunk as any)(2, { dim: 1 }).map((c: Tensor) => c.tolist()), [[[1], [3]], [[2], [4]]]);
  t.deepEqual((x.addcmul_ as any)(y, y, { value: 3 }).tolist(), [[4, 5], [6, 7]]);
});
