// Python's parameter lists for nn modules, nn.functional, nn.init, optim,
// utils.data, vision and torch.load/save (issue 18, item 3): positionals in
// Python's order, keywords in the options object, unknown keywords and
// surplus positionals refused with Python's message. Expected values are
// Python's: test/fixtures/pyargs.json (1.13; torch-2.6/pyargs.json for 2.6),
// from `/usr/bin/python3 scripts/golden/pyargs.py`, or the Python line quoted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import * as F from '../lib/nn/functional';
import { DataLoader, TensorDataset, Subset, random_split, BatchSampler, SequentialSampler } from '../lib/utils/data';
import * as torchvision from '../lib/vision';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { fixture } from './_helpers';

/**
 * What CPython 3.13 (Debian 13's, beside PyTorch 2.6) adds to a Python
 * function's unknown-keyword TypeError; 3.11 (Debian 12's, beside 1.13) adds nothing.
 */
function didYouMean(parameter: string): string {
  return PYTHON_DEFS_SUGGEST_KEYWORDS ? `. Did you mean '${parameter}'?` : '';
}

// ---------------------------------------------------------------- the silent wrong answers of issue 18

test('F.max_pool2d(x, 3, 1) takes the stride positionally', (t) => {
  // F.max_pool2d(torch.arange(36.).view(1, 1, 6, 6), 3, 1).shape -> torch.Size([1, 1, 4, 4])
  const x = torch.arange(36).to(torch.float32).view(1, 1, 6, 6);
  const y = F.max_pool2d(x, 3, 1);
  t.deepEqual([...y.shape], [1, 1, 4, 4]);
  t.deepEqual(y.flatten().tolist(), [14, 15, 16, 17, 20, 21, 22, 23, 26, 27, 28, 29, 32, 33, 34, 35]);
  t.deepEqual([...F.max_pool2d(x, 3, null, 1).shape], [1, 1, 2, 2]);
});

test('new nn.Conv2d(1, 32, 3, 2) has stride 2', (t) => {
  // nn.Conv2d(1, 32, 3, 2)(torch.zeros(1, 1, 9, 9)).shape -> torch.Size([1, 32, 4, 4])
  const conv = new nn.Conv2d(1, 32, 3, 2);
  t.deepEqual(conv.stride, [2, 2]);
  t.deepEqual([...conv(torch.zeros(1, 1, 9, 9)).shape], [1, 32, 4, 4]);
});

test('new nn.MaxPool2d(2, 1) has stride 1', (t) => {
  // nn.MaxPool2d(2, 1)(torch.zeros(1, 1, 4, 4)).shape -> torch.Size([1, 1, 3, 3])
  const pool = new nn.MaxPool2d(2, 1);
  t.is(pool.stride, 1);
  t.deepEqual([...pool(torch.zeros(1, 1, 4, 4)).shape], [1, 1, 3, 3]);
});

test('new nn.Linear(3, 4, false) has no bias', (t) => {
  // nn.Linear(3, 4, False).bias -> None; [n for n, _ in m.named_parameters()] -> ['weight']
  const m = new nn.Linear(3, 4, false);
  t.is(m.bias, null);
  t.deepEqual(m.named_parameters().map(([n]) => n), ['weight']);
});

test('keywords Python takes positionally also come as keywords: Linear, Softmax', (t) => {
  // nn.Linear(in_features=3, out_features=4) -> Linear(in_features=3, out_features=4, bias=True)
  t.is(String(new nn.Linear({ in_features: 3, out_features: 4 })), 'Linear(in_features=3, out_features=4, bias=True)');
  // Python's Linear(3, out_features=4, bias=False); its type is left to the all-keywords form.
  t.is(String(new (nn.Linear as any)(3, { out_features: 4, bias: false })), 'Linear(in_features=3, out_features=4, bias=False)');
  // nn.Softmax(dim=1) -> Softmax(dim=1)
  const softmax = new nn.Softmax({ dim: 1 });
  t.is(softmax.dim, 1);
  t.is(String(softmax), 'Softmax(dim=1)');
  t.is(String(new nn.LogSoftmax({ dim: 0 })), 'LogSoftmax(dim=0)');
});

