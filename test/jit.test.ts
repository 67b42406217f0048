// torch.jit against Python (scripts/golden/jit.py): TorchScript modules
// scripted in Python run in torchts with Python's outputs, train, move, and
// round-trip through jit.save back into Python.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import torch, { nn, optim } from '../lib';
import { native } from '../lib/native';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
import { assertTensorMatches, decodeTensor, fixture, PYTHON } from './_helpers';

const dir = path.join(__dirname, 'fixtures', 'jit');
const golden = fixture<any>('jit.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-jit-'));

test("a scripted MLP and a small CNN from Python give Python's outputs", (t) => {
  for (const name of ['mlp', 'cnn']) {
    const m = torch.jit.load(path.join(dir, `${name}.pt`));
    t.true(m instanceof nn.Module);
    assertTensorMatches(t, m(decodeTensor(golden[name].input)), golden[name].output, name);
    t.deepEqual(m.named_parameters().map(([n, p]) => [n, [...p.shape]]), golden[name].parameters);
  }
});

test('state_dict, buffers and parameters of a ScriptModule are named as in Python', (t) => {
  const cnn = torch.jit.load(path.join(dir, 'cnn.pt'));
  t.deepEqual(Object.keys(cnn.state_dict()), golden.cnn.state_dict_keys);
  t.deepEqual(cnn.named_buffers().map(([n]) => n), golden.cnn.buffers);
  t.true(cnn.parameters().every((p) => p instanceof nn.Parameter && p.requires_grad));
  t.is(cnn.parameters()[0], cnn.parameters()[0]);
  t.false(cnn.training);
  cnn.train();
  t.true(cnn.training);
  cnn.eval();
  t.false(cnn.training);
});

test('methods with several inputs and outputs; whole numbers for float arguments', (t) => {
  const m = torch.jit.load(path.join(dir, 'two_outputs.pt'));
  const [y0, y1] = m(decodeTensor(golden.two_outputs.input), golden.two_outputs.scale);
  assertTensorMatches(t, y0, golden.two_outputs.outputs[0], 'y0');
  assertTensorMatches(t, y1, golden.two_outputs.outputs[1], 'y1');
  const [z0] = m(decodeTensor(golden.two_outputs.input), 2);
  t.deepEqual([...z0.shape], [4, 2]);
});

test('a ScriptModule trains: gradients reach its parameters and an optimizer step changes its output', (t) => {
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  const x = decodeTensor(golden.mlp.input);
  const before = m(x).detach();
  const opt = new optim.SGD(m.parameters(), { lr: 0.5 });
  m(x).pow(2).sum().backward();
  t.true(m.parameters().every((p) => p.grad !== null));
  opt.step();
  t.false(m(x).equal(before));
});

test('to(float64) converts a ScriptModule', (t) => {
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  m.to(torch.float64);
  t.is(m.parameters()[0].dtype, torch.float64);
  t.is(m(decodeTensor(golden.mlp.input).double()).dtype, torch.float64);
});

test('jit.save round-trips, and Python runs what torchts saved', (t) => {
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  const file = path.join(tmp, 'mlp_again.pt');
  torch.jit.save(m, file);
  const x = decodeTensor(golden.mlp.input);
  assertTensorMatches(t, torch.jit.load(file)(x), golden.mlp.output, 'reloaded in torchts');
  const script = path.join(__dirname, '..', 'scripts', 'golden', 'jit.py');
  const out = JSON.parse(execFileSync(PYTHON, [script, 'check', file, JSON.stringify(x.tolist())], { encoding: 'utf8' }));
  assertTensorMatches(t, m(x), out, 'run by Python');
});

