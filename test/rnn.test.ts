// The recurrent modules and nn.utils.rnn against Python
// (scripts/golden/rnn.py): seeded parameters (names, order, values) and
// reprs, a Python state_dict loaded, forward outputs and final states,
// gradients of the input and of every parameter, three SGD steps, the
// pack/pad utilities, and Python's errors for bad input, named by module.
import test, { type ExecutionContext } from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
import { PackedSequence, pack_padded_sequence, pack_sequence, pad_packed_sequence, pad_sequence, unpack_sequence, unpad_sequence } from '../lib/nn/utils/rnn';
import { assertTensorMatches, decodeTensor, dtypeNamed, fixture, type EncodedTensor } from './_helpers';

interface EncodedPacked {
  data: EncodedTensor;
  batch_sizes: EncodedTensor;
  sorted_indices: EncodedTensor | null;
  unsorted_indices: EncodedTensor | null;
}

interface ModuleCase {
  name: string;
  cls: 'RNN' | 'LSTM' | 'GRU' | 'RNNCell' | 'LSTMCell' | 'GRUCell';
  args: unknown[];
  kwargs: Record<string, unknown>;
  train: boolean;
  lengths: number[] | null;
  enforce_sorted: boolean;
  construct_seed: number;
  forward_seed: number;
  sgd_seed: number;
  repr: string;
  params: Record<string, EncodedTensor>;
  input: EncodedTensor;
  hx: EncodedTensor[] | null;
  output: EncodedTensor | EncodedPacked;
  hidden: EncodedTensor[];
  padded: EncodedTensor[] | null;
  input_grad: EncodedTensor;
  grads: Record<string, EncodedTensor>;
  sgd_losses: number[];
  sgd_params: Record<string, EncodedTensor>;
}

const golden = fixture<{
  modules: ModuleCase[];
  utils_inputs: Record<'A' | 'B' | 'C' | 'PADDED' | 'PADDED_BF', EncodedTensor>;
  utils: Record<string, EncodedTensor[]>;
  errors: Record<string, { type: string; message: string }>;
  packed_repr: string;
  packed_repr_unsorted: string;
}>('rnn.json');

const CELLS = new Set(['RNNCell', 'LSTMCell', 'GRUCell']);

type AnyModule = nn.Module & ((...args: unknown[]) => any);

/** The module of a case, built from the same positionals and keywords as Python's. */
function make(c: ModuleCase): AnyModule {
  const kwargs: Record<string, unknown> = { ...c.kwargs };
  if (typeof kwargs.dtype === 'string') kwargs.dtype = dtypeNamed(kwargs.dtype);
  const cls = (nn as unknown as Record<string, new (...a: unknown[]) => AnyModule>)[c.cls];
  return Object.keys(kwargs).length ? new cls(...c.args, kwargs) : new cls(...c.args);
}

/** The case's forward, as scripts/golden/rnn.py's run(): [output, final states]. */
function run(c: ModuleCase, m: AnyModule, x: Tensor, hx: Tensor | Tensor[] | null): [Tensor | PackedSequence, Tensor[]] {
  if (CELLS.has(c.cls)) {
    const outs: Tensor[] = [];
    let state: any = hx;
    for (let t = 0; t < x.size(0); t++) {
      state = m(x.select(0, t), state);
      outs.push(Array.isArray(state) ? state[0] : state);
    }
    return [torch.stack(outs), Array.isArray(state) ? state : [state]];
  }
  const input = c.lengths === null ? x : pack_padded_sequence(x, c.lengths, { batch_first: (m as unknown as nn.RNNBase).batch_first, enforce_sorted: c.enforce_sorted });
  const [out, hidden] = m(input, hx);
  return [out, Array.isArray(hidden) ? hidden : [hidden]];
}

/** Python's data.pow(2).sum() + sum(h.pow(2).sum() * 0.5 for h in hidden), in its order of additions. */
function lossOf(out: Tensor | PackedSequence, hidden: Tensor[]): Tensor {
  const data = out instanceof PackedSequence ? out.data : out;
  let states = hidden[0].pow(2).sum().mul(0.5);
  for (const h of hidden.slice(1)) states = states.add(h.pow(2).sum().mul(0.5));
  return data.pow(2).sum().add(states);
}

