// A DistributedDataParallel training step beside Python's and libtorch
// C++'s, on this machine over 127.0.0.1: jobs of 2 Python DDP ranks, of 2
// C++ ranks driving c10d's Reducer as Python's DDP does (bench/cpp/ddp_rank.cpp),
// of 2 torchts ranks (with backward(), and with backward_async() on a worker
// thread), and of 1 torchts + 1 Python rank, each rank on one thread,
// stepping an MLP on a fixed batch. Prints the time per step and its ratios
// to Python's and C++'s, the event loop's longest stall during the torchts
// jobs (what a server in the same process would wait at worst), and a
// torchts rank's RSS over its steps; writes bench/results/ddp.json.
//   npx tsx bench/ddp.ts [--budget 2] [--repeats 3]
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { buildCpp as buildAgainstLibtorch } from './_build_cpp';
import { freePort, output } from './_ranks';

const { values: args } = parseArgs({
  options: {
    // Roughly the seconds each job's timed steps take.
    budget: { type: 'string', default: '2' },
    // Jobs of each kind; the median is reported.
    repeats: { type: 'string', default: '3' },
  },
});

// The notebook's MLP, and a wider one whose 7 MiB of gradients fill several buckets' worth of all-reduce.
const MODELS = [
  { name: 'notebook MLP 784-32-32-32-10', dims: '784-32-32-32-10', batch: 64 },
  { name: 'MLP 784-1024-1024-10', dims: '784-1024-1024-10', batch: 64 },
];
const here = __dirname;

type Kind = 'py' | 'node' | 'cpp';

// The C++ rank, built against the libtorch torchts uses (with gloo's headers,
// and native/compat/ for the header libtorch-dev 1.13 leaves out).
function buildCpp(): string {
  const gloo = execFileSync(process.execPath, [path.join(here, '..', 'scripts', 'libtorch.js'), '--gloo-include'], { encoding: 'utf8' }).trim();
  if (gloo === '') throw new Error('bench/ddp.ts: no gloo headers for the C++ rank (apt-get install libgloo-dev)');
  return buildAgainstLibtorch({
    source: 'ddp_rank.cpp',
    out: path.join(here, 'build', 'ddp_rank'),
    flags: [`-I${gloo}`, '-idirafter', path.join(here, '..', 'native', 'compat')],
  });
}
let cppRank = '';
interface RankResult {
  seconds_per_step: number;
  steps: number;
  loop_max_ms?: number;
  loop_p99_ms?: number;
  rss_before_mb?: number;
  rss_after_mb?: number;
}

async function job(kinds: Kind[], dims: string, batch: number, mode: 'sync' | 'async'): Promise<RankResult> {
  const port = await freePort();
  const runs = kinds.map((kind, rank) => {
    const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: String(kinds.length), OMP_NUM_THREADS: '1', USE_LIBUV: '0' };
    const argv = [dims, String(batch), args.budget!, mode];
    const child =
      kind === 'py'
        ? spawn('/usr/bin/python3', [path.join(here, 'ddp', 'rank.py'), ...argv], { env })
        : kind === 'cpp'
          ? spawn(cppRank, argv.slice(0, 3), { env })
          : spawn(process.execPath, ['--import=tsx', path.join(here, 'ddp', 'rank.ts'), ...argv], { env });
    return output(child, `${kind} rank ${rank}`);
  });
  const outs = await Promise.all(runs);
  return JSON.parse(outs[0].trim().split('\n').pop()!) as RankResult;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const ms = (s: number) => `${(s * 1e3).toFixed(2)} ms`;

async function main(): Promise<void> {
  cppRank = buildCpp();
  const jobs: [string, Kind[], 'sync' | 'async'][] = [
    ['python', ['py', 'py'], 'sync'],
    ['cpp', ['cpp', 'cpp'], 'sync'],
    ['torchts_backward', ['node', 'node'], 'sync'],
    ['torchts_backward_async', ['node', 'node'], 'async'],
    ['mixed_backward_async', ['node', 'py'], 'async'],
  ];
  type Summary = { seconds_per_step: number; steps: number; loop_max_ms: number | null; loop_p99_ms: number | null; rss_mb: [number, number] | null };
  const results: Record<string, Record<string, Summary>> = {};
  for (const model of MODELS) {
    results[model.name] = {};
    for (const [name, kinds, mode] of jobs) {
      const runs: RankResult[] = [];
      for (let r = 0; r < Number(args.repeats); r++) {
        process.stderr.write(`DDP step, ${model.name}: ${name} job ${r + 1}/${args.repeats}\n`);
        runs.push(await job(kinds, model.dims, model.batch, mode));
      }
      const loop = runs.every((r) => r.loop_max_ms !== undefined);
      // The run whose time is the median, for its step count and memory.
      const mid = runs.find((r) => r.seconds_per_step === median(runs.map((x) => x.seconds_per_step)))!;
      results[model.name][name] = {
        seconds_per_step: mid.seconds_per_step,
        steps: mid.steps,
        rss_mb: mid.rss_before_mb !== undefined ? [mid.rss_before_mb, mid.rss_after_mb!] : null,
        loop_max_ms: loop ? median(runs.map((r) => r.loop_max_ms!)) : null,
        loop_p99_ms: loop ? median(runs.map((r) => r.loop_p99_ms!)) : null,
      };
    }
  }
  const rows = [
    ['model (batch 64 per rank)', 'Python', 'C++', 'torchts backward()', 'vs Py', 'vs C++', 'torchts backward_async()', 'vs Py', 'vs C++', 'torchts + Python', 'vs Py', 'loop stall, max (p99): backward()', 'backward_async()'],
  ];
  for (const model of MODELS) {
    const r = results[model.name];
    const py = r.python.seconds_per_step;
    const cpp = r.cpp.seconds_per_step;
    rows.push([
      model.name,
      ms(py),
      ms(cpp),
      ms(r.torchts_backward.seconds_per_step),
      (r.torchts_backward.seconds_per_step / py).toFixed(2),
      (r.torchts_backward.seconds_per_step / cpp).toFixed(2),
      ms(r.torchts_backward_async.seconds_per_step),
      (r.torchts_backward_async.seconds_per_step / py).toFixed(2),
      (r.torchts_backward_async.seconds_per_step / cpp).toFixed(2),
      ms(r.mixed_backward_async.seconds_per_step),
      (r.mixed_backward_async.seconds_per_step / py).toFixed(2),
      `${r.torchts_backward.loop_max_ms!.toFixed(1)} (${r.torchts_backward.loop_p99_ms!.toFixed(1)}) ms`,
      `${r.torchts_backward_async.loop_max_ms!.toFixed(1)} (${r.torchts_backward_async.loop_p99_ms!.toFixed(1)}) ms`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log("DistributedDataParallel step (2 ranks on 127.0.0.1, 1 thread each; median of jobs; loop stall: the event loop's longest wait, rank 0):");
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  // Nothing disposed by hand in the loop: RSS must hold flat.
  for (const model of MODELS) {
    const r = results[model.name].torchts_backward_async;
    console.log(`RSS of torchts rank 0 over ${r.steps} backward_async steps, ${model.name}: ${r.rss_mb![0].toFixed(1)} MB -> ${r.rss_mb![1].toFixed(1)} MB`);
  }
  const out = path.join(here, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'ddp.json'), `${JSON.stringify({ models: MODELS, results }, null, 1)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
