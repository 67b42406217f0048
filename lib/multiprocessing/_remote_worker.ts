// The worker thread of a torch.multiprocessing.remote() object (remote.ts):
// it imports the modules the object's classes live in, rebuilds the object
// over the shared tensors, says it is ready, then runs each call in the
// order they came, one at a time, each under the grad and inference modes
// its caller had. It keeps libtorch's process-wide default generator, as a
// Python thread does (a DataLoader worker takes one of its own instead).
import { workerData } from 'node:worker_threads';

import { InferenceModeGuard, set_grad_enabled } from '../autograd/grad_mode';
import { dumps, importModules, loads } from './reduction';
import { describeError } from './_errors';
import type { RemoteAnswer, RemoteCall, RemoteStart } from './remote';

/** Whether target is an nn.Module, whose forward is called as the module itself (hooks and all). */
function isModule(target: object): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Module } = require('../nn/modules/module') as typeof import('../nn/modules/module');
  return target instanceof Module;
}

/** One call, its modes set around it (kept across its awaits: nothing else runs on this thread meanwhile). */
async function run(target: Record<string, unknown>, call: RemoteCall, forwardIsCall: boolean): Promise<unknown> {
  const fn = target[call.method];
  if (typeof fn !== 'function') {
    const name = (Object.getPrototypeOf(target)?.constructor?.name as string | undefined) || 'object';
    throw new TypeError(`${name} has no method '${call.method}'${fn === undefined ? '' : ` (it is a ${typeof fn})`}`);
  }
  const args = loads(call.args) as unknown[];
  const inference = new InferenceModeGuard(call.inference_mode);
  const grad = set_grad_enabled(call.grad_enabled);
  try {
    const result = call.method === 'forward' && forwardIsCall ? (target as unknown as (...a: unknown[]) => unknown)(...args) : fn.apply(target, args);
    return await result;
  } finally {
    grad.exit();
    inference.exit();
  }
}

async function main(start: RemoteStart): Promise<void> {
  const { port } = start;
  let target: Record<string, unknown>;
  try {
    await importModules(start.pickled.modules);
    target = loads(start.pickled) as Record<string, unknown>;
  } catch (err) {
    port.postMessage({ id: 0, error: describeError(err) } satisfies RemoteAnswer);
    return;
  }
  const forwardIsCall = isModule(target);
  port.postMessage({ id: 0, ready: true } satisfies RemoteAnswer);
  // Each call waits for the one before: the object is this thread's alone, one call at a time.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (call: RemoteCall) => {
    queue = queue.then(async () => {
      let answer: RemoteAnswer;
      try {
        const result = await run(target, call, forwardIsCall);
        answer = { id: call.id, result: dumps(result, `the result of ${call.method}()`) };
      } catch (err) {
        answer = { id: call.id, error: describeError(err) };
      }
      port.postMessage(answer);
    });
  });
}

void main(workerData as RemoteStart);
