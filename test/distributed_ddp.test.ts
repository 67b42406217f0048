// nn.parallel.DistributedDataParallel over c10d's Reducer: torchts ranks
// and Python's DDP ranks training one model end every step with the weights
// a job of Python ranks ends with, to the bit, and with the weights one
// process gets on the whole batch; and backward_async, DDP's bad input and
// its faults, in a job of one rank in this process.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as torch from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { HERE, type Kind, PYTHON, type Scripts, resultsOf, runJob } from './_distributed_jobs';

const dist = torch.distributed;
const nn = torch.nn;
const DDP = nn.parallel.DistributedDataParallel;
// Debian's libtorch 2.6 has no libuv store server (see distributed.test.ts).
process.env.USE_LIBUV = '0';
const available = dist.is_available();
const withDist = available ? test : test.skip;
const serial = available ? test.serial : test.serial.skip;
if (!available) test('DistributedDataParallel tests skip: this build has no torch.distributed (gloo headers missing at build time)', (t) => t.pass());

const SCRIPTS: Scripts = { py: path.join(HERE, 'ddp_rank.py'), node: path.join(HERE, 'ddp_rank.ts') };
// Each a fresh DDP module in one job, one after another (ddp_rank.ts says what each does).
const SCENARIOS = ['train', 'unused', 'no_sync', 'buffers', 'static', 'mismatch_count'];

