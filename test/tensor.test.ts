// The Tensor API's behaviour beyond golden numbers: metadata, conversion,
// identity of in-place results, TypedArray in and out, named tuples.
import { inspect } from 'node:util';

import test from 'ava';

import torch from '../lib';
import { native } from '../lib/native';
import { atenCallers } from '../lib/aten';

test('metadata: shape, size, dtype, device, ndim, numel', (t) => {
  const x = torch.zeros(2, 3, 4);
  t.true(x.shape instanceof torch.Size);
  t.deepEqual([...x.shape], [2, 3, 4]);
  t.deepEqual([...x.size()], [2, 3, 4]);
  t.is(x.size(1), 3);
  t.is(x.size(-1), 4);
  t.is(x.dtype, torch.float32);
  t.is(String(x.device), 'cpu');
  t.is(x.device.type, 'cpu');
  t.is(x.ndim, 3);
  t.is(x.dim(), 3);
  t.is(x.numel(), 24);
  t.false(x.is_cuda);
  t.true(x instanceof torch.Tensor);
  t.true(torch.is_tensor(x));
  t.false(torch.is_tensor({}));
});

test('dtype aliases are the same objects and print as PyTorch', (t) => {
  t.is(torch.float, torch.float32);
  t.is(torch.double, torch.float64);
  t.is(torch.long, torch.int64);
  t.is(torch.int, torch.int32);
  t.is(String(torch.float), 'torch.float32');
  t.true(torch.float16.is_floating_point);
  t.false(torch.int64.is_floating_point);
  t.is(torch.bfloat16.itemsize, 2);
});

test('tensor() infers int64, float32 and bool as Python does for the same values', (t) => {
  t.is(torch.tensor([1, 2, 3]).dtype, torch.int64);
  t.is(torch.tensor([1, 2.5]).dtype, torch.float32);
  t.is(torch.tensor([true, false]).dtype, torch.bool);
  t.is(torch.tensor([[1n, 2n]]).dtype, torch.int64);
  t.is(torch.tensor([]).dtype, torch.float32);
  // JS cannot tell 1.0 from 1: requires_grad asks for a float tensor.
  t.is(torch.tensor([1, 1, 1], { requires_grad: true }).dtype, torch.float32);
  t.is(torch.tensor([1, 2], { dtype: torch.float64 }).dtype, torch.float64);
});

