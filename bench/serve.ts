// The serving benchmark: examples/server.ts (torchts, the forward on the main
// thread and on worker threads) against its Python twin, bench/serve.py
// (ThreadingHTTPServer), under the same HTTP load. Both serve the notebook's
// SimpleMLP([784, 32, 10]) from one state_dict written here by Python, each
// in a process of its own with one intra-op thread; autocannon, in this
// process, keeps C connections busy with the same request (one 28x28 image,
// JSON) for --duration seconds, for each C in --connections. Before any load
// it checks that every server answers that request with the same classes and
// logits within 1e-5. Prints requests/s, p50 and p99 latency and failures per
// server and connection count, with torchts/Python ratios, and writes them to
// bench/results/serve.json, with each server's RSS after its warm-up and after each row.
//   npx tsx bench/serve.ts [--duration 10] [--connections 1,8,64] [--threads 2]
//                          [--servers python,torchts-0,torchts-2] [--warmup 1]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '1,8,64' },
    // The worker threads of the second torchts server (the first runs forward on its main thread).
    threads: { type: 'string', default: '2' },
    // Which servers to run: python, torchts-0 and torchts-K (K worker threads; torchts-N means --threads).
    servers: { type: 'string' },
    // Seconds of load, discarded, before the first measured run of each server.
    warmup: { type: 'string', default: '1' },
  },
});