test('unknown keywords are refused: DataLoader batchsize, nll_loss reductio', (t) => {
  const ds = new TensorDataset(torch.zeros(4, 2));
  // DataLoader(ds, batchsize=2) -> TypeError: DataLoader.__init__() got an unexpected keyword argument 'batchsize'. Did you mean 'batch_size'?
  t.throws(() => new DataLoader(ds, { batchsize: 2 } as any), { instanceOf: TypeError, message: `DataLoader() got an unexpected keyword argument 'batchsize'${didYouMean('batch_size')}` });
  // F.nll_loss(x, y, reductio='sum') -> TypeError: nll_loss() got an unexpected keyword argument 'reductio'
  const x = torch.zeros(2, 3);
  const y = torch.tensor([0, 1]);
  t.throws(() => F.nll_loss(x, y, { reductio: 'sum' } as any), { instanceOf: TypeError, message: `nll_loss() got an unexpected keyword argument 'reductio'${didYouMean('reduction')}` });
  t.is(F.nll_loss(x.add(torch.tensor([[1, 2, 3], [4, 5, 6]])), y, { reduction: 'sum' }).item(), -6);
});

test("torch.load takes Python 1.13's keyword-only weights_only, and refuses unknown keywords", (t) => {
  // torch.load(f, weights_only=True) on a state dict of tensors -> the same dict (1.13 has weights_only)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyargs-'));
  const file = path.join(dir, 'sd.pt');
  torch.save({ w: torch.tensor([1.5, 2]) }, file);
  for (const weights_only of [true, false]) {
    const sd = torch.load<Record<string, Tensor>>(file, { weights_only });
    t.deepEqual(sd.w.tolist(), [1.5, 2]);
  }
  t.deepEqual(torch.load<Record<string, Tensor>>(file, 'cpu', null, { weights_only: true }).w.tolist(), [1.5, 2]);
  // torch.load(f, weights_onyl=True) -> TypeError: load() got an unexpected keyword argument 'weights_onyl' (1.13; 2.6 passes it
  // on through **pickle_load_args: Unpickler.__init__() got an unexpected keyword argument 'weights_onyl', never a suggestion)
  t.throws(() => torch.load(file, { weights_onyl: true } as any), { instanceOf: TypeError, message: "load() got an unexpected keyword argument 'weights_onyl'" });
  // weights_only is keyword-only: torch.load(f, None, None, True) -> load() takes from 1 to 3 positional arguments but 4 were given
  t.throws(() => (torch.load as any)(file, null, null, true), { instanceOf: TypeError, message: 'load() takes from 1 to 3 positional arguments but 4 were given' });
  t.throws(() => torch.load(file, { weights_only: 1 } as any), { instanceOf: TypeError, message: "load(): argument 'weights_only' must be bool, not number 1" });
  // torch.save's own parameters: torch.save(obj, f, pickle_protocol=2) is the default; other protocols are not written.
  torch.save({ w: torch.ones(1) }, file, { pickle_protocol: 2 });
  t.throws(() => torch.save({}, file, { pickle_protocol: 4 }), { instanceOf: RangeError, message: /pickle_protocol=4 is not supported yet/ });
  // torch.save({}, f, protocol=2) -> TypeError: save() got an unexpected keyword argument 'protocol' (too far from pickle_protocol to suggest)
  t.throws(() => torch.save({}, file, { protocol: 2 } as any), { instanceOf: TypeError, message: "save() got an unexpected keyword argument 'protocol'" });
  // torch.save({}, f, pickle_protocl=2) -> TypeError: save() got an unexpected keyword argument 'pickle_protocl'. Did you mean 'pickle_protocol'?
  t.throws(() => torch.save({}, file, { pickle_protocl: 2 } as any), {
    instanceOf: TypeError,
    message: `save() got an unexpected keyword argument 'pickle_protocl'${didYouMean('pickle_protocol')}`,
  });
  fs.rmSync(dir, { recursive: true });
});

// ---------------------------------------------------------------- every module and F function against Python

type Encoded = number | boolean | string | null | { t: number[]; dtype: 'float' | 'long' } | Encoded[];
interface ModuleCase { name: string; args: Encoded[]; repr: string; attrs: Record<string, unknown>; full: Encoded[]; surplus: string; unknown: string }
interface FunctionCase { name: string; full: Encoded[]; surplus: string; unknown: string }
const golden = fixture<{ modules: ModuleCase[]; functions: FunctionCase[] }>('pyargs.json');

