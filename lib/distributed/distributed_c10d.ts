// torch.distributed's process groups and collectives, on c10d's Gloo group
// from the libtorch we link (native/distributed.cc): a torchts rank and
// Python ranks join one job and run each collective together.
//
// Python's collectives block until done (or return a Work for
// async_op=True); here each returns a Promise, so the event loop goes on
// while Gloo's threads move the data, and `async_op: true` gives a Work
// whose wait() is a Promise. While a collective is in flight its tensors
// are Gloo's: an op on one of them throws until it settles.
//
// Joining a job takes Python's steps in Python's order, per libtorch
// version, since a rank that skipped one would leave Python's waiting out
// its timeout: the store under "default_pg", the group's store under its
// name, the store-based barrier (1.13; 2.x only with
// TORCH_DIST_INIT_BARRIER=1), and the group's sequence number.
import { describeValue } from '../_describe';
import { libtorchAtLeast } from '../_libtorch_version';
import { native } from '../native';
import { Tensor } from '../tensor';
import { view_as_real } from '../_generated/torch_functions';
import { MAX_USER_TAG, fingerprintOf, recvFingerprint, sendFingerprint } from './_checks';
import { rendezvous } from './rendezvous';
import { PrefixStore, Store, checkTimeout, requireDistributed } from './store';

/** A reduction, as torch.distributed.ReduceOp (c10d's RedOpType codes). */
export class ReduceOp {
  static readonly SUM = new ReduceOp('SUM', 0);
  static readonly AVG = new ReduceOp('AVG', 1);
  static readonly PRODUCT = new ReduceOp('PRODUCT', 2);
  static readonly MIN = new ReduceOp('MIN', 3);
  static readonly MAX = new ReduceOp('MAX', 4);
  static readonly BAND = new ReduceOp('BAND', 5);
  static readonly BOR = new ReduceOp('BOR', 6);
  static readonly BXOR = new ReduceOp('BXOR', 7);

  private constructor(
    readonly name: string,
    /** @internal c10d's code */
    readonly _code: number,
  ) {}

  toString(): string {
    return `ReduceOp.${this.name}`;
  }
}

/** c10d's built-in DDP communication hooks, as torch.distributed.BuiltinCommHookType (for DDP's _register_builtin_comm_hook). */
export class BuiltinCommHookType {
  /** Divide each bucket by the group's size, then all-reduce it. */
  static readonly ALLREDUCE = new BuiltinCommHookType('ALLREDUCE', 3);
  /** All-reduce each bucket cast to float16 and divided by the group's size, then cast back. */
  static readonly FP16_COMPRESS = new BuiltinCommHookType('FP16_COMPRESS', 4);

  private constructor(
    readonly name: string,
    /** @internal native/ddp.cc's code */
    readonly _code: number,
  ) {}

  toString(): string {
    return `BuiltinCommHookType.${this.name}`;
  }
}

/** The backends, as torch.distributed.Backend's names. */
export const Backend = { UNDEFINED: 'undefined', GLOO: 'gloo', NCCL: 'nccl', UCC: 'ucc', MPI: 'mpi' } as const;

/** The default 30 minutes of Python's default_pg_timeout, in milliseconds. */
export const default_pg_timeout = 30 * 60 * 1000;

/** A group of ranks that run collectives together, as Python's ProcessGroup. */
export class ProcessGroup {
  /** @internal the native Gloo group */
  readonly _handle: object;
  /** @internal the group's rank of each global rank in it */
  readonly _ranks: ReadonlyMap<number, number>;
  readonly group_name: string;
  private readonly _rank: number;
  private readonly _size: number;
  /** @internal the group's global ranks, in group order */
  readonly _globalRanks: readonly number[];
  /**
   * Whether every rank of the group is a torchts rank: its collectives (and
   * sends with their recvs) are then checked to agree before Gloo runs them
   * (_checks.ts).
   */
  readonly checked: boolean;
  /** @internal collectives started and not yet settled (not sends or recvs) */
  _collectivesInFlight = 0;
  /** @internal DistributedDataParallel backward_async calls on this group not yet settled */
  _backwardsInFlight = 0;

  /**
   * @internal Whether the group's worker may have work queued (a checked or
   * wrapped group's collectives, a DDP module's construction or
   * backward_async): what runs on this thread and reaches Gloo must wait
   * for it (native/ddp.cc).
   */
  get _workerBusy(): boolean {
    return this._collectivesInFlight + this._backwardsInFlight > 0;
  }

