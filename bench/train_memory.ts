// RSS over long training loops of the notebook's model (784-32-10 MLP,
// batch 32, CrossEntropyLoss, Adam lr 0.04) in the three ways a user may
// treat the tensors a step makes: leave them all to GC, dispose() them by
// hand, `using` them, or run the step in torch.scope(). Each way runs in a
// fresh process, warms up, then samples RSS ten times over the steps.
//   npx tsx bench/train_memory.ts [steps=100000] [warmup=10000] [way]
import { spawnSync } from 'node:child_process';

import torch, { nn, optim, type Tensor } from '../lib';

const steps = Number(process.argv[2] ?? 100_000);
const warmup = Number(process.argv[3] ?? 10_000);
const way = process.argv[4];
const ways = ['none', 'dispose', 'using', 'scope'] as const;

function measure(kind: (typeof ways)[number]): void {
  torch.set_num_threads(1);
  torch.manual_seed(0);
  // A pool of batches that the loop walks through, as an epoch would.
  const images = torch.rand(256, 32, 1, 28, 28);
  const labels = torch.randint(0, 10, [256, 32]);
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 10));
  const opt = new optim.Adam(model.parameters(), { lr: 0.04 });
  const lossFn = new nn.CrossEntropyLoss();

  const step = (i: number): void => {
    const k = i % 256;
    if (kind === 'scope') {
      torch.scope(() => {
        opt.zero_grad();
        const loss: Tensor = lossFn(model(images.select(0, k)), labels.select(0, k));
        loss.backward();
        opt.step();
      });
    } else if (kind === 'using') {
      opt.zero_grad();
      using x = images.select(0, k);
      using y = labels.select(0, k);
      using out: Tensor = model(x);
      using loss: Tensor = lossFn(out, y);
      loss.backward();
      opt.step();
    } else {
      opt.zero_grad();
      const x = images.select(0, k);
      const y = labels.select(0, k);
      const out: Tensor = model(x);
      const loss: Tensor = lossFn(out, y);
      loss.backward();
      opt.step();
      if (kind === 'dispose') for (const t of [x, y, out, loss]) t.dispose();
    }
  };

  for (let i = 0; i < warmup; i++) step(i);
  const samples: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= steps; i++) {
    step(i);
    if (i % (steps / 10) === 0) samples.push(process.memoryUsage().rss / 2 ** 20);
  }
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / steps;
  const growth = ((samples[samples.length - 1] - samples[0]) / samples[0]) * 100;
  const highest = ((Math.max(...samples) - samples[0]) / samples[0]) * 100;
  console.log(
    `${kind.padEnd(8)} RSS (MB) ${samples.map((s) => s.toFixed(0)).join(' ')}  last vs first ${growth >= 0 ? '+' : ''}${growth.toFixed(2)}%, highest +${highest.toFixed(2)}%  (${us.toFixed(0)} us a step)`,
  );
}

if (way) {
  measure(way as (typeof ways)[number]);
} else {
  console.log(`${steps} training steps after ${warmup} of warm-up, one process each:`);
  for (const kind of ways) {
    const r = spawnSync(process.execPath, ['--import=tsx', __filename, String(steps), String(warmup), kind], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
}
