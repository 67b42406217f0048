// Loaded by ava before any test file (package.json "ava.require"), so that
// OpenBLAS, which reads its kernel choice once when libtorch loads, runs the
// kernels the golden fixtures were made with (scripts/blas_kernel.js says why).
const { fixtureBlasEnv } = require('../scripts/blas_kernel.js');

Object.assign(process.env, fixtureBlasEnv());
