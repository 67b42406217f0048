// nn.parallel.DistributedDataParallel: data parallelism over a process
// group, on c10d's own Reducer (native/ddp.cc), made and driven in the order
// Python's DDP drives it, so that torchts ranks and Python's DDP ranks train
// one model together and agree to the bit.
//
// Each rank runs the module on its own share of the batch. Backward gives
// every parameter its local gradient g_r; the Reducer groups the gradients
// into buckets (about bucket_cap_mb each, in the order backward produces
// them) and all-reduces each bucket as soon as it is full, so that every
// rank ends backward with
//
//     grad = (g_0 + g_1 + ... + g_{W-1}) / W
//
// (each g_r is divided by the world size W before the sum, as Python's DDP
// does), the gradient of the mean loss over the combined batch. Rank 0's
// parameters and buffers are broadcast when the module is wrapped, and its
// buffers before each forward, so the ranks stay identical.
//
// What differs from Python: making the module is asynchronous (it exchanges
// the model's shape and rank 0's weights with the other ranks), so it is
// `await DistributedDataParallel.create(module, options)`; and besides
// `loss.backward()` (which blocks, as Python's does), `await
// loss.backward_async()` runs the backward pass and its all-reduces on a
// worker thread while the event loop goes on.
import { describeValue } from '../../_describe';
import { libtorchAtLeast } from '../../_libtorch_version';
import { is_grad_enabled } from '../../autograd/grad_mode';
import { prepareReducer, type PreparedReducer } from '../../autograd/_prepared_reducers';
import { bf16_compress_hook, NATIVE_HOOK, type CommHook } from '../../distributed/algorithms/ddp_comm_hooks/default_hooks';
import { DISABLED_JOIN_CONFIG, Join, type JoinConfig, type JoinHook } from '../../distributed/algorithms/join';
import { BuiltinCommHookType, PEER_FAILURE_HINT, ProcessGroup, _get_default_group, _isPeerFailure } from '../../distributed/distributed_c10d';
import { requireDistributed } from '../../distributed/store';
import { native } from '../../native';
import { Tensor } from '../../tensor';
import { Module } from '../modules/module';
import { Embedding, EmbeddingBag } from '../modules/sparse';
import type { Parameter } from '../parameter';

/** The options of Python's DistributedDataParallel(module, ...). */
export interface DistributedDataParallelOptions {
  /** CPU modules only: null (or omitted), as for a CPU module in Python. */
  device_ids?: null;
  output_device?: null;
  /** The dimension inputs are scattered along: only 0, the one that applies to a single device. */
  dim?: number;
  /**
   * Broadcast rank 0's buffers (BatchNorm's running statistics, say) before
   * each forward. Default true. From 2.x, false also keeps the buffers out of
   * the sync when the module is wrapped; 2.14 deprecates it (a FutureWarning
   * when given) for forward_sync_buffers.
   */
  broadcast_buffers?: boolean | null;
  /** The group to reduce over; the default group when null. */
  process_group?: ProcessGroup | null;
  /** The bucket size, in MiB (default 25). */
  bucket_cap_mb?: number | null;
  /** Find the parameters a forward did not use, so that backward does not wait for their gradients. Default false. */
  find_unused_parameters?: boolean;
  /** Deprecated in Python and ignored there with a warning; so here. */
  check_reduction?: boolean;
  /** Make each .grad a view into its bucket, saving a copy. Default false. */
  gradient_as_bucket_view?: boolean;
  /** The graph is the same every iteration (which parameters are used, and in which order). Default false. */
  static_graph?: boolean;
  /** 2.x: Python's delayed all-reduce, which torchts does not have: null only. */
  delay_all_reduce_named_params?: null;
  /** 2.x: goes with delay_all_reduce_named_params: null only. */
  param_to_hook_all_reduce?: null;
  /** 2.x: Python's mixed-precision DDP, which torchts does not have: null only. */
  mixed_precision?: null;
  /** 2.x: a DeviceMesh instead of process_group, which torchts does not have: null only. */
  device_mesh?: null;
  /**
   * 2.14: check the ranks' parameters and broadcast rank 0's parameters and
   * buffers when the module is wrapped. Default true; with false the ranks
   * must already hold the same weights.
   */
  init_sync?: boolean;
  /**
   * 2.14: broadcast rank 0's buffers before each forward (null: true). The
   * buffers are synced when the module is wrapped whatever it says.
   */
  forward_sync_buffers?: boolean | null;
  /**
   * 2.14: a size limit in MiB for each bucket in turn (the last for the rest),
   * for the first buckets and their rebuild; the largest is the bucket cap,
   * and bucket_cap_mb is then ignored. Empty or null: bucket_cap_mb.
   */
  bucket_cap_mb_list?: number[] | null;
  /**
   * 2.14: skip the all-reduce of a bucket none of whose parameters this
   * iteration used (they must be the same on every rank). Default false.
   */
  skip_all_reduce_unused_params?: boolean;
  /**
   * 2.14: copy a bucket's gradients in, and divide them by the world size,
   * all at once when the bucket is ready instead of one by one. Default false.
   */
  batched_grad_copy?: boolean;
}

