// The 4-element a.add(b) in process CPU time, for A/B runs of two trees
// interleaved (each tree's own lib and native build), which timing by the
// wall clock on a shared machine cannot resolve to a few percent:
//
//   for i in 1 2 3 4 5 6 7 8; do
//     for root in /path/to/before /path/to/after; do
//       (cd $root && ROOT=$root node --expose-gc --import=tsx /path/to/after/bench/add_cpu_time.ts)
//     done
//   done
//
// Prints the median of 5 rounds of 300,000 calls, in ns per call, after
// 100,000 warm-up calls with two full collections between them (so the
// heap made at load time is not collected inside a measured round).
export {};

const root = process.env.ROOT ?? `${__dirname}/..`;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const torch = require(`${root}/lib`).default;
const a = torch.ones(4);
const b = torch.ones(4);
for (let i = 0; i < 50_000; i++) a.add(b);
const collect = (globalThis as { gc?: () => void }).gc;
if (collect) {
  collect();
  collect();
}
for (let i = 0; i < 50_000; i++) a.add(b);
const rounds: number[] = [];
for (let r = 0; r < 5; r++) {
  const before = process.cpuUsage();
  for (let i = 0; i < 300_000; i++) a.add(b);
  const used = process.cpuUsage(before);
  rounds.push(((used.user + used.system) * 1000) / 300_000);
}
rounds.sort((x, y) => x - y);
console.log(`${root}: ${rounds[2].toFixed(0)} ns per a.add(b) (CPU time, median of 5 rounds)`);
