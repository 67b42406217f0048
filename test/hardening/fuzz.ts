// Fuzzes the generic op call for a bounded time and records every crash.
//   npm run fuzz -- [seconds=60] [seed=random] [--pairs] [--record]
// The calls run in a child process (fuzz_child.ts); --pairs fuzzes sequences
// of two ops instead of single calls. When the child dies from a signal, the
// call it was making is replayed alone in a fresh child to find whether it
// crashes by itself; either way the crash is appended to fuzz_findings.json,
// the open cases for whoever guards the operator. With --record (when the
// guard is in the same change) it goes to fuzz_crashes.json instead, which
// test/fuzz.test.ts replays, so that the crash stays a test case. A call that takes more than
// FUZZ_HANG_SECONDS (5) of CPU time is killed and reported as slow, not as a
// crash: some operators loop as many times as their (random, huge) argument
// says, as they do under Python. Either way the run goes on after that call.
// The bound is CPU time, not wall time, so that a busy machine slows the run
// down instead of failing it (watchdog.ts); a child that makes no progress
// while blocked for FUZZ_BLOCKED_SECONDS (120) is ended all the same, and one
// whose resident memory passes FUZZ_RSS_MIB (2048) is reported as slow too.
// Exits 1 when it found a crash.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Watchdog, followLines, type WatchLimits, type WatchVerdict } from './watchdog';

export interface FuzzCall {
  seed: number;
  /** The iteration whose call crashed. */
  iteration: number;
  op: string;
  args: string;
}

export interface FuzzCrash extends FuzzCall {
  /** 'pairs' for a two-op sequence; absent for a single call. */
  mode?: FuzzMode;
  /** The first iteration a replay must start from to crash again (== iteration when the call crashes alone). */
  replayFrom: number;
  signal: string;
}

const child = path.join(__dirname, 'fuzz_child.ts');
export const crashFile = path.join(__dirname, 'fuzz_crashes.json');
/** Crashes found and not yet guarded: the cases for whoever fixes them, kept out of the replay test until then. */
export const findingsFile = path.join(__dirname, 'fuzz_findings.json');
export const childLimits: WatchLimits = {
  cpuSeconds: Number(process.env.FUZZ_HANG_SECONDS ?? 5),
  // Node, tsx and libtorch take 2-3 CPU seconds to start.
  startCpuSeconds: 30,
  blockedSeconds: Number(process.env.FUZZ_BLOCKED_SECONDS ?? 120),
  // A call that allocates what a random size says is ended before it takes the machine's memory.
  rssMiB: Number(process.env.FUZZ_RSS_MIB ?? 2048),
};

export interface ChildRun {
  /** The signal or exit status that ended the child, null when it finished its run. */
  failure: string | null;
  /** The child made no progress within childLimits and was killed. */
  hung: boolean;
  /** Which limit it passed: CPU time, time blocked (the backstop) or memory. */
  verdict?: WatchVerdict;
  /** The last call the child started. */
  last?: FuzzCall;
  /** How many iterations it got through when it finished. */
  iterations?: number;
}

/** Single op calls, or sequences of two (fuzz_child.ts). */
export type FuzzMode = 'single' | 'pairs';

/** Runs fuzz_child.ts from iteration `from` for `seconds` (or for `count` iterations). */
export function runChild(seed: number, seconds: number, from = 0, count?: number, mode: FuzzMode = 'single'): Promise<ChildRun> {
  const argv = ['--import=tsx', child, String(seed), String(seconds), String(from)];
  if (count !== undefined) argv.push(String(count));
  const env = { ...process.env, FUZZ_VERBOSE: '1', FUZZ_MODE: mode };
  const proc = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const run: ChildRun = { failure: null, hung: false };
  const watchdog = new Watchdog(proc, childLimits);
  followLines(proc, watchdog, (line) => {
    const started = /^(\d+) (\S+)$/.exec(line);
    const done = /^done (\d+)$/.exec(line);
    if (started) run.last = { seed, iteration: Number(started[1]), op: started[2], args: '' };
    else if (line.startsWith('  ') && run.last) run.last.args = run.last.args ? `${run.last.args}; ${line.slice(2)}` : line.slice(2);
    else if (done) run.iterations = Number(done[1]);
  });
  return new Promise((resolve) => {
    proc.on('close', (status, signal) => {
      watchdog.stop();
      if (watchdog.verdict) {
        run.hung = true;
        run.verdict = watchdog.verdict;
      }
      if (signal || status !== 0) run.failure = signal ?? `exit ${status}`;
      resolve(run);
    });
  });
}