function inputsOf(c: ModuleCase): [Tensor, Tensor | Tensor[] | null] {
  const x = decodeTensor(c.input);
  if (c.hx === null) return [x, null];
  const hx = c.hx.map(decodeTensor);
  return [x, c.cls === 'LSTM' || c.cls === 'LSTMCell' ? hx : hx[0]];
}

function assertOutput(t: ExecutionContext, out: Tensor | PackedSequence, want: EncodedTensor | EncodedPacked, label: string): void {
  if (!('data' in want)) {
    t.true(out instanceof torch.Tensor, `${label}: a Tensor`);
    assertTensorMatches(t, out as Tensor, want, label);
    return;
  }
  t.true(out instanceof PackedSequence, `${label}: a PackedSequence`);
  const p = out as PackedSequence;
  assertTensorMatches(t, p.data, want.data, `${label}.data`);
  assertTensorMatches(t, p.batch_sizes, want.batch_sizes, `${label}.batch_sizes`, 0);
  for (const key of ['sorted_indices', 'unsorted_indices'] as const) {
    const w = want[key];
    if (w === null) t.is(p[key], null, `${label}.${key}`);
    else assertTensorMatches(t, p[key]!, w, `${label}.${key}`, 0);
  }
}

for (const c of golden.modules) {
  test(`${c.name}: seeded construction gives Python's parameters, in state_dict order, and repr`, (t) => {
    torch.manual_seed(c.construct_seed);
    const m = make(c);
    t.is(String(m), c.repr);
    t.deepEqual(m.named_parameters().map(([n]) => n), Object.keys(c.params));
    t.deepEqual(Object.keys(m.state_dict()), Object.keys(c.params));
    // uniform_ draws the same bits as Python's: equal exactly.
    for (const [n, p] of m.named_parameters()) assertTensorMatches(t, p, c.params[n], n, 0);
  });

  test(`${c.name}: forward and gradients as Python, from Python's state_dict`, (t) => {
    torch.manual_seed(c.construct_seed + 500);
    const m = make(c);
    m.load_state_dict(Object.fromEntries(Object.entries(c.params).map(([n, v]) => [n, decodeTensor(v)])));
    if (!c.train) m.eval();
    const [x, hx] = inputsOf(c);
    const xg = x.clone().requires_grad_();
    torch.manual_seed(c.forward_seed);
    const [out, hidden] = run(c, m, xg, hx);
    assertOutput(t, out, c.output, 'output');
    t.is(hidden.length, c.hidden.length);
    hidden.forEach((h, i) => assertTensorMatches(t, h, c.hidden[i], `hidden[${i}]`));
    if (c.padded !== null) {
      const [padded, lengths] = pad_packed_sequence(out as PackedSequence, { batch_first: (m as unknown as nn.RNNBase).batch_first });
      assertTensorMatches(t, padded, c.padded[0], 'padded output');
      assertTensorMatches(t, lengths, c.padded[1], 'lengths', 0);
    }
    lossOf(out, hidden).backward();
    assertTensorMatches(t, xg.grad!, c.input_grad, 'input.grad');
    for (const [n, p] of m.named_parameters()) assertTensorMatches(t, p.grad!, c.grads[n], `${n}.grad`);
  });

  test(`${c.name}: three SGD steps as Python`, (t) => {
    torch.manual_seed(c.construct_seed);
    const m = make(c);
    if (!c.train) m.eval();
    const [x, hx] = inputsOf(c);
    torch.manual_seed(c.sgd_seed);
    const opt = new optim.SGD(m.parameters(), { lr: 0.05 });
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      opt.zero_grad();
      const [o, h] = run(c, m, x, hx);
      const loss = lossOf(o, h);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    losses.forEach((l, i) => t.true(Math.abs(l - c.sgd_losses[i]) <= 1e-6 * Math.max(1, Math.abs(c.sgd_losses[i])), `loss ${i}: ${l} vs ${c.sgd_losses[i]}`));
    for (const [n, p] of m.named_parameters()) assertTensorMatches(t, p, c.sgd_params[n], `${n} after 3 steps`);
  });
}

const U = Object.fromEntries(Object.entries(golden.utils_inputs).map(([k, v]) => [k, decodeTensor(v)])) as Record<keyof typeof golden.utils_inputs, Tensor>;

