// torch.distributed's key-value stores: c10d's own TCPStore, FileStore,
// HashStore and PrefixStore (native/distributed.cc), which the ranks of a
// job, Python's among them, use to find each other.
//
// Python's store calls block (get waits for its key, a TCPStore's master
// waits for its workers); here each returns a Promise and runs on a thread
// of its own, so the event loop goes on meanwhile. Timeouts are in
// milliseconds where Python takes a timedelta.
import { describeValue } from '../_describe';
import { libtorchAtLeast } from '../_libtorch_version';
import { native } from '../native';

/** What store operations take as a value: text (stored as UTF-8) or bytes. */
export type StoreValue = string | Uint8Array;

function checkKey(where: string, key: unknown): string {
  if (typeof key !== 'string') throw new TypeError(`${where}: key must be a string, not ${describeValue(key)}`);
  return key;
}

function checkKeys(where: string, keys: unknown): string[] {
  if (!Array.isArray(keys)) throw new TypeError(`${where}: keys must be an array of strings, not ${describeValue(keys)}`);
  keys.forEach((k) => checkKey(where, k));
  return keys as string[];
}

function checkValue(where: string, value: unknown): StoreValue {
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
    throw new TypeError(`${where}: value must be a string or a Uint8Array (Buffer), not ${describeValue(value)}`);
  }
  return value;
}

/** A timeout in milliseconds, checked. */
export function checkTimeout(where: string, ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new TypeError(`${where}: timeout must be a number of milliseconds (Python's timedelta), not ${describeValue(ms)}`);
  }
  return ms;
}

/** The base of every store, as torch.distributed.Store. */
export class Store {
  /** @internal the native store */
  readonly _handle: object;

  /** @internal */
  constructor(handle: object) {
    this._handle = handle;
  }

  /** Sets key to value (a string is stored as its UTF-8 bytes). */
  set(key: string, value: StoreValue): Promise<void> {
    return native.distStoreCall(this._handle, 'set', checkKey('Store.set()', key), checkValue('Store.set()', value));
  }

  /** The value of key, waiting up to the store's timeout for it to be set. */
  get(key: string): Promise<Buffer> {
    return native.distStoreCall(this._handle, 'get', checkKey('Store.get()', key));
  }

  /** Adds amount to the integer at key (0 when unset) and gives the sum. */
  add(key: string, amount: number): Promise<number> {
    if (!Number.isInteger(amount)) throw new TypeError(`Store.add(): amount must be an integer, not ${describeValue(amount)}`);
    return native.distStoreCall(this._handle, 'add', checkKey('Store.add()', key), amount);
  }

  /** Sets key to desired_value if it holds expected_value (or is unset and expected_value is empty); gives the value now there. */
  compare_set(key: string, expected_value: StoreValue, desired_value: StoreValue): Promise<Buffer> {
    return native.distStoreCall(
      this._handle,
      'compare_set',
      checkKey('Store.compare_set()', key),
      checkValue('Store.compare_set()', expected_value),
      checkValue('Store.compare_set()', desired_value),
    );
  }

  /** Whether every key is set, without waiting. */
  check(keys: string[]): Promise<boolean> {
    return native.distStoreCall(this._handle, 'check', checkKeys('Store.check()', keys));
  }

  /** Waits until every key is set: up to timeout ms when given, else the store's timeout. */
  wait(keys: string[], timeout?: number): Promise<void> {
    const ms = timeout === undefined ? null : checkTimeout('Store.wait()', timeout);
    return native.distStoreCall(this._handle, 'wait', checkKeys('Store.wait()', keys), ms);
  }

  /** Deletes key; whether it was there. */
  delete_key(key: string): Promise<boolean> {
    return native.distStoreCall(this._handle, 'delete_key', checkKey('Store.delete_key()', key));
  }

  /** How many keys the store holds (a TCPStore counts its own bookkeeping keys too, as Python's does). */
  num_keys(): Promise<number> {
    return native.distStoreCall(this._handle, 'num_keys');
  }

  /** Sets the store's timeout for get and wait, in milliseconds. */
  set_timeout(timeout: number): void {
    native.distStoreTimeout(this._handle, checkTimeout('Store.set_timeout()', timeout));
  }

  /** The store's timeout in milliseconds. */
  get timeout(): number {
    return native.distStoreTimeout(this._handle, null);
  }
}

