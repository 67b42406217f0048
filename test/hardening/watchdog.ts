// Bounds a fuzzer's child process by the work it does, not by the clock on
// the wall. A child that is given a quarter of a core by a busy machine (a CI
// runner, the suite beside other work) takes four times as long to start and
// to make each call, and a wall-clock watchdog sized for an idle machine then
// kills healthy children. So the child's budget between two signs of progress
// is CPU time: the main thread's user + system time from /proc, which only
// grows while the child runs. The main thread is the one that makes the op
// calls; a parallel op's OpenMP workers run beside it, and counting them too
// would shrink the budget with the number of cores.
//
// A backstop ends a child that makes no progress while none of its threads
// wants the CPU (blocked on a lock, say): the time counted is the time during
// which no thread of it is runnable, so a child that is starved rather than
// blocked (runnable, waiting for a core; a nice 19 child on a machine with a
// load of hundreds took minutes to start) is never ended by it. Where /proc
// is missing (macOS), this is plain wall time, and the only bound. Memory is watched the same way: the resident
// set of the whole process, read from /proc, against a cap.
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

export interface WatchLimits {
  /** CPU seconds of the child's main thread allowed between two calls of progress(). */
  cpuSeconds: number;
  /** CPU seconds allowed before the first progress(): starting Node, tsx and libtorch. */
  startCpuSeconds: number;
  /** Seconds without progress during which no thread of the child was runnable, after which it is ended. */
  blockedSeconds: number;
  /** Resident set size in MiB above which the child is ended; none when absent. */
  rssMiB?: number;
}

export type WatchVerdict = 'cpu' | 'blocked' | 'memory';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The CPU seconds (user + system) that the main thread of `pid` has had, or null where /proc cannot say. */
export function mainThreadCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; utime and stime are fields
    // 14 and 15 of proc(5), the 12th and 13th after the name's closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return null;
  }
}

/** Whether any thread of `pid` is running or waiting for a core (state R), or null where /proc cannot say. */
export function anyThreadRunnable(pid: number): boolean | null {
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
        if (stat[stat.lastIndexOf(')') + 2] === 'R') return true;
      } catch {
        // a thread that ended between the listing and the read
      }
    }
    return false;
  } catch {
    return null;
  }
}

/** The resident set size of `pid` in MiB, or null where /proc cannot say. */
export function residentMiB(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Watches `proc` against `limits` and SIGKILLs it when one is passed;
 * `verdict` then says which. Call progress() at each sign of progress
 * (a line from the child) and stop() when it has exited.
 */
export class Watchdog {
  verdict: WatchVerdict | null = null;
  /** The most CPU seconds the child spent between two signs of progress, and its peak RSS in MiB. */
  maxCpuSeconds = 0;
  peakMiB = 0;
  private budget: number;
  private cpuAtProgress = 0;
  /** Milliseconds since the last progress during which no thread was runnable. */
  private blockedMs = 0;
  private lastCheck = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly proc: ChildProcess,
    private readonly limits: WatchLimits,
    pollMs = 100,
  ) {
    this.budget = limits.startCpuSeconds;
    this.timer = setInterval(() => this.check(), pollMs);
  }

  progress(): void {
    this.budget = this.limits.cpuSeconds;
    this.cpuAtProgress = (this.proc.pid !== undefined && mainThreadCpuSeconds(this.proc.pid)) || this.cpuAtProgress;
    this.blockedMs = 0;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const pid = this.proc.pid;
    const now = Date.now();
    const elapsed = now - this.lastCheck;
    this.lastCheck = now;
    if (pid === undefined || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const cpu = mainThreadCpuSeconds(pid);
    if (cpu !== null) {
      this.maxCpuSeconds = Math.max(this.maxCpuSeconds, cpu - this.cpuAtProgress);
      if (cpu - this.cpuAtProgress > this.budget) return this.end('cpu');
    }
    if (this.limits.rssMiB !== undefined) {
      const rss = residentMiB(pid);
      if (rss !== null) {
        this.peakMiB = Math.max(this.peakMiB, rss);
        if (rss > this.limits.rssMiB) return this.end('memory');
      }
    }
    if (anyThreadRunnable(pid) !== true) this.blockedMs += elapsed;
    if (this.blockedMs > this.limits.blockedSeconds * 1000) this.end('blocked');
  }

  private end(verdict: WatchVerdict): void {
    this.verdict = verdict;
    this.stop();
    this.proc.kill('SIGKILL');
  }
}

/**
 * Hands each whole line the child writes to stdout to onLine, and counts
 * every chunk as progress (a child that reports is not hung).
 */
export function followLines(proc: ChildProcess, watchdog: Watchdog, onLine: (line: string) => void): void {
  let pending = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    watchdog.progress();
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}
