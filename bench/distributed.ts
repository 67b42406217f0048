// torch.distributed's all_reduce beside Python's, on this machine over
// 127.0.0.1: a job of 2 Python ranks, of 2 torchts ranks (a checked group:
// each all_reduce first agrees on a fingerprint, lib/distributed/_checks.ts),
// and of 1 torchts + 1 Python rank (unchecked, as any group with a Python
// rank), each timing float32 all_reduce calls of 4 B to 64 MiB, awaited one
// at a time. Prints each size's time per call and the ratios to Python's,
// and writes bench/results/distributed.json.
//   npx tsx bench/distributed.ts [--budget 0.3] [--repeats 3]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { freePort, output } from './_ranks';

const { values: args } = parseArgs({
  options: {
    // Roughly the seconds each size is timed for, per job.
    budget: { type: 'string', default: '0.3' },
    // Jobs of each kind; each size's median over them is reported.
    repeats: { type: 'string', default: '3' },
  },
});

const SIZES = [4, 64, 1024, 16 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20];
const here = __dirname;

type Kind = 'py' | 'node';

async function job(kinds: Kind[]): Promise<Record<string, number>> {
  const port = await freePort();
  const runs = kinds.map((kind, rank) => {
    const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: String(kinds.length), OMP_NUM_THREADS: '1' };
    const argv = [SIZES.join(','), args.budget!];
    const child =
      kind === 'py'
        ? spawn('/usr/bin/python3', [path.join(here, 'distributed', 'rank.py'), ...argv], { env })
        : spawn(process.execPath, ['--import=tsx', path.join(here, 'distributed', 'rank.ts'), ...argv], { env });
    return output(child, `${kind} rank ${rank}`);
  });
  const outs = await Promise.all(runs);
  return JSON.parse(outs[0].trim().split('\n').pop()!);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function size(bytes: number): string {
  if (bytes >= 1 << 20) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1 << 10) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} B`;
}

function time(s: number): string {
  return s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} us`;
}

async function main(): Promise<void> {
  const jobs: Record<string, Kind[]> = { python: ['py', 'py'], torchts: ['node', 'node'], mixed: ['node', 'py'] };
  const results: Record<string, Record<string, number>> = {};
  for (const [name, kinds] of Object.entries(jobs)) {
    const runs: Record<string, number>[] = [];
    for (let r = 0; r < Number(args.repeats); r++) {
      process.stderr.write(`all_reduce: ${name} job ${r + 1}/${args.repeats}\n`);
      runs.push(await job(kinds));
    }
    results[name] = Object.fromEntries(SIZES.map((b) => [b, median(runs.map((run) => run[b]))]));
  }
  const rows = [['size', 'Python 2 ranks', 'torchts 2 ranks (checked)', 'ratio', 'torchts + Python (unchecked)', 'ratio']];
  for (const b of SIZES) {
    const py = results.python[b];
    rows.push([size(b), time(py), time(results.torchts[b]), (results.torchts[b] / py).toFixed(2), time(results.mixed[b]), (results.mixed[b] / py).toFixed(2)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log('all_reduce (float32, 2 ranks on 127.0.0.1, each call awaited; median of jobs):');
  for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c])).join('  '));
  const out = path.join(here, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'distributed.json'), `${JSON.stringify({ sizes: SIZES, seconds_per_call: results }, null, 1)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
