// npm run bench: torchts, Python PyTorch and libtorch's C++ frontend side by
// side, on this machine, in one run, with one thread each: the notebook
// model's training step, the notebook's whole workload, the cost of a small
// op, RSS over a long training loop, and one training step of each training
// example (examples/mnist_cnn.ts, lstm_lm.ts, transformer_encoder.ts, each
// also in C++), then the serving benchmark (bench/serve.ts:
// examples/server.ts against bench/serve.py under HTTP load), then
// torch.distributed's all_reduce beside Python's (bench/distributed.ts), and
// a DistributedDataParallel training step beside Python DDP's (bench/ddp.ts).
// Prints medians and ratios and writes bench/results/latest.json.
//   npm run bench [-- --repeats 5 --models 10 --rss-steps 100000 --example-steps 20 --serve-duration 10 --dist-repeats 3]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { readIdx } from '../lib/vision/idx';
import { buildCpp as buildAgainstLibtorch } from './_build_cpp';

const { values: args } = parseArgs({
  options: {
    repeats: { type: 'string', default: '7' },
    models: { type: 'string', default: '10' },
    'rss-steps': { type: 'string', default: '100000' },
    // Steps timed per process for each example (after a tenth as many, at least 3, of warm-up); 0 skips them.
    'example-steps': { type: 'string', default: '20' },
    // Seconds of load per server and connection count in bench/serve.ts; 0 skips it.
    'serve-duration': { type: 'string', default: '10' },
    // Jobs of each kind in bench/distributed.ts (all_reduce beside Python's) and bench/ddp.ts (a DDP step); 0 skips them.
    'dist-repeats': { type: 'string', default: '3' },
  },
});
const here = __dirname;
const build = path.join(here, 'build');
const FASHION = '/usr/share/datasets/fashion-mnist';
const REFERENCE_BLAS_DIR = '/usr/lib/x86_64-linux-gnu/blas';
// The language models' text (examples/lstm_lm.ts's GPL3), read by their C++ twins.
const GPL3 = '/usr/share/common-licenses/GPL-3';
const { findLibtorch } = require('../scripts/libtorch.js');

function prepareData(): { images: string; labels: string; n: number; root: string } {
  const root = path.join(build, 'fashion-root');
  const raw = path.join(root, 'FashionMNIST', 'raw');
  fs.mkdirSync(raw, { recursive: true });
  let n = 0;
  for (const split of ['train', 't10k']) {
    for (const kind of ['images-idx3', 'labels-idx1']) {
      const name = `${split}-${kind}-ubyte`;
      const file = readIdx(path.join(FASHION, `${name}.gz`), kind.startsWith('images') ? 3 : 1);
      const header = Buffer.alloc(4 + 4 * file.dims.length);
      header.writeUInt32BE(0x800 + file.dims.length, 0);
      file.dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
      fs.writeFileSync(path.join(raw, name), Buffer.concat([header, file.data]));
      if (split === 'train') {
        fs.writeFileSync(path.join(build, `train-${kind.split('-')[0]}.u8`), file.data);
        n = file.dims[0];
      }
    }
  }
  return { images: path.join(build, 'train-images.u8'), labels: path.join(build, 'train-labels.u8'), n, root };
}

/** Builds bench/cpp/<source> into bench/build/<binary>. */
function buildCpp(source = 'bench.cpp', binary = 'bench_cpp', headers: string[] = []): string {
  return buildAgainstLibtorch({ source, out: path.join(build, binary), headers });
}

function runJson(cmd: string, argv: string[], env: NodeJS.ProcessEnv): any {
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...env, OMP_NUM_THREADS: '1' }, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

interface Side {
  train_step_first_us: number;
  train_step_us: number;
  notebook_s?: number | null;
  add_ns: number;
  addmm_us: number;
  rss_mb?: number[];
  // The training examples' steps (bench/example_steps.ts, .py, cpp/{mnist_cnn,lstm_lm,transformer}_step.cpp).
  cnn_step_us?: number | null;
  lstm_step_us?: number | null;
  transformer_step_us?: number | null;
}

const EXAMPLE_KEYS = ['cnn_step_us', 'lstm_step_us', 'transformer_step_us'] as const;

