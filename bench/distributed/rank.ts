// One torchts rank of bench/distributed.ts's all_reduce benchmark: the same
// loop as rank.py, each call awaited before the next (as Python's blocks).
import * as torch from '../../lib';

const dist = torch.distributed;

async function main(): Promise<void> {
  const sizes = process.argv[2].split(',').map(Number);
  const budget = Number(process.argv[3]);
  torch.set_num_threads(1);
  await dist.init_process_group('gloo');
  const out: Record<number, number> = {};
  for (const nbytes of sizes) {
    const t = torch.ones(Math.max(1, Math.floor(nbytes / 4)));
    const iters = Math.max(3, Math.min(2000, Math.floor((budget / Math.max(nbytes, 4)) * 1e6)));
    for (let i = 0; i < Math.max(2, Math.floor(iters / 10)); i++) await dist.all_reduce(t);
    await dist.barrier();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) await dist.all_reduce(t);
    out[nbytes] = Number(process.hrtime.bigint() - start) / 1e9 / iters;
    await dist.barrier();
  }
  dist.destroy_process_group();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
