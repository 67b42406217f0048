// The entry of a DataLoader worker thread. Before anything else of torchts
// loads (torch.default_generator among it), the thread gets a default
// generator of its own, as each of Python's worker processes has; then the
// worker loop (_worker_loop.ts) runs. However the thread ends, even before
// the loop could start, it marks itself ended in the shared signal and wakes
// the loader, which may be blocked in Atomics.wait for its batch.
/* eslint-disable @typescript-eslint/no-require-imports */
import { workerData } from 'node:worker_threads';

const { signal, id } = workerData as { signal: Int32Array; id: number };
process.on('exit', () => {
  Atomics.store(signal, 1 + id, 1);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
const { native } = require('../../native') as typeof import('../../native');
native.useThreadDefaultGenerator();
// The operators that take no generator (rand(size)) draw from it too (_dispatch.ts).
const { default_generator } = require('../../generator') as typeof import('../../generator');
(require('../../_dispatch') as typeof import('../../_dispatch')).useThreadGenerator(default_generator);
require('./_worker_loop');
