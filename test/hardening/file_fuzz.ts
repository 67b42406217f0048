// Fuzzes torch.load and torch.jit.load with structure-aware mutants of the
// fixtures' files (file_mutate.ts) for a bounded time.
//   npm run fuzz:files -- SECONDS [SEED]
// The loads run in a child process (file_fuzz_child.ts), watched by CPU time
// (FILEFUZZ_CPU_SECONDS, 10 a load: a small file loads in milliseconds) and
// resident memory (FILEFUZZ_RSS_MIB, 1024: the fixtures are a few KB, and
// Python loads even a forged zip bomb in a few hundred MB). A child that dies
// from a signal, exits on its own, passes its CPU time (a hang) or its memory
// (a blow-up) is a finding: recorded in file_fuzz_findings.json with its
// (seed, iteration), its source file and its mutations, and the mutant itself
// is kept in file_findings/ when it is small. The run goes on from the next
// iteration. Replay one with `npm run fuzz:files -- --replay SEED ITERATION`.
// Exits 1 when it found anything.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { makeZeroBomb } from './file_mutate';
import { Watchdog, followLines, type WatchLimits } from './watchdog';

const child = path.join(__dirname, 'file_fuzz_child.ts');
export const findingsFile = path.join(__dirname, 'file_fuzz_findings.json');
const findingsDir = path.join(__dirname, 'file_findings');
export const fileLimits: WatchLimits = {
  cpuSeconds: Number(process.env.FILEFUZZ_CPU_SECONDS ?? 10),
  startCpuSeconds: 30,
  blockedSeconds: 120,
  rssMiB: Number(process.env.FILEFUZZ_RSS_MIB ?? 1024),
};

export interface FileFinding {
  seed: number;
  iteration: number;
  /** The source file and its mutations, as the child printed them. */
  mutant: string;
  /** 'SIGSEGV', 'exit 134', 'hang' (past its CPU time), 'memory' (past its RSS cap, or V8's heap limit) or 'blocked' (the backstop). */
  outcome: string;
  /** The last lines the child wrote to stderr. */
  stderr?: string;
  /** The mutant, kept under file_findings/ when it is small. */
  file?: string;
}

interface Run {
  finished: boolean;
  last?: { iteration: number; mutant: string };
  outcome?: string;
  stderr: string;
  iterations?: number;
  /** Mutants that loaded without an error. */
  loaded: number;
  peakMiB: number;
}

let bombReady: Promise<Record<string, string>> | undefined;
function bombEnv(dir: string): Promise<Record<string, string>> {
  bombReady ??= (async () => {
    const file = path.join(dir, 'bomb.deflate');
    const crc = await makeZeroBomb(file);
    return { FILEFUZZ_BOMB: file, FILEFUZZ_BOMB_CRC: String(crc) };
  })();
  return bombReady;
}

async function runChild(dir: string, seed: number, seconds: number, from: number, count?: number): Promise<Run> {
  const argv = ['--import=tsx', '--max-old-space-size=512', child, String(seed), String(seconds), String(from)];
  if (count !== undefined) argv.push(String(count));
  const out = path.join(dir, 'mutant.pt');
  const env = { ...process.env, ...(await bombEnv(dir)), FILEFUZZ_OUT: out };
  const proc = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const watchdog = new Watchdog(proc, fileLimits);
  const run: Run = { finished: false, stderr: '', loaded: 0, peakMiB: 0 };
  followLines(proc, watchdog, (line) => {
    const started = /^(\d+) (.*)$/.exec(line);
    const done = /^done (\d+)$/.exec(line);
    if (done) run.iterations = Number(done[1]);
    else if (line === 'loaded') run.loaded++;
    else if (started) run.last = { iteration: Number(started[1]), mutant: started[2] };
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk: string) => {
    run.stderr = (run.stderr + chunk).slice(-20000);
  });
  return new Promise((resolve) => {
    proc.on('close', (status, signal) => {
      watchdog.stop();
      run.peakMiB = watchdog.peakMiB;
      if (watchdog.verdict) run.outcome = { cpu: 'hang', memory: 'memory', blocked: 'blocked' }[watchdog.verdict];
      else if (/JavaScript heap out of memory/.test(run.stderr)) run.outcome = 'memory (JS heap)';
      else if (signal || status !== 0) run.outcome = signal ?? `exit ${status}`;
      else run.finished = true;
      resolve(run);
    });
  });
}

