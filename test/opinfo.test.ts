// PyTorch's OpInfo samples (scripts/golden/opinfo.py) through torchts by their
// Python names (test/_opinfo.ts): no op that torchts exposes may return a
// value that differs from Python's, except the known ones, listed with their
// reasons in test/fixtures/opinfo/known_failures.json, and that list must be
// exact. Ops not exposed yet, and calls that throw where Python returned,
// are reported by `npm run opinfo`, not failed here.
import test from 'ava';

import * as torch from '../lib';
import {
  knownIds,
  loadEntries,
  loadIndex,
  loadKnownFailures,
  runAll,
  runEntry,
  type OpEntry,
  type Report,
  type SampleRecord,
} from './_opinfo';

let cached: Report | undefined;
const report = (): Report => (cached ??= runAll());

test('the OpInfo fixtures hold what their index says', (t) => {
  const index = loadIndex();
  const entries = loadEntries(index);
  t.is(entries.length, index.counts.entries);
  const samples = entries.reduce((s, e) => s + Object.values(e.samples).reduce((n, r) => n + r.length, 0), 0);
  t.is(samples, index.counts.samples);
  t.true(index.counts.entries + index.counts.opinfos_skipped >= index.counts.opinfos);
  t.true(index.opinfos_skipped.every((s) => s.reason.length > 0));
  // torch.add is an OpInfo with both variants, so the runner is exercised on both.
  const add = entries.find((e) => e.opinfo === 'add');
  t.deepEqual(add?.names, ['torch.add', 'Tensor.add']);
});

test('no exposed op gives a wrong value where Python gave one, but the known ones', (t) => {
  const known = knownIds(loadKnownFailures());
  const wrong = report().results.flatMap((r) => r.outcomes.filter((o) => o.status === 'wrong'));
  const unknown = wrong.filter((o) => !known.has(o.id));
  t.true(report().totals.samplesRun > 0, 'no sample ran: is any op exposed?');
  t.deepEqual(
    unknown.map((o) => `${o.id}\n  ${o.call}\n  ${o.detail}`),
    [],
    'torchts returns a value that differs from Python (a silent wrong answer); fix it, or list it with its reason in test/fixtures/opinfo/known_failures.json',
  );
});

test('known_failures.json lists only samples that still give a wrong value', (t) => {
  const k = loadKnownFailures();
  const wrong = new Set(report().results.flatMap((r) => r.outcomes.filter((o) => o.status === 'wrong').map((o) => o.id)));
  const stale = [...knownIds(k)].filter((id) => !wrong.has(id));
  t.deepEqual(stale, [], 'these samples no longer give a wrong value: remove them from test/fixtures/opinfo/known_failures.json');
  for (const [key, f] of Object.entries(k.failures)) {
    t.true(f.reason.length > 0 && !f.reason.startsWith('TODO'), `${key}: a known failure needs its reason`);
  }
});

// ----- the runner itself: it must be able to fail -----

function f32(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

function entryWith(names: string[], rec: Partial<SampleRecord>): OpEntry {
  const sample: SampleRecord = { seed: 0, input: null, args: [], kwargs: {}, variants: names, ...rec };
  return { opinfo: 'synthetic', aten_name: 'synthetic', names, supports_autograd: true, samples: { float32: [sample] } };
}

test('the runner calls by the Python name and tells a wrong value from a right one', (t) => {
  const input = { $t: 'float32', shape: [3], b64: f32([0, 1, -2]), rg: true };
  const right = { $t: 'float32', shape: [3], b64: f32([0, 1, -2].map(Math.exp)) };
  const off = { $t: 'float32', shape: [3], b64: f32([0, 1, -2].map((x) => Math.exp(x) * 1.001)) };
  // d/dx sum(exp(x) * c) = exp(x) * c, the cotangent c = (-1.25, 0.5, -0.5) (cotangentValues).
  const grad = { outputs: 1, values: [{ $t: 'float32', shape: [3], b64: f32([0, 1, -2].map((x, i) => Math.exp(x) * [-1.25, 0.5, -0.5][i])) }] };
  const badGrad = { outputs: 1, values: [{ $t: 'float32', shape: [3], b64: f32([0, 1, -2].map(Math.exp)) }] };
  for (const qual of ['torch.exp', 'Tensor.exp']) {
    t.is(runEntry(entryWith([qual], { input, output: right, grad }), qual).status, 'pass', qual);
    t.is(runEntry(entryWith([qual], { input, output: off, grad }), qual).status, 'fail-wrong-value', qual);
    t.is(runEntry(entryWith([qual], { input, output: right, grad: badGrad }), qual).status, 'fail-wrong-value', `${qual} gradient`);
  }
  t.is(runEntry(entryWith(['torch.no_such_op'], { input, output: right }), 'torch.no_such_op').status, 'missing');
  // An error where Python raised agrees; a value where Python raised does not.
  const bad = { input, args: ['not a tensor'], error: { type: 'TypeError', message: 'x' } };
  t.is(runEntry(entryWith(['torch.add'], bad), 'torch.add').outcomes[0].status, 'pass');
  const accepts = runEntry(entryWith(['torch.exp'], { input, error: { type: 'RuntimeError', message: 'x' } }), 'torch.exp');
  t.is(accepts.outcomes[0].status, 'accepts');
  // Keywords travel as one trailing options object: sum(dim=0, keepdim=True) keeps the dim.
  const matrix = { $t: 'float32', shape: [2, 2], b64: f32([1, 2, 3, 4]) };
  const summed = { $t: 'float32', shape: [1, 2], b64: f32([4, 6]) };
  const kw = runEntry(entryWith(['torch.sum'], { input: matrix, args: [], kwargs: { dim: 0, keepdim: true }, output: summed }), 'torch.sum');
  t.is(kw.status, 'pass', kw.outcomes[0]?.detail);
  t.true(torch.is_grad_enabled());
});
