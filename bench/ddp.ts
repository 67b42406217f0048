// A DistributedDataParallel training step beside Python's, on this machine
// over 127.0.0.1: jobs of 2 Python DDP ranks, of 2 torchts ranks (with
// backward(), and with backward_async() on a worker thread), and of 1 of
// each, each rank on one thread, stepping an MLP on a fixed batch. Prints
// the time per step and its ratio to Python's, and the event loop's longest
// stall during the torchts jobs (what a server in the same process would
// wait at worst); writes bench/results/ddp.json.
//   npx tsx bench/ddp.ts [--budget 2] [--repeats 3]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

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

type Kind = 'py' | 'node';
interface RankResult {
  seconds_per_step: number;
  steps: number;
  loop_max_ms?: number;
  loop_p99_ms?: number;
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function job(kinds: Kind[], dims: string, batch: number, mode: 'sync' | 'async'): Promise<RankResult> {
  const port = await freePort();
  const runs = kinds.map((kind, rank) => {
    const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: String(kinds.length), OMP_NUM_THREADS: '1', USE_LIBUV: '0' };
    const argv = [dims, String(batch), args.budget!, mode];
    const child =
      kind === 'py'
        ? spawn('/usr/bin/python3', [path.join(here, 'ddp', 'rank.py'), ...argv], { env })
        : spawn(process.execPath, ['--import=tsx', path.join(here, 'ddp', 'rank.ts'), ...argv], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    return new Promise<string>((resolve, reject) =>
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${kind} rank ${rank} failed (exit ${code}): ${err.slice(-2000)}`)))),
    );
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
  const jobs: [string, Kind[], 'sync' | 'async'][] = [
    ['python', ['py', 'py'], 'sync'],
    ['torchts_backward', ['node', 'node'], 'sync'],
    ['torchts_backward_async', ['node', 'node'], 'async'],
    ['mixed_backward_async', ['node', 'py'], 'async'],
  ];
  const results: Record<string, Record<string, { seconds_per_step: number; loop_max_ms: number | null; loop_p99_ms: number | null }>> = {};
  for (const model of MODELS) {
    results[model.name] = {};
    for (const [name, kinds, mode] of jobs) {
      const runs: RankResult[] = [];
      for (let r = 0; r < Number(args.repeats); r++) {
        process.stderr.write(`DDP step, ${model.name}: ${name} job ${r + 1}/${args.repeats}\n`);
        runs.push(await job(kinds, model.dims, model.batch, mode));
      }
      const loop = runs.every((r) => r.loop_max_ms !== undefined);
      results[model.name][name] = {
        seconds_per_step: median(runs.map((r) => r.seconds_per_step)),
        loop_max_ms: loop ? median(runs.map((r) => r.loop_max_ms!)) : null,
        loop_p99_ms: loop ? median(runs.map((r) => r.loop_p99_ms!)) : null,
      };
    }
  }
  const rows = [['model (batch 64 per rank)', 'Python 2 ranks', 'torchts backward()', 'ratio', 'torchts backward_async()', 'ratio', 'torchts + Python', 'ratio', 'loop stall, max (p99): backward()', 'backward_async()']];
  for (const model of MODELS) {
    const r = results[model.name];
    const py = r.python.seconds_per_step;
    rows.push([
      model.name,
      ms(py),
      ms(r.torchts_backward.seconds_per_step),
      (r.torchts_backward.seconds_per_step / py).toFixed(2),
      ms(r.torchts_backward_async.seconds_per_step),
      (r.torchts_backward_async.seconds_per_step / py).toFixed(2),
      ms(r.mixed_backward_async.seconds_per_step),
      (r.mixed_backward_async.seconds_per_step / py).toFixed(2),
      `${r.torchts_backward.loop_max_ms!.toFixed(1)} (${r.torchts_backward.loop_p99_ms!.toFixed(1)}) ms`,
      `${r.torchts_backward_async.loop_max_ms!.toFixed(1)} (${r.torchts_backward_async.loop_p99_ms!.toFixed(1)}) ms`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log('DistributedDataParallel step (2 ranks on 127.0.0.1, 1 thread each; median of jobs; loop stall: the event loop\'s longest wait, rank 0):');
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  const out = path.join(here, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'ddp.json'), `${JSON.stringify({ models: MODELS, results }, null, 1)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