  /** @internal */
  constructor(handle: object, ranks: ReadonlyMap<number, number>, name: string, checked: boolean) {
    this._handle = handle;
    this._ranks = ranks;
    this.group_name = name;
    this._globalRanks = [...ranks].sort((a, b) => a[1] - b[1]).map(([global]) => global);
    // Fixed for the group's life: read once, not asked of the native group at each call.
    [this._rank, this._size] = native.distGroupInfo(handle);
    this.checked = checked;
    if (checked) native.distSetChecked(handle, [...this._globalRanks]);
  }

  /** This process's rank in the group. */
  rank(): number {
    return this._rank;
  }

  /** How many ranks the group has. */
  size(): number {
    return this._size;
  }

  name(): string {
    return 'gloo';
  }

  toString(): string {
    return `ProcessGroupGloo(rank=${this.rank()}, size=${this.size()})`;
  }
}

/** What Python's GroupMember holds: the default group once made, and the mark of a rank outside a group. */
export const GroupMember: { WORLD: ProcessGroup | null; readonly NON_GROUP_MEMBER: symbol } = {
  WORLD: null,
  NON_GROUP_MEMBER: Symbol('NON_GROUP_MEMBER'),
};

type Group = ProcessGroup | null | undefined;

// The default group's store (under "default_pg") and how many groups were
// named so far (Python's _group_count), for new groups' names and barriers.
let defaultStore: Store | null = null;
let groupCount = 0;

/** A collective's handle for `async_op: true`, as Python's Work: wait() is a Promise here. */
export class Work {
  private settled = false;
  private failure: Error | null = null;
  private readonly done: Promise<void>;

  /** @internal */
  constructor(promise: Promise<unknown>) {
    this.done = promise.then(
      () => {
        this.settled = true;
      },
      (e: Error) => {
        this.settled = true;
        this.failure = e;
      },
    );
  }

  /** Resolves true once the collective is done; rejects with its error. */
  async wait(): Promise<boolean> {
    await this.done;
    if (this.failure) throw this.failure;
    return true;
  }

  is_completed(): boolean {
    return this.settled;
  }

  is_success(): boolean {
    return this.settled && this.failure === null;
  }

  /** The collective's error once it failed, else null. */
  exception(): Error | null {
    return this.failure;
  }
}

function defaultGroup(where: string): ProcessGroup {
  if (GroupMember.WORLD === null) {
    throw new Error(`torch.distributed.${where}: Default process group has not been initialized, please make sure to call init_process_group.`);
  }
  return GroupMember.WORLD;
}

/** The default group, as Python's _get_default_group(); throws, naming `where`, before init_process_group. */
export function _get_default_group(where = '_get_default_group()'): ProcessGroup {
  return defaultGroup(where);
}

function groupOf(where: string, group: unknown, collective = true): ProcessGroup {
  const g = group === null || group === undefined ? defaultGroup(where) : group;
  if (!(g instanceof ProcessGroup)) throw new TypeError(`torch.distributed.${where}: group must be a ProcessGroup or null, not ${describeValue(g)}`);
  if (native.distGroupInfo(g._handle)[2]) throw new Error(`torch.distributed.${where}: the process group was destroyed (destroy_process_group); make a new one`);
  // A DDP backward on a worker thread all-reduces the gradients as they
  // come: a collective started meanwhile would reach Gloo among them, in an
  // order that differs from rank to rank and from Python's (where backward
  // returns before the next line runs).
  if (collective && g._backwardsInFlight > 0) {
    throw new Error(
      `torch.distributed.${where}: a DistributedDataParallel backward_async on this group is in flight; await it first ` +
        `(its all-reduces must reach every rank before this collective)`,
    );
  }
  return g;
}

function checkTensor(where: string, name: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`torch.distributed.${where}: Invalid function argument. Expected parameter \`${name}\` to be of type torch.Tensor, got ${describeValue(t)}`);
  if (t.is_disposed) throw new Error(`torch.distributed.${where}: ${name} is a Tensor that was disposed; it cannot be used after dispose()`);
  if (t.device.type !== 'cpu') throw new Error(`torch.distributed.${where}: ${name} is on ${t.device}; torchts's Gloo groups take CPU tensors (move it with .cpu())`);
  if (!t.is_contiguous()) throw new Error(`torch.distributed.${where}: ${name} must be contiguous; pass t.contiguous() (and copy the result back into the view)`);
  return t;
}

function checkTensorList(where: string, name: string, list: unknown): Tensor[] {
  if (!Array.isArray(list)) throw new TypeError(`torch.distributed.${where}: Invalid function argument. Expected parameter \`${name}\` to be of type List[torch.Tensor], got ${describeValue(list)}`);
  return list.map((t, i) => checkTensor(where, `${name}[${i}]`, t));
}

