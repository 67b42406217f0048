// One torchts rank of bench/ddp.ts: DDP training steps of an MLP on a fixed
// batch, timed between barriers as rank.py times Python's, with backward()
// ('sync') or backward_async() ('async'). The event loop is given a turn
// after every step in both modes; its longest stall (perf_hooks) is what a
// server sharing the process would wait at worst.
import { monitorEventLoopDelay } from 'node:perf_hooks';

import * as torch from '../../lib';

const dist = torch.distributed;
const nn = torch.nn;

async function main(): Promise<void> {
  const [dimsArg, batchArg, budgetArg, mode] = process.argv.slice(2);
  const dims = dimsArg.split('-').map(Number);
  const batch = Number(batchArg);
  const budget = Number(budgetArg);
  torch.set_num_threads(1);
  await dist.init_process_group('gloo');
  const layers: torch.nn.Module[] = [];
  for (let i = 0; i + 1 < dims.length; i++) {
    layers.push(new nn.Linear(dims[i], dims[i + 1]));
    if (i + 2 < dims.length) layers.push(new nn.ReLU());
  }
  torch.manual_seed(0);
  const model = new nn.Sequential(...layers);
  const ddp = await nn.parallel.DistributedDataParallel.create(model);
  const opt = new torch.optim.SGD(ddp.parameters(), { lr: 0.01, momentum: 0.9 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.randn(batch, dims[0]);
  const y = torch.randint(0, dims[dims.length - 1], [batch]);
  const step = async () => {
    opt.zero_grad();
    const loss = lossFn(ddp(x), y);
    if (mode === 'async') await loss.backward_async();
    else loss.backward();
    opt.step();
    await new Promise(setImmediate);
  };
  for (let i = 0; i < 5; i++) await step();
  // As many steps as the budget allows, agreed by rank 0 (every rank must run as many).
  const probe = process.hrtime.bigint();
  for (let i = 0; i < 3; i++) await step();
  const perStep = Number(process.hrtime.bigint() - probe) / 3e9;
  const count = torch.tensor([Math.max(5, Math.min(100000, Math.round(budget / perStep)))], { dtype: torch.int64 });
  await dist.broadcast(count, 0);
  const steps = Number(count.item());
  await dist.barrier();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // Nothing is disposed by hand: memory must hold flat on its own.
  const rssBefore = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) await step();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9 / steps;
  const rssAfter = process.memoryUsage().rss;
  delay.disable();
  await dist.barrier();
  dist.destroy_process_group();
  process.stdout.write(`${JSON.stringify({ seconds_per_step: seconds, steps, loop_max_ms: delay.max / 1e6, loop_p99_ms: delay.percentile(99) / 1e6, rss_before_mb: rssBefore / 2 ** 20, rss_after_mb: rssAfter / 2 ** 20 })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
