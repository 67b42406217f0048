// Type errors fail the suite. tsc --strict over lib/, the tests, the
// examples users copy, the benchmarks and test-d/, the type-level tests of
// the public API (a `// @ts-expect-error` that no longer finds its error is
// an error too). One ava test rather than a `pretest` script: it is counted
// and named in the TAP summary CI reads, shows tsc's diagnostics as the
// failure, and runs on its own with `npx ava test/typecheck.test.ts`.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import test from 'ava';

const root = path.join(__dirname, '..');

test('lib, tests, examples, bench and the public API cases in test-d/ type-check under --strict', (t) => {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.check.json', '--pretty', 'false'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
    t.pass();
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    t.fail(`tsc -p tsconfig.check.json found errors:\n${stdout}${stderr}`);
  }
});
