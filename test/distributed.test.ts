// torch.distributed on c10d's Gloo group: torchts ranks and Python ranks in
// one job on 127.0.0.1, each collective's result equal to what the same
// rank gets in a job of Python ranks only; and the bad input and faults
// that must be clear errors, never a crash or a hang.
import test from 'ava';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import * as torch from '../lib';
import { HERE, JOB_LIMIT_MS, type Kind, type RankRun, type Scripts, freePort, resultsOf, runJob } from './_distributed_jobs';

const dist = torch.distributed;
// Debian's libtorch 2.6 has no libuv store server, which Python (2.4+) asks
// for unless told not to: its ranks and ours are told, as a user there must.
process.env.USE_LIBUV = '0';
const available = dist.is_available();
const withDist = available ? test : test.skip;
const serial = available ? test.serial : test.serial.skip;
if (!available) test('torch.distributed tests skip: this build has no torch.distributed (gloo headers missing at build time)', (t) => t.pass());

// What each rank gets in a job of Python ranks only: the oracle.
const pythonOnly = new Map<number, Promise<Record<string, unknown>[]>>();
function pythonJob(size: number, t: { fail(message: string): void }): Promise<Record<string, unknown>[]> {
  if (!pythonOnly.has(size)) {
    const kinds = Array<Kind>(size).fill('py');
    pythonOnly.set(size, runJob(kinds, 'collectives').then((runs) => resultsOf(t, runs, kinds)));
  }
  return pythonOnly.get(size)!;
}

for (const kinds of [['node', 'py'], ['py', 'node', 'py'], ['node', 'node', 'py'], ['node', 'node']] as Kind[][]) {
  withDist(`every collective in a job of ${kinds.join(' + ')} ranks gives each rank what a job of Python ranks gives it`, async (t) => {
    const [expected, runs] = await Promise.all([pythonJob(kinds.length, t), runJob(kinds, 'collectives')]);
    const got = resultsOf(t, runs, kinds);
    t.is(got.length, expected.length);
    for (let rank = 0; rank < kinds.length; rank++) {
      t.true(Object.keys(expected[rank]).length > 40, 'the Python job ran every step');
      t.deepEqual(got[rank], expected[rank], `rank ${rank} (${kinds[rank]})`);
    }
  });
}