/** The latest start from which replaying up to `iteration` crashes again, or -1. */
async function replayStart(seed: number, iteration: number, mode: FuzzMode): Promise<number> {
  for (const back of [0, 10, 100, 1000, 10000, Infinity]) {
    const from = Math.max(0, iteration - back);
    const run = await runChild(seed, 0, from, iteration - from + 1, mode);
    if (run.failure && !run.hung) return from;
    if (from === 0) break;
  }
  return -1;
}

export interface FuzzReport {
  calls: number;
  crashes: FuzzCrash[];
  /** Calls ended by the watchdog: past their CPU time (slow), their memory (a blow-up) or the time they may spend blocked. */
  slow: (FuzzCall & { verdict?: WatchVerdict })[];
}

/** Fuzzes `seed` for `seconds`, going on after each crash or slow call. */
export async function fuzz(seed: number, seconds: number, replay = true, log: (line: string) => void = () => {}, mode: FuzzMode = 'single'): Promise<FuzzReport> {
  const deadline = Date.now() + seconds * 1000;
  const report: FuzzReport = { calls: 0, crashes: [], slow: [] };
  let from = 0;
  while (Date.now() < deadline) {
    const left = Math.max(1, Math.round((deadline - Date.now()) / 1000));
    const run = await runChild(seed, left, from, undefined, mode);
    if (!run.failure) {
      report.calls += (run.iterations ?? from) - from;
      break;
    }
    if (!run.last) throw new Error(`the fuzz child failed before its first call: ${run.failure}${run.verdict ? ` (past its ${run.verdict} limit)` : ''}`);
    report.calls += run.last.iteration - from + 1;
    from = run.last.iteration + 1;
    if (run.hung) {
      report.slow.push({ ...run.last, verdict: run.verdict });
      log(`SLOW (${run.verdict}) ${JSON.stringify(run.last)}`);
      continue;
    }
    const crash: FuzzCrash = {
      ...run.last,
      ...(mode === 'pairs' ? { mode } : {}),
      replayFrom: replay ? await replayStart(seed, run.last.iteration, mode) : run.last.iteration,
      signal: run.failure,
    };
    report.crashes.push(crash);
    log(`CRASH ${JSON.stringify(crash)}`);
  }
  return report;
}

async function main() {
  const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
  const [secondsText, seedText] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const seconds = Number(secondsText ?? 60);
  const seed = Number(seedText ?? Math.floor(Math.random() * 2 ** 31));
  const mode: FuzzMode = flags.includes('--pairs') ? 'pairs' : 'single';
  process.stdout.write(`fuzzing seed ${seed} for ${seconds} s (${mode})\n`);
  const report = await fuzz(seed, seconds, true, (line) => process.stdout.write(`${line}\n`), mode);
  if (report.crashes.length) {
    const file = flags.includes('--record') ? crashFile : findingsFile;
    const known: FuzzCrash[] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
    fs.writeFileSync(file, `${JSON.stringify([...known, ...report.crashes], null, 1)}\n`);
    process.stdout.write(`recorded in ${path.relative(process.cwd(), file)}\n`);
  }
  process.stdout.write(`${report.calls} calls, ${report.crashes.length} crashes, ${report.slow.length} slow (seed ${seed})\n`);
  process.exitCode = report.crashes.length ? 1 : 0;
}

if (require.main === module) void main();
