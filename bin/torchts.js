#!/usr/bin/env node
// torchts's command line. One command for now:
//
//   torchts run [--nproc-per-node N] [--nnodes N --node-rank I] [--master-addr A]
//               [--master-port P | --standalone] script.(ts|js) [script args...]
//
// Starts N ranks of a torch.distributed job on this machine, in the spirit
// of torchrun: each is `node script` with MASTER_ADDR, MASTER_PORT, RANK,
// LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, GROUP_RANK and NODE_RANK set, so
// that `await dist.init_process_group('gloo')` joins them (env://). With
// several machines, run it on each with the same --nnodes, --master-addr
// and --master-port and its own --node-rank. A TypeScript script runs
// through tsx where it can be found (else Node's own type stripping).
// When a rank fails, the others are stopped and the launcher exits with
// that rank's code; Ctrl-C stops them all.
'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const USAGE =
  'usage: torchts run [--nproc-per-node N] [--nnodes N] [--node-rank I] [--master-addr ADDR] [--master-port PORT | --standalone] script [args...]';

function fail(message) {
  process.stderr.write(`torchts: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv) {
  const options = { nprocPerNode: 1, nnodes: 1, nodeRank: 0, masterAddr: '127.0.0.1', masterPort: 29500, standalone: false };
  const integer = (name, text, least) => {
    const n = Number(text);
    if (text === undefined || !Number.isInteger(n) || n < least) fail(`${name} needs an integer of at least ${least}, got ${text === undefined ? 'nothing' : `'${text}'`}`);
    return n;
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) break;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const name = flag.replace(/_/g, '-');
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (name === '--nproc-per-node') options.nprocPerNode = integer(flag, value(), 1);
    else if (name === '--nnodes') options.nnodes = integer(flag, value(), 1);
    else if (name === '--node-rank') options.nodeRank = integer(flag, value(), 0);
    else if (name === '--master-addr') options.masterAddr = value() || fail(`${flag} needs an address`);
    else if (name === '--master-port') options.masterPort = integer(flag, value(), 0);
    else if (name === '--standalone') options.standalone = true;
    else if (name === '--') {
      i++;
      break;
    } else fail(`unknown option ${flag}`);
  }
  if (i >= argv.length) fail('no script to run');
  if (options.nodeRank >= options.nnodes) fail(`--node-rank ${options.nodeRank} must be less than --nnodes ${options.nnodes}`);
  if (options.masterPort > 65535) fail(`--master-port must be at most 65535, got ${options.masterPort}`);
  if (options.standalone && options.nnodes !== 1) fail('--standalone runs a job on this machine only; leave out --nnodes');
  return { options, script: argv[i], scriptArgs: argv.slice(i + 1) };
}

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// node's arguments for a script: tsx's loader for TypeScript where it resolves.
function nodeArgs(script) {
  if (!/\.[cm]?ts$/.test(script)) return [];
  for (const from of [path.dirname(path.resolve(script)), process.cwd(), __dirname]) {
    try {
      const loader = require.resolve('tsx', { paths: [from] });
      return [`--import=${pathToFileURL(path.join(path.dirname(loader), 'loader.mjs')).href}`];
    } catch {
      // not there; try the next place
    }
  }
  return [];
}

async function run(argv) {
  const { options, script, scriptArgs } = parse(argv);
  const port = options.standalone ? await freePort() : options.masterPort;
  const addr = options.standalone ? '127.0.0.1' : options.masterAddr;
  const worldSize = options.nnodes * options.nprocPerNode;
  const children = [];
  let failed = null;
  const stopAll = (signal) => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
  };
  for (let local = 0; local < options.nprocPerNode; local++) {
    const rank = options.nodeRank * options.nprocPerNode + local;
    const env = {
      ...process.env,
      MASTER_ADDR: addr,
      MASTER_PORT: String(port),
      RANK: String(rank),
      LOCAL_RANK: String(local),
      WORLD_SIZE: String(worldSize),
      LOCAL_WORLD_SIZE: String(options.nprocPerNode),
      GROUP_RANK: String(options.nodeRank),
      NODE_RANK: String(options.nodeRank),
    };
    const child = spawn(process.execPath, [...nodeArgs(script), script, ...scriptArgs], { env, stdio: 'inherit' });
    child.rank = rank;
    children.push(child);
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
  const exits = children.map(
    (child) =>
      new Promise((resolve) =>
        child.on('exit', (code, signal) => {
          if ((code !== 0 || signal) && failed === null) {
            failed = { rank: child.rank, pid: child.pid, code, signal };
            process.stderr.write(
              `torchts run: rank ${child.rank} (pid ${child.pid}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; stopping the other ranks\n`,
            );
            stopAll('SIGTERM');
            setTimeout(() => stopAll('SIGKILL'), 5000).unref();
          }
          resolve();
        }),
      ),
  );
  await Promise.all(exits);
  if (failed) process.exit(failed.code !== null && failed.code !== 0 ? failed.code : 1);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'run') {
  run(rest).catch((e) => {
    process.stderr.write(`torchts run: ${e.stack || e}\n`);
    process.exit(1);
  });
} else if (command === undefined || command === '--help' || command === '-h') {
  process.stdout.write(`${USAGE}\n`);
} else {
  fail(`unknown command '${command}'`);
}
