// The notebook example, run as a user runs it, against its Python twin
// (scripts/golden/notebook.py) on Debian's Fashion-MNIST: the same last
// losses, loss sums, test accuracies and per-class accuracies; and its
// figures are real PNG and SVG files.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import { kernelFixture, PYTHON } from './_helpers';

const root = path.join(__dirname, '..');
const golden = kernelFixture<{ models: number; seed: number; last_losses: number[]; loss_sums: number[]; test_accuracies: number[]; per_class_accuracies: number[][] }>(
  'notebook.json',
);

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-notebook-'));
let stdout = '';
test.before(() => {
  stdout = execFileSync(
    process.execPath,
    ['--import=tsx', path.join(root, 'examples/notebook.ts'), '--models', String(golden.models), '--seed', String(golden.seed), '--out', out, '--data', '/usr/share/datasets/fashion-mnist'],
    { cwd: root, encoding: 'utf8' },
  );
});

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('the notebook reproduces Python: last losses, loss sums, accuracies, per-class accuracies', (t) => {
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
  t.is(results.dataset, 'FashionMNIST');
  t.is(results.models, golden.models);
  results.last_losses.forEach((v: number, i: number) => t.true(close(v, golden.last_losses[i], 1e-5), `model ${i + 1} last loss ${v} vs ${golden.last_losses[i]}`));
  results.loss_sums.forEach((v: number, i: number) => t.true(close(v, golden.loss_sums[i], 1e-5), `model ${i + 1} loss sum ${v} vs ${golden.loss_sums[i]}`));
  results.test_accuracies.forEach((v: number, i: number) => t.true(close(v, golden.test_accuracies[i], 1e-5), `model ${i + 1} accuracy`));
  results.per_class_accuracies.forEach((row: number[], i: number) =>
    row.forEach((v, c) => t.true(close(v, golden.per_class_accuracies[i][c], 1e-5), `model ${i + 1} class ${c}`)),
  );
});

test('the notebook prints what the notebook prints', (t) => {
  t.regex(stdout, /Tensor dimension of a single batch \(batch_size x channels x height x width\): \[ 32, 1, 28, 28 \]/);
  t.regex(stdout, /Model 3 parameter shapes:\n\ttorch\.Size\(\[32, 784\]\) tensor\(\[/);
  t.regex(stdout, /tensor\(\[0\.8000, 0\.6000, 0\.4000\]\) \(learnable tensor\)/);
  // The last loss printed is the one Python's run ended with (whose digits depend on the libtorch's BLAS).
  const printed = /Model 2: the last loss is (\S+)/.exec(stdout);
  t.truthy(printed, 'the last loss of model 2 is printed');
  t.true(close(Number(printed![1]), golden.last_losses[1], 1e-5), `printed ${printed?.[1]} vs ${golden.last_losses[1]}`);
  t.regex(stdout, /Model 1 Test accuracy: 0\.\d{4}/);
});

test("the best model's state_dict is saved in torch.save's format and loads in Python", (t) => {
  const file = path.join(out, 'best_model.pt');
  const script = path.join(root, 'scripts', 'golden', 'serialization.py');
  const py = JSON.parse(execFileSync(PYTHON, [script, 'check', file], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  t.deepEqual(Object.keys(py.weights_only.dict), ['layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias']);
  t.deepEqual(py.weights_only.dict['layers.0.weight'].tensor.shape, [32, 784]);
});

function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(file);
  if (b.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a' || b.subarray(12, 16).toString() !== 'IHDR') throw new Error(`${file} is not a PNG`);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

for (const [name, title] of [
  ['first_four_images', 'First four training images'],
  ['loss_curves', 'Comparison of Model Loss Convergence'],
  ['per_class_accuracy', 'Per-class accuracy on the test set'],
]) {
  test(`the figure ${name} is a PNG and an SVG titled "${title}"`, (t) => {
    const [w, h] = pngSize(path.join(out, `${name}.png`));
    t.true(w > 300 && h > 100, `${w}x${h}`);
    t.true(fs.statSync(path.join(out, `${name}.png`)).size > 5000);
    const svg = fs.readFileSync(path.join(out, `${name}.svg`), 'utf8');
    t.true(svg.startsWith('<svg'));
    t.true(svg.includes(title));
  });
}
