// One torchts rank of a DistributedDataParallel job that
// test/distributed_ddp.test.ts starts beside Python's DDP ranks
// (ddp_rank.py, the same steps in Python): it trains a small model on its
// share of one batch and prints, as one JSON object, the weights after each
// step, the Reducer's buckets, and the weights one process gets training on
// the whole batch from rank 0's start.
import * as torch from '../../lib';

const dist = torch.distributed;
const nn = torch.nn;

type Results = Record<string, unknown>;

/** Two layers, and a head that only some forwards use (for find_unused_parameters). */
class Net extends nn.Module {
  fc1: torch.nn.Linear;
  fc2: torch.nn.Linear;
  spare: torch.nn.Linear | null;
  norm: torch.nn.BatchNorm1d | null;
  useSpare = false;

  constructor(withNorm: boolean, withSpare: boolean, hidden = 16) {
    super();
    this.fc1 = new nn.Linear(6, hidden);
    this.fc2 = new nn.Linear(hidden, 3);
    this.spare = withSpare ? new nn.Linear(hidden, 3) : null;
    this.norm = withNorm ? new nn.BatchNorm1d(hidden) : null;
  }

  override forward(x: torch.Tensor): torch.Tensor {
    let h = this.fc1(x);
    if (this.norm) h = this.norm(h);
    h = torch.relu(h);
    return this.useSpare && this.spare ? this.fc2(h).add(this.spare(h)) : this.fc2(h);
  }
}

const STEPS = 4;
// Divisible by 2 and 3 ranks, and by their halves (no_sync).
const BATCH = 12;

function batch(): [torch.Tensor, torch.Tensor] {
  const g = new torch.Generator().manual_seed(1234);
  const x = torch.randn([BATCH, 6], { generator: g });
  const y = torch.randint(0, 3, [BATCH], { generator: g });
  return [x, y];
}

/** The batch, and this rank's share of it (rows rank * share onwards): [x, y, xs, ys, share]. */
function shareOf(rank: number, world: number): [torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, number] {
  const [x, y] = batch();
  const share = BATCH / world;
  return [x, y, x.narrow(0, rank * share, share), y.narrow(0, rank * share, share), share];
}

function weights(m: torch.nn.Module): number[][] {
  return m.parameters().map((p) => p.detach().reshape(-1).tolist() as number[]);
}

// Whether step i uses the spare head (scenarios unused and skip_unused: every other step).
const spareAt = (scenario: string, i: number) => WITH_SPARE.includes(scenario) && i % 2 === 1;

// Each scenario's options to DDP, and its model: with BatchNorm (whose
// buffers start different on each rank in the *_buffers and forward_sync_off
// scenarios), with a head some steps leave unused.
const OPTIONS: Record<string, torch.nn.parallel.DistributedDataParallelOptions> = {
  unused: { find_unused_parameters: true },
  static: { static_graph: true },
  local_buffers: { broadcast_buffers: false },
  forward_sync_off: { forward_sync_buffers: false },
  no_init_sync: { init_sync: false },
  cap_list: { bucket_cap_mb_list: [0.0002, 0.0003] },
  // The spare head in a bucket of its own (the limits in bytes: 384, 256, 12, 204), which the steps that leave it unused skip.
  skip_unused: { find_unused_parameters: true, skip_all_reduce_unused_params: true, bucket_cap_mb_list: [384 / 2 ** 20, 256 / 2 ** 20, 12 / 2 ** 20, 204 / 2 ** 20] },
  batched_copy: { batched_grad_copy: true },
};
const WITH_NORM = ['buffers', 'local_buffers', 'forward_sync_off'];
const RANK_BUFFERS = ['local_buffers', 'forward_sync_off'];
const WITH_SPARE = ['unused', 'skip_unused'];