test('bad TorchScript input is a clear error and the process lives', (t) => {
  t.regex(t.throws(() => torch.jit.load(path.join(tmp, 'missing.pt')))!.message, /torch\.jit\.load: no such file: .*missing\.pt/);
  const truncated = path.join(tmp, 'truncated.pt');
  fs.writeFileSync(truncated, fs.readFileSync(path.join(dir, 'mlp.pt')).subarray(0, 500));
  t.regex(t.throws(() => torch.jit.load(truncated))!.message, /cannot load .*truncated\.pt: .*zip archive/);
  const flipped = path.join(tmp, 'flipped.pt');
  const bytes = Buffer.from(fs.readFileSync(path.join(dir, 'mlp.pt')));
  const weight = torch.jit.load(path.join(dir, 'mlp.pt')).parameters()[0];
  bytes[bytes.indexOf(Buffer.from((weight.detach().toTypedArray() as Float32Array).buffer).subarray(0, 8)) + 2] ^= 0x01;
  fs.writeFileSync(flipped, bytes);
  t.regex(t.throws(() => torch.jit.load(flipped))!.message, /torch\.jit\.load: .*flipped\.pt: record .* is corrupt/);
  const stateDict = path.join(__dirname, 'fixtures', 'serialization', 'mlp_state_dict.pt');
  t.regex(t.throws(() => torch.jit.load(stateDict))!.message, /cannot load .*mlp_state_dict\.pt/);
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  t.regex(t.throws(() => m('not a tensor'))!.message, /Expected a value of type 'Tensor' for argument 'input' but instead found type 'str'/);
  t.regex(t.throws(() => m())!.message, /forward\(\) is missing value for argument 'input'/);
  t.regex(t.throws(() => m(torch.ones(2, 5)))!.message, /mat1 and mat2 shapes cannot be multiplied \(2x5 and 16x8\)/);
  t.regex(t.throws(() => m.run_method('nope'))!.message, /has no method 'nope'/);
  t.regex(t.throws(() => m((() => 1) as any))!.message, /cannot pass a function to a TorchScript method/);
  t.regex(t.throws(() => torch.jit.save(new nn.Linear(1, 1) as any, path.join(tmp, 'x.pt')))!.message, /only a ScriptModule/);
});

/** A copy of mlp.pt with some records replaced; the zip writer gives every record a valid CRC. */
function forgedArchive(name: string, replace: Record<string, Uint8Array | ((b: Uint8Array) => Uint8Array)>): string {
  const records = native.zipReadAll(path.join(dir, 'mlp.pt')).filter(([n]) => n !== 'version');
  const file = path.join(tmp, name);
  native.zipWrite(file, records.map(([n, b]) => {
    const r = replace[n];
    return [n, r === undefined ? new Uint8Array(b) : typeof r === 'function' ? r(new Uint8Array(b)) : r];
  }));
  return file;
}

test("forged pickles in a TorchScript archive are refused by torchts's reader, naming the record, before libtorch sees them", (t) => {
  const bytes = (...b: number[]) => new Uint8Array(b);
  // REDUCE on an empty stack: libtorch's unpickler (and Python 1.13's torch.jit.load) crash on it.
  const underflow = forgedArchive('underflow.pt', { 'data.pkl': bytes(0x80, 2, 0x52, 0x2e) });
  t.regex(t.throws(() => torch.jit.load(underflow))!.message, /torch\.jit\.load: .*underflow\.pt: record data\.pkl: malformed pickle: stack underflow at byte 3/);
  const notCallable = forgedArchive('not-callable.pt', { 'data.pkl': bytes(0x80, 2, 0x4b, 1, 0x29, 0x52, 0x2e) });
  t.regex(t.throws(() => torch.jit.load(notCallable))!.message, /not-callable\.pt: record data\.pkl: malformed pickle: REDUCE of a number, which is not callable, at byte 5/);
  const noStop = forgedArchive('no-stop.pt', { 'constants.pkl': bytes(0x80, 2, 0x29) });
  t.regex(t.throws(() => torch.jit.load(noStop))!.message, /no-stop\.pt: record constants\.pkl: truncated pickle/);
  const openMark = forgedArchive('open-mark.pt', { 'constants.pkl': bytes(0x80, 2, 0x29, 0x28, 0x2e) });
  t.regex(t.throws(() => torch.jit.load(openMark))!.message, /open-mark\.pt: record constants\.pkl: malformed pickle: STOP at byte 4 with 1 values on the stack and 1 open MARKs/);
  const evil = forgedArchive('evil.pt', { 'data.pkl': new Uint8Array([0x80, 2, ...Buffer.from('cos\nsystem\n'), 0x29, 0x52, 0x2e]) });
  t.regex(t.throws(() => torch.jit.load(evil))!.message, /evil\.pt: record data\.pkl: it names 'os\.system', which is not a global TorchScript archives use/);
  const debugInfo = 'code/__torch__/torch/nn/modules/linear.py.debug_pkl';
  const badDebug = forgedArchive('bad-debug.pt', { [debugInfo]: bytes(0x80, 2, 0x65, 0x2e) });
  t.regex(t.throws(() => torch.jit.load(badDebug))!.message, /bad-debug\.pt: record code\/__torch__\/torch\/nn\/modules\/linear\.py\.debug_pkl: malformed pickle: no MARK/);
  // Persistent ids: a storage record that is missing, or shorter than the storage the pickle declares.
  const renamed = forgedArchive('missing-storage.pt', {
    'data.pkl': (b) => {
      const c = Buffer.from(b);
      c[c.indexOf(Buffer.from([0x58, 1, 0, 0, 0, 0x30])) + 5] = 0x39;
      return c;
    },
  });
  t.regex(t.throws(() => torch.jit.load(renamed))!.message, /missing-storage\.pt: record data\.pkl: storage record data\/9 is missing/);
  const short = forgedArchive('short-storage.pt', { 'data/0': new Uint8Array(256) });
  t.regex(t.throws(() => torch.jit.load(short))!.message, /short-storage\.pt: record data\.pkl: storage record data\/0 has 256 bytes, but 128 elements of torch\.FloatStorage need 512/);
  // The process lives on and loads real archives.
  t.true(torch.jit.load(path.join(dir, 'mlp.pt')) instanceof nn.Module);
});

