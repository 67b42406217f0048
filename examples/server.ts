// The notebook's model served over HTTP with node:http: the best model's
// weights, as `npm run notebook` saves them (out/notebook/best_model.pt, in
// the format of Python's torch.save, so a Python-trained state_dict loads
// too), answering predictions for many clients at once.
//
//   npx tsx examples/server.ts [--weights out/notebook/best_model.pt] [--port 8000] [--threads 2] [--max-pending 256]
//   curl -s localhost:8000/predict -d '{"inputs": [[0, 0.5, ... 784 numbers]]}'
//     {"logits": [[...10 numbers]], "classes": [7]}
//
// With --threads N (the default 2) the forward passes run on N worker
// threads (torch.multiprocessing.remote: each hosts the model, its weights
// shared with this thread's, not copied), so the event loop only parses
// requests and writes answers; --threads 0 runs them here, which for a
// model this small costs less than a trip to another thread. Requests
// beyond --max-pending in flight are answered 503 with Retry-After at once
// (back-pressure, not an unbounded queue); a client that hangs up before
// its answer is dropped, and its answer with it. Its Python twin, with the
// same protocol, is bench/serve.py; bench/serve.ts loads both.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

import torch, { type Tensor } from 'torchts';
import { SimpleMLP } from './notebook_models';

torch.multiprocessing.register(SimpleMLP, require.resolve('./notebook_models'));

/** The notebook's best model: 784 inputs (a 28x28 image, flattened), 32 hidden units, 10 classes. */
export const DIMS = [28 * 28, 32, 10];
const IN_FEATURES = DIMS[0];
/** The largest request body read, in bytes: about 300 images as JSON. */
export const MAX_BODY = 4 * 1024 * 1024;
const FLOAT32_MAX = 3.4028234663852886e38;

export interface ServerOptions {
  /** A state_dict file for SimpleMLP(DIMS), as torch.save writes it (either language's). */
  weights: string;
  /** Worker threads running the forward passes; 0 runs them on the event loop's thread. */
  threads?: number;
  /** Requests in flight beyond which new ones are answered 503. */
  max_pending?: number;
}

/** An answer other than 200, with the message the client gets. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The model, on this thread or hosted on worker threads: forward(x) as a Promise either way. */
class Predictor {
  private constructor(
    private readonly model: SimpleMLP,
    private readonly remotes: torch.multiprocessing.Remote<SimpleMLP>[],
  ) {}

  static async load(weights: string, threads: number): Promise<Predictor> {
    if (!Number.isInteger(threads) || threads < 0) throw new RangeError(`--threads must be a whole number >= 0, got ${threads}`);
    if (!fs.existsSync(weights)) throw new Error(`no weights at ${weights}: run \`npm run notebook\` first, or pass --weights FILE`);
    const model = new SimpleMLP(DIMS);
    model.load_state_dict(torch.load(weights, { weights_only: true }) as Record<string, Tensor>);
    model.eval();
    const remotes = await Promise.all(Array.from({ length: threads }, () => torch.multiprocessing.remote(model)));
    return new Predictor(model, remotes);
  }

  /** The logits for a batch of images, computed without a graph (inference mode) on the least busy thread. */
  forward(x: Tensor): Promise<Tensor> {
    const guard = torch.inference_mode();
    try {
      if (this.remotes.length === 0) return Promise.resolve(this.model(x));
      let least = this.remotes[0];
      for (const r of this.remotes) if (r.calls_in_flight < least.calls_in_flight) least = r;
      // The modes are taken when the call is made: it runs in inference mode over there.
      return least.call('forward', x);
    } finally {
      guard.exit();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.remotes.map((r) => r.close()));
  }
}

