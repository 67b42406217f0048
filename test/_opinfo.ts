// The OpInfo conformance harness: PyTorch's own sample inputs (op_db, recorded
// by scripts/golden/opinfo.py under test/fixtures/opinfo/), each called in
// torchts by its Python name with the same positional arguments and keywords,
// and its outputs and gradients compared with Python's. test/opinfo.test.ts
// asserts on the aggregate; scripts/opinfo.ts (`npm run opinfo`) prints it.
//
// How a recorded call is made (what the generated op layer and its binder are
// measured against):
// - `torch.x` / `torch.nn.functional.x` / `torch.linalg.x` / `torch.fft.x` /
//   `torch.special.x`: fn(input, ...args) or fn(input, ...args, kwargs);
// - `Tensor.x`: input.x(...args) or input.x(...args, kwargs);
// the trailing options object only when Python passed keywords; Python's
// None is null, a list or tuple an array, a dtype torch.<dtype>, a device
// a torch.device. Each variant gets its own freshly built tensors (an op may
// write into its arguments), and torch.manual_seed(the sample's seed) runs
// just before the call, as it did in Python.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import * as torch from '../lib';
import type { Tensor } from '../lib';
import { fixturePath } from './_helpers';

// (the loaded libtorch's Python's records, where there are some: test/_helpers.ts's fixturePath)
export const OPINFO_DIR = path.dirname(fixturePath(path.join('opinfo', 'index.json')));

// ----- the recorded data -----

export interface EncTensor {
  $t: string;
  shape: number[];
  b64: string;
  rg?: boolean;
}
type Enc = any;

export interface SampleRecord {
  seed: number;
  input: Enc;
  args: Enc[];
  kwargs: Record<string, Enc>;
  variants: string[];
  output?: Enc;
  /** Values not a function of the arguments and seed (torch.empty): dtype and shape compared only. */
  nondeterministic?: boolean;
  error?: { type: string; message: string };
  grad?: { outputs: number; values: (EncTensor | null)[] } | { error: { type: string; message: string } };
}

export interface OpEntry {
  opinfo: string;
  aten_name: string;
  names: string[];
  supports_autograd: boolean;
  samples: Record<string, SampleRecord[]>;
  skipped?: Record<string, Record<string, number>>;
}

export interface OpinfoIndex {
  generated_by: string;
  torch_version: string;
  counts: { opinfos: number; entries: number; samples: number; opinfos_skipped: number };
  shards: string[];
  samples_skipped: Record<string, number>;
  opinfos_skipped: { opinfo: string; reason: string }[];
}

export function loadIndex(): OpinfoIndex {
  return JSON.parse(fs.readFileSync(path.join(OPINFO_DIR, 'index.json'), 'utf8'));
}

export function loadEntries(index = loadIndex()): OpEntry[] {
  const entries: OpEntry[] = [];
  for (const shard of index.shards) {
    const text = zlib.gunzipSync(fs.readFileSync(path.join(OPINFO_DIR, shard))).toString('utf8');
    entries.push(...(JSON.parse(text).entries as OpEntry[]));
  }
  return entries;
}

// ----- decoding -----

const SPECIAL_FLOATS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 };

function bytesOf(b64: string): Uint8Array {
  const buf = Buffer.from(b64, 'base64');
  // A fresh, aligned copy: the typed views below need their element alignment.
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return copy;
}

function dtypeNamed(name: string): torch.dtype {
  const d = (torch as any)[name];
  if (!(d instanceof torch.dtype)) throw new Error(`no torchts dtype named ${name}`);
  return d;
}

function isEncTensor(v: Enc): v is EncTensor {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && '$t' in v;
}

/** Builds one sample's arguments as torchts values; `tensors` in order of first appearance. */
class Decoder {
  readonly tensors: Tensor[] = [];

  value(v: Enc): unknown {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (isEncTensor(v)) {
      const t = torch.from_typed_array(bytesOf(v.b64), v.shape, { dtype: dtypeNamed(v.$t) });
      if (v.rg) t.requires_grad_(true);
      this.tensors.push(t);
      return t;
    }
    if ('$ref' in v) return this.tensors[v.$ref];
    if ('$f' in v) return SPECIAL_FLOATS[v.$f];
    if ('$dtype' in v) return dtypeNamed(v.$dtype);
    if ('$device' in v) return new torch.device(v.$device);
    if ('$slice' in v) return torch.slice(...(v.$slice.map((x: Enc) => this.value(x)) as [any, any, any]));
    if ('$ellipsis' in v) return '...';
    if ('$nt' in v) return v.items.map((x: Enc) => this.value(x));
    // A plain object is a kwargs dict.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x)]));
  }
}