test('TypedArrays go in and out with their dtype', (t) => {
  const f = torch.tensor(new Float32Array([1.5, 2.5]));
  t.is(f.dtype, torch.float32);
  t.deepEqual(Array.from(f.toTypedArray() as Float32Array), [1.5, 2.5]);
  const i = torch.tensor(new Int32Array([7, -8]));
  t.is(i.dtype, torch.int32);
  t.deepEqual(Array.from(i.toTypedArray() as Int32Array), [7, -8]);
  const l = torch.tensor(new BigInt64Array([5n, -6n]));
  t.deepEqual(Array.from(l.toTypedArray() as BigInt64Array), [5n, -6n]);
  const u = torch.from_typed_array(new Uint8Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  t.deepEqual(u.tolist(), [[1, 2, 3], [4, 5, 6]]);
  t.is(u.dtype, torch.uint8);
  const h = torch.tensor([1.5, -2], { dtype: torch.float16 });
  t.true(h.toTypedArray() instanceof Float32Array);
  t.deepEqual(Array.from(h.toTypedArray() as Float32Array), [1.5, -2]);
});

test('a non-contiguous tensor reads out in logical order', (t) => {
  const x = torch.arange(6).reshape(2, 3).t();
  t.deepEqual(Array.from(x.toTypedArray() as BigInt64Array, Number), [0, 3, 1, 4, 2, 5]);
  t.deepEqual(x.tolist(), [[0, 3], [1, 4], [2, 5]]);
});

test('is_contiguous() follows the strides, as in PyTorch', (t) => {
  const x = torch.arange(6).reshape(2, 3);
  t.true(x.is_contiguous());
  t.false(x.t().is_contiguous());
  t.true(x.t().contiguous().is_contiguous());
  t.false(x.index(torch.slice(), torch.slice(null, null, 2)).is_contiguous());
});

test('every operator the typed API calls exists in this libtorch', (t) => {
  const missing = atenCallers.filter(({ name, overload }) => {
    try {
      native.opFind(`aten::${name}`, overload);
      return false;
    } catch {
      return true;
    }
  });
  t.true(atenCallers.length > 100);
  t.deepEqual(missing, []);
});

test('item() and tolist()', (t) => {
  t.is(torch.tensor(2.5).item(), 2.5);
  t.is(torch.tensor([7]).item(), 7);
  // Typed number (Tensor.item says why); a bool tensor's item is a boolean, as Python's is a bool.
  t.is(torch.tensor(true).item() as unknown, true);
  t.deepEqual(torch.tensor([[true, false]]).tolist(), [[true, false]]);
  t.is(torch.tensor(3).tolist(), 3);
});

test('in-place methods return the same JS object, as Python returns self', (t) => {
  const x = torch.zeros(3);
  t.is(x.add_(1), x);
  t.is(x.mul_(2), x);
  t.is(x.zero_(), x);
  t.is(x.uniform_(), x);
  t.is(x.normal_(), x);
  t.is(x.copy_(torch.ones(3)), x);
  t.deepEqual(x.tolist(), [1, 1, 1]);
  t.is(x.contiguous(), x);
});

test('max(dim) destructures both by name and by position', (t) => {
  const x = torch.tensor([[1, 5, 2], [7, 0, 3]]);
  const { values, indices } = x.max(1);
  t.deepEqual(values.tolist(), [5, 7]);
  t.deepEqual(indices.tolist(), [1, 0]);
  const [v, i] = torch.max(x, 0);
  t.deepEqual(v.tolist(), [7, 5, 3]);
  t.deepEqual(i.tolist(), [1, 0, 1]);
  t.deepEqual(x.max({ dim: 1, keepdim: true }).values.tolist(), [[5], [7]]);
  t.is(x.max().item(), 7);
  t.is(x.min().item(), 0);
});

test('to(), float(), long(), clone(), detach()', (t) => {
  const x = torch.tensor([1.7, -2.2]);
  t.is(x.to(torch.float64).dtype, torch.float64);
  t.is(x.to('cpu').dtype, torch.float32);
  t.is(x.to('cpu', torch.int32).dtype, torch.int32);
  t.is(x.to({ dtype: torch.float16 }).dtype, torch.float16);
  t.deepEqual(x.long().tolist(), [1, -2]);
  t.is(torch.tensor([1, 2]).float().dtype, torch.float32);
  const c = x.clone();
  c.add_(1);
  t.notDeepEqual(c.tolist(), x.tolist());
  const w = torch.ones(2, { requires_grad: true });
  const d = w.mul(2).detach();
  t.false(d.requires_grad);
  t.is(d.grad_fn, null);
});

test('module-level functions match methods', (t) => {
  const a = torch.tensor([1, 2, 3]);
  const b = torch.tensor([10, 20, 30]);
  t.deepEqual(torch.add(a, b).tolist(), [11, 22, 33]);
  t.deepEqual(torch.add(a, b, { alpha: 2 }).tolist(), [21, 42, 63]);
  t.deepEqual(torch.stack([a, b]).tolist(), [[1, 2, 3], [10, 20, 30]]);
  t.deepEqual(torch.cat([a, b]).tolist(), [1, 2, 3, 10, 20, 30]);
  t.deepEqual(torch.matmul(torch.eye(2), torch.tensor([[1.5, 2], [3, 4]])).tolist(), [[1.5, 2], [3, 4]]);
});

test('factories take a size as numbers or one array, and options last', (t) => {
  t.deepEqual([...torch.ones(2, 3).shape], [2, 3]);
  t.deepEqual([...torch.ones([2, 3]).shape], [2, 3]);
  t.deepEqual([...torch.zeros([]).shape], []);
  t.is(torch.ones([2], { dtype: torch.int64 }).dtype, torch.int64);
  t.deepEqual(torch.full([2], 7).tolist(), [7, 7]);
  t.deepEqual(torch.arange(1, 7, 2).tolist(), [1, 3, 5]);
  t.deepEqual(torch.arange(0, 1, 0.25).tolist(), [0, 0.25, 0.5, 0.75]);
  t.deepEqual(torch.linspace(0, 1, 5).tolist(), [0, 0.25, 0.5, 0.75, 1]);
  t.deepEqual(torch.eye(2, 3).tolist(), [[1, 0, 0], [0, 1, 0]]);
  t.deepEqual(torch.zeros_like(torch.ones(2, { dtype: torch.int32 })).tolist(), [0, 0]);
  t.is(torch.ones_like(torch.ones(2), { dtype: torch.float64 }).dtype, torch.float64);
  t.true(torch.zeros(2, { requires_grad: true }).requires_grad);
  t.deepEqual([...torch.randint(3, [4, 2]).shape], [4, 2]);
  t.deepEqual(torch.randperm(5).sort().values.tolist(), [0, 1, 2, 3, 4]);
});

test('indexing: numbers, slices, null, ellipsis, masks and index tensors', (t) => {
  const x = torch.arange(12).reshape(3, 4);
  t.deepEqual(x.index(1).tolist(), [4, 5, 6, 7]);
  t.deepEqual(x.index(-1, torch.slice(1, 3)).tolist(), [9, 10]);
  t.deepEqual(x.index(torch.slice(), 0).tolist(), [0, 4, 8]);
  t.deepEqual(x.index('...', 0).tolist(), [0, 4, 8]);
  t.deepEqual([...x.index(null).shape], [1, 3, 4]);
  t.deepEqual(x.index(x.gt(9)).tolist(), [10, 11]);
  t.deepEqual(x.index(torch.tensor([2, 0])).tolist(), [[8, 9, 10, 11], [0, 1, 2, 3]]);
  t.deepEqual(x.slice(1, 0, 4, 2).tolist(), [[0, 2], [4, 6], [8, 10]]);
  t.deepEqual([...x].map((row) => row.sum().item()), [6, 22, 38]);
});

test('torch.ops.aten reaches any operator, with keywords in a trailing object', (t) => {
  const a = torch.tensor([1.0, 2.0]);
  t.deepEqual(torch.ops.aten.add.Tensor(a, a, { alpha: 3 }).tolist(), [4, 8]);
  t.deepEqual(torch.ops.aten.relu.default(torch.tensor([-1, 2])).tolist(), [0, 2]);
  t.deepEqual(torch.ops.aten.relu(torch.tensor([-1, 2])).tolist(), [0, 2]);
  t.deepEqual(torch.ops.aten.sum.dim_IntList(torch.ones(2, 3), [1], { keepdim: true }).tolist(), [[3], [3]]);
  t.regex(torch.ops.aten.add.Tensor.schema.schema, /^aten::add\.Tensor\(Tensor self, Tensor other, \*, Scalar alpha=1\)/);
  const [q, r] = torch.ops.aten.topk.default(torch.tensor([3, 1, 2]), 2);
  t.deepEqual([q.tolist(), r.tolist()], [[3, 2], [0, 2]]);
});

test('device objects print as PyTorch and parse indices', (t) => {
  const d = new torch.device('cuda:1');
  t.is(d.type, 'cuda');
  t.is(d.index, 1);
  t.is(String(d), 'cuda:1');
  t.is(String(new torch.device('cpu')), 'cpu');
  // Called as Python calls it, without new: the same object, an instance of torch.device.
  const e = torch.device('cuda', 2);
  t.true(e instanceof torch.device);
  t.is(String(e), 'cuda:2');
  t.is(inspect(torch.device('cpu')), "device(type='cpu')");
  t.true(torch.ones(1).device instanceof torch.device);
  t.is(String(torch.ones(2, { device: torch.device('cpu') }).device), 'cpu');
  t.throws(() => torch.device('tpu'), { instanceOf: TypeError, message: /device: invalid device string 'tpu'/ });
});

test('set_printoptions changes precision and resets', (t) => {
  torch.set_printoptions({ precision: 2 });
  t.is(String(torch.tensor([1.12345])), 'tensor([1.12])');
  torch.set_printoptions({ profile: 'default' });
  t.is(String(torch.tensor([1.12345])), 'tensor([1.1235])');
});

test('threads can be read and set', (t) => {
  const before = torch.get_num_threads();
  torch.set_num_threads(1);
  t.is(torch.get_num_threads(), 1);
  torch.set_num_threads(before);
  t.is(torch.get_num_threads(), before);
});

test('cuda queries answer without a GPU', (t) => {
  t.is(typeof torch.cuda.is_available(), 'boolean');
  t.is(torch.cuda.device_count() > 0, torch.cuda.is_available());
});

test('build_info names the libtorch version', (t) => {
  t.regex(torch.build_info().libtorch, /^\d+\.\d+\.\d+/);
});

test("libtorch's warnings arrive as Node UserWarnings, once per message, not as lines on stderr", async (t) => {
  const seen: Error[] = [];
  const listener = (w: Error) => seen.push(w);
  process.on('warning', listener);
  for (let i = 0; i < 3; i++) torch.ops.aten.add.out(torch.ones(5), torch.ones(5), { out: torch.zeros(1) });
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', listener);
  const resized = seen.filter((w) => w.name === 'UserWarning' && /output with one or more elements was resized .* \[5\]/.test(w.message));
  t.is(resized.length, 1);
});

test('methods with a fast path bind every other call form by Python rules', (t) => {
  const x = torch.tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
  const y = torch.tensor([[1, 1, 1, 1], [2, 2, 2, 2]]);
  // Python's keyword forms, which the declared types of these methods leave out.
  const X: any = x;
  // Keywords in place of positionals, and keyword-only options.
  t.deepEqual(X.add({ other: y, alpha: 2 }).tolist(), [[3, 4, 5, 6], [9, 10, 11, 12]]);
  t.deepEqual(x.add(y, { alpha: 2 }).tolist(), [[3, 4, 5, 6], [9, 10, 11, 12]]);
  t.deepEqual(x.div(2, { rounding_mode: 'floor' }).tolist(), [[0, 1, 1, 2], [2, 3, 3, 4]]);
  t.deepEqual(X.chunk({ chunks: 2, dim: 1 }).map((c: any) => c.tolist()), [[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
  t.deepEqual(X.chunk(2, { dim: 1 }).map((c: any) => c.tolist()), [[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
  t.deepEqual(X.unbind({ dim: 1 }).map((c: any) => c.tolist()), [[1, 5], [2, 6], [3, 7], [4, 8]]);
  t.deepEqual(X.select({ dim: 1, index: 2 }).tolist(), [3, 7]);
  t.deepEqual([...X.transpose(0, { dim1: 1 }).shape], [4, 2]);
  t.is(x.float({ memory_format: torch.contiguous_format }).dtype, torch.float32);
  // A trailing undefined is no argument, as for a JS default parameter.
  t.deepEqual(x.add(y, undefined).tolist(), x.add(y).tolist());
  t.deepEqual(X.neg(undefined).tolist(), x.neg().tolist());
  // Surplus positionals and unknown keywords reach the binder and its message.
  // Python 1.13: x.add(y, 2) -> TypeError: add() takes 1 positional argument but 2 were given (one overload takes two arguments: its complaint).
  t.throws(() => X.add(y, 2), { instanceOf: TypeError, message: /^add\(\) takes 1 positional argument but 2 were given/ });
  t.throws(() => X.neg(1), { instanceOf: TypeError, message: /^neg\(\) takes 0 positional arguments but 1 was given|^neg\(\) received an invalid combination/ });
  t.throws(() => X.add(y, { alpah: 2 }), { instanceOf: TypeError, message: /add\(\) got an unexpected keyword argument 'alpah'/ });
  t.throws(() => X.chunk(2, 1, 0), { instanceOf: TypeError, message: /chunk\(\)/ });
  t.throws(() => X.select(0, 1, undefined, 5), { instanceOf: TypeError, message: /select\(\)/ });
});
