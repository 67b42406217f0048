// torch.frombuffer and from_typed_array(..., { copy: false }): tensors over JS
// memory, shared both ways, kept alive by the tensor, never charged to V8 a
// second time, and refused where sharing cannot be made safe. Values and
// Python's errors from scripts/golden/setitem.py.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import test from 'ava';

import torch, { slice } from '../lib';
import { native } from '../lib/native';
import { assertTensorMatches, fixture, type EncodedTensor } from './_helpers';

const golden = fixture<{ cases: Record<string, Record<string, any>> }>('setitem.json').cases;

const FLOATS = () => new Float32Array([1, 2, 3, 4, 5, 6]);
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();

test('frombuffer reads as Python reads: all of it, count and offset, a negative count, other dtypes', (t) => {
  const f32 = { dtype: torch.float32 };
  assertTensorMatches(t, torch.frombuffer(bytesOf(FLOATS()), f32), golden.frombuffer_all.t as EncodedTensor, 'all');
  assertTensorMatches(t, torch.frombuffer(bytesOf(FLOATS()), { ...f32, count: 2, offset: 8 }), golden.frombuffer_count_offset.t, 'count, offset');
  assertTensorMatches(t, torch.frombuffer(bytesOf(FLOATS()), { ...f32, count: -5, offset: 16 }), golden.frombuffer_negative_count.t, 'count -5');
  assertTensorMatches(t, torch.frombuffer(new Int16Array([1, -2, 300, -32768]).buffer, { dtype: torch.int16 }), golden.frombuffer_int16.t, 'int16');
  assertTensorMatches(t, torch.frombuffer(FLOATS().subarray(0, 2), { dtype: torch.uint8 }), golden.frombuffer_uint8_of_floats.t, 'uint8 of a view');
});

test('frombuffer shares: writes through the tensor show in the buffer, and the other way round', (t) => {
  const b = FLOATS();
  const x = torch.frombuffer(b, { dtype: torch.float32 });
  x.setitem(1, 20);
  x.mul_(2);
  b[0] = -1;
  assertTensorMatches(t, x, golden.frombuffer_writes_both_ways.t, 'tensor');
  assertTensorMatches(t, torch.tensor(Array.from(b), { dtype: torch.float32 }), golden.frombuffer_writes_both_ways.buffer, 'buffer');
  t.is(x.data_ptr() % 4, 0);
});

test('frombuffer takes an ArrayBuffer, a SharedArrayBuffer, a DataView and a Buffer, each by its own bytes', (t) => {
  const ab = new ArrayBuffer(8);
  torch.frombuffer(ab, { dtype: torch.int32 }).fill_(7);
  t.deepEqual([...new Int32Array(ab)], [7, 7]);
  const sab = new SharedArrayBuffer(8);
  torch.frombuffer(sab, { dtype: torch.int32, offset: 4 }).fill_(9);
  t.deepEqual([...new Int32Array(sab)], [0, 9]);
  const dv = new DataView(new ArrayBuffer(16), 8, 8);
  torch.frombuffer(dv, { dtype: torch.float64 }).fill_(1.5);
  t.is(dv.getFloat64(0, true), 1.5);
  const buf = Buffer.from('abcd');
  const u8 = torch.frombuffer(buf, { dtype: torch.uint8 });
  t.deepEqual(u8.tolist(), [97, 98, 99, 100]);
  u8.setitem(0, 65);
  t.is(buf.toString(), 'Abcd');
});

test('from_typed_array(data, shape, { copy: false }) shares with the shape given; copy: true (the default) copies', (t) => {
  const data = FLOATS();
  const shared = torch.from_typed_array(data, [2, 3], { copy: false });
  const copied = torch.from_typed_array(data, [2, 3]);
  shared.setitem(1, 0, 100);
  t.is(data[3], 100);
  data[5] = -6;
  t.deepEqual(shared.tolist(), [[1, 2, 3], [100, 5, -6]]);
  t.deepEqual(copied.tolist(), [[1, 2, 3], [4, 5, 6]]);
  t.is(torch.from_typed_array(new BigInt64Array(2), [2], { copy: false }).dtype, torch.int64);
  t.throws(() => torch.from_typed_array(data, [2, 2], { copy: false }), { instanceOf: TypeError, message: /^from_typed_array\(\): 24 bytes of data do not fill shape \[2, 2\]/ });
  t.throws(() => torch.from_typed_array([1, 2] as any, [2], { copy: false }), { instanceOf: TypeError, message: /argument 'data' must be a TypedArray or a DataView, got Array/ });
  t.throws(() => torch.from_typed_array(data, [6], { copy: 0 } as any), { instanceOf: TypeError, message: /copy/ });
});