// ----- calling torchts by the Python name -----

export type Variant = { qual: string; kind: 'function' | 'method'; name: string };

export function parseName(qual: string): Variant {
  const dot = qual.lastIndexOf('.');
  const name = qual.slice(dot + 1);
  return { qual, kind: qual.startsWith('Tensor.') ? 'method' : 'function', name };
}

const NAMESPACE_OBJECTS: Record<string, () => unknown> = {
  torch: () => torch,
  'torch.nn.functional': () => torch.nn.functional,
  'torch.linalg': () => (torch as any).linalg,
  'torch.fft': () => (torch as any).fft,
  'torch.special': () => (torch as any).special,
};

/** The torchts function a Python name resolves to, or undefined where torchts does not expose it. */
export function resolveFunction(qual: string): ((...a: unknown[]) => unknown) | undefined {
  const dot = qual.lastIndexOf('.');
  const holder = NAMESPACE_OBJECTS[qual.slice(0, dot)]?.() as Record<string, unknown> | undefined;
  const f = holder?.[qual.slice(dot + 1)];
  return typeof f === 'function' ? (f as (...a: unknown[]) => unknown) : undefined;
}

export function isExposed(qual: string): boolean {
  const v = parseName(qual);
  if (v.kind === 'method') return typeof (torch.Tensor.prototype as any)[v.name] === 'function';
  return resolveFunction(qual) !== undefined;
}

interface Built {
  input: unknown;
  args: unknown[];
  kwargs: Record<string, unknown>;
  leaves: Tensor[];
}

function build(rec: SampleRecord): Built {
  const d = new Decoder();
  const input = d.value(rec.input);
  const args = rec.args.map((a) => d.value(a));
  const kwargs = d.value(rec.kwargs) as Record<string, unknown>;
  return { input, args, kwargs, leaves: d.tensors.filter((t) => t.requires_grad) };
}

/** Calls torchts as the runner does: see the comment at the top of this file. */
export function callTorchts(v: Variant, b: Built): unknown {
  const tail = Object.keys(b.kwargs).length > 0 ? [...b.args, b.kwargs] : b.args;
  if (v.kind === 'method') {
    const self = b.input as any;
    return self[v.name](...tail);
  }
  return resolveFunction(v.qual)!(b.input, ...tail);
}

// ----- comparing -----

/** torch.testing.assert_close's default tolerances per dtype. */
export const TOLERANCES: Record<string, { rtol: number; atol: number }> = {
  float16: { rtol: 1e-3, atol: 1e-5 },
  bfloat16: { rtol: 1.6e-2, atol: 1e-5 },
  float32: { rtol: 1.3e-6, atol: 1e-5 },
  float64: { rtol: 1e-7, atol: 1e-7 },
};

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The expected tensor's elements, as numbers (floats, small ints), bigints (int64) or booleans. */
export function expectedValues(e: EncTensor): (number | bigint | boolean)[] {
  const bytes = bytesOf(e.b64);
  const buf = bytes.buffer;
  switch (e.$t) {
    case 'float32': return Array.from(new Float32Array(buf));
    case 'float64': return Array.from(new Float64Array(buf));
    case 'float16': return Array.from(new Uint16Array(buf), halfToFloat);
    case 'bfloat16': return Array.from(new Uint16Array(buf), (h) => new Float32Array(new Uint32Array([h << 16]).buffer)[0]);
    case 'int64': return Array.from(new BigInt64Array(buf));
    case 'int32': return Array.from(new Int32Array(buf));
    case 'int16': return Array.from(new Int16Array(buf));
    case 'int8': return Array.from(new Int8Array(buf));
    case 'uint8': return Array.from(bytes);
    case 'bool': return Array.from(bytes, (b) => b !== 0);
    default: throw new Error(`unknown dtype ${e.$t}`);
  }
}

function actualValues(t: Tensor): (number | bigint | boolean)[] {
  const a = t.detach().contiguous().toTypedArray();
  if (t.dtype.name === 'bool') return Array.from(a as Uint8Array, (b) => b !== 0);
  return Array.from(a as ArrayLike<number | bigint>);
}