/** Options of TCPStore.create, as Python's TCPStore's keywords. */
export interface TCPStoreOptions {
  world_size?: number | null;
  is_master?: boolean;
  /** Milliseconds (Python: timedelta(seconds=300)). */
  timeout?: number;
  wait_for_workers?: boolean;
  multi_tenant?: boolean;
  /** The libuv server (libtorch 2.2+; Python's default from 2.4). Debian's libtorch 2.6 has none: pass false there, as Python needs too. */
  use_libuv?: boolean;
}

/**
 * A store served over TCP by one process (the master) for all the others.
 *
 * Python's `TCPStore(host_name, port, world_size, is_master, timeout)` blocks
 * until it is connected, and the master until all world_size processes are:
 * here `await TCPStore.create(host_name, port, { world_size, is_master, timeout })`.
 * Port 0 on the master takes a free port; `port` then says which.
 */
export class TCPStore extends Store {
  readonly host: string;
  readonly port: number;

  /** @internal */
  constructor(handle: object, host: string) {
    super(handle);
    this.host = host;
    this.port = native.distStorePort(handle);
  }

  static async create(host_name: string, port: number, options: TCPStoreOptions = {}): Promise<TCPStore> {
    requireDistributed('TCPStore');
    if (typeof host_name !== 'string' || host_name === '') throw new TypeError(`TCPStore(): host_name must be a non-empty string, not ${describeValue(host_name)}`);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`TCPStore(): port must be an integer from 0 to 65535, not ${describeValue(port)}`);
    const o = { world_size: null, is_master: false, timeout: 300_000, wait_for_workers: true, multi_tenant: false, use_libuv: libtorchAtLeast(2, 4), ...options };
    if (o.world_size !== null && (!Number.isInteger(o.world_size) || o.world_size < 1)) {
      throw new RangeError(`TCPStore(): world_size must be a positive integer or null, not ${describeValue(o.world_size)}`);
    }
    const handle = await native.distTcpStore(host_name, port, o.is_master, o.world_size, o.wait_for_workers, checkTimeout('TCPStore()', o.timeout), o.multi_tenant, o.use_libuv);
    return new TCPStore(handle, host_name);
  }
}

/** A store in a file that every process can open (a shared file system, or one machine). */
export class FileStore extends Store {
  readonly path: string;

  /** Python's FileStore(file_name, world_size=-1). */
  constructor(file_name: string, world_size = -1) {
    requireDistributed('FileStore');
    if (typeof file_name !== 'string' || file_name === '') throw new TypeError(`FileStore(): file_name must be a non-empty string, not ${describeValue(file_name)}`);
    if (!Number.isInteger(world_size)) throw new TypeError(`FileStore(): world_size must be an integer, not ${describeValue(world_size)}`);
    super(native.distFileStore(file_name, world_size));
    this.path = file_name;
  }
}

/** A store in this process's memory (for one process's groups, and tests). */
export class HashStore extends Store {
  constructor() {
    requireDistributed('HashStore');
    super(native.distHashStore());
  }
}

/** Every key of another store under `prefix/`, as Python's PrefixStore(prefix, store). */
export class PrefixStore extends Store {
  readonly underlying_store: Store;

  constructor(prefix: string, store: Store) {
    requireDistributed('PrefixStore');
    if (typeof prefix !== 'string') throw new TypeError(`PrefixStore(): prefix must be a string, not ${describeValue(prefix)}`);
    if (!(store instanceof Store)) throw new TypeError(`PrefixStore(): store must be a torch.distributed Store, not ${describeValue(store)}`);
    super(native.distPrefixStore(prefix, store._handle));
    this.underlying_store = store;
  }
}

/** Whether this build of torchts has torch.distributed (libtorch's c10d with Gloo, and gloo's headers at build time). */
export function is_available(): boolean {
  return native.distAvailable();
}

/** Throws, naming `what`, when this build has no torch.distributed. */
export function requireDistributed(what: string): void {
  if (native.distAvailable()) return;
  throw new Error(
    `torch.distributed.${what}: this build of torchts has no torch.distributed: it was built without gloo's headers, which libtorch's ` +
      `c10d headers include (Debian: apt-get install libgloo-dev), or against a libtorch without c10d's Gloo group; ` +
      `install them and rebuild (npm run build)`,
  );
}
