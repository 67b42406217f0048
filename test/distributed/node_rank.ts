// One torchts rank of a torch.distributed job that test/distributed.test.ts
// starts beside Python ranks: the same steps as python_rank.py, in
// TypeScript, printing what each gave as one JSON object.
import * as torch from '../../lib';

const dist = torch.distributed;

const DTYPES: Record<string, torch.dtype> = { float32: torch.float32, float64: torch.float64, int64: torch.int64, int32: torch.int32, uint8: torch.uint8 };

type Results = Record<string, unknown>;

async function collectives(results: Results): Promise<void> {
  const rank = dist.get_rank();
  const world = dist.get_world_size();
  results.rank = rank;
  results.world_size = world;
  for (const [dname, dtype] of Object.entries(DTYPES)) {
    type OpName = 'SUM' | 'PRODUCT' | 'MIN' | 'MAX' | 'BAND' | 'BOR' | 'BXOR';
    const ops: OpName[] = ['SUM', 'PRODUCT', 'MIN', 'MAX', ...(dtype.is_floating_point ? [] : (['BAND', 'BOR', 'BXOR'] as OpName[]))];
    for (const op of ops) {
      const t = torch.arange(6).mul(rank + 1).add(rank).to(dtype);
      await dist.all_reduce(t, { op: dist.ReduceOp[op] });
      results[`all_reduce/${dname}/${op}`] = t.tolist();
    }
  }
  let t = torch.arange(5, { dtype: torch.float32 }).add(10 * rank);
  await dist.broadcast(t, world - 1);
  results.broadcast = t.tolist();
  t = torch.arange(4, { dtype: torch.float64 }).mul(rank + 2);
  await dist.reduce(t, 0, { op: dist.ReduceOp.SUM });
  results['reduce/dst'] = rank === 0 ? t.tolist() : null;
  const outs = Array.from({ length: world }, () => torch.zeros(3, { dtype: torch.int64 }));
  await dist.all_gather(outs, torch.tensor([rank, rank * 2, rank * 3]));
  results.all_gather = outs.map((o) => o.tolist());
  const gatherList = rank === 1 ? Array.from({ length: world }, () => torch.zeros(2)) : null;
  await dist.gather(torch.tensor([rank + 0.5, -(rank + 1)]), { gather_list: gatherList, dst: 1 });
  results.gather = gatherList ? gatherList.map((o) => o.tolist()) : null;
  const out = torch.zeros(2, { dtype: torch.int32 });
  const scatterList = rank === 0 ? Array.from({ length: world }, (_, i) => torch.tensor([i, i * i], { dtype: torch.int32 })) : null;
  await dist.scatter(out, { scatter_list: scatterList, src: 0 });
  results.scatter = out.tolist();
  await dist.barrier();
  const sent = torch.full([3], rank, { dtype: torch.float32 });
  const got = torch.zeros(3);
  const next = (rank + 1) % world;
  const prev = (rank - 1 + world) % world;
  if (rank % 2 === 0) {
    await dist.send(sent, next);
    await dist.recv(got, prev);
  } else {
    await dist.recv(got, prev);
    await dist.send(sent, next);
  }
  results.ring = got.tolist();
  const work = dist.all_reduce(torch.ones(2).mul(rank), { async_op: true }) as InstanceType<typeof dist.Work>;
  results.async_op = await work.wait();
  const pair = await dist.new_group([0, world - 1]);
  const p = torch.tensor([rank + 1], { dtype: torch.float32 });
  if (pair instanceof dist.ProcessGroup) {
    await dist.all_reduce(p, { group: pair, op: dist.ReduceOp.PRODUCT });
    results['new_group/all_reduce'] = p.tolist();
    results['new_group/rank'] = dist.get_rank(pair);
  } else {
    results['new_group/all_reduce'] = null;
    results['new_group/rank'] = null;
  }
  // DistributedSampler reads the world size and rank from the group.
  const sampler = new torch.utils.data.DistributedSampler(Array.from({ length: 11 }, (_, i) => i), { shuffle: true, seed: 3 } as never);
  sampler.set_epoch(2);
  results.sampler = [...sampler];
  const c = torch.complex(torch.tensor([1, 3], { dtype: torch.float32 }), torch.tensor([2 * rank, -1], { dtype: torch.float32 }));
  await dist.all_reduce(c);
  results['all_reduce/complex64'] = torch.view_as_real(c).tolist();
}