function medianOf(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

/**
 * Each side runs `repeats` times, interleaved (C++, Python, torchts, C++,
 * ...), so that a change in the machine's load during the run lands on
 * every side alike; medians are reported. The notebook workload and the RSS
 * profile run once, in the first round.
 */
/** The C++ twins of the examples' steps (bench/cpp), each run in a process of its own. */
interface ExampleTwins {
  cnn: string;
  lstm: string;
  transformer: string;
}

function measure(data: ReturnType<typeof prepareData>, cpp: string, env: NodeJS.ProcessEnv, models: number, rssSteps: number, twins: ExampleTwins | null = null) {
  const repeats = Number(args.repeats);
  // Each process times its first epoch, then three more (fresh models),
  // whose median is the training step's figure.
  const common = [data.images, data.labels, String(data.n), '3'];
  const runs: { torchts: Side[]; python: Side[]; cpp: Side[] } = { torchts: [], python: [], cpp: [] };
  for (let r = 0; r < repeats; r++) {
    process.stderr.write(`  round ${r + 1}/${repeats}: C++, Python, torchts\n`);
    runs.cpp.push(runJson(cpp, common, env));
    runs.python.push(runJson('/usr/bin/python3', [path.join(here, 'bench_python.py'), ...common, String(r === 0 ? models : 0), data.root], env));
    runs.torchts.push(runJson(process.execPath, ['--import=tsx', path.join(here, 'bench_torchts.ts'), ...common, String(r === 0 ? models : 0), data.root, String(r === 0 ? rssSteps : 0)], env));
    if (twins) {
      // The examples' steps, interleaved the same way, each side in a process of its own.
      process.stderr.write(`  round ${r + 1}/${repeats}: the examples' steps: C++, Python, torchts\n`);
      const steps = args['example-steps']!;
      const example = [data.images, data.labels, String(data.n), steps];
      Object.assign(runs.cpp[r], runJson(twins.cnn, example, env), runJson(twins.lstm, [GPL3, steps], env), runJson(twins.transformer, [GPL3, steps], env));
      Object.assign(runs.python[r], runJson('/usr/bin/python3', [path.join(here, 'example_steps.py'), ...example], env));
      Object.assign(runs.torchts[r], runJson(process.execPath, ['--import=tsx', path.join(here, 'example_steps.ts'), ...example], env));
    }
  }
  const medianOrNull = (values: (number | null | undefined)[]) => {
    const present = values.filter((v): v is number => typeof v === 'number');
    return present.length ? medianOf(present) : null;
  };
  const combine = (sides: Side[]): Side => ({
    train_step_first_us: medianOf(sides.map((s) => s.train_step_first_us)),
    train_step_us: medianOf(sides.map((s) => s.train_step_us)),
    notebook_s: sides[0].notebook_s ?? null,
    add_ns: medianOf(sides.map((s) => s.add_ns)),
    addmm_us: medianOf(sides.map((s) => s.addmm_us)),
    rss_mb: sides[0].rss_mb ?? [],
    ...Object.fromEntries(EXAMPLE_KEYS.map((k) => [k, medianOrNull(sides.map((s) => s[k]))])),
  });
  return { torchts: combine(runs.torchts), python: combine(runs.python), cpp: combine(runs.cpp) };
}

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '-' : v.toFixed(digits));
const ratio = (a?: number | null, b?: number | null) => (a && b ? `${(a / b).toFixed(2)}x` : '-');

function table(title: string, r: ReturnType<typeof measure>): string {
  const rows: [string, keyof Side, number, number?][] = [
    ['step, 1st epoch (us)', 'train_step_first_us', 1],
    ['training step (us)', 'train_step_us', 1],
    ['notebook workload (s)', 'notebook_s', 2],
    ['add, 4 elements (ns)', 'add_ns', 0],
    ['addmm 32x784x32 (us)', 'addmm_us', 2],
    // The examples' steps, in milliseconds.
    ['mnist_cnn step (ms)', 'cnn_step_us', 2, 1e-3],
    ['lstm_lm step (ms)', 'lstm_step_us', 2, 1e-3],
    ['transformer step (ms)', 'transformer_step_us', 2, 1e-3],
  ];
  const lines = [title, `${''.padEnd(24)}${'torchts'.padStart(10)}${'Python'.padStart(10)}${'C++'.padStart(10)}${'vs Python'.padStart(11)}${'vs C++'.padStart(9)}`];
  for (const [label, key, d, scale = 1] of rows) {
    const [t, p, c] = ([r.torchts[key], r.python[key], r.cpp[key]] as (number | null | undefined)[]).map((v) => (typeof v === 'number' ? v * scale : v));
    if ((t === null || t === undefined) && (p === null || p === undefined)) continue;
    lines.push(`${label.padEnd(24)}${fmt(t, d).padStart(10)}${fmt(p, d).padStart(10)}${fmt(c, d).padStart(10)}${ratio(t, p).padStart(11)}${ratio(t, c).padStart(9)}`);
  }
  const rss = r.torchts.rss_mb ?? [];
  if (rss.length) {
    const growth = ((rss[rss.length - 1] - rss[0]) / rss[0]) * 100;
    lines.push(`RSS over ${args['rss-steps']} steps, no dispose (MB): ${rss.map((v) => v.toFixed(0)).join(' ')} (last vs first ${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%)`);
  }
  return lines.join('\n');
}

/**
 * bench/serve.ts in a process of its own, after the rows above (its servers
 * would otherwise share the machine with them): its table and its JSON, or
 * null and a failed exit status for the whole bench, with the rows above
 * still written.
 */
