// Shared by the tests: reading golden fixtures and comparing with them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecutionContext } from 'ava';

import torch, { type Tensor } from '../lib';
import { LIBTORCH_PYTHON_ENV, LIBTORCH_VERSION } from '../lib/_libtorch_version';

export type EncodedNumber = number | boolean | 'nan' | 'inf' | '-inf' | '-0';

export interface EncodedTensor {
  dtype: string;
  shape: number[];
  values: EncodedNumber[];
}

/**
 * The fixture folder of the loaded libtorch's Python: test/fixtures/ holds
 * PyTorch 1.13's, test/fixtures/torch-<major>.<minor>/ what another Python
 * gives differently (scripts/golden/_common.py). A version with no folder of
 * its own (a pip torch 2.11, say) takes the newest older one's, as lib/
 * follows the newest older measured version where versions differ.
 */
const versionDir = (() => {
  const [major, minor] = LIBTORCH_VERSION.split('.').map(Number);
  if (major === 1 && minor === 13) return null;
  const fixtures = path.join(__dirname, 'fixtures');
  const exact = path.join(fixtures, `torch-${major}.${minor}`);
  if (fs.existsSync(exact)) return exact;
  const older = fs
    .readdirSync(fixtures)
    .map((name) => /^torch-(\d+)\.(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])])
    .filter(([a, b]) => a < major || (a === major && b < minor))
    .sort(([a, b], [c, d]) => c - a || d - b);
  return older.length > 0 ? path.join(fixtures, `torch-${older[0][0]}.${older[0][1]}`) : exact;
})();

/**
 * The Python whose torch is the libtorch loaded here, for the tests that hand
 * files, scripts or ranks to Python: the python3 of the environment libtorch
 * was loaded from where it is a Python package's (pip's torch/lib), else
 * Debian's /usr/bin/python3, whose python3-torch runs on the system's libtorch.
 */
export const PYTHON = (() => {
  const env = LIBTORCH_PYTHON_ENV && path.join(LIBTORCH_PYTHON_ENV.prefix, 'bin', 'python3');
  return env && fs.existsSync(env) ? env : '/usr/bin/python3';
})();

/** test/fixtures/<rel>, or the loaded version's own copy of it. */
export function fixturePath(rel: string): string {
  if (versionDir !== null && fs.existsSync(path.join(versionDir, rel))) return path.join(versionDir, rel);
  return path.join(__dirname, 'fixtures', rel);
}

export function fixture<T = any>(name: string): T {
  return JSON.parse(fs.readFileSync(fixturePath(name), 'utf8'));
}

/**
 * A fixture that depends on which OpenBLAS kernels ran (long training
 * trajectories), from test/fixtures/blas/<kernel>/: the kernel family
 * test/_blas_kernel.ts asked for on this CPU (scripts/blas_kernel.js).
 */
export function kernelFixture<T = any>(name: string): T {
  const kernel = process.env.OPENBLAS_CORETYPE;
  const file = fixturePath(path.join('blas', kernel ?? '(none)', name));
  if (!kernel || !fs.existsSync(file)) {
    const have = fs.readdirSync(path.join(__dirname, 'fixtures', 'blas')).join(', ');
    throw new Error(
      `no ${name} fixture for OpenBLAS kernel ${kernel ?? '(none: this CPU runs none of ' + have + ')'}; ` +
        `fixtures exist for ${have}. On a CPU that runs that kernel, \`npm run golden\` makes it`,
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function decodeNumber(v: EncodedNumber): number | boolean {
  switch (v) {
    case 'nan': return NaN;
    case 'inf': return Infinity;
    case '-inf': return -Infinity;
    case '-0': return -0;
    default: return v;
  }
}

export function dtypeNamed(name: string): torch.dtype {
  const d = (torch as any)[name];
  if (!(d instanceof torch.dtype)) throw new Error(`no dtype named ${name}`);
  return d;
}

export function decodeTensor(e: EncodedTensor): Tensor {
  const values = e.values.map(decodeNumber) as number[];
  return torch.tensor(values, { dtype: dtypeNamed(e.dtype) }).reshape(e.shape);
}

/** Flat JS values of t: numbers (int64 included) or booleans. */
export function flatValues(t: Tensor): (number | boolean)[] {
  const flat = t.reshape(-1).tolist();
  // Bool elements are booleans, typed number (see Tensor.item).
  return Array.isArray(flat) ? (flat as (number | boolean)[]) : [flat];
}

export interface SummarizedTensor {
  dtype: string;
  shape: number[];
  head: EncodedNumber[];
  tail: EncodedNumber[];
  sum: number;
  sumsq: number;
}

/** Asserts t matches a summarised golden tensor: dtype, shape, first and last values within tol, sums within tol relative. */
export function assertTensorSummary(t: ExecutionContext, actual: Tensor, expected: SummarizedTensor, label: string, tol = 1e-6): void {
  t.is(actual.dtype.name, expected.dtype, `${label}: dtype`);
  t.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  const flat = flatValues(actual.double()) as number[];
  const close = (g: number, w: number) => Math.abs(g - w) <= tol * Math.max(1, Math.abs(w));
  const head = expected.head.map(decodeNumber) as number[];
  const tail = expected.tail.map(decodeNumber) as number[];
  head.forEach((w, k) => t.true(close(flat[k], w), `${label}: element ${k} is ${flat[k]}, PyTorch gives ${w}`));
  tail.forEach((w, k) => {
    const i = flat.length - tail.length + k;
    t.true(close(flat[i], w), `${label}: element ${i} is ${flat[i]}, PyTorch gives ${w}`);
  });
  const sum = flat.reduce((a, b) => a + b, 0);
  const sumsq = flat.reduce((a, b) => a + b * b, 0);
  t.true(Math.abs(sum - expected.sum) <= 1e-5 * Math.max(1, Math.abs(expected.sum)), `${label}: sum ${sum} vs ${expected.sum}`);
  t.true(Math.abs(sumsq - expected.sumsq) <= 1e-5 * Math.max(1, expected.sumsq), `${label}: sum of squares ${sumsq} vs ${expected.sumsq}`);
}

/** Asserts t equals the golden tensor: dtype and shape exactly, ints and bools exactly, floats within tol. */
export function assertTensorMatches(t: ExecutionContext, actual: Tensor, expected: EncodedTensor, label: string, tol = 1e-6): void {
  t.is(actual.dtype.name, expected.dtype, `${label}: dtype`);
  t.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  const got = flatValues(actual);
  const want = expected.values.map(decodeNumber);
  t.is(got.length, want.length, `${label}: numel`);
  const floating = actual.dtype.is_floating_point;
  for (let k = 0; k < want.length; k++) {
    const g = got[k];
    const w = want[k];
    const same = floating
      ? (Number.isNaN(w) && Number.isNaN(g)) || g === w || Math.abs((g as number) - (w as number)) <= tol * Math.max(1, Math.abs(w as number))
      : g === w;
    if (!same) {
      t.fail(`${label}: element ${k} is ${String(g)}, PyTorch gives ${String(w)}`);
      return;
    }
  }
  t.pass();
}
