// The OpenBLAS kernel the golden fixtures were made with, for the tests and
// the golden scripts to run on alike.
//
// Debian's OpenBLAS picks its kernels by CPU when it loads, and different
// kernels sum in different orders: the same 300 Adam steps end 6e-5
// apart in Python itself under two kernels on one machine. The fixtures were
// made with OpenBLAS 0.3.21's AVX-512 kernels (SkylakeX; on a CPU with
// bfloat16 it calls them Cooperlake, with the same float kernels). An
// environment that picks others (some of ours set OPENBLAS_CORETYPE=Haswell)
// gives other trajectories, in Python as in torchts. So wherever the CPU can
// run the SkylakeX kernels, tests and fixtures ask for them by name
// (OPENBLAS_CORETYPE, read once when the library loads), over any inherited
// choice. On a CPU without AVX-512 they would die of an illegal instruction:
// there nothing is asked, and long training trajectories may differ from
// the fixtures.
//
//   node scripts/blas_kernel.js CMD [ARGS...]   runs CMD with that kernel
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const FIXTURE_KERNEL = 'SkylakeX';
// What OpenBLAS's SkylakeX kernels execute.
const NEEDED_FLAGS = ['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'];

function cpuFlags() {
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    return new Set(line ? line.split(':')[1].trim().split(/\s+/) : []);
  } catch {
    return new Set();
  }
}

/** The environment to add: empty when the CPU cannot run the fixtures' kernels. */
function fixtureBlasEnv() {
  const flags = cpuFlags();
  return NEEDED_FLAGS.every((f) => flags.has(f)) ? { OPENBLAS_CORETYPE: FIXTURE_KERNEL } : {};
}

module.exports = { fixtureBlasEnv };

if (require.main === module) {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    console.error('usage: node scripts/blas_kernel.js CMD [ARGS...]');
    process.exit(2);
  }
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...fixtureBlasEnv() } });
  if (r.error) throw r.error;
  process.exit(r.status ?? 1);
}