withDist('two torchts ranks that disagree get a clear error on each rank before Gloo sees it, and their group goes on', async (t) => {
  const kinds: Kind[] = ['node', 'node'];
  const runs = await runJob(kinds, 'mismatch');
  const [r0, r1] = resultsOf(t, runs, kinds);
  for (const r of [r0, r1]) {
    t.true(r.checked);
    t.regex(String(r.size), /all_reduce\(\): the ranks disagree on this collective \(rank 0: all_reduce, a torch.float32 tensor of 6 elements.*; rank 1: all_reduce, a torch.float32 tensor of 3 elements/);
    t.regex(String(r.dtype), /rank 0: all_reduce, a torch.float32 tensor of 4 elements.*rank 1: all_reduce, a torch.int64 tensor of 4 elements/);
    t.regex(String(r.root), /broadcast\(\): the ranks disagree .*rank 0: broadcast, a torch.float32 tensor of 2 elements, root 0; rank 1: broadcast, .*root 1/);
    t.regex(String(r.kind), /the ranks disagree .*rank 0: all_reduce.*rank 1: broadcast/);
    t.deepEqual(r.many, Array.from({ length: 20 }, (_, i) => Array(i + 1).fill(2 * i + 1)));
    t.deepEqual(r.after, [3]);
  }
  t.regex(String(r1.p2p), /recv\(\): rank 0 sends a torch.float32 tensor of 3 elements, but this rank's tensor is a torch.int64 tensor of 3 elements/);
  t.is(runs[0].code, 0);
  t.is(runs[1].code, 0);
});

// Python's own check, which Python's ranks run too: TORCH_DISTRIBUTED_DEBUG=DETAIL.
const DETAIL: Record<string, string>[] = [{ TORCH_DISTRIBUTED_DEBUG: 'DETAIL' }, { TORCH_DISTRIBUTED_DEBUG: 'DETAIL' }];

withDist('under TORCH_DISTRIBUTED_DEBUG=DETAIL a torchts rank and a Python rank get every collective right, and a mismatch is an error on both, not an abort', async (t) => {
  const kinds: Kind[] = ['node', 'py'];
  const [expected, runs, mismatch] = await Promise.all([pythonJob(2, t), runJob(kinds, 'collectives', JOB_LIMIT_MS, DETAIL), runJob(kinds, 'detail', JOB_LIMIT_MS, DETAIL)]);
  const got = resultsOf(t, runs, kinds);
  for (let rank = 0; rank < 2; rank++) t.deepEqual(got[rank], expected[rank], `rank ${rank} (${kinds[rank]})`);
  const [r0, r1] = resultsOf(t, mismatch, kinds);
  t.regex(String(r0.size), /^torch\.distributed\.all_reduce\(\): Detected mismatch between collectives on ranks\. Rank 0 is running collective: CollectiveFingerPrint\((SequenceNumber=\d+, )?OpType=ALLREDUCE, TensorShape=\[6\]/);
  t.regex(String(r1.size), /Detected mismatch between collectives on ranks\. Rank 1 is running collective: CollectiveFingerPrint\((SequenceNumber=\d+, )?OpType=ALLREDUCE, TensorShape=\[3\]/);
  t.deepEqual(r0.after, [3]);
  t.deepEqual(r1.after, [3]);
});

withDist('a group with a Python rank is not checked (Python knows nothing of the check), nor one where a rank opted out; one of torchts ranks only is', async (t) => {
  for (const [kinds, checked] of [[['node', 'py'], false], [['node', 'node'], true]] as [Kind[], boolean][]) {
    const runs = await runJob(kinds, 'checked');
    t.is(resultsOf(t, runs, kinds, [0])[0].checked, checked, kinds.join(' + '));
  }
  // One rank that opts out turns the check off for the whole group.
  const runs = await runJob(['node', 'node'], 'checked', JOB_LIMIT_MS, [{}, { TORCHTS_DISTRIBUTED_CHECK: '0' }]);
  t.deepEqual(resultsOf(t, runs, ['node', 'node']).map((r) => r.checked), [false, false]);
});

for (const kinds of [['node', 'py'], ['node', 'node']] as Kind[][]) {
  withDist(`a peer (${kinds[1]}) that leaves mid-job makes the torchts rank's next collective fail within seconds, not hang`, async (t) => {
    const runs = await runJob(kinds, 'leave');
    const [rank0] = resultsOf(t, runs, kinds, [0]);
    t.is(runs[0].code, 0, runs[0].stderr.slice(-2000));
    t.regex(String(rank0.error), /^torch\.distributed\.all_reduce\(\): .*(Connection (closed|reset) by peer|Read error|Socket closed).*destroy it and make a new one/i);
    t.true((rank0.ms as number) < 20_000, `failed after ${rank0.ms} ms`);
  });
}

withDist('torchts run starts the ranks of a job (env://) as torchrun does; a failing rank stops the others and gives its exit code', async (t) => {
  const launcher = path.join(__dirname, '..', 'bin', 'torchts.js');
  const run = (args: string[]) =>
    new Promise<RankRun>((resolve) => {
      const child = spawn(process.execPath, [launcher, 'run', ...args], { env: { ...process.env, MASTER_PORT: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), JOB_LIMIT_MS);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  const [expected, ok] = await Promise.all([pythonJob(2, t), run(['--nproc-per-node', '2', '--standalone', path.join(HERE, 'node_rank.ts'), 'collectives'])]);
  t.is(ok.code, 0, ok.stderr.slice(-2000));
  const byRank = ok.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).sort((a, b) => (a.rank as number) - (b.rank as number));
  t.deepEqual(byRank, expected);

  const start = Date.now();
  const failing = await run(['--nproc_per_node=2', '--standalone', path.join(HERE, 'node_rank.ts'), 'fail']);
  t.is(failing.code, 3);
  t.regex(failing.stderr, /torchts run: rank 1 \(pid \d+\) exited with code 3; stopping the other ranks/);
  t.true(Date.now() - start < 180_000, `took ${Date.now() - start} ms; a rank left waiting would wait out its 30 min timeout`);

  const usage = await run(['--nproc-per-node', 'two', 'x.ts']);
  t.is(usage.code, 2);
  t.regex(usage.stderr, /--nproc-per-node needs an integer of at least 1, got 'two'/);
});

withDist('examples/data_parallel: Node and Python ranks training one model end with the weights of a job of Python ranks, and of one process on their batches together', async (t) => {
  const examples = path.join(__dirname, '..', 'examples');
  const scripts: Scripts = { py: path.join(examples, 'data_parallel.py'), node: path.join(examples, 'data_parallel.ts') };
  const argv = ['--steps', '8'];
  const job = async (kinds: Kind[]) => resultsOf(t, await runJob(kinds, argv, JOB_LIMIT_MS, [], scripts), kinds);
  const python = await job(['py', 'py']);
  for (const kinds of [['node', 'node'], ['node', 'py']] as Kind[][]) {
    const got = await job(kinds);
    for (let rank = 0; rank < 2; rank++) t.deepEqual(got[rank], python[rank], `${kinds.join(' + ')}: rank ${rank}`);
  }
  t.deepEqual(python[0].weights, python[1].weights, 'every rank ends with the same weights');
  const single = spawn(process.execPath, ['--import=tsx', scripts.node, '--single', '--world', '2', ...argv]);
  let out = '';
  single.stdout.on('data', (d) => (out += d));
  await new Promise((resolve) => single.on('close', resolve));
  const one = JSON.parse(out) as { weights: number[] };
  const dp = python[0].weights as number[];
  t.is(one.weights.length, dp.length);
  const worst = Math.max(...one.weights.map((w, i) => Math.abs(w - dp[i])));
  t.true(worst < 1e-5, `one process on the combined batches is ${worst} from the data-parallel weights`);
});

// In this process: a job of one rank on an in-memory store, then the
// errors that need no peers.

serial('a job of one rank: init, who is who, collectives, a second init refused, destroy', async (t) => {
  t.false(dist.is_initialized());
  await dist.init_process_group('gloo', { store: new dist.HashStore(), rank: 0, world_size: 1 });
  t.true(dist.is_initialized());
  t.is(dist.get_rank(), 0);
  t.is(dist.get_world_size(), 1);
  t.is(dist.get_backend(), 'gloo');
  const x = torch.tensor([1.5, -2, 3]);
  await dist.all_reduce(x, { op: dist.ReduceOp.MAX });
  t.deepEqual(x.tolist(), [1.5, -2, 3]);
  const work = dist.broadcast(x, 0, { async_op: true }) as InstanceType<typeof dist.Work>;
  t.true(await work.wait());
  t.true(work.is_completed());
  await t.throwsAsync(() => dist.init_process_group('gloo', { store: new dist.HashStore(), rank: 0, world_size: 1 }), {
    message: /initialize the default process group twice/,
  });
  dist.destroy_process_group();
  t.false(dist.is_initialized());
  t.throws(() => dist.all_reduce(x), { message: /all_reduce\(\): Default process group has not been initialized/ });
});

serial('bad arguments to collectives are clear errors before Gloo sees them', async (t) => {
  await dist.init_process_group('gloo', { store: new dist.HashStore(), rank: 0, world_size: 1 });
  try {
    const x = torch.zeros(4, 4);
    t.throws(() => dist.all_reduce(x.t()), { message: /all_reduce\(\): tensor must be contiguous/ });
    t.throws(() => dist.all_reduce([1, 2] as never), { message: /Expected parameter `tensor` to be of type torch.Tensor, got/ });
    t.throws(() => dist.all_reduce(x, { op: 'sum' as never }), { message: /op must be a torch.distributed.ReduceOp/ });
    t.throws(() => dist.all_reduce(x, { op: dist.ReduceOp.AVG }), { message: /Cannot use ReduceOp.AVG with Gloo/ });
    t.throws(() => dist.all_reduce(x, { opp: dist.ReduceOp.SUM } as never), { message: /unexpected keyword argument 'opp'/ });
    t.throws(() => dist.all_reduce(torch.complex(x, x), { op: dist.ReduceOp.MAX }), { message: /does not support ReduceOp.MAX on complex tensors/ });
    t.throws(() => dist.broadcast(x, 1), { message: /broadcast\(\): src 1 is not a rank of this group \(ranks 0 to 0\)/ });
    t.throws(() => dist.all_gather([x, x], x), { message: /tensor_list has 2 tensors; it needs one per rank of the group \(1\)/ });
    t.throws(() => dist.gather(x), { message: /gather_list` must be specified on destination rank/ });
    const y = torch.ones(3);
    y.dispose();
    t.throws(() => dist.all_reduce(y), { message: /tensor is a Tensor that was disposed/ });
    // While a collective is in flight its tensor is Gloo's.
    const busy = torch.ones(1 << 20);
    const pending = dist.all_reduce(busy) as Promise<void>;
    t.throws(() => busy.add(1), { message: /in use by an asynchronous call in flight/ });
    await pending;
    t.is(busy.add(1).sum().item(), 2 * (1 << 20));
  } finally {
    dist.destroy_process_group();
  }
});

serial('a group destroyed refuses every later call', async (t) => {
  await dist.init_process_group('gloo', { store: new dist.HashStore(), rank: 0, world_size: 1 });
  try {
    const sub = (await dist.new_group([0])) as InstanceType<typeof dist.ProcessGroup>;
    t.true(sub instanceof dist.ProcessGroup);
    const x = torch.ones(2);
    await dist.all_reduce(x, { group: sub });
    dist.destroy_process_group(sub);
    t.throws(() => dist.all_reduce(x, { group: sub }), { message: /all_reduce\(\): the process group was destroyed/ });
    t.throws(() => dist.get_rank(sub), { message: /get_rank\(\): the process group was destroyed/ });
  } finally {
    dist.destroy_process_group();
  }
});

withDist('init_process_group: a rank out of range, a missing variable, a bad URL and an unknown backend are clear errors', async (t) => {
  await t.throwsAsync(() => dist.init_process_group('gloo', { init_method: 'tcp://127.0.0.1:1', rank: 2, world_size: 2 }), {
    message: /rank 2 is out of range for world_size 2 \(ranks 0 to 1\)/,
  });
  await t.throwsAsync(() => dist.init_process_group('gloo', { init_method: 'tcp://127.0.0.1:1', world_size: 2 }), { message: /rank parameter missing/ });
  const saved = process.env.MASTER_ADDR;
  delete process.env.MASTER_ADDR;
  try {
    await t.throwsAsync(() => dist.init_process_group('gloo', { rank: 0, world_size: 1 }), {
      message: /env:\/\/ rendezvous: environment variable MASTER_ADDR expected, but not set/,
    });
  } finally {
    if (saved !== undefined) process.env.MASTER_ADDR = saved;
  }
  await t.throwsAsync(() => dist.init_process_group('gloo', { init_method: 'udp://x:1', rank: 0, world_size: 1 }), { message: /No rendezvous handler for udp:\/\// });
  await t.throwsAsync(() => dist.init_process_group('smoke', { rank: 0, world_size: 1 }), { message: /Invalid backend: 'smoke'/ });
  await t.throwsAsync(() => dist.init_process_group('nccl', { rank: 0, world_size: 1 }), { message: /doesn't have NCCL built in/ });
  t.false(dist.is_initialized());
});

withDist('a peer that never comes fails init within its timeout; a port in use and a port held by another service are clear errors', async (t) => {
  const port = await freePort();
  let start = Date.now();
  await t.throwsAsync(() => dist.init_process_group('gloo', { init_method: `tcp://127.0.0.1:${port}`, rank: 0, world_size: 2, timeout: 1500 }), {
    message: /rank 0 of 2 (failed serving the job's store on port \d+|could not form the default group) .*1500 ms.*did all 2 ranks start/,
  });
  t.true(Date.now() - start < 15_000, `took ${Date.now() - start} ms`);
  t.false(dist.is_initialized());

  // Something else listens there and never answers.
  const sockets: net.Socket[] = [];
  const other = net.createServer((s) => sockets.push(s)).listen(0, '127.0.0.1');
  await new Promise((resolve) => other.once('listening', resolve));
  const otherPort = (other.address() as net.AddressInfo).port;
  try {
    await t.throwsAsync(() => dist.TCPStore.create('127.0.0.1', otherPort, { world_size: 2, is_master: true, timeout: 1000, use_libuv: false }), {
      message: /Address already in use/,
    });
    start = Date.now();
    await t.throwsAsync(() => dist.TCPStore.create('127.0.0.1', otherPort, { world_size: 2, is_master: false, timeout: 1000, use_libuv: false }), {
      message: /no TCPStore answered at 127.0.0.1:\d+ within 3000 ms .*some other service listening on that port/,
    });
    t.true(Date.now() - start < 10_000);
  } finally {
    sockets.forEach((s) => s.destroy());
    other.close();
  }
});

withDist('stores: set, get, add, compare_set, check, wait, delete_key, num_keys; a TCPStore and a FileStore between two of its clients', async (t) => {
  const master = await dist.TCPStore.create('127.0.0.1', 0, { world_size: 2, is_master: true, wait_for_workers: false, timeout: 5000, use_libuv: false });
  t.true(master.port > 0);
  const client = await dist.TCPStore.create('127.0.0.1', master.port, { world_size: 2, timeout: 5000, use_libuv: false });
  await master.set('key', 'value');
  t.is((await client.get('key')).toString(), 'value');
  t.is(await client.add('n', 5), 5);
  t.is(await master.add('n', -2), 3);
  t.is((await client.compare_set('key', 'value', new Uint8Array([1, 2]))).toString('hex'), '0102');
  t.true(await client.check(['key', 'n']));
  t.false(await client.check(['absent']));
  const waiting = client.wait(['later']);
  await master.set('later', 'now');
  await waiting;
  await t.throwsAsync(() => client.wait(['never'], 200), { message: /[Tt]imeout|timed out/ });
  t.true(await master.delete_key('later'));
  t.true((await master.num_keys()) >= 2);
  client.set_timeout(1234);
  t.is(client.timeout, 1234);
  const prefixed = new dist.PrefixStore('p', client);
  await prefixed.set('k', 'v');
  t.is((await master.get('p/k')).toString(), 'v');
  t.throws(() => master.set(3 as never, 'v'), { message: /key must be a string/ });
  t.throws(() => master.set('k', 3 as never), { message: /value must be a string or a Uint8Array/ });

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-filestore-')), 'store');
  const a = new dist.FileStore(file, 2);
  const b = new dist.FileStore(file, 2);
  await a.set('x', 'y');
  t.is((await b.get('x')).toString(), 'y');
});
