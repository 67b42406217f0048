// The npm package: what `npm pack` puts in it, and a clean-room install of
// the packed tarball into an empty folder with no compiler on PATH (the
// prebuilt binary must load), running a TypeScript and a CommonJS script.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import { LIBTORCH_VERSION } from '../lib/_libtorch_version';
import { fixture } from './_helpers';
import { prebuiltName, SHIPPED_NODE_MAJORS } from '../lib/native_loader';

/** The loaded libtorch's series ("1.13"), which names the prebuilt binaries that serve it. */
const LIBTORCH_SERIES = LIBTORCH_VERSION.split('.').slice(0, 2).join('.');

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });

/** The one package `npm pack --json` describes: npm 9 to 11 print a list of them, npm 12 an object by name. */
interface Packed {
  filename: string;
  files: { path: string }[];
}
function packResult(json: string): Packed {
  const parsed = JSON.parse(json) as Packed[] | Record<string, Packed>;
  return Array.isArray(parsed) ? parsed[0] : Object.values(parsed)[0];
}

test.before(() => {
  // dist/ from the sources as they are now, never one left by an earlier build;
  // the packs below then skip prepack's own build (--ignore-scripts), which
  // would run once per pack, all at once, over the same dist/.
  npm(['run', 'build:ts'], root);
  // A binary for the running Node, from its own build where none is there yet
  // (npm run prebuild -- --all makes the shipped set; under Node 20, which
  // gets none, this one is the developer's own and --all removes it).
  const prebuilt = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, prebuiltName(process.versions.modules, LIBTORCH_SERIES));
  if (!fs.existsSync(prebuilt)) {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'prebuild.js'), '--from-build'], { cwd: root, stdio: 'ignore' });
  }
});