function checkOp(where: string, op: unknown): ReduceOp {
  if (!(op instanceof ReduceOp)) throw new TypeError(`torch.distributed.${where}: op must be a torch.distributed.ReduceOp, not ${describeValue(op)}`);
  if (op === ReduceOp.AVG) throw new Error(`torch.distributed.${where}: Cannot use ReduceOp.AVG with Gloo (Gloo has no average; sum and divide by the world size)`);
  return op;
}

// The group rank of a global rank, as Python's _get_group_rank.
function groupRank(where: string, group: ProcessGroup, rank: unknown, name: string): number {
  if (!Number.isInteger(rank)) throw new TypeError(`torch.distributed.${where}: ${name} must be an integer rank, not ${describeValue(rank)}`);
  if (group === GroupMember.WORLD) {
    const size = group.size();
    if ((rank as number) < 0 || (rank as number) >= size) {
      throw new RangeError(`torch.distributed.${where}: ${name} ${rank} is not a rank of this group (ranks 0 to ${size - 1})`);
    }
    return rank as number;
  }
  const r = group._ranks.get(rank as number);
  if (r === undefined) throw new RangeError(`torch.distributed.${where}: The global rank ${rank} is not part of the group ${group.group_name}`);
  return r;
}

// Python views a complex tensor as real for the collectives that only move
// or add numbers; the reductions that compare or multiply refuse one.
function asReal(where: string, t: Tensor, op?: ReduceOp): Tensor {
  if (!t.is_complex()) return t;
  if (op && [ReduceOp.MAX, ReduceOp.MIN, ReduceOp.PRODUCT, ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR].includes(op)) {
    throw new Error(`torch.distributed.${where}: ${where.replace('()', '')} does not support ${op} on complex tensors`);
  }
  return view_as_real(t);
}

// A collective's Promise (or Work): its errors name the call, and say what
// an error from Gloo means for the group.
// A collective's Promise (a Work for async_op), its errors explained; a
// collective (not a send or recv) is counted in flight on its group until it settles.
function finish(where: string, group: ProcessGroup | null, promise: Promise<unknown>, async_op: boolean): Promise<void> | Work {
  if (group !== null) group._collectivesInFlight++;
  const settled = promise.then(
    () => {
      if (group !== null) group._collectivesInFlight--;
    },
    (e: Error) => {
      if (group !== null) group._collectivesInFlight--;
      throw explain(where, e);
    },
  );
  return async_op ? new Work(settled) : settled;
}

// Whether an error is Gloo's news of a peer that failed, left or went quiet.
export function _isPeerFailure(message: string): boolean {
  return /gloo|pair\.cc|Timed out|Connection|timeout/i.test(message);
}

/** What a peer's failure means for its group, said after Gloo's message. */
export const PEER_FAILURE_HINT = ' (a peer failed, left or did not answer in time; the group cannot be used after this: destroy it and make a new one)';

function explain(where: string, e: Error): Error {
  if (e.message.startsWith('torch.distributed.')) return e;
  return new Error(`torch.distributed.${where}: ${e.message}` + (_isPeerFailure(e.message) ? PEER_FAILURE_HINT : ''));
}

interface CollectiveOptions {
  group?: ProcessGroup | null;
  async_op?: boolean;
}

