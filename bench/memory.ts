// RSS over a synchronous loop that disposes nothing: no await, no
// setImmediate, as in a training loop. Finalizers must run inside GC for RSS
// to stay flat (DESIGN.md, "Memory").
//   npx tsx bench/memory.ts [iterations]
import torch from '../lib';

const iterations = Number(process.argv[2] ?? 100_000);
const reportEvery = iterations / 10;

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function run(label: string, numel: number, step: (a: torch.Tensor, i: number) => unknown): void {
  const a = torch.ones(numel);
  // The allocator and V8 heap settle within a few tens of thousands of
  // iterations (small tensors: a few hundred thousand, as young-generation
  // collections settle); growth is measured after that.
  const warmup = 300_000;
  for (let i = 0; i < warmup; i++) step(a, i);
  const samples: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 1; i <= iterations; i++) {
    step(a, i);
    if (i % reportEvery === 0) samples.push(process.memoryUsage().rss);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const first = samples[0];
  const max = Math.max(...samples);
  const growth = ((samples[samples.length - 1] - first) / first) * 100;
  console.log(`${label}: ${iterations} iterations in ${seconds.toFixed(2)} s`);
  console.log(`  RSS (MB) every ${reportEvery}: ${samples.map(mb).join(' ')}`);
  console.log(`  after warm-up: first ${mb(first)} MB, max ${mb(max)} MB, last vs first ${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%`);
}

console.log(`node ${process.version}, libtorch ${torch.build_info().libtorch}, threads ${torch.get_num_threads()}`);
console.log(`start RSS ${mb(process.memoryUsage().rss)} MB`);
run('4-element tensors (a.add(i))', 4, (a, i) => a.add(i));
run('64 KB tensors (16384 float32, a.add(i))', 16384, (a, i) => a.add(i));
run('64 KB tensors with autograd (a.mul(2).sum())', 16384, (a) => a.mul(2).sum());
