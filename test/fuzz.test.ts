// The op-call fuzzer in the suite: every crash it ever recorded is replayed
// (a recorded crash is a failing case until the operator is guarded), and a
// bounded run (FUZZ_SECONDS, 60 by default; FUZZ_SEED, 1 by default, so that
// CI is repeatable: `npm run fuzz` explores random seeds by hand) must find
// no new one. The calls run in child processes, so a crash fails the test
// instead of ending the run. Each child is bounded by its CPU time
// (childLimits, watchdog.ts), so a busy machine makes these tests slower,
// never failing; their own timeouts only have to outlast the children's
// wall-clock backstops.
import * as fs from 'node:fs';
import test from 'ava';

import { childLimits, crashFile, fuzz, runChild, type FuzzCrash } from './hardening/fuzz';

const recorded: FuzzCrash[] = JSON.parse(fs.readFileSync(crashFile, 'utf8'));

test('every crash the fuzzer recorded now ends in a JS error instead', async (t) => {
  // A replay starts a child (within the backstop) and makes a few calls (each within it too).
  t.timeout(recorded.length * 2 * childLimits.wallSeconds * 1000);
  t.true(recorded.length > 0);
  const still: string[] = [];
  for (const c of recorded) {
    const run = await runChild(c.seed, 0, c.replayFrom, c.iteration - c.replayFrom + 1);
    const why = run.verdict ? `${run.failure}, past its ${run.verdict} limit` : run.failure;
    if (run.failure) still.push(`${c.op}(${c.args}) [seed ${c.seed}, iteration ${c.iteration}]: ${why}`);
  }
  t.deepEqual(still, []);
});

test('a bounded fuzz run over the generic op call crashes nothing', async (t) => {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
  const seed = Number(process.env.FUZZ_SEED ?? 1);
  // After the deadline, the child in flight finishes its call and a last one may start.
  t.timeout((seconds + 3 * childLimits.wallSeconds) * 1000);
  const report = await fuzz(seed, seconds, false);
  t.deepEqual(report.crashes.map((c) => `${c.op}(${c.args}) [seed ${c.seed}, iteration ${c.iteration}]: ${c.signal}`), []);
  t.log(`${report.calls} calls in ${seconds} s (seed ${seed}), ${report.slow.length} slow: ${report.slow.map((s) => s.op).join(', ')}`);
});
