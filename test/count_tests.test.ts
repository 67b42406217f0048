// .ci/run's tally (scripts/count_tests.js) against TAP output that ava 7
// really wrote: a test file whose process died before declaring its tests,
// one that died midway, and a run that ava's inactivity timeout ended, which
// ava reports as "# pass 0 / # fail 0". Every test that was never reported
// must count as failed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { countRun } = require('../scripts/count_tests.js') as {
  countRun: (tap: string, files: string[]) => { passed: number; failed: number; unreported: { file: string }[] };
};

function counted(tap: string, files: string[]) {
  const { passed, failed, unreported } = countRun(tap, files);
  return { passed, failed, unreported: unreported.map((u) => path.basename(u.file)) };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-count-'));
function testFile(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}
const good = testFile('good.test.js', "test('one', (t) => t.pass());\ntest('two', (t) => t.pass());\n");
const dies = testFile('dies.test.js', "process.kill(process.pid, 'SIGKILL');\ntest('a', f);\ntest('b', f);\ntest.serial('c', f);\n");
const diesMidway = testFile('diesmid.test.js', "test.serial('first', f);\ntest.serial('kills', f);\ntest.serial('after', f);\n");
const hangs = testFile('a_hang.test.js', "test('hangs', f);\ntest('also pending', f);\n");

test('a file that died before declaring its tests counts them as failed', (t) => {
  const tap = [
    'TAP version 13',
    'not ok 1 - test/dies.test.js exited due to SIGKILL',
    'ok 2 - diesmid › first',
    'not ok 3 - test/diesmid.test.js exited due to SIGKILL',
    'ok 4 - good › one',
    'ok 5 - good › two',
    '',
    '1..5',
    '# tests 5',
    '# pass 3',
    '# fail 4',
  ].join('\n');
  // ava's own count: 4 failed (two crashes, and diesmid's two unfinished
  // tests, which it counts without a line); dies.test.js's three are missing.
  t.deepEqual(counted(tap, [dies, diesMidway, good]), { passed: 3, failed: 7, unreported: ['dies.test.js', 'diesmid.test.js'] });
});

test("a run ended by ava's timeout, reported as nothing at all, is a failure", (t) => {
  const tap = ['TAP version 13', '', '1..0', '# tests 0', '# pass 0', '# fail 0', ''].join('\n');
  t.deepEqual(counted(tap, [hangs, good]), { passed: 0, failed: 4, unreported: ['a_hang.test.js', 'good.test.js'] });
});

test('a complete run is counted as ava counts it', (t) => {
  const tap = ['TAP version 13', 'ok 1 - good › one', 'ok 2 - good › two # SKIP', 'not ok 3 - a_hang › hangs', 'ok 4 - a_hang › also pending', '', '1..4', '# tests 4', '# pass 2', '# skip 1', '# fail 1', ''].join('\n');
  t.deepEqual(counted(tap, [hangs, good]), { passed: 2, failed: 1, unreported: [] });
});

test('TAP output without a summary (ava itself died) is one more failure', (t) => {
  const tap = ['TAP version 13', 'ok 1 - good › one', 'ok 2 - good › two', 'ok 3 - a_hang › hangs'].join('\n');
  t.deepEqual(counted(tap, [hangs, good]), { passed: 3, failed: 2, unreported: ['a_hang.test.js'] });
});
