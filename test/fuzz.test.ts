// The op-call fuzzer in the suite: every crash it ever recorded is replayed
// (a recorded crash is a failing case until the operator is guarded), and a
// bounded run (FUZZ_SECONDS, 60 by default; FUZZ_SEED, 1 by default, so that
// CI is repeatable: `npm run fuzz` explores random seeds by hand) must find
// no new one. The calls run in child processes, so a crash fails the test
// instead of ending the run. Each child is bounded by its CPU time
// (childLimits, watchdog.ts), so a busy machine makes these tests slower,
// never failing. Their own timeouts are a last resort, sized from the
// children's backstops with room for a slow machine.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { iterationRandom } from './hardening/file_fuzz_child';
import { mutateArchive, parsePickle, readZip, writePickle, writeZip } from './hardening/file_mutate';
import { childLimits, crashFile, fuzz, runChild, type FuzzCrash } from './hardening/fuzz';

const recorded: FuzzCrash[] = JSON.parse(fs.readFileSync(crashFile, 'utf8'));

test('every crash the fuzzer recorded now ends in a JS error instead', async (t) => {
  // A replay starts a child and makes one call, each bounded by the watchdog.
  t.timeout(recorded.length * 2 * childLimits.blockedSeconds * 1000);
  t.true(recorded.length > 0);
  const still: string[] = [];
  for (const c of recorded) {
    const run = await runChild(c.seed, 0, c.replayFrom, c.iteration - c.replayFrom + 1, c.mode);
    const why = run.verdict ? `${run.failure}, past its ${run.verdict} limit` : run.failure;
    if (run.failure) still.push(`${c.op}(${c.args}) [seed ${c.seed}, iteration ${c.iteration}]: ${why}`);
  }
  t.deepEqual(still, []);
});

test('a bounded fuzz run over the generic op call crashes nothing', async (t) => {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
  const seed = Number(process.env.FUZZ_SEED ?? 1);
  // After the deadline, the child in flight finishes its call and a last one may start.
  t.timeout((seconds + 3 * childLimits.blockedSeconds) * 1000);
  const report = await fuzz(seed, seconds, false);
  t.deepEqual(report.crashes.map((c) => `${c.op}(${c.args}) [seed ${c.seed}, iteration ${c.iteration}]: ${c.signal}`), []);
  t.log(`${report.calls} calls in ${seconds} s (seed ${seed}), ${report.slow.length} slow: ${report.slow.map((s) => s.op).join(', ')}`);
});

// The file fuzzer's mutations must reach the parsers behind the zip's checks:
// its zip and pickle writers must give back files the loaders accept as the
// originals, so that a mutant differs from a valid file only where mutated.
const fixtures = path.join(__dirname, 'fixtures');
const archives = ['serialization', 'jit'].flatMap((d) => fs.readdirSync(path.join(fixtures, d)).map((f) => path.join(fixtures, d, f)));

test("the file fuzzer's pickle parser writes every fixture's pickles back byte for byte", (t) => {
  let pickles = 0;
  for (const file of archives) {
    for (const entry of readZip(fs.readFileSync(file))) {
      if (!entry.name.endsWith('.pkl') && !entry.name.endsWith('.debug_pkl')) continue;
      t.deepEqual(writePickle(parsePickle(entry.data)), entry.data, entry.name);
      pickles++;
    }
  }
  t.true(pickles > archives.length, `${pickles} pickles`);
});

test("the file fuzzer's zip writer gives files that load as the originals do", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-fuzz-zip-'));
  const rewritten = path.join(dir, 'rewritten.pt');
  for (const file of archives) {
    fs.writeFileSync(rewritten, writeZip(readZip(fs.readFileSync(file))).bytes);
    if (file.includes(`${path.sep}jit${path.sep}`)) {
      const x = torch.ones(2, 1, 28, 28);
      const run = (m: ReturnType<typeof torch.jit.load>) => {
        try {
          return m.forward(x) as Tensor;
        } catch {
          return null; // a module whose forward takes other inputs: its parameters are compared instead
        }
      };
      const [a, b] = [torch.jit.load(file), torch.jit.load(rewritten)];
      const [ya, yb] = [run(a), run(b)];
      t.is(ya === null, yb === null, file);
      if (ya && yb) t.true(ya.equal(yb), file);
      t.deepEqual(Object.keys(b.state_dict()), Object.keys(a.state_dict()), file);
    } else {
      t.is(torch.load(rewritten) !== undefined, true, file);
      t.is(JSON.stringify(Object.keys(torch.load(rewritten))), JSON.stringify(Object.keys(torch.load(file))), file);
    }
  }
  fs.rmSync(dir, { recursive: true });
});

// A mutation can leave a text opcode (GLOBAL's module and name) without its
// newline; the parser then started over from byte 0 forever, and the file
// fuzzer's child died of a full JS heap at seed 12, iteration 5115, with the
// blame on the load before it.
test("the file fuzzer's pickle parser refuses a text opcode with no newline instead of parsing forever", (t) => {
  t.throws(() => parsePickle(Buffer.from('\x80\x02ctorch\nFloatStorage', 'latin1')), { message: /opcode "c" at byte 2 has no newline ending its argument/ });
  t.throws(() => parsePickle(Buffer.from('\x80\x02Ifoo', 'latin1')), { message: /opcode "I" at byte 2 has no newline/ });
});

test('a file mutant is the same for the same seed and iteration, and differs from its source', (t) => {
  const source = fs.readFileSync(path.join(fixtures, 'serialization', 'mlp_state_dict.pt'));
  const unmutated = writeZip(readZip(source)).bytes;
  let changed = 0;
  for (let i = 0; i < 20; i++) {
    const a = mutateArchive(source, iterationRandom(3, i));
    const b = mutateArchive(source, iterationRandom(3, i));
    t.deepEqual(a.mutations, b.mutations);
    t.true(a.bytes.equals(b.bytes));
    if (!a.bytes.equals(unmutated)) changed++;
  }
  // a few mutations can be no-ops (a record swapped with itself)
  t.true(changed >= 18, `${changed} of 20 mutants differ from the source`);
});
