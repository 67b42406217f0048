// torch.save and torch.load against Python (scripts/golden/serialization.py):
// files Python wrote load in torchts, files torchts writes load in Python
// (plain and weights_only), and bad files are clear errors.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import test from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { native } from '../lib/native';
import { assertTensorMatches, decodeTensor, fixture, PYTHON, type EncodedTensor } from './_helpers';

const dir = path.join(__dirname, 'fixtures', 'serialization');
const golden = fixture<any>('serialization.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-save-'));
const mlp = () => new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));

/** Compares a loaded value with what the Python script recorded of it. */
function assertEncoded(t: any, v: any, e: any, where: string): void {
  if ('tensor' in e) {
    t.true(v instanceof torch.Tensor, `${where} is a tensor`);
    assertTensorMatches(t, v, e.tensor as EncodedTensor, where);
    t.is(v instanceof nn.Parameter, e.parameter, `${where}: Parameter`);
    t.is(v.requires_grad, e.requires_grad, `${where}: requires_grad`);
  } else if ('dict' in e) {
    t.deepEqual(Object.keys(v), Object.keys(e.dict), `${where}: keys`);
    for (const k of Object.keys(e.dict)) assertEncoded(t, v[k], e.dict[k], `${where}.${k}`);
  } else if ('list' in e) {
    t.is(v.length, e.list.length, `${where}: length`);
    e.list.forEach((x: any, i: number) => assertEncoded(t, v[i], x, `${where}[${i}]`));
  } else if (typeof v === 'bigint') {
    // Beyond 2^53 the file's exact integer arrives as a BigInt; the JSON record of it is rounded.
    t.is(Number(v), e.value, where);
  } else {
    t.deepEqual(v, e.value, where);
  }
}

test('a state_dict Python saved loads into a torchts model, which then computes what Python computed', (t) => {
  const sd = torch.load<nn.StateDict>(path.join(dir, 'mlp_state_dict.pt'));
  t.deepEqual(Object.keys(sd), ['0.weight', '0.bias', '2.weight', '2.bias']);
  const model = mlp();
  model.load_state_dict(sd);
  assertTensorMatches(t, model(decodeTensor(golden.input)), golden.model_output, 'model output');
});

test('tensors of every dtype, views, scalars, empty tensors and Parameters load as Python saved them', (t) => {
  const loaded = torch.load<Record<string, Tensor>>(path.join(dir, 'tensors.pt'));
  assertEncoded(t, loaded, { dict: golden.tensors }, 'tensors');
  // Views keep sharing their storage, as in Python.
  loaded.base.index(0, 0).fill_(100);
  t.is(loaded.transposed_view.index(0, 0).item(), 100);
});

test('nested containers, numbers, strings, booleans and None load as Python saved them', (t) => {
  assertEncoded(t, torch.load(path.join(dir, 'nested.pt')), golden.nested, 'nested');
});

test("an Adam state_dict Python saved resumes training to Python's next step", (t) => {
  const model = mlp();
  model.load_state_dict(torch.load(path.join(dir, 'mlp_after_adam.pt')));
  const opt = new optim.Adam(model.parameters(), { lr: 0.5 });
  opt.load_state_dict(torch.load(path.join(dir, 'adam_state_dict.pt')));
  t.is(opt.param_groups[0].lr, 0.01);
  const x = decodeTensor(golden.input);
  opt.zero_grad();
  model(x).pow(2).mean().backward();
  opt.step();
  for (const [n, p] of model.named_parameters()) assertTensorMatches(t, p, golden.after_fourth_step[n], n);
});