const packed = (p: PackedSequence): Tensor[] => [p.data, p.batch_sizes, ...[p.sorted_indices, p.unsorted_indices].filter((x): x is Tensor => x !== null)];

const UTILS: Record<string, () => Tensor[]> = {
  pack_padded_sorted: () => packed(pack_padded_sequence(U.PADDED, [4, 2, 1])),
  pack_padded_tensor_lengths_unsorted_batch_first: () =>
    packed(pack_padded_sequence(U.PADDED_BF, torch.tensor([2, 4, 1]), { batch_first: true, enforce_sorted: false })),
  pad_packed_sorted: () => pad_packed_sequence(pack_padded_sequence(U.PADDED, [4, 2, 1])),
  pad_packed_unsorted_batch_first_padding_total_length: () =>
    pad_packed_sequence(pack_padded_sequence(U.PADDED_BF, [2, 4, 1], true, false), { batch_first: true, padding_value: -1.5, total_length: 6 }),
  pad_sequence: () => [pad_sequence([U.A, U.B, U.C])],
  pad_sequence_batch_first_padding: () => [pad_sequence([U.A, U.B, U.C], { batch_first: true, padding_value: 7.0 })],
  pack_sequence_unsorted: () => packed(pack_sequence([U.A, U.B, U.C], { enforce_sorted: false })),
  pack_sequence_sorted: () => packed(pack_sequence([U.B, U.C, U.A])),
  unpack_sequence: () => unpack_sequence(pack_sequence([U.A, U.B, U.C], false)),
  unpad_sequence_time_major: () => {
    const padded = U.PADDED.clone();
    return [...unpad_sequence(padded, torch.tensor([4, 2, 1])), padded];
  },
  unpad_sequence_batch_first: () => unpad_sequence(U.PADDED_BF, torch.tensor([2, 4, 1]), { batch_first: true }),
};

test('every golden utility case has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(UTILS).sort(), Object.keys(golden.utils).sort());
});

for (const [name, want] of Object.entries(golden.utils)) {
  test(`nn.utils.rnn ${name} as Python`, (t) => {
    const got = UTILS[name]();
    t.is(got.length, want.length);
    want.forEach((w, i) => assertTensorMatches(t, got[i], w, `${name}[${i}]`, 0));
  });
}

test('PackedSequence prints as Python and destructures as its named tuple', (t) => {
  const f = (xs: number[]) => torch.tensor(xs, { dtype: torch.float32 });
  const p = pack_sequence([f([1, 2, 3]), f([4, 5])]);
  t.is(String(p), golden.packed_repr);
  t.is(String(pack_sequence([f([1]), f([4, 5])], { enforce_sorted: false })), golden.packed_repr_unsorted);
  const [data, batch_sizes, sorted_indices, unsorted_indices] = p;
  t.is(data, p.data);
  t.is(batch_sizes, p.batch_sizes);
  t.is(sorted_indices, null);
  t.is(unsorted_indices, null);
});

test('PackedSequence.to converts the data, keeps batch_sizes, and is itself when nothing changes', (t) => {
  const p = pack_sequence([torch.tensor([1], { dtype: torch.float32 }), torch.tensor([4, 5], { dtype: torch.float32 })], { enforce_sorted: false });
  t.true(p.to(torch.float32) === p);
  const d = p.double();
  t.is(d.data.dtype, torch.float64);
  t.is(d.batch_sizes, p.batch_sizes);
  t.deepEqual(d.unsorted_indices!.tolist(), [1, 0]);
  t.true(p.cpu() === p);
  // Built from the pair, as Python's second form.
  const q = new PackedSequence([p.data, p.batch_sizes]);
  t.is(q.batch_sizes, p.batch_sizes);
  t.is(q.unsorted_indices, null);
});

// ----------------------------------------------------------------- errors

const X = () => torch.randn(5, 3, 10);
const anyNn = nn as unknown as Record<string, new (...a: unknown[]) => AnyModule>;

