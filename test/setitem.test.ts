// Index assignment (Python's x[idx] = v as x.setitem(idx..., v)), in-place
// ops through views, and version counters, against Python
// (scripts/golden/setitem.py): each case is the same small program under the
// same name.
import test from 'ava';

import torch, { slice, type Tensor } from '../lib';
import { assertTensorMatches, fixture, type EncodedTensor } from './_helpers';

type Value = Tensor | string | number | boolean | null;
type Encoded = EncodedTensor | string | number | boolean | null;

const golden = fixture<{ cases: Record<string, Record<string, Encoded>> }>('setitem.json').cases;

const grid = () => torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
// JS has one number type: Python's float literals are float32 tensors.
const f = (data: number | number[]) => torch.tensor(data, { dtype: torch.float32 });
const name = (t: Tensor) => t.grad_fn?.name() ?? null;

// Python's error as "Type: message": the JS error's class for Python's, and its message with the call's name before it.
const JS_ERROR: Record<string, string> = { IndexError: 'RangeError', ValueError: 'RangeError', TypeError: 'TypeError', RuntimeError: 'Error' };
function errorOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

const CASES: Record<string, () => Record<string, Value>> = {
  int_number() {
    const x = grid().setitem(1, 5);
    return { x, version: x._version };
  },
  negative_int_tensor: () => ({ x: grid().setitem(-1, f([1.0, 2.0, 3.0, 4.0])) }),
  slice_broadcast: () => ({ x: grid().setitem(slice(), slice(1, 3), f([-1.0, -2.0]).reshape(1, 2)) }),
  slice_step: () => ({ x: grid().setitem(slice(null, null, 2), slice(1, null, 2), 0) }),
  ellipsis_int: () => ({ x: grid().setitem('...', 0, f([7.0, 8.0, 9.0])) }),
  none_int: () => ({ x: grid().setitem(null, 1, f([1.0, 2.0, 3.0, 4.0])) }),
  leading_ones_dropped: () => ({ x: grid().setitem(0, torch.ones(1, 1, 4)) }),
  mask() {
    const x = grid();
    x.setitem(x.gt(5), 0);
    return { x, version: x._version };
  },
  mask_tensor_value() {
    const x = grid();
    return { x: x.setitem(x.remainder(5).eq(0), f([-1.0, -2.0, -3.0])) };
  },
  list_of_ints: () => ({ x: grid().setitem([0, 2], f([1.0, 2.0]).reshape(2, 1)) }),
  list_of_bools: () => ({ x: grid().setitem([true, false, true], 3) }),
  index_tensor_dim1: () => ({ x: grid().setitem(slice(), torch.tensor([0, 3]), -1) }),
  slice_and_list: () => ({ x: grid().setitem(slice(1, null), [0, 2], f([10.0, 20.0])) }),
  int_and_index_tensor: () => ({ x: grid().setitem(0, torch.tensor([1, 3]), 9) }),
  two_index_tensors: () => ({ x: grid().setitem(torch.tensor([0, 2]), torch.tensor([1, 3]), f([100.0, 200.0])) }),
  duplicate_indices_last_wins: () => ({ x: torch.zeros(3).setitem(torch.tensor([0, 0]), f([1.0, 2.0])) }),
  zero_dim_index_tensor() {
    const x = grid().requires_grad_().clone().setitem(torch.tensor(2), 4);
    return { x, grad_fn: name(x) };
  },
  true_in_tuple: () => ({ x: grid().setitem(0, true, torch.ones(1, 1, 4)) }),
  true_alone: () => ({ x: grid().setitem(true, f([1.0, 2.0, 3.0, 4.0])) }),
  false_alone_is_nothing() {
    const x = grid().setitem(false, torch.ones(5));
    return { x, version: x._version };
  },
  empty_tuple: () => ({ x: f(5.0).setitem(1) }),
  number_into_int64_truncates: () => ({ x: torch.zeros(3, { dtype: torch.int64 }).setitem(0, 3.7).setitem(1, -2.5) }),
  number_into_bool: () => ({ x: torch.zeros(3, { dtype: torch.bool }).setitem(0, 2.5).setitem(torch.tensor([2]), 1) }),
  float64_into_float32_view: () => ({ x: torch.zeros(3).setitem(slice(0, 2), torch.tensor([1.5, 2.5], { dtype: torch.float64 })) }),
  int_tensor_into_float_view: () => ({ x: torch.zeros(3).setitem(slice(1, null), torch.tensor([7, 8])) }),

  grad_fn_per_form() {
    const base = torch.zeros(3, 4, { requires_grad: true });
    const forms: [string, Parameters<Tensor['setitem']>][] = [
      ['int', [0, 1.0]],
      ['slice', [slice(0, 2), 1.0]],
      ['whole_slice', [slice(0, 3), 1.0]],
      ['whole_slice_tensor', [slice(0, 3), torch.ones(3, 4)]],
      ['colon', [slice(), 1.0]],
      ['ellipsis', ['...', torch.ones(3, 4)]],
      ['ellipsis_number', ['...', 2.0]],
      ['list', [[0, 2], 1.0]],
      ['mask', [torch.tensor([true, false, true]), 1.0]],
      ['int_tensor', [0, torch.tensor([1]), 1.0]],
    ];
    return Object.fromEntries(forms.map(([label, args]) => [label, name(base.clone().setitem(...args))]));
  },
  copy_slices_backward() {
    const a = f([1.0, 2.0, 3.0, 4.0]).requires_grad_();
    const b = f([10.0, 20.0]).requires_grad_();
    const y = a.mul(2);
    y.setitem(slice(1, 3), b.mul(b));
    const loss = y.mul(y).sum();
    loss.backward();
    return { y, grad_fn: name(y), loss, 'a.grad': a.grad, 'b.grad': b.grad };
  },
  index_put_backward() {
    const a = f([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).reshape(3, 2).requires_grad_();
    const b = torch.tensor([0.5, -0.5], { requires_grad: true });
    const y = a.exp().mul(1);
    y.setitem(torch.tensor([0, 2]), torch.tensor([1, 0]), b.mul(3));
    y.pow(2).sum().backward();
    return { y, grad_fn: name(y), 'a.grad': a.grad, 'b.grad': b.grad };
  },
  mask_backward() {
    const a = f([-1.0, 2.0, -3.0, 4.0]).requires_grad_();
    const y = a.mul(3);
    y.setitem(a.lt(0), 0);
    y.sum().backward();
    return { y, 'a.grad': a.grad };
  },
  value_requires_grad_into_plain_tensor() {
    const x = torch.zeros(3);
    const v = f(2.0).requires_grad_();
    x.setitem(1, v);
    x.sum().backward();
    return { x, grad_fn: name(x), 'v.grad': v.grad };
  },
  leaf_refuses() {
    const out: Record<string, Value> = {};
    for (const [label, index] of [['view', 0], ['index_put', torch.tensor([0])], ['ellipsis', '...']] as const) {
      out[label] = errorOf(() => torch.zeros(3, { requires_grad: true }).setitem(index, 1)).replace(/^Error: setitem\(\): /, '');
    }
    return out;
  },
  saved_tensor_modified() {
    const a = torch.tensor([0.1, 0.2, 0.3], { requires_grad: true });
    const y = a.exp();
    y.setitem(0, 0);
    // libtorch names the tensor's type [CPUFloatType [3]] where Python prints [torch.FloatTensor [3]].
    const error = errorOf(() => y.sum().backward()).replace(/^Error: /, '').split('\n')[0].replace('[CPUFloatType [3]]', '[torch.FloatTensor [3]]');
    return { error, version: y._version };
  },

  view_select_add_() {
    const base = torch.zeros(2, 3);
    const v = base.index(0);
    v.add_(1);
    return { base, 'base._version': base._version, 'v._version': v._version };
  },
  view_narrow_mul_() {
    const base = torch.arange(6, { dtype: torch.float32 }).reshape(2, 3);
    base.narrow(1, 1, 2).mul_(2);
    return { base, 'base._version': base._version };
  },
  view_view_setitem() {
    const base = torch.zeros(6);
    const v = base.view(2, 3);
    v.setitem(1, 5);
    v.setitem(0, torch.tensor([0, 2]), f([1.0, 2.0]));
    return { base, 'base._version': base._version, 'v._version': v._version };
  },
  view_transpose_setitem() {
    const base = torch.arange(6, { dtype: torch.float32 }).reshape(2, 3);
    base.t().setitem(2, -1);
    return { base };
  },
  view_of_nonleaf_autograd() {
    const a = f([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).requires_grad_();
    const y = a.mul(1);
    const v = y.view(2, 3);
    v.setitem(0, 1, 10);
    v.mul_(2);
    const loss = y.mul(a).sum();
    loss.backward();
    return { y, 'y.grad_fn': name(y), 'v.grad_fn': name(v), loss, 'a.grad': a.grad, 'y._version': y._version };
  },
  view_of_leaf_refuses() {
    const a = torch.zeros(2, 3, { requires_grad: true });
    return { error: errorOf(() => a.index(0).add_(1)).replace(/^Error: /, '') };
  },
  versions() {
    const x = torch.zeros(4);
    const out: Record<string, Value> = { fresh: x._version };
    x.add_(1); out.add_ = x._version;
    x.setitem(0, 2); out.setitem_int = x._version;
    x.setitem(torch.tensor([1]), 3); out.setitem_index = x._version;
    x.setitem(x.gt(100), 0); out.setitem_empty_mask = x._version;
    const y = x.index(slice(1, null));
    y.mul_(2); out.via_view_base = x._version; out.via_view_view = y._version;
    out.x = x;
    return out;
  },
  factories_start_at_version_0: () => ({
    zeros: torch.zeros(2)._version, ones: torch.ones(2)._version, full: torch.full([2], 3.0)._version,
    arange: torch.arange(3)._version, randn: torch.randn(2)._version, eye: torch.eye(2)._version,
    linspace: torch.linspace(0, 1, 3)._version, zeros_like: torch.zeros_like(torch.ones(2))._version,
    rand_like: torch.rand_like(torch.ones(2))._version,
  }),
};

function checkCase(t: import('ava').ExecutionContext, caseName: string, got: Record<string, Value>): void {
  const want = golden[caseName];
  t.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), 'the same outputs as Python');
  for (const [key, expected] of Object.entries(want)) {
    const actual = got[key];
    if (expected !== null && typeof expected === 'object') {
      if (actual === null || typeof actual !== 'object') return void t.fail(`${caseName}.${key}: expected a tensor, got ${String(actual)}`);
      assertTensorMatches(t, actual, expected, `${caseName}.${key}`);
    } else {
      // Python's name() keeps a C++ node's namespace (torch::autograd::CopySlices);
      // torchts's name(), like Python's repr, shows the node's own name.
      const plain = typeof expected === 'string' ? expected.replace(/^torch::autograd::/, '') : expected;
      t.is(actual, plain, `${caseName}.${key}`);
    }
  }
}

