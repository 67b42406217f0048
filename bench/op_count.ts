// Counts the libtorch operator calls and autograd nodes of one training
// example's step on each side, torchts, Python PyTorch and libtorch's C++
// (bench/example_steps.ts, bench/example_steps.py and the C++ twins in
// bench/build from `npm run bench`), through bench/cpp/op_count.cpp preloaded
// into each process. Each side runs with `short` and with `long` timed steps;
// the difference over the steps between them is a steady step's count, free
// of start-up and model making. Prints each side's calls a step and the
// names whose counts differ.
//   npx tsx bench/op_count.ts transformer [--short 5 --long 15]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { buildCpp } from './_build_cpp';


const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { short: { type: 'string', default: '5' }, long: { type: 'string', default: '15' } },
});
const TWINS = { cnn: 'mnist_cnn_step', lstm: 'lstm_lm_step', transformer: 'transformer_step' } as const;
type Example = keyof typeof TWINS;
const example = positionals[0] as Example;
if (!(example in TWINS)) throw new Error(`op_count: name an example: ${Object.keys(TWINS).join(', ')}; got ${positionals[0]}`);
const [short, long] = [Number(args.short), Number(args.long)];
if (!(Number.isInteger(short) && short > 0 && Number.isInteger(long) && long > short)) throw new Error('op_count: --long must be more steps than --short, both positive integers');

const here = __dirname;
const build = path.join(here, 'build');
const GPL3 = '/usr/share/common-licenses/GPL-3';

function buildCounter(): string {
  return buildCpp({ source: 'op_count.cpp', out: path.join(build, 'libop_count.so'), libraries: ['torch_cpu', 'c10'], shared: true });
}

function command(side: string, steps: number): [string, string[]] {
  const data = [path.join(build, 'train-images.u8'), path.join(build, 'train-labels.u8'), '60000', String(steps)];
  if (side === 'torchts') return [process.execPath, ['--import=tsx', path.join(here, 'example_steps.ts'), ...data, '--only', example]];
  if (side === 'Python') return ['/usr/bin/python3', [path.join(here, 'example_steps.py'), ...data, '--only', example]];
  const twin = path.join(build, TWINS[example]);
  if (!fs.existsSync(twin)) throw new Error(`op_count: ${twin} is missing; npm run bench builds it`);
  return [twin, example === 'cnn' ? data : [GPL3, String(steps)]];
}

function counts(side: string, steps: number, counter: string): Map<string, number> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'op-count-')), 'counts.txt');
  const [cmd, argv] = command(side, steps);
  const r = spawnSync(cmd, argv, { env: { ...process.env, OMP_NUM_THREADS: '1', LD_PRELOAD: counter, OP_COUNT_FILE: file }, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(file)) throw new Error(`op_count: ${side} failed:\n${r.stderr}`);
  const found = new Map<string, number>();
  for (const line of fs.readFileSync(file, 'utf8').trim().split('\n')) {
    const space = line.indexOf(' ');
    found.set(line.slice(space + 1), Number(line.slice(0, space)));
  }
  fs.rmSync(path.dirname(file), { recursive: true });
  return found;
}

const counter = buildCounter();
// Each run warms up for a tenth of its steps (at least 3) before timing them.
const warmed = (steps: number) => steps + Math.max(3, Math.floor(steps / 10));
const sides = ['torchts', 'Python', 'C++'];
const perStep = sides.map((side) => {
  const [a, b] = [counts(side, short, counter), counts(side, long, counter)];
  return new Map([...new Set([...a.keys(), ...b.keys()])].map((name) => [name, ((b.get(name) ?? 0) - (a.get(name) ?? 0)) / (warmed(long) - warmed(short))]));
});
const get = (i: number, name: string) => perStep[i].get(name) ?? 0;
console.log(`${example} step: libtorch calls a step (RecordFunction: operators and autograd nodes)`);
console.log(sides.map((s, i) => `${s} ${get(i, 'TOTAL').toFixed(1)}`).join(', '));
const differing = [...new Set(perStep.flatMap((m) => [...m.keys()]))]
  .filter((name) => name !== 'TOTAL' && new Set(sides.map((_, i) => get(i, name).toFixed(1))).size > 1)
  .sort((x, y) => Math.abs(get(1, y) - get(0, y)) - Math.abs(get(1, x) - get(0, x)));
console.log(`\nnames whose counts differ (${differing.length}), torchts - Python differences first:`);
console.log(`${'torchts'.padStart(9)}${'Python'.padStart(9)}${'C++'.padStart(9)}  name`);
for (const name of differing) console.log(`${sides.map((_, i) => get(i, name).toFixed(1).padStart(9)).join('')}  ${name}`);