const here = __dirname;
const root = path.dirname(here);
const PYTHON = '/usr/bin/python3';
const NODE_SERVER = path.join(root, 'examples', 'server.ts');
const WEIGHTS = path.join(here, 'build', 'serve', 'weights.pt');
const RESULTS = path.join(here, 'results', 'serve.json');
// tsx compiling the sources and libtorch loading can take a while on a loaded machine.
const START_TIMEOUT_MS = 120_000;
const TOLERANCE = 1e-5;

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonOptions {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  pipelining: number;
  timeout: number;
}
interface AutocannonResult {
  duration: number; // seconds
  errors: number; // connection errors
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
interface AutocannonInstance extends EventEmitter {
  stop(): void;
}
const autocannon: (opts: AutocannonOptions, done: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance = require('autocannon');

/** One measured run. Latencies in milliseconds, of 2xx answers only (as autocannon counts them). */
interface Row {
  server: string;
  connections: number;
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  responses_2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration_s: number;
  /** The server's resident memory after the row (and after its warm-up): flat across rows, or a leak. */
  rss_mb: number;
  rss_after_warmup_mb: number;
}

/**
 * The request's image: 784 pixels from a 32-bit LCG (Numerical Recipes'
 * constants), each its top byte over 255 as ToTensor scales a uint8 image,
 * so the body is the same in every run without a dataset.
 */
function image(seed = 0): number[] {
  let state = seed >>> 0;
  const pixels: number[] = [];
  for (let i = 0; i < 784; i++) {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0;
    pixels.push((state >>> 24) / 255);
  }
  return pixels;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The last `limit` characters a stream wrote, for the report when a server dies. */
function tail(stream: NodeJS.ReadableStream, limit = 64 * 1024): () => string {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text;
}

/** The servers started and not yet ended. */
const live = new Set<Server>();

/** A server in a child process of its own, in its own process group so that all of it can be killed. */
class Server {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Settles when the process ends, with its exit code or signal. */
  readonly exited: Promise<string>;
  exitedWith: string | null = null;
  private readonly listening: Promise<string>;
  url = '';

  constructor(
    readonly name: string,
    command: string,
    argv: string[],
  ) {
    // One intra-op thread on every side, as in the rest of the bench.
    this.child = spawn(command, argv, { cwd: root, env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.add(this);
    // Both pipes are read to the end, whatever the server logs, so that a full pipe never stalls it.
    this.stdout = tail(this.child.stdout!);
    this.stderr = tail(this.child.stderr!);
    this.listening = new Promise((resolve) => {
      let seen = '';
      const watch = (chunk: string) => {
        seen += chunk;
        const m = /listening on (http:\/\/\S+)/.exec(seen);
        if (!m) return;
        this.child.stdout!.off('data', watch);
        resolve(m[1].replace(/\/$/, ''));
      };
      this.child.stdout!.on('data', watch);
    });
    this.exited = new Promise((resolve) => {
      const settle = (how: string) => {
        if (this.exitedWith !== null) return;
        this.exitedWith = how;
        live.delete(this);
        resolve(how);
      };
      // 'close' rather than 'exit': after its pipes are drained, so the report has its last words.
      this.child.once('close', (code, signal) => settle(signal ? `signal ${signal}` : `exit code ${code}`));
      this.child.once('error', (e) => settle(`failed to start: ${e.message}`));
    });
  }

  /** Resolves with the URL of its `listening on http://HOST:PORT` line. */
  async ready(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name}: no "listening on" line after ${START_TIMEOUT_MS / 1000} s\n${this.report()}`)), START_TIMEOUT_MS);
    });
    const died = this.exited.then((how): never => {
      throw new Error(`${this.name} ended before listening (${how})\n${this.report()}`);
    });
    try {
      this.url = await Promise.race([this.listening, died, timeout]);
      return this.url;
    } finally {
      clearTimeout(timer);
    }
  }

  report(): string {
    return `--- ${this.name} stderr ---\n${this.stderr() || '(empty)'}\n--- ${this.name} stdout ---\n${this.stdout() || '(empty)'}`;
  }

  /** SIGTERM to its process group, SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (this.exitedWith !== null) return;
    signalGroup(this.child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.child, 'SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A process's resident set size in MiB, from /proc (Linux), or NaN where there is none. */
function rssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

// Whatever ends this process (an error, Ctrl-C), the servers go with it:
// they are in process groups of their own, which a terminal's signal does not reach.
process.on('exit', () => {
  for (const s of live) signalGroup(s.child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}

function startServer(name: string, port: number): Server {
  const common = ['--weights', WEIGHTS, '--host', '127.0.0.1', '--port', String(port)];
  if (name === 'python') return new Server(name, PYTHON, [path.join(here, 'serve.py'), ...common]);
  const threads = /^torchts-(\d+)$/.exec(name)?.[1];
  if (threads === undefined) throw new Error(`unknown server ${name}: expected python or torchts-K (K worker threads)`);
  if (!fs.existsSync(NODE_SERVER)) throw new Error(`${path.relative(process.cwd(), NODE_SERVER)} does not exist (--servers python runs the Python server alone)`);
  // node --import=tsx rather than npx tsx: no npx or tsx launcher process in between.
  return new Server(name, process.execPath, ['--import=tsx', NODE_SERVER, ...common, '--threads', threads]);
}

interface Answer {
  logits: number[][];
  classes: number[];
}

async function predict(server: Server, body: string): Promise<Answer> {
  const response = await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${server.name}: POST /predict answered ${response.status}: ${text.slice(0, 500)}`);
  const answer = JSON.parse(text) as Answer;
  const wellFormed =
    Array.isArray(answer.logits) && answer.logits.length === 1 && Array.isArray(answer.logits[0]) && answer.logits[0].length === 10 &&
    answer.logits[0].every((v) => typeof v === 'number') && Array.isArray(answer.classes) && answer.classes.length === 1 && Number.isInteger(answer.classes[0]);
  if (!wellFormed) throw new Error(`${server.name}: expected {"logits": [[10 numbers]], "classes": [1 int]}, got ${text.slice(0, 500)}`);
  return answer;
}

/** Every server's answer to the benchmark's request against the first's: the same classes, logits within TOLERANCE. */
async function checkAgreement(servers: Server[], body: string) {
  const answers = await Promise.all(servers.map((s) => predict(s, body)));
  const [first] = answers;
  let maxAbsDiff = 0;
  for (let i = 1; i < answers.length; i++) {
    const diff = Math.max(...answers[i].logits[0].map((v, j) => Math.abs(v - first.logits[0][j])));
    maxAbsDiff = Math.max(maxAbsDiff, diff);
    if (!(diff <= TOLERANCE) || answers[i].classes[0] !== first.classes[0]) {
      throw new Error(
        `${servers[i].name} and ${servers[0].name} disagree (logits differ by up to ${diff.toExponential(2)}, tolerance ${TOLERANCE}):\n` +
          `  ${servers[0].name}: classes ${JSON.stringify(first.classes)} logits ${JSON.stringify(first.logits[0])}\n` +
          `  ${servers[i].name}: classes ${JSON.stringify(answers[i].classes)} logits ${JSON.stringify(answers[i].logits[0])}`,
      );
    }
  }
  return { servers: servers.map((s) => s.name), classes: first.classes, logits: first.logits[0], max_abs_diff: maxAbsDiff, tolerance: TOLERANCE };
}

function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN;
}

/**
 * One run of autocannon against a server, ended early (and failed) if the
 * server dies. autocannon's own latency histogram keeps whole milliseconds,
 * coarser than a forward of this model, so the latencies are taken from its
 * 'response' events (process.hrtime, in ms) instead.
 */
async function load(server: Server, body: string, connections: number, duration: number, what = `with ${connections} connections`): Promise<Omit<Row, 'rss_after_warmup_mb'>> {
  const latencies: number[] = [];
  let instance: AutocannonInstance | undefined;
  const finished = new Promise<AutocannonResult>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${server.url}/predict`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections,
        duration,
        pipelining: 1,
        timeout: 10,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('response', (_client: unknown, statusCode: number | string, _bytes: number, responseTime: number) => {
      const status = Number(statusCode);
      if (status >= 200 && status < 300) latencies.push(responseTime);
    });
  });
  let done = false;
  const died = server.exited.then((how): never => {
    if (!done) instance?.stop();
    throw new Error(`${server.name} died under load ${what} (${how})\n${server.report()}`);
  });
  let result: AutocannonResult;
  try {
    result = await Promise.race([finished, died]);
  } finally {
    done = true;
  }
  latencies.sort((a, b) => a - b);
  return {
    server: server.name,
    connections,
    requests_per_s: result['2xx'] / result.duration,
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    responses_2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    duration_s: result.duration,
    rss_mb: rssMb(server.child.pid),
  };
}

function table(rows: Row[]): string {
  const head = ['server', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors/non-2xx', 'req/s vs Py', 'p99 vs Py', 'RSS MB'];
  const widths = [12, 6, 10, 9, 9, 16, 13, 11, 14];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('');
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}x` : '-');
  const lines = [line(head)];
  for (const r of rows) {
    const python = r.server === 'python' ? undefined : rows.find((p) => p.server === 'python' && p.connections === r.connections);
    lines.push(
      line([
        r.server,
        String(r.connections),
        r.requests_per_s.toFixed(0),
        r.p50_ms.toFixed(2),
        r.p99_ms.toFixed(2),
        `${r.errors + r.timeouts}/${r.non2xx}`,
        ratio(r.requests_per_s, python?.requests_per_s),
        ratio(r.p99_ms, python?.p99_ms),
        `${r.rss_after_warmup_mb.toFixed(0)}->${r.rss_mb.toFixed(0)}`,
      ]),
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const duration = Number(args.duration);
  const warmup = Number(args.warmup);
  const connections = args.connections!.split(',').map(Number);
  const threads = Number(args.threads);
  if (!(duration > 0) || !(warmup >= 0) || !connections.every((c) => Number.isInteger(c) && c > 0) || !(Number.isInteger(threads) && threads >= 0)) {
    throw new Error('expected --duration > 0, --warmup >= 0, --connections of positive integers, --threads >= 0');
  }
  const names = [...new Set((args.servers ?? `python,torchts-0,torchts-${threads}`).split(',').map((s) => s.trim().replace(/^torchts-N$/, `torchts-${threads}`)))];

  // The weights: Python's own torch.save of the model's state_dict, the file a user would bring.
  const init = spawnSync(PYTHON, [path.join(here, 'serve.py'), '--weights', WEIGHTS, '--init', '--seed', '0'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`writing ${WEIGHTS} failed:\n${init.stderr}`);
  const body = JSON.stringify({ inputs: [image()] });

  // All servers start together and are checked before any load; each is then
  // loaded in turn, alone but for the others idling, and stopped.
  const ports = await Promise.all(names.map(() => freePort()));
  const servers = names.map((name, i) => startServer(name, ports[i]));
  process.stderr.write(`starting ${names.join(', ')}...\n`);
  await Promise.all(servers.map((s) => s.ready()));
  const check = await checkAgreement(servers, body);
  process.stderr.write(
    servers.length > 1
      ? `check: ${names.join(', ')} answer class ${check.classes[0]}, logits within ${check.max_abs_diff.toExponential(2)} of each other\n`
      : `check: ${names[0]} answers class ${check.classes[0]} (one server: nothing to compare with)\n`,
  );

  const rows: Row[] = [];
  for (const server of servers) {
    if (warmup > 0) await load(server, body, Math.max(...connections), warmup, 'while warming up');
    const rss_after_warmup_mb = rssMb(server.child.pid);
    for (const c of connections) {
      process.stderr.write(`  ${server.name}, ${c} connections, ${duration} s\n`);
      rows.push({ ...(await load(server, body, c, duration)), rss_after_warmup_mb });
    }
    await server.stop();
  }

  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    // autocannon shares this machine's cores with the server it loads.
    loadavg_at_start: os.loadavg(),
    date: new Date().toISOString(),
  };
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.node}; ${duration} s per row, one image per request (${body.length} bytes), OMP_NUM_THREADS=1`);
  console.log(table(rows));
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, `${JSON.stringify({ machine, duration_s: duration, warmup_s: warmup, threads, body_bytes: body.length, check, results: rows }, null, 1)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