const ERRORS: Record<string, () => unknown> = {
  lstm_input_size: () => new nn.LSTM(10, 20)(torch.randn(5, 3, 7)),
  rnn_input_size_packed: () => new nn.RNN(10, 20)(pack_padded_sequence(torch.randn(5, 3, 7), [5, 4, 2])),
  lstm_hidden0_size: () => new nn.LSTM(10, 20, 2)(X(), [torch.randn(1, 3, 20), torch.randn(2, 3, 20)]),
  lstm_hidden1_size: () => new nn.LSTM(10, 20, 2)(X(), [torch.randn(2, 3, 20), torch.randn(2, 3, 21)]),
  lstm_proj_hidden_size: () => new nn.LSTM(10, 20, { proj_size: 5 })(X(), [torch.randn(1, 3, 20), torch.randn(1, 3, 20)]),
  gru_hidden_size: () => new nn.GRU(10, 20, 2)(X(), torch.randn(1, 3, 20)),
  rnn_hidden_batch: () => new nn.RNN(10, 20)(X(), torch.randn(1, 4, 20)),
  rnn_hidden_size_packed_batch: () => new nn.RNN(10, 20)(pack_padded_sequence(X(), [5, 4, 2]), torch.randn(1, 2, 20)),
  gru_batched_hx_2d: () => new nn.GRU(10, 20)(X(), torch.randn(3, 20)),
  rnn_unbatched_hx_3d: () => new nn.RNN(10, 20)(torch.randn(5, 10), torch.randn(1, 1, 20)),
  lstm_batched_hx_2d: () => new nn.LSTM(10, 20)(X(), [torch.randn(3, 20), torch.randn(3, 20)]),
  lstm_unbatched_hx_3d: () => new nn.LSTM(10, 20)(torch.randn(5, 10), [torch.randn(1, 1, 20), torch.randn(1, 1, 20)]),
  lstm_empty_sequence: () => new nn.LSTM(10, 20)(torch.randn(0, 3, 10)),
  rnn_proj_size: () => new anyNn.RNN(10, 20, { proj_size: 3 }),
  gru_proj_size: () => new anyNn.GRU(10, 20, { proj_size: 0 }),
  rnn_unknown_nonlinearity: () => new nn.RNN(10, 20, { nonlinearity: 'gelu' as 'relu' }),
  dropout_above_one: () => new nn.GRU(10, 20, { dropout: 1.5 }),
  dropout_bool: () => new anyNn.GRU(10, 20, { dropout: true }),
  proj_size_not_smaller: () => new nn.LSTM(10, 20, { proj_size: 20 }),
  proj_size_negative: () => new nn.LSTM(10, 20, { proj_size: -1 }),
  cell_input_size: () => new nn.LSTMCell(10, 20)(torch.randn(3, 7)),
  cell_hidden_size: () => new nn.GRUCell(10, 20)(torch.randn(3, 10), torch.randn(3, 21)),
  cell_hidden_batch: () => new nn.RNNCell(10, 20)(torch.randn(3, 10), torch.randn(4, 20)),
  cell_3d_input: () => new nn.RNNCell(10, 20)(torch.randn(2, 3, 10)),
  lstm_cell_3d_input: () => new nn.LSTMCell(10, 20)(torch.randn(2, 3, 10)),
  pack_unsorted_lengths: () => pack_padded_sequence(torch.randn(4, 3, 2), [2, 4, 1]),
  pack_zero_length: () => pack_padded_sequence(torch.randn(4, 3, 2), [4, 2, 0]),
  pack_lengths_count: () => pack_padded_sequence(torch.randn(4, 3, 2), [4, 2]),
  pad_packed_total_length_short: () => pad_packed_sequence(pack_sequence([torch.randn(3), torch.randn(2)]), { total_length: 2 }),
  pad_sequence_empty: () => pad_sequence([]),
  pad_sequence_mismatched: () => pad_sequence([torch.randn(3, 2), torch.randn(2, 3)]),
};

// Python's exception classes as torchts throws them; a RuntimeError about a
// shape or value is a RangeError here (an Error either way).
const ERROR_CLASS: Record<string, ErrorConstructor> = { TypeError, ValueError: RangeError, RuntimeError: Error, AssertionError: RangeError };

// Where the module's repr names it: `LSTM(10, 20): <Python's message>`, or
// the function: `pack_padded_sequence(): <Python's message>`.
const NAMED = /^(?:[A-Za-z_]+\([^)]*\): |[A-Za-z]+: )?/;