function pythonReads(file: string): any {
  const script = path.join(__dirname, '..', 'scripts', 'golden', 'serialization.py');
  return JSON.parse(execFileSync(PYTHON, [script, 'check', file], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

test('a state_dict torchts saved loads in Python, plain and with weights_only=True', (t) => {
  torch.manual_seed(5);
  const model = mlp();
  const file = path.join(tmp, 'mlp.pt');
  torch.save(model.state_dict(), file);
  const read = pythonReads(file);
  for (const how of ['load', 'weights_only']) {
    t.deepEqual(Object.keys(read[how].dict), ['0.weight', '0.bias', '2.weight', '2.bias']);
    for (const [n, p] of model.named_parameters()) assertTensorMatches(t, p, read[how].dict[n].tensor, `${how} ${n}`);
  }
  t.deepEqual(Object.keys(torch.load(file)), ['0.weight', '0.bias', '2.weight', '2.bias']);
});

test('tensors of every dtype, non-contiguous ones and Parameters round-trip through Python', (t) => {
  const values: Record<string, Tensor> = {
    f32: torch.randn(2, 3),
    f64: torch.randn(2, { dtype: torch.float64 }),
    f16: torch.tensor([1.5, -2], { dtype: torch.float16 }),
    bf16: torch.tensor([0.5, 3], { dtype: torch.bfloat16 }),
    i64: torch.tensor([2 ** 40, -3]),
    i32: torch.tensor([7], { dtype: torch.int32 }),
    u8: torch.tensor([0, 255], { dtype: torch.uint8 }),
    b: torch.tensor([true, false]),
    t: torch.arange(6).reshape(2, 3).t(),
    scalar: torch.tensor(2.5),
    grad: torch.ones(2, { requires_grad: true }),
    param: new nn.Parameter(torch.full([2], 0.25)),
  };
  const file = path.join(tmp, 'tensors.pt');
  torch.save(values, file);
  const py = pythonReads(file);
  for (const [k, v] of Object.entries(values)) {
    assertTensorMatches(t, v, py.load.dict[k].tensor, `python ${k}`);
    assertTensorMatches(t, v, py.weights_only.dict[k].tensor, `python weights_only ${k}`);
  }
  t.true(py.load.dict.param.parameter);
  t.true(py.load.dict.grad.requires_grad);
  const back = torch.load<Record<string, Tensor>>(file);
  for (const [k, v] of Object.entries(values)) t.true(back[k].equal(v), `torchts ${k}`);
  t.true(back.param instanceof nn.Parameter);
});

test('an optimizer state_dict torchts saved loads in Python with int state keys', (t) => {
  const model = mlp();
  const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
  model(torch.ones(1, 4)).sum().backward();
  opt.step();
  const file = path.join(tmp, 'adam.pt');
  torch.save(opt.state_dict(), file);
  const py = pythonReads(file);
  t.deepEqual(Object.keys(py.load.dict.state.dict), ['0', '1', '2', '3']);
  t.deepEqual(py.load.dict.param_groups.list[0].dict.lr, { value: 0.02 });
  // Python 1.13's weights_only reader has no opcode for floats (lr is one), for its own files too; 2.x's has.
  if (libtorchAtLeast(2)) t.deepEqual(Object.keys(py.weights_only.dict.state.dict), ['0', '1', '2', '3']);
  else t.regex(py.weights_only.error, /Unsupported operand 71/);
});

function corruptCopy(name: string, mutate: (b: Buffer) => Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, mutate(fs.readFileSync(path.join(dir, 'mlp_state_dict.pt'))));
  return file;
}

test('bad files are clear errors naming the file and the problem', (t) => {
  const missing = path.join(tmp, 'nope.pt');
  t.regex(t.throws(() => torch.load(missing))!.message, new RegExp(`no such file: ${missing}`));
  const truncated = corruptCopy('truncated.pt', (b) => b.subarray(0, b.length - 100));
  t.regex(t.throws(() => torch.load(truncated))!.message, /truncated\.pt is not a readable torch\.save zip archive: .*central directory/);
  const flipped = corruptCopy('flipped.pt', (b) => {
    const c = Buffer.from(b);
    const at = c.indexOf('_rebuild_tensor_v2');
    c[at + 3] ^= 0xff;
    return c;
  });
  t.regex(t.throws(() => torch.load(flipped))!.message, /flipped\.pt/);
  // A flipped bit inside a tensor's data: libtorch's reader skips CRCs, torchts does not.
  const dataFlip = corruptCopy('data-flip.pt', (b) => {
    const c = Buffer.from(b);
    const weight = torch.load<nn.StateDict>(path.join(dir, 'mlp_state_dict.pt'))['0.weight'];
    c[c.indexOf(Buffer.from((weight.toTypedArray() as Float32Array).buffer).subarray(0, 8)) + 2] ^= 0x01;
    return c;
  });
  t.regex(t.throws(() => torch.load(dataFlip))!.message, /data-flip\.pt: record data\/0 is corrupt: its CRC-32 is [0-9a-f]{8}, the archive recorded [0-9a-f]{8}/);
  const legacy = path.join(tmp, 'legacy.pt');
  fs.writeFileSync(legacy, Buffer.from([0x80, 0x02, 0x8a, 0x0a]));
  t.regex(t.throws(() => torch.load(legacy))!.message, /legacy, pre-1\.6 format/);
});

function handcrafted(name: string, pickle: number[] | Buffer, records: [string, Uint8Array][] = []): string {
  const file = path.join(tmp, name);
  native.zipWrite(file, [['data.pkl', new Uint8Array(pickle)], ...records]);
  return file;
}

test('a pickle naming another class is refused by name and nothing runs', (t) => {
  const evil = Buffer.concat([Buffer.from([0x80, 2]), Buffer.from('cos\nsystem\n'), Buffer.from([0x58, 4, 0, 0, 0]), Buffer.from('true'), Buffer.from([0x85, 0x52, 0x2e])]);
  const file = handcrafted('evil.pt', evil);
  t.regex(t.throws(() => torch.load(file))!.message, /refusing to load .*evil\.pt: its pickle names 'os\.system'/);
});

test('forged sizes are errors, never reads past the data', (t) => {
  // A tensor of 6 floats whose storage record holds only 8 bytes.
  const p: number[] = [0x80, 2, ...Buffer.from('ctorch._utils\n_rebuild_tensor_v2\n'), 0x28, 0x28, 0x58, 7, 0, 0, 0, ...Buffer.from('storage'),
    ...Buffer.from('ctorch\nFloatStorage\n'), 0x58, 1, 0, 0, 0, 0x30, 0x58, 3, 0, 0, 0, ...Buffer.from('cpu'), 0x4b, 6, 0x74, 0x51,
    0x4b, 0, 0x4b, 6, 0x85, 0x4b, 1, 0x85, 0x89, 0x7d, 0x74, 0x52, 0x2e];
  const short = handcrafted('short.pt', p, [['data/0', new Uint8Array(8)]]);
  t.regex(t.throws(() => torch.load(short))!.message, /storage data\/0 has 8 bytes, but 6 elements of torch\.float32 need 24/);
  // A tensor view of 10 elements over a storage of 6.
  const wide = [...p];
  wide[wide.indexOf(0x85) - 1] = 10;
  const over = handcrafted('over.pt', wide, [['data/0', new Uint8Array(24)]]);
  t.regex(t.throws(() => torch.load(over))!.message, /a tensor of size \[10\] reaches past the end of its storage \(6 elements\)/);
  const cut = handcrafted('cut.pt', p.slice(0, 40), [['data/0', new Uint8Array(24)]]);
  t.regex(t.throws(() => torch.load(cut))!.message, /cut\.pt: truncated pickle/);
});

test('a state_dict that does not fit the module is a clear error', (t) => {
  const sd = torch.load<nn.StateDict>(path.join(dir, 'mlp_state_dict.pt'));
  const wrong = new nn.Sequential(new nn.Linear(4, 5), new nn.ReLU(), new nn.Linear(5, 2));
  t.regex(t.throws(() => wrong.load_state_dict(sd))!.message, /size mismatch for 0\.weight: copying a param with shape torch\.Size\(\[3, 4\]\) from checkpoint, the shape in current model is torch\.Size\(\[5, 4\]\)/);
});

test('save refuses what it cannot write', (t) => {
  t.regex(t.throws(() => torch.save({ f: () => 1 }, path.join(tmp, 'f.pt')))!.message, /cannot save obj\.f, a function/);
  const cyclic: any = { a: 1 };
  cyclic.self = cyclic;
  t.regex(t.throws(() => torch.save(cyclic, path.join(tmp, 'c.pt')))!.message, /obj\.self refers back to itself/);
  t.regex(t.throws(() => torch.save(torch.ones(1), path.join(tmp, 'no', 'such', 'dir.pt')))!.message, /torch\.save: cannot write .*dir\.pt: Parent directory .* does not exist/);
});

// A tiny pickle assembler for forged files: opcodes as numbers, strings as BINUNICODE.
const pk = {
  str: (s: string) => { const b = Buffer.from(s); return [0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24, ...b]; },
  global: (module: string, name: string) => [0x63, ...Buffer.from(`${module}\n${name}\n`)],
  int: (v: number) => [0x4a, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff],
};
/**
 * A 6-float tensor whose storage type is memo 0, written by `prelude`, so the prelude can tamper with it first
 * (without a prelude, the storage type is named in place).
 * A prelude that leaves a value on the stack gets it back beside the tensor, as a pair.
 */
function tensorPickle(prelude: number[], preludeLeavesValue = false, location = 'cpu'): number[] {
  return [0x80, 2, ...prelude, ...pk.global('torch._utils', '_rebuild_tensor_v2'), 0x28, 0x28, ...pk.str('storage'), ...(prelude.length ? [0x68, 0] : pk.global('torch', 'FloatStorage')), ...pk.str('0'), ...pk.str(location), 0x4b, 6, 0x74, 0x51,
    0x4b, 0, 0x4b, 6, 0x85, 0x4b, 1, 0x85, 0x89, 0x7d, 0x74, 0x52, ...(preludeLeavesValue ? [0x86] : []), 0x2e];
}

test('a pickle can change only the dicts and lists it made: SETITEM on a storage type, APPEND to a tuple and BUILD on a tensor are refused', (t) => {
  const float32 = torch.float32 as any;
  // The storage type is memoized, then SETITEM gives it a "dtype" of the file's choosing: a dict with a
  // dtype code and an item size (here float32's own, so the unfixed reader is not driven into memory it does not own).
  const forgedDtype = [0x7d, 0x28, ...pk.str('_code'), 0x4b, float32._code, ...pk.str('itemsize'), 0x4b, 4, 0x75];
  const retyped = handcrafted('retyped.pt', tensorPickle([...pk.global('torch', 'FloatStorage'), 0x71, 0, ...pk.str('dtype'), ...forgedDtype, 0x73], true), [['data/0', new Uint8Array(24)]]);
  t.regex(t.throws(() => torch.load(retyped))!.message, /retyped\.pt: malformed pickle: SETITEM on a StorageType at byte \d+; only dicts take items/);
  const tupleAppend = handcrafted('tuple-append.pt', [0x80, 2, 0x29, 0x4b, 1, 0x61, 0x2e]);
  t.regex(t.throws(() => torch.load(tupleAppend))!.message, /tuple-append\.pt: malformed pickle: APPEND to a tuple at byte 5/);
  const tupleSet = handcrafted('tuple-set.pt', [0x80, 2, 0x29, 0x4b, 1, 0x4b, 2, 0x73, 0x2e]);
  t.regex(t.throws(() => torch.load(tupleSet))!.message, /tuple-set\.pt: malformed pickle: SETITEM on a tuple/);
  const tensorBuild = handcrafted('tensor-build.pt', [...tensorPickle([...pk.global('torch', 'FloatStorage'), 0x71, 0]).slice(0, -1), 0x7d, 0x62, 0x2e], [['data/0', new Uint8Array(24)]]);
  t.regex(t.throws(() => torch.load(tensorBuild))!.message, /tensor-build\.pt: malformed pickle: BUILD on a Tensor at byte \d+; only an OrderedDict's state can be set/);
  // What Python allows still loads: an OrderedDict's _metadata set by BUILD, and SETITEMS on an OrderedDict.
  const ordered = handcrafted('ordered.pt', [0x80, 2, ...pk.global('collections', 'OrderedDict'), 0x29, 0x52, 0x28, ...pk.str('a'), 0x4b, 1, 0x75, 0x7d, 0x28, ...pk.str('_metadata'), 0x4b, 7, 0x75, 0x62, 0x2e]);
  const loaded = torch.load<any>(ordered);
  t.deepEqual(loaded, { a: 1 });
  t.is(loaded._metadata, 7);
});

test('every length in a pickle is read unsigned and checked against the bytes left', (t) => {
  const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return [...b]; };
  // A BINUNICODE8 of length -9 (read signed, it moved the read position back onto itself: a loop without end).
  const negative = handcrafted('negative-length.pt', [0x80, 2, 0x8d, ...u64(2n ** 64n - 9n), 0x2e]);
  t.regex(t.throws(() => torch.load(negative))!.message, /negative-length\.pt: truncated pickle: BINUNICODE8 of 18446744073709551607 bytes at byte 2, but only 1 bytes are left/);
  const frame = handcrafted('frame.pt', [0x80, 4, 0x95, ...u64(1000n), 0x4e, 0x2e]);
  t.regex(t.throws(() => torch.load(frame))!.message, /frame\.pt: truncated pickle: FRAME of 1000 bytes/);
  const bytes8 = handcrafted('bytes8.pt', [0x80, 4, 0x8e, ...u64(2n ** 63n), 0x2e]);
  t.regex(t.throws(() => torch.load(bytes8))!.message, /bytes8\.pt: truncated pickle: BINBYTES8 of 9223372036854775808 bytes/);
  const long4 = handcrafted('long4.pt', [0x80, 2, 0x8b, 0xff, 0xff, 0xff, 0xff, 0x2e]);
  t.regex(t.throws(() => torch.load(long4))!.message, /long4\.pt: truncated pickle: needed 4294967295 bytes/);
  // Lengths that fit still read: a framed pickle, and a 300-byte LONG4 as an exact BigInt.
  t.is(torch.load(handcrafted('framed.pt', [0x80, 4, 0x95, ...u64(2n), 0x4e, 0x2e])), null);
  const big = Buffer.alloc(300);
  big[299] = 0x01;
  t.is(torch.load(handcrafted('long4-ok.pt', [0x80, 2, 0x8b, 44, 1, 0, 0, ...big, 0x2e])), 1n << (8n * 299n));
});

test('long runs and deep nesting are bounded by a named limit, never an engine error', (t) => {
  // One APPENDS of 300,000 items: Python loads it, and so do we (spreading them into push() overflowed the engine's stack).
  const wide = handcrafted('wide.pt', [0x80, 2, 0x5d, 0x28, ...new Array(300_000).fill([0x4b, 7]).flat(), 0x65, 0x2e]);
  const list = torch.load<any>(wide);
  t.is(list.length, 300_000);
  t.is(list[299_999], 7);
  // A call with 300,000 arguments is refused by the limit, not by the engine.
  const manyArgs = handcrafted('many-args.pt', [0x80, 2, ...pk.global('torch', 'Size'), 0x28, ...new Array(300_000).fill([0x4b, 1]).flat(), 0x74, 0x52, 0x2e]);
  t.regex(t.throws(() => torch.load(manyArgs))!.message, /many-args\.pt: malformed pickle: REDUCE with 300000 arguments at byte \d+; the most any allowed function takes is 64/);
  // Lists 2,000 deep, and dicts 2,000 deep: past the limit of 1,000.
  const deepLists = handcrafted('deep-lists.pt', [0x80, 2, ...new Array(2000).fill(0x5d), ...new Array(1999).fill(0x61), 0x2e]);
  t.regex(t.throws(() => torch.load(deepLists))!.message, /deep-lists\.pt: the pickle nests containers more than 1000 deep \(the limit on nesting\)/);
  const deepDicts = handcrafted('deep-dicts.pt', [0x80, 2, ...new Array(2000).fill([0x7d, ...pk.str('k')]).flat().slice(0, -6), ...new Array(1999).fill(0x73), 0x2e]);
  t.regex(t.throws(() => torch.load(deepDicts))!.message, /deep-dicts\.pt: the pickle nests containers more than 1000 deep/);
  // 1,000 deep is still fine, and a list that holds itself (Python pickles those) is not endless depth.
  t.is(torch.load<any[]>(handcrafted('deep-ok.pt', [0x80, 2, ...new Array(1000).fill(0x5d), ...new Array(999).fill(0x61), 0x2e])).length, 1);
  const selfish = torch.load<any>(handcrafted('self.pt', [0x80, 2, 0x5d, 0x71, 0, 0x68, 0, 0x61, 0x2e]));
  t.is(selfish[0], selfish);
});

test("a '__proto__' key in a loaded dict is a key like any other, never the dict's prototype", (t) => {
  const file = handcrafted('proto.pt', [0x80, 2, 0x7d, 0x28, ...pk.str('__proto__'), 0x7d, ...pk.str('polluted'), 0x88, 0x73, ...pk.str('x'), 0x4b, 1, 0x75, 0x2e]);
  const loaded = torch.load<any>(file);
  t.is(Object.getPrototypeOf(loaded), Object.prototype);
  t.is(loaded.polluted, undefined);
  t.deepEqual(Object.keys(loaded), ['__proto__', 'x']);
  t.true(Object.prototype.hasOwnProperty.call(loaded, '__proto__'));
  t.is(Object.getOwnPropertyDescriptor(loaded, '__proto__')!.value.polluted, true);
});

interface ZipRecord { name: string; data: Uint8Array; deflate?: boolean; crc?: number; size?: number }
/** A zip written by hand, so a test can deflate records and declare sizes and CRCs of its choosing. */
function handZip(name: string, given: ZipRecord[]): string {
  // Every torch.save archive has a version record; Python's reader requires it.
  const version = { name: 'version', data: new Uint8Array(Buffer.from('3\n')) };
  const records: ZipRecord[] = [...given, version];
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const r of records) {
    const stored = r.deflate ? zlib.deflateRawSync(r.data) : Buffer.from(r.data);
    const fileName = Buffer.from(`archive/${r.name}`);
    const fields = (b: Buffer, at: number) => {
      b.writeUInt16LE(r.deflate ? 8 : 0, at);
      b.writeUInt32LE(r.crc ?? zlib.crc32(r.data), at + 6);
      b.writeUInt32LE(stored.length, at + 10);
      b.writeUInt32LE(r.size ?? r.data.length, at + 14);
      b.writeUInt16LE(fileName.length, at + 18);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 8);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    fields(entry, 10);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, fileName, stored);
    central.push(entry, fileName);
    offset += 30 + fileName.length + stored.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(records.length, 8);
  end.writeUInt16LE(records.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, Buffer.concat([...locals, directory, end]));
  return file;
}

test('torch.load reads only the records the pickle names, each no further than the size declared for it', (t) => {
  const pickle = new Uint8Array(tensorPickle([]));
  const six = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
  const loads = handZip('deflated.pt', [{ name: 'data.pkl', data: pickle, deflate: true }, { name: 'data/0', data: six, deflate: true }]);
  t.deepEqual(torch.load<Tensor>(loads).tolist(), [1, 2, 3, 4, 5, 6]);
  // A record nothing names is never read: one that would not even inflate, with a wrong CRC, does not stop the load.
  const junk = { name: 'junk', data: new Uint8Array(1000), deflate: true, crc: 1234, size: 2 ** 30 };
  const unreferenced = handZip('unreferenced.pt', [{ name: 'data.pkl', data: pickle }, { name: 'data/0', data: six }, junk]);
  t.deepEqual(torch.load<Tensor>(unreferenced).tolist(), [1, 2, 3, 4, 5, 6]);
  // A storage record that inflates past the 24 bytes its directory entry and the pickle declare stops there.
  const bomb = handZip('bomb.pt', [{ name: 'data.pkl', data: pickle }, { name: 'data/0', data: new Uint8Array(1 << 20), deflate: true, size: 24 }]);
  t.regex(t.throws(() => torch.load(bomb))!.message, /bomb\.pt: record data\/0 is corrupt: it inflates to more than the 24 bytes the zip directory declares/);
  // A directory entry that declares more than the storage needs is refused before anything is inflated.
  const declared = handZip('declared.pt', [{ name: 'data.pkl', data: pickle }, { name: 'data/0', data: new Uint8Array(1 << 20), deflate: true }]);
  t.regex(t.throws(() => torch.load(declared))!.message, /declared\.pt: storage data\/0 has 1048576 bytes, but 6 elements of torch\.float32 need 24/);
  const pickleBomb = handZip('pickle-bomb.pt', [{ name: 'data.pkl', data: new Uint8Array(1 << 20), deflate: true, size: 100 }]);
  t.regex(t.throws(() => torch.load(pickleBomb))!.message, /pickle-bomb\.pt: record data\.pkl is corrupt: it inflates to more than the 100 bytes/);
});

test('torch.load refuses what is not a regular file rather than read it without end', (t) => {
  t.regex(t.throws(() => torch.load('/dev/null'))!.message, /torch\.load: \/dev\/null is not a regular file \(a directory, device or pipe\)/);
  t.regex(t.throws(() => torch.load(tmp))!.message, /torch\.load: .* is not a regular file/);
});

test("map_location as a dict from saved locations to devices, as Python's torch.load takes it", (t) => {
  const six = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
  const onCuda = handZip('on-cuda.pt', [{ name: 'data.pkl', data: new Uint8Array(tensorPickle([], false, 'cuda:0')) }, { name: 'data/0', data: six }]);
  if (!torch.cuda.is_available()) {
    t.regex(t.throws(() => torch.load(onCuda))!.message, /torch\.load: .*on-cuda\.pt: cannot restore storage data\/0 on cuda:0: .*not available.*; map_location can send it elsewhere, e\.g\. \{ map_location: 'cpu' \} or \{ map_location: \{ 'cuda:0': 'cpu' \} \}/);
  }
  for (const map_location of [{ 'cuda:0': 'cpu' }, new Map([['cuda:0', 'cpu']]), { 'cuda:0': new torch.device('cpu') }]) {
    const x = torch.load<any>(onCuda, { map_location });
    t.is(String(x.device), 'cpu');
    t.deepEqual(x.tolist(), [1, 2, 3, 4, 5, 6]);
  }
  // A location the dict does not name stays where it was saved.
  const onCpu = handZip('on-cpu.pt', [{ name: 'data.pkl', data: new Uint8Array(tensorPickle([])) }, { name: 'data/0', data: six }]);
  t.is(String(torch.load<Tensor>(onCpu, { map_location: { 'cuda:1': 'cuda:0' } }).device), 'cpu');
  t.regex(t.throws(() => torch.load(onCuda, { map_location: { 'cuda:0': 5 } as any }))!.message, /torch\.load: map_location\['cuda:0'\] must be a device or a device string like 'cpu', got the number 5/);
  t.regex(t.throws(() => torch.load(onCuda, { map_location: 5 as any }))!.message, /torch\.load: map_location must be a device, a device string or a dict of them \(a plain object or a Map\), got the number 5/);
});

test('torch.save refuses what it cannot write faithfully, naming where it is in the object', (t) => {
  const file = path.join(tmp, 'refused.pt');
  t.regex(t.throws(() => torch.save({ m: new Map([[torch.ones(1), 1]]) }, file))!.message, /torch\.save: cannot save obj\.m: it has a key that is a tensor; torch\.save writes Maps keyed by strings and integers/);
  t.regex(t.throws(() => torch.save({ x: { when: new Date(0) } }, file))!.message, /torch\.save: cannot save obj\.x\.when, a Date; torch\.save writes tensors, numbers, strings, booleans, null, arrays, Maps and plain objects/);
  t.regex(t.throws(() => torch.save([/re/], file))!.message, /cannot save obj\[0\], a RegExp/);
  t.regex(t.throws(() => torch.save({ model: new nn.Linear(1, 1) }, file))!.message, /cannot save obj\.model, a Linear/);
  t.regex(t.throws(() => torch.save({ data: new Float32Array(2) }, file))!.message, /cannot save obj\.data, a Float32Array/);
  t.regex(t.throws(() => torch.save(new Set([1]), file))!.message, /cannot save obj, a Set/);
  let deep: unknown[] = [];
  for (let i = 0; i < 200_000; i++) deep = [deep];
  t.regex(t.throws(() => torch.save(deep, file))!.message, /torch\.save: obj nests containers more than 1000 deep \(the limit on nesting\)/);
  // What it can write, it writes as it is: a Map's int and str keys stay apart in Python, and a hole in an array is None.
  torch.save({ m: new Map<string | number, number>([[1, 10], ['1', 11], ['a', 12]]), holes: [1, , 3] }, file); // eslint-disable-line no-sparse-arrays
  const seen = execFileSync(PYTHON, ['-c', 'import sys, torch; d = torch.load(sys.argv[1]); print(sorted(map(repr, d["m"].items())), d["holes"])', file], { encoding: 'utf8' });
  t.is(seen.trim(), "[\"('1', 11)\", \"('a', 12)\", '(1, 10)'] [1, None, 3]");
});
