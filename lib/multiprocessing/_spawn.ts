// Starting a worker thread on one of torchts's own entry files, from the
// compiled build or from the TypeScript sources alike.
import * as path from 'node:path';
import { Worker, type TransferListItem } from 'node:worker_threads';

/**
 * A worker thread running `entry` (a path without its extension, beside the
 * calling file: the extension is the caller's own, .js or .ts). Run from the
 * TypeScript sources (tests, tsx), the entry is a .ts file, which a worker
 * loads through tsx's hooks, registered in the worker itself: Node gives
 * workers the parent's --import flags but not the hooks they installed (and
 * tsx's ESM hooks cannot be registered from an eval'd worker: modules are
 * required there). `prelude` is plain JS run before that, in the sources'
 * case only (the compiled entry does the same itself).
 */
export function startWorker(callerFile: string, entry: string, workerData: unknown, transferList: TransferListItem[], prelude = ''): Worker {
  const ext = path.extname(callerFile);
  const file = path.join(path.dirname(callerFile), `${entry}${ext}`);
  if (ext !== '.ts') return new Worker(file, { workerData, transferList });
  const source = `${prelude} require('tsx/cjs'); require(${JSON.stringify(file)});`;
  return new Worker(source, { eval: true, workerData, transferList });
}
