// The generated bad-input suite (test/hardening/cases.ts), run in a child
// process that the test restarts after a crash, so that a crash is caught and
// counted instead of ending the run. Every case must throw a JS Error whose
// message names the problem: not a crash, not a silent success, and not a
// JavaScript engine error leaking from an unchecked argument.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import test from 'ava';

import { cases } from './hardening/cases';

const runner = path.join(__dirname, 'hardening', 'runner.ts');
// Messages that mean an argument went unchecked until the engine tripped on it.
const ENGINE_ERRORS = /Cannot read propert|is not a function|is not iterable|Cannot convert a Symbol|Cannot mix BigInt|Maximum call stack|is not a constructor|Invalid array length/;

interface Result {
  i: number;
  threw?: boolean;
  kind?: string;
  message?: string;
  crashed?: string;
}

function runAll(count: number): Result[] {
  const results: Result[] = [];
  let from = 0;
  while (from < count) {
    const r = spawnSync(process.execPath, ['--import=tsx', runner, String(from)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    let started = from;
    let finished = false;
    for (const line of r.stdout.split('\n')) {
      if (!line) continue;
      const msg = JSON.parse(line);
      if ('start' in msg) started = msg.start;
      else if ('done' in msg) finished = true;
      else results.push(msg);
    }
    if (finished) break;
    // The child died in case `started`: count it and go on after it.
    results.push({ i: started, crashed: `${r.signal ?? `exit ${r.status}`}: ${r.stderr.split('\n').slice(-5).join(' ')}` });
    from = started + 1;
  }
  return results;
}

const all = cases();
const results = runAll(all.length);

test(`the generated suite has at least 300 cases (${all.length}) and every one ran`, (t) => {
  t.true(all.length >= 300);
  t.deepEqual(results.map((r) => r.i), all.map((_, i) => i));
});

test('no bad input crashes the process', (t) => {
  const crashes = results.filter((r) => r.crashed);
  t.deepEqual(crashes.map((r) => `${all[r.i].name}: ${r.crashed}`), []);
});

test('every bad input throws an Error whose message names the problem', (t) => {
  const problems = results
    .filter((r) => !r.crashed)
    .filter((r) => !r.threw || ENGINE_ERRORS.test(r.message!) || r.message!.length < 12)
    .map((r) => `${all[r.i].name} => ${r.threw ? `${r.kind}: ${r.message}` : 'no error'}`);
  t.deepEqual(problems, []);
});