function optionsOf<T extends object>(where: string, options: unknown, allowed: readonly string[]): T & CollectiveOptions {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof Tensor) {
    throw new TypeError(`torch.distributed.${where}: options must be an object, not ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TypeError(`torch.distributed.${where} got an unexpected keyword argument '${key}'`);
  }
  return options as T;
}

// ---------------------------------------------------------------------------
// Making and destroying groups

/** Whether torch.distributed can be used in this build (torchts built with gloo's headers). */
export { is_available } from './store';

/** Whether the Gloo backend is here: it is whenever torch.distributed is. */
export function is_gloo_available(): boolean {
  return native.distAvailable();
}

/** NCCL (CUDA collectives) is not part of torchts: false. */
export function is_nccl_available(): boolean {
  return false;
}

/** MPI is not part of torchts: false. */
export function is_mpi_available(): boolean {
  return false;
}

/** UCC is not part of torchts: false. */
export function is_ucc_available(): boolean {
  return false;
}

/** Whether init_process_group has made the default group (and destroy_process_group not yet ended it). */
export function is_initialized(): boolean {
  return GroupMember.WORLD !== null;
}

export interface InitOptions {
  /** 'env://' (the default: MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE), 'tcp://host:port' or 'file:///path'. */
  init_method?: string | null;
  /** Milliseconds (Python: timedelta, 30 minutes by default). */
  timeout?: number;
  world_size?: number;
  rank?: number;
  store?: Store | null;
  group_name?: string;
}

/**
 * Joins this process to the job as one rank of its default group, as
 * Python's init_process_group; resolves once every rank has joined.
 * `await dist.init_process_group('gloo', { init_method: 'env://' })`.
 */
export async function init_process_group(backend: string, options: InitOptions = {}): Promise<void> {
  const where = 'init_process_group()';
  requireDistributed('init_process_group');
  const o = optionsOf<InitOptions>(where, options, ['init_method', 'timeout', 'world_size', 'rank', 'store', 'group_name']);
  const timeout = checkTimeout(`torch.distributed.${where}`, o.timeout ?? default_pg_timeout);
  if (GroupMember.WORLD !== null || initializing) throw new Error('torch.distributed.init_process_group(): trying to initialize the default process group twice!');
  let store = o.store ?? null;
  let init_method = o.init_method ?? null;
  let rank = o.rank ?? -1;
  let world_size = o.world_size ?? -1;
  for (const [name, value] of [['rank', rank], ['world_size', world_size]] as const) {
    if (!Number.isInteger(value)) throw new TypeError(`torch.distributed.${where}: ${name} must be an integer, not ${describeValue(value)}`);
  }
  if (store !== null && init_method !== null) throw new Error(`torch.distributed.${where}: Cannot specify both init_method and store.`);
  if (store !== null) {
    if (!(store instanceof Store)) throw new TypeError(`torch.distributed.${where}: store must be a torch.distributed Store, not ${describeValue(store)}`);
    if (world_size <= 0) throw new Error(`torch.distributed.${where}: world_size must be positive if using store`);
    if (rank < 0) throw new Error(`torch.distributed.${where}: rank must be non-negative if using store`);
  } else if (init_method === null) {
    init_method = 'env://';
  }
  checkBackend(where, backend);
  initializing = true;
  try {
    if (store === null) {
      ({ store, rank, world_size } = await rendezvous(init_method as string, rank, world_size, timeout));
      store.set_timeout(timeout);
    }
    if (rank < 0 || rank >= world_size) throw new RangeError(`torch.distributed.${where}: rank ${rank} is out of range for world_size ${world_size} (ranks 0 to ${world_size - 1})`);
    const defaultPgStore = new PrefixStore('default_pg', store);
    const name = o.group_name || String(groupCount);
    groupCount++;
    const ranks = new Map(Array.from({ length: world_size }, (_, i) => [i, i] as [number, number]));
    let joined: [object, Store, boolean];
    try {
      joined = await newGloo(defaultPgStore, name, rank, world_size, timeout, () =>
        storeBasedBarrier(where, rank, defaultPgStore, libtorchAtLeast(2) ? name : String(groupCount), world_size, timeout),
      );
    } catch (e) {
      const message = (e as Error).message;
      if (message.startsWith('torch.distributed.')) throw e;
      throw new Error(
        `torch.distributed.${where}: rank ${rank} of ${world_size} could not form the default group within its timeout (${timeout} ms): ${message} ` +
          `(did all ${world_size} ranks start, with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE?)`,
      );
    }
    const [pg, namedStore, allTorchts] = joined;
    GroupMember.WORLD = new ProcessGroup(pg, ranks, name, allTorchts);
    // new_group's store: 1.13 keeps the one under "default_pg", 2.x the default group's own.
    defaultStore = libtorchAtLeast(2) ? namedStore : defaultPgStore;
  } catch (e) {
    groupCount = 0;
    throw e;
  } finally {
    initializing = false;
  }
}

let initializing = false;

function checkBackend(where: string, backend: unknown): void {
  if (typeof backend !== 'string') throw new TypeError(`torch.distributed.${where}: backend must be a string such as 'gloo', not ${describeValue(backend)}`);
  const b = backend.toLowerCase();
  if (b === 'gloo') return;
  if (b === 'nccl') throw new Error(`torch.distributed.${where}: Distributed package doesn't have NCCL built in (torchts has the Gloo backend; use 'gloo')`);
  if (b === 'mpi') throw new Error(`torch.distributed.${where}: Distributed package doesn't have MPI built in (torchts has the Gloo backend; use 'gloo')`);
  if (b === 'ucc') throw new Error(`torch.distributed.${where}: Distributed package doesn't have UCC built in (torchts has the Gloo backend; use 'gloo')`);
  throw new Error(`torch.distributed.${where}: Invalid backend: '${backend}' (torchts has the Gloo backend: 'gloo')`);
}

// Makes a Gloo group in Python's order for the loaded libtorch, and gives it
// with the store under its name. The group's store is PrefixStore(name)
// (2.x: "name/" and then "cpu/", the device its backend serves), and
// `barrier` runs where that version runs its store-based barrier: 1.13 makes
// the group, waits at the barrier, then sets the sequence number; 2.x sets
// it first and waits only when asked; 2.14 does not set it at all.
async function newGloo(store: Store, name: string, rank: number, size: number, timeout: number, barrier: () => Promise<void>): Promise<[object, Store, boolean]> {
  const namedStore = libtorchAtLeast(2) ? new PrefixStore(`${name}/`, store) : new PrefixStore(name, store);
  const groupStore = libtorchAtLeast(2) ? new PrefixStore('cpu/', namedStore) : namedStore;
  // Each torchts rank says so before it joins; once the group is made, every
  // rank has begun joining, so whether all said so is known (_checks.ts).
  // A rank run with TORCHTS_DISTRIBUTED_CHECK=0 keeps quiet, and so turns
  // the check off for the whole group: the ranks must agree on it.
  if (process.env.TORCHTS_DISTRIBUTED_CHECK !== '0') await namedStore.set(`${TORCHTS_RANK_KEY}/${rank}`, '1');
  const handle = await native.distNewGloo(groupStore._handle, rank, size, timeout);
  const allTorchts = await namedStore.check(Array.from({ length: size }, (_, r) => `${TORCHTS_RANK_KEY}/${r}`));
  // Under TORCH_DISTRIBUTED_DEBUG=DETAIL, Python wraps the group in c10d's
  // ProcessGroupWrapper, whose helper group joins on the store it was given
  // under "pg_wrapper:<name>" (1.13: the store before the group's name; 2.x:
  // the group's device store), right after the group (2.x: after its
  // sequence number). Every rank must, so a torchts rank does too.
  const debugDetail = native.distDebugLevel() === DEBUG_DETAIL;
  if (libtorchAtLeast(2)) {
    // (2.14's Python no longer sets it: the call is a no-op there, with a deprecation warning.)
    if (!libtorchAtLeast(2, 14)) await native.distSetSequenceNumber(handle);
    if (debugDetail) await native.distWrapForDebug(handle, new PrefixStore(`${PG_WRAPPER_STORE_PREFIX}:${name}`, groupStore)._handle, timeout);
    await barrier();
  } else {
    if (debugDetail) await native.distWrapForDebug(handle, new PrefixStore(`${PG_WRAPPER_STORE_PREFIX}:${name}`, store)._handle, timeout);
    await barrier();
    await native.distSetSequenceNumber(handle);
  }
  return [handle, namedStore, allTorchts];
}

const TORCHTS_RANK_KEY = 'torchts_rank';

// c10d's DebugLevel::Detail, and Python's PG_WRAPPER_STORE_PREFIX.
const DEBUG_DETAIL = 2;
const PG_WRAPPER_STORE_PREFIX = 'pg_wrapper';

const STORE_BASED_BARRIER_PREFIX = 'store_based_barrier_key';

// Python's _store_based_barrier: every rank adds 1 to a key and waits until
// the count is the world size. 1.13 keys it by the group count and polls;
// 2.x keys it by the group's name, and runs it only with
// TORCH_DIST_INIT_BARRIER=1.
async function storeBasedBarrier(where: string, rank: number, store: Store, key: string, worldSize: number, timeout: number): Promise<void> {
  const storeKey = `${STORE_BASED_BARRIER_PREFIX}:${key}`;
  if (libtorchAtLeast(2)) {
    if (Number(process.env.TORCH_DIST_INIT_BARRIER ?? '0') !== 1) return;
    await store.add(storeKey, 1);
    const lastWorkerKey = `${storeKey}:last_worker`;
    if ((await store.add(storeKey, 0)) === worldSize) await store.set(lastWorkerKey, '1');
    const start = Date.now();
    for (;;) {
      try {
        await store.wait([lastWorkerKey], Math.max(10_000, 10_000 + worldSize));
        return;
      } catch (e) {
        const count = await store.add(storeKey, 0);
        if (Date.now() - start > timeout) {
          throw new Error(
            `torch.distributed.${where}: Timed out initializing process group in store based barrier on rank ${rank}, for key: ${storeKey} ` +
              `(world_size=${worldSize}, num_workers_joined=${count}, timeout=${timeout} ms error=${(e as Error).message})`,
          );
        }
      }
    }
  }
  await store.add(storeKey, 1);
  let count = await store.add(storeKey, 0);
  const start = Date.now();
  while (count !== worldSize) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    count = await store.add(storeKey, 0);
    if (Date.now() - start > timeout) {
      throw new Error(
        `torch.distributed.${where}: Timed out initializing process group in store based barrier on rank: ${rank}, for key: ${storeKey} ` +
          `(world_size=${worldSize}, worker_count=${count}, timeout=${timeout} ms)`,
      );
    }
  }
}

