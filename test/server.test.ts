// examples/server.ts: the notebook's model over HTTP. Each of many
// concurrent requests gets its own answer, equal to a direct forward; bad
// input gets a 4xx naming the problem; load beyond the limit gets 503 at
// once; a client that hangs up costs nothing and breaks nothing.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import torch from '../lib';
import { DIMS, MAX_BODY, startServer, type PredictionServer } from '../examples/server';
import { SimpleMLP } from '../examples/notebook_models';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-server-'));
const weights = path.join(dir, 'weights.pt');
torch.manual_seed(0);
const model = new SimpleMLP(DIMS).eval();
torch.save(model.state_dict(), weights);

/** n images of 784 values, different for each seed. */
function images(seed: number, n: number): number[][] {
  const g = new torch.Generator().manual_seed(seed);
  return torch.rand([n, DIMS[0]], { generator: g }).tolist() as number[][];
}

async function post(url: string, body: string): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${url}/predict`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), headers: res.headers };
}

/** A POST whose body is sent in part and the rest when finish() is called (or never: abort()). */
function slowPost(url: string, first: string): { response: Promise<number>; finish(rest: string): void; abort(): void } {
  const req = http.request(`${url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  const response = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
  });
  req.write(first);
  return { response, finish: (rest) => req.end(rest), abort: () => req.destroy() };
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

for (const threads of [0, 2]) {
  test.serial(`${threads === 0 ? 'forward on the event loop' : `${threads} forward threads`}: 48 concurrent requests each get their own answer, equal to a direct forward`, async (t) => {
    const s = await startServer({ weights, threads }, '127.0.0.1', 0);
    try {
      const requests = Array.from({ length: 48 }, (_, i) => images(i, 1 + (i % 3)));
      const answers = await Promise.all(requests.map((inputs) => post(s.url, JSON.stringify({ inputs }))));
      answers.forEach((a, i) => {
        const logits = torch.no_grad(() => model(torch.tensor(requests[i])));
        t.is(a.status, 200);
        t.deepEqual(a.json.logits, logits.tolist(), `request ${i}`);
        t.deepEqual(a.json.classes, logits.argmax(1).tolist(), `request ${i}`);
      });
      t.is(s.pending(), 0);
    } finally {
      await s.close();
    }
  });
}

test.serial('bad requests get 4xx answers naming the problem, and the server goes on', async (t) => {
  const s: PredictionServer = await startServer({ weights, threads: 1 }, '127.0.0.1', 0);
  try {
    const cases: [string, number, RegExp][] = [
      ['{"inputs": [[1, 2]]}', 400, /^expected inputs of shape \[N, 784\], got \[1, 2\]$/],
      ['{"inputs": []}', 400, /^expected inputs of shape \[N, 784\], got \[0\]$/],
      ['{"inputs": 3}', 400, /got a number/],
      ['{"input": [[1]]}', 400, /^expected a JSON object \{"inputs"/],
      ['[1, 2]', 400, /^expected a JSON object/],
      ['{"inputs": [[1, 2', 400, /^body is not valid JSON/],
      [JSON.stringify({ inputs: [[...images(1, 1)[0].slice(1), 'x']] }), 400, /^expected numbers in inputs, got "x" at \[0, 783\]$/],
      [JSON.stringify({ inputs: [[1e39, ...images(1, 1)[0].slice(1)]] }), 400, /^expected finite float32 inputs, got 1e\+39 at \[0, 0\]$/],
    ];
    for (const [body, status, message] of cases) {
      const a = await post(s.url, body);
      t.is(a.status, status, body.slice(0, 40));
      t.regex(a.json.error, message);
    }
    const big = await fetch(`${s.url}/predict`, { method: 'POST', body: 'x'.repeat(MAX_BODY + 1) });
    t.is(big.status, 413);
    t.regex(((await big.json()) as { error: string }).error, /over the limit of 4194304/);
    t.is((await fetch(`${s.url}/predict`)).status, 405);
    t.is((await fetch(`${s.url}/nowhere`)).status, 404);
    t.is(await (await fetch(`${s.url}/health`)).text(), 'ok');
    const ok = await post(s.url, JSON.stringify({ inputs: images(2, 1) }));
    t.is(ok.status, 200);
    t.is(s.pending(), 0);
  } finally {
    await s.close();
  }
});

test.serial('beyond max_pending a request is answered 503 with Retry-After at once; a client that hangs up is dropped', async (t) => {
  const s = await startServer({ weights, threads: 1, max_pending: 1 }, '127.0.0.1', 0);
  try {
    const body = JSON.stringify({ inputs: images(3, 1) });
    // A request whose body is still coming holds the one place.
    const slow = slowPost(s.url, body.slice(0, 100));
    await waitFor(() => s.pending() === 1);
    const busy = await post(s.url, body);
    t.is(busy.status, 503);
    t.is(busy.headers.get('retry-after'), '1');
    t.regex(busy.json.error, /^busy: 1 requests in flight \(the limit is 1\)/);
    slow.finish(body.slice(100));
    t.is(await slow.response, 200);
    await waitFor(() => s.pending() === 0);
    t.is(s.pending(), 0);

    // A client that hangs up mid-body, and one that hangs up once its body is sent: the place is freed, nothing is written to them.
    const gone = slowPost(s.url, body.slice(0, 100));
    gone.response.catch(() => undefined);
    await waitFor(() => s.pending() === 1);
    gone.abort();
    await waitFor(() => s.pending() === 0);
    t.is(s.pending(), 0);
    const sent = slowPost(s.url, '');
    sent.response.catch(() => undefined);
    sent.finish(body);
    sent.abort();
    await waitFor(() => s.pending() === 0);
    t.is(s.pending(), 0);
    const after = await post(s.url, body);
    t.is(after.status, 200);
    t.deepEqual(after.json.logits, torch.no_grad(() => model(torch.tensor(images(3, 1)))).tolist());
  } finally {
    await s.close();
  }
});
