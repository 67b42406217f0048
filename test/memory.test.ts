// Memory: dispose, Symbol.dispose, scopes, and finalizers that run inside
// GC so a synchronous loop that disposes nothing stays bounded.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import torch, { nn, optim, type Tensor } from '../lib';
import { native, youngCollector } from '../lib/native';

test('dispose frees now; a second dispose does nothing; use after dispose is a clear error', (t) => {
  const x = torch.ones(4);
  x.dispose();
  t.true(x.is_disposed);
  t.notThrows(() => x.dispose());
  const err = t.throws(() => x.add(1));
  t.regex(err!.message, /disposed/);
  t.regex(err!.message, /self/);
});

test('using disposes at the end of the block', (t) => {
  let kept: Tensor;
  {
    using x = torch.ones(3);
    kept = x;
    t.false(x.is_disposed);
  }
  t.true(kept.is_disposed);
});

test('scope frees what it made except what it returns, also nested', (t) => {
  let inner: Tensor[] = [];
  let outerTemp: Tensor | undefined;
  const result = torch.scope(() => {
    const a = torch.ones(2);
    outerTemp = a.mul(2);
    const kept = torch.scope(() => {
      const b = a.add(1);
      inner = [b];
      return { value: b.mul(10), list: [b.add(1)] };
    });
    t.true(inner[0].is_disposed);
    t.false(kept.value.is_disposed);
    return kept.value.add(a);
  });
  t.false(result.is_disposed);
  t.true(outerTemp!.is_disposed);
  t.deepEqual(result.tolist(), [21, 21]);
});

test('scope disposes everything when its callback throws', (t) => {
  let made: Tensor | undefined;
  t.throws(() =>
    torch.scope(() => {
      made = torch.ones(2);
      throw new Error('boom');
    }),
  );
  t.true(made!.is_disposed);
});

test('scope refuses an async callback', (t) => {
  const err = t.throws(() => torch.scope((async () => torch.ones(1)) as any));
  t.regex(err!.message, /synchronous/);
});

test('keep() takes a tensor out of the scopes around it', (t) => {
  let temp: Tensor | undefined;
  let kept: Tensor | undefined;
  torch.scope(() => {
    torch.scope(() => {
      temp = torch.ones(2);
      kept = torch.keep(torch.zeros(2));
    });
  });
  t.true(temp!.is_disposed);
  t.false(kept!.is_disposed);
  t.deepEqual(kept!.tolist(), [0, 0]);
  t.throws(() => torch.keep({} as Tensor), { instanceOf: TypeError, message: /keep\(tensor\): expected a Tensor/ });
});

test('training steps inside torch.scope keep the optimizer state they make (Adam, SGD with momentum)', (t) => {
  for (const make of [(p: Tensor[]) => new optim.Adam(p, { lr: 0.01 }), (p: Tensor[]) => new optim.SGD(p, { lr: 0.01, momentum: 0.9 })]) {
    torch.manual_seed(0);
    const model = new nn.Linear(3, 1);
    const opt = make(model.parameters());
    const x = torch.randn(4, 3);
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) {
      losses.push(
        torch.scope(() => {
          opt.zero_grad();
          const loss: Tensor = model(x).pow(2).mean();
          loss.backward();
          opt.step();
          return loss.item() as number;
        }),
      );
    }
    t.true(losses[2] < losses[0]);
  }
});

test('tensors made before a scope are not touched by it', (t) => {
  const outside = torch.ones(2);
  torch.scope(() => outside.add(1));
  t.false(outside.is_disposed);
});

test('a synchronous loop that disposes nothing keeps RSS bounded (finalizers run inside GC)', (t) => {
  // 64 KB tensors: 20,000 of them would be 1.3 GB if nothing were freed
  // before the loop ends.
  const a = torch.ones(16384);
  for (let i = 0; i < 2000; i++) a.add(1);
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 20000; i++) a.add(i);
  const grown = (process.memoryUsage().rss - before) / 2 ** 20;
  t.true(grown < 300, `RSS grew ${grown.toFixed(0)} MB over a loop that made 1.3 GB of tensors`);
});

test('data_ptr() is the address of the first element: a view is offset into its base, a copy is elsewhere', (t) => {
  const base = torch.arange(12, { dtype: torch.float32 });
  t.is(typeof base.data_ptr(), 'number');
  t.is(base.view(3, 4).data_ptr(), base.data_ptr());
  t.is(base.narrow(0, 5, 4).data_ptr(), base.data_ptr() + 5 * 4);
  t.not(base.clone().data_ptr(), base.data_ptr());
  t.is(torch.empty(0).data_ptr(), 0);
});

test('a freed block waits for the next tensor of its size, even while smaller tensors come and go', (t) => {
  // A training step frees its [32, 784] gradient while the activations JS
  // still holds wait for GC; malloc would carve those into the freed block
  // and send the next gradient to fresh memory.
  const gradient = torch.empty(32, 784);
  const address = gradient.data_ptr();
  gradient.dispose();
  const held: Tensor[] = [];
  for (let i = 0; i < 50; i++) held.push(torch.empty(32, 32));
  const next = torch.empty(32, 784);
  t.is(next.data_ptr(), address);
  // Its contents are what is written into it, not what the old tensor held.
  next.fill_(3);
  t.deepEqual(next.sum().item(), 3 * 32 * 784);
  t.true(held.every((h) => h.data_ptr() !== address));
});

