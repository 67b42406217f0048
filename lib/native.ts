// The compiled addon: a local build in build/Release when it was compiled for
// this Node, else the prebuilt binary for this Node that ships in prebuilds/.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

import { loadAddon } from './native_loader';

export interface OpSchemaArgument {
  name: string;
  type: string;
  kwarg_only: boolean;
  has_default: boolean;
}

export interface OpSchema {
  name: string;
  overload: string;
  schema: string;
  arguments: OpSchemaArgument[];
  returns: number;
}

/** The native object behind every Tensor; lib/tensor.ts gives it its methods. */
export type NativeTensor = object;

export interface Addon {
  Tensor: { prototype: object };
  dispose(t: NativeTensor): void;
  isDisposed(t: NativeTensor): boolean;
  isTensor(v: unknown): boolean;
  externalBytes(): number;
  cpuBlockCache(bytes: number): { cachedBytes: number; limitBytes: number; blocksForSize: number };
  shape(t: NativeTensor): number[];
  strides(t: NativeTensor): number[];
  /** The bytes of the storage under t (0 for a tensor without one, sparse or meta). */
  storageNbytes(t: NativeTensor): number;
  storageOffset(t: NativeTensor): number;
  elementSize(t: NativeTensor): number;
  isContiguous(t: NativeTensor): boolean;
  dim(t: NativeTensor): number;
  numel(t: NativeTensor): number;
  dataPtr(t: NativeTensor): number;
  scalarType(t: NativeTensor): number;
  device(t: NativeTensor): string;
  layout(t: NativeTensor): number;
  scopeEnter(): number;
  scopeExit(depth: number, keep: NativeTensor[]): void;
  scopeKeep<T>(t: T): T;
  setYoungCollector(fn: (() => void) | null): void;
  markTensorsWith(mark: (o: object) => void): void;
  /** Marks the storages of tensors as in use by a call on another thread (this thread's ops refuse them) until unmarkInFlight(the number it gives). */
  markInFlight(tensors: readonly object[]): number;
  unmarkInFlight(mark: number): void;
  fromBuffer(data: ArrayBufferView, shape: number[], scalarType: number): any;
  toBuffer(t: NativeTensor): ArrayBuffer;
  shareBuffer(source: ArrayBufferLike | ArrayBufferView, byteOffset: number, shape: number[], scalarType: number, fn: string): any;
  /** Moves a CPU tensor's storage into shared memory (once) and gives that SharedArrayBuffer and where the storage starts in it. */
  /** [buffer, byteOffset, storage bytes, scalar type code, sizes, strides, storage offset, requires_grad, is_leaf]. */
  shareMemory(t: unknown, fn: string): [SharedArrayBuffer, number, number, number, number[], number[], number, boolean, boolean];
  isShared(t: unknown): boolean;
  /** Gives this thread a default CPU generator of its own (a DataLoader worker's). */
  useThreadDefaultGenerator(): void;
  opNames(): string[];
  opFind(name: string, overload: string): number;
  opSchema(handle: number): OpSchema;
  opCall(handle: number, ...args: unknown[]): any;
  requiresGrad(t: NativeTensor): boolean;
  setRequiresGrad(t: NativeTensor, flag: boolean): void;
  isLeaf(t: NativeTensor): boolean;
  grad(t: NativeTensor): any;
  setGrad(t: NativeTensor, g: NativeTensor | null): void;
  gradFn(t: NativeTensor): string | null;
  setData(t: NativeTensor, data: NativeTensor): void;
  variableData(t: NativeTensor): any;
  registerHook(t: NativeTensor): number;
  removeHook(t: NativeTensor, id: number): void;
  takeDeadHooks(): number[];
  setHookDispatcher(fn: (id: number, grad: any) => unknown): void;
  retainGrad(t: NativeTensor): void;
  retainsGrad(t: NativeTensor): boolean;
  backward(
    tensors: NativeTensor[],
    grads: (NativeTensor | null)[],
    retainGraph?: boolean | null,
    createGraph?: boolean,
    inputs?: NativeTensor[] | null,
  ): void;
  autogradGrad(
    outputs: NativeTensor[],
    inputs: NativeTensor[],
    gradOutputs: (NativeTensor | null)[],
    retainGraph?: boolean | null,
    createGraph?: boolean,
    allowUnused?: boolean,
  ): any[];
  isGradEnabled(): boolean;
  setGradEnabled(mode: boolean): void;
  /** Function.apply's graph work once forward ran: [node id (0 without a node), the outputs with their history]. */
  functionApply(
    name: string,
    inputs: NativeTensor[],
    outputs: (NativeTensor | null)[],
    saved: (NativeTensor | null)[],
    dirty: NativeTensor[],
    nonDifferentiable: NativeTensor[],
    materializeGrads: boolean,
  ): [number, any[]];
  functionSavedTensors(id: number): any[];
  takeDeadFunctions(): number[];
  /** fn(id, grads) runs a custom Function's backward; fn(id, gradInputs, gradOutputs) a node post hook. */
  setFunctionDispatcher(fn: (id: number, grads: any[], gradOutputs?: any[]) => unknown): void;
  registerNodeHook(t: NativeTensor): number;
  /** An identity of t.grad_fn (0 for none), and of its next functions' (0 for an unused edge). */
  gradFnKey(t: NativeTensor): number;
  nextFunctionKeys(t: NativeTensor): number[];
  delayedError(message: string, tensors: (NativeTensor | null)[]): any[];
  inferenceMode<T>(enabled: boolean, fn: () => T): T;
  isInferenceModeEnabled(): boolean;
  inferenceModeEnter(enabled: boolean): object;
  inferenceModeExit(guard: object): void;
  setAnomalyEnabled(enabled: boolean, checkNan: boolean): void;
  /** [enabled, check_nan] */
  anomalyState(): [boolean, boolean];
  manualSeed(seed: number | bigint): void;
  initialSeed(): number;
  getNumThreads(): number;
  setNumThreads(n: number): void;
  mkldnnEnabled(): boolean;
  setMkldnnEnabled(enabled: boolean): void;
  mkldnnIsAvailable(): boolean;
  cudaIsAvailable(): boolean;
  // torch.distributed (native/distributed.cc): each Promise settles on this thread.
  distAvailable(): boolean;
  distTcpStore(host: string, port: number, isServer: boolean, worldSize: number | null, waitWorkers: boolean, timeoutMs: number, multiTenant: boolean, useLibUV: boolean): Promise<object>;
  distFileStore(path: string, worldSize: number): object;
  distHashStore(): object;
  distPrefixStore(prefix: string, store: object): object;
  distStorePort(store: object): number;
  distStoreTimeout(store: object, ms: number | null): number;
  distStoreCall(store: object, op: string, ...args: unknown[]): Promise<any>;
  distNewGloo(store: object, rank: number, size: number, timeoutMs: number): Promise<object>;
  distSetSequenceNumber(group: object): Promise<void>;
  /** TORCH_DISTRIBUTED_DEBUG=DETAIL's c10d::ProcessGroupWrapper around the group, its helper group on `store`. */
  distWrapForDebug(group: object, store: object, timeoutMs: number): Promise<void>;
  /** c10d's debug level from TORCH_DISTRIBUTED_DEBUG: 0 OFF, 1 INFO, 2 DETAIL. */
  distDebugLevel(): number;
  distDestroyGroup(group: object): void;
  /** Every rank of the group is a torchts rank: check its collectives (lib/distributed/_checks.ts). */
  distSetChecked(group: object, globalRanks: number[]): void;
  /** [rank, size, destroyed] */
  distGroupInfo(group: object): [number, number, boolean];
  distAllReduce(group: object, tensor: object, op: number, where: string): Promise<void>;
  distBroadcast(group: object, tensor: object, src: number, where: string): Promise<void>;
  distReduce(group: object, tensor: object, dst: number, op: number, where: string): Promise<void>;
  distAllGather(group: object, outputs: object[], tensor: object, where: string): Promise<void>;
  distGather(group: object, outputs: object[] | null, tensor: object, dst: number, where: string): Promise<void>;
  distScatter(group: object, tensor: object, inputs: object[] | null, src: number, where: string): Promise<void>;
  distReduceScatter(group: object, output: object, inputs: object[], op: number, where: string): Promise<void>;
  distBarrier(group: object, where: string): Promise<void>;
  distSend(group: object, tensor: object, dst: number, tag: number, where: string): Promise<void>;
  /** Resolves to the sender's rank in the group. */
  distRecv(group: object, tensor: object, src: number, tag: number, where: string): Promise<number>;
  // nn.parallel.DistributedDataParallel (native/ddp.cc): c10d's Reducer.
  ddpNew(
    group: object, params: object[], expectSparse: boolean[], bucketSizeLimits: number[], bucketBytesCap: number, findUnused: boolean,
    gradientAsBucketView: boolean, paramNames: string[], firstBucketBytesCap: number, moduleStates: object[], buffers: object[], broadcastBucketSize: number,
    moduleName: string, broadcastBuffers: boolean, staticGraph: boolean, initSync: boolean, skipAllReduceUnused: boolean,
    rebuildLimits: number[], batchedGradCopy: boolean,
  ): Promise<object>;
  /** Returns whether the buckets were rebuilt. */
  ddpPreForward(
    reducer: object, group: object, prepare: boolean, rebuild: boolean, buffers: object[] | null, broadcastBucketSize: number, hold: boolean,
    join: [isFirstJoinable: boolean, divideByInitialWorldSize: boolean, throwOnEarlyTermination: boolean, requireBackwardGradSync: boolean] | null,
  ): boolean;
  /** A joined rank's shadow of one iteration; returns whether the others' backward synchronizes. */
  ddpJoinMainHook(reducer: object, group: object, buffers: object[] | null, broadcastBucketSize: number, findUnused: boolean, hold: boolean): boolean;
  /** The sum over the ranks of value (a float32 all-reduce). */
  ddpJoinCount(group: object, value: number, hold: boolean): number;
  /** Every rank takes the states of the last rank to join; returns that rank. */
  ddpJoinFinal(group: object, isLastJoiner: boolean, states: object[], broadcastBucketSize: number, hold: boolean): number;
  ddpSetUnevenInputJoin(reducer: object): void;
  ddpPrepareForBackward(reducer: object, outputs: object[]): void;
  ddpSink(reducer: object, outputs: object[], delayAllReduce: boolean): object[];
  ddpSetStaticGraph(reducer: object): void;
  /** hook: 0 allreduce_hook, 1 fp16_compress_hook, 2 bf16_compress_hook (over group), 3/4 c10d's built-in ALLREDUCE/FP16_COMPRESS. */
  ddpRegisterCommHook(reducer: object, hook: number, group: object, name: string): void;
  /** Each bucket's parameter indices, in reduction order. */
  ddpBuckets(reducer: object): number[][];
  /** Holds a group's worker idle (after what it has queued) until released. */
  ddpHoldWorker(group: object): object;
  ddpReleaseWorker(hold: object): void;
  backwardAsync(
    tensors: object[], grads: (object | null)[], retainGraph: boolean | null, createGraph: boolean, inputs: object[] | null,
    group: object | null, touched: object[], reducers: object[],
  ): Promise<void>;
  cudaDeviceCount(): number;
  /** [libtorch has CUDA, CUDA initialized, this build reads the CUDA runtime (memory figures, properties)]. */
  cudaState(): [boolean, boolean, boolean];
  cudaInit(where: string): void;
  cudaCurrentDevice(): number;
  cudaSetDevice(index: number): void;
  cudaSynchronize(index: number): void;
  cudaDefaultGenerator(index: number): object;
  cudaMemoryStats(index: number): [number, number, number, number];
  cudaResetPeakMemoryStats(index: number): void;
  cudaEmptyCache(): void;
  cudaMemGetInfo(index: number): [number, number];
  cudaDeviceProperties(index: number): {
    name: string; major: number; minor: number; total_memory: number; multi_processor_count: number; L2_cache_size: number; uuid: string;
  };
  generatorNew(device?: string): object;
  generatorDefault(): object;
  generatorManualSeed(handle: object, seed: number | bigint): void;
  generatorInitialSeed(handle: object): bigint;
  generatorSeed(handle: object): bigint;
  generatorDevice(handle: object): string;
  generatorGetState(handle: object): any;
  generatorSetState(handle: object, state: object): void;
  zipReadAll(path: string): [string, ArrayBuffer][];
  zipWrite(path: string, records: [string, Uint8Array][]): void;
  jitLoad(path: string, device?: string | null): object;
  jitSave(handle: object, path: string): void;
  jitRun(handle: object, method: string, args: unknown[]): any;
  jitRunAsync(handle: object, method: string, inputs: unknown[]): Promise<any>;
  jitNamedParameters(handle: object): [string, any][];
  jitNamedBuffers(handle: object): [string, any][];
  jitStateDict(handle: object): [string, any][];
  jitTrain(handle: object, mode?: boolean): boolean;
  jitTo(handle: object, device: string | null, dtype: number | null): boolean;
  libmPow(x: number, y: number): number;
  libmCos(x: number): number;
  buildInfo(): { libtorch: string; cxx11_abi: boolean; config: string; parallel: string };
}

