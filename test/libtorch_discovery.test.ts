// scripts/libtorch.js: where libtorch is found, in order (LIBTORCH, a Python
// torch, the system), what is read off it, and the error when none is found.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

const script = path.join(__dirname, '..', 'scripts', 'libtorch.js');
/** A stand-in unpacked libtorch: include/ATen/ATen.h, lib/, and the files given (paths under it, and their text). */
function fakeLibtorch(files: Record<string, string> = {}): string {
  const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'libtorch-'));
  for (const [rel, text] of Object.entries({ 'include/ATen/ATen.h': '', ...files })) {
    fs.mkdirSync(path.dirname(path.join(fake, rel)), { recursive: true });
    fs.writeFileSync(path.join(fake, rel), text);
  }
  fs.mkdirSync(path.join(fake, 'lib'), { recursive: true });
  return fake;
}

const run = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [script, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

test("the system's libtorch is found here, with its version and C++ ABI read off it", (t) => {
  const r = run(['--json'], { LIBTORCH: '' });
  t.is(r.status, 0, r.stderr);
  const found = JSON.parse(r.stdout);
  // The system's, or a Python torch's: python3 or python on PATH, or the one PYTHON names.
  t.regex(found.source, /^(system|Python torch \(.+\))$/);
  t.regex(found.version, /^\d+\.\d+\.\d+$/);
  t.regex(found.cxx11Abi, /^[01]$/);
  t.true(fs.existsSync(path.join(found.includeDirs[0], 'ATen', 'ATen.h')));
});

test('LIBTORCH comes first, and the ABI comes from its TorchConfig.cmake', (t) => {
  const fake = fakeLibtorch({
    'include/torch/csrc/api/include/torch/version.h': '#define TORCH_VERSION_MAJOR 2\n#define TORCH_VERSION_MINOR 4\n#define TORCH_VERSION_PATCH 1\n',
    'share/cmake/Torch/TorchConfig.cmake': 'set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=0")\n',
  });
  const found = JSON.parse(run(['--json'], { LIBTORCH: fake }).stdout);
  t.is(found.source, 'LIBTORCH');
  t.is(found.version, '2.4.1');
  t.is(found.cxx11Abi, '0');
  t.is(found.libDir, path.join(fake, 'lib'));
});

test('the version is read where newer libtorch defines it (2.14: torch/headeronly/version.h)', (t) => {
  // 2.14's torch/version.h only includes torch/headeronly/version.h.
  const fake = fakeLibtorch({
    'include/torch/csrc/api/include/torch/version.h': '#pragma once\n#include <torch/headeronly/version.h>\n',
    'include/torch/headeronly/version.h': '#define TORCH_VERSION_MAJOR 2\n\n#define TORCH_VERSION_MINOR 14\n\n#define TORCH_VERSION_PATCH 1\n',
  });
  t.is(run(['--version'], { LIBTORCH: fake }).stdout.trim(), '2.14.1');
});

test("gloo's headers are found beside a libtorch with c10d's Gloo group, and TORCHTS_NO_DISTRIBUTED=1 leaves them out", (t) => {
  const fake = fakeLibtorch({ 'include/torch/csrc/distributed/c10d/ProcessGroupGloo.hpp': '', 'include/gloo/context.h': '' });
  t.is(run(['--gloo-include'], { LIBTORCH: fake }).stdout.trim(), path.join(fake, 'include'));
  t.is(run(['--gloo-include'], { LIBTORCH: fake, TORCHTS_NO_DISTRIBUTED: '1' }).stdout.trim(), '');
  // Without the Gloo group, no headers are looked for.
  t.is(run(['--gloo-include'], { LIBTORCH: fakeLibtorch({ 'include/gloo/context.h': '' }) }).stdout.trim(), '');
});

test("the C++ standard is what libtorch's ATen.h demands, C++17 at least (2.14's wants C++20, which Node 22's default is not)", (t) => {
  const cxx = (text: string) => fakeLibtorch({ 'include/ATen/ATen.h': text });
  const v214 = cxx('#pragma once\n\n#if !defined(_MSC_VER) && __cplusplus < 202002L\n#error C++20 or later compatible compiler is required to use ATen.\n#endif\n');
  t.is(run(['--cxx-std'], { LIBTORCH: v214 }).stdout.trim(), '20');
  t.is(run(['--cxx-std-flag'], { LIBTORCH: v214 }).stdout.trim(), '-std=gnu++20');
  const v26 = cxx('#if !defined(_MSC_VER) && __cplusplus < 201703L\n#error C++17 or later compatible compiler is required to use ATen.\n#endif\n');
  t.is(run(['--cxx-std'], { LIBTORCH: v26 }).stdout.trim(), '17');
  t.is(run(['--cxx-std-flag'], { LIBTORCH: v26 }).stdout.trim(), '');
  t.is(run(['--cxx-std'], { LIBTORCH: cxx('#if __cplusplus < 201402L\n#endif\n') }).stdout.trim(), '17');
});

test('without a config, the ABI is read from the mangled names in libc10', (t) => {
  const fake = fakeLibtorch({ 'lib/libc10.so': 'ELF ... _ZNSt7__cxx1112basic_string ...' });
  t.is(run(['--abi'], { LIBTORCH: fake }).stdout.trim(), '1');
  fs.writeFileSync(path.join(fake, 'lib', 'libc10.so'), 'ELF ... _ZNSs4_Rep ...');
  t.is(run(['--abi'], { LIBTORCH: fake }).stdout.trim(), '0');
});

test('a LIBTORCH that is not a libtorch fails naming the three ways to get one', (t) => {
  const r = run(['--json'], { LIBTORCH: '/nonexistent/libtorch' });
  t.is(r.status, 1);
  t.regex(r.stderr, /LIBTORCH=\/nonexistent\/libtorch is not an unpacked libtorch/);
  t.regex(r.stderr, /1\. Debian\/Ubuntu: sudo apt-get install libtorch-dev/);
  t.regex(r.stderr, /2\. A Python torch: pip install torch/);
  t.regex(r.stderr, /3\. An unpacked libtorch from pytorch\.org: export LIBTORCH=/);
});

// A stand-in Python whose torch.utils.cmake_prefix_path is <prefix>/share/cmake.
function fakePython(prefix: string): string {
  const py = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'python-')), 'python');
  fs.writeFileSync(py, `#!/bin/sh\necho '${path.join(prefix, 'share', 'cmake')}'\n`, { mode: 0o755 });
  return py;
}

