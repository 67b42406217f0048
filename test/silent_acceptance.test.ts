// Inputs that once gave a result different from Python's without an error
// (issue 23, "Silent acceptance" and "Valid inputs refused"). Each expected
// value or message is Python 1.13's, from /usr/bin/python3 as the comment shows.
import test from 'ava';

import { libtorchAtLeast } from '../lib/_libtorch_version';
import torch from '../lib';
import * as torchvision from '../lib/vision';
import { MAX_TENSOR_DIMS } from '../lib/factories';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';

/**
 * What CPython 3.13 (Debian 13's, beside PyTorch 2.6) adds to a Python def's
 * unknown-keyword TypeError; 3.11 (Debian 12's, beside 1.13) adds nothing.
 */
function didYouMean(parameter: string): string {
  return PYTHON_DEFS_SUGGEST_KEYWORDS ? `. Did you mean '${parameter}'?` : '';
}

test('tensor() keeps BigInts exact beside numbers', (t) => {
  // torch.tensor([2**62 + 1, 2]) -> tensor([4611686018427387905, 2])
  const x = torch.tensor([2n ** 62n + 1n, 2]);
  t.is(x.dtype, torch.int64);
  t.deepEqual([...(x.toTypedArray() as BigInt64Array)], [2n ** 62n + 1n, 2n]);
  t.deepEqual(torch.tensor([1, 2n]).tolist(), [1, 2]);
});

test('tensor() refuses values beyond an integer dtype, as Python does', (t) => {
  // torch.tensor([300], dtype=torch.int8) -> RuntimeError: value cannot be converted to type int8 without overflow
  const overflow = (dtype: torch.dtype, v: number | bigint) =>
    t.throws(() => torch.tensor([v], { dtype }), { instanceOf: RangeError, message: `tensor(): value ${v} cannot be converted to type ${dtype.name} without overflow` });
  overflow(torch.int8, 300);
  overflow(torch.int8, -129);
  overflow(torch.uint8, 256);
  overflow(torch.uint8, -256);
  overflow(torch.uint8, -1.5);
  overflow(torch.int16, 2 ** 40);
  overflow(torch.int32, 2 ** 31);
  overflow(torch.int32, Infinity);
  overflow(torch.int64, NaN);
  // torch.tensor([2**63]) -> RuntimeError: Overflow when unpacking long
  t.throws(() => torch.tensor([2 ** 63]), { instanceOf: RangeError, message: /Overflow when unpacking long/ });
  t.throws(() => torch.tensor([2n ** 64n], { dtype: torch.uint8 }), { message: /Overflow when unpacking long/ });
  // What Python accepts: uint8 wraps a negative int; a fraction truncates; floats overflow to inf.
  t.deepEqual(torch.tensor([-1, -255], { dtype: torch.uint8 }).tolist(), [255, 1]);
  t.deepEqual(torch.tensor([3.5, -128], { dtype: torch.int8 }).tolist(), [3, -128]);
  t.deepEqual(torch.tensor([1e300], { dtype: torch.float32 }).tolist(), [Infinity]);
  t.deepEqual(torch.tensor([2, 0], { dtype: torch.bool }).tolist(), [true, false]);
});

test('tensor() promotes booleans, numbers and tensors together as Python infers them', (t) => {
  // torch.tensor([True, 2]) -> tensor([1, 2]); torch.tensor([True, 2.5]) -> tensor([1.0000, 2.5000])
  t.is(String(torch.tensor([true, 2])), 'tensor([1, 2])');
  t.is(String(torch.tensor([true, 2.5])), 'tensor([1.0000, 2.5000])');
  // torch.tensor([torch.tensor(1.5), torch.tensor(2)]) -> tensor([1.5000, 2.0000])
  t.is(String(torch.tensor([torch.tensor(1.5), torch.tensor(2)])), 'tensor([1.5000, 2.0000])');
  // torch.tensor([torch.tensor(1, dtype=torch.uint8), torch.tensor(-1, dtype=torch.int8)]) -> tensor([ 1, -1], dtype=torch.int16)
  t.is(String(torch.tensor([torch.tensor(1, { dtype: torch.uint8 }), torch.tensor(-1, { dtype: torch.int8 })])), 'tensor([ 1, -1], dtype=torch.int16)');
  // torch.tensor([[torch.tensor(1)], [torch.tensor(2)]]) -> tensor([[1], [2]])
  t.deepEqual(torch.tensor([[torch.tensor(1)], [torch.tensor(2)]]).tolist(), [[1], [2]]);
  // torch.tensor([torch.tensor([1.]), 2.]) -> tensor([1., 2.]): a one-element tensor is a scalar
  t.deepEqual(torch.tensor([torch.tensor([1.5]), 2.5]).tolist(), [1.5, 2.5]);
  // torch.tensor([torch.tensor(300)], dtype=torch.int8) -> value cannot be converted to type int8 without overflow
  t.throws(() => torch.tensor([torch.tensor(300)], { dtype: torch.int8 }), { message: /cannot be converted to type int8 without overflow/ });
  // torch.tensor([torch.tensor([1., 2.])]) -> ValueError: only one element tensors can be converted to Python scalars
  t.throws(() => torch.tensor([torch.tensor([1, 2])]), { instanceOf: TypeError, message: /only one element tensors can be converted/ });
});