test('frombuffer with requires_grad is a leaf that backward fills', (t) => {
  const x = torch.frombuffer(bytesOf(FLOATS()), { dtype: torch.float32, requires_grad: true });
  x.mul(x).sum().backward();
  assertTensorMatches(t, x.grad!, golden.frombuffer_requires_grad['t.grad'], 'grad');
  t.is(x.is_leaf, golden.frombuffer_requires_grad.is_leaf);
});

test("frombuffer's errors are Python's, naming frombuffer()", (t) => {
  const want = golden.frombuffer_errors as Record<string, string>;
  const b = new Uint8Array(8);
  const f32 = torch.float32;
  const got: Record<string, () => unknown> = {
    empty: () => torch.frombuffer(new ArrayBuffer(0), { dtype: f32 }),
    count_0: () => torch.frombuffer(b, { dtype: f32, count: 0 }),
    offset_at_end: () => torch.frombuffer(b, { dtype: f32, offset: 8 }),
    offset_negative: () => torch.frombuffer(b, { dtype: f32, offset: -1 }),
    not_a_multiple: () => torch.frombuffer(new Uint8Array(7), { dtype: f32 }),
    count_too_big: () => torch.frombuffer(b, { dtype: f32, count: 3 }),
    count_past_end: () => torch.frombuffer(b, { dtype: f32, count: 2, offset: 4 }),
    requires_grad_int: () => torch.frombuffer(b, { dtype: torch.int32, requires_grad: true }),
  };
  for (const [key, python] of Object.entries(want)) {
    const [type, ...rest] = python.split(': ');
    const error = t.throws(got[key], { instanceOf: type === 'ValueError' ? RangeError : Error }, key);
    t.is(error?.message, `frombuffer(): ${rest.join(': ')}`, key);
  }
});