for (const [caseName, run] of Object.entries(CASES)) {
  test(`${caseName} matches Python`, (t) => checkCase(t, caseName, run()));
}

test('the golden file and this test run the same cases', (t) => {
  const tested = new Set([...Object.keys(CASES), 'errors']);
  const own = Object.keys(golden).filter((k) => !k.startsWith('frombuffer'));
  t.deepEqual(own.filter((k) => !tested.has(k)), [], 'golden cases without a test here');
});

test("bad input is Python's error with the call's name, and the process lives", (t) => {
  const want = golden.errors as Record<string, string>;
  const assign = (x: Tensor, ...args: Parameters<Tensor['setitem']>) => () => x.setitem(...args);
  const got: Record<string, string> = {
    out_of_range: errorOf(assign(grid(), 5, 1)),
    out_of_range_dim1: errorOf(assign(grid(), slice(), -5, 1)),
    out_of_range_index_tensor: errorOf(assign(grid(), torch.tensor([7]), 1)),
    zero_dim: errorOf(assign(f(1.0), 0, 1)),
    too_many: errorOf(assign(grid(), 0, 0, 0, 1)),
    shape_mismatch_view: errorOf(assign(grid(), slice(), 0, torch.ones(2))),
    shape_mismatch_index_put: errorOf(assign(grid(), torch.tensor([0, 1]), torch.ones(3))),
    dtype_index_put: errorOf(assign(grid(), torch.tensor([0]), torch.ones(4, { dtype: torch.float64 }))),
    overflow: errorOf(assign(torch.zeros(2, { dtype: torch.uint8 }), 0, 300)),
    float_index_tensor: errorOf(assign(grid(), f([0.0]), 1)),
  };
  for (const [key, python] of Object.entries(want)) {
    const [type, ...rest] = python.split(': ');
    const message = rest.join(': ');
    const [jsType, ...jsRest] = got[key].split(': ');
    t.is(jsType, JS_ERROR[type], `${key}: ${got[key]}`);
    t.true(jsRest.join(': ').startsWith('setitem(): '), `${key} names setitem(): ${got[key]}`);
    t.true(got[key].includes(message), `${key}: ${got[key]} carries Python's "${message}"`);
  }
});