/**
 * Leaves a group, or every group with none given (the default group and
 * all the others); a group destroyed refuses every later call.
 */
export function destroy_process_group(group: ProcessGroup | null = null): void {
  if (group !== null && !(group instanceof ProcessGroup)) throw new TypeError(`torch.distributed.destroy_process_group(): group must be a ProcessGroup or null, not ${describeValue(group)}`);
  const target = group ?? defaultGroup('destroy_process_group()');
  if (target === GroupMember.WORLD) {
    for (const g of groups) destroyHandle(g);
    groups.clear();
    destroyHandle(target._handle);
    GroupMember.WORLD = null;
    defaultStore = null;
    groupCount = 0;
    return;
  }
  groups.delete(target._handle);
  destroyHandle(target._handle);
}

function destroyHandle(handle: object): void {
  if (!native.distGroupInfo(handle)[2]) native.distDestroyGroup(handle);
}

// The groups new_group made, destroyed with the default one.
const groups = new Set<object>();

/**
 * A group of some of the default group's ranks, as Python's new_group: every
 * rank of the default group must call it, in the same order, members or
 * not; a rank outside `ranks` gets GroupMember.NON_GROUP_MEMBER.
 */
export async function new_group(ranks: number[] | null = null, options: { timeout?: number; backend?: string } = {}): Promise<ProcessGroup | symbol> {
  const where = 'new_group()';
  const world = defaultGroup(where);
  const o = optionsOf<{ timeout?: number; backend?: string }>(where, options, ['timeout', 'backend']);
  if (o.backend !== undefined) checkBackend(where, o.backend);
  const timeout = checkTimeout(`torch.distributed.${where}`, o.timeout ?? default_pg_timeout);
  const globalRank = world.rank();
  const worldSize = world.size();
  let members: number[];
  if (ranks === null) {
    members = Array.from({ length: worldSize }, (_, i) => i);
  } else {
    if (!Array.isArray(ranks) || !ranks.every(Number.isInteger)) throw new TypeError(`torch.distributed.${where}: ranks must be an array of integer ranks, not ${describeValue(ranks)}`);
    members = [...ranks].sort((a, b) => a - b);
    if (members.length > worldSize) throw new Error(`torch.distributed.${where}: the new group's world size should be less or equal to the world size set by init_process_group`);
    if (members.some((r) => r < 0 || r >= worldSize)) throw new Error(`torch.distributed.${where}: The new group's rank should be within the the world_size set by init_process_group`);
  }
  const name = String(groupCount);
  groupCount++;
  const store = defaultStore as Store;
  const barrier = () => storeBasedBarrier(where, globalRank, store, libtorchAtLeast(2) ? name : String(groupCount), worldSize, timeout);
  const groupRankOf = members.indexOf(globalRank);
  if (groupRankOf < 0) {
    // Not a member: only the barrier, where the libtorch has one here.
    await barrier();
    return GroupMember.NON_GROUP_MEMBER;
  }
  const [handle, , allTorchts] = await newGloo(store, name, groupRankOf, members.length, timeout, barrier);
  groups.add(handle);
  return new ProcessGroup(handle, new Map(members.map((g, i) => [g, i])), name, allTorchts);
}