function build(v: Encoded): unknown {
  if (Array.isArray(v)) return v.map(build);
  if (v !== null && typeof v === 'object') return torch.zeros(v.t, { dtype: v.dtype === 'long' ? torch.int64 : torch.float32 });
  return v;
}

/**
 * Python's message for a method, as the binder words it for the call the
 * user made: `Linear.__init__() takes from 3 to 6 positional arguments but
 * 7 were given` counts self and names the class that defines __init__
 * (_MaxPoolNd for MaxPool2d); here it is `Linear() takes from 2 to 5
 * positional arguments but 6 were given`. A boolean_dispatch function names
 * its private half (`_max_pool2d()`), here the public name.
 */
function pythonMessageFor(name: string, message: string, isMethod: boolean): string {
  const m = /^([\w.]+)\(\) (.*)$/.exec(message);
  if (!m) return message;
  // A builtin exported under another name (F.logsigmoid is torch._C._nn.log_sigmoid) keeps Python's own name.
  if (!isMethod && m[1] !== `_${name}` && !m[1].includes('.')) return message;
  let rest = m[2];
  // RNN, LSTM and GRU pass their mode on to RNNBase.__init__, whose count Python reports; ours counts what the user gave.
  const passesMode = isMethod && m[1] === 'RNNBase.__init__' && name !== 'RNNBase';
  if (isMethod) {
    rest = rest.replace(/^takes (?:from (\d+) to )?(\d+) positional arguments? but (\d+) (?:was|were) given$/, (_all, from, to, given) => {
      const skip = passesMode ? 2 : 1;
      // 2.x's RNN takes its fourth positional (nonlinearity) out of what it passes on with the mode:
      // one fewer than the user gave (and could give) is counted, the required ones as they are.
      const taken = passesMode && name === 'RNN' && libtorchAtLeast(2) ? 1 : skip;
      const max = Number(to) - taken;
      const range = from === undefined ? `${max}` : `from ${Number(from) - skip} to ${max}`;
      const n = Number(given) - taken;
      return `takes ${range} positional argument${max === 1 ? '' : 's'} but ${n} ${n === 1 ? 'was' : 'were'} given`;
    });
  }
  return `${name}() ${rest}`;
}

const moduleNames = new Set(golden.modules.map((c) => c.name));

test('the table covers every public nn module that takes arguments, and every F function', (t) => {
  // Identity takes and ignores anything, as Python's; the containers take modules, not keywords.
  const exempt = new Set(['Module', 'Identity', 'Sequential', 'ModuleList', 'ModuleDict', 'Parameter', 'TransformerEncoder', 'TransformerDecoder']);
  const classes = Object.entries(nn).filter(([k, v]) => typeof v === 'function' && /^[A-Z]/.test(k) && !exempt.has(k)).map(([k]) => k);
  t.deepEqual(classes.filter((k) => !moduleNames.has(k)), []);
  const functions = new Set(golden.functions.map((c) => c.name));
  const exported = Object.entries(F).filter(([k, v]) => typeof v === 'function' && !k.startsWith('_') && k !== 'reductionEnum').map(([k]) => k);
  t.deepEqual(exported.filter((k) => !functions.has(k)), []);
});