test('tensor() bounds the nesting depth at MAX_TENSOR_DIMS, as Python does at 128', (t) => {
  // torch.tensor(nested(128)).dim() -> 128; nested(129) -> ValueError: too many dimensions 'list'
  const nested = (n: number) => {
    let d: unknown = 1;
    for (let i = 0; i < n; i++) d = [d];
    return d as number[];
  };
  t.is(MAX_TENSOR_DIMS, 128);
  t.is(torch.tensor(nested(128)).dim(), 128);
  const message = /too many dimensions: the data nests deeper than MAX_TENSOR_DIMS \(128\)/;
  t.throws(() => torch.tensor(nested(129)), { instanceOf: RangeError, message });
  t.throws(() => torch.tensor(nested(200_000)), { instanceOf: RangeError, message });
  const cycle: unknown[] = [];
  cycle.push(cycle);
  t.throws(() => torch.tensor(cycle as number[]), { instanceOf: RangeError, message });
});

test('item() and tolist() refuse an int64 beyond 2^53 rather than round it, and name the exact way', (t) => {
  // torch.tensor(2**62 + 1).item() -> 4611686018427387905, which a JS number cannot hold
  const big = 2n ** 62n + 1n;
  const message = /the int64 value 4611686018427387905 is beyond Number.MAX_SAFE_INTEGER .* toTypedArray\(\)/;
  t.throws(() => torch.tensor(big).item(), { instanceOf: RangeError, message: new RegExp(`^item\\(\\): ${message.source}`) });
  t.throws(() => torch.tensor([[1n, big]]).tolist(), { instanceOf: RangeError, message: new RegExp(`^tolist\\(\\): ${message.source}`) });
  t.is((torch.tensor([big]).toTypedArray() as BigInt64Array)[0], big);
  t.is(torch.tensor(Number.MAX_SAFE_INTEGER).item(), Number.MAX_SAFE_INTEGER);
  t.deepEqual(torch.tensor([-Number.MAX_SAFE_INTEGER]).tolist(), [-Number.MAX_SAFE_INTEGER]);
});

test('a registered parameter, buffer or child takes only its own kind, as Module.__setattr__ allows', (t) => {
  const m = new torch.nn.Linear(2, 2);
  const weight = m.weight;
  // m.weight = torch.zeros(2, 2) -> TypeError: cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)
  t.throws(() => { (m as any).weight = torch.zeros(2, 2); }, { instanceOf: TypeError, message: "cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)" });
  t.throws(() => { (m as any).weight = torch.zeros(2, 2, { dtype: torch.float64 }); }, { message: /cannot assign 'torch.DoubleTensor' as parameter 'weight'/ });
  t.throws(() => { (m as any).weight = 3; }, { message: /cannot assign 'int' as parameter 'weight'/ });
  t.is(m.weight, weight);
  t.deepEqual(m.named_parameters().map(([n]) => n), ['weight', 'bias']);
  // setattr(nn.Sequential(nn.Linear(1, 1)), '0', 3) -> cannot assign 'int' as child module '0' (torch.nn.Module or None expected)
  const s = new torch.nn.Sequential(new torch.nn.Linear(1, 1));
  t.throws(() => { (s as any)['0'] = 3; }, { instanceOf: TypeError, message: "cannot assign 'int' as child module '0' (torch.nn.Module or None expected)" });
  // m.register_buffer('b', ...); m.b = 3 -> cannot assign 'int' as buffer 'b' (torch.Tensor or None expected)
  m.register_buffer('b', torch.zeros(1));
  t.throws(() => { (m as any).b = 3; }, { instanceOf: TypeError, message: "cannot assign 'int' as buffer 'b' (torch.Tensor or None expected)" });
  // What Python allows: a Parameter or null over a parameter, a Parameter over a buffer (it stops being one).
  m.weight = new torch.nn.Parameter(torch.ones(2, 2));
  (m as any).bias = null;
  (m as any).b = new torch.nn.Parameter(torch.ones(1));
  t.deepEqual(m.named_parameters().map(([n]) => n), ['weight', 'b']);
  t.deepEqual(m.named_buffers(), []);
});