// The communication hooks each scenario registers.
const default_hooks = dist.algorithms.ddp_comm_hooks.default_hooks;
const HOOKS: Record<string, (ddp: torch.nn.parallel.DistributedDataParallel) => void> = {
  hook_allreduce: (ddp) => ddp.register_comm_hook(null, default_hooks.allreduce_hook),
  hook_fp16: (ddp) => ddp.register_comm_hook(null, default_hooks.fp16_compress_hook),
  builtin_fp16: (ddp) => ddp._register_builtin_comm_hook(dist.BuiltinCommHookType.FP16_COMPRESS),
};

function buffers(m: torch.nn.Module): number[][] {
  return m.buffers().map((b) => b.reshape(-1).tolist() as number[]);
}

async function main(): Promise<void> {
  await dist.init_process_group('gloo');
  const all: Results = {};
  for (const scenario of process.argv[2].split(',')) all[scenario] = await run(scenario);
  dist.destroy_process_group();
  process.stdout.write(`${JSON.stringify(all)}\n`);
}

// Uneven inputs under ddp.join(): rank r trains on STEPS - 2 r batches.
const JOINS: Record<string, [torch.nn.parallel.DistributedDataParallelJoinOptions, torch.nn.parallel.DistributedDataParallelOptions]> = {
  join: [{}, {}],
  join_dynamic: [{ divide_by_initial_world_size: false }, { find_unused_parameters: true }],
  join_buffers: [{}, {}],
  join_throw: [{ throw_on_early_termination: true }, {}],
};

async function runJoin(scenario: string): Promise<Results> {
  const rank = dist.get_rank();
  const world = dist.get_world_size();
  const [joinOptions, options] = JOINS[scenario];
  torch.manual_seed(rank);
  const model = new Net(scenario === 'join_buffers', scenario === 'join_dynamic');
  const ddp = await nn.parallel.DistributedDataParallel.create(model, options);
  const opt = new torch.optim.SGD(ddp.parameters(), { lr: 0.1, momentum: 0.9 });
  const loss_fn = new nn.CrossEntropyLoss();
  const [, , xs, ys] = shareOf(rank, world);
  const steps: number[][][] = [];
  let error: string | null = null;
  try {
    await ddp.join(joinOptions, async () => {
      for (let i = 0; i < STEPS - 2 * rank; i++) {
        opt.zero_grad();
        model.useSpare = scenario === 'join_dynamic' && i % 2 === 1;
        const loss = loss_fn(ddp(xs), ys);
        // Even steps on a worker thread, odd ones blocking: both must shadow alike.
        if (i % 2 === 0) await loss.backward_async();
        else loss.backward();
        opt.step();
        steps.push(weights(model));
      }
    });
  } catch (e) {
    error = (e as Error).message;
  }
  const after = torch.tensor([rank + 1], { dtype: torch.float32 });
  const final = weights(model);
  const bufs = buffers(model);
  await dist.all_reduce(after);
  return { rank, steps, error, final, buffers: bufs, after: after.tolist() };
}