function closeEnough(e: number, a: number, tol: { rtol: number; atol: number }): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return e === a;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v instanceof torch.Tensor) return `tensor(${v.dtype.name}, [${[...v.shape].join(', ')}])`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return String(v);
}

/** null when actual matches the recorded Python value, else what differs first. */
export function compare(expected: Enc, actual: unknown, where = 'output', values = true): string | null {
  if (isEncTensor(expected)) {
    if (!(actual instanceof torch.Tensor)) return `${where}: Python gave a tensor, torchts ${show(actual)}`;
    if (actual.dtype.name !== expected.$t) return `${where}: dtype ${expected.$t} in Python, ${actual.dtype.name} in torchts`;
    const shape = [...actual.shape];
    if (shape.join() !== expected.shape.join()) return `${where}: shape [${expected.shape}] in Python, [${shape}] in torchts`;
    if (!values) return null;
    const want = expectedValues(expected);
    const got = actualValues(actual);
    const tol = TOLERANCES[expected.$t];
    for (let i = 0; i < want.length; i++) {
      const w = want[i];
      const g = got[i];
      const ok = tol ? closeEnough(w as number, g as number, tol) : w === g;
      if (!ok) {
        const small = want.length <= 12 ? `; Python [${want.map(show).join(', ')}], torchts [${got.map(show).join(', ')}]` : '';
        return `${where}[${i}] (flat, of ${want.length}): Python ${show(w)}, torchts ${show(g)}${small}`;
      }
    }
    return null;
  }
  if (expected === null) return actual === null || actual === undefined ? null : `${where}: Python gave None, torchts ${show(actual)}`;
  if (Array.isArray(expected) || (typeof expected === 'object' && '$nt' in expected)) {
    const items: Enc[] = Array.isArray(expected) ? expected : expected.items;
    const fields: string[] | undefined = Array.isArray(expected) ? undefined : expected.fields;
    let list: unknown[] | undefined;
    if (Array.isArray(actual)) list = actual;
    else if (fields && actual && typeof actual === 'object') list = fields.map((f) => (actual as any)[f]);
    else if (actual instanceof torch.Size) list = [...(actual as any)];
    if (!list) return `${where}: Python gave a sequence of ${items.length}, torchts ${show(actual)}`;
    if (list.length !== items.length) return `${where}: Python gave ${items.length} items, torchts ${list.length}`;
    for (let i = 0; i < items.length; i++) {
      const d = compare(items[i], list[i], `${where}${fields ? '.' + fields[i] : `[${i}]`}`, values);
      if (d) return d;
    }
    return null;
  }
  if (typeof expected === 'object') {
    if ('$f' in expected) {
      const w = SPECIAL_FLOATS[expected.$f];
      return typeof actual === 'number' && (Number.isNaN(w) ? Number.isNaN(actual) : Object.is(w, actual) || w === actual)
        ? null
        : `${where}: Python ${expected.$f}, torchts ${show(actual)}`;
    }
    if ('$dtype' in expected) return actual === dtypeNamed(expected.$dtype) ? null : `${where}: Python torch.${expected.$dtype}, torchts ${show(actual)}`;
    if ('$device' in expected) return String(actual) === expected.$device ? null : `${where}: Python ${expected.$device}, torchts ${show(actual)}`;
    return `${where}: cannot compare a recorded ${JSON.stringify(expected).slice(0, 40)}`;
  }
  if (typeof expected === 'boolean') return actual === expected ? null : `${where}: Python ${expected ? 'True' : 'False'}, torchts ${show(actual)}`;
  if (typeof expected === 'number') {
    const a = typeof actual === 'bigint' ? Number(actual) : actual;
    if (typeof a !== 'number') return `${where}: Python ${expected}, torchts ${show(actual)}`;
    return closeEnough(expected, a, TOLERANCES.float64) ? null : `${where}: Python ${expected}, torchts ${show(actual)}`;
  }
  return actual === expected ? null : `${where}: Python ${JSON.stringify(expected)}, torchts ${show(actual)}`;
}

// ----- gradients -----

/** The cotangent of output k, as scripts/golden/opinfo.py makes it. */
export function cotangentValues(n: number, k: number): Float64Array {
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = (((i * 7 + k * 3) % 11) - 5) / 4;
  return c;
}

