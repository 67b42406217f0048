// How the ranks of a job find each other, as torch.distributed.rendezvous:
// an init_method URL gives the store every rank shares, and this rank's
// number and the world's size.
//
//   env://             MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE (as
//                      torchrun and `torchts run` set them); rank 0 serves
//                      a TCPStore, the others connect to it
//   tcp://host:port    the same, with rank and world_size given
//   file:///path       a FileStore at path
//
// rank and world_size given to init_process_group take the place of the
// URL's query and the environment, as in Python.
import { libtorchAtLeast } from '../_libtorch_version';
import { FileStore, PrefixStore, type Store, TCPStore } from './store';

export interface Rendezvous {
  store: Store;
  rank: number;
  world_size: number;
}

function rendezvousError(kind: string, message: string): Error {
  return new Error(`torch.distributed.init_process_group(): Error initializing torch.distributed using ${kind} rendezvous: ${message}`);
}

function intParam(kind: string, query: URLSearchParams, name: string, given: number, envName: string | null, missing: string): number {
  let text: string | null = given !== -1 ? String(given) : query.get(name);
  if (text === null && envName !== null) {
    text = process.env[envName] || null;
    if (text === null) throw rendezvousError(kind, `environment variable ${envName} expected, but not set`);
  }
  if (text === null) throw rendezvousError(kind, missing);
  const value = Number(text);
  if (!Number.isInteger(value)) throw rendezvousError(kind, `${envName ?? name} must be an integer, got '${text}'`);
  return value;
}

// Python's _create_c10d_store: rank 0 hosts the store (shared by every
// group of this process on that port), the others connect; under
// torchelastic's agent store every rank is a client, under a prefix per
// restart.
async function c10dStore(host: string, port: number, rank: number, worldSize: number, timeout: number, query: URLSearchParams): Promise<Store> {
  // Python 2.4+ serves the store with libuv unless use_libuv=0 in the URL or USE_LIBUV=0.
  const use_libuv = libtorchAtLeast(2, 4) && (query.get('use_libuv') ?? process.env.USE_LIBUV ?? '1') === '1';
  if (!(port >= 0 && port < 2 ** 16)) throw new RangeError(`torch.distributed.init_process_group(): port must have value from 0 to 65535 but was ${port}.`);
  if (process.env.TORCHELASTIC_USE_AGENT_STORE === String(true) || process.env.TORCHELASTIC_USE_AGENT_STORE === 'True') {
    const attempt = process.env.TORCHELASTIC_RESTART_COUNT ?? '0';
    const store = await TCPStore.create(host, port, { world_size: worldSize, is_master: false, timeout, use_libuv });
    return new PrefixStore(`/worker/attempt_${attempt}`, store);
  }
  try {
    return await TCPStore.create(host, port, { world_size: worldSize, is_master: rank === 0, timeout, multi_tenant: true, use_libuv });
  } catch (e) {
    const role = rank === 0 ? `serving the job's store on port ${port}` : `joining the job's store at ${host}:${port}`;
    throw new Error(
      `torch.distributed.init_process_group(): rank ${rank} of ${worldSize} failed ${role} (timeout ${timeout} ms): ${(e as Error).message}` +
        (rank === 0 ? ` (did all ${worldSize} ranks start, and is the port free?)` : ` (is rank 0 started, and is ${host}:${port} its MASTER_ADDR:MASTER_PORT?)`),
    );
  }
}

/** The store, rank and world size that an init_method gives. */
export async function rendezvous(url: string, rank: number, world_size: number, timeout: number): Promise<Rendezvous> {
  if (typeof url !== 'string') throw new TypeError(`torch.distributed.init_process_group(): init_method must be a string such as 'env://', not ${typeof url}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) throw new Error(`torch.distributed.init_process_group(): init_method '${url}' is not a URL: use 'env://', 'tcp://host:port' or 'file:///path'`);
  const parsed = new URL(url);
  const query = parsed.searchParams;
  if (scheme === 'env') {
    const r = intParam('env://', query, 'rank', rank, 'RANK', '');
    const w = intParam('env://', query, 'world_size', world_size, 'WORLD_SIZE', '');
    const addr = process.env.MASTER_ADDR;
    if (!addr) throw rendezvousError('env://', 'environment variable MASTER_ADDR expected, but not set');
    const portText = process.env.MASTER_PORT;
    if (!portText) throw rendezvousError('env://', 'environment variable MASTER_PORT expected, but not set');
    const port = Number(portText);
    if (!Number.isInteger(port)) throw rendezvousError('env://', `MASTER_PORT must be an integer, got '${portText}'`);
    checkRank(r, w);
    return { store: await c10dStore(addr, port, r, w, timeout, query), rank: r, world_size: w };
  }
  if (scheme === 'tcp') {
    if (!parsed.port) throw rendezvousError('tcp://', 'port number missing');
    const r = intParam('tcp://', query, 'rank', rank, null, 'rank parameter missing');
    const w = intParam('tcp://', query, 'world_size', world_size, null, 'world size parameter missing');
    checkRank(r, w);
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    return { store: await c10dStore(host, Number(parsed.port), r, w, timeout, query), rank: r, world_size: w };
  }
  if (scheme === 'file') {
    const path = decodeURIComponent(parsed.pathname);
    if (!path) throw rendezvousError('file://', 'path missing');
    const r = intParam('file://', query, 'rank', rank, null, 'rank parameter missing');
    const w = intParam('file://', query, 'world_size', world_size, null, 'world size parameter missing');
    checkRank(r, w);
    return { store: new FileStore(path, w), rank: r, world_size: w };
  }
  throw new Error(`torch.distributed.init_process_group(): No rendezvous handler for ${scheme}://`);
}

function checkRank(rank: number, worldSize: number): void {
  if (worldSize < 1) throw new RangeError(`torch.distributed.init_process_group(): world_size must be at least 1, got ${worldSize}`);
  if (rank < 0 || rank >= worldSize) {
    throw new RangeError(`torch.distributed.init_process_group(): rank ${rank} is out of range for world_size ${worldSize} (ranks 0 to ${worldSize - 1})`);
  }
}