// ---------------------------------------------------------------------------
// Who is who

/** This process's rank in the group (the default group when none is given). */
export function get_rank(group: Group = null): number {
  return groupOf('get_rank()', group).rank();
}

/** How many ranks the group has (the default group when none is given). */
export function get_world_size(group: Group = null): number {
  return groupOf('get_world_size()', group).size();
}

/** The backend of a group: 'gloo'. */
export function get_backend(group: Group = null): string {
  groupOf('get_backend()', group);
  return Backend.GLOO;
}

// ---------------------------------------------------------------------------
// Collectives

/** Reduces `tensor` across all ranks in place: `await dist.all_reduce(t, { op: dist.ReduceOp.SUM })`. */
export function all_reduce(tensor: Tensor, options?: { op?: ReduceOp } & CollectiveOptions): Promise<void> | Work;
export function all_reduce(tensor: Tensor, options?: unknown): Promise<void> | Work {
  const where = 'all_reduce()';
  const o = optionsOf<{ op?: ReduceOp }>(where, options, ['op', 'group', 'async_op']);
  const t = asReal(where, checkTensor(where, 'tensor', tensor), checkOp(where, o.op ?? ReduceOp.SUM));
  const group = groupOf(where, o.group);
  const op = (o.op ?? ReduceOp.SUM)._code;
  return finish(where, group, native.distAllReduce(group._handle, t, op, where), o.async_op ?? false);
}

