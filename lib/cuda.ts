// torch.cuda: the CUDA devices this libtorch and machine offer, their
// synchronization, seeds and memory, with Python's names and rules.
//
// As in Python, CUDA starts on first use (a CUDA tensor, or a call here that
// needs a device): is_available() and device_count() never start it, and
// where there is no CUDA (a libtorch built without it, or no GPU) every call
// that needs a device throws Python's reason ("Torch not compiled with CUDA
// enabled"; for a CUDA libtorch, CUDA's own: "Found no NVIDIA driver on your
// system...", "No CUDA GPUs are available"). The seeds and the memory figures
// behave as Python's do then: manual_seed* and empty_cache do nothing,
// memory_allocated and its kin are 0.
import { device as Device, type DeviceLike } from './device';
import { Generator } from './generator';
import { native } from './native';
import type { Tensor } from './tensor';

export function is_available(): boolean {
  return native.cudaIsAvailable();
}

export function device_count(): number {
  return native.cudaDeviceCount();
}

/** Whether CUDA has started in this process (a CUDA tensor made, or a call here that needs a device). */
export function is_initialized(): boolean {
  return native.cudaState()[1];
}

/** Starts CUDA now rather than on first use, as torch.cuda.init(). */
export function init(): void {
  start('torch.cuda.init()');
}

function start(where: string): void {
  native.cudaInit(where);
  if (default_generators.length === 0) {
    for (let i = 0; i < device_count(); i++) default_generators.push(generatorFor(i));
  }
}

/**
 * A device argument as Python's torch.cuda._utils._get_device_index reads
 * it: an index, 'cuda:N', or torch.device('cuda', N); null, or a CUDA
 * device without an index, means the current device where `optional`.
 */
function deviceIndex(d: DeviceLike | number | null | undefined, where: string, optional: boolean): number {
  if (typeof d === 'number') {
    if (!Number.isInteger(d)) throw new TypeError(`${where}: argument 'device' must be an integer, a device or a string, got ${d}`);
    return d;
  }
  if (d == null) {
    if (optional) return current_device();
    throw new TypeError(`${where}: Expected a torch.device with a specified index or an integer, but got:${d}`);
  }
  if (typeof d !== 'string' && !(d instanceof Device)) {
    throw new TypeError(`${where}: argument 'device' must be an integer, a device or a string, got ${typeof d}`);
  }
  const parsed = d instanceof Device ? d : new Device(d);
  if (parsed.type !== 'cuda') throw new RangeError(`${where}: Expected a cuda device, but got: ${parsed}`);
  if (parsed.index !== null) return parsed.index;
  if (optional) return current_device();
  throw new TypeError(`${where}: Expected a torch.device with a specified index or an integer, but got:${parsed}`);
}

/** The index of the device CUDA tensors go to by default. */
export function current_device(): number {
  return native.cudaCurrentDevice();
}

/** Makes `device` the current one; a negative index does nothing, as in Python. */
export function set_device(device: DeviceLike | number): void {
  const index = deviceIndex(device, 'torch.cuda.set_device()', false);
  if (index >= 0) {
    start('torch.cuda.set_device()');
    native.cudaSetDevice(index);
  }
}

/** Waits for everything queued on the device (the current one by default) to finish. */
export function synchronize(device: DeviceLike | number | null = null): void {
  start('torch.cuda.synchronize()');
  const index = deviceIndex(device, 'torch.cuda.synchronize()', true);
  // Python's synchronize(-1) switches to no device (torch.cuda.device(-1)) and waits on the current one.
  native.cudaSynchronize(index < 0 ? current_device() : index);
}

/**
 * Each device's default generator, which CUDA random ops draw from when given
 * none. Empty until CUDA starts, as Python's tuple is.
 */
export const default_generators: Generator[] = [];

function generatorFor(index: number): Generator {
  return Object.create(Generator.prototype, {
    _handle: { value: native.cudaDefaultGenerator(index) },
    device: { value: `cuda:${index}` },
  }) as Generator;
}

function generators(where: string, all: boolean): Generator[] {
  if (!is_available()) return [];
  start(where);
  return all ? default_generators : [default_generators[current_device()]];
}

/** Seeds the current device's default generator; without CUDA, nothing (Python queues it for a start that never comes). */
export function manual_seed(seed: number | bigint): void {
  for (const g of generators('torch.cuda.manual_seed()', false)) g.manual_seed(seed);
}

/** Seeds every device's default generator. */
export function manual_seed_all(seed: number | bigint): void {
  for (const g of generators('torch.cuda.manual_seed_all()', true)) g.manual_seed(seed);
}

/** Seeds the current device's default generator with a random seed. */
export function seed(): void {
  for (const g of generators('torch.cuda.seed()', false)) g.seed();
}

/** Seeds every device's default generator with one random seed, as Python's seed_all. */
export function seed_all(): void {
  const all = generators('torch.cuda.seed_all()', true);
  if (all.length === 0) return;
  const drawn = all[0].seed();
  for (const g of all.slice(1)) g.manual_seed(drawn);
}