// The keywords of the loaded version's Python DDP.
const OPTION_NAMES = [
  'device_ids',
  'output_device',
  'dim',
  'broadcast_buffers',
  'process_group',
  'bucket_cap_mb',
  'find_unused_parameters',
  'check_reduction',
  'gradient_as_bucket_view',
  'static_graph',
  ...(libtorchAtLeast(2) ? ['delay_all_reduce_named_params', 'param_to_hook_all_reduce', 'mixed_precision', 'device_mesh'] : []),
  // Measured in 2.14 and absent from 2.6; the versions between follow 2.6.
  ...(libtorchAtLeast(2, 14) ? ['init_sync', 'skip_all_reduce_unused_params', 'bucket_cap_mb_list', 'batched_grad_copy', 'forward_sync_buffers'] : []),
];

/** The options of Python's DistributedDataParallel.join(divide_by_initial_world_size=True, enable=True, throw_on_early_termination=False). */
export interface DistributedDataParallelJoinOptions {
  divide_by_initial_world_size?: boolean;
  enable?: boolean;
  throw_on_early_termination?: boolean;
}

// Python's torch.distributed._DEFAULT_FIRST_BUCKET_BYTES (1 MiB): a first
// small bucket, so that the last layers' gradients go out early.
const DEFAULT_FIRST_BUCKET_BYTES = 1024 * 1024;
// Python DDP's broadcast_bucket_size: 250 MiB per broadcast of module states.
const BROADCAST_BUCKET_SIZE = 250 * 1024 * 1024;
// sys.maxsize: one bucket for everything, until the first backward's order is known.
const ONE_BUCKET = Number.MAX_SAFE_INTEGER;

// Python's _DEFAULT_BUCKET_CAP_MB and _MB_TO_BYTES.
const DEFAULT_BUCKET_CAP_MB = 25;
const MIB = 1024 * 1024;

const WHERE = 'DistributedDataParallel';