export interface FileFuzzReport {
  loads: number;
  loaded: number;
  findings: FileFinding[];
  /** Why the run stopped early, when it did. */
  error?: string;
}

export async function fuzzFiles(seed: number, seconds: number, log: (line: string) => void = () => {}): Promise<FileFuzzReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-filefuzz-'));
  const deadline = Date.now() + seconds * 1000;
  const report: FileFuzzReport = { loads: 0, loaded: 0, findings: [] };
  let from = 0;
  try {
    while (Date.now() < deadline) {
      const left = Math.max(1, Math.round((deadline - Date.now()) / 1000));
      const run = await runChild(dir, seed, left, from);
      report.loaded += run.loaded;
      if (run.finished) {
        report.loads += (run.iterations ?? from) - from;
        break;
      }
      if (!run.last) {
        // kept as the run's error, so that the findings so far are still written
        report.error = `the file fuzz child failed before its first load: ${run.outcome}\n${importantLines(run.stderr)}`;
        break;
      }
      report.loads += run.last.iteration - from + 1;
      from = run.last.iteration + 1;
      const finding: FileFinding = { seed, iteration: run.last.iteration, mutant: run.last.mutant, outcome: run.outcome! };
      const stderr = importantLines(run.stderr);
      if (stderr) finding.stderr = stderr;
      const mutant = path.join(dir, 'mutant.pt');
      if (fs.existsSync(mutant) && fs.statSync(mutant).size <= 64 * 1024) {
        fs.mkdirSync(findingsDir, { recursive: true });
        finding.file = path.join('file_findings', `seed${seed}-${run.last.iteration}.pt`);
        fs.copyFileSync(mutant, path.join(__dirname, finding.file));
      }
      report.findings.push(finding);
      log(`FINDING ${JSON.stringify(finding)} (peak ${Math.round(run.peakMiB)} MiB)`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** What a dying child said: V8's or libtorch's fatal line, else its last lines. */
function importantLines(stderr: string): string {
  const lines = stderr.trim().split('\n');
  const fatal = lines.filter((l) => /FATAL|terminate called|what\(\)|Error|Assertion/.test(l)).slice(0, 3);
  return (fatal.length ? fatal : lines.slice(-3)).join('\n');
}

/** Runs iteration `iteration` of `seed` alone and says how it ended. */
export async function replayFile(seed: number, iteration: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-filefuzz-'));
  try {
    const run = await runChild(dir, seed, 0, iteration, 1);
    return `${run.last?.mutant ?? '(no mutant)'}: ${run.outcome ?? 'no crash, hang or blow-up'}${run.stderr ? `\n${importantLines(run.stderr)}` : ''}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--replay') {
    process.stdout.write(`${await replayFile(Number(args[1]), Number(args[2]))}\n`);
    return;
  }
  const seconds = Number(args[0] ?? 60);
  const seed = Number(args[1] ?? Math.floor(Math.random() * 2 ** 31));
  process.stdout.write(`fuzzing torch.load and torch.jit.load, seed ${seed} for ${seconds} s\n`);
  const report = await fuzzFiles(seed, seconds, (line) => process.stdout.write(`${line}\n`));
  if (report.findings.length) {
    const known: FileFinding[] = fs.existsSync(findingsFile) ? JSON.parse(fs.readFileSync(findingsFile, 'utf8')) : [];
    fs.writeFileSync(findingsFile, `${JSON.stringify([...known, ...report.findings], null, 1)}\n`);
  }
  const counts = report.findings.reduce<Record<string, number>>((c, f) => ({ ...c, [f.outcome]: (c[f.outcome] ?? 0) + 1 }), {});
  process.stdout.write(`${report.loads} loads (${report.loaded} loaded without error), ${report.findings.length} findings ${JSON.stringify(counts)} (seed ${seed})\n`);
  if (report.error) process.stderr.write(`${report.error}\n`);
  process.exitCode = report.findings.length || report.error ? 1 : 0;
}

if (require.main === module) void main();