function fakeTorchPrefix(withConfig: boolean): string {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'pytorch-'));
  fs.mkdirSync(path.join(prefix, 'include', 'ATen'), { recursive: true });
  fs.writeFileSync(path.join(prefix, 'include', 'ATen', 'ATen.h'), '');
  fs.mkdirSync(path.join(prefix, 'lib'));
  if (withConfig) {
    fs.mkdirSync(path.join(prefix, 'share', 'cmake', 'Torch'), { recursive: true });
    fs.writeFileSync(path.join(prefix, 'share', 'cmake', 'Torch', 'TorchConfig.cmake'), 'set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=1")\n');
  }
  return prefix;
}

test("a Python torch with its TorchConfig.cmake (a pip wheel's layout) comes before the system's", (t) => {
  const prefix = fakeTorchPrefix(true);
  const r = run(['--json'], { LIBTORCH: '', PYTHON: fakePython(prefix) });
  t.is(r.status, 0, r.stderr);
  const found = JSON.parse(r.stdout);
  t.regex(found.source, /^Python torch \(/);
  t.is(found.libDir, path.join(prefix, 'lib'));
});

test("a Python torch with headers but no CMake folder (Debian 13's python3-torch) falls through to the system's", (t) => {
  // Debian 13's python3-torch links include/ and lib/ into the system
  // libtorch and ships no share/cmake: building against it broke cmake-js
  // and put python3-torch's folder in the run path.
  const prefix = fakeTorchPrefix(false);
  const r = run(['--json'], { LIBTORCH: '', PYTHON: fakePython(prefix) });
  t.is(r.status, 0, r.stderr);
  const found = JSON.parse(r.stdout);
  t.is(found.source, 'system');
  t.not(found.prefix, prefix);
});
