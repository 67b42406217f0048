// The npm package: what `npm pack` puts in it, and a clean-room install of
// the packed tarball into an empty folder with no compiler on PATH (the
// prebuilt binary must load), running a TypeScript and a CommonJS script.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });

test.before(() => {
  if (!fs.existsSync(path.join(root, 'dist', 'index.mjs'))) throw new Error('dist/ is not built: run npm run build:ts first');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'prebuild.js'), '--from-build'], { cwd: root, stdio: 'ignore' });
});

test('npm pack holds the built library, both entry points, types, the native sources and the prebuilt binary, and nothing else', (t) => {
  const [info] = JSON.parse(npm(['pack', '--dry-run', '--json'], root));
  const files: string[] = info.files.map((f: { path: string }) => f.path);
  for (const needed of ['package.json', 'README.md', 'binding.gyp', 'scripts/libtorch.js', 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/nn/index.mjs', 'dist/optim/index.d.ts', 'dist/utils/data/index.js', 'dist/vision/index.mjs', 'native/op_call.cc']) {
    t.true(files.includes(needed), `${needed} is in the package`);
  }
  t.true(files.some((f) => /^prebuilds\/linux-x64\/torchts\.node\.abi\d+\.glibc\.node$/.test(f)), 'a prebuilt binary is in the package');
  const unwanted = files.filter((f) => /^(test|lib|bench|examples|build|node_modules|\.ci)\//.test(f) || f.endsWith('.map'));
  t.deepEqual(unwanted.filter((f) => !f.endsWith('.map')), []);
});

test('a clean-room install of the tarball, with no compiler on PATH, trains from TypeScript and from CommonJS', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-cleanroom-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], root));
  const tarball = path.join(dir, packed.filename);
  // A PATH with node, npm and a shell (npm runs scripts through sh) and nothing else: no g++, no make, no python3.
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  fs.symlinkSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim(), path.join(bin, 'npm'));
  const env = { ...process.env, PATH: bin };
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
  const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: app, env, encoding: 'utf8' });
  const cjs = run(['train.cjs']);
  const ts = run(['--import', 'tsx', 'train.ts']);
  t.regex(cjs, /^loss \d/);
  t.is(ts, cjs);
  t.true(Number(cjs.split(' ')[1]) < 0.5, cjs);
});
