// Builds a bench/cpp program (or a preload library) with g++ against the
// libtorch torchts uses (scripts/libtorch.js finds it), unless the output is
// newer than its source and the headers of ours it includes. bench/run.ts,
// bench/ddp.ts and bench/op_count.ts build their C++ sides through it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const { findLibtorch } = require('../scripts/libtorch.js');

const CPP = path.join(__dirname, 'cpp');

export interface CppBuild {
  /** A file in bench/cpp. */
  source: string;
  /** Where the output goes (bench/build/...). */
  out: string;
  /** Headers in bench/cpp the source includes, whose changes also call for a rebuild. */
  headers?: string[];
  /** More g++ flags (include folders). */
  flags?: string[];
  /** The libraries after -l (default: torch, torch_cpu, c10). */
  libraries?: string[];
  /** A shared library (-shared -fPIC) instead of a program. */
  shared?: boolean;
}

export function buildCpp({ source, out, headers = [], flags = [], libraries = ['torch', 'torch_cpu', 'c10'], shared = false }: CppBuild): string {
  const src = path.join(CPP, source);
  const newest = Math.max(...[src, ...headers.map((h) => path.join(CPP, h))].map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs > newest) return out;
  const lt = findLibtorch();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  process.stderr.write(`building ${path.relative(process.cwd(), out)} against libtorch ${lt.version} (${lt.source})...\n`);
  execFileSync('g++', [
    '-O2', '-std=c++17', ...(shared ? ['-shared', '-fPIC'] : []), `-D_GLIBCXX_USE_CXX11_ABI=${lt.cxx11Abi}`,
    ...lt.includeDirs.map((d: string) => `-I${d}`), ...flags,
    src, '-o', out, `-L${lt.libDir}`, `-Wl,-rpath,${lt.libDir}`, '-Wl,--no-as-needed', ...libraries.map((l) => `-l${l}`),
  ], { stdio: 'inherit' });
  return out;
}