test('a full block cache gives back its longest idle blocks to keep a newly freed size', (t) => {
  // Sizes of 1 MiB and 1 MiB + 64 B (a float32 of each), which no other test of this file makes.
  const a = 262144;
  const b = a + 16;
  const { limitBytes } = native.cpuBlockCache(0);
  const many = Math.ceil(limitBytes / (a * 4)) + 4;
  // More blocks of the first size than the cache may keep, all idle at once: the cache fills with them.
  const firsts = Array.from({ length: many }, () => torch.empty(a));
  const lastAddress = firsts[firsts.length - 1].data_ptr();
  for (const x of firsts) x.dispose();
  const full = native.cpuBlockCache(a * 4);
  t.true(full.cachedBytes <= limitBytes, `${full.cachedBytes} cached, ${limitBytes} at most`);
  t.true(full.cachedBytes > limitBytes - a * 4 - 4096, `the cache is full: ${full.cachedBytes} of ${limitBytes}`);
  // The newest block of a size comes back first (the warmest).
  const again = torch.empty(a);
  t.is(again.data_ptr(), lastAddress);
  again.dispose();
  // Ten blocks of another size, freed into the full cache, are kept; the oldest of the first size make room.
  const seconds = Array.from({ length: 10 }, () => torch.empty(b));
  for (const x of seconds) x.dispose();
  const after = native.cpuBlockCache(b * 4);
  t.is(after.blocksForSize, 10);
  t.true(after.cachedBytes <= limitBytes);
  t.true(native.cpuBlockCache(a * 4).blocksForSize <= full.blocksForSize - 10);
  // The cache still hands them out: the next tensor of that size takes the block freed last.
  const reused = torch.empty(b);
  t.is(native.cpuBlockCache(b * 4).blocksForSize, 9);
  reused.dispose();
});

test('tensors that reuse blocks keep their own values under a training loop that disposes nothing', (t) => {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 4));
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  const x = torch.randn(16, 64);
  const y = torch.randint(0, 4, [16]);
  const losses: number[] = [];
  for (let i = 0; i < 300; i++) {
    opt.zero_grad();
    const loss = nn.functional.cross_entropy(model(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item() as number);
  }
  // The same steps with every temporary disposed at once, so every block is
  // reused straight away: the two runs must agree to the bit.
  torch.manual_seed(0);
  const model2 = new nn.Sequential(new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 4));
  const opt2 = new optim.Adam(model2.parameters(), { lr: 0.01 });
  for (let i = 0; i < 300; i++) {
    const loss = torch.scope(() => {
      opt2.zero_grad();
      const l = nn.functional.cross_entropy(model2(x), y);
      l.backward();
      opt2.step();
      return l.item() as number;
    });
    t.is(loss, losses[i], `step ${i}`);
  }
});

test('results left to GC are collected after each megabyte or so, so their blocks come back while warm', (t) => {
  // 64 results of 256 KB, none disposed, and almost no JS garbage: V8 on its
  // own collects none of them before the loop ends.
  const a = torch.ones(65536);
  // Collections are paced by the largest fresh result of the last two
  // periods: two collections first, so that larger tensors made by earlier
  // tests of this file do not set the pace here.
  const collect = youngCollector()!;
  collect();
  collect();
  const blocksUsed = () => {
    const seen = new Set<number>();
    for (let i = 0; i < 64; i++) seen.add(a.add(i).data_ptr());
    return seen.size;
  };
  const withCollections = blocksUsed();
  t.true(withCollections <= 16, `64 results took ${withCollections} blocks`);
  native.setYoungCollector(null);
  let withoutCollections: number;
  try {
    withoutCollections = blocksUsed();
  } finally {
    native.setYoungCollector(youngCollector());
  }
  t.true(withoutCollections > 32, `with no young collections, 64 results took only ${withoutCollections} blocks`);
});

test('the young collector leaves gc() as the program had it, in its own and in new contexts', (t) => {
  const script = "const vm = require('node:vm'); require('./lib'); console.log(typeof globalThis.gc, vm.runInNewContext('typeof gc'))";
  const run = (flags: string[]) =>
    spawnSync(process.execPath, [...flags, '--import=tsx', '-e', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
  const plain = run([]);
  t.is(plain.stdout.trim(), 'undefined undefined', plain.stderr);
  const exposed = run(['--expose-gc']);
  t.is(exposed.stdout.trim(), 'function function', exposed.stderr);
});

test('a loop keeping its last outputs detached stays bounded: a detached view is charged to V8 for the storage it alone keeps', (t) => {
  // The loop that grew to 2.3 GB: keep the last 10 detached outputs. Each
  // kept view outlives two young collections, so only a full collection
  // frees it once dropped, and V8 starts one for the native memory it is told
  // of: a view charged nothing never added to that count. 200 outputs of
  // 4 MB: 800 MB if none is freed before the loop ends (measured: 798 MB
  // before, 116 MB after).
  const input = torch.ones(2 ** 20);
  for (let i = 0; i < 20; i++) input.mul(i).detach();
  const before = process.memoryUsage().rss;
  const kept: Tensor[] = [];
  for (let i = 0; i < 200; i++) {
    kept.push(input.mul(i).detach());
    if (kept.length > 10) kept.shift();
  }
  const grown = (process.memoryUsage().rss - before) / 2 ** 20;
  t.true(grown < 300, `RSS grew ${grown.toFixed(0)} MB over a loop that kept 40 MB of tensors`);
  t.is(kept[9].sum().item(), 199 * 2 ** 20);
});