async function run(scenario: string): Promise<Results> {
  const rank = dist.get_rank();
  const world = dist.get_world_size();
  if (scenario in JOINS) return runJoin(scenario);
  const withNorm = WITH_NORM.includes(scenario);
  // Each rank starts from different weights: DDP must broadcast rank 0's.
  torch.manual_seed(rank);
  if (scenario === 'mismatch' || scenario === 'mismatch_count') {
    // Rank 1's model differs: in its sizes, or by a layer more.
    const model = rank === 1 && scenario === 'mismatch' ? new Net(false, false, 17) : new Net(false, rank === 1);
    const error = await nn.parallel.DistributedDataParallel.create(model).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    // The group still works after the refusal.
    const after = torch.tensor([rank + 1], { dtype: torch.float32 });
    await dist.all_reduce(after);
    return { rank, error, after: after.tolist() };
  }
  if (scenario === 'die') {
    // Rank 1 leaves after two steps (the buckets rebuilt, so that a forward
    // sends nothing); rank 0's next backward must fail, clearly and in time.
    const model = new Net(false, false);
    const ddp = await nn.parallel.DistributedDataParallel.create(model);
    const [x, y] = batch();
    for (let i = 0; i < 2; i++) await new nn.CrossEntropyLoss()(ddp(x), y).backward_async();
    if (rank === 1) process.exit(3);
    const start = Date.now();
    const error = await new nn.CrossEntropyLoss()(ddp(x), y).backward_async().then(
      () => 'no error',
      (e: Error) => e.message,
    );
    process.stdout.write(`${JSON.stringify({ die: { rank, error, seconds: (Date.now() - start) / 1000 } })}\n`);
    process.exit(0);
  }
  const model = new Net(withNorm, WITH_SPARE.includes(scenario));
  if (RANK_BUFFERS.includes(scenario)) torch.no_grad(() => model.norm!.running_mean!.fill_(rank + 1));
  const ddp = await nn.parallel.DistributedDataParallel.create(model, OPTIONS[scenario] ?? {});
  HOOKS[scenario]?.(ddp);
  const opt = new torch.optim.SGD(ddp.parameters(), { lr: 0.1, momentum: 0.9 });
  const loss_fn = new nn.CrossEntropyLoss();
  const [x, y, xs, ys, share] = shareOf(rank, world);
  const results: Results = { rank, world_size: world, steps: [] as number[][][], buckets: [] as number[][][] };
  results.initial = weights(model);
  results.initial_buffers = buffers(model);
  for (let i = 0; i < STEPS; i++) {
    opt.zero_grad();
    model.useSpare = spareAt(scenario, i);
    if (scenario === 'no_sync' && i % 2 === 0) {
      // Accumulate a first half-share locally, then synchronize with the second.
      const half = share / 2;
      ddp.no_sync(() => loss_fn(ddp(xs.narrow(0, 0, half)), ys.narrow(0, 0, half)).backward());
      const loss = loss_fn(ddp(xs.narrow(0, half, half)), ys.narrow(0, half, half));
      await loss.backward_async();
    } else {
      const loss = loss_fn(ddp(xs), ys);
      // Odd steps block, even steps run on a worker thread: both must agree with Python's.
      if (i % 2 === 1) loss.backward();
      else await loss.backward_async();
    }
    opt.step();
    (results.steps as number[][][]).push(weights(model));
    (results.buckets as number[][][]).push(ddp._bucket_indices());
  }
  results.buffers = buffers(model);
  // One process, the whole batch, rank 0's starting weights.
  torch.manual_seed(0);
  const single = new Net(withNorm, WITH_SPARE.includes(scenario));
  const sopt = new torch.optim.SGD(single.parameters(), { lr: 0.1, momentum: 0.9 });
  for (let i = 0; i < STEPS; i++) {
    sopt.zero_grad();
    single.useSpare = spareAt(scenario, i);
    if (scenario === 'no_sync' && i % 2 === 0) {
      // The same sum of per-chunk mean losses each rank took, over all ranks' chunks.
      const half = share / 2;
      let total = torch.zeros([]);
      for (let r = 0; r < world; r++) {
        const xr = x.narrow(0, r * share, share);
        const yr = y.narrow(0, r * share, share);
        total = total.add(loss_fn(single(xr.narrow(0, 0, half)), yr.narrow(0, 0, half))).add(loss_fn(single(xr.narrow(0, half, half)), yr.narrow(0, half, half)));
      }
      total.div(world).backward();
    } else if (withNorm) {
      // BatchNorm's statistics are per rank's share: the single process sums each share's loss.
      let total = torch.zeros([]);
      for (let r = 0; r < world; r++) total = total.add(loss_fn(single(x.narrow(0, r * share, share)), y.narrow(0, r * share, share)));
      total.div(world).backward();
    } else {
      loss_fn(single(x), y).backward();
    }
    sopt.step();
  }
  results.single = weights(single);
  return results;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