function flatTensors(v: unknown): Tensor[] {
  if (v instanceof torch.Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap(flatTensors);
  return [];
}

function compareGrads(rec: SampleRecord, out: unknown, b: Built): string | null {
  const g = rec.grad;
  if (!g || 'error' in g) return null;
  const outs = flatTensors(out).filter((t) => t.requires_grad && t.is_floating_point());
  if (outs.length !== g.outputs) {
    return `grad: ${g.outputs} output(s) require grad in Python, ${outs.length} in torchts`;
  }
  if (b.leaves.length !== g.values.length) return `grad: ${g.values.length} inputs require grad in Python, ${b.leaves.length} in torchts`;
  const cots = outs.map((t, k) =>
    torch.from_typed_array(cotangentValues(t.numel(), k), [...t.shape], { dtype: torch.float64 }).to(t.dtype),
  );
  const grads = torch.autograd.grad(outs, b.leaves, { grad_outputs: cots, allow_unused: true });
  for (let i = 0; i < g.values.length; i++) {
    const want = g.values[i];
    const got = grads[i];
    if (want === null) {
      if (got !== null && got !== undefined) {
        // Python's None is an all-zero gradient that was never materialised.
        const nonzero = actualValues(got).some((x) => x !== 0);
        if (nonzero) return `grad[${i}]: None in Python, nonzero in torchts`;
      }
      continue;
    }
    if (got === null || got === undefined) return `grad[${i}]: Python gave a gradient, torchts none`;
    const d = compare(want, got, `grad[${i}]`);
    if (d) return d;
  }
  return null;
}

// ----- running -----

export type SampleStatus = 'pass' | 'wrong' | 'error' | 'accepts';

export interface SampleOutcome {
  /** "Tensor.sort [sort] float32#3": Python name, OpInfo, dtype, sample. */
  id: string;
  status: SampleStatus;
  /** What differs (wrong), what torchts threw (error), or what it returned (accepts). */
  detail?: string;
  /** The Python call, written out. */
  call: string;
}

export type OpStatus = 'missing' | 'pass' | 'fail-wrong-value' | 'fail-error';

export interface OpResult {
  /** "torch.sort [sort]" */
  key: string;
  qual: string;
  opinfo: string;
  status: OpStatus;
  total: number;
  passed: number;
  outcomes: SampleOutcome[];
}

function pyValue(v: Enc): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return JSON.stringify(v).replace(/^"|"$/g, "'");
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  if (isEncTensor(v)) {
    const vals = expectedValues(v);
    const shown = vals.length <= 8 ? ` [${vals.map(show).join(', ')}]` : '';
    return `tensor(${v.$t}, shape=[${v.shape.join(', ')}]${v.rg ? ', requires_grad' : ''}${shown})`;
  }
  if ('$ref' in v) return `<tensor #${v.$ref} again>`;
  if ('$f' in v) return `float('${v.$f}')`;
  if ('$dtype' in v) return `torch.${v.$dtype}`;
  if ('$device' in v) return `torch.device('${v.$device}')`;
  if ('$slice' in v) return `slice(${v.$slice.map(pyValue).join(', ')})`;
  if ('$ellipsis' in v) return '...';
  return JSON.stringify(v);
}

/** The Python call a sample made, e.g. "torch.sort(tensor(float32, shape=[5]), 0, descending=True)". */
export function pythonCall(v: Variant, rec: SampleRecord): string {
  const args = rec.args.map(pyValue);
  const kw = Object.entries(rec.kwargs).map(([k, x]) => `${k}=${pyValue(x)}`);
  if (v.kind === 'method') return `${pyValue(rec.input)}.${v.name}(${[...args, ...kw].join(', ')})`;
  return `${v.qual}(${[pyValue(rec.input), ...args, ...kw].join(', ')})`;
}

function message(err: unknown): string {
  const m = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
  return m.split('\n')[0].slice(0, 300);
}