for (const c of golden.modules) {
  const ctor = (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[c.name];

  test(`nn.${c.name}(${JSON.stringify(c.args).slice(1, -1)}) prints and binds as Python's`, (t) => {
    const built = new ctor(...(build(c.args) as unknown[]));
    t.is(String(built), c.repr);
    for (const [key, want] of Object.entries(c.attrs)) t.deepEqual((built as any)[key], want, key);
  });

  test(`nn.${c.name}(${JSON.stringify(c.args).slice(1, -1)}): a surplus positional and an unknown keyword are Python's TypeErrors`, (t) => {
    t.throws(() => new ctor(...(build([...c.full, 0]) as unknown[])), { instanceOf: TypeError, message: pythonMessageFor(c.name, c.surplus, true) });
    t.throws(() => new ctor(...(build(c.full) as unknown[]), { bogus: 1 }), { instanceOf: TypeError, message: pythonMessageFor(c.name, c.unknown, true) });
  });
}

for (const c of golden.functions) {
  const fn = (F as unknown as Record<string, (...a: unknown[]) => unknown>)[c.name];

  test(`F.${c.name}: every positional binds; a surplus one and an unknown keyword are Python's TypeErrors`, (t) => {
    t.notThrows(() => fn(...(build(c.full) as unknown[])));
    const surplus = () => fn(...(build([...c.full, 0]) as unknown[]));
    const unknown = () => fn(...(build(c.full) as unknown[]), { bogus: 1 });
    if (/received an invalid combination of arguments/.test(c.surplus)) {
      // conv1d/2d/3d have two overloads (padding as ints or as a string), as in Python: the message lists them.
      t.throws(surplus, { instanceOf: TypeError, message: new RegExp(`^${c.name}\\(\\) received an invalid combination of arguments - got \\(Tensor, Tensor, null, int, int, int, int, int\\), but expected one of:\n`) });
      // The binder names a keyword that no overload knows, rather than listing the overloads.
      t.throws(unknown, { instanceOf: TypeError, message: `${c.name}() got an unexpected keyword argument 'bogus'` });
      return;
    }
    t.throws(surplus, { instanceOf: TypeError, message: pythonMessageFor(c.name, c.surplus, false) });
    t.throws(unknown, { instanceOf: TypeError, message: pythonMessageFor(c.name, c.unknown, false) });
  });
}

// ---------------------------------------------------------------- values checked as Python checks them

test("values are checked as Python checks them, with Python's words", (t) => {
  // nn.Conv2d(1, 2, 3, padding='full') -> ValueError: Invalid padding string 'full', should be one of {'valid', 'same'}
  t.throws(() => new nn.Conv2d(1, 2, 3, { padding: 'full' as any }), { instanceOf: RangeError, message: "Invalid padding string 'full', should be one of {'valid', 'same'}" });
  // nn.Conv2d(1, 2, 3, 2, 'same') -> ValueError: padding='same' is not supported for strided convolutions
  t.throws(() => new nn.Conv2d(1, 2, 3, 2, 'same'), { message: "padding='same' is not supported for strided convolutions" });
  t.throws(() => new nn.Conv2d(1, 2, 3, { padding_mode: 'mirror' as any }), { message: /padding_mode must be one of \{'zeros', 'reflect', 'replicate', 'circular'\}, but got padding_mode='mirror'/ });
  // nn.MSELoss(reduction='avg')(x, x) -> ValueError: avg is not a valid value for reduction
  t.throws(() => F.mse_loss(torch.zeros(2), torch.zeros(2), { reduction: 'avg' as any }), { message: 'avg is not a valid value for reduction' });
  // nn.Dropout(1.5) -> ValueError: dropout probability has to be between 0 and 1, but got 1.5
  t.throws(() => new nn.Dropout(1.5), { instanceOf: RangeError, message: 'dropout probability has to be between 0 and 1, but got 1.5' });
  t.throws(() => F.dropout(torch.zeros(2), -0.5), { instanceOf: RangeError, message: 'dropout probability has to be between 0 and 1, but got -0.5' });
  // nn.MaxPool2d((2, 2, 2)): a kernel of the wrong length is refused by the binder here (Python fails in forward).
  t.throws(() => new nn.MaxPool2d([2, 2, 2]), { instanceOf: TypeError, message: "MaxPool2d(): argument 'kernel_size' must be int or a list of 2 ints, not an array [2, 2, 2]" });
  t.throws(() => new nn.Linear(3, 4, 'no' as any), { instanceOf: TypeError, message: "Linear(): argument 'bias' (position 3) must be bool, not string 'no'" });
  t.throws(() => new nn.Softmax(1, { dim: 0 } as any), { instanceOf: TypeError, message: "Softmax() got multiple values for argument 'dim'" });
});

test("the deprecated size_average and reduce still decide the reduction, with Python's warning", async (t) => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    // nn.MSELoss(size_average=False).reduction -> 'sum'; nn.L1Loss(None, False).reduction -> 'none'
    t.is(new nn.MSELoss(false).reduction, 'sum');
    t.is(new nn.L1Loss(null, false).reduction, 'none');
    // F.mse_loss(torch.ones(2), torch.zeros(2), size_average=False) -> tensor(2.)
    t.is(F.mse_loss(torch.ones(2), torch.zeros(2), { size_average: false }).item(), 2);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  t.true(warnings.some((w) => w.message === "size_average and reduce args will be deprecated, please use reduction='sum' instead."));
});

