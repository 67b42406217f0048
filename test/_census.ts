// The census of PyTorch's Python names (test/fixtures/census.json, made by
// scripts/census.py) held against the torchts module that is loaded: per
// namespace, which names torchts has, and which ATen operators it lacks.
// `npm run census` prints it (scripts/census.ts); test/census.test.ts keeps
// it from going backwards.
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as torch from '../lib';

export interface CensusName {
  kind: 'function' | 'class' | 'module' | 'value' | 'property';
  /** The ATen operator behind it (linalg_det for torch.linalg.det), where there is one. */
  aten?: string;
}

export interface CensusFixture {
  generated_by: string;
  torch_version: string;
  namespaces: Record<string, Record<string, CensusName>>;
}

export function loadCensus(): CensusFixture {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'census.json'), 'utf8'));
}

/** Where torchts keeps each namespace's names; undefined when it has no such namespace. */
export function torchtsHolder(ns: string): object | undefined {
  const t = torch as any;
  switch (ns) {
    case 'Tensor': return torch.Tensor.prototype;
    case 'torch': return t;
    case 'torch.nn.functional': return torch.nn.functional;
    case 'torch.linalg': return t.linalg;
    case 'torch.fft': return t.fft;
    case 'torch.special': return t.special;
    default: throw new Error(`no namespace ${ns} in the census`);
  }
}

export function hasName(holder: object | undefined, name: string): boolean {
  return holder !== undefined && holder !== null && name in holder;
}

export interface NamespaceCensus {
  namespace: string;
  names: number;
  present: number;
  aten: number;
  atenPresent: number;
  /** ATen operators torchts does not have under their Python name. */
  atenMissing: string[];
  /** Names that are not ATen operators (classes, modules, Python-level functions) torchts does not have. */
  otherMissing: string[];
}

export function runCensus(fixture = loadCensus()): NamespaceCensus[] {
  return Object.entries(fixture.namespaces).map(([namespace, names]) => {
    const holder = torchtsHolder(namespace);
    const all = Object.entries(names);
    const aten = all.filter(([, e]) => e.aten !== undefined);
    const present = all.filter(([n]) => hasName(holder, n));
    return {
      namespace,
      names: all.length,
      present: present.length,
      aten: aten.length,
      atenPresent: aten.filter(([n]) => hasName(holder, n)).length,
      atenMissing: aten.filter(([n]) => !hasName(holder, n)).map(([n]) => n),
      otherMissing: all.filter(([n, e]) => e.aten === undefined && !hasName(holder, n)).map(([n]) => n),
    };
  });
}

/** The goal of issue #18: this share of the ATen-operator names present. */
export const ATEN_GOAL = 0.95;

/**
 * Why each ATen operator that Python exposes is not in torchts, by
 * namespace and name. test/census.test.ts requires a reason for every
 * missing one and refuses a reason for a name that is present, so the list
 * stays exactly the gaps; `npm run census` prints it.
 */
export const WHY_MISSING: Record<string, Record<string, string>> = {
  Tensor: {
    as_subclass: 'Python subclassing of torch.Tensor: a JS class extends Tensor directly, and tensors made by libtorch are plain Tensors',
    has_names: 'named tensors (Dimname arguments) are not supported: no tensor has names',
    ipu: 'an IPU device; libtorch as Debian builds it has no IPU backend',
    xpu: 'an XPU device; libtorch as Debian builds it has no XPU backend',
    new: "the legacy constructor x.new(...) (Python's own docs point to new_tensor/new_empty, which torchts has)",
    numpy: 'NumPy arrays: JS has TypedArrays instead (x.toTypedArray(), torch.frombuffer, torch.from_typed_array)',
  },
  torch: {
    from_numpy: 'NumPy arrays: torch.from_typed_array(data, shape, { copy: false }) and torch.frombuffer share a TypedArray or ArrayBuffer instead',
  },
};
