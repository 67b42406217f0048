// The exercise notebook (shared/seed/ex4-optimization-notebook.txt), task by
// task, in TypeScript: the data, three ways to build an MLP, autograd, a
// training loop, ten models trained with Adam, loss curves, accuracy and
// per-class accuracy.
//
//   npx tsx examples/notebook.ts [--data DIR] [--device cuda] [--models N] [--out DIR] [--seed S]
//
// With no --data it uses MNIST in ./data (torchvision's layout) where found,
// else Debian's Fashion-MNIST in /usr/share/datasets/fashion-mnist.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import torch, { nn, optim, type Tensor } from 'torchts';
import { DataLoader } from 'torchts/utils/data';
import { datasets, transforms } from 'torchts/vision';
import { NOTEBOOK_DIMS, SimpleFixedMLP, SimpleMLP, sequentialMLP } from './notebook_models';
import { accuracyBars, imageGrid, lossCurves } from './plots';

const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    device: { type: 'string', default: 'cpu' },
    models: { type: 'string', default: '10' },
    out: { type: 'string', default: 'out/notebook' },
    seed: { type: 'string', default: '0' },
  },
});
const device = args.device!;
const nModels = Number(args.models);
const outDir = args.out!;
if (!Number.isInteger(nModels) || nModels < 1) throw new TypeError(`--models must be a positive integer, got ${args.models}`);

// Python prints None where JS has null.
const py = (v: unknown) => (v === null ? 'None' : v);

/** MNIST or Fashion-MNIST, from --data or the defaults, saying which. */
function loadData(): { Dataset: typeof datasets.MNIST; root: string } {
  const has = (root: string, name: string) => fs.existsSync(path.join(root, name, 'raw'));
  if (args.data) {
    const root = args.data;
    if (has(root, 'FashionMNIST')) return { Dataset: datasets.FashionMNIST, root };
    if (has(root, 'MNIST')) return { Dataset: datasets.MNIST, root };
    return { Dataset: /fashion/i.test(root) ? datasets.FashionMNIST : datasets.MNIST, root };
  }
  if (has('data', 'MNIST')) return { Dataset: datasets.MNIST, root: 'data' };
  return { Dataset: datasets.FashionMNIST, root: DEBIAN_FASHION_MNIST };
}

// ---- Task: training loop --------------------------------------------------