test('Linear, Conv2d and BatchNorm1d take factory_kwargs (device, dtype) as Python does', (t) => {
  // nn.Linear(2, 3, dtype=torch.float64).weight.dtype -> torch.float64
  t.is(new nn.Linear(2, 3, { dtype: torch.float64 }).weight.dtype, torch.float64);
  t.is(new nn.Linear(2, 3, true, 'cpu', torch.float64).bias!.dtype, torch.float64);
  t.is(new nn.Conv2d(1, 2, 3, { dtype: torch.float64 }).weight.dtype, torch.float64);
  const bn = new nn.BatchNorm1d(3, { dtype: torch.float64 });
  t.is(bn.running_mean!.dtype, torch.float64);
  t.is(bn.num_batches_tracked!.dtype, torch.int64);
});

test('nn.init and Parameter bind as Python', (t) => {
  // nn.init.kaiming_uniform_(w, math.sqrt(5)) == nn.init.kaiming_uniform_(w, a=math.sqrt(5)) for the same seed
  const w = torch.empty(4, 3);
  torch.manual_seed(3);
  const positional = nn.init.kaiming_uniform_(w, Math.sqrt(5)).clone();
  torch.manual_seed(3);
  t.deepEqual(nn.init.kaiming_uniform_(w, { a: Math.sqrt(5) }).tolist(), positional.tolist());
  t.deepEqual(nn.init.constant_({ tensor: torch.empty(2), val: 3 }).tolist(), [3, 3]);
  t.throws(() => nn.init.uniform_(w, 0, 1, 2 as any), { message: 'uniform_() takes from 1 to 3 positional arguments but 4 were given' });
  t.throws(() => nn.init.normal_(w, { sd: 1 } as any), { message: `normal_() got an unexpected keyword argument 'sd'${didYouMean('std')}` });
  // nn.Parameter() -> Parameter containing: tensor([], requires_grad=True); nn.Parameter(t, False).requires_grad -> False
  t.deepEqual([...new nn.Parameter().shape], [0]);
  t.false(new nn.Parameter(torch.ones(1), false).requires_grad);
  t.false(new nn.Parameter(torch.ones(1), { requires_grad: false }).requires_grad);
});

test('F.max_pool*, F.adaptive_max_pool* and the MaxPool modules return [values, indices] only with return_indices', (t) => {
  const x = torch.arange(16).to(torch.float32).view(1, 1, 4, 4);
  const plain = F.max_pool2d(x, 2);
  t.false(Array.isArray(plain));
  const [values, indices] = F.max_pool2d(x, 2, { return_indices: true });
  t.deepEqual(values.flatten().tolist(), [5, 7, 13, 15]);
  t.deepEqual(indices.flatten().tolist(), [5, 7, 13, 15]);
  // Positionally, as Python's boolean_dispatch reads it: F.max_pool2d(x, 2, None, 0, 1, False, True)
  t.true(Array.isArray(F.max_pool2d(x, 2, null, 0, 1, false, true)));
  t.true(Array.isArray(F.max_pool2d_with_indices(x, 2)));
  t.deepEqual([...F.max_pool1d(x.view(1, 1, 16), 4).shape], [1, 1, 4]);
  t.deepEqual([...F.max_pool3d(x.view(1, 1, 1, 4, 4), [1, 2, 2]).shape], [1, 1, 1, 2, 2]);
  // F.adaptive_max_pool2d(x, (None, 2)).shape -> torch.Size([1, 1, 4, 2])
  t.deepEqual([...F.adaptive_max_pool2d(x, [null, 2]).shape], [1, 1, 4, 2]);
  const [a, ai] = F.adaptive_max_pool2d(x, 2, true);
  t.deepEqual([a.flatten().tolist(), ai.flatten().tolist()], [[5, 7, 13, 15], [5, 7, 13, 15]]);
  const [m, mi] = new nn.MaxPool2d(2, { return_indices: true })(x);
  t.deepEqual(mi.flatten().tolist(), [5, 7, 13, 15]);
  t.deepEqual(m.flatten().tolist(), [5, 7, 13, 15]);
  t.false(Array.isArray(new nn.AdaptiveMaxPool1d(2)(x.view(1, 1, 16))));
  t.true(Array.isArray(new nn.AdaptiveMaxPool3d(1, true)(x.view(1, 1, 1, 4, 4))));
});

