// Each of the package's entry points loads on its own, first in a fresh
// process: a user may import 'torchts/nn/functional' before 'torchts', and an
// import cycle that only the main entry's order hides then fails at load.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const entries = Object.keys(require('../package.json').exports as Record<string, unknown>).filter((k) => k !== './package.json');

for (const entry of entries) {
  test(`the entry point '${entry}' loads first, on its own`, (t) => {
    const module = path.join(root, 'lib', entry === '.' ? 'index' : entry.slice(2));
    const r = spawnSync(process.execPath, ['--import=tsx', '-e', `const m = require(${JSON.stringify(module)}); console.log(Object.keys(m).length > 0)`], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    t.is(r.status, 0, r.stderr);
    t.is(r.stdout.trim(), 'true');
  });
}