export function runSample(v: Variant, rec: SampleRecord, id: string): SampleOutcome {
  const call = pythonCall(v, rec);
  let b: Built;
  let out: unknown;
  try {
    b = build(rec);
  } catch (err) {
    return { id, call, status: 'error', detail: `building the arguments: ${message(err)}` };
  }
  try {
    torch.manual_seed(rec.seed);
    out = callTorchts(v, b);
  } catch (err) {
    if (rec.error) return { id, call, status: 'pass' };
    return { id, call, status: 'error', detail: message(err) };
  }
  if (rec.error) {
    return { id, call, status: 'accepts', detail: `Python raised ${rec.error.type}: ${rec.error.message}; torchts returned ${show(out)}` };
  }
  const d = compare(rec.output, out, 'output', !rec.nondeterministic);
  if (d) return { id, call, status: 'wrong', detail: d };
  try {
    const g = compareGrads(rec, out, b);
    if (g) return { id, call, status: 'wrong', detail: g };
  } catch (err) {
    return { id, call, status: 'error', detail: `backward: ${message(err)}` };
  }
  return { id, call, status: 'pass' };
}

export const PASS_FRACTION = 0.95;

export function runEntry(entry: OpEntry, qual: string): OpResult {
  const v = parseName(qual);
  const key = `${qual} [${entry.opinfo}]`;
  const outcomes: SampleOutcome[] = [];
  let total = 0;
  const exposed = isExposed(qual);
  for (const [dtype, recs] of Object.entries(entry.samples)) {
    recs.forEach((rec, i) => {
      if (!rec.variants.includes(qual)) return;
      total++;
      if (exposed) outcomes.push(runIsolated(v, rec, `${key} ${dtype}#${i}`));
    });
  }
  const passed = outcomes.filter((o) => o.status === 'pass').length;
  let status: OpStatus;
  if (!exposed) status = 'missing';
  else if (outcomes.some((o) => o.status === 'wrong')) status = 'fail-wrong-value';
  else if (total > 0 && passed >= PASS_FRACTION * total) status = 'pass';
  else status = 'fail-error';
  return { key, qual, opinfo: entry.opinfo, status, total, passed, outcomes };
}

/** One sample, its tensors freed when it is done. */
function runIsolated(v: Variant, rec: SampleRecord, id: string): SampleOutcome {
  return torch.scope(() => runSample(v, rec, id));
}

export interface Report {
  index: OpinfoIndex;
  results: OpResult[];
  totals: {
    entries: number;
    names: number;
    exposedEntries: number;
    exposedNames: number;
    passingEntries: number;
    samples: number;
    samplesRun: number;
    samplesPassed: number;
    wrong: number;
    errors: number;
    accepts: number;
  };
}

/** Every recorded sample, run once, under every Python name it was recorded for. */
export function runAll(filter?: (qual: string, entry: OpEntry) => boolean): Report {
  const index = loadIndex();
  const results: OpResult[] = [];
  for (const entry of loadEntries(index)) {
    for (const qual of entry.names) {
      if (filter && !filter(qual, entry)) continue;
      results.push(runEntry(entry, qual));
    }
  }
  const exposed = results.filter((r) => r.status !== 'missing');
  const outcomes = results.flatMap((r) => r.outcomes);
  const totals = {
    entries: results.length,
    names: new Set(results.map((r) => r.qual)).size,
    exposedEntries: exposed.length,
    exposedNames: new Set(exposed.map((r) => r.qual)).size,
    passingEntries: results.filter((r) => r.status === 'pass').length,
    samples: results.reduce((s, r) => s + r.total, 0),
    samplesRun: outcomes.length,
    samplesPassed: outcomes.filter((o) => o.status === 'pass').length,
    wrong: outcomes.filter((o) => o.status === 'wrong').length,
    errors: outcomes.filter((o) => o.status === 'error').length,
    accepts: outcomes.filter((o) => o.status === 'accepts').length,
  };
  return { index, results, totals };
}

// ----- the committed list of known wrong values -----

export interface KnownFailures {
  about: string;
  /** By "Python name [OpInfo]": why, and which samples ("float32#3"). */
  failures: Record<string, { reason: string; samples: string[] }>;
}

/** Beside the records they are about (where `npm run opinfo -- --known` writes). */
export const KNOWN_FAILURES_FILE = path.join(OPINFO_DIR, 'known_failures.json');

export function loadKnownFailures(): KnownFailures {
  // (a version's records without a list of their own have the base's, which lists none)
  return JSON.parse(fs.readFileSync(fixturePath(path.join('opinfo', 'known_failures.json')), 'utf8'));
}

/** Sample ids ("torch.sort [sort] float32#3") a known-failures file lists. */
export function knownIds(k: KnownFailures): Set<string> {
  const ids = new Set<string>();
  for (const [key, f] of Object.entries(k.failures)) for (const s of f.samples) ids.add(`${key} ${s}`);
  return ids;
}
