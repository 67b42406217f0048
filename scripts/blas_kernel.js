// The OpenBLAS kernel the golden fixtures are made and checked with, for the
// tests and the golden scripts to run on alike.
//
// Debian's OpenBLAS picks its kernels by CPU when it loads, and different
// kernels sum in different orders: the same 300 Adam steps end 6e-5
// apart in Python itself under two kernels on one machine. So the fixtures
// of long training trajectories are kept per kernel family
// (test/fixtures/blas/<kernel>/), and tests and golden scripts ask OpenBLAS
// for a family by name (OPENBLAS_CORETYPE, read once when the library
// loads), over any inherited choice: Haswell, OpenBLAS 0.3.21's AVX2
// kernels (what it picks by itself on AMD's Zen cores before Zen 4), on
// every CPU with AVX2 and FMA; every fixture outside test/fixtures/blas/ was
// made with it too.
// A CPU without them is asked nothing (a kernel it cannot run would die of an
// illegal instruction), and the trajectory tests name the missing fixtures.
//
// OpenBLAS is not the only library that picks kernels by CPU. On a CPU with
// AVX-512, libtorch 2.6's own vectorized ATen kernels and oneDNN's
// convolutions take their AVX-512 paths too, and their last bits differ from
// the AVX2 paths the fixtures were made on: measured on an Intel Xeon with
// AVX-512, Python 2.6 itself gave a ConvTranspose2d weight gradient of
// -0.04462403059005737 where the fixture has -0.04462301731109619 (oneDNN),
// and mobilenet_v2's gradients, the notebook's and the LSTM example's
// trajectories moved with ATen's. So with libtorch 2.x the same family also
// caps ATen (ATEN_CPU_CAPABILITY) and oneDNN (ONEDNN_MAX_CPU_ISA) at AVX2,
// on the test side and the golden side alike. Not with 1.13: its fixtures
// pass on that CPU as they are, and capped, its oneDNN cannot make the
// bfloat16 matmul its linear asks for ("could not create a primitive
// descriptor iterator").
//
//   node scripts/blas_kernel.js CMD [ARGS...]   runs CMD with that kernel
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

// Kernel families with fixtures, each with the CPU flags its kernels execute.
// One: Haswell runs on every CPU with AVX2, those with AVX-512 included, so
// one fixture set serves Intel's AVX-512 cores, AMD's Zen 4 (AVX-512, where
// the SkylakeX kernels OpenBLAS picks there gave other last bits than the
// fixtures of the transformer, the torchvision models and OpInfo) and every
// AVX2 core alike.
const FIXTURE_KERNELS = [['Haswell', ['avx2', 'fma']]];

function cpuFlags() {
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    return new Set(line ? line.split(':')[1].trim().split(/\s+/) : []);
  } catch {
    return new Set();
  }
}

/** The fixtures' kernel family this CPU runs, or null when it runs none of them. */
function fixtureKernel() {
  const flags = cpuFlags();
  const found = FIXTURE_KERNELS.find(([, needed]) => needed.every((f) => flags.has(f)));
  return found ? found[0] : null;
}

// Whether the libtorch found (the one the addon and Python's torch use) is 2.x or newer.
function libtorchAtLeast2() {
  try {
    return Number(require('./libtorch.js').findLibtorch().version.split('.')[0]) >= 2;
  } catch {
    return false;
  }
}

/** The environment to add: empty when the CPU cannot run the fixtures' kernels. */
function fixtureBlasEnv() {
  const kernel = fixtureKernel();
  if (!kernel) return {};
  return libtorchAtLeast2() ? { OPENBLAS_CORETYPE: kernel, ATEN_CPU_CAPABILITY: 'avx2', ONEDNN_MAX_CPU_ISA: 'AVX2' } : { OPENBLAS_CORETYPE: kernel };
}

module.exports = { fixtureKernel, fixtureBlasEnv };

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
