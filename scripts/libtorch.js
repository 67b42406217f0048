#!/usr/bin/env node
'use strict';
// Finds the libtorch that both builds (node-gyp and cmake-js) compile against.
// Order, as tch-rs does it: LIBTORCH, a Python torch, then the system.
// Everything the builds need (include and library folders, the C++ ABI, the
// version) is read off the libtorch found, never guessed.

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const HOW_TO_GET_ONE = [
  'torchts could not find libtorch. Get one of these three ways:',
  '  1. Debian/Ubuntu: sudo apt-get install libtorch-dev libgloo-dev libopenblas0-openmp',
  '  2. A Python torch: pip install torch (found through torch.utils.cmake_prefix_path;',
  '     set PYTHON to choose the interpreter)',
  '  3. An unpacked libtorch from pytorch.org: export LIBTORCH=/path/to/libtorch',
].join('\n');

function fromPrefix(prefix, source) {
  // An unpacked libtorch and a pip wheel's torch/ folder share this layout.
  const include = path.join(prefix, 'include');
  const lib = path.join(prefix, 'lib');
  const config = path.join(prefix, 'share', 'cmake', 'Torch', 'TorchConfig.cmake');
  if (!fs.existsSync(path.join(include, 'ATen', 'ATen.h'))) return null;
  return {
    source,
    prefix,
    cmakeDir: path.dirname(config),
    config: fs.existsSync(config) ? config : null,
    includeDirs: [include, path.join(include, 'torch', 'csrc', 'api', 'include')],
    libDir: lib,
  };
}

function fromLibtorchEnv() {
  const dir = process.env.LIBTORCH;
  if (!dir) return null;
  const found = fromPrefix(path.resolve(dir), 'LIBTORCH');
  if (!found) {
    throw new Error(`LIBTORCH=${dir} is not an unpacked libtorch (no include/ATen/ATen.h there).\n\n${HOW_TO_GET_ONE}`);
  }
  return found;
}