// ---------------------------------------------------------------- optim

test("optimizers and schedulers take Python's positionals, and a param group only the optimizer's keys", (t) => {
  const p = new nn.Parameter(torch.ones(2));
  // optim.SGD([p], 0.1, 0.9).defaults['momentum'] -> 0.9
  t.is(new optim.SGD([p], 0.1, 0.9).defaults.momentum, 0.9);
  t.deepEqual(new optim.Adam([p], 0.01, [0.8, 0.9]).param_groups[0].betas, [0.8, 0.9]);
  t.is(new optim.AdamW([p], { lr: 0.5, foreach: true }).param_groups[0].foreach, true);
  // optim.SGD([p], 0.1, 0.9, 0, 0, False, True) -> TypeError: SGD.__init__() takes from 2 to 7 positional arguments but 8 were given
  t.throws(() => new (optim.SGD as any)([p], 0.1, 0.9, 0, 0, false, true), { message: 'SGD() takes from 1 to 6 positional arguments but 7 were given' });
  // A misspelt key in a param group: Python keeps it and trains with the default lr; here it is an error,
  // which suggests as SGD(lrr=0.5) does in Python 3.13: SGD.__init__() got ... 'lrr'. Did you mean 'lr'?
  t.throws(() => new optim.SGD([{ params: [p], lrr: 0.5 }], { lr: 0.1 }), { instanceOf: TypeError, message: `add_param_group() got an unexpected keyword argument 'lrr'${didYouMean('lr')}` });
  t.throws(() => new optim.Adam([{ params: [p], betas: 0.9 }]), { instanceOf: TypeError, message: "add_param_group(): argument 'betas' must be list of floats, not number 0.9" });
  const groups = new optim.SGD([{ params: [p], lr: 0.5, momentum: 0.9 }], { lr: 0.1 }).param_groups;
  t.is(groups[0].lr, 0.5);
  t.is(groups[0].momentum, 0.9);
  t.throws(() => new optim.Adam([p], { fused: true }), { instanceOf: RangeError, message: /Adam: fused=True is not supported yet/ });
  // lr_scheduler.StepLR(opt, 2, 0.5).gamma -> 0.5
  const opt = new optim.SGD([p], 1);
  const sched = new optim.lr_scheduler.StepLR(opt, 2, 0.5);
  t.is(sched.step_size, 2);
  t.is(sched.gamma, 0.5);
  t.is(new optim.lr_scheduler.CosineAnnealingLR(new optim.SGD([new nn.Parameter(torch.ones(1))], 1), 10, { eta_min: 0.1 }).eta_min, 0.1);
  opt.zero_grad(false);
  t.throws(() => opt.zero_grad(1 as any), { message: "zero_grad(): argument 'set_to_none' (position 1) must be bool, not number 1" });
});

(libtorchAtLeast(2, 14) ? test.skip : test)(`a verbose scheduler prints Python's line for each update (1.13; 2.x deprecates verbose and prints nothing)${libtorchAtLeast(2, 14) ? ' [before PyTorch 2.14 only: 2.14 has no verbose]' : ''}`, (t) => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    const opt = new optim.SGD([new nn.Parameter(torch.ones(1))], 0.001);
    const sched = new optim.lr_scheduler.StepLR(opt, 1, 0.5, -1, true);
    sched.step();
  } finally {
    console.log = log;
  }
  // StepLR(SGD([p], lr=0.001), 1, 0.5, verbose=True); sched.step() prints these two lines in 1.13, none in 2.6
  // (which warns "The verbose parameter is deprecated" instead).
  const printed = libtorchAtLeast(2) ? [] : ['Adjusting learning rate of group 0 to 1.0000e-03.', 'Adjusting learning rate of group 0 to 5.0000e-04.'];
  t.deepEqual(lines, printed);
});

// ---------------------------------------------------------------- utils.data, vision

