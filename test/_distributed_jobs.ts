// Jobs of real ranks on 127.0.0.1 for the torch.distributed tests: Python
// ranks (the loaded libtorch's Python: PYTHON in _helpers.ts) and torchts
// ranks (Node, through tsx), each a process of its own, given torchrun's
// variables.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { PYTHON } from './_helpers';

export { PYTHON };
export const HERE = path.join(__dirname, 'distributed');

export type Kind = 'py' | 'node';

/** How long a job may run before its ranks are killed. */
export const JOB_LIMIT_MS = 240_000;

// The kernel's ephemeral ports, which it hands to every port-0 bind and
// outgoing connection: Gloo's own sockets among them.
function ephemeralPorts(): [number, number] {
  try {
    const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux: the IANA range
  }
  return [49152, 65535];
}

/**
 * A free port for a job's store, below the ephemeral range: a port the
 * kernel picked (bind to 0) could be handed, once let go, to another job's
 * Gloo socket before this job's store binds it, as was seen with two test
 * files' jobs at once.
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralPorts();
  const floor = 10000;
  const span = Math.max(1000, low - floor);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = floor + Math.floor(Math.random() * span);
    const server = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => resolve(true));
    });
    if (ok) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
  throw new Error('freePort(): no free port found below the ephemeral range');
}

export interface RankRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

// What a rank of each kind runs: the scripts here, or an example and its twin.
export interface Scripts {
  py: string;
  node: string;
}
export const RANK_SCRIPTS: Scripts = { py: path.join(HERE, 'python_rank.py'), node: path.join(HERE, 'node_rank.ts') };

export function runRank(kind: Kind, argv: string[], env: Record<string, string>, scripts: Scripts = RANK_SCRIPTS): [ChildProcess, Promise<RankRun>] {
  const child =
    kind === 'py'
      ? spawn(PYTHON, [scripts.py, ...argv], { env: { ...process.env, ...env } })
      : spawn(process.execPath, ['--import=tsx', scripts.node, ...argv], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<RankRun>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return [child, done];
}

/** Runs one job of the given ranks (rank i is kinds[i]) and gives each rank's run; kills them all after limitMs. */
export async function runJob(
  kinds: Kind[],
  scenario: string | string[],
  // Only a net for a hang: on a busy machine (two suites beside each other on
  // 2 cores) a job's Node and Python ranks took over 60 s just to start.
  limitMs = JOB_LIMIT_MS,
  extraEnv: Record<string, string>[] = [],
  scripts: Scripts = RANK_SCRIPTS,
): Promise<RankRun[]> {
  const port = await freePort();
  const argv = typeof scenario === 'string' ? [scenario] : scenario;
  const ranks = kinds.map((kind, rank) =>
    runRank(kind, argv, {
      MASTER_ADDR: '127.0.0.1',
      MASTER_PORT: String(port),
      RANK: String(rank),
      WORLD_SIZE: String(kinds.length),
      ...(extraEnv[rank] ?? {}),
    }, scripts),
  );
  const timer = setTimeout(() => ranks.forEach(([child]) => child.kill('SIGKILL')), limitMs);
  try {
    return await Promise.all(ranks.map(([, done]) => done));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Each rank's result, the last line of its stdout; `ranks` picks whose (all by
 * default). A rank with none fails the test with every rank's stderr, picked or not.
 */
export function resultsOf(t: { fail(message: string): void }, runs: RankRun[], kinds: Kind[], ranks: number[] = runs.map((_, i) => i)): Record<string, unknown>[] {
  return ranks.map((rank) => {
    const run = runs[rank];
    const line = run.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      // Every rank's end of stderr: the rank that failed first is often another.
      const others = runs.map((r, i) => (i === rank ? '' : `\n--- rank ${i} (${kinds[i]}, exit ${r.code}): ${r.stderr.slice(-1000)}`)).join('');
      t.fail(`rank ${rank} (${kinds[rank]}) gave no results (exit ${run.code}): ${run.stderr.slice(-2000)}${others}`);
      return {};
    }
  });
}