function checkBool(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${WHERE}(): ${name} must be a boolean, not ${describeValue(v)}`);
  return v;
}

function checkCap(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new RangeError(`${WHERE}(): ${name} must be a positive number, not ${describeValue(v)}`);
  return v;
}

function checkCapList(v: unknown): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new TypeError(`${WHERE}(): bucket_cap_mb_list must be a list of numbers (MiB) or null, not ${describeValue(v)}`);
  return v.map((mb, i) => checkCap(`bucket_cap_mb_list[${i}]`, mb));
}

/**
 * [whether buffers are broadcast before each forward, whether the sync at
 * wrapping includes them], from broadcast_buffers and (2.14)
 * forward_sync_buffers, as the loaded version's Python decides.
 */
function bufferSync(o: DistributedDataParallelOptions): [boolean, boolean] {
  // Python tests broadcast_buffers for truth; before 2.14 None (its default
  // there being True) reads as false.
  const given = o.broadcast_buffers === undefined ? undefined : o.broadcast_buffers === null ? null : checkBool('broadcast_buffers', o.broadcast_buffers, true);
  if (!libtorchAtLeast(2, 14)) {
    const forward = given === undefined ? true : given === true;
    // 1.13 syncs every buffer at wrapping; 2.x only those it broadcasts.
    return [forward, libtorchAtLeast(2) ? forward : true];
  }
  const forwardSync = o.forward_sync_buffers === undefined || o.forward_sync_buffers === null ? null : checkBool('forward_sync_buffers', o.forward_sync_buffers, true);
  if (given !== undefined && given !== null) {
    process.emitWarning(
      forwardSync !== null
        ? 'Both `broadcast_buffers` and `forward_sync_buffers` were specified. `broadcast_buffers` is deprecated and its value is ignored when `forward_sync_buffers` is provided.'
        : '`broadcast_buffers` is deprecated. Use `forward_sync_buffers` instead. IMPORTANT: unlike `broadcast_buffers=False`, ' +
            '`forward_sync_buffers=False` still syncs buffers at init. If you rely on buffers NOT being synced at init (e.g. rank-local buffers), ' +
            'keep using `broadcast_buffers=False` until `init_sync_buffers` is available.',
      'FutureWarning',
    );
  }
  if (forwardSync !== null) return [forwardSync, true];
  const effective = given ?? true;
  return [effective, effective];
}

// The tensors in a forward's output, in Python's _find_tensors order
// (arrays in order, an object's values in insertion order).
function findTensors(value: unknown, out: Tensor[] = [], seen = new Set<unknown>()): Tensor[] {
  if (value instanceof Tensor) {
    out.push(value);
  } else if (value !== null && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    const items = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value);
    for (const item of items) findTensors(item, out, seen);
  }
  return out;
}

// The output with each tensor replaced by the one `swap` gives for it.
function replaceTensors(value: unknown, swap: Map<Tensor, Tensor>): unknown {
  if (value instanceof Tensor) return swap.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceTensors(v, swap));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, replaceTensors(v, swap)]));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceTensors(v, swap)]));
  }
  return value;
}

/**
 * Wraps a module for data-parallel training over a process group, as Python's
 * `torch.nn.parallel.DistributedDataParallel`: each rank runs it on its share of
 * the batch, and backward leaves every rank the gradient averaged over all ranks.
 */
export class DistributedDataParallel<M extends Module = Module> extends Module {
  declare readonly module: M;
  readonly process_group: ProcessGroup;
  readonly dim: number;
  /** Whether rank 0's buffers are broadcast before each forward (2.14's name; broadcast_buffers is the same flag). */
  forward_sync_buffers: boolean;
  readonly find_unused_parameters: boolean;
  readonly gradient_as_bucket_view: boolean;
  /** The bucket size cap, in bytes. */
  readonly bucket_bytes_cap: number;
  /** 2.14: the per-bucket size limits in bytes (bucket_cap_mb_list); empty for bucket_bytes_cap alone. */
  readonly bucket_bytes_cap_list: number[];
  readonly skip_all_reduce_unused_params: boolean;
  readonly batched_grad_copy: boolean;
  static_graph = false;
  /** False inside no_sync(): backward then only accumulates local gradients. */
  require_backward_grad_sync = true;
  /** Whether the last forward synchronized (so that the next one broadcasts buffers). */
  require_forward_param_sync = true;
  /** Synchronized forwards so far. */
  num_iterations = 0;
  /** How this module takes part in a Join (set by the Join, and kept after it, as in Python). */
  _join_config: JoinConfig = DISABLED_JOIN_CONFIG;
  /** Inside a Join: average gradients over the initial world size (else over the ranks still training). */
  _divide_by_initial_world_size = true;
  private readonly reducer: object;
  private readonly parameters_for_reducer: Parameter[];
  private readonly prepared: PreparedReducer;
  private backwardsInFlight = 0;
  // Whether the module had buffers when wrapped: only then are they looked up
  // again (and broadcast) before each forward, as Python's modules_buffers.
  private readonly hasBuffers: boolean;

  /**
   * `await DistributedDataParallel.create(module, options)` for Python's
   * `DistributedDataParallel(module, ...)`: it checks that every rank's model
   * has the same parameters, broadcasts rank 0's parameters and buffers, and
   * builds the Reducer; every rank of the group must call it.
   */
  static async create<M extends Module>(module: M, options: DistributedDataParallelOptions = {}): Promise<DistributedDataParallel<M>> {
    requireDistributed(WHERE);
    if (!(module instanceof Module)) throw new TypeError(`${WHERE}(): module must be an nn.Module, not ${describeValue(module)}`);
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError(`${WHERE}(): options must be an object, not ${describeValue(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (!OPTION_NAMES.includes(key)) throw new TypeError(`${WHERE}() got an unexpected keyword argument '${key}'`);
    }
    const o = options;
    if (!module.parameters().some((p) => p.requires_grad)) {
      throw new Error("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
    }
    if (o.device_ids != null || o.output_device != null) {
      throw new Error(`${WHERE}(): device_ids and output_device are for a module on a CUDA device; torchts's Gloo groups reduce CPU tensors, so leave them null`);
    }
    const dim = o.dim ?? 0;
    if (dim !== 0) throw new RangeError(`${WHERE}(): dim scatters inputs across device_ids, which a CPU module does not have; it must be 0, not ${describeValue(dim)}`);
    const group = o.process_group ?? _get_default_group(WHERE);
    if (!(group instanceof ProcessGroup)) throw new TypeError(`${WHERE}(): process_group must be a ProcessGroup or null, not ${describeValue(group)}`);
    for (const name of ['delay_all_reduce_named_params', 'param_to_hook_all_reduce', 'mixed_precision', 'device_mesh'] as const) {
      if (o[name] != null) throw new Error(`${WHERE}(): ${name} is a DDP feature torchts does not have; leave it null`);
    }
    const capMb = checkCap('bucket_cap_mb', o.bucket_cap_mb ?? DEFAULT_BUCKET_CAP_MB);
    const capList = checkCapList(o.bucket_cap_mb_list);
    // Python's _BucketCapacityConfig: a per-bucket list sets the cap (its
    // largest) and every limit; else the cap given, or the default with a
    // small first bucket.
    const capDefault = (o.bucket_cap_mb === undefined || o.bucket_cap_mb === null) && capList.length === 0;
    const bucketBytesCap = Math.trunc((capList.length > 0 ? Math.max(...capList) : capMb) * MIB);
    const perBucketCaps = capList.map((mb) => Math.trunc(mb * MIB));
    const findUnused = checkBool('find_unused_parameters', o.find_unused_parameters, false);
    const staticGraph = checkBool('static_graph', o.static_graph, false);
    if (o.check_reduction === true) {
      process.emitWarning(
        'The `check_reduction` argument in `DistributedDataParallel` module is deprecated. Please avoid using it.',
        libtorchAtLeast(2) ? 'FutureWarning' : 'UserWarning',
      );
    }
    const [forwardSyncBuffers, initSyncBuffers] = bufferSync(o);
    const initSync = checkBool('init_sync', o.init_sync, true);

    // Python's _build_params_for_reducer: each module's own parameters that
    // require grad, in module order, without duplicates; an Embedding's
    // sparse flag says its gradient will be sparse.
    const params: Parameter[] = [];
    const names: string[] = [];
    const expectSparse: boolean[] = [];
    const seen = new Set<Parameter>();
    for (const [moduleName, m] of module.named_modules()) {
      for (const [name, p] of m.named_parameters('', false)) {
        if (!p.requires_grad || seen.has(p)) continue;
        seen.add(p);
        params.push(p);
        names.push(moduleName ? `${moduleName}.${name}` : name);
        expectSparse.push((m instanceof Embedding || m instanceof EmbeddingBag) && m.sparse === true);
      }
    }
    const buffers = module.buffers();
    // What the sync at wrapping broadcasts (Python's _sync_module_states):
    // 1.13 every parameter and buffer; 2.x the buffers only where they are synced.
    const states: Tensor[] = [...module.named_parameters().map(([, p]) => p), ...(initSyncBuffers ? buffers : [])];

    // The first buckets (Python's _ddp_init_helper): one bucket for all
    // until the first backward shows the order gradients come in (then the
    // Reducer rebuilds them), unless find_unused_parameters is set, when
    // they are sized from the start: a first small bucket, then bucket_cap_mb
    // each (libtorch 2.x: bucket_cap_mb alone where it was given). A
    // per-bucket list (2.14) sizes them from the start, and their rebuild.
    const limits =
      perBucketCaps.length > 0
        ? perBucketCaps
        : staticGraph || !findUnused
          ? [ONE_BUCKET]
          : !libtorchAtLeast(2) || capDefault
            ? [DEFAULT_FIRST_BUCKET_BYTES, bucketBytesCap]
            : [bucketBytesCap];
    const firstBucketBytes = !libtorchAtLeast(2) || capDefault ? DEFAULT_FIRST_BUCKET_BYTES : bucketBytesCap;
    const gradientAsBucketView = checkBool('gradient_as_bucket_view', o.gradient_as_bucket_view, false);
    const skipUnused = checkBool('skip_all_reduce_unused_params', o.skip_all_reduce_unused_params, false);
    const batchedGradCopy = checkBool('batched_grad_copy', o.batched_grad_copy, false);
    // Its collectives run on the group's worker: counted as the group's own are.
    group._collectivesInFlight++;
    const made = native.ddpNew(
      group._handle,
      params,
      expectSparse,
      limits,
      bucketBytesCap,
      findUnused,
      gradientAsBucketView,
      names,
      firstBucketBytes,
      states,
      buffers,
      BROADCAST_BUCKET_SIZE,
      module._get_name(),
      forwardSyncBuffers,
      staticGraph,
      initSync,
      skipUnused,
      perBucketCaps,
      batchedGradCopy,
    );
    let reducer: object;
    try {
      reducer = await made;
    } finally {
      group._collectivesInFlight--;
    }
    const ddp = new DistributedDataParallel<M>(module, group, reducer, params, {
      dim,
      forward_sync_buffers: forwardSyncBuffers,
      find_unused_parameters: findUnused,
      gradient_as_bucket_view: gradientAsBucketView,
      bucket_bytes_cap: bucketBytesCap,
      bucket_bytes_cap_list: perBucketCaps,
      skip_all_reduce_unused_params: skipUnused,
      batched_grad_copy: batchedGradCopy,
    });
    if (staticGraph) ddp._set_static_graph();
    return ddp;
  }

  private constructor(
    module: M,
    group: ProcessGroup,
    reducer: object,
    params: Parameter[],
    settings: {
      dim: number;
      forward_sync_buffers: boolean;
      find_unused_parameters: boolean;
      gradient_as_bucket_view: boolean;
      bucket_bytes_cap: number;
      bucket_bytes_cap_list: number[];
      skip_all_reduce_unused_params: boolean;
      batched_grad_copy: boolean;
    },
  ) {
    super();
    (this as { module: M }).module = module;
    this.process_group = group;
    this.reducer = reducer;
    this.parameters_for_reducer = params;
    this.dim = settings.dim;
    this.forward_sync_buffers = settings.forward_sync_buffers;
    this.find_unused_parameters = settings.find_unused_parameters;
    this.gradient_as_bucket_view = settings.gradient_as_bucket_view;
    this.bucket_bytes_cap = settings.bucket_bytes_cap;
    this.bucket_bytes_cap_list = settings.bucket_bytes_cap_list;
    this.skip_all_reduce_unused_params = settings.skip_all_reduce_unused_params;
    this.batched_grad_copy = settings.batched_grad_copy;
    this.hasBuffers = module.buffers().length > 0;
    const self = this;
    this.prepared = {
      reducerHandle: reducer,
      groupHandle: group._handle,
      get workerBusy() {
        return group._workerBusy;
      },
      checkBackward(where: string) {
        if (native.distGroupInfo(group._handle)[2]) {
          throw new Error(`${where}: the process group of this backward's DistributedDataParallel module was destroyed; make a new group and module`);
        }
      },
      touched() {
        const out: object[] = [];
        for (const p of self.parameters_for_reducer) {
          out.push(p);
          if (p.grad !== null) out.push(p.grad);
        }
        return out;
      },
      backwardStarted(settled: Promise<unknown>) {
        self.backwardsInFlight++;
        group._backwardsInFlight++;
        const done = () => {
          self.backwardsInFlight--;
          group._backwardsInFlight--;
        };
        settled.then(done, done);
      },
      explain(where: string, e: Error) {
        if (!_isPeerFailure(e.message) || e.message.endsWith(PEER_FAILURE_HINT)) return e;
        return new Error(`${WHERE} ${where}: ${e.message}${PEER_FAILURE_HINT}`);
      },
    };
  }

  /** Whether rank 0's buffers are broadcast before each forward (the same flag as forward_sync_buffers). */
  get broadcast_buffers(): boolean {
    return this.forward_sync_buffers;
  }

  set broadcast_buffers(value: boolean) {
    this.forward_sync_buffers = value;
  }

  /**
   * Runs the wrapped module, as Python's DDP forward: where gradients will be
   * synchronized it readies the Reducer (and rebuilds its buckets once, after
   * the first backward), broadcasts rank 0's buffers first, and after the
   * forward tells the Reducer which outputs backward starts from.
   */
  override forward(...inputs: Parameters<M['forward']>): ReturnType<M['forward']> {
    this.checkUsable('forward()');
    const grad = is_grad_enabled();
    const sync = grad && this.require_backward_grad_sync;
    if (sync) this.num_iterations++;
    const buffers = this.buffersToSync();
    // A checked group runs its collectives on its worker: any still queued there must reach Gloo first.
    try {
      const join = this._join_config;
      native.ddpPreForward(
        this.reducer,
        this.process_group._handle,
        sync,
        grad,
        buffers.length > 0 ? buffers : null,
        BROADCAST_BUCKET_SIZE,
        this.process_group._workerBusy,
        join.enable ? [join.is_first_joinable, this._divide_by_initial_world_size, join.throw_on_early_termination, this.require_backward_grad_sync] : null,
      );
    } catch (e) {
      throw e instanceof Error ? this.prepared.explain('forward()', e) : e;
    }
    let output = this.module(...inputs);
    if (sync) {
      this.require_forward_param_sync = true;
      native.ddpPrepareForBackward(this.reducer, this.find_unused_parameters && !this.static_graph ? findTensors(output) : []);
      prepareReducer(this.prepared);
    } else {
      this.require_forward_param_sync = false;
    }
    // Python's _DDPSink, for unused-parameter detection and a static
    // graph's first iteration: every output that has a graph passes through
    // one node, so that backward reaches all of them.
    if ((this.find_unused_parameters && !this.static_graph) || (this.static_graph && this.num_iterations === 1)) {
      const tensors = findTensors(output).filter((t) => t.grad_fn !== null);
      if (tensors.length > 0) {
        const through = native.ddpSink(this.reducer, tensors, this.static_graph && this.num_iterations === 1) as Tensor[];
        output = replaceTensors(output, new Map(tensors.map((t, i) => [t, through[i]]))) as ReturnType<M['forward']>;
      }
    }
    return output;
  }

  /**
   * Runs `fn` without gradient synchronization, as Python's `with ddp.no_sync():`:
   * backward only accumulates each rank's own gradients, which the first
   * synchronized backward after it all-reduces with the new ones.
   */
  no_sync<T>(fn: () => T): T {
    const before = this.require_backward_grad_sync;
    this.require_backward_grad_sync = false;
    try {
      const result = fn();
      if (result instanceof Promise) {
        return result.finally(() => {
          this.require_backward_grad_sync = before;
        }) as T;
      }
      this.require_backward_grad_sync = before;
      return result;
    } catch (e) {
      this.require_backward_grad_sync = before;
      throw e;
    }
  }

  /**
   * Python's `register_comm_hook(state, hook)`: how the Reducer reduces each
   * bucket, once ready, instead of averaging it by all-reduce. The Reducer
   * runs the hook during backward on threads where no JavaScript runs, so
   * the hooks are Python's default ones, run natively, op for op:
   * `torch.distributed.algorithms.ddp_comm_hooks.default_hooks`'s
   * allreduce_hook and fp16_compress_hook (bf16_compress_hook with a CUDA
   * build, as in Python). state is their process group: null for the
   * default (WORLD) group, as in Python. Once per module, before training.
   */
  register_comm_hook(state: ProcessGroup | null, hook: CommHook): void {
    const where = `${WHERE}.register_comm_hook()`;
    this.checkUsable('register_comm_hook()');
    if (typeof hook !== 'function') throw new TypeError('Communication hook must be callable.');
    const code = hook[NATIVE_HOOK];
    if (code === undefined) {
      throw new TypeError(
        `${where}: ${hook.name ? `the hook ${hook.name}` : 'this hook'} is written in JavaScript, and the Reducer runs hooks on backward's threads, where JavaScript cannot run; ` +
          'torchts runs the hooks of torch.distributed.algorithms.ddp_comm_hooks.default_hooks: allreduce_hook, fp16_compress_hook and bf16_compress_hook',
      );
    }
    if (hook === bf16_compress_hook && !native.cudaState()[0]) {
      throw new TypeError(
        libtorchAtLeast(2, 14)
          ? 'BF16 all reduce communication hook required CUDA 11+ and NCCL 2.10+ or XPU and XCCL'
          : 'BF16 all reduce communication hook required CUDA 11+ and NCCL 2.10+.',
      );
    }
    if (state != null && !(state instanceof ProcessGroup)) {
      throw new TypeError(`${where}: state must be the ProcessGroup the default hooks reduce over, or null for the default group, not ${describeValue(state)}`);
    }
    const group = state ?? _get_default_group(where);
    native.ddpRegisterCommHook(this.reducer, code, group._handle, hook.name);
  }

  /** Python's `_register_builtin_comm_hook(comm_hook_type)`: one of c10d's C++ hooks, over the module's group. */
  _register_builtin_comm_hook(comm_hook_type: BuiltinCommHookType): void {
    this.checkUsable('_register_builtin_comm_hook()');
    if (!(comm_hook_type instanceof BuiltinCommHookType)) {
      throw new TypeError(`${WHERE}._register_builtin_comm_hook(): comm_hook_type must be a torch.distributed.BuiltinCommHookType, not ${describeValue(comm_hook_type)}`);
    }
    native.ddpRegisterCommHook(this.reducer, comm_hook_type._code, this.process_group._handle, String(comm_hook_type));
  }

  /**
   * Python's `with ddp.join(...):` for uneven inputs: `ddp.join(body)` or
   * `ddp.join(options, body)` runs body (awaited if it returns a promise),
   * then, where it succeeded, keeps this rank shadowing the collectives of
   * the ranks still training until every rank has run out; then every rank
   * takes the weights (and buffers, where they are synchronized) of the
   * last rank to finish. Without body, the Join itself (see its run()).
   * divide_by_initial_world_size (default true): gradients are averaged
   * over the initial world size, joined ranks counting as zero gradients;
   * false: over the ranks still training. Every rank must call it, with the
   * same options; inside it, every forward makes a few extra collectives.
   */
  join<T>(body: () => T): T;
  join<T>(options: DistributedDataParallelJoinOptions, body: () => T): T;
  join(options?: DistributedDataParallelJoinOptions): Join;
  join(...args: unknown[]): unknown {
    const body = typeof args[args.length - 1] === 'function' ? (args.pop() as () => unknown) : undefined;
    if (args.length > 1) throw new TypeError(`${WHERE}.join() takes (options?, body?), got ${args.length + (body ? 1 : 0)} arguments`);
    const options = (args[0] ?? {}) as DistributedDataParallelJoinOptions;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError(`${WHERE}.join(): options must be an object, not ${describeValue(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (!['divide_by_initial_world_size', 'enable', 'throw_on_early_termination'].includes(key)) {
        throw new TypeError(`${WHERE}.join() got an unexpected keyword argument '${key}'`);
      }
    }
    const { divide_by_initial_world_size = true, enable = true, throw_on_early_termination = false } = options;
    const join = new Join([this], { enable, throw_on_early_termination, divide_by_initial_world_size });
    return body === undefined ? join : join.run(body);
  }

  /** Python's join_hook(divide_by_initial_world_size=True): what this module does once its rank has joined. */
  join_hook(kwargs: Record<string, unknown> = {}): JoinHook {
    for (const key of Object.keys(kwargs)) {
      if (key !== 'divide_by_initial_world_size') {
        throw new TypeError(`Join() got an unexpected keyword argument '${key}' (DistributedDataParallel's join hook takes divide_by_initial_world_size)`);
      }
    }
    const divide = checkBool('divide_by_initial_world_size', kwargs.divide_by_initial_world_size, true);
    this.checkUsable('join()');
    native.ddpSetUnevenInputJoin(this.reducer);
    this._divide_by_initial_world_size = divide;
    const group = this.process_group;
    return {
      main_hook: () => {
        this.checkUsable('join()');
        const buffers = this.buffersToSync();
        this.require_forward_param_sync = native.ddpJoinMainHook(
          this.reducer,
          group._handle,
          buffers.length > 0 ? buffers : null,
          BROADCAST_BUCKET_SIZE,
          this.find_unused_parameters,
          group._workerBusy,
        );
      },
      post_hook: (is_last_joiner: boolean) => {
        this.checkUsable('join()');
        // Python's _sync_final_model: every parameter, and the buffers (2.x: where they are synchronized).
        const syncBuffers = !libtorchAtLeast(2) || this.forward_sync_buffers;
        const states = [...this.module.named_parameters().map(([, p]) => p), ...(syncBuffers ? this.module.buffers() : [])];
        native.ddpJoinFinal(group._handle, is_last_joiner, states, BROADCAST_BUCKET_SIZE, group._workerBusy);
      },
    };
  }

  /** Python's join_process_group: the group Join counts the ranks of. */
  get join_process_group(): ProcessGroup {
    return this.process_group;
  }

  /** @internal whether the group's worker has collectives queued. */
  get _joinWorkerBusy(): boolean {
    return this.process_group._workerBusy;
  }

  /** Python's _set_static_graph: the Reducer assumes the same graph every iteration. */
  _set_static_graph(): void {
    if (this.static_graph) {
      process.emitWarning("You've set static_graph to be True, no need to set it again.", 'UserWarning');
      return;
    }
    this.static_graph = true;
    native.ddpSetStaticGraph(this.reducer);
    if (this.find_unused_parameters) {
      process.emitWarning(
        'You passed find_unused_parameters=true to DistributedDataParallel, `_set_static_graph` will detect unused parameters automatically, ' +
          'so you do not need to set find_unused_parameters=true, just be sure these unused parameters will not change during training loop ' +
          'while calling `_set_static_graph`.',
        'UserWarning',
      );
    }
  }

  /**
   * The Reducer's buckets, each a list of indices into the parameters it
   * reduces (the module's parameters that require grad, in module order),
   * in the order they are all-reduced.
   */
  _bucket_indices(): number[][] {
    return native.ddpBuckets(this.reducer);
  }

  /** Python's will_sync_module_buffers(): the buffers to broadcast before this forward (or its joined shadow), else none. */
  private buffersToSync(): Tensor[] {
    return this.hasBuffers && this.require_forward_param_sync && this.forward_sync_buffers ? this.module.buffers() : [];
  }

  private checkUsable(where: string): void {
    if (this.backwardsInFlight > 0) {
      throw new Error(`${WHERE}.${where}: a backward_async of this module is in flight; await it first`);
    }
    if (native.distGroupInfo(this.process_group._handle)[2]) {
      throw new Error(`${WHERE}.${where}: its process group was destroyed (destroy_process_group); make a new group and wrap the module again`);
    }
  }
}
