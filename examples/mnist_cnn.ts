// pytorch/examples' mnist, line for line: a small CNN (two 3x3 convolutions,
// max pooling, dropout, two linear layers, log_softmax) trained with
// nll_loss, Adadelta and StepLR, here on Debian's Fashion-MNIST. Its Python
// twin is examples/mnist_cnn.py: with the same options both print the same
// lines and the same losses (test/examples.test.ts checks a short run).
//
// Full run (pytorch/examples' defaults: 14 epochs of 938 batches of 64, 0.2-0.5 s a batch on 2 cores: one to two hours):
//   npx tsx examples/mnist_cnn.ts
// Quick run (about 1-2 minutes on 2 cores):
//   npx tsx examples/mnist_cnn.ts --epochs 2 --batches 100 --test-batches 2
// Options: --batch-size --test-batch-size --epochs --lr --gamma --seed --log-interval
// --batches (training batches per epoch, 0 for all) --test-batches (0 for all)
// --data DIR (Debian's gzip files, or torchvision's layout) --losses FILE (every step's loss, as JSON).
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';

import torch, { nn, optim, type Tensor } from 'torchts';
import { format } from 'torchts/python/builtins';
import { DataLoader } from 'torchts/utils/data';
import { datasets, transforms } from 'torchts/vision';

const F = nn.functional;
const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/**
 * conv(1->32, 3x3) - relu - conv(32->64, 3x3) - relu - max_pool 2 - dropout 0.25
 * - flatten - linear(9216->128) - relu - dropout 0.5 - linear(128->10) - log_softmax.
 * Input (N, 1, 28, 28); output (N, 10) log-probabilities.
 */
export class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, 1);
  conv2 = new nn.Conv2d(32, 64, 3, 1);
  dropout1 = new nn.Dropout(0.25);
  dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);

  override forward(x: Tensor): Tensor {
    x = this.conv1(x);
    x = F.relu(x);
    x = this.conv2(x);
    x = F.relu(x);
    x = F.max_pool2d(x, 2);
    x = this.dropout1(x);
    x = torch.flatten(x, 1);
    x = this.fc1(x);
    x = F.relu(x);
    x = this.dropout2(x);
    x = this.fc2(x);
    const output = F.log_softmax(x, { dim: 1 });
    return output;
  }
}

export interface Args {
  batch_size: number;
  test_batch_size: number;
  epochs: number;
  lr: number;
  gamma: number;
  seed: number;
  log_interval: number;
  batches: number;
  test_batches: number;
  data: string;
  losses: string | null;
}

type Loader = DataLoader<[Tensor, number]>;

function train(args: Args, model: Net, train_loader: Loader, optimizer: optim.Optimizer, epoch: number, losses: number[]): void {
  model.train();
  // --batches stops an epoch early; the progress line then counts against it.
  const n_batches = args.batches ? Math.min(args.batches, train_loader.length) : train_loader.length;
  const n_samples = args.batches ? n_batches * train_loader.batch_size! : train_loader.dataset.length;
  let batch_idx = 0;
  for (const [data, target] of train_loader) {
    if (batch_idx === n_batches) break;
    optimizer.zero_grad();
    const output = model(data);
    const loss = F.nll_loss(output, target);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
    if (batch_idx % args.log_interval === 0) {
      console.log(
        `Train Epoch: ${epoch} [${batch_idx * data.shape[0]}/${n_samples} (${format((100 * batch_idx) / n_batches, '.0f')}%)]\tLoss: ${format(loss.item(), '.6f')}`,
      );
    }
    batch_idx++;
  }
}

function test(args: Args, model: Net, test_loader: Loader): [number, number] {
  model.eval();
  let test_loss = 0;
  let correct = 0;
  let seen = 0;
  torch.no_grad(() => {
    let batch_idx = 0;
    for (const [data, target] of test_loader) {
      if (args.test_batches && batch_idx === args.test_batches) break;
      const output = model(data);
      test_loss += F.nll_loss(output, target, { reduction: 'sum' }).item(); // sum up batch loss
      const pred = output.argmax({ dim: 1, keepdim: true }); // get the index of the max log-probability
      correct += pred.eq(target.view_as(pred)).sum().item();
      seen += data.shape[0];
      batch_idx++;
    }
  });

  test_loss /= seen;

  console.log(`\nTest set: Average loss: ${format(test_loss, '.4f')}, Accuracy: ${correct}/${seen} (${format((100 * correct) / seen, '.0f')}%)\n`);
  return [test_loss, correct];
}

export function parse_args(argv: string[]): Args {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      'batch-size': { type: 'string', default: '64' },
      'test-batch-size': { type: 'string', default: '1000' },
      epochs: { type: 'string', default: '14' },
      lr: { type: 'string', default: '1.0' },
      gamma: { type: 'string', default: '0.7' },
      seed: { type: 'string', default: '1' },
      'log-interval': { type: 'string', default: '10' },
      batches: { type: 'string', default: '0' },
      'test-batches': { type: 'string', default: '0' },
      data: { type: 'string', default: DEBIAN_FASHION_MNIST },
      losses: { type: 'string' },
    },
  });
  const int = (name: keyof typeof v, min: number): number => {
    const x = Number(v[name]);
    if (!Number.isInteger(x) || x < min) throw new RangeError(`mnist_cnn: --${name} must be an integer >= ${min}, got ${String(v[name])}`);
    return x;
  };
  const float = (name: keyof typeof v): number => {
    const x = Number(v[name]);
    if (!Number.isFinite(x)) throw new RangeError(`mnist_cnn: --${name} must be a number, got ${String(v[name])}`);
    return x;
  };
  return {
    batch_size: int('batch-size', 1),
    test_batch_size: int('test-batch-size', 1),
    epochs: int('epochs', 1),
    lr: float('lr'),
    gamma: float('gamma'),
    seed: int('seed', 0),
    log_interval: int('log-interval', 1),
    batches: int('batches', 0),
    test_batches: int('test-batches', 0),
    data: v.data!,
    losses: v.losses ?? null,
  };
}

export function main(argv: string[] = process.argv.slice(2)): { losses: number[]; tests: [number, number][] } {
  const args = parse_args(argv);
  torch.manual_seed(args.seed);

  const transform = new transforms.Compose([
    new transforms.ToTensor(),
    new transforms.Normalize([0.1307], [0.3081]),
  ]);
  const dataset1 = new datasets.FashionMNIST(args.data, { train: true, transform });
  const dataset2 = new datasets.FashionMNIST(args.data, { train: false, transform });
  const train_loader: Loader = new DataLoader(dataset1, { batch_size: args.batch_size, shuffle: true });
  const test_loader: Loader = new DataLoader(dataset2, { batch_size: args.test_batch_size });

  const model = new Net();
  const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });

  const scheduler = new optim.lr_scheduler.StepLR(optimizer, { step_size: 1, gamma: args.gamma });
  const losses: number[] = [];
  const tests: [number, number][] = [];
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    train(args, model, train_loader, optimizer, epoch, losses);
    tests.push(test(args, model, test_loader));
    scheduler.step();
  }
  const result = { losses, tests };
  if (args.losses) fs.writeFileSync(args.losses, JSON.stringify(result));
  return result;
}

if (require.main === module) main();