test('TorchScript archives of every kind Python writes pass the check: typed containers, enums, scripted classes with __getstate__, traced constants, quantized modules', (t) => {
  const script = `
import enum, sys, torch
from typing import Dict, List, Optional, Tuple
class Color(enum.Enum):
    RED = 1
@torch.jit.script
class Counter:
    def __init__(self, n: int):
        self.n = n
    def __getstate__(self) -> Tuple[int, int]:
        return (self.n, 7)
    def __setstate__(self, s: Tuple[int, int]):
        self.n = s[0]
class Rich(torch.nn.Module):
    table: Dict[str, torch.Tensor]
    nested: Dict[int, List[str]]
    opt: Optional[torch.Tensor]
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 2)
        self.table = {'a': torch.ones(2), 'b': torch.zeros(3, dtype=torch.int64)}
        self.ints: List[int] = [1, 2, 3]
        self.floats: List[float] = [1.5]
        self.flags: List[bool] = [True]
        self.tensors: List[torch.Tensor] = [torch.arange(4.0)]
        self.pair: Tuple[int, str] = (3, 'x')
        self.opt = None
        self.nested = {1: ['a'], 2: []}
        self.big = 2**40
        self.c = complex(1, 2)
        self.half = torch.ones(2, dtype=torch.float16)
        self.color = Color.RED
        self.counter = Counter(5)
        self.register_buffer('view', torch.arange(10.0)[2:8:2])
    def forward(self, x):
        y = self.lin(x) + torch.tensor([1.0, 2.0]) * 0.5 + self.counter.n
        if self.color == Color.RED:
            y = y + 1
        return y + self.table['a']
out = sys.argv[1]
torch.jit.script(Rich()).save(out + '/rich.pt')
torch.jit.trace(torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2)), torch.randn(1, 1, 5, 5)).save(out + '/traced.pt')
q = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(torch.nn.Linear(4, 4)), {torch.nn.Linear}, dtype=torch.qint8)
torch.jit.script(q).save(out + '/quantized.pt')
`;
  const out = fs.mkdtempSync(path.join(tmp, 'kinds-'));
  // From a file: TorchScript reads a scripted class's source through inspect, which `python3 -c` cannot give it.
  fs.writeFileSync(path.join(out, 'make.py'), script);
  execFileSync(PYTHON, [path.join(out, 'make.py'), out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const rich = torch.jit.load(path.join(out, 'rich.pt'));
  t.deepEqual([...rich(torch.zeros(1, 3)).shape], [1, 2]);
  t.deepEqual([...torch.jit.load(path.join(out, 'traced.pt'))(torch.zeros(1, 1, 5, 5)).shape], [1, 2, 3, 3]);
  t.deepEqual([...torch.jit.load(path.join(out, 'quantized.pt'))(torch.zeros(2, 4)).shape], [2, 4]);
});

test('torch.jit.load takes map_location as a device or a device string only, as Python does', (t) => {
  const mlp = path.join(dir, 'mlp.pt');
  t.regex(t.throws(() => torch.jit.load(mlp, { map_location: { 'cuda:0': 'cpu' } as any }))!.message, /torch\.jit\.load: map_location should be null, a device string or a torch\.device, got an object/);
  t.regex(t.throws(() => torch.jit.load(mlp, { map_location: 5 as any }))!.message, /map_location should be null, a device string or a torch\.device, got a number/);
  t.is(String(torch.jit.load(mlp, { map_location: new torch.device('cpu') }).parameters()[0].device), 'cpu');
});

test('torch.jit.load and save refuse an unknown keyword as the Python defs they are', (t) => {
  const mlp = path.join(dir, 'mlp.pt');
  // torch.jit.load(f, map_locaton='cpu') -> TypeError: load() got an unexpected keyword argument 'map_locaton'. Did you mean 'map_location'?
  // (the suggestion is Python 3.13's, beside 2.6; 3.11's message beside 1.13 ends at the keyword)
  const didYouMean = (name: string) => (PYTHON_DEFS_SUGGEST_KEYWORDS ? `. Did you mean '${name}'?` : '');
  t.throws(() => torch.jit.load(mlp, { map_locaton: 'cpu' } as any), { instanceOf: TypeError, message: `load() got an unexpected keyword argument 'map_locaton'${didYouMean('map_location')}` });
  // torch.jit.save(m, f, extra_files={}) -> TypeError: save() got an unexpected keyword argument 'extra_files'. Did you mean '_extra_files'?
  const m = torch.jit.load(mlp);
  t.throws(() => torch.jit.save(m, path.join(dir, 'unused.pt'), { extra_files: {} } as any), {
    instanceOf: TypeError,
    message: `save() got an unexpected keyword argument 'extra_files'${didYouMean('_extra_files')}`,
  });
});

test('forward_async runs on the thread pool and gives what forward gives, side by side, with grad or without', async (t) => {
  const m = torch.jit.load(path.join(dir, 'cnn.pt'));
  m.eval();
  const x = decodeTensor(golden.cnn.input);
  const expected = m(x);
  // Several side by side (eval mode), each equal to the synchronous forward.
  const outs = await Promise.all([1, 2, 3, 4].map(() => m.forward_async(x)));
  for (const y of outs) t.true(torch.equal(y, expected));
  // Under no_grad the result has no graph; with grad, backward reaches the parameters.
  // The grad mode is the caller's at the call (no_grad(fn) refuses an async fn: it cannot hold across an await).
  torch.set_grad_enabled(false);
  const pending = m.forward_async(x);
  torch.set_grad_enabled(true);
  t.false((await pending).requires_grad);
  m.train();
  const y = await m.forward_async(x);
  t.true(y.requires_grad);
  y.sum().backward();
  t.true(m.parameters().every((p) => p.grad !== null));
  // Several inputs and outputs, through run_method_async.
  const two = torch.jit.load(path.join(dir, 'two_outputs.pt'));
  const [y0, y1] = await two.run_method_async('forward', decodeTensor(golden.two_outputs.input), golden.two_outputs.scale);
  assertTensorMatches(t, y0, golden.two_outputs.outputs[0], 'y0');
  assertTensorMatches(t, y1, golden.two_outputs.outputs[1], 'y1');
});

test("what forward_async reads is refused to this thread until it settles; its errors reject the promise", async (t) => {
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  const x = decodeTensor(golden.mlp.input);
  const view = x.view(-1);
  const weight = m.parameters()[0];
  const pending = m.forward_async(x);
  t.throws(() => x.add_(1), { message: /is in use by an asynchronous call in flight .*await it before using this tensor/ });
  t.throws(() => view.mul(2), { message: /is in use by an asynchronous call in flight/ });
  t.throws(() => weight.tolist(), { message: /is in use by an asynchronous call in flight/ });
  t.throws(() => m(x), { message: /this TorchScript module is in use by 1 forward_async call\(s\) in flight/ });
  // Training mode: one call at a time.
  t.throws(() => m.forward_async(x), { message: /in training mode, where a forward may update its buffers, and a forward_async call is already in flight/ });
  const y = await pending;
  assertTensorMatches(t, y, golden.mlp.output, 'forward_async');
  t.deepEqual(x.add(0).shape, x.shape);
  t.notThrows(() => weight.tolist());
  // A wrong input is the promise's rejection, and the module is free again after.
  await t.throwsAsync(() => m.forward_async(torch.ones(3, 5)), { message: /mat1 and mat2 shapes cannot be multiplied|size mismatch|shapes cannot be multiplied/ });
  await t.throwsAsync(async () => m.run_method_async('nope', x), { message: "this TorchScript module has no method 'nope'" });
  assertTensorMatches(t, m(x), golden.mlp.output, 'after');
});