/** Copies `tensor` from rank `src` to every rank, in place. */
export function broadcast(tensor: Tensor, src: number, options?: CollectiveOptions): Promise<void> | Work;
export function broadcast(tensor: Tensor, src: number, options?: unknown): Promise<void> | Work {
  const where = 'broadcast()';
  const o = optionsOf<object>(where, options, ['group', 'async_op']);
  const t = asReal(where, checkTensor(where, 'tensor', tensor));
  const group = groupOf(where, o.group);
  const root = groupRank(where, group, src, 'src');
  return finish(where, group, native.distBroadcast(group._handle, t, root, where), o.async_op ?? false);
}

/** Reduces `tensor` across all ranks into rank `dst`'s (the others' are left as Gloo leaves them). */
export function reduce(tensor: Tensor, dst: number, options?: { op?: ReduceOp } & CollectiveOptions): Promise<void> | Work;
export function reduce(tensor: Tensor, dst: number, options?: unknown): Promise<void> | Work {
  const where = 'reduce()';
  const o = optionsOf<{ op?: ReduceOp }>(where, options, ['op', 'group', 'async_op']);
  const op = checkOp(where, o.op ?? ReduceOp.SUM);
  const t = checkTensor(where, 'tensor', tensor);
  const group = groupOf(where, o.group);
  const root = groupRank(where, group, dst, 'dst');
  return finish(where, group, native.distReduce(group._handle, t, root, op._code, where), o.async_op ?? false);
}

/** Every rank's `tensor`, into tensor_list (one per rank, in rank order). */
export function all_gather(tensor_list: Tensor[], tensor: Tensor, options?: CollectiveOptions): Promise<void> | Work;
export function all_gather(tensor_list: Tensor[], tensor: Tensor, options?: unknown): Promise<void> | Work {
  const where = 'all_gather()';
  const o = optionsOf<object>(where, options, ['group', 'async_op']);
  const list = checkTensorList(where, 'tensor_list', tensor_list).map((t) => asReal(where, t));
  const t = asReal(where, checkTensor(where, 'tensor', tensor));
  const group = groupOf(where, o.group);
  if (list.length !== group.size()) {
    throw new Error(`torch.distributed.${where}: tensor_list has ${list.length} tensors; it needs one per rank of the group (${group.size()})`);
  }
  return finish(where, group, native.distAllGather(group._handle, list, t, where), o.async_op ?? false);
}

/** Every rank's `tensor`, into gather_list on rank `dst` (the others pass none). */
export function gather(tensor: Tensor, options?: { gather_list?: Tensor[] | null; dst?: number } & CollectiveOptions): Promise<void> | Work;
export function gather(tensor: Tensor, options?: unknown): Promise<void> | Work {
  const where = 'gather()';
  const o = optionsOf<{ gather_list?: Tensor[] | null; dst?: number }>(where, options, ['gather_list', 'dst', 'group', 'async_op']);
  const t = checkTensor(where, 'tensor', tensor);
  const group = groupOf(where, o.group);
  const dst = groupRank(where, group, o.dst ?? 0, 'dst');
  const list = o.gather_list ?? null;
  if (group.rank() === dst) {
    if (list === null) throw new Error(`torch.distributed.${where}: Argument \`gather_list\` must be specified on destination rank.`);
    const checked = checkTensorList(where, 'gather_list', list);
    return finish(where, group, native.distGather(group._handle, checked, t, dst, where), o.async_op ?? false);
  }
  if (list !== null && list.length > 0) throw new Error(`torch.distributed.${where}: Argument \`gather_list\` must NOT be specified on non-destination ranks.`);
  return finish(where, group, native.distGather(group._handle, null, t, dst, where), o.async_op ?? false);
}

/** Rank `src`'s scatter_list[i] into rank i's `tensor`. */
export function scatter(tensor: Tensor, options?: { scatter_list?: Tensor[] | null; src?: number } & CollectiveOptions): Promise<void> | Work;
export function scatter(tensor: Tensor, options?: unknown): Promise<void> | Work {
  const where = 'scatter()';
  const o = optionsOf<{ scatter_list?: Tensor[] | null; src?: number }>(where, options, ['scatter_list', 'src', 'group', 'async_op']);
  const t = checkTensor(where, 'tensor', tensor);
  const group = groupOf(where, o.group);
  const src = groupRank(where, group, o.src ?? 0, 'src');
  const list = o.scatter_list ?? null;
  if (group.rank() === src) {
    if (list === null) throw new Error(`torch.distributed.${where}: Argument \`scatter_list\` must be specified on source rank.`);
    const checked = checkTensorList(where, 'scatter_list', list);
    return finish(where, group, native.distScatter(group._handle, t, checked, src, where), o.async_op ?? false);
  }
  if (list !== null && list.length > 0) throw new Error(`torch.distributed.${where}: Argument \`scatter_list\` must NOT be specified on non-source ranks.`);
  return finish(where, group, native.distScatter(group._handle, t, null, src, where), o.async_op ?? false);
}