// Whether the loaded libtorch's Gloo group reduces float16, as its Python
// answers: Debian's 2.14.1 (built on the system's libgloo) refuses it
// ("Invalid scalar type"), Python's own ranks too, and there the float16
// hooks fail as Python's do; pip's 2.14.1 (its own Gloo), 2.6 and 1.13
// reduce it. A property of the Gloo built in, not of the version.
const GLOO_FLOAT16 =
  available &&
  execFileSync(
    PYTHON,
    [
      '-c',
      [
        'import os, tempfile, torch, torch.distributed as dist',
        "dist.init_process_group('gloo', init_method='file://' + os.path.join(tempfile.mkdtemp(), 'store'), rank=0, world_size=1)",
        'try:',
        '    dist.all_reduce(torch.ones(2, dtype=torch.float16)); print(1)',
        'except RuntimeError as e:',
        "    print(0 if 'Invalid scalar type' in str(e) else e)",
      ].join('\n'),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  ).trim() === '1';

// DDP's options, each a fresh module in one job too: broadcast_buffers=False
// (whose buffers start different on each rank); 2.14's forward_sync_buffers,
// init_sync, bucket_cap_mb_list, skip_all_reduce_unused_params and batched_grad_copy.
const OPTION_SCENARIOS = [
  'local_buffers',
  // The communication hooks: Python's default allreduce_hook and fp16_compress_hook, c10d's built-in FP16_COMPRESS.
  'hook_allreduce',
  ...(GLOO_FLOAT16 ? ['hook_fp16', 'builtin_fp16'] : []),
  ...(libtorchAtLeast(2, 14) ? ['forward_sync_off', 'no_init_sync', 'cap_list', 'skip_unused', 'batched_copy'] : []),
];

type ScenarioResults = Record<
  string,
  {
    steps?: number[][][];
    buckets?: number[][][];
    single?: number[][];
    initial?: number[][];
    initial_buffers?: number[][];
    buffers?: number[][];
    error?: string;
    after?: number[];
  }
>;

async function ddpJob(kinds: Kind[], t: { fail(message: string): void }, scenarios = SCENARIOS, env: Record<string, string>[] = []): Promise<ScenarioResults[]> {
  const runs = await runJob(kinds, scenarios.join(','), undefined, env, SCRIPTS);
  return resultsOf(t, runs, kinds) as ScenarioResults[];
}

// What each rank gets in a job of Python ranks only: the oracle.
const pythonJobs = new Map<string, Promise<ScenarioResults[]>>();
function pythonJob(size: number, t: { fail(message: string): void }, scenarios = SCENARIOS): Promise<ScenarioResults[]> {
  const key = `${size}:${scenarios.join(',')}`;
  if (!pythonJobs.has(key)) pythonJobs.set(key, ddpJob(Array<Kind>(size).fill('py'), t, scenarios));
  return pythonJobs.get(key)!;
}

function maxDifference(a: number[][], b: number[][]): number {
  let most = 0;
  a.forEach((row, i) => row.forEach((v, j) => (most = Math.max(most, Math.abs(v - b[i][j])))));
  return most;
}

for (const kinds of [['node', 'py'], ['py', 'node'], ['node', 'node'], ['py', 'node', 'node']] as Kind[][]) {
  withDist(`DDP in a job of ${kinds.join(' + ')} ranks: every step's weights and buckets are a Python job's, and the last ones one process's on the whole batch`, async (t) => {
    const [expected, got] = await Promise.all([pythonJob(kinds.length, t), ddpJob(kinds, t)]);
    for (const scenario of SCENARIOS.filter((s) => s !== 'mismatch_count')) {
      for (let rank = 0; rank < kinds.length; rank++) {
        const mine = got[rank][scenario];
        const theirs = expected[rank][scenario];
        t.is(mine.steps!.length, 4, `${scenario}: rank ${rank} ran every step`);
        t.deepEqual(mine.steps, theirs.steps, `${scenario}: rank ${rank} (${kinds[rank]}) weights after each step`);
        t.deepEqual(mine.buckets, theirs.buckets, `${scenario}: rank ${rank} buckets after each step`);
        t.deepEqual(mine.steps, got[0][scenario].steps, `${scenario}: rank ${rank} agrees with rank 0`);
        const last = mine.steps![mine.steps!.length - 1];
        t.true(maxDifference(last, got[0][scenario].single!) <= 1e-6, `${scenario}: rank ${rank} ends within 1e-6 of one process on the whole batch`);
      }
    }
    // The buckets are rebuilt once, after the first backward, in the order
    // its gradients came (last layer first); never with find_unused_parameters.
    t.deepEqual(got[0].train.buckets![0], [[0, 1, 2, 3]]);
    t.deepEqual(got[0].train.buckets![1], [[3, 2, 1, 0]]);
    t.deepEqual(got[0].unused.buckets![3], [[0, 1, 2, 3, 4, 5]]);
    // A model that differs by a layer: Python's own error on every rank (ours
    // where every rank is a torchts rank), and the group goes on.
    const checked = kinds.every((k) => k === 'node');
    for (let rank = 0; rank < kinds.length; rank++) {
      const r = got[rank].mismatch_count;
      t.regex(
        r.error!,
        checked
          ? /DistributedDataParallel: the ranks' models differ \(rank 0: 4 parameters of 163 elements in 6 dimensions, 0 buffers of 0 elements; rank 1: 6 parameters of 214 elements/
          : /DDP expects same model across all ranks, but Rank \d has \d params, while rank \d has inconsistent \d params/,
      );
      t.deepEqual(r.after, [(kinds.length * (kinds.length + 1)) / 2]);
    }
  });
}

for (const kinds of [['node', 'py'], ['node', 'node']] as Kind[][]) {
  withDist(`DDP's options (${OPTION_SCENARIOS.join(', ')}) in a job of ${kinds.join(' + ')} ranks: a Python job's weights, buffers and buckets`, async (t) => {
    const [expected, got] = await Promise.all([pythonJob(2, t, OPTION_SCENARIOS), ddpJob(kinds, t, OPTION_SCENARIOS)]);
    for (const scenario of OPTION_SCENARIOS) {
      for (let rank = 0; rank < 2; rank++) {
        const [mine, theirs] = [got[rank][scenario], expected[rank][scenario]];
        t.is(mine.steps!.length, 4, `${scenario}: rank ${rank} ran every step`);
        for (const key of ['initial', 'initial_buffers', 'steps', 'buffers', 'buckets'] as const) {
          t.deepEqual(mine[key], theirs[key], `${scenario}: rank ${rank} (${kinds[rank]}) ${key}`);
        }
      }
    }
    // What each option is for, seen in Python's own job: rank-local buffers
    // stay rank-local (2.x; 1.13 broadcasts them at wrapping anyway) ...
    const local = expected.map((r) => r.local_buffers.initial_buffers![0][0]);
    t.deepEqual(local, libtorchAtLeast(2) ? [1, 2] : [1, 1]);
    // ... allreduce_hook averages as DDP does by itself, and float16 compression rounds (the same way, hook or built-in);
    const train = (await pythonJob(2, t)).map((r) => r.train.steps);
    t.deepEqual(expected.map((r) => r.hook_allreduce.steps), train);
    if (GLOO_FLOAT16) {
      t.notDeepEqual(expected.map((r) => r.hook_fp16.steps), train);
      t.deepEqual(expected.map((r) => r.builtin_fp16.steps), expected.map((r) => r.hook_fp16.steps));
    }
    if (libtorchAtLeast(2, 14)) {
      // ... forward_sync_buffers=False still syncs them at wrapping, not after;
      t.deepEqual(expected.map((r) => r.forward_sync_off.initial_buffers![0][0]), [1, 1]);
      t.notDeepEqual(expected[0].forward_sync_off.buffers, expected[1].forward_sync_off.buffers);
      // without init_sync each rank keeps its own first weights;
      t.notDeepEqual(expected[0].no_init_sync.initial, expected[1].no_init_sync.initial);
      // the per-bucket limits make several buckets from the start.
      t.true(expected[0].cap_list.buckets![0].length > 1);
    }
  });
}

// Uneven inputs: rank r trains on 4 - 2 r batches inside ddp.join() (plain;
// divide_by_initial_world_size=False with unused parameters; BatchNorm's
// buffers; throw_on_early_termination), the joined rank a torchts rank or a Python one.
const JOIN_SCENARIOS = ['join', 'join_dynamic', 'join_buffers', 'join_throw'];
type JoinResults = Record<string, { steps: number[][][]; error: string | null; final: number[][]; buffers: number[][]; after: number[] }>;
for (const kinds of [['node', 'py'], ['py', 'node'], ['node', 'node']] as Kind[][]) {
  withDist(`ddp.join() over uneven inputs in a job of ${kinds.join(' + ')} ranks: a Python job's steps, final weights and errors`, async (t) => {
    const [expected, got] = (await Promise.all([pythonJob(2, t, JOIN_SCENARIOS), ddpJob(kinds, t, JOIN_SCENARIOS)])) as unknown as JoinResults[][];
    for (const scenario of JOIN_SCENARIOS) {
      for (let rank = 0; rank < 2; rank++) {
        const [mine, theirs] = [got[rank][scenario], expected[rank][scenario]];
        for (const key of ['steps', 'error', 'final', 'buffers', 'after'] as const) {
          t.deepEqual(mine[key], theirs[key], `${scenario}: rank ${rank} (${kinds[rank]}) ${key}`);
        }
      }
    }
    // The ranks ran 4 and 2 steps and end with the same weights, the last joiner's (rank 0's last step).
    for (const scenario of ['join', 'join_dynamic', 'join_buffers']) {
      t.deepEqual(expected.map((r) => r[scenario].steps.length), [4, 2]);
      t.deepEqual(expected[1][scenario].final, expected[0][scenario].steps[3]);
      t.deepEqual(expected[0][scenario].final, expected[1][scenario].final);
    }
    t.deepEqual(
      expected.map((r) => r.join_throw.error),
      ['Detected at least one rank that exhausted inputs. Throwing across all ranks.', 'Rank 1 exhausted all inputs.'],
    );
    t.deepEqual(expected.map((r) => r.join_throw.after), [[3], [3]]);
  });
}

// Python's DDP on libtorch 2.14 segfaults under DETAIL as it is made (its
// Logger casts c10d's ProcessGroupWrapper to ProcessGroupGloo; native/ddp.cc):
// there the job is of torchts ranks, which skip that log.
const DETAIL_KINDS: Kind[] = libtorchAtLeast(2, 14) ? ['node', 'node'] : ['node', 'py'];
withDist(`under TORCH_DISTRIBUTED_DEBUG=DETAIL (every collective checked by c10d, on every rank) ranks of ${DETAIL_KINDS.join(' and ')} still end each step with a Python job's weights`, async (t) => {
  const kinds = DETAIL_KINDS;
  const detail = { TORCH_DISTRIBUTED_DEBUG: 'DETAIL' };
  const [expected, got] = await Promise.all([pythonJob(2, t), ddpJob(kinds, t, ['train', 'unused'], [detail, detail])]);
  for (const scenario of ['train', 'unused']) {
    for (let rank = 0; rank < 2; rank++) t.deepEqual(got[rank][scenario].steps, expected[rank][scenario].steps, `${scenario}: rank ${rank}`);
  }
});

withDist("two torchts ranks whose models differ in size get an error naming both sides (Python's ranks would hang: its check sends model-sized tensors)", async (t) => {
  const kinds: Kind[] = ['node', 'node'];
  const got = await ddpJob(kinds, t, ['mismatch']);
  for (const rank of [0, 1]) {
    t.regex(
      got[rank].mismatch.error!,
      /DistributedDataParallel: the ranks' models differ \(rank 0: 4 parameters of 163 elements in 6 dimensions, 0 buffers of 0 elements; rank 1: 4 parameters of 173 elements/,
    );
    t.deepEqual(got[rank].mismatch.after, [3]);
  }
});

withDist("a peer that dies between steps: the next backward_async rejects within seconds, naming Gloo's error, and the process goes on", async (t) => {
  const kinds: Kind[] = ['node', 'node'];
  const runs = await runJob(kinds, 'die', undefined, [], SCRIPTS);
  t.is(runs[1].code, 3);
  const line = runs[0].stdout.trim().split('\n').pop() ?? '';
  const r = (JSON.parse(line) as { die: { error: string; seconds: number } }).die;
  t.regex(r.error, /^DistributedDataParallel backward_async\(\): .*(Connection closed by peer|Connection reset|Broken pipe|Timed out)/);
  t.regex(r.error, /the group cannot be used after this: destroy it and make a new one/);
  t.true(r.seconds < 60, `failed after ${r.seconds} s`);
});

// ----- a job of one rank, in this process -----

class Small extends nn.Module {
  fc1 = new nn.Linear(8, 32);
  fc2 = new nn.Linear(32, 4);
  override forward(x: torch.Tensor): torch.Tensor {
    return this.fc2(torch.relu(this.fc1(x)));
  }
}

let initialized = false;
async function oneRankGroup(): Promise<void> {
  if (initialized) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-ddp-'));
  await dist.init_process_group('gloo', { init_method: `file://${path.join(dir, 'store')}`, rank: 0, world_size: 1 });
  initialized = true;
}

function grads(m: torch.nn.Module): number[][] {
  return m.parameters().map((p) => p.grad!.reshape(-1).tolist() as number[]);
}

serial('DDP in a job of one rank: backward and backward_async give the gradients the module alone gives', async (t) => {
  await oneRankGroup();
  torch.manual_seed(3);
  const plain = new Small();
  const x = torch.randn(16, 8);
  plain(x).square().mean().backward();
  const expected = grads(plain);
  torch.manual_seed(3);
  const model = new Small();
  const ddp = await DDP.create(model);
  ddp(x).square().mean().backward();
  t.deepEqual(grads(model), expected);
  model.zero_grad({ set_to_none: true });
  await ddp(x).square().mean().backward_async();
  t.deepEqual(grads(model), expected);
  // torch.autograd.backward_async, without DDP
  plain.zero_grad({ set_to_none: true });
  await torch.autograd.backward_async(plain(x).square().mean());
  t.deepEqual(grads(plain), expected);
  // Gradients as views into the Reducer's buckets: the same values.
  torch.manual_seed(3);
  const viewed = new Small();
  const ddpViews = await DDP.create(viewed, { gradient_as_bucket_view: true });
  await ddpViews(x).square().mean().backward_async();
  t.deepEqual(grads(viewed), expected);
});

serial('while backward_async runs, its tensors, the module and the group refuse use until it settles', async (t) => {
  await oneRankGroup();
  const model = new Small();
  const ddp = await DDP.create(model);
  const loss = ddp(torch.randn(16, 8)).square().mean();
  const pending = loss.backward_async();
  // Marked in flight at the call: deterministic, whatever the worker's speed.
  t.throws(() => model.fc1.weight.add(1), { message: /in use by an asynchronous call in flight/ });
  t.throws(() => ddp(torch.randn(2, 8)), { message: /DistributedDataParallel.forward\(\): a backward_async of this module is in flight; await it first/ });
  t.throws(() => dist.all_reduce(torch.ones(2)), { message: /all_reduce\(\): a DistributedDataParallel backward_async on this group is in flight; await it first/ });
  await pending;
  t.notThrows(() => model.fc1.weight.add(1));
  await dist.all_reduce(torch.ones(2));
  t.is(model.fc1.weight.grad!.shape.length, 2);
});

serial("libtorch's warnings from a backward_async's worker thread reach process.emitWarning, as the Reducer's reach Python's warnings", async (t) => {
  await oneRankGroup();
  const model = new Small();
  const ddp = await DDP.create(model, { find_unused_parameters: true });
  const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
  await ddp(torch.randn(4, 8)).sum().backward_async();
  const warning = await warned;
  t.is(warning.name, 'UserWarning');
  t.regex(warning.message, /find_unused_parameters=True was specified in DDP constructor, but did not find any unused parameters/);
});

serial('no_sync accumulates local gradients, then the next synchronized backward reduces them all', async (t) => {
  await oneRankGroup();
  torch.manual_seed(5);
  const model = new Small();
  const ddp = await DDP.create(model);
  const [a, b] = [torch.randn(4, 8), torch.randn(4, 8)];
  ddp.no_sync(() => ddp(a).sum().backward());
  t.true(ddp.require_backward_grad_sync, 'no_sync restores synchronization');
  await ddp.no_sync(async () => {
    t.false(ddp.require_backward_grad_sync);
    await Promise.resolve();
  });
  t.true(ddp.require_backward_grad_sync);
  ddp(b).sum().backward();
  torch.manual_seed(5);
  const plain = new Small();
  plain(a).sum().add(plain(b).sum()).backward();
  const got = grads(model);
  const want = grads(plain);
  t.true(maxDifference(got, want) <= 1e-6);
});

serial('backward_async rejects a graph with a hook written in JS (it cannot run off the JS thread), and the process goes on', async (t) => {
  await oneRankGroup();
  const w = torch.randn(3).requires_grad_();
  const y = w.mul(2);
  y.register_hook((g) => g.mul(3));
  await t.throwsAsync(() => y.sum().backward_async(), { message: /register_hook: the hook would run on a thread other than its JS thread/ });
  const z = w.mul(2);
  z.sum().backward();
  t.deepEqual(w.grad!.tolist(), [2, 2, 2]);
});

serial("DDP's bad options and modules are clear errors", async (t) => {
  await oneRankGroup();
  const model = new Small();
  await t.throwsAsync(() => DDP.create({} as never), { message: /DistributedDataParallel\(\): module must be an nn.Module/ });
  const frozen = new Small();
  frozen.requires_grad_(false);
  await t.throwsAsync(() => DDP.create(frozen), { message: "DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient." });
  await t.throwsAsync(() => DDP.create(model, { device_ids: [0] as never }), { message: /device_ids and output_device are for a module on a CUDA device/ });
  await t.throwsAsync(() => DDP.create(model, { dim: 1 }), { message: /dim scatters inputs across device_ids/ });
  await t.throwsAsync(() => DDP.create(model, { bucket_cap_mb: -1 }), { message: /bucket_cap_mb must be a positive number, not number -1/ });
  await t.throwsAsync(() => DDP.create(model, { find_unused: true } as never), { message: "DistributedDataParallel() got an unexpected keyword argument 'find_unused'" });
  await t.throwsAsync(() => DDP.create(model, { broadcast_buffers: 1 as never }), { message: /broadcast_buffers must be a boolean, not number 1/ });
  await t.throwsAsync(() => DDP.create(model, null as never), { message: /options must be an object/ });
  const ddp = await DDP.create(model, { bucket_cap_mb: 1 });
  t.is(ddp.bucket_bytes_cap, 1024 * 1024);
  t.deepEqual(Object.keys(ddp.state_dict()), ['module.fc1.weight', 'module.fc1.bias', 'module.fc2.weight', 'module.fc2.bias']);
});

serial("DDP takes the options of the loaded version's Python, warns as it does, and refuses the features torchts lacks by name", async (t) => {
  await oneRankGroup();
  const model = new Small();
  const warnings: Error[] = [];
  const listener = (w: Error) => warnings.push(w);
  process.on('warning', listener);
  try {
    await DDP.create(model, { check_reduction: true });
    await new Promise((resolve) => setImmediate(resolve));
    t.is(warnings.pop()?.name, libtorchAtLeast(2) ? 'FutureWarning' : 'UserWarning');
    if (libtorchAtLeast(2)) {
      await t.throwsAsync(() => DDP.create(model, { mixed_precision: {} as never }), { message: 'DistributedDataParallel(): mixed_precision is a DDP feature torchts does not have; leave it null' });
      await t.throwsAsync(() => DDP.create(model, { device_mesh: 1 as never }), { message: /device_mesh is a DDP feature torchts does not have/ });
      await DDP.create(model, { mixed_precision: null, device_mesh: null, delay_all_reduce_named_params: null, param_to_hook_all_reduce: null });
    } else {
      await t.throwsAsync(() => DDP.create(model, { mixed_precision: null }), { message: "DistributedDataParallel() got an unexpected keyword argument 'mixed_precision'" });
    }
    if (!libtorchAtLeast(2, 14)) {
      await t.throwsAsync(() => DDP.create(model, { init_sync: false }), { message: "DistributedDataParallel() got an unexpected keyword argument 'init_sync'" });
      return;
    }
    warnings.length = 0;
    const ddp = await DDP.create(model, { broadcast_buffers: false });
    await new Promise((resolve) => setImmediate(resolve));
    t.is(warnings.length, 1);
    t.is(warnings[0].name, 'FutureWarning');
    t.regex(warnings[0].message, /^`broadcast_buffers` is deprecated\. Use `forward_sync_buffers` instead\. IMPORTANT:/);
    t.false(ddp.forward_sync_buffers);
    ddp.broadcast_buffers = true;
    t.true(ddp.forward_sync_buffers);
    await DDP.create(model, { broadcast_buffers: true, forward_sync_buffers: false });
    await new Promise((resolve) => setImmediate(resolve));
    t.regex(warnings[1].message, /^Both `broadcast_buffers` and `forward_sync_buffers` were specified/);
    const listed = await DDP.create(model, { bucket_cap_mb: 3, bucket_cap_mb_list: [0.5, 2], skip_all_reduce_unused_params: true, batched_grad_copy: true });
    t.is(listed.bucket_bytes_cap, 2 * 1024 * 1024);
    t.deepEqual(listed.bucket_bytes_cap_list, [512 * 1024, 2 * 1024 * 1024]);
    t.true(listed.skip_all_reduce_unused_params && listed.batched_grad_copy);
    t.is((await DDP.create(model, { bucket_cap_mb_list: [] })).bucket_bytes_cap, 25 * 1024 * 1024);
    await t.throwsAsync(() => DDP.create(model, { bucket_cap_mb_list: [1, 0] }), { message: 'DistributedDataParallel(): bucket_cap_mb_list[1] must be a positive number, not number 0' });
    await t.throwsAsync(() => DDP.create(model, { bucket_cap_mb_list: 4 as never }), { message: /bucket_cap_mb_list must be a list of numbers \(MiB\) or null, not number 4/ });
    await t.throwsAsync(() => DDP.create(model, { init_sync: 'no' as never }), { message: /init_sync must be a boolean, not string 'no'/ });
  } finally {
    process.off('warning', listener);
  }
});

serial("register_comm_hook takes Python's default hooks, once; a hook written in JS and bf16 on a CPU build are clear errors", async (t) => {
  await oneRankGroup();
  const hooks = dist.algorithms.ddp_comm_hooks.default_hooks;
  const ddp = await DDP.create(new Small());
  t.throws(() => ddp.register_comm_hook(null, ((state: unknown, bucket: unknown) => bucket) as never), {
    instanceOf: TypeError,
    message: /register_comm_hook\(\): this hook is written in JavaScript, and the Reducer runs hooks on backward's threads/,
  });
  t.throws(() => ddp.register_comm_hook(null, 'allreduce_hook' as never), { instanceOf: TypeError, message: 'Communication hook must be callable.' });
  t.throws(() => ddp.register_comm_hook({} as never, hooks.allreduce_hook), { message: /state must be the ProcessGroup the default hooks reduce over, or null/ });
  if (!torch.cuda.is_available() && !torch.backends.cuda.is_built()) {
    t.throws(() => ddp.register_comm_hook(null, hooks.bf16_compress_hook), { instanceOf: TypeError, message: /^BF16 all reduce communication hook required CUDA 11\+ and NCCL 2\.10\+/ });
  }
  t.throws(() => hooks.fp16_compress_hook(null, null), { instanceOf: TypeError, message: /register it with ddp.register_comm_hook\(state, default_hooks.fp16_compress_hook\)/ });
  ddp.register_comm_hook(null, hooks.fp16_compress_hook);
  t.throws(() => ddp.register_comm_hook(null, hooks.allreduce_hook), { message: /register_comm_hook or register_builtin_comm_hook can only be called once/ });
  t.throws(() => ddp._register_builtin_comm_hook(dist.BuiltinCommHookType.ALLREDUCE), { message: /can only be called once/ });
  t.is(String(dist.BuiltinCommHookType.FP16_COMPRESS), 'BuiltinCommHookType.FP16_COMPRESS');
  const x = torch.randn(4, 8);
  if (!GLOO_FLOAT16) {
    // 2.14's Gloo has no float16: the backward fails as Python's does, and the process goes on.
    t.throws(() => ddp(x).sum().backward(), { message: /Invalid scalar type/ });
    return;
  }
  // The module still trains: one rank's fp16 round trip is the gradient rounded to float16.
  ddp(x).sum().backward();
  const plain = new Small();
  plain.load_state_dict(ddp.module.state_dict());
  plain(x).sum().backward();
  for (const [mine, theirs] of ddp.module.parameters().map((p, i) => [p.grad!, plain.parameters()[i].grad!] as const)) {
    t.true(mine.equal(theirs.half().float()), 'each gradient is its float16 rounding');
  }
});

serial("ddp.join() in a job of one rank trains as without it; its bad options and joinables are Python's errors", async (t) => {
  await oneRankGroup();
  torch.manual_seed(3);
  const model = new Small();
  const ddp = await DDP.create(model);
  const x = torch.randn(4, 8);
  const got = await ddp.join(async () => {
    ddp(x).sum().backward();
    await ddp(x).sum().backward_async();
    return 'done';
  });
  t.is(got, 'done');
  t.true(ddp._join_config.enable, 'the module keeps its Join config after the Join, as in Python');
  torch.manual_seed(3);
  const plain = new Small();
  plain(x).sum().backward();
  plain(x).sum().backward();
  model.parameters().forEach((p, i) => t.true(p.grad!.equal(plain.parameters()[i].grad!), `parameter ${i}'s gradient`));
  // A body that throws skips the joining (as Python's __exit__ with an exception).
  t.throws(() => ddp.join(() => {
    throw new Error('out of data');
  }), { message: 'out of data' });
  t.is(ddp.join({ enable: false }, () => 7), 7);
  const join = ddp.join({ divide_by_initial_world_size: false });
  t.true(join instanceof dist.algorithms.Join);
  t.false(ddp._divide_by_initial_world_size);
  t.throws(() => ddp.join({ divide_by_initial: false } as never), { instanceOf: TypeError, message: "DistributedDataParallel.join() got an unexpected keyword argument 'divide_by_initial'" });
  t.throws(() => ddp.join({ enable: 1 } as never), { instanceOf: TypeError, message: /Join\(\): enable must be a boolean, not number 1/ });
  t.throws(() => new dist.algorithms.Join([]), { instanceOf: RangeError, message: 'The join context manager requires at least one joinable' });
  t.throws(() => new dist.algorithms.Join([{} as never]), { instanceOf: TypeError, message: /is not a Joinable/ });
  t.throws(() => new dist.algorithms.Join([ddp], { divide: true }), { instanceOf: TypeError, message: /unexpected keyword argument 'divide'/ });
});

serial('after destroy_process_group, a DDP module of the group refuses forward, and its pending backward refuses to run', async (t) => {
  await oneRankGroup();
  const model = new Small();
  const ddp = await DDP.create(model);
  const loss = ddp(torch.randn(4, 8)).sum();
  dist.destroy_process_group();
  initialized = false;
  t.throws(() => ddp(torch.randn(4, 8)), { message: /DistributedDataParallel.forward\(\): its process group was destroyed/ });
  t.throws(() => loss.backward(), { message: /backward\(\): the process group of this backward's DistributedDataParallel module was destroyed/ });
  await t.throwsAsync(() => DDP.create(model), { message: /Default process group has not been initialized/ });
});
