// What bench/distributed.ts and bench/ddp.ts share: a port for a job's store,
// and a rank's output once it has exited.
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A rank's stdout once it exits with 0; else an error naming it, with the end of its stderr. */
export function output(child: ChildProcess, label: string): Promise<string> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return new Promise<string>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${label} failed (exit ${code}): ${err.slice(-2000)}`)))),
  );
}