/** Reduces input_list[i] across ranks into rank i's `output`. */
export function reduce_scatter(output: Tensor, input_list: Tensor[], options?: { op?: ReduceOp } & CollectiveOptions): Promise<void> | Work;
export function reduce_scatter(output: Tensor, input_list: Tensor[], options?: unknown): Promise<void> | Work {
  const where = 'reduce_scatter()';
  const o = optionsOf<{ op?: ReduceOp }>(where, options, ['op', 'group', 'async_op']);
  const op = checkOp(where, o.op ?? ReduceOp.SUM);
  const out = checkTensor(where, 'output', output);
  const list = checkTensorList(where, 'input_list', input_list);
  const group = groupOf(where, o.group);
  return finish(
    where,
    group,
    native.distReduceScatter(group._handle, out, list, op._code, where),
    o.async_op ?? false,
  );
}

/** Resolves once every rank of the group has reached it. */
export function barrier(options?: CollectiveOptions): Promise<void> | Work;
export function barrier(options?: unknown): Promise<void> | Work {
  const where = 'barrier()';
  const o = optionsOf<object>(where, options, ['group', 'async_op', 'device_ids']);
  const group = groupOf(where, o.group);
  return finish(where, group, native.distBarrier(group._handle, where), o.async_op ?? false);
}

function checkTag(where: string, group: ProcessGroup, tag: unknown): number {
  const most = group.checked ? MAX_USER_TAG : 0x7fffffff;
  if (!Number.isInteger(tag) || (tag as number) < 0 || (tag as number) > most) {
    throw new RangeError(`torch.distributed.${where}: tag must be an integer from 0 to ${most}, not ${describeValue(tag)}`);
  }
  return tag as number;
}

/** Sends `tensor` to rank `dst`; resolves once it has gone. */
export function send(tensor: Tensor, dst: number, options: { group?: ProcessGroup | null; tag?: number } = {}): Promise<void> {
  const where = 'send()';
  const o = optionsOf<{ tag?: number }>(where, options, ['group', 'tag']);
  const t = checkTensor(where, 'tensor', tensor);
  const group = groupOf(where, o.group, false);
  const to = groupRank(where, group, dst, 'dst');
  const tag = checkTag(where, group, o.tag ?? 0);
  if (!group.checked) return finish(where, null, native.distSend(group._handle, t, to, tag, where), false) as Promise<void>;
  const own = fingerprintOf(t);
  const mark = native.markInFlight([t]);
  const sent = sendFingerprint(group._handle, where, own, to, tag).then(
    () => {
      native.unmarkInFlight(mark);
      return native.distSend(group._handle, t, to, tag, where);
    },
    (e) => {
      native.unmarkInFlight(mark);
      throw e;
    },
  );
  return finish(where, null, sent, false) as Promise<void>;
}

/** Receives into `tensor` from rank `src` (any rank when src is null); resolves to the sender's rank. */
export function recv(tensor: Tensor, src: number | null = null, options: { group?: ProcessGroup | null; tag?: number } = {}): Promise<number> {
  const where = 'recv()';
  const o = optionsOf<{ tag?: number }>(where, options, ['group', 'tag']);
  const t = checkTensor(where, 'tensor', tensor);
  const group = groupOf(where, o.group, false);
  const from = src === null ? -1 : groupRank(where, group, src, 'src');
  const tag = checkTag(where, group, o.tag ?? 0);
  let received: Promise<number>;
  if (!group.checked) {
    received = native.distRecv(group._handle, t, from, tag, where);
  } else {
    const own = fingerprintOf(t);
    const mark = native.markInFlight([t]);
    received = recvFingerprint(group._handle, group._globalRanks, where, own, from, tag).then(
      (sender) => {
        native.unmarkInFlight(mark);
        return native.distRecv(group._handle, t, sender, tag, where);
      },
      (e) => {
        native.unmarkInFlight(mark);
        throw e;
      },
    );
  }
  return received.then(
    (r: number) => {
      if (group === GroupMember.WORLD) return r;
      for (const [global, local] of group._ranks) if (local === r) return global;
      return r;
    },
    (e: Error) => {
      throw explain(where, e);
    },
  );
}

/** send, as a Work. */
export function isend(tensor: Tensor, dst: number, options: { group?: ProcessGroup | null; tag?: number } = {}): Work {
  return new Work(send(tensor, dst, options));
}

/** recv, as a Work. */
export function irecv(tensor: Tensor, src: number | null = null, options: { group?: ProcessGroup | null; tag?: number } = {}): Work {
  return new Work(recv(tensor, src, options));
}
