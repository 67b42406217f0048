// An object of the program's (a model, or a trainer holding a model, its
// optimizer and its loss) hosted on a worker thread, its methods called from
// here as Promises: a forward pass or a whole training step runs off the JS
// thread, and the event loop stays free meanwhile.
//
// How others do it. Python's threads share one interpreter and one heap: a
// training loop in a threading.Thread reads and writes the model's tensors
// directly, libtorch releases the GIL inside each op, and ordering the
// threads is the program's to do. onnxruntime-node runs a session on its own
// thread pool behind `await session.run(feeds)`, its inputs copied in.
// TorchScript modules here do the same (ScriptModule.forward_async). A
// module written in TypeScript is JS code, which runs only on a JS thread:
// so the object goes to a worker thread of its own, as a DataLoader's
// dataset goes (reduction.ts: by class reference, its tensors in shared
// memory), and each call goes there as a message.
//
// What is shared and what is not. The object's tensors when it is sent
// (parameters, buffers, an optimizer's state) are shared, not copied: the
// worker's optimizer steps the very memory this thread's model reads, as
// Python's threads share it. Tensors made there later (gradients, new
// optimizer state) stay there. A call's arguments are shared the same way;
// its result comes back in shared memory.
//
// No race. Calls run on the worker one at a time, in the order made. While
// any is in flight, this thread's ops refuse the tensors the worker may
// touch (the object's, and those of the calls' arguments), as they refuse
// a forward_async's; they are this thread's again once the calls settle.
// The worker draws from libtorch's process-wide default generator, as
// Python's threads do: the same seed gives the same dropout masks whichever
// thread runs the step.
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';

import { is_grad_enabled, is_inference_mode_enabled } from '../autograd/grad_mode';
import { native } from '../native';
import type { Tensor } from '../tensor';
import { dumps, loads, type Pickled } from './reduction';
import { startWorker } from './_spawn';
import { reraise, type DescribedError } from './_errors';

/** What a remote's worker is started with. */
export interface RemoteStart {
  readonly port: MessagePort;
  readonly pickled: Pickled;
}

/** A call, as it goes to the worker: the method, its arguments, and the caller's grad and inference modes. */
export interface RemoteCall {
  readonly id: number;
  readonly method: string;
  readonly args: Pickled;
  readonly grad_enabled: boolean;
  readonly inference_mode: boolean;
}

/** What the worker answers: that it is ready, or a call's result or error. */
export type RemoteAnswer =
  | { readonly id: 0; readonly ready: true }
  | { readonly id: number; readonly result: Pickled }
  | { readonly id: number; readonly error: DescribedError };

/** The names of T's methods. */
export type MethodOf<T> = { [K in keyof T]: T[K] extends (...args: any[]) => unknown ? K : never }[keyof T] & string;

type MethodArgs<T, K extends keyof T> = T[K] extends (...args: infer A) => unknown ? A : never;
type MethodResult<T, K extends keyof T> = T[K] extends (...args: any[]) => infer R ? Awaited<R> : never;

interface Pending {
  readonly method: string;
  /** native.markInFlight's number for the tensors this call shares. */
  readonly inFlightMark: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/**
 * An object hosted on a worker thread (see the top of this file): what
 * remote(target) gives. `await r.call('step', x, y)` runs `target.step(x, y)`
 * there; on a module, `r.call('forward', x)` runs `module(x)`, as Python's
 * `module(x)` calls forward.
 */
export class Remote<T extends object> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ended: Error | null = null;

