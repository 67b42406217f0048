// The native layer trusts nothing it is handed: dtype codes, nesting depths
// and thread counts from JS are checked where they enter C++. Each case that
// crashed the process before runs in a child process, so that a regression is
// a failed test, not a dead test runner.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { libtorchAtLeast } from '../lib/_libtorch_version';
import torch, { type Tensor } from '../lib';

const root = path.join(__dirname, '..');
const mlp = path.join(__dirname, 'fixtures', 'jit', 'mlp.pt');

// Runs `body` (TypeScript, with `torch` and `native` in scope) in a fresh
// process; what it prints, and how it ended.
function inChild(body: string, shellPrefix = ''): { status: number | null; signal: string | null; out: string; err: string } {
  const script = `
    const torch = require('./lib').default;
    const { native } = require('./lib/native');
    const report = (f) => { try { f(); console.log('no error'); } catch (e) { console.log(e.constructor.name + ': ' + e.message.split('\\n')[0]); } };
    ${body}
  `;
  // shellPrefix sets the child's limits (ulimit) before node starts.
  const r = shellPrefix
    ? spawnSync('/bin/sh', ['-c', `${shellPrefix}; exec "$0" --import=tsx -e "$1"`, process.execPath, script], { cwd: root, encoding: 'utf8', timeout: 120_000 })
    : spawnSync(process.execPath, ['--import=tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

// --- dtype codes ---------------------------------------------------------

test('fromBuffer refuses a dtype code torchts does not support (a quantized 4-bit code overflowed its storage)', (t) => {
  const r = inChild(`
    report(() => native.fromBuffer(new Uint8Array(64), [64], 16));  // QUInt4x2
    report(() => native.fromBuffer(new Uint8Array(64), [64], 13));  // QUInt8
    report(() => native.fromBuffer(new Uint8Array(64), [64], 8));   // ComplexHalf: no torchts dtype
    report(() => native.fromBuffer(new Uint8Array(4), [4], 0));
  `);
  t.is(r.status, 0, r.err);
  const lines = r.out.trim().split('\n');
  t.regex(lines[0], /^TypeError: fromBuffer: argument 'dtype': unsupported dtype code 16 \(QUInt4x2\)/);
  t.regex(lines[1], /^TypeError: fromBuffer: argument 'dtype': unsupported dtype code 13 \(QUInt8\)/);
  t.regex(lines[2], /^TypeError: fromBuffer: argument 'dtype': unsupported dtype code 8 \(ComplexHalf\)/);
  t.is(lines[3], 'no error');
});

test('a forged dtype object is a TypeError naming the argument, in from_typed_array and ScriptModule.to', (t) => {
  const forged = { _code: 16, name: 'float32' } as unknown as torch.dtype;
  const fromTyped = t.throws(() => torch.from_typed_array(new Uint8Array(16), [16], { dtype: forged }), { instanceOf: TypeError });
  // The options check answers first there; dtypeCode() answers where no options table does (ScriptModule.to).
  t.is(fromTyped!.message, "from_typed_array(): argument 'dtype' must be dtype or null, got Object");
  const m = torch.jit.load(mlp);
  // Module.to binds as Python's (torch._C._nn._parse_to): a forged object fits none of its overloads.
  const to = t.throws(() => m.to({ dtype: { _code: 1000 } as unknown as torch.dtype }), { instanceOf: TypeError });
  t.regex(to!.message, /^to\(\) received an invalid combination of arguments - got \(dtype=Object\)/);
  t.is(m.parameters()[0].dtype, torch.float32);
  // The real objects still work, aliases included.
  t.is(torch.from_typed_array(new Float64Array(2), [2], { dtype: torch.double }).dtype, torch.float64);
});

test('ScriptModule.to refuses an out-of-range code in C++ (it read past libtorch\'s type table) and a non-float dtype as Python does', (t) => {
  const r = inChild(`
    const m = torch.jit.load(${JSON.stringify(mlp)});
    report(() => native.jitTo(m._handle, null, 1000));
    report(() => native.jitTo(m._handle, null, -1));
    report(() => m.to(torch.int64));
    report(() => m.to(torch.float64));
    console.log(String(m.parameters()[0].dtype));
  `);
  t.is(r.status, 0, r.err);
  const lines = r.out.trim().split('\n');
  t.regex(lines[0], /^TypeError: ScriptModule\.to\(\): argument 'dtype': unsupported dtype code 1000/);
  t.regex(lines[1], /^TypeError: ScriptModule\.to\(\): argument 'dtype': unsupported dtype code -1/);
  t.is(lines[2], 'TypeError: nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64');
  t.is(lines[3], 'no error');
  t.is(lines[4], 'torch.float64');
});

test('an op call refuses dtype codes torchts does not support, quantized ones included', (t) => {
  const r = inChild(`
    report(() => torch.ops.aten.empty.memory_format([4], { dtype: { _code: 16 } }));
    report(() => torch.zeros(2, { dtype: { _code: 13 } }));
    report(() => torch.ops.aten.empty.memory_format([4], { dtype: { _code: 99 } }));
    report(() => torch.ops.aten.empty.memory_format([4], { dtype: torch.bfloat16 }));
  `);
  t.is(r.status, 0, r.err);
  const lines = r.out.trim().split('\n');
  t.regex(lines[0], /^TypeError: aten::empty\.memory_format: argument 'dtype': unsupported dtype code 16 \(QUInt4x2\)/);
  // A factory's arguments are bound in JS first: a dtype must be one of torchts's own (zeros has two overloads, so Python's message lists them).
  t.regex(lines[1], libtorchAtLeast(2, 14) ? /^TypeError: zeros\(\): argument 'dtype' must be torch\.dtype/ : /^TypeError: zeros\(\) received an invalid combination of arguments - got \(int, dtype=Object\)/);
  t.regex(lines[2], /^TypeError: aten::empty\.memory_format: argument 'dtype': unsupported dtype code 99/);
  t.is(lines[3], 'no error');
});

// --- nesting depth -------------------------------------------------------

test('a ScriptModule called with a deeply nested array is a RangeError naming the limit, not a stack overflow', (t) => {
  const r = inChild(`
    const m = torch.jit.load(${JSON.stringify(mlp)});
    let deep = [];
    for (let i = 0; i < 200000; i++) deep = [deep];
    report(() => m(deep));
    let ok = [];
    for (let i = 0; i < 999; i++) ok = [ok];
    // 999 levels convert; the module then refuses the value by its type.
    report(() => m(ok));
    console.log(m(torch.ones(5, 1, 4, 4)).shape.join(','));
  `);
  t.is(r.status, 0, r.err);
  const lines = r.out.trim().split('\n');
  t.regex(lines[0], /^RangeError: forward\(\) argument 0: arrays nested deeper than 1000 levels cannot cross into C\+\+/);
  t.notRegex(lines[1], /RangeError/);
  t.regex(lines[2], /^\d/);
});

// --- threads -------------------------------------------------------------

test('set_num_threads refuses more threads than the machine has (65536 stalled the machine), and fewer than one', (t) => {
  // In a child: a build that accepts 65536 would stall every test after it.
  const r = inChild(`
    const before = torch.get_num_threads();
    report(() => torch.set_num_threads(65536));
    const cpus = require('node:os').availableParallelism();
    report(() => torch.set_num_threads(cpus + 1));
    report(() => torch.set_num_threads(0));
    console.log(torch.get_num_threads() === before);
    torch.set_num_threads(cpus);
    console.log(torch.get_num_threads() === cpus);
  `);
  t.is(r.status, 0, r.err);
  const lines = r.out.trim().split('\n');
  const match = /^RangeError: set_num_threads: n must be at most (\d+) \(the CPUs this machine has\), got 65536$/.exec(lines[0]);
  t.truthy(match, lines[0]);
  t.regex(lines[1], /^RangeError: set_num_threads: n must be at most \d+ .*, got \d+$/);
  t.is(lines[2], 'TypeError: set_num_threads: n must be a positive number of threads, got 0');
  t.deepEqual(lines.slice(3), ['true', 'true']);
});

// --- ScriptModule.to('meta') ---------------------------------------------

const m2Shapes = () => torch.jit.load(mlp).parameters().map((p) => p.shape.join());

test("ScriptModule.to('meta') works as in Python: its parameters become new meta tensors of the same shapes", (t) => {
  const m = torch.jit.load(mlp);
  const before = m.parameters()[0];
  m.to('meta');
  const after = m.parameters();
  t.true(after.every((p) => String(p.device) === 'meta'));
  t.not(after[0], before); // a new Parameter, as Python's _apply makes one
  t.true(after[0].requires_grad);
  t.is(String(before.device), 'cpu');
  t.deepEqual(after.map((p) => p.shape.join()), m2Shapes());
  // Python runs forward on meta through meta kernels written in Python
  // (torch._meta_registrations); libtorch alone has none for relu, so the
  // call is refused with libtorch's message (1.13's, or 2.x's).
  t.throws(() => m(torch.ones(5, 1, 4, 4, { device: 'meta' })), { message: /aten::relu' with arguments from the 'Meta' backend|aten::relu: attempted to run this operator with Meta tensors, but there was no fake impl or Meta kernel/ });
  // A move that keeps the TensorImpl changes the parameters in place.
  const m2 = torch.jit.load(mlp);
  const p2 = m2.parameters()[0];
  m2.to(torch.float64);
  t.is(m2.parameters()[0], p2);
  t.is(p2.dtype, torch.float64);
});

// --- saving to a full disk -----------------------------------------------

test('torch.save and torch.jit.save to a full device are an error naming the file and ENOSPC; the process lives on', (t) => {
  const r = inChild(`
    report(() => torch.save({ w: torch.ones(100000) }, '/dev/full'));
    report(() => torch.jit.save(torch.jit.load(${JSON.stringify(mlp)}), '/dev/full'));
    console.log(torch.ones(2).add(1).tolist().join(','));
  `);
  t.is(r.signal, null, r.err);
  t.is(r.status, 0, r.err);
  t.deepEqual(r.out.trim().split('\n'), [
    'Error: torch.save: cannot write /dev/full: No space left on device (ENOSPC)',
    'Error: torch.jit.save: cannot write /dev/full: No space left on device (ENOSPC)',
    '2,2',
  ]);
});

test('a save that fails part way leaves the target as it was and no temporary file behind', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-save-'));
  const target = path.join(dir, 'model.pt');
  const jitTarget = path.join(dir, 'script.pt');
  fs.writeFileSync(target, 'the previous save');
  fs.writeFileSync(jitTarget, 'the previous script');
  // A file size limit of 8 blocks (4 or 8 KB: the 8.6 KB script does not
  // fit) makes a write past it fail with EFBIG, as a full disk's fail with
  // ENOSPC (SIGXFSZ ignored, so the write returns the error).
  const r = inChild(
    `
    report(() => torch.save({ w: torch.ones(1 << 20) }, ${JSON.stringify(target)}));
    report(() => torch.jit.save(torch.jit.load(${JSON.stringify(mlp)}), ${JSON.stringify(jitTarget)}));
    report(() => torch.save({ w: torch.ones(4) }, ${JSON.stringify(path.join(dir, 'small.pt'))}));
  `,
    "ulimit -f 8; trap '' XFSZ",
  );
  t.is(r.status, 0, r.err);
  const lines = r.out.trim().split('\n');
  t.is(lines[0], `Error: torch.save: cannot write ${target}: File too large (EFBIG)`);
  t.is(lines[1], `Error: torch.jit.save: cannot write ${jitTarget}: File too large (EFBIG)`);
  t.is(fs.readFileSync(target, 'utf8'), 'the previous save');
  t.is(fs.readFileSync(jitTarget, 'utf8'), 'the previous script');
  t.is(lines[2], 'no error');
  t.deepEqual(torch.load<{ w: Tensor }>(path.join(dir, 'small.pt')).w.tolist(), [1, 1, 1, 1]);
  t.deepEqual(fs.readdirSync(dir).sort(), ['model.pt', 'script.pt', 'small.pt']);
  t.is(fs.statSync(path.join(dir, 'small.pt')).mode & 0o777, 0o666 & ~process.umask());
});

test("a gradient libtorch keeps as a ZeroTensor (no storage) reads as zeros: torch.sgn's backward of a real input", (t) => {
  // 1.13's sgn backward returns at::_efficientzerotensor for real inputs; its
  // data pointer is null, and reading it used to segfault in toBuffer.
  const x = torch.randn([3], { requires_grad: true });
  const [g] = torch.autograd.grad([torch.sgn(x)], [x], { grad_outputs: [torch.ones([3])] });
  t.deepEqual([...g!.toTypedArray()], [0, 0, 0]);
  t.deepEqual(g!.tolist(), [0, 0, 0]);
});