// Two torchts ranks that disagree: the check must refuse each collective on
// every rank before Gloo sees it, and the group must go on working after.
async function mismatch(results: Results): Promise<void> {
  const rank = dist.get_rank();
  results.checked = dist.GroupMember.WORLD!.checked;
  const outcome = async (f: () => Promise<unknown>) => {
    try {
      await f();
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };
  results.size = await outcome(() => dist.all_reduce(torch.zeros(rank === 0 ? 6 : 3)) as Promise<void>);
  results.dtype = await outcome(() => dist.all_reduce(torch.zeros(4, { dtype: rank === 0 ? torch.float32 : torch.int64 })) as Promise<void>);
  results.root = await outcome(() => dist.broadcast(torch.zeros(2), rank) as Promise<void>);
  results.kind = await outcome(() => (rank === 0 ? dist.all_reduce(torch.zeros(2)) : dist.broadcast(torch.zeros(2), 0)) as Promise<void>);
  // Many in flight at once, none awaited before the next is called: they
  // run in call order on every rank, and each gets its own sum.
  const many = Array.from({ length: 20 }, (_, i) => torch.full([i + 1], rank + i, { dtype: torch.float64 }));
  await Promise.all(many.map((t) => dist.all_reduce(t)));
  results.many = many.map((t) => t.tolist());
  // A recv whose tensor is not the sender's: the receiver refuses it.
  if (rank === 0) results.p2p = await outcome(() => dist.send(torch.zeros(3), 1));
  else results.p2p = await outcome(() => dist.recv(torch.zeros(3, { dtype: torch.int64 }), 0));
  const after = torch.tensor([rank + 1], { dtype: torch.float32 });
  await dist.all_reduce(after);
  results.after = after.tolist();
}

async function main(): Promise<void> {
  const scenario = process.argv[2];
  await dist.init_process_group('gloo', scenario === 'mismatch' ? { timeout: 5000 } : {});
  const results: Results = {};
  if (scenario === 'collectives') await collectives(results);
  else if (scenario === 'leave') {
    // Every rank but 0 leaves at once; rank 0's next collective must fail, not hang.
    if (dist.get_rank() !== 0) process.exit(0);
    const start = Date.now();
    try {
      await dist.all_reduce(torch.ones(1000));
      results.error = null;
    } catch (e) {
      results.error = (e as Error).message;
    }
    results.ms = Date.now() - start;
  } else if (scenario === 'mismatch') {
    await mismatch(results);
  } else if (scenario === 'fail') {
    // Rank 1 fails; `torchts run` must stop rank 0, which waits at a barrier.
    if (dist.get_rank() === 1) process.exit(3);
    await dist.barrier();
  } else if (scenario === 'detail') {
    // Under TORCH_DISTRIBUTED_DEBUG=DETAIL (python_rank.py's twin): a
    // collective whose tensors differ across ranks is an error on every
    // rank, Python's included, and the group goes on.
    const rank = dist.get_rank();
    try {
      await dist.all_reduce(torch.zeros(rank === 0 ? 6 : 3));
      results.size = 'ok';
    } catch (e) {
      results.size = (e as Error).message;
    }
    const after = torch.tensor([rank + 1], { dtype: torch.float32 });
    await dist.all_reduce(after);
    results.after = after.tolist();
  } else if (scenario === 'checked') {
    results.checked = dist.GroupMember.WORLD!.checked;
  } else throw new Error(`unknown scenario ${scenario}`);
  dist.destroy_process_group();
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
