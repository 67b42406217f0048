// Bad input: each call below must throw a JS error whose message names the
// problem, and the process must live on (a crash would end this test file).
import test from 'ava';

import torch from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';

type Case = [name: string, call: () => unknown, message: RegExp, kind?: new (...a: any[]) => Error];

const x = () => torch.ones(3, 4);
const TORCH2_14 = libtorchAtLeast(2, 14);

const CASES: Case[] = [
  ['matmul of mismatched shapes', () => x().matmul(torch.ones(5, 2)), /mat1 and mat2 shapes cannot be multiplied \(3x4 and 5x2\)/],
  ['broadcast of mismatched shapes', () => x().add(torch.ones(5)), /size of tensor a \(4\) must match the size of tensor b \(5\)/],
  ['index_select with a float index', () => x().index_select(0, torch.tensor([0.5])), /Expected dtype int32 or int64 for index/],
  ['requires_grad on an int tensor', () => torch.tensor([1, 2]).requires_grad_(), /Only Tensors of floating point and complex dtype can require gradients/],
  ['an unknown operator', () => torch.ops.aten.no_such_op.default(x()), /Unknown operator aten::no_such_op/],
  ['an unknown overload', () => torch.ops.aten.add.NoSuchOverload(x(), 1), /Unknown operator aten::add\.NoSuchOverload/],
  ['too many arguments', () => torch.ops.aten.relu.default(x(), x()), /aten::relu takes at most 1 arguments \(2 given\)/, TypeError],
  ['a missing argument', () => torch.ops.aten.add.Tensor(x()), /aten::add\.Tensor missing required argument 'other'/, TypeError],
  ['an unexpected keyword', () => torch.ops.aten.add.Tensor(x(), x(), { beta: 2 }), /unexpected keyword argument 'beta'/, TypeError],
  // (libtorch's own message, which 2.14 reworded.)
  ['a negative size', () => torch.zeros(-1), TORCH2_14 ? /^zeros: Dimension size must be non-negative\.$/ : /^Trying to create tensor with negative dimension -1: \[-1\]$/],
  ['a negative size through ops', () => torch.ops.aten.zeros.default([2, -3]), TORCH2_14 ? /Dimension size must be non-negative/ : /negative dimension -3/],
  ['a fractional size', () => torch.zeros(1.5), /^zeros\(\): argument 'size' \(position 1\) must be list of ints, not number 1\.5$/, TypeError],
  ['a NaN size', () => torch.zeros(NaN), /^zeros\(\): argument 'size' \(position 1\) must be list of ints, not number NaN$/, TypeError],
  ['a shape of 1e15 elements', () => torch.zeros(1e15), /can't allocate memory/],
  ['a shape whose size overflows', () => torch.zeros(1e10, 1e10), /Storage size calculation overflowed/],
  ['an integer beyond 2^53', () => torch.zeros(2 ** 60), /beyond 2\^53/, TypeError],
  ['a disposed tensor as self', () => { const t = x(); t.dispose(); return t.add(1); }, /argument 'self' is a Tensor that was disposed/],
  ['a disposed tensor as an argument', () => { const t = x(); t.dispose(); return x().add(t); }, /argument 'other' is a Tensor that was disposed/],
  ['a disposed tensor inside a list', () => { const t = x(); t.dispose(); return torch.cat([x(), t]); }, /argument 'tensors\[1\]' is a Tensor that was disposed/],
  ['a CUDA device where there is none (factory)', () => torch.zeros(2, { device: 'cuda' }), /device 'cuda' is not available/],
  ['a CUDA device where there is none (to)', () => x().to('cuda:0'), /device 'cuda:0' is not available/],
  ['a malformed device string', () => torch.zeros(2, { device: 'gpu' }), /device type at start of device string: gpu/],
  ['a device object with a bad string', () => new torch.device('tpu:0'), /invalid device string 'tpu:0'/, TypeError],
  ['a non-array where a list is expected', () => torch.cat(x() as any), /cat\(\): argument 'tensors' \(position 1\) must be list of Tensors, not Tensor/, TypeError],
  ['a string where a shape is expected', () => x().reshape('abc' as any), /argument 'shape\[0\]' must be an integer, got string/, TypeError],
  ['a number inside a tensor list', () => torch.cat([x(), 5 as any]), /cat\(\): argument 'tensors' \(position 1\) must be list of Tensors/, TypeError],
  ['a string where a tensor is expected', () => x().add('a' as any), /argument 'other' must be a Tensor, got string/, TypeError],
  ['null where a tensor is required', () => x().matmul(null as any), /matmul\(\): argument 'other' \(position 1\) must be Tensor, not null/, TypeError],
  // (2.14's zeros has one overload, whose own complaint Python gives.)
  ['a string dtype', () => torch.zeros(2, { dtype: 'float32' as any }), TORCH2_14 ? /^zeros\(\): argument 'dtype' must be torch\.dtype/ : /^zeros\(\) received an invalid combination of arguments - got \(int, dtype=string\)/, TypeError],
  ['a fractional dim', () => x().select(0.5, 1), /argument 'dim' must be an integer, got 0\.5/, TypeError],
  ['a dim out of range', () => x().sum(5), /Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)/, RangeError],
  ['an index out of range', () => x().select(0, 5), /index 5 out of range for tensor of size \[3, 4\] at dimension 0/, RangeError],
  ['too many indices', () => x().index(0, 0, 0), /too many indices for tensor of dimension 2 \(got 3\)/, RangeError],
  ['an invalid reshape', () => torch.zeros(6).reshape(4, 2), /shape '\[4, 2\]' is invalid for input of size 6/],
  ['view of a non-contiguous tensor', () => x().t().view(-1), /view size is not compatible with input tensor's size and stride/],
  ['cat of mismatched shapes', () => torch.cat([torch.ones(2, 3), torch.ones(2, 4)]), /Sizes of tensors must match except in dimension 0/],
  ['item() of many elements', () => x().item(), /a Tensor with 12 elements cannot be converted to Scalar/],
  ['backward of a non-scalar without gradient', () => torch.ones(2, { requires_grad: true }).mul(2).backward(), /grad can be implicitly created only for scalar outputs/],
  ['backward of a tensor that needs no grad', () => torch.ones(2).sum().backward(), /does not require grad and does not have a grad_fn/],
  ['grad of an unused input', () => { const a = torch.ones(2, { requires_grad: true }); return torch.autograd.grad(a.sum(), [a, torch.ones(2, { requires_grad: true })]); }, /appears to not have been used in the graph/],
  ['a grad of the wrong shape', () => { const a = torch.ones(2, { requires_grad: true }); a.grad = torch.ones(3); }, /assigned grad has data of a different size/],
  ['requires_grad=false on a non-leaf', () => { const a = torch.ones(2, { requires_grad: true }).mul(2); a.requires_grad = false; }, /only change requires_grad flags of leaf variables/],
  ['a ragged nested list', () => torch.tensor([[1, 2], [3]]), /expected sequence of length 2 at dim 1 \(got 1\)/, RangeError],
  ['a string inside tensor data', () => torch.tensor(['a'] as any), /could not convert string to a number/, TypeError],
  ['TypedArray bytes that do not fill the shape', () => torch.from_typed_array(new Float32Array(3), [2, 2]), /12 bytes of data do not fill shape \[2, 2\] of Float, which needs 16/, TypeError],
  ['randint with low >= high', () => torch.randint(5, 5, [2]), /random_ expects 'from' to be less than 'to', but got from=5 >= to=5/],
  ['linspace with negative steps', () => torch.linspace(0, 1, -1), /number of steps must be non-negative/],
  ['set_num_threads(0)', () => torch.set_num_threads(0), /must be a positive number of threads, got 0/, TypeError],
  ['manual_seed of a string', () => torch.manual_seed('x' as any), /seed must be an integer, got string/, TypeError],
  ['constructing a Tensor directly', () => new (torch.Tensor as any)(), /cannot be constructed directly/, TypeError],
  ['size() with a bad dim', () => x().size(2), /Dimension out of range/, RangeError],
  ['a slice with a zero step', () => torch.slice(0, 3, 0), /slice step must be positive/, RangeError],
  ['two ellipses', () => x().index('...', '...'), /only have a single ellipsis/, TypeError],
  // Objects the addon wraps for other purposes are not tensors, however they are passed.
  ['a Generator handle where a tensor is expected', () => x().add((new torch.Generator() as any)._handle), /argument 'other'/, TypeError],
  ['a TorchScript module handle where a tensor is expected', () => x().mul((torch.jit.load('test/fixtures/jit/mlp.pt') as any)._handle), /argument 'other'/, TypeError],
  ['a tensor where a Generator is expected', () => torch.randperm(3, { generator: torch.ones(1) as any }), /^randperm\(\) received an invalid combination of arguments - got \(int, generator=Tensor\)/, TypeError],
  ['scope of a non-function', () => torch.scope(5 as any), /fn must be a function/, TypeError],
  // Found by the fuzzer: kernels index an int[3] argument to 3 without checking; Python's parser checks first.
  ['an int[3] argument given 0 integers', () => torch.ops.aten.slow_conv3d.default(torch.ones(1, 2, 4, 4, 4), torch.ones(2, 2, 2, 2, 2), []), /aten::slow_conv3d: argument 'kernel_size' must be 3 integers \(or one integer for all 3\), got a list of 0/, TypeError],
  ['an int[2] argument given 3 integers', () => torch.ops.aten.max_pool2d.default(torch.ones(1, 4, 4), [2, 2, 2]), /argument 'kernel_size' must be 2 integers/, TypeError],
];

test(`at least 30 bad inputs are covered (${CASES.length})`, (t) => {
  t.true(CASES.length >= 30);
});

for (const [name, call, message, kind] of CASES) {
  test(`bad input: ${name}`, (t) => {
    const err = t.throws(call);
    t.true(err instanceof Error);
    if (kind) t.true(err instanceof kind, `expected a ${kind.name}, got ${err!.constructor.name}: ${err!.message}`);
    t.regex(err!.message, message);
    // libtorch's messages arrive without the C++ backtrace.
    t.notRegex(err!.message, /Exception raised from|frame #\d/);
  });
}

test('a tensor list whose element getter throws passes that error on, and the next call works', (t) => {
  const a = torch.ones(2);
  const list: unknown[] = [a, a];
  Object.defineProperty(list, 1, {
    get() {
      throw new RangeError('element 1 cannot be read');
    },
  });
  const err = t.throws(() => torch.stack(list as any), { instanceOf: RangeError });
  t.is(err!.message, 'element 1 cannot be read');
  t.deepEqual([...torch.stack([a, a]).shape], [2, 2]);
});