  /** @internal: made by remote(). */
  constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    /** The tensors of the hosted object, shared with the worker. */
    private readonly tensors: Tensor[],
    private readonly what: string,
  ) {
    port.on('message', (a: RemoteAnswer) => this.settle(a));
    worker.on('error', (err) => this.end(new Error(`its worker thread failed: ${err.message}`)));
    worker.on('exit', (code) => this.end(new Error(`its worker thread exited (code ${code})`)));
  }

  /** Calls in flight. */
  get calls_in_flight(): number {
    return this.pending.size;
  }

  /**
   * Runs target[method](...args) on the worker thread, after the calls made
   * before it, under this thread's grad and inference modes at the call. The
   * arguments are sent as the object was (tensors shared); so is the result,
   * back. Until it settles, the object's tensors and the arguments' are
   * refused to this thread's ops.
   */
  call<K extends MethodOf<T>>(method: K, ...args: MethodArgs<T, K>): Promise<MethodResult<T, K>> {
    if (typeof method !== 'string') return Promise.reject(new TypeError(`${this.what}.call(): argument 'method' must be a method's name, a string, got ${typeof method}`));
    if (this.ended !== null) return Promise.reject(new Error(`${this.what}.call('${method}'): ${this.ended.message}; make a new one with torch.multiprocessing.remote()`));
    const tensors = [...this.tensors];
    let pickled: Pickled;
    try {
      pickled = dumps(args, `${this.what}.call('${method}'): the arguments`, (t) => tensors.push(t));
    } catch (err) {
      return Promise.reject(err);
    }
    const id = this.nextId++;
    const message: RemoteCall = { id, method, args: pickled, grad_enabled: is_grad_enabled(), inference_mode: is_inference_mode_enabled() };
    return new Promise<MethodResult<T, K>>((resolve, reject) => {
      this.port.postMessage(message);
      const inFlightMark = native.markInFlight(tensors);
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { method, inFlightMark, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  private take(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (p === undefined) return undefined;
    this.pending.delete(id);
    native.unmarkInFlight(p.inFlightMark);
    // An idle remote does not keep the program running; one with a call in flight does.
    if (this.pending.size === 0) this.worker.unref();
    return p;
  }

  private settle(a: RemoteAnswer): void {
    const p = this.take(a.id);
    if (p === undefined) return;
    if ('error' in a) {
      const { name, message } = a.error;
      p.reject(reraise(a.error, `${this.what}.call('${p.method}') failed on its worker thread: ${name}: ${message}`));
      return;
    }
    if ('result' in a) {
      try {
        p.resolve(loads(a.result));
      } catch (err) {
        p.reject(err as Error);
      }
    }
  }

  /** Rejects what is in flight and refuses what comes: the worker is gone. */
  private end(why: Error): void {
    if (this.ended !== null) return;
    this.ended = why;
    for (const id of [...this.pending.keys()]) {
      const p = this.take(id)!;
      p.reject(new Error(`${this.what}.call('${p.method}'): ${why.message} before it answered`));
    }
    this.port.close();
  }

  /**
   * Ends the worker thread: calls still in flight are rejected; the
   * tensors shared with it stay valid here. Resolves once the thread is gone.
   */
  async close(): Promise<void> {
    this.end(new Error('it was closed'));
    await this.worker.terminate();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * target hosted on a worker thread of its own, its methods called from here
 * with `await r.call(method, ...args)` (see the top of this file). target
 * crosses as a DataLoader's dataset does: its class, and the classes of what
 * it holds, must be torchts's own (modules, optimizers, schedulers) or
 * registered with torch.multiprocessing.register(cls, module); its tensors
 * are shared, not copied. Resolves once the worker has rebuilt it.
 */
export async function remote<T extends object>(target: T): Promise<Remote<T>> {
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
    throw new TypeError(`torch.multiprocessing.remote(): argument 'target' must be an object whose methods to call, got ${target === null ? 'null' : typeof target}`);
  }
  const name = (Object.getPrototypeOf(target)?.constructor?.name as string | undefined) || 'object';
  const what = `remote(${name})`;
  const tensors: Tensor[] = [];
  const pickled = dumps(target, `torch.multiprocessing.remote(): target`, (t) => tensors.push(t));
  const { port1, port2 } = new MessageChannel();
  const start: RemoteStart = { port: port2, pickled };
  const worker = startWorker(__filename, '_remote_worker', start, [port2]);
  // Until it answers, a failure to start (a module that will not import) is the start's error.
  const ready = new Promise<void>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`${what}: its worker thread exited (code ${code}) before it was ready`));
    const onError = (err: Error) => reject(err);
    worker.once('exit', onExit);
    worker.once('error', onError);
    port1.once('message', (a: RemoteAnswer) => {
      worker.off('exit', onExit);
      worker.off('error', onError);
      if ('error' in a) {
        void worker.terminate();
        reject(reraise(a.error, `${what}: the worker thread could not rebuild target: ${a.error.name}: ${a.error.message}`));
      } else {
        resolve();
      }
    });
  });
  await ready;
  worker.unref();
  return new Remote<T>(worker, port1, tensors, what);
}