test('register_* refuse a name that is already another kind of attribute, as Python raises KeyError', (t) => {
  const m = new torch.nn.Linear(2, 2);
  // m.register_buffer('weight', torch.zeros(1)) -> KeyError: "attribute 'weight' already exists"
  t.throws(() => m.register_buffer('weight', torch.zeros(1)), { name: 'KeyError', message: "register_buffer(): attribute 'weight' already exists" });
  t.true(m.weight instanceof torch.nn.Parameter);
  // nn.Sequential(nn.Linear(1, 1)).register_parameter('0', ...) -> KeyError: "attribute '0' already exists"
  const s = new torch.nn.Sequential(new torch.nn.Linear(1, 1));
  t.throws(() => s.register_parameter('0', new torch.nn.Parameter(torch.zeros(1))), { name: 'KeyError', message: "register_parameter(): attribute '0' already exists" });
  t.true((s as any)['0'] instanceof torch.nn.Linear);
  t.throws(() => m.register_parameter('training', new torch.nn.Parameter(torch.zeros(1))), { name: 'KeyError', message: /attribute 'training' already exists/ });
  t.throws(() => m.register_parameter('forward', new torch.nn.Parameter(torch.zeros(1))), { name: 'KeyError', message: /attribute 'forward' already exists/ });
  t.throws(() => m.add_module('weight', new torch.nn.Linear(1, 1)), { name: 'KeyError', message: "register_module(): attribute 'weight' already exists" });
  m.register_buffer('b', torch.zeros(1));
  t.throws(() => m.register_parameter('b', new torch.nn.Parameter(torch.zeros(1))), { name: 'KeyError', message: /attribute 'b' already exists/ });
  // Re-registering the same kind is allowed, as in Python.
  m.register_parameter('weight', new torch.nn.Parameter(torch.zeros(2, 2)));
  m.register_buffer('b', torch.ones(1));
  s.add_module('0', new torch.nn.ReLU());
  t.pass();
});

test('p.data = t replaces the data and keeps the tensor, as in Python', (t) => {
  // p = nn.Parameter(torch.zeros(2)); p.data = torch.ones(3); p -> Parameter containing: tensor([1., 1., 1.], requires_grad=True)
  const p = new torch.nn.Parameter(torch.zeros(2));
  p.data = torch.ones(3);
  t.deepEqual(p.tolist(), [1, 1, 1]);
  t.true(p.requires_grad);
  t.true(p instanceof torch.nn.Parameter);
  // p.data = 3 -> TypeError: Variable data has to be a tensor, but got int
  t.throws(() => { (p as any).data = 3; }, { instanceOf: TypeError, message: /Variable data has to be a tensor, but got number/ });
  // p.data = torch.ones(2, dtype=torch.int64) -> data set to a tensor that requires gradients must be floating point or complex dtype
  t.throws(() => { p.data = torch.ones(2, { dtype: torch.int64 }); }, { message: /data set to a tensor that requires gradients must be floating point or complex dtype/ });
});

test("backward refuses an empty 'inputs' and a number as gradient, as Python does", (t) => {
  const x = torch.ones(2, { requires_grad: true });
  // x.sum().backward(inputs=[]) -> RuntimeError: 'inputs' argument to backward() cannot be empty.
  t.throws(() => x.sum().backward({ inputs: [] }), { message: /'inputs' argument to backward\(\) cannot be empty\./ });
  t.throws(() => torch.autograd.backward([x.sum()], { inputs: [] }), { message: /'inputs' argument to backward\(\) cannot be empty\./ });
  t.is(x.grad, null);
  // (x * 2).sum().backward(2) -> TypeError: 'int' object is not iterable
  t.throws(() => x.mul(2).sum().backward(2 as any), { instanceOf: TypeError, message: 'backward(): gradient must be a Tensor or null, got number' });
  t.throws(() => x.mul(2).sum().backward({ gradient: 2 as any }), { instanceOf: TypeError, message: "backward(): argument 'gradient' must be Tensor or null, got number 2" });
  t.is(x.grad, null);
  x.mul(2).sum().backward(torch.tensor(2.5));
  t.deepEqual(x.grad!.tolist(), [5, 5]);
});