/** The request's body, up to MAX_BODY bytes (413 beyond). */
function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY) {
      reject(new HttpError(413, `request body of ${declared} bytes is over the limit of ${MAX_BODY}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, `request body is over the limit of ${MAX_BODY} bytes`));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    // A client that hangs up mid-body: its request ends here (no answer can reach it).
    req.on('close', () => {
      if (!ended) reject(new HttpError(400, 'the client closed the connection before sending the whole body'));
    });
  });
}

/** The shape of a JSON value as a tensor's, for error messages. */
function shapeOf(v: unknown): string {
  if (!Array.isArray(v)) return typeof v === 'number' ? 'a number' : `a JSON ${v === null ? 'null' : typeof v}`;
  const inner = v.length > 0 && Array.isArray(v[0]) ? `, ${(v[0] as unknown[]).length}` : '';
  return `[${v.length}${inner}]`;
}

/** `{"inputs": [[784 numbers], ...]}` as an [N, 784] float32 tensor, or a 400 naming what is wrong. */
export function parseInputs(body: Buffer): Tensor {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `body is not valid JSON: ${(err as Error).message}`);
  }
  const inputs = (json as { inputs?: unknown } | null)?.inputs;
  if (json === null || typeof json !== 'object' || Array.isArray(json) || inputs === undefined) {
    throw new HttpError(400, 'expected a JSON object {"inputs": [[784 numbers], ...]}');
  }
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((row) => Array.isArray(row) && row.length === IN_FEATURES)) {
    throw new HttpError(400, `expected inputs of shape [N, ${IN_FEATURES}], got ${shapeOf(inputs)}`);
  }
  const data = new Float32Array(inputs.length * IN_FEATURES);
  for (let i = 0; i < inputs.length; i++) {
    const row = inputs[i] as unknown[];
    for (let j = 0; j < IN_FEATURES; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new HttpError(400, `expected numbers in inputs, got ${JSON.stringify(v)} at [${i}, ${j}]`);
      if (!(Math.abs(v) <= FLOAT32_MAX)) throw new HttpError(400, `expected finite float32 inputs, got ${v} at [${i}, ${j}]`);
      data[i * IN_FEATURES + j] = v;
    }
  }
  return torch.from_typed_array(data, [inputs.length, IN_FEATURES]);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  if (res.destroyed || res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export interface PredictionServer {
  readonly server: http.Server;
  /** Where it listens: http://host:port. */
  readonly url: string;
  /** Requests being answered now. */
  pending(): number;
  close(): Promise<void>;
}

/** Loads the weights, starts the threads, and listens on host:port (port 0: any free one). */
export async function startServer(options: ServerOptions, host = '127.0.0.1', port = 8000): Promise<PredictionServer> {
  const maxPending = options.max_pending ?? 256;
  if (!Number.isInteger(maxPending) || maxPending < 1) throw new RangeError(`--max-pending must be a whole number >= 1, got ${maxPending}`);
  const predictor = await Predictor.load(options.weights, options.threads ?? 2);
  let pending = 0;

  const predict = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (pending >= maxPending) {
      // Drain the body so the connection stays usable, then say when to come back.
      req.resume();
      send(res, 503, { error: `busy: ${pending} requests in flight (the limit is ${maxPending}); retry shortly` }, { 'Retry-After': '1' });
      return;
    }
    pending++;
    try {
      const x = parseInputs(await readBody(req));
      const logits = await predictor.forward(x);
      // A client that hung up gets nothing; the work is done and dropped.
      if (res.destroyed) return;
      send(res, 200, { logits: logits.tolist(), classes: logits.argmax(1).tolist() });
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, { error: err.message }, err.status === 413 ? { Connection: 'close' } : {});
      else send(res, 500, { error: `prediction failed: ${(err as Error).message}` });
    } finally {
      pending--;
    }
  };

  const server = http.createServer((req, res) => {
    const route = (req.url ?? '/').split('?')[0];
    if (route === '/health') {
      send(res, req.method === 'GET' ? 200 : 405, req.method === 'GET' ? 'ok' : { error: 'use GET /health' });
    } else if (route === '/predict') {
      if (req.method === 'POST') void predict(req, res);
      else send(res, 405, { error: 'use POST /predict with {"inputs": [[784 numbers], ...]}' }, { Allow: 'POST' });
    } else {
      send(res, 404, { error: `no route ${route}: POST /predict or GET /health` });
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${address.port}`,
    pending: () => pending,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await predictor.close();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      weights: { type: 'string', default: 'out/notebook/best_model.pt' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8000' },
      threads: { type: 'string', default: '2' },
      'max-pending': { type: 'string', default: '256' },
    },
  });
  const threads = Number(values.threads);
  const s = await startServer({ weights: values.weights!, threads, max_pending: Number(values['max-pending']) }, values.host, Number(values.port));
  console.log(`torchts server listening on ${s.url} (${threads === 0 ? 'forward on the event loop' : `${threads} forward threads`})`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