test('npm pack holds the built library, both entry points, types, the native sources and the prebuilt binary, and nothing else', (t) => {
  const info = packResult(npm(['pack', '--ignore-scripts', '--dry-run', '--json'], root));
  const files: string[] = info.files.map((f: { path: string }) => f.path);
  for (const needed of ['package.json', 'README.md', 'binding.gyp', 'scripts/libtorch.js', 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/index.d.mts', 'dist/nn/index.mjs', 'dist/vision/index.d.mts', 'dist/optim/index.d.ts', 'dist/utils/data/index.js', 'dist/vision/index.mjs', 'native/op_call.cc']) {
    t.true(files.includes(needed), `${needed} is in the package`);
  }
  t.true(files.some((f) => /^prebuilds\/linux-x64\/torchts\.node\.abi\d+\.libtorch\d+\.\d+\.glibc\.node$/.test(f)), 'a prebuilt binary is in the package');
  const unwanted = files.filter((f) => /^(test|lib|bench|examples|build|node_modules|\.ci)\//.test(f) || f.endsWith('.map'));
  t.deepEqual(unwanted.filter((f) => !f.endsWith('.map')), []);
});

test('a clean-room install of the tarball, with no compiler on PATH, trains from TypeScript and from CommonJS', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-cleanroom-'));
  const packed = packResult(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root));
  const tarball = path.join(dir, packed.filename);
  // A PATH with node, npm and a shell (npm runs scripts through sh) and nothing else: no g++, no make, no python3.
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  fs.symlinkSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim(), path.join(bin, 'npm'));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin };
  delete env.npm_config_nodedir;
  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  npm(['install', '--no-audit', '--no-fund', tarball, `tsx@${pkg.devDependencies.tsx}`], app, env);
  t.false(fs.existsSync(path.join(app, 'node_modules', 'torchts', 'build')), 'nothing was compiled at install');
  const train = (imports: string) => `${imports}
torch.manual_seed(0);
const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 1));
const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
const x = torch.randn(32, 4);
const y = x.sum(1, { keepdim: true });
let loss;
for (let i = 0; i < 50; i++) { opt.zero_grad(); loss = new nn.MSELoss()(model(x), y); loss.backward(); opt.step(); }
console.log('loss', loss.item());
`;
  fs.writeFileSync(path.join(app, 'train.cjs'), train("const torch = require('torchts').default; const { nn, optim } = require('torchts');"));
  fs.writeFileSync(path.join(app, 'train.ts'), train("import torch, { nn, optim } from 'torchts';"));
  const run = (node: string, args: string[]) => execFileSync(node, args, { cwd: app, env, encoding: 'utf8' });
  const cjs = run(process.execPath, ['train.cjs']);
  // npm 11.19 refuses, under --strict-allow-scripts, a package whose install
  // script allowScripts does not cover; denied, the prebuilt binary must
  // serve alone, with nothing run at install.
  const strict = path.join(dir, 'strict');
  fs.mkdirSync(strict);
  fs.writeFileSync(path.join(strict, 'package.json'), JSON.stringify({ name: 'strict', version: '1.0.0', private: true, allowScripts: { [`file:${tarball}`]: false } }));
  npm(['install', '--no-audit', '--no-fund', '--strict-allow-scripts', tarball], strict, env);
  fs.copyFileSync(path.join(app, 'train.cjs'), path.join(strict, 'train.cjs'));
  t.is(execFileSync(process.execPath, ['train.cjs'], { cwd: strict, env, encoding: 'utf8' }), cjs, 'installed with its install script denied');
  const ts = run(process.execPath, ['--import', 'tsx', 'train.ts']);
  // The same last loss, digit for digit, as Python under the same libtorch (scripts/golden/package.py).
  t.is(cjs, fixture<{ stdout: string }>('package.json').stdout);
  t.is(ts, cjs);
  // Every other Node major the package has a binary for (npm run prebuild -- --all
  // fetches those Nodes into .node-majors): the same loss, from its own binary.
  // A binary for an unshipped Node (Node 20's, which this test places when
  // run under it) is tried only under that Node itself.
  const others = shippedBinaries().filter((b) => b.node_abi !== process.versions.modules && b.libtorch.startsWith(`${LIBTORCH_SERIES}.`) &&
    SHIPPED_NODE_MAJORS.includes(Number(b.node.slice(1).split('.')[0])));
  for (const other of others) {
    const node = path.join(root, '.node-majors', other.node, 'bin', 'node');
    t.true(fs.existsSync(node), `the package ships a binary for Node ${other.node}, whose node is not in .node-majors to try it (npm run prebuild -- --all fetches it)`);
    if (!fs.existsSync(node)) continue;
    t.is(run(node, ['train.cjs']), cjs, `Node ${other.node}, CommonJS`);
    t.is(run(node, ['--import', 'tsx', 'train.ts']), cjs, `Node ${other.node}, TypeScript`);
  }
});

interface Shipped {
  node_abi: string;
  node: string;
  libtorch: string;
}

/** What prebuilds/ holds for this platform, from the .json beside each binary. */
function shippedBinaries(): Shipped[] {
  const folder = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')) as Shipped);
}

test('each prebuilt binary has its .json, and the package holds them all', (t) => {
  const info = packResult(npm(['pack', '--ignore-scripts', '--dry-run', '--json'], root));
  const files = new Set<string>(info.files.map((f: { path: string }) => f.path));
  const shipped = shippedBinaries();
  t.true(shipped.some((b) => b.node_abi === process.versions.modules && b.libtorch.startsWith(`${LIBTORCH_SERIES}.`)), 'one for the running Node and libtorch');
  for (const b of shipped) {
    const name = `prebuilds/${process.platform}-${process.arch}/${prebuiltName(b.node_abi, b.libtorch.split('.').slice(0, 2).join('.')).replace(/\.node$/, '')}`;
    t.true(files.has(`${name}.node`) && files.has(`${name}.json`), `${name}.node and .json for Node ${b.node}`);
  }
});

test('the packed types resolve for require and import, under node10, node16 and bundler resolution (arethetypeswrong)', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-attw-'));
  const packed = packResult(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root));
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'attw'), [path.join(dir, packed.filename), '--format', 'ascii'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    t.pass();
  } catch (err) {
    t.fail(`arethetypeswrong found problems:\n${(err as { stdout?: string }).stdout ?? err}`);
  }
});