test('a tensor cannot be its own grad, nor take one of another dtype, shape or device', (t) => {
  const x = torch.ones(2, { requires_grad: true });
  // x.grad = x -> RuntimeError: can't assign Variable as its own grad
  t.throws(() => { x.grad = x; }, { message: /can't assign Variable as its own grad/ });
  t.is(x.grad, null);
  // Python: assigned grad has data of a different type / size / type (meta)
  t.throws(() => { x.grad = torch.ones(2, { dtype: torch.float64 }); }, { message: /assigned grad has data of a different type/ });
  t.throws(() => { x.grad = torch.ones(3); }, { message: /assigned grad has data of a different size/ });
  t.throws(() => { x.grad = torch.ones(2, { device: 'meta' }); }, { message: /assigned grad has data located on a different device/ });
  x.grad = torch.full([2], 3.5);
  t.deepEqual(x.grad!.tolist(), [3.5, 3.5]);
});

test('no_grad and enable_grad refuse an async callback instead of ending at its first await', async (t) => {
  const message = /no_grad\(fn\): fn is asynchronous, but grad mode is per thread, not per async task.*using _ = torch\.no_grad\(\)/;
  t.throws(() => torch.no_grad(async () => 1), { instanceOf: TypeError, message });
  t.throws(() => torch.no_grad(() => Promise.resolve(1)), { instanceOf: TypeError, message });
  t.throws(() => torch.enable_grad(async () => 1), { instanceOf: TypeError, message: /enable_grad\(fn\): fn is asynchronous/ });
  t.true(torch.is_grad_enabled());
  t.is(torch.no_grad(() => torch.is_grad_enabled()), false);
  await new Promise((resolve) => setImmediate(resolve));
  t.true(torch.is_grad_enabled());
});

test('register_hook sees the gradient, may replace it, and remove() ends it', (t) => {
  // x = torch.ones(2, requires_grad=True); h = x.register_hook(lambda g: g * 3); (x * 2).sum().backward(); x.grad -> tensor([6., 6.])
  const x = torch.ones(2, { requires_grad: true });
  const seen: number[][] = [];
  const h = x.register_hook((g) => {
    seen.push(g.tolist() as number[]);
    return g.mul(3);
  });
  x.mul(2).sum().backward();
  t.deepEqual(seen, [[2, 2]]);
  t.deepEqual(x.grad!.tolist(), [6, 6]);
  h.remove();
  h.remove();
  x.grad = null;
  x.mul(2).sum().backward();
  t.deepEqual(x.grad!.tolist(), [2, 2]);
  t.is(seen.length, 1);
  // A hook on a non-leaf, returning nothing: y.register_hook(print) sees tensor([1., 1.])
  const y = x.mul(2);
  let onY: number[] | null = null;
  y.register_hook((g) => { onY = g.tolist() as number[]; });
  y.sum().backward();
  t.deepEqual(onY, [1, 1]);
  // An error inside the hook reaches the caller of backward, and the next backward works.
  const z = torch.ones(2, { requires_grad: true });
  const bad = z.register_hook(() => { throw new Error('from the hook'); });
  t.throws(() => z.sum().backward(), { message: 'from the hook' });
  bad.remove();
  z.sum().backward();
  t.deepEqual(z.grad!.tolist(), [1, 1]);
  // torch.ones(2).register_hook(f) -> RuntimeError: cannot register a hook on a tensor that doesn't require gradient
  t.throws(() => torch.ones(2).register_hook(() => {}), { message: /cannot register a hook on a tensor that doesn't require gradient/ });
  t.throws(() => x.register_hook(3 as any), { instanceOf: TypeError, message: /register_hook\(\): hook must be a function, got number/ });
});

test('options objects refuse unknown keys and wrong types, with Python\'s message', (t) => {
  const ds = new torch.utils.data.TensorDataset(torch.zeros(4, 2));
  // DataLoader(ds, batchsize=2) -> TypeError: DataLoader.__init__() got an unexpected keyword argument 'batchsize'. Did you mean 'batch_size'?
  // (the suggestion is Python 3.13's, beside 2.6: see didYouMean; a builtin such as torch.zeros never suggests)
  const unexpected = (call: () => unknown, fn: string, key: string, suggestion?: string) =>
    t.throws(call, { instanceOf: TypeError, message: `${fn}() got an unexpected keyword argument '${key}'${suggestion === undefined ? '' : didYouMean(suggestion)}` });
  unexpected(() => new torch.utils.data.DataLoader(ds, { batchsize: 2 } as any), 'DataLoader', 'batchsize', 'batch_size');
  t.throws(() => new torch.utils.data.DataLoader(ds, { shuffle: 'yes' } as any), { instanceOf: TypeError, message: "DataLoader(): argument 'shuffle' must be bool or null, not string 'yes'" });
  const p = new torch.nn.Parameter(torch.zeros(2));
  unexpected(() => new torch.optim.Adam([p], { learning_rate: 0.1 } as any), 'Adam', 'learning_rate');
  t.throws(() => new torch.optim.Adam([p], { lr: '0.1' } as any), { instanceOf: TypeError, message: "Adam(): argument 'lr' must be float, not string '0.1'" });
  unexpected(() => new torch.optim.SGD([p], { lr: 0.1, momentun: 0.9 } as any), 'SGD', 'momentun', 'momentum');
  const opt = new torch.optim.SGD([p], { lr: 0.1 });
  unexpected(() => new torch.optim.lr_scheduler.StepLR(opt, { step_size: 1, gama: 0.5 } as any), 'StepLR', 'gama', 'gamma');
  unexpected(() => opt.zero_grad({ set_to_None: true } as any), 'zero_grad', 'set_to_None', 'set_to_none');
  unexpected(() => new torch.nn.Linear(2, 2, { baias: false } as any), 'Linear', 'baias', 'bias');
  t.throws(() => new torch.nn.Linear(2, 2, { bias: 0 } as any), { instanceOf: TypeError, message: "Linear(): argument 'bias' must be bool, not number 0" });
  // reduce is Python's (deprecated) keyword: a bool, not a reduction.
  t.throws(() => new torch.nn.CrossEntropyLoss({ reduce: 'sum' } as any), { instanceOf: TypeError, message: "CrossEntropyLoss(): argument 'reduce' must be bool or null, not string 'sum'" });
  unexpected(() => new torch.nn.CrossEntropyLoss({ reduse: false } as any), 'CrossEntropyLoss', 'reduse', 'reduce');
  unexpected(() => torch.nn.functional.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1]), { label_smooth: 0.1 } as any), 'cross_entropy', 'label_smooth', 'label_smoothing');
  unexpected(() => torch.nn.functional.mse_loss(torch.zeros(2), torch.zeros(2), { reductio: 'sum' } as any), 'mse_loss', 'reductio', 'reduction');
  unexpected(() => torch.zeros(2, { dtpye: torch.float64 } as any), 'zeros', 'dtpye');
  unexpected(() => torch.tensor([1], { requires_gard: true } as any), 'tensor', 'requires_gard');
  // ones() has two overloads (with names= and with out=), so Python's message lists them both.
  // (2.14's ones has one overload: Python gives its own complaint.)
  t.throws(() => torch.ones(2, { requires_grad: 'true' } as any), {
    instanceOf: TypeError,
    message: libtorchAtLeast(2, 14) ? /^ones\(\): argument 'requires_grad' must be bool/ : /^ones\(\) received an invalid combination of arguments - got \(int, requires_grad=string\)/,
  });
  const x = torch.ones(2, { requires_grad: true });
  // Tensor.backward, set_printoptions and autograd's grad and backward are defs (Tensor.to is a builtin).
  unexpected(() => x.sum().backward({ retain_grpah: true } as any), 'backward', 'retain_grpah', 'retain_graph');
  unexpected(() => x.to({ dtpye: torch.float64 } as any), 'to', 'dtpye');
  unexpected(() => torch.set_printoptions({ precison: 2 } as any), 'set_printoptions', 'precison', 'precision');
  unexpected(() => torch.autograd.grad(x.sum(), [x], { retain_grap: true } as any), 'grad', 'retain_grap', 'retain_graph');
  unexpected(() => torch.autograd.backward([x.sum()], { grad_tensor: null } as any), 'backward', 'grad_tensor', 'grad_tensors');
  unexpected(() => new torch.nn.Linear(2, 2).state_dict({ keepvars: true } as any), 'state_dict', 'keepvars', 'keep_vars');
  unexpected(() => new torch.nn.Linear(2, 2).load_state_dict({}, { stric: false } as any), 'load_state_dict', 'stric', 'strict');
  unexpected(() => new torchvision.transforms.Normalize([0.5], [0.5], { in_place: true } as any), 'Normalize', 'in_place', 'inplace');
  unexpected(() => new torchvision.datasets.FashionMNIST({ root: '/nonexistent', trian: false } as any), 'FashionMNIST', 'trian', 'train');
  unexpected(() => torch.load('/nonexistent', { map_locaton: 'cpu' } as any), 'load', 'map_locaton');
  // A positional argument where the options go is refused by what it is.
  // (Python 2.14, whose zeros has one overload: "zeros(): argument 'size' failed to unpack the object at pos 2 ...".)
  t.throws(() => torch.zeros(2, torch.float64 as any), {
    instanceOf: TypeError,
    message: libtorchAtLeast(2, 14) ? /^zeros\(\): argument 'size' must be list of ints, but found dtype at pos 2/ : /^zeros\(\) received an invalid combination of arguments - got \(int, dtype\)/,
  });
  // What is valid still works.
  t.is(new torch.utils.data.DataLoader(ds, { batch_size: 2, shuffle: false, drop_last: undefined }).length, 2);
  // Python's num_workers and pin_memory are Python's keywords, not unknown ones. Workers get a copy of the
  // dataset, which a plain object's own functions cannot give: the first iteration says so.
  t.is(new torch.utils.data.DataLoader(ds, { batch_size: 2, num_workers: 0, pin_memory: false }).length, 2);
  t.is([...new torch.utils.data.DataLoader(ds, { batch_size: 2, num_workers: 2 })].length, 2);
  const plain = { getitem: (i: number) => torch.tensor([i]), length: 2 };
  t.throws(() => [...new torch.utils.data.DataLoader(plain as any, { num_workers: 2 })], { instanceOf: TypeError, message: /^DataLoader\(num_workers > 0\)\.dataset\.getitem is the function getitem, which another thread cannot rebuild/ });
  // Without CUDA, pin_memory pins nothing, as in Python 1.13.
  t.is(new torch.utils.data.DataLoader(ds, { pin_memory: true }).pin_memory, torch.cuda.is_available());
  t.is(torch.zeros(2, { dtype: null, device: 'cpu' }).dtype, torch.float32);
});

test('an optimizer warns of a parameter listed twice in a group, as Python 1.13 does', async (t) => {
  // torch.optim.Adam([p, p]) -> UserWarning: optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; ...
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const p = new torch.nn.Parameter(torch.zeros(2));
    new torch.optim.Adam([p, p]);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  const duplicate = warnings.filter((w) => /optimizer contains a parameter group with duplicate parameters; in future, this will cause an error/.test(w.message));
  t.is(duplicate.length, 1);
  t.is(duplicate[0].name, 'UserWarning');
});

test('a dataset length that is not a non-negative integer is an error naming the dataset', (t) => {
  class Odd extends torch.utils.data.Dataset<number> {
    constructor(private readonly n: number) {
      super();
    }
    get length(): number {
      return this.n;
    }
    getitem(i: number): number {
      return i;
    }
  }
  // len() of a dataset whose __len__ returns -1 -> ValueError: __len__() should return >= 0
  for (const n of [NaN, 2.5, -1]) {
    t.throws(() => new torch.utils.data.DataLoader(new Odd(n)), {
      instanceOf: TypeError,
      message: `the length of Odd must be a non-negative integer (Python's __len__() should return >= 0), got ${n}`,
    });
    t.throws(() => [...new torch.utils.data.SequentialSampler(new Odd(n))], { message: /the length of Odd must be a non-negative integer/ });
  }
  t.deepEqual([...new torch.utils.data.DataLoader(new Odd(3), { batch_size: 2 })].map((b) => b.tolist()), [[0, 1], [2]]);
});

test('Normalize refuses a std that is zero in the image dtype, as torchvision does', (t) => {
  // T.Normalize([0.5], [1e-50])(torch.ones(1, 2, 2)) -> ValueError: std evaluated to zero after conversion to torch.float32, leading to division by zero.
  const normalize = new torchvision.transforms.Normalize([0.5], [1e-50]);
  t.throws(() => normalize.forward(torch.ones(1, 2, 2)), {
    instanceOf: RangeError,
    message: 'Normalize: std evaluated to zero after conversion to torch.float32, leading to division by zero.',
  });
  // In float64 1e-50 is not zero: Python gives 5.0000e+49 everywhere.
  t.deepEqual(normalize.forward(torch.ones(1, 1, 1, { dtype: torch.float64 })).tolist(), [[[(1 - 0.5) / 1e-50]]]);
});

test('set_printoptions refuses values Python accepts and then fails to print with', (t) => {
  const before = torch.get_printoptions();
  // torch.set_printoptions(precision=-1); print(x) -> ValueError: Format specifier missing precision
  t.throws(() => torch.set_printoptions({ precision: -1 }), { instanceOf: RangeError, message: 'set_printoptions(): precision must be a non-negative integer, got -1' });
  t.throws(() => torch.set_printoptions({ precision: 2.5 }), { instanceOf: TypeError, message: "set_printoptions(): argument 'precision' must be int or null, got number 2.5" });
  t.throws(() => torch.set_printoptions({ edgeitems: -1 }), { instanceOf: RangeError });
  t.throws(() => torch.set_printoptions({ threshold: NaN }), { instanceOf: RangeError });
  t.throws(() => torch.set_printoptions({ sci_mode: 1 as any }), { instanceOf: TypeError });
  t.throws(() => torch.set_printoptions({ profile: 'toString' as any }), { instanceOf: TypeError, message: /unknown profile 'toString'/ });
  t.throws(() => torch.set_printoptions({ linewidth: 100, precision: -2 }), { instanceOf: RangeError });
  t.deepEqual(torch.get_printoptions(), before);
});

test('complex tensors print as Python prints them', (t) => {
  const complex = (re: number[], im: number[], dtype = torch.float32) =>
    torch.ops.aten.complex.default(torch.tensor(re, { dtype }), torch.tensor(im, { dtype })) as torch.Tensor;
  // Each expected text is repr() of the same tensor in Python 1.13 (/usr/bin/python3):
  // torch.tensor([1+2j, 3-4j])
  t.is(String(complex([1, 3], [2, -4])), 'tensor([1.+2.j, 3.-4.j])');
  // torch.tensor([1.5+2j, -3.25-4j], dtype=torch.complex128)
  t.is(String(complex([1.5, -3.25], [2, -4], torch.float64)), 'tensor([ 1.5000+2.j, -3.2500-4.j], dtype=torch.complex128)');
  // torch.tensor(1+2j)
  t.is(String(complex([1], [2]).reshape([])), 'tensor(1.+2.j)');
  // torch.tensor([[1e10+1j, 2+3j]])
  t.is(String(complex([1e10, 2], [1, 3]).reshape(1, 2)), 'tensor([[1.0000e+10+1.j, 2.0000e+00+3.j]])');
  // torch.tensor([0.1+0.2j, 1e-5j])
  t.is(String(complex([0.1, 0], [0.2, 1e-5])), 'tensor([0.1000+2.0000e-01j, 0.0000+1.0000e-05j])');
  // torch.tensor([float('nan')+1j, float('inf')-2j])
  t.is(String(complex([NaN, Infinity], [1, -2])), 'tensor([nan+1.j, inf-2.j])');
  // torch.zeros(0, dtype=torch.complex64)
  t.is(String(torch.zeros(0, { dtype: torch.complex64 })), 'tensor([], dtype=torch.complex64)');
  // torch.tensor([1+2j, 3-4j], requires_grad=True)
  t.is(String(complex([1, 3], [2, -4]).requires_grad_()), 'tensor([1.+2.j, 3.-4.j], requires_grad=True)');
  // torch.arange(2000.).to(torch.complex64) * (1+1j)
  const long = torch.arange(2000);
  t.is(
    String(complex(long.tolist() as number[], long.tolist() as number[])),
    'tensor([0.0000e+00+0.0000e+00j, 1.0000e+00+1.0000e+00j, 2.0000e+00+2.0000e+00j,\n' +
      '         ..., 1.9970e+03+1.9970e+03j, 1.9980e+03+1.9980e+03j,\n' +
      '        1.9990e+03+1.9990e+03j])',
  );
});

test('meta tensors print as Python prints them', (t) => {
  // torch.empty(2, 3, device='meta') and the rest, repr() in Python 1.13
  t.is(String(torch.empty(2, 3, { device: 'meta' })), "tensor(..., device='meta', size=(2, 3))");
  t.is(String(torch.empty(2, { device: 'meta', dtype: torch.int64 })), "tensor(..., device='meta', size=(2,), dtype=torch.int64)");
  t.is(String(torch.empty([], { device: 'meta' })), "tensor(..., device='meta', size=())");
  t.is(String(torch.empty(0, { device: 'meta' })), "tensor(..., device='meta', size=(0,))");
  t.is(String(torch.empty(2, { device: 'meta', requires_grad: true })), "tensor(..., device='meta', size=(2,), requires_grad=True)");
});

test('a JS list indexes as Python\'s x[[0, 1]]', (t) => {
  const x = torch.arange(6).reshape(3, 2);
  // x[[0, 1]] -> tensor([[0, 1], [2, 3]]); x[[0, 2], [1, 0]] -> tensor([1, 4])
  t.deepEqual(x.index([0, 1]).tolist(), [[0, 1], [2, 3]]);
  t.deepEqual(x.index([0, 2], [1, 0]).tolist(), [1, 4]);
  // x[[True, False, True]] -> tensor([[0, 1], [4, 5]]); x[[0, 1], 1] -> tensor([1, 3])
  t.deepEqual(x.index([true, false, true]).tolist(), [[0, 1], [4, 5]]);
  t.deepEqual(x.index([0, 1], 1).tolist(), [1, 3]);
  // x[[]] -> tensor([], size=(0, 2), dtype=torch.int64)
  t.deepEqual([...x.index([]).shape], [0, 2]);
  t.throws(() => x.index([[0, 1]] as any), { instanceOf: TypeError, message: /a nested list is ambiguous as an index/ });
});

test('the options forms of ReLU, Dropout and Flatten refuse unknown keys too', (t) => {
  // nn.ReLU(in_place=True) -> TypeError: ReLU.__init__() got an unexpected keyword argument 'in_place'. Did you mean 'inplace'?
  // nn.Dropout(prob=0.2) and nn.Flatten(start=0): no parameter is near enough to suggest, even in Python 3.13.
  t.throws(() => new torch.nn.ReLU({ in_place: true } as any), { instanceOf: TypeError, message: `ReLU() got an unexpected keyword argument 'in_place'${didYouMean('inplace')}` });
  t.throws(() => new torch.nn.Dropout({ prob: 0.2 } as any), { instanceOf: TypeError, message: "Dropout() got an unexpected keyword argument 'prob'" });
  t.throws(() => new torch.nn.Flatten({ start: 0 } as any), { instanceOf: TypeError, message: "Flatten() got an unexpected keyword argument 'start'" });
  t.is(new torch.nn.Dropout({ p: 0.2 }).p, 0.2);
});

test('reductions check their keywords\' types through the same checker', (t) => {
  const x = torch.ones(2, 3);
  // x.sum(1, keepdim='yes') -> TypeError in Python's binder; keepdim: 'yes' was read as true
  // (Python's own message, from the binder: no overload takes a string keepdim.)
  // (2.14 binds no dimension names: one overload of sum takes (int, keepdim), whose complaint Python gives.)
  t.throws(() => x.sum(1, { keepdim: 'yes' } as any), {
    instanceOf: TypeError,
    message: libtorchAtLeast(2, 14) ? /^sum\(\): argument 'keepdim' must be bool/ : /^sum\(\) received an invalid combination of arguments - got \(int, keepdim=string\)/,
  });
  // A string dim is a dimension name in Python (mean.names_dim), which torchts cannot pass; 2.14 has no such overload.
  t.throws(() => x.mean({ dim: 'a' } as any), { instanceOf: TypeError, message: libtorchAtLeast(2, 14) ? /^mean\(\) received an invalid combination of arguments - got \(dim=string\)/ : /mean\.names_dim: argument 'dim'/ });
  t.throws(() => x.sum({ dims: 1 } as any), { instanceOf: TypeError, message: "sum() got an unexpected keyword argument 'dims'" });
  t.deepEqual(x.sum({ dim: 1, keepdim: true }).tolist(), [[3], [3]]);
});