test('every golden error has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(ERRORS).sort(), Object.keys(golden.errors).sort());
});

for (const [name, want] of Object.entries(golden.errors)) {
  test(`error ${name}: Python's message, naming the module or function`, (t) => {
    const err = t.throws(ERRORS[name], { instanceOf: ERROR_CLASS[want.type] ?? Error });
    const message = err!.message.split('\n')[0];
    // Python's words, after the name; where Python does not say what it was
    // given, torchts may add it (", got true").
    t.true(message.replace(NAMED, '').startsWith(want.message.replace(NAMED, '')), `${message}\nPython: ${want.message}`);
    const module = /^(nn\.)?([A-Z][A-Za-z]+)\(/.exec(message)?.[2] ?? /^(\w+)\(\)/.exec(message)?.[1] ?? /^(\w+): /.exec(message)?.[1];
    t.truthy(module, `the message names the module or function: ${message}`);
  });
}

test('module errors start with the module as it prints', (t) => {
  t.throws(() => new nn.LSTM(10, 20, 2)(torch.randn(5, 3, 7)), { message: /^LSTM\(10, 20, num_layers=2\): input\.size\(-1\) must be equal to input_size\. Expected 10, got 7$/ });
  t.throws(() => new nn.GRU(10, 20, 2)(X(), torch.randn(1, 3, 20)), { message: /^GRU\(10, 20, num_layers=2\): Expected hidden size \(2, 3, 20\), got \[1, 3, 20\]$/ });
});

test('bad input beyond Python\'s checks: clear errors, no crash', (t) => {
  const lstm = new nn.LSTM(10, 20);
  t.throws(() => lstm(X().double()), { instanceOf: TypeError, message: /^LSTM\(10, 20\): input has dtype torch\.float64 but the module's parameters have dtype torch\.float32/ });
  t.throws(() => lstm(torch.ones([5, 3, 10], { dtype: torch.int64 })), { instanceOf: TypeError, message: /input has dtype torch\.int64/ });
  t.throws(() => lstm(X(), [torch.randn(1, 3, 20).double(), torch.randn(1, 3, 20)]), { instanceOf: TypeError, message: /^LSTM\(10, 20\): hx\[0\] has dtype torch\.float64 but input has dtype torch\.float32$/ });
  t.throws(() => new nn.GRU(10, 20)(X(), torch.randn(1, 3, 20).double()), { instanceOf: TypeError, message: /^GRU\(10, 20\): hx has dtype torch\.float64/ });
  t.throws(() => new nn.GRUCell(10, 20)(torch.randn(3, 10).double()), { instanceOf: TypeError, message: /^GRUCell\(10, 20\): input has dtype torch\.float64/ });
  t.throws(() => lstm(torch.randn(2, 5, 3, 10)), { instanceOf: RangeError, message: /^LSTM\(10, 20\): Expected input to be 2-D \(unbatched\) or 3-D \(batched\), got 4-D tensor of shape \[2, 5, 3, 10\]$/ });
  t.throws(() => lstm(torch.randn(10)), { instanceOf: RangeError, message: /got 1-D tensor/ });
  t.throws(() => (lstm as any)([1, 2, 3]), { instanceOf: TypeError, message: /^LSTM\(10, 20\): input must be a Tensor or a PackedSequence, not an array/ });
  t.throws(() => (lstm as any)(X(), torch.randn(1, 3, 20)), { instanceOf: TypeError, message: /^LSTM\(10, 20\): hx must be the pair \[h_0, c_0\] of Tensors/ });
  t.throws(() => (new nn.GRU(10, 20) as any)(X(), [torch.randn(1, 3, 20)]), { instanceOf: TypeError, message: /^GRU\(10, 20\): hx must be a Tensor, not an array/ });
  t.throws(() => new nn.RNNCell(10, 20)(torch.randn(3, 10), torch.randn(20)), { instanceOf: RangeError, message: /^RNNCell\(10, 20\): Expected hx to be 2-D for a 2-D \(batched\) input, got a 1-D tensor/ });
  t.throws(() => (new nn.LSTMCell(10, 20) as any)(torch.randn(3, 10), torch.randn(3, 20)), { instanceOf: TypeError, message: /^LSTMCell\(10, 20\): hx must be the pair/ });
  // Python reads past the input here; torchts refuses.
  t.throws(() => pack_padded_sequence(torch.randn(4, 3, 2), [5, 2, 1]), { instanceOf: RangeError, message: /^pack_padded_sequence\(\): a length of 5 is longer than the input's 4 time steps/ });
  t.throws(() => pack_padded_sequence(torch.randn(4, 3, 2), [4, 2.5, 1]), { instanceOf: TypeError, message: /argument 'lengths' must be a Tensor or an array of ints/ });
  t.throws(() => pack_padded_sequence(torch.randn(4, 3, 2), torch.tensor([[4, 2, 1]])), { instanceOf: RangeError, message: /'lengths' must be 1-D/ });
  t.throws(() => new nn.LSTM(10, 20, 0), { instanceOf: RangeError, message: /num_layers must be greater than or equal to 1, got 0/ });
  t.throws(() => new nn.LSTM(10, -2), { instanceOf: TypeError, message: /hidden_size must be a non-negative integer, got -2/ });
  t.throws(() => new nn.RNNCell(10, 20, true, 'gelu' as 'relu'), { instanceOf: RangeError, message: /Unknown nonlinearity: gelu/ });
});

test('constructors bind arguments the Python way', (t) => {
  // nn.LSTM(10, 20, hiden_size=3) -> TypeError: RNNBase.__init__() got an unexpected keyword argument 'hiden_size'. Did you mean 'hidden_size'?
  // (Python 3.13's suggestion, beside 2.6; 3.11's message beside 1.13 ends at the keyword)
  t.throws(() => new anyNn.LSTM(10, 20, { hiden_size: 3 }), {
    instanceOf: TypeError,
    message: `LSTM() got an unexpected keyword argument 'hiden_size'${PYTHON_DEFS_SUGGEST_KEYWORDS ? ". Did you mean 'hidden_size'?" : ''}`,
  });
  t.throws(() => new anyNn.GRUCell(10, 20, true, null, null, 3), { instanceOf: TypeError, message: /GRUCell\(\) takes from 2 to 5 positional arguments but 6 were given/ });
  t.throws(() => new anyNn.RNN(10, 20, 1, true, false, 0, false, 0, null, null, 'relu'), { instanceOf: TypeError });
  t.throws(() => new anyNn.LSTM(10), { instanceOf: TypeError, message: "LSTM() missing required argument 'hidden_size' (pos 2)" });
  const byKeyword = new nn.GRU({ input_size: 3, hidden_size: 4, num_layers: 2, batch_first: true });
  t.is(String(byKeyword), 'GRU(3, 4, num_layers=2, batch_first=True)');
  // 2.x's RNN takes nonlinearity as its fourth positional: there nn.RNN(3, 4, 1, False, True, 0.0, True) ->
  // ValueError: Unknown nonlinearity 'False', and nn.RNN(3, 4, 1, 'tanh', False, True, 0.0, True) is this one.
  const rnnArgs = libtorchAtLeast(2) ? [3, 4, 1, 'tanh', false, true, 0.0, true] : [3, 4, 1, false, true, 0.0, true];
  t.is(String(new anyNn.RNN(...rnnArgs)), 'RNN(3, 4, bias=False, batch_first=True, bidirectional=True)');
});

test('dropout with one layer warns as Python does, and still builds', async (t) => {
  const warnings: string[] = [];
  const listener = (w: Error) => warnings.push(w.message);
  process.on('warning', listener);
  try {
    const m = new nn.LSTM(3, 4, { dropout: 0.5 });
    t.is(String(m), 'LSTM(3, 4, dropout=0.5)');
    new nn.LSTM(3, 4, { dropout: 0.5 });
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  // Once, as Python's default warning filter shows a warning once per place.
  t.is(warnings.filter((w) => w.includes('non-zero dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1')).length, 1, warnings.join('\n'));
});

test('typed destructuring as Python: output, [h_n, c_n]', (t) => {
  const lstm = new nn.LSTM(3, 4, { batch_first: true });
  const [output, [h_n, c_n]] = lstm(torch.randn(2, 5, 3));
  t.deepEqual([...output.shape, ...h_n.shape, ...c_n.shape], [2, 5, 4, 1, 2, 4, 1, 2, 4]);
  const gru = new nn.GRU(3, 4);
  const [packedOut, h] = gru(pack_sequence([torch.randn(4, 3), torch.randn(2, 3)]));
  t.true(packedOut instanceof PackedSequence);
  t.deepEqual([...packedOut.data.shape, ...h.shape], [6, 4, 1, 2, 4]);
  const [hc, cc] = new nn.LSTMCell(3, 4)(torch.randn(3));
  t.deepEqual([...hc.shape, ...cc.shape], [4, 4]);
});

test('a parameter assigned anew is the one forward uses; double() converts every weight', (t) => {
  const rnn = new nn.RNN(2, 3, { bias: false });
  const x = torch.randn(4, 1, 2);
  rnn.weight_ih_l0 = new nn.Parameter(torch.zeros(3, 2));
  rnn.weight_hh_l0 = new nn.Parameter(torch.zeros(3, 3));
  const [out] = rnn(x);
  t.deepEqual(out.abs().sum().item(), 0);
  t.is(rnn.named_parameters()[0][1], rnn.weight_ih_l0);
  const lstm = new nn.LSTM(2, 3, 2).double();
  const [o, [h]] = lstm(x.double());
  t.is(o.dtype, torch.float64);
  t.is(h.dtype, torch.float64);
  t.deepEqual(lstm.all_weights.map((ws) => ws.length), [4, 4]);
});

test('eval turns dropout between layers off; training draws it', (t) => {
  const gru = new nn.GRU(2, 3, 2, { dropout: 0.9 });
  const x = torch.randn(4, 2, 2);
  gru.eval();
  const [a] = gru(x);
  const [b] = gru(x);
  t.true(a.equal(b));
  gru.train();
  torch.manual_seed(1);
  const [c] = gru(x);
  torch.manual_seed(2);
  const [d] = gru(x);
  t.false(c.equal(d));
});

test('an empty batch runs, as in Python', (t) => {
  const [out, h] = new nn.GRU(2, 3)(torch.randn(4, 0, 2));
  t.deepEqual([...out.shape, ...h.shape], [4, 0, 3, 1, 0, 3]);
});

test('unpad_sequence takes the lengths as a tensor or an array, and refuses others', (t) => {
  const padded = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
  const [a, b] = unpad_sequence(padded, [2, 1], { batch_first: true });
  t.deepEqual([a.tolist(), b.tolist()], [[0, 1], [4]]);
  t.throws(() => unpad_sequence(padded, torch.tensor([[2, 1]]), true), { instanceOf: RangeError, message: /^unpad_sequence\(\): 'lengths' must be 1-D/ });
  t.throws(() => unpad_sequence(padded, ['2'] as any, true), { instanceOf: TypeError, message: /^unpad_sequence\(\): argument 'lengths' must be a Tensor or an array of numbers/ });
});

test("an error from ATen's call names the module", (t) => {
  const lstm = new nn.LSTM(2, 3);
  lstm.weight_ih_l0 = new nn.Parameter(torch.zeros(12, 5));
  // (PyTorch 2's LSTM kernel does not check this weight's shape: Python 2.6 returns an output too.)
  if (!libtorchAtLeast(2)) t.throws(() => lstm(torch.randn(4, 1, 2)), { message: /^LSTM\(2, 3\): mat1 and mat2 shapes cannot be multiplied/ });
  const cell = new nn.GRUCell(2, 3);
  cell.weight_hh = new nn.Parameter(torch.zeros(9, 4));
  t.throws(() => cell(torch.randn(1, 2)), { message: /^GRUCell\(2, 3\): / });
});

test('nn.utils reaches nn.utils.rnn, as torch.nn.utils does', (t) => {
  t.is(nn.utils.rnn.PackedSequence, PackedSequence);
  t.is(nn.utils.rnn.pack_padded_sequence, pack_padded_sequence);
  t.is(nn.utils.pad_sequence, pad_sequence);
  const [a, b] = nn.utils.rnn.unpack_sequence(nn.utils.rnn.pack_sequence([torch.ones(2, 1), torch.zeros(3, 1)], { enforce_sorted: false }));
  t.deepEqual([a.tolist(), b.tolist()], [[[1], [1]], [[0], [0], [0]]]);
});