function serve(): { table: string; results: unknown } | null {
  const r = spawnSync(process.execPath, ['--import=tsx', path.join(here, 'serve.ts'), '--duration', args['serve-duration']!], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    process.stderr.write(`bench/serve.ts failed (${r.signal ?? `exit code ${r.status}`})\n`);
    process.exitCode = 1;
    return null;
  }
  const table = r.stdout.trim().split('\n').filter((line) => !line.startsWith('wrote ')).join('\n');
  return { table, results: JSON.parse(fs.readFileSync(path.join(here, 'results', 'serve.json'), 'utf8')) };
}

/**
 * bench/distributed.ts in a process of its own: torch.distributed's
 * all_reduce, 4 B to 64 MiB, in jobs of 2 Python ranks, 2 torchts ranks and
 * 1 of each.
 */
function distributedBench(script = 'distributed'): { table: string; results: unknown } | null {
  const r = spawnSync(process.execPath, ['--import=tsx', path.join(here, `${script}.ts`), '--repeats', args['dist-repeats']!], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    process.stderr.write(`bench/${script}.ts failed (${r.signal ?? `exit code ${r.status}`})\n`);
    return null;
  }
  return { table: r.stdout.trimEnd(), results: JSON.parse(fs.readFileSync(path.join(here, 'results', `${script}.json`), 'utf8')) };
}

function main(): void {
  fs.mkdirSync(build, { recursive: true });
  const data = prepareData();
  const cpp = buildCpp();
  const twins: ExampleTwins | null = Number(args['example-steps']) > 0
    ? {
        cnn: buildCpp('mnist_cnn_step.cpp', 'mnist_cnn_step', ['step_timer.h']),
        lstm: buildCpp('lstm_lm_step.cpp', 'lstm_lm_step', ['clip_grad.h', 'corpus.h', 'step_timer.h']),
        transformer: buildCpp('transformer_step.cpp', 'transformer_step', ['clip_grad.h', 'corpus.h', 'step_timer.h']),
      }
    : null;
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    libtorch: findLibtorch().version,
    blas: fs.realpathSync('/etc/alternatives/libblas.so.3-x86_64-linux-gnu'),
    // OpenBLAS picks its kernels by CPU unless told (some of our machines set Haswell).
    openblas_coretype: process.env.OPENBLAS_CORETYPE ?? 'chosen by OpenBLAS',
    threads: 1,
    date: new Date().toISOString(),
  };
  process.stderr.write(`OpenBLAS (${machine.blas}):\n`);
  const openblas = measure(data, cpp, {}, Number(args.models), Number(args['rss-steps']), twins);
  let reference: ReturnType<typeof measure> | null = null;
  if (fs.existsSync(path.join(REFERENCE_BLAS_DIR, 'libblas.so.3'))) {
    process.stderr.write('reference BLAS (libblas3):\n');
    reference = measure(data, cpp, { LD_LIBRARY_PATH: REFERENCE_BLAS_DIR }, 0, 0);
  }
  let serving: ReturnType<typeof serve> = null;
  if (Number(args['serve-duration']) > 0) {
    process.stderr.write('serving (bench/serve.ts):\n');
    serving = serve();
  }
  let collectives: ReturnType<typeof distributedBench> = null;
  let ddp: ReturnType<typeof distributedBench> = null;
  if (Number(args['dist-repeats']) > 0) {
    process.stderr.write('torch.distributed (bench/distributed.ts):\n');
    collectives = distributedBench();
    process.stderr.write('DistributedDataParallel (bench/ddp.ts):\n');
    ddp = distributedBench('ddp');
  }
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.node}, libtorch ${machine.libtorch}, 1 thread on every side`);
  console.log(table(`\nwith OpenBLAS (libopenblas0-openmp, kernels: ${machine.openblas_coretype}):`, openblas));
  console.log(reference ? table('\nwith the reference BLAS (libblas3):', reference) : '\nreference BLAS: skipped (apt-get install libblas3 to compare)');
  if (Number(args['serve-duration']) > 0) console.log(`\nserving (bench/serve.ts, OpenBLAS):\n${serving ? serving.table : 'failed; see above'}`);
  if (Number(args['dist-repeats']) > 0) {
    console.log(`\ntorch.distributed (bench/distributed.ts):\n${collectives ? collectives.table : 'failed; see above'}`);
    console.log(`\nDistributedDataParallel (bench/ddp.ts):\n${ddp ? ddp.table : 'failed; see above'}`);
  }
  const out = path.join(here, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, 'latest.json'),
    `${JSON.stringify({ machine, openblas, reference, serve: serving?.results ?? null, distributed: collectives?.results ?? null, ddp: ddp?.results ?? null }, null, 1)}\n`,
  );
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(out, 'latest.json'))}`);
}

main();