// Copied into a plain object: the addon's exports object gets its sixty
// functions one at a time, which leaves it in V8's dictionary mode, so that
// every `native.x` (each op call's `native.opCall`) was a hash lookup.
export const native: Addon = { ...(loadAddon() as Addon) };

/**
 * A function that runs one young-generation collection, for the addon to
 * call once enough tensor memory waits for one (native/tensor.cc says why).
 * V8 offers this only as the gc() of --expose-gc, so the flag is switched on
 * just long enough for a fresh context to receive that function, and back
 * off: the program's own contexts get no gc() they did not ask for.
 */
export function youngCollector(): (() => void) | null {
  const own = (globalThis as { gc?: unknown }).gc;
  const fromFlag = typeof own === 'function' ? null : v8.setFlagsFromString('--expose-gc');
  try {
    const gc = typeof own === 'function' ? own : vm.runInNewContext('gc');
    if (typeof gc !== 'function') return null;
    const minor = { type: 'minor' };
    return () => gc(minor);
  } catch {
    return null;
  } finally {
    if (fromFlag !== null) v8.setFlagsFromString('--no-expose-gc');
  }
}

native.setYoungCollector(youngCollector());

// A tensor posted to another thread is refused with a DataCloneError on
// every Node: Node 20 refuses objects with internal fields by itself, Node 22
// and later cloned them as {} unless marked (markAsUncloneable is in Node
// 22.10 and later, the supported majors all have it).
const { markAsUncloneable } = require('node:worker_threads') as { markAsUncloneable?: (o: object) => void };
if (markAsUncloneable) native.markTensorsWith(markAsUncloneable);
