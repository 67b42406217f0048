// The notebook's MLP trained data-parallel with DistributedDataParallel:
// each rank trains on its own share of Fashion-MNIST (DistributedSampler),
// and DDP averages the ranks' gradients during backward, which runs on a
// worker thread (backward_async) while the event loop goes on. Its Python
// twin is examples/data_parallel.py, and Node and Python ranks can share one
// job: every rank ends with the same weights, the weights a job of Python
// ranks ends with (test/distributed.test.ts checks them).
//
//   npx torchts run --nproc-per-node 2 examples/data_parallel.ts [--steps 30] [--batch-size 32] [--seed 0]
//   npx tsx examples/data_parallel.ts --single --world 2    (one process, each step on the ranks' batches together)
//
// Each rank prints one JSON line: its rank, each step's loss, and the final
// weights (flattened). --single prints the same for one process that takes,
// at each step, the union of what the ranks of a --world job take: its
// weights equal theirs up to float rounding (the mean over the union is the
// mean of the ranks' means).
import { parseArgs } from 'node:util';

import torch, { nn, optim, type Tensor } from 'torchts';
import { DataLoader, DistributedSampler, TensorDataset } from 'torchts/utils/data';
import { datasets } from 'torchts/vision';
import { NOTEBOOK_DIMS, SimpleMLP } from './notebook_models';

const dist = torch.distributed;
const F = nn.functional;
const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '30' },
    'batch-size': { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '0' },
    data: { type: 'string', default: DEBIAN_FASHION_MNIST },
    single: { type: 'boolean', default: false },
    world: { type: 'string', default: '2' },
  },
});
const steps = Number(args.steps);
const batchSize = Number(args['batch-size']);
const seed = Number(args.seed);

/** The training images, scaled and normalized as ToTensor and Normalize((0.1307,), (0.3081,)) do, with their labels. */
function trainingSet(): TensorDataset {
  const train = new datasets.FashionMNIST(args.data!, { train: true });
  const images = train.data.to(torch.float32).div(255).sub(0.1307).div(0.3081).unsqueeze(1);
  return new TensorDataset(images, train.targets);
}

/** The weights, flattened, in the order of parameters(). */
function weights(model: nn.Module): number[] {
  return model.parameters().flatMap((p) => p.detach().flatten().tolist() as number[]);
}

async function distributed(): Promise<void> {
  await dist.init_process_group('gloo');
  const rank = dist.get_rank();
  const world = dist.get_world_size();
  torch.manual_seed(seed);
  const model = new SimpleMLP(NOTEBOOK_DIMS);
  // Every rank starts from rank 0's weights, which DDP broadcasts.
  const ddp = await nn.parallel.DistributedDataParallel.create(model);
  const dataset = trainingSet();
  const sampler = new DistributedSampler(dataset, { shuffle: true, seed } as never);
  const loader = new DataLoader(dataset, { batch_size: batchSize, sampler });
  const optimizer = new optim.SGD(model.parameters(), { lr: Number(args.lr), momentum: 0.9 });
  const losses: number[] = [];
  for (const [x, y] of loader as Iterable<[Tensor, Tensor]>) {
    if (losses.length === steps) break;
    optimizer.zero_grad();
    const loss = F.cross_entropy(ddp(x), y);
    // Each parameter's gradient becomes the mean of the ranks' (each rank's loss is a mean over its batch).
    await loss.backward_async();
    optimizer.step();
    losses.push(loss.item());
  }
  process.stdout.write(`${JSON.stringify({ rank, world_size: world, losses, weights: weights(model) })}\n`);
  dist.destroy_process_group();
}

function single(): void {
  const world = Number(args.world);
  torch.manual_seed(seed);
  const model = new SimpleMLP(NOTEBOOK_DIMS);
  const dataset = trainingSet();
  // What each rank of a `world` job would take, step by step.
  const shards = Array.from({ length: world }, (_, rank) => [...new DistributedSampler(dataset, { num_replicas: world, rank, shuffle: true, seed } as never)]);
  const optimizer = new optim.SGD(model.parameters(), { lr: Number(args.lr), momentum: 0.9 });
  const [images, labels] = dataset.tensors;
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const index = torch.tensor(shards.flatMap((shard) => shard.slice(step * batchSize, (step + 1) * batchSize)));
    optimizer.zero_grad();
    const loss = F.cross_entropy(model(images.index_select(0, index)), labels.index_select(0, index));
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  process.stdout.write(`${JSON.stringify({ rank: 0, world_size: 1, losses, weights: weights(model) })}\n`);
}

if (args.single) single();
else
  distributed().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