function fromPython() {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3', 'python'];
  for (const python of candidates) {
    let cmakePrefix;
    try {
      cmakePrefix = execFileSync(python, ['-c', 'import torch.utils; print(torch.utils.cmake_prefix_path)'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      continue;
    }
    // cmake_prefix_path is <torch>/share/cmake. Debian's python3-torch has
    // no CMake folder and relies on the system libtorch: in Debian 12 the
    // prefix has no headers either, in Debian 13 include/ and lib/ are
    // symlinks into the system's. Such a prefix is not a libtorch to build
    // against (cmake-js needs the config, and the run path would point into
    // python3-torch's folder), so only one with TorchConfig.cmake counts.
    const found = fromPrefix(path.resolve(cmakePrefix, '..', '..'), `Python torch (${python})`);
    if (found && found.config) return found;
  }
  return null;
}

function fromSystem() {
  const roots = ['/usr/lib', '/usr/local/lib', '/usr/lib64'];
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    const dirs = [root, ...fs.readdirSync(root).map((d) => path.join(root, d))];
    for (const dir of dirs) {
      const config = path.join(dir, 'cmake', 'Torch', 'TorchConfig.cmake');
      if (!fs.existsSync(config)) continue;
      // Debian installs TorchConfig.cmake under /usr/lib/<triplet>/cmake/Torch
      // with headers in /usr/include and libraries beside the cmake folder.
      const prefix = path.resolve(path.dirname(config), '..', '..', '..', '..');
      const include = path.join(prefix, 'include');
      if (!fs.existsSync(path.join(include, 'ATen', 'ATen.h'))) continue;
      return {
        source: 'system',
        prefix,
        cmakeDir: path.dirname(config),
        config,
        includeDirs: [include, path.join(include, 'torch', 'csrc', 'api', 'include')],
        libDir: dir,
      };
    }
  }
  return null;
}

function readVersion(found) {
  // torch/version.h defines the version up to 2.6; by 2.14 it only includes
  // torch/headeronly/version.h, which does.
  const headers = [
    path.join(found.includeDirs[1], 'torch', 'version.h'),
    ...found.includeDirs.map((dir) => path.join(dir, 'torch', 'headeronly', 'version.h')),
  ];
  for (const header of headers) {
    const text = fs.existsSync(header) ? fs.readFileSync(header, 'utf8') : '';
    const part = (name) => (text.match(new RegExp(`#define TORCH_VERSION_${name} (\\d+)`)) || [])[1];
    const [major, minor, patch] = [part('MAJOR'), part('MINOR'), part('PATCH')];
    if (major) return `${major}.${minor}.${patch}`;
  }
  return 'unknown';
}

function readCxx11Abi(found) {
  // TorchConfig.cmake states the ABI libtorch was built with; where it is
  // missing, the mangled names in libc10 tell (std::__cxx11 appears only in
  // the new ABI).
  if (found.config) {
    const m = fs.readFileSync(found.config, 'utf8').match(/_GLIBCXX_USE_CXX11_ABI=([01])/);
    if (m) return m[1];
  }
  const c10 = ['libc10.so', 'libc10.dylib'].map((f) => path.join(found.libDir, f)).find((f) => fs.existsSync(f));
  if (c10) return fs.readFileSync(c10).includes('St7__cxx11') ? '1' : '0';
  return '1';
}

function hasCuda(found) {
  return fs.existsSync(path.join(found.libDir, 'libtorch_cuda.so')) || fs.existsSync(path.join(found.libDir, 'libc10_cuda.so'));
}

// The folders that hold the CUDA runtime's headers (cuda_runtime_api.h and
// its kin), which libtorch's c10/cuda headers include: CUDA_HOME or
// CUDA_PATH, /usr/local/cuda, the system's (Debian's nvidia-cuda-dev), or
// the nvidia packages a pip torch depends on (one folder each). Empty for a
// libtorch without CUDA: the build then leaves out what needs them.
function cudaIncludeDirs(found) {
  if (!found.cuda) return [];
  const runtimeHeader = (dir) => fs.existsSync(path.join(dir, 'cuda_runtime_api.h'));
  const homes = [process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda', '/usr'].filter(Boolean);
  for (const home of homes) {
    const include = path.join(home, 'include');
    if (runtimeHeader(include)) return [include];
  }
  // A pip wheel's torch/ sits beside nvidia/<component>/include.
  const nvidia = path.resolve(found.prefix, '..', 'nvidia');
  if (fs.existsSync(nvidia)) {
    const dirs = fs.readdirSync(nvidia).map((d) => path.join(nvidia, d, 'include')).filter((d) => fs.existsSync(d));
    if (dirs.some(runtimeHeader)) return dirs;
  }
  return [];
}

// The folder that holds gloo's headers (gloo/context.h), which libtorch's
// c10d headers include but libtorch-dev does not ship (Debian's libgloo-dev
// does): libtorch's own include folders first, then the system's. Empty
// where libtorch has no c10d Gloo group or the headers are missing, or where
// TORCHTS_NO_DISTRIBUTED=1 asks for a build without it (for a libtorch whose
// c10d headers this source does not build against): the build then leaves
// torch.distributed out, and it says why when used.
function glooIncludeDirs(found) {
  if (process.env.TORCHTS_NO_DISTRIBUTED === '1') return [];
  const hasGlooGroup = found.includeDirs.some((dir) => fs.existsSync(path.join(dir, 'torch/csrc/distributed/c10d/ProcessGroupGloo.hpp')));
  if (!hasGlooGroup) return [];
  const dir = [...found.includeDirs, '/usr/include', '/usr/local/include'].find((d) => fs.existsSync(path.join(d, 'gloo', 'context.h')));
  return dir ? [dir] : [];
}

// The C++ standard libtorch's headers demand (ATen/ATen.h refuses older
// ones: 1.13 wants C++14, 2.6 C++17, 2.14 C++20), at least 17: what the
// build must pass where the compiler's or Node's default is older (Node 22's
// node-gyp compiles C++17, which 2.14's headers refuse).
function cxxStandard(found) {
  let needed = 17;
  for (const dir of found.includeDirs) {
    const header = path.join(dir, 'ATen', 'ATen.h');
    if (!fs.existsSync(header)) continue;
    const m = /__cplusplus\s*<\s*(\d{4})(\d{2})L/.exec(fs.readFileSync(header, 'utf8'));
    if (m) needed = Math.max(needed, { 2011: 11, 2014: 14, 2017: 17, 2020: 20, 2023: 23 }[m[1]] ?? 17);
  }
  return needed;
}

function findLibtorch() {
  const found = fromLibtorchEnv() || fromPython() || fromSystem();
  if (!found) throw new Error(HOW_TO_GET_ONE);
  const withCuda = { ...found, version: readVersion(found), cxx11Abi: readCxx11Abi(found), cuda: hasCuda(found) };
  return { ...withCuda, cudaIncludeDirs: cudaIncludeDirs(withCuda), glooIncludeDirs: glooIncludeDirs(withCuda), cxxStandard: cxxStandard(withCuda) };
}

module.exports = { findLibtorch, HOW_TO_GET_ONE };

if (require.main === module) {
  let found;
  try {
    found = findLibtorch();
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const what = process.argv[2] || '--json';
  const answers = {
    '--include': () => found.includeDirs.join(' '),
    '--libdir': () => found.libDir,
    '--cmake-dir': () => found.cmakeDir,
    '--abi': () => found.cxx11Abi,
    '--cuda-include': () => found.cudaIncludeDirs.join(' '),
    '--gloo-include': () => found.glooIncludeDirs.join(' '),
    '--cxx-std': () => String(found.cxxStandard),
    // For binding.gyp: the flag where libtorch needs more than C++17 (Node's own default there).
    '--cxx-std-flag': () => (found.cxxStandard > 17 ? `-std=gnu++${found.cxxStandard}` : ''),
    '--version': () => found.version,
    '--json': () => JSON.stringify(found, null, 2),
  };
  if (!answers[what]) {
    process.stderr.write(`usage: libtorch.js [${Object.keys(answers).join('|')}]\n`);
    process.exit(2);
  }
  process.stdout.write(`${answers[what]()}\n`);
}
