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
// A generous wall-clock backstop still ends a child that makes no progress
// and spends no CPU (blocked on a lock, say), and where /proc is missing
// (macOS) it is the only bound. Memory is watched the same way: the resident
// set of the whole process, read from /proc, against a cap.
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

export interface WatchLimits {
  /** CPU seconds of the child's main thread allowed between two calls of progress(). */
  cpuSeconds: number;
  /** CPU seconds allowed before the first progress(): starting Node, tsx and libtorch. */
  startCpuSeconds: number;
  /** Wall-clock seconds without progress after which the child is ended whatever its CPU time. */
  wallSeconds: number;
  /** Resident set size in MiB above which the child is ended; none when absent. */
  rssMiB?: number;
}

export type WatchVerdict = 'cpu' | 'wall' | 'memory';

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
  private wallAtProgress = Date.now();
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
    this.wallAtProgress = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const pid = this.proc.pid;
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
    if (Date.now() - this.wallAtProgress > this.limits.wallSeconds * 1000) this.end('wall');
  }

  private end(verdict: WatchVerdict): void {
    this.verdict = verdict;
    this.stop();
    this.proc.kill('SIGKILL');
  }
}