test("DataLoader, samplers and dataset helpers take Python's positionals", (t) => {
  const ds = new TensorDataset(torch.arange(5));
  // DataLoader(ds, 2, False, None, None, 0, None, False, True) -> 2 batches
  t.is(new DataLoader(ds, 2, false, null, null, 0, null, false, true).length, 2);
  t.is(new DataLoader({ dataset: ds, batch_size: 4 }).length, 2);
  t.is(new DataLoader(ds, 2, { drop_last: true }).length, 2);
  // A duck-typed dataset (a plain object) first is the dataset, not the keywords.
  const plain = { getitem: (i: number) => i, length: 3 };
  t.is(new DataLoader(plain as any, { batch_size: 3 }).length, 1);
  // DataLoader(ds, prefetch_factor=4) -> ValueError: prefetch_factor option could only be specified in multiprocessing...
  t.throws(() => new DataLoader(ds, { prefetch_factor: 4 }), { instanceOf: RangeError, message: /^prefetch_factor option could only be specified in multiprocessing/ });
  t.throws(() => new DataLoader(ds, { persistent_workers: true }), { message: 'persistent_workers option needs num_workers > 0' });
  t.throws(() => new DataLoader(ds, { timeout: -1 }), { message: 'timeout option should be non-negative' });
  t.throws(() => new DataLoader(ds, { batch_size: null, drop_last: true }), { message: 'batch_size=None option disables auto-batching and is mutually exclusive with drop_last' });
  t.throws(() => new (DataLoader as any)(ds, 1, false, null, null, 0, null, false, false, 0, null, null, null, 2), {
    message: 'DataLoader() takes from 1 to 13 positional arguments but 14 were given',
  });
  t.throws(() => new DataLoader(ds, { collate_fn: 3 as any }), { instanceOf: TypeError, message: "DataLoader(): argument 'collate_fn' must be a function or null, not number 3" });
  t.deepEqual([...new BatchSampler(new SequentialSampler(ds), 2, false)], [[0, 1], [2, 3], [4]]);
  t.deepEqual([...new BatchSampler(new SequentialSampler({ length: 3 }), { batch_size: 2, drop_last: true })], [[0, 1]]);
  t.is(new Subset(ds, { indices: [1, 2] }).length, 2);
  torch.manual_seed(0);
  const [a, b] = random_split(ds, [3, 2], { generator: null });
  t.deepEqual([a.length, b.length], [3, 2]);
  // random_split(ds, [3, 2], generatr=None) -> TypeError: random_split() got an unexpected keyword argument 'generatr'. Did you mean 'generator'?
  t.throws(() => random_split(ds, [3, 2], { generatr: null } as any), { message: `random_split() got an unexpected keyword argument 'generatr'${didYouMean('generator')}` });
});

test('transforms and MNIST datasets take positionals and keywords as torchvision does', (t) => {
  const { Normalize, Lambda, Compose, ToTensor } = torchvision.transforms;
  t.is(String(new Normalize([0.5], [0.25], true)), 'Normalize(mean=(0.5,), std=(0.25,))');
  t.true(new Normalize({ mean: [0.5], std: [0.25], inplace: true }).inplace);
  t.throws(() => new Normalize([0.5], 0.25 as any), { message: "Normalize(): argument 'std' (position 2) must be list of floats, not number 0.25" });
  t.throws(() => new (ToTensor as any)(1), { message: 'ToTensor() takes 0 positional arguments but 1 was given' });
  t.is(new Compose([new Lambda((x: number) => x + 1), new Lambda((x: number) => x * 2)])(1), 4);
  // FashionMNIST('/nonexistent', False): root positionally; the error is the missing files, not the arguments
  t.throws(() => new torchvision.datasets.FashionMNIST('/nonexistent', false), { message: /FashionMNIST not found/ });
  // FashionMNIST('/nonexistent', trian=False) -> TypeError: MNIST.__init__() got an unexpected keyword argument 'trian'. Did you mean 'train'?
  t.throws(() => new torchvision.datasets.FashionMNIST('/nonexistent', { trian: false } as any), { message: `FashionMNIST() got an unexpected keyword argument 'trian'${didYouMean('train')}` });
  t.throws(() => new torchvision.datasets.MNIST({ root: '/nonexistent', transform: 3 } as any), { message: "MNIST(): argument 'transform' must be callable or null, not number" });
});