/** The current device's default generator's seed. */
export function initial_seed(): bigint {
  start('torch.cuda.initial_seed()');
  return default_generators[current_device()].initial_seed();
}

/** The device's (the current one by default) default generator's state, as a uint8 tensor. */
export function get_rng_state(device: DeviceLike | number = 'cuda'): Tensor {
  start('torch.cuda.get_rng_state()');
  const index = deviceIndex(device, 'torch.cuda.get_rng_state()', true);
  return default_generators[index < 0 ? current_device() : index].get_state();
}

/** Every device's default generator's state. Without CUDA, none. */
export function get_rng_state_all(): Tensor[] {
  if (!is_available()) return [];
  start('torch.cuda.get_rng_state_all()');
  return default_generators.map((g) => g.get_state());
}

/**
 * The device's default generator continues from new_state. Without CUDA,
 * nothing (Python queues it for a start that never comes).
 */
export function set_rng_state(new_state: Tensor, device: DeviceLike | number = 'cuda'): void {
  if (!is_available()) return;
  start('torch.cuda.set_rng_state()');
  const index = deviceIndex(device, 'torch.cuda.set_rng_state()', true);
  default_generators[index < 0 ? current_device() : index].set_state(new_state);
}

/** Each device's default generator continues from its state in new_states. */
export function set_rng_state_all(new_states: Iterable<Tensor>): void {
  [...new_states].forEach((state, i) => set_rng_state(state, i));
}

// The caching allocator's figures: [allocated, allocated peak, reserved, reserved peak].
// Without CUDA, 0, as Python's (whose figures are 0 until CUDA starts; here a
// tensor made on the GPU by any path has started it, so asking starts it too).
function memoryFigure(device: DeviceLike | number | null, where: string, which: 0 | 1 | 2 | 3): number {
  if (!is_available()) return 0;
  start(where);
  return native.cudaMemoryStats(deviceIndex(device, where, true))[which];
}

/** Bytes that tensors on the device occupy now, as the caching allocator counts them. */
export function memory_allocated(device: DeviceLike | number | null = null): number {
  return memoryFigure(device, 'torch.cuda.memory_allocated()', 0);
}

/** The most memory_allocated has been since the start or reset_peak_memory_stats. */
export function max_memory_allocated(device: DeviceLike | number | null = null): number {
  return memoryFigure(device, 'torch.cuda.max_memory_allocated()', 1);
}

/** Bytes the caching allocator holds from the driver (allocated or cached). */
export function memory_reserved(device: DeviceLike | number | null = null): number {
  return memoryFigure(device, 'torch.cuda.memory_reserved()', 2);
}

/** The most memory_reserved has been since the start or reset_peak_memory_stats. */
export function max_memory_reserved(device: DeviceLike | number | null = null): number {
  return memoryFigure(device, 'torch.cuda.max_memory_reserved()', 3);
}

/** Starts the peaks (max_memory_allocated, max_memory_reserved) again from now. */
export function reset_peak_memory_stats(device: DeviceLike | number | null = null): void {
  start('torch.cuda.reset_peak_memory_stats()');
  native.cudaResetPeakMemoryStats(deviceIndex(device, 'torch.cuda.reset_peak_memory_stats()', true));
}

/** Gives the cached, unused blocks back to the driver (what other processes and nvidia-smi then see as free). */
export function empty_cache(): void {
  native.cudaEmptyCache();
}

/** [free, total] bytes of the device as the driver counts them. */
export function mem_get_info(device: DeviceLike | number | null = null): [number, number] {
  start('torch.cuda.mem_get_info()');
  return native.cudaMemGetInfo(deviceIndex(device, 'torch.cuda.mem_get_info()', true));
}

/** What Python's torch.cuda.get_device_properties gives. */
export interface CudaDeviceProperties {
  readonly name: string;
  readonly major: number;
  readonly minor: number;
  readonly total_memory: number;
  readonly multi_processor_count: number;
  readonly L2_cache_size: number;
  readonly uuid: string;
}

export function get_device_properties(device: DeviceLike | number | null = null): CudaDeviceProperties {
  start('torch.cuda.get_device_properties()');
  return native.cudaDeviceProperties(deviceIndex(device, 'torch.cuda.get_device_properties()', true));
}

export function get_device_name(device: DeviceLike | number | null = null): string {
  start('torch.cuda.get_device_name()');
  return native.cudaDeviceProperties(deviceIndex(device, 'torch.cuda.get_device_name()', true)).name;
}

/** [major, minor] compute capability. */
export function get_device_capability(device: DeviceLike | number | null = null): [number, number] {
  start('torch.cuda.get_device_capability()');
  const p = native.cudaDeviceProperties(deviceIndex(device, 'torch.cuda.get_device_capability()', true));
  return [p.major, p.minor];
}