test('frombuffer refuses, naming the argument, what it cannot share safely', (t) => {
  const f32 = { dtype: torch.float32 };
  t.throws(() => torch.frombuffer(new Uint8Array(8), {} as any), { instanceOf: TypeError, message: "frombuffer() missing 1 required keyword argument: 'dtype'" });
  t.throws(() => (torch.frombuffer as any)(new Uint8Array(8)), { instanceOf: TypeError, message: /missing 1 required keyword argument: 'dtype'/ });
  t.throws(() => torch.frombuffer([1, 2] as any, f32), { instanceOf: TypeError, message: /^frombuffer\(\): argument 'buffer' must be an ArrayBuffer, .* got Array/ });
  t.throws(() => torch.frombuffer('abcd' as any, f32), { instanceOf: TypeError, message: /argument 'buffer' .* got string/ });
  t.throws(() => torch.frombuffer(new Uint8Array(8), { ...f32, cout: 1 } as any), { instanceOf: TypeError, message: /frombuffer\(\) got an unexpected keyword argument 'cout'/ });
  t.throws(() => torch.frombuffer(new Uint8Array(8), { ...f32, count: 1.5 }), { instanceOf: TypeError, message: /count/ });
  // Misaligned for the dtype: by the offset, or by where the view itself starts.
  t.throws(() => torch.frombuffer(new Uint8Array(9), { ...f32, offset: 1, count: 2 }), { instanceOf: RangeError, message: /^frombuffer\(\): misaligned data: argument 'offset' \(1 bytes\) .* not a multiple of 4/ });
  t.throws(() => torch.frombuffer(new Uint8Array(new ArrayBuffer(16), 2, 8), { dtype: torch.float64 }), { instanceOf: RangeError, message: /view's own byte offset \(2\) put the first element at byte 2/ });
  t.throws(() => torch.from_typed_array(new Uint8Array(new ArrayBuffer(16), 1, 4), [1], { dtype: torch.float32, copy: false }), { instanceOf: RangeError, message: /^from_typed_array\(\): misaligned/ });
  const resizable = new (ArrayBuffer as any)(8, { maxByteLength: 16 }) as ArrayBuffer;
  t.throws(() => torch.frombuffer(resizable, f32), { instanceOf: TypeError, message: /^frombuffer\(\): argument 'buffer' is a resizable ArrayBuffer/ });
  t.throws(() => torch.frombuffer(new Float32Array(resizable), f32), { instanceOf: TypeError, message: /resizable ArrayBuffer/ });
  const gone = new ArrayBuffer(8);
  structuredClone(gone, { transfer: [gone] });
  t.throws(() => torch.frombuffer(gone, f32), { instanceOf: TypeError, message: /^frombuffer\(\): argument 'buffer' is a detached ArrayBuffer/ });
  t.throws(() => torch.from_typed_array(new Float32Array(4), [4], { dtype: torch.complex128, copy: false }), { instanceOf: TypeError, message: /16 bytes of data do not fill shape \[4\] of complex128, which needs 64/ });
  const forged = Object.create(torch.float32.constructor.prototype);
  t.throws(() => torch.frombuffer(new Uint8Array(8), { dtype: forged }), { instanceOf: TypeError, message: /frombuffer\(\)/ });
});

test('a growable SharedArrayBuffer is shared, and growing it leaves the tensor right', (t) => {
  const sab = new (SharedArrayBuffer as any)(8, { maxByteLength: 64 }) as SharedArrayBuffer & { grow(n: number): void };
  const x = torch.frombuffer(sab, { dtype: torch.float32 });
  x.fill_(3);
  sab.grow(64);
  new Float32Array(sab)[1] = 4;
  t.deepEqual(x.tolist(), [3, 4]);
});

const collect = async () => {
  for (let i = 0; i < 4; i++) {
    globalThis.gc!();
    await new Promise((r) => setImmediate(r));
  }
};

test('the tensor, and a view of it, keep the memory alive after the JS buffer is collected', async (t) => {
  t.truthy(globalThis.gc, 'ava runs with --expose-gc');
  let ref: WeakRef<ArrayBuffer>;
  const make = () => {
    const data = new Float32Array(1 << 16).fill(2.5);
    ref = new WeakRef(data.buffer);
    const whole = torch.frombuffer(data, { dtype: torch.float32 });
    const view = whole.index(slice(10, 20));
    whole.dispose();
    return view;
  };
  const view = make();
  await collect();
  t.is(ref!.deref(), undefined, 'the ArrayBuffer object was collected');
  // Fresh allocations would reuse freed memory; the view must still read its own.
  const churn = Array.from({ length: 50 }, () => new Float32Array(1 << 16).fill(-1));
  t.deepEqual(view.tolist(), Array(10).fill(2.5));
  view.add_(1);
  t.is(view.sum().item(), 35);
  t.is(churn.length, 50);
});

test('a buffer transferred away after sharing keeps its memory for the tensor, shared with the receiver', async (t) => {
  const ab = new Float32Array([1, 2, 3, 4]).buffer;
  const x = torch.frombuffer(ab, { dtype: torch.float32 });
  const moved = structuredClone(ab, { transfer: [ab] });
  t.is(ab.byteLength, 0, 'the original is detached');
  new Float32Array(moved)[0] = 10;
  t.deepEqual(x.tolist(), [10, 2, 3, 4], 'the receiver writes the memory the tensor reads');
  x.setitem(1, 20);
  t.is(new Float32Array(moved)[1], 20);
  await collect();
  t.deepEqual(x.tolist(), [10, 20, 3, 4]);
});

test('shared tensors are not charged to V8 as tensor memory; copies are', (t) => {
  const mb = 2 ** 20;
  const data = new Float32Array(16 * mb / 4);
  const external = () => native.externalBytes();
  const before = external();
  const shared = torch.frombuffer(data, { dtype: torch.float32 });
  const views = [shared.index(slice(0, 10)), shared.view(4, -1), torch.from_typed_array(data, [data.length], { copy: false })];
  const sharedGrowth = (external() - before) / mb;
  const copy = torch.from_typed_array(data, [data.length]);
  const copyGrowth = (external() - before) / mb - sharedGrowth;
  t.true(sharedGrowth < 1, `sharing 16 MB charged ${sharedGrowth.toFixed(2)} MB`);
  t.true(copyGrowth > 15, `a 16 MB copy charged ${copyGrowth.toFixed(2)} MB`);
  for (const v of [shared, ...views, copy]) v.dispose();
});

test('a worker that shares its buffers and ends without disposing them ends cleanly', async (t) => {
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    const torch = require(workerData.lib).default;
    const data = new Float32Array(1024).fill(1);
    const kept = [torch.frombuffer(data, { dtype: torch.float32 }), torch.frombuffer(new SharedArrayBuffer(64), { dtype: torch.int32 })];
    kept.push(kept[0].index(torch.slice(0, 8)).mul_(2));
    parentPort.postMessage(kept[0].sum().item());
  `;
  const result = await new Promise((resolve, reject) => {
    const w = new Worker(`require('tsx/cjs'); ${source}`, { eval: true, workerData: { lib: path.join(__dirname, '..', 'lib') }, execArgv: [] });
    let got: unknown;
    w.on('message', (m) => (got = m));
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve(got) : reject(new Error(`worker exited with ${code}`))));
  });
  t.is(result, 1024 + 8);
});
