// The five-line example, run as a user runs it (npx tsx), prints Python's
// text byte for byte (scripts/golden/five_lines.py).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import test from 'ava';

import { fixture } from './_helpers';

const root = path.join(__dirname, '..');

test('examples/five_lines.ts prints what its Python twin prints', (t) => {
  const golden = fixture<{ script: string; stdout: string }>('five_lines.json');
  const stdout = execFileSync(process.execPath, ['--import=tsx', path.join(root, golden.script)], {
    cwd: root,
    encoding: 'utf8',
  });
  t.is(stdout, golden.stdout);
});