test('setitem refuses what is not an index or a value, naming the argument', (t) => {
  const x = grid();
  t.throws(() => x.setitem('a' as any, 1), { instanceOf: TypeError, message: /^setitem\(\): index 0: only integers, slices .* \(got the string 'a'\)/ });
  t.throws(() => x.setitem(0, 1.5, 1), { instanceOf: TypeError, message: /^setitem\(\): index 1 must be an integer, got 1.5/ });
  t.throws(() => x.setitem(0, 'a' as any), { instanceOf: TypeError, message: /^setitem\(\): argument 'value' must be a Tensor or a number, got the string 'a'/ });
  t.throws(() => x.setitem(0, {} as any), { instanceOf: TypeError, message: /argument 'value' must be a Tensor or a number, got Object/ });
  t.throws(() => (x.setitem as any)(), { instanceOf: TypeError, message: /setitem\(\): missing the value/ });
  t.throws(() => x.setitem('...', '...', 1), { instanceOf: TypeError, message: /setitem\(\): an index can only have a single ellipsis/ });
  t.throws(() => x.setitem([[0, 1]] as any, 1), { instanceOf: TypeError, message: /nested list is ambiguous/ });
  t.deepEqual(x.tolist(), grid().tolist(), 'nothing was written');
});

test('setitem on a disposed tensor, or with a disposed value or index, is an error naming which', (t) => {
  const gone = torch.ones(2);
  gone.dispose();
  t.throws(() => gone.setitem(0, 1), { instanceOf: Error, message: /^setitem\(\): self is a Tensor that was disposed/ });
  t.throws(() => torch.zeros(2).setitem(0, gone), { instanceOf: Error, message: /^setitem\(\): argument 'value' is a Tensor that was disposed/ });
  const idx = torch.tensor([0]);
  idx.dispose();
  t.throws(() => torch.zeros(2).setitem(idx, 1), { instanceOf: Error, message: /^setitem\(\): index 0 is a Tensor that was disposed/ });
  t.throws(() => torch.zeros(2).index(idx), { instanceOf: Error, message: /^index\(\): index 0 is a Tensor that was disposed/ });
});

test('setitem returns the tensor itself, written in place', (t) => {
  const x = torch.zeros(2, 2);
  const ptr = x.data_ptr();
  t.is(x.setitem(0, 1), x);
  t.is(x.data_ptr(), ptr);
});

test("index() follows Python's get_item: a 0-d integer tensor selects a view, '...' gives an alias, True/False index a new dimension", (t) => {
  const x = grid();
  const row = x.index(torch.tensor(1));
  t.deepEqual(row.tolist(), [4, 5, 6, 7]);
  row.fill_(0);
  t.deepEqual(x.index(1).tolist(), [0, 0, 0, 0], 'a write through it reaches x, as in Python');
  const all = x.index('...');
  t.not(all, x);
  t.is(all.data_ptr(), x.data_ptr());
  t.deepEqual([...x.index(true).shape], [1, 3, 4]);
  t.deepEqual([...x.index(false).shape], [0, 3, 4]);
  t.deepEqual([...x.index(torch.tensor(true)).shape], [1, 3, 4]);
  t.deepEqual([...x.index(0, false).shape], [0, 4]);
});