function progress(label: string, done: number, total: number, loss: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} loss ${loss.toFixed(4)}`);
  if (done === total) process.stderr.write('\n');
}

// MNIST's items are [image, label]; the loader stacks them into [images, labels].
type MNISTLoader = DataLoader<[Tensor, number]>;

function train(model: SimpleMLP, dataloader: MNISTLoader, optimizer: optim.Optimizer, loss_fn: nn.CrossEntropyLoss, n_epochs = 20, label = ''): number[] {
  let losses: number[] = [];
  for (let epoch = 0; epoch < n_epochs; epoch++) {
    losses = [];
    let i = 0;
    for (let [batch, labels] of dataloader) {
      [batch, labels] = [batch.to(device), labels.to(device)];
      optimizer.zero_grad();
      const predictions = model(batch);
      const loss = loss_fn(predictions, labels);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
      if (++i % 25 === 0 || i === dataloader.length) progress(label, i, dataloader.length, losses[losses.length - 1]);
    }
  }
  return losses;
}

// ---- Task: evaluation -----------------------------------------------------

function compute_accuracy(model: SimpleMLP, dataloader: MNISTLoader): number {
  const dev = model.parameters()[0].device;
  let n_correctly_classified = 0;
  for (let [batch, labels] of dataloader) {
    [batch, labels] = [batch.to(dev), labels.to(dev)];
    const outputs = model(batch);
    const [, predicted] = torch.max(outputs, 1);
    n_correctly_classified += predicted.eq(labels).sum().item();
  }
  return n_correctly_classified / dataloader.dataset.length;
}

function compute_accuracy_per_class(model: SimpleMLP, dataloader: MNISTLoader): Record<number, number> {
  const dev = model.parameters()[0].device;
  // Whole-batch counts instead of the notebook's element loop: the same numbers, without 10,000 JS round trips.
  const correct = torch.zeros(10, { dtype: torch.int64 });
  const total = torch.zeros(10, { dtype: torch.int64 });
  for (const [batch, labels] of dataloader) {
    const predictions = model(batch.to(dev)).argmax({ dim: 1 }).cpu();
    total.add_(torch.bincount(labels, { minlength: 10 }));
    correct.add_(torch.bincount(labels.index(predictions.eq(labels)), { minlength: 10 }));
  }
  const c = correct.tolist() as number[];
  const n = total.tolist() as number[];
  return Object.fromEntries(c.map((k, i) => [i, k / n[i]]));
}

function movingAverage(values: number[], window: number): number[] {
  // numpy.convolve(values, ones(window) / window, mode='valid')
  const out: number[] = [];
  for (let i = 0; i + window <= values.length; i++) {
    let s = 0;
    for (let k = 0; k < window; k++) s += values[i + k] / window;
    out.push(s);
  }
  return out;
}

async function main(): Promise<void> {
  torch.manual_seed(Number(args.seed));

  // ---- Dataset ------------------------------------------------------------
  const { Dataset, root } = loadData();
  const train_set = new Dataset({ root, transform: new transforms.ToTensor() });
  const test_set = new Dataset({ root, train: false, transform: new transforms.ToTensor() });
  console.log(`Using ${Dataset.name} from ${train_set.folder} (${train_set.length} training, ${test_set.length} test images)`);
  const train_loader = new DataLoader(train_set, { batch_size: 32, shuffle: false });
  const test_loader = new DataLoader(test_set, { batch_size: 32, shuffle: false });

  const files: string[] = [];
  for (const [batch, labels] of train_loader) {
    console.log('Tensor dimension of a single batch (batch_size x channels x height x width):', [...batch.shape]);
    const first4 = [0, 1, 2, 3].map((i) => batch.index(i, 0).tolist() as number[][]);
    const names = [0, 1, 2, 3].map((i) => `${labels.index(i).item()}: ${train_set.classes[labels.index(i).item()]}`);
    files.push(...(await imageGrid(first4, names, path.join(outDir, 'first_four_images'))));
    break;
  }

  // ---- Models: three ways to build the same MLP ----------------------------
  const model1 = new SimpleFixedMLP();
  const model2 = new SimpleMLP(NOTEBOOK_DIMS);
  const model3 = sequentialMLP(NOTEBOOK_DIMS);
  for (const model of [model1, model2, model3]) console.log(String(model));
  [model1, model2, model3].forEach((model, k) => {
    console.log(`Model ${k + 1} parameter shapes:`);
    model.parameters().forEach((param, i) => console.log(`\t${param.shape} ${i === 0 ? param.detach().index(0, torch.slice(null, 3)) : ''}`));
  });

  // ---- Autograd and an optimizer step, by hand ------------------------------
  const non_learnable_tensor = torch.tensor([1, 2, 3], { dtype: torch.float });
  const learnable_tensor = torch.tensor([1, 1, 1], { requires_grad: true });
  const optimizer = new optim.SGD([learnable_tensor, non_learnable_tensor], { lr: 0.1 });
  const output = non_learnable_tensor.matmul(learnable_tensor);
  console.log('After initialization of tensors the .grad attribute is None.\n');
  console.log(py(learnable_tensor.grad), '(gradient of learnable tensor)');
  console.log(py(non_learnable_tensor.grad), '(gradient of non learnable tensor)\n');
  output.backward({ retain_graph: true });
  console.log('After backward(), requires_grad tensors have a gradient:\n');
  console.log(py(learnable_tensor.grad), '(gradient of learnable tensor)');
  console.log(py(non_learnable_tensor.grad), '(gradient of non learnable tensor)\n');
  output.backward();
  console.log('A second backward() adds to it:\n');
  console.log(py(learnable_tensor.grad), '(gradient of learnable tensor)');
  console.log(py(non_learnable_tensor.grad), '(gradient of non learnable tensor)\n');
  optimizer.step();
  console.log('After an SGD step with lr 0.1: (1, 1, 1) - (2, 4, 6) * 0.1 = (0.8, 0.6, 0.4)\n');
  console.log(learnable_tensor.data, '(learnable tensor)');
  console.log(non_learnable_tensor.data, '(non learnable tensor)\n');
  optimizer.zero_grad({ set_to_none: false });
  console.log('After zero_grad(set_to_none=False):\n');
  console.log(py(learnable_tensor.grad), '(gradient of learnable tensor)');
  console.log(py(non_learnable_tensor.grad), '(gradient of non learnable tensor)\n');

  // ---- Training: models trained with Adam ----------------------------------
  const loss_fn = new nn.CrossEntropyLoss();
  const models = Array.from({ length: nModels }, () => new SimpleMLP([28 * 28, 32, 10]).to(device));
  const optimizers = models.map((model) => new optim.Adam(model.parameters(), { lr: 0.04 }));
  const losses: number[][] = [];
  const started = Date.now();
  models.forEach((model, i) => {
    losses.push(train(model, train_loader, optimizers[i], loss_fn, 1, `Model ${i + 1}`));
  });
  const seconds = (Date.now() - started) / 1000;
  losses.forEach((l, i) => console.log(`Model ${i + 1}: the last loss is ${l[l.length - 1]}`));
  console.log(`(trained ${nModels} models x ${train_loader.length} steps in ${seconds.toFixed(1)} s)`);
  files.push(...(await lossCurves(losses.map((l) => movingAverage(l, 25)), path.join(outDir, 'loss_curves'))));

  // ---- Evaluation ----------------------------------------------------------
  const test_accuracies = models.map((model) => compute_accuracy(model, test_loader));
  test_accuracies.forEach((acc, i) => console.log(`Model ${i + 1} Test accuracy: ${acc.toFixed(4)}`));
  const per_class = models.map((model) => compute_accuracy_per_class(model, test_loader));
  per_class.forEach((accs, i) => console.log(`Model ${i + 1} per-class accuracy:`, Object.values(accs).map((a) => a.toFixed(4)).join(' ')));
  files.push(...(await accuracyBars(per_class.map((a) => Object.values(a)), [...train_set.classes], path.join(outDir, 'per_class_accuracy'))));

  // The best model's weights, in the file format Python's torch.save writes.
  const best = test_accuracies.indexOf(Math.max(...test_accuracies));
  const bestFile = path.join(outDir, 'best_model.pt');
  fs.mkdirSync(outDir, { recursive: true });
  torch.save(models[best].state_dict(), bestFile);
  console.log(`Saved Model ${best + 1}'s state_dict (test accuracy ${test_accuracies[best].toFixed(4)}) to ${bestFile}`);
  files.push(bestFile);

  const results = {
    dataset: Dataset.name,
    folder: train_set.folder,
    seed: Number(args.seed),
    models: nModels,
    last_losses: losses.map((l) => l[l.length - 1]),
    loss_sums: losses.map((l) => l.reduce((a, b) => a + b, 0)),
    test_accuracies,
    per_class_accuracies: per_class.map((a) => Object.values(a)),
  };
  fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  console.log(`Wrote ${[...files, path.join(outDir, 'results.json')].join(', ')}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
