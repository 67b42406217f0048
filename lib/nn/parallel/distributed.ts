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
import { PEER_FAILURE_HINT, ProcessGroup, _get_default_group, _isPeerFailure } from '../../distributed/distributed_c10d';
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
  /** Broadcast rank 0's buffers (BatchNorm's running statistics, say) before each forward. Default true. */
  broadcast_buffers?: boolean;
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
}

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
];

// Python's torch.distributed._DEFAULT_FIRST_BUCKET_BYTES (1 MiB): a first
// small bucket, so that the last layers' gradients go out early.
const DEFAULT_FIRST_BUCKET_BYTES = 1024 * 1024;
// Python DDP's broadcast_bucket_size: 250 MiB per broadcast of module states.
const BROADCAST_BUCKET_SIZE = 250 * 1024 * 1024;
// sys.maxsize: one bucket for everything, until the first backward's order is known.
const ONE_BUCKET = Number.MAX_SAFE_INTEGER;

const WHERE = 'DistributedDataParallel';

function checkBool(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${WHERE}(): ${name} must be a boolean, not ${describeValue(v)}`);
  return v;
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
  readonly broadcast_buffers: boolean;
  readonly find_unused_parameters: boolean;
  readonly gradient_as_bucket_view: boolean;
  /** The bucket size cap, in bytes. */
  readonly bucket_bytes_cap: number;
  static_graph = false;
  /** False inside no_sync(): backward then only accumulates local gradients. */
  require_backward_grad_sync = true;
  /** Whether the last forward synchronized (so that the next one broadcasts buffers). */
  require_forward_param_sync = true;
  /** Synchronized forwards so far. */
  num_iterations = 0;
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
    const capDefault = o.bucket_cap_mb === undefined || o.bucket_cap_mb === null;
    const capMb = capDefault ? 25 : o.bucket_cap_mb;
    if (typeof capMb !== 'number' || !(capMb > 0) || !Number.isFinite(capMb)) {
      throw new RangeError(`${WHERE}(): bucket_cap_mb must be a positive number, not ${describeValue(capMb)}`);
    }
    const findUnused = checkBool('find_unused_parameters', o.find_unused_parameters, false);
    const staticGraph = checkBool('static_graph', o.static_graph, false);
    if (o.check_reduction === true) {
      process.emitWarning('The `check_reduction` argument in `DistributedDataParallel` module is deprecated. Please avoid using it.', 'UserWarning');
    }
    const bucketBytesCap = Math.trunc(capMb * 1024 * 1024);

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
    const states: Tensor[] = [...module.named_parameters().map(([, p]) => p), ...buffers];

    // The first buckets (Python's _ddp_init_helper): one bucket for all
    // until the first backward shows the order gradients come in (then the
    // Reducer rebuilds them), unless find_unused_parameters is set, when
    // they are sized from the start: a first small bucket, then bucket_cap_mb
    // each (libtorch 2.x: bucket_cap_mb alone where it was given).
    const limits = staticGraph || !findUnused ? [ONE_BUCKET] : !libtorchAtLeast(2) || capDefault ? [DEFAULT_FIRST_BUCKET_BYTES, bucketBytesCap] : [bucketBytesCap];
    const firstBucketBytes = !libtorchAtLeast(2) || capDefault ? DEFAULT_FIRST_BUCKET_BYTES : bucketBytesCap;
    const broadcastBuffers = checkBool('broadcast_buffers', o.broadcast_buffers, true);
    // Its collectives run on the group's worker: counted as the group's own are.
    group._collectivesInFlight++;
    const made = native.ddpNew(
      group._handle,
      params,
      expectSparse,
      limits,
      bucketBytesCap,
      findUnused,
      checkBool('gradient_as_bucket_view', o.gradient_as_bucket_view, false),
      names,
      firstBucketBytes,
      states,
      buffers,
      BROADCAST_BUCKET_SIZE,
      module._get_name(),
      broadcastBuffers,
      staticGraph,
    );
    let reducer: object;
    try {
      reducer = await made;
    } finally {
      group._collectivesInFlight--;
    }
    const ddp = new DistributedDataParallel<M>(module, group, reducer, params, {
      dim,
      broadcast_buffers: broadcastBuffers,
      find_unused_parameters: findUnused,
      gradient_as_bucket_view: checkBool('gradient_as_bucket_view', o.gradient_as_bucket_view, false),
      bucket_bytes_cap: bucketBytesCap,
    });
    if (staticGraph) ddp._set_static_graph();
    return ddp;
  }

  private constructor(
    module: M,
    group: ProcessGroup,
    reducer: object,
    params: Parameter[],
    settings: { dim: number; broadcast_buffers: boolean; find_unused_parameters: boolean; gradient_as_bucket_view: boolean; bucket_bytes_cap: number },
  ) {
    super();
    (this as { module: M }).module = module;
    this.process_group = group;
    this.reducer = reducer;
    this.parameters_for_reducer = params;
    this.dim = settings.dim;
    this.broadcast_buffers = settings.broadcast_buffers;
    this.find_unused_parameters = settings.find_unused_parameters;
    this.gradient_as_bucket_view = settings.gradient_as_bucket_view;
    this.bucket_bytes_cap = settings.bucket_bytes_cap;
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
    const buffers = this.hasBuffers && this.require_forward_param_sync && this.broadcast_buffers ? this.module.buffers() : [];
    // A checked group runs its collectives on its worker: any still queued there must reach Gloo first.
    try {
      native.ddpPreForward(this.reducer, this.process_group._handle, sync, grad, buffers.length > 0 ? buffers : null, BROADCAST_BUCKET_SIZE, this.process_group._workerBusy);
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

  private checkUsable(where: string): void {
    if (this.backwardsInFlight > 0) {
      throw new Error(`${WHERE}.${where}: a backward_async of this module is in flight; await it first`);
    }
    if (native.distGroupInfo(this.process_group._handle)[2]) {
      throw new Error(`${WHERE}.${where}: its process group was destroyed (destroy_process_group); make a new group and wrap the module again`);
    }
  }
}
