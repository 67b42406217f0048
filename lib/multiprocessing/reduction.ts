// Objects sent to another worker thread by reference to their class, as
// Python's pickle sends them to another process (copyreg.__reduce_ex__: the
// class by its module and name, then the instance's __dict__). A
// DataLoader's dataset, collate_fn and worker_init_fn reach its workers this
// way (torch/utils/data/dataloader.py starts each worker process with them).
//
// dumps(value) gives what postMessage can carry: tensors as SharedTensors
// (shared memory, no copy; a Parameter stays a Parameter), containers copied,
// modules with the buffers they registered, and every other object as its
// class's name and its own properties. What appears twice (a parameter in a
// module and in its optimizer) is sent once and is one object on the other
// side too, as pickle's memo keeps it. loads(message) in the other thread
// rebuilds it without calling constructors, as unpickling does. A class or
// function is found in the other thread by name: torchts's own (datasets,
// samplers, transforms, collate functions) are known; a program's own must be
// registered with the module that exports them, which the other thread
// imports first. This is the rule Python's workers follow under the "spawn"
// start method, where each worker imports the dataset's class afresh. What
// cannot be rebuilt (a closure, an unregistered class, a native handle) is
// refused when dumps meets it, naming where it was.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as dtypes from '../dtype';
import { dtype } from '../dtype';
import { device } from '../device';
import { Tensor } from '../tensor';
import { Parameter } from '../nn/parameter';
import { receiveTensor, shareTensor, type SharedTensor } from './_shared_tensor';

/** A class or function another thread can find: torchts's own by its place in torchts, a program's by its module. */
interface Entry {
  readonly key: string;
  /** The module to import first in the other thread; null for torchts's own. */
  readonly module: string | null;
}

const userEntries = new Map<unknown, Entry>();
const userByKey = new Map<string, unknown>();
let ownEntries: Map<unknown, Entry> | null = null;
let ownByKey: Map<string, unknown> | null = null;

/**
 * torchts's own classes and functions, by where they are exported: the
 * classes of utils.data, vision.datasets and vision.transforms, the collate
 * functions, nn's modules and optim's optimizers and schedulers. Made on
 * first use, the same in every thread.
 */
function ownRegistry(): [Map<unknown, Entry>, Map<string, unknown>] {
  if (ownEntries === null || ownByKey === null) {
    ownEntries = new Map();
    ownByKey = new Map();
    // Required here, not imported above: these modules import this one's dependents.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const namespaces: [string, Record<string, unknown>][] = [
      ['utils.data', require('../utils/data')],
      ['vision.datasets', require('../vision/datasets')],
      ['vision.transforms', require('../vision/transforms')],
      ['python.random', require('../python/random')],
      ['nn', require('../nn')],
      ['optim', require('../optim')],
      ['optim.lr_scheduler', require('../optim/lr_scheduler')],
      // An optimizer's cache of its hyperparameters as tensors (shared, as its state is).
      ['optim._scalar_operands', require('../optim/_scalar_operands')],
    ];
    /* eslint-enable @typescript-eslint/no-require-imports */
    for (const [prefix, ns] of namespaces) {
      for (const [name, value] of Object.entries(ns)) {
        if (typeof value !== 'function' || ownEntries.has(value)) continue;
        const key = `${prefix}.${name}`;
        ownEntries.set(value, { key, module: null });
        ownByKey.set(key, value);
      }
    }
  }
  return [ownEntries, ownByKey];
}

/**
 * Makes a class or function of the program's own known to worker threads:
 * `module` is the file (a path or file URL) or package that exports it under
 * its own name, which a worker imports before rebuilding anything of it.
 * Python's workers find a dataset's class the same way, by importing its
 * module. Returns target.
 */
export function register<F extends abstract new (...args: any[]) => unknown>(target: F, module: string): F;
export function register<F extends (...args: any[]) => unknown>(target: F, module: string): F;
export function register(target: unknown, module: string): unknown {
  if (typeof target !== 'function') throw new TypeError(`register(): argument 'target' must be a class or a function, got ${target === null ? 'null' : typeof target}`);
  if (typeof module !== 'string' || module === '') throw new TypeError("register(): argument 'module' must be the path or name of the module that exports it, a non-empty string");
  const name = target.name;
  if (name === '') throw new TypeError('register(): an anonymous class or function cannot be found in another thread by name; give it a name and export it');
  const specifier = module.startsWith('file:') || !path.isAbsolute(module) ? module : pathToFileURL(module).href;
  const entry = { key: `${specifier}#${name}`, module: specifier };
  userEntries.set(target, entry);
  userByKey.set(entry.key, target);
  return target;
}

function entryOf(target: unknown): Entry | undefined {
  return userEntries.get(target) ?? ownRegistry()[0].get(target);
}

/** A module by path, file URL or name: required where it can be (CommonJS, TypeScript through tsx), else imported. */
async function importModule(specifier: string): Promise<Record<string, unknown>> {
  const target = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(target) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
    return (await import(specifier)) as Record<string, unknown>;
  }
}

/** Imports the modules a message names and registers their exports, so that loads() finds them. */
export async function importModules(modules: readonly string[]): Promise<void> {
  for (const specifier of modules) {
    const mod = await importModule(specifier);
    const exports = { ...(mod.default !== null && typeof mod.default === 'object' ? (mod.default as Record<string, unknown>) : {}), ...mod };
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === 'function' && name === value.name) userByKey.set(`${specifier}#${name}`, value);
    }
  }
}

// ----- the message format -----

/** An own property: its key, value, and whether it is enumerable and writable. */
type Prop = [string, Encoded, boolean, boolean];

type Encoded =
  | null | undefined | boolean | number | bigint | string
  | { $: 'tensor'; id: number; tensor: SharedTensor; parameter: boolean }
  | { $: 'ref'; id: number }
  | { $: 'array'; id: number; items: Encoded[] }
  | { $: 'object'; id: number; bare: boolean; props: Prop[] }
  | { $: 'map'; id: number; entries: [Encoded, Encoded][] }
  | { $: 'set'; id: number; items: Encoded[] }
  | { $: 'instance'; id: number; cls: string; callable: boolean; props: Prop[] }
  | { $: 'module'; id: number; cls: string; buffers: string[]; nonPersistent: string[]; props: Prop[] }
  | { $: 'function'; key: string }
  | { $: 'dtype'; name: string }
  | { $: 'device'; name: string }
  | { $: 'clone'; value: unknown };

/** What dumps() gives: the encoded value, and the modules the other thread must import to rebuild it. */
export interface Pickled {
  readonly value: Encoded;
  readonly modules: string[];
}

/** Values structured clone copies as they are: no class of ours to find. */
function isCloneable(v: object): boolean {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof SharedArrayBuffer || v instanceof Date || v instanceof RegExp;
}

/** The constructor whose instances v is made by, or null for a plain object. */
function classOf(v: object): (abstract new (...args: any[]) => unknown) | null {
  const proto = Object.getPrototypeOf(v);
  if (proto === null || proto === Object.prototype || proto === Function.prototype) return null;
  return proto.constructor ?? null;
}

let moduleExports: typeof import('../nn/modules/module') | null = null;

/** nn.Module and its helpers, required on first use (nn's modules import much that imports this file), then kept: a require costs microseconds. */
function moduleApi(): typeof import('../nn/modules/module') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  moduleExports ??= require('../nn/modules/module') as typeof import('../nn/modules/module');
  return moduleExports;
}

/**
 * value as a message for another thread (see the top of this file). `what`
 * names value in errors: "DataLoader(): dataset". Each tensor met is passed
 * to onTensor (the caller may mark them in use while the other thread has them).
 */
export function dumps(value: unknown, what: string, onTensor?: (t: Tensor) => void): Pickled {
  const ids = new Map<object, number>();
  const modules = new Set<string>();
  const { Module, _moduleInternals } = moduleApi();
  /** The object's own properties (but those under hidden keys) as [key, value, enumerable, writable]. */
  const propsOf = (v: object, at: string, hidden: readonly symbol[] = []): Prop[] => {
    const props: Prop[] = [];
    for (const key of Reflect.ownKeys(v)) {
      if (hidden.includes(key as symbol)) continue;
      if (typeof key === 'symbol') throw new TypeError(`${at} has a property keyed by ${String(key)}, which cannot be sent to another thread`);
      // A callable instance (a transform, a module) is a function: its own length/name/prototype are the function's, not state.
      if (typeof v === 'function' && (key === 'length' || key === 'name' || key === 'prototype')) continue;
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      if (d.get || d.set) throw new TypeError(`${at}.${key} is an accessor (a getter or setter) of its own, which cannot be sent to another thread`);
      props.push([key, encode(d.value, `${at}.${key}`), d.enumerable === true, d.writable === true]);
    }
    return props;
  };
  const unregistered = (cls: abstract new (...args: any[]) => unknown, at: string) => {
    const name = cls.name || '(anonymous)';
    return new TypeError(
      `${at} is an instance of class ${name}, which another thread cannot rebuild: export the class from a module and call ` +
        `torch.multiprocessing.register(${name}, module) (a worker imports that module, as Python's workers import a dataset's class)` +
        (at.startsWith('DataLoader') ? ', or use num_workers: 0' : ''),
    );
  };
  const encode = (v: unknown, at: string): Encoded => {
    if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return v;
    if (typeof v === 'symbol') throw new TypeError(`${at} is a Symbol, which cannot be sent to another thread`);
    if (v instanceof dtype) return { $: 'dtype', name: v.name };
    if (v instanceof device) return { $: 'device', name: String(v) };
    const known = ids.get(v as object);
    if (known !== undefined) return { $: 'ref', id: known };
    const id = ids.size;
    if (v instanceof Tensor) {
      ids.set(v, id);
      const tensor = shareTensor(v, at);
      onTensor?.(v);
      return { $: 'tensor', id, tensor, parameter: v instanceof Parameter };
    }
    if (v instanceof Module) {
      const cls = classOf(v)!;
      const entry = entryOf(cls);
      if (entry === undefined) throw unregistered(cls, at);
      const internals = _moduleInternals(v);
      if (internals.hooks > 0) {
        throw new TypeError(
          `${at} is a module with ${internals.hooks} hook(s) registered on it, which another thread cannot rebuild (a hook's variables stay here); ` +
            'remove them first, or register them in the code that runs on the other side',
        );
      }
      ids.set(v, id);
      if (entry.module !== null) modules.add(entry.module);
      const props = propsOf(v, at, internals.hidden);
      return { $: 'module', id, cls: entry.key, buffers: internals.buffers, nonPersistent: internals.nonPersistent, props };
    }
    if (typeof v === 'object' && isCloneable(v)) return { $: 'clone', value: v };
    if (Array.isArray(v)) {
      ids.set(v, id);
      return { $: 'array', id, items: v.map((x, i) => encode(x, `${at}[${i}]`)) };
    }
    if (v instanceof Map) {
      ids.set(v, id);
      return { $: 'map', id, entries: [...v].map(([k, x]) => [encode(k, `${at} (a key)`), encode(x, `${at}.get(${String(k)})`)]) };
    }
    if (v instanceof Set) {
      ids.set(v, id);
      return { $: 'set', id, items: [...v].map((x) => encode(x, `${at} (an element)`)) };
    }
    const cls = classOf(v as object);
    const entry = cls === null ? undefined : entryOf(cls);
    if (typeof v === 'function' && cls === null) {
      // A plain function: only a registered one, found by name.
      const fnEntry = entryOf(v);
      if (fnEntry === undefined) {
        throw new TypeError(
          `${at} is the function ${v.name || '(anonymous)'}, which another thread cannot rebuild (a closure's variables stay here): ` +
            'export it from a module and call torch.multiprocessing.register(fn, module)' + (at.startsWith('DataLoader') ? ', or use num_workers: 0' : ''),
        );
      }
      if (fnEntry.module !== null) modules.add(fnEntry.module);
      return { $: 'function', key: fnEntry.key };
    }
    if (cls !== null && entry === undefined) throw unregistered(cls, at);
    ids.set(v as object, id);
    const props = propsOf(v as object, at);
    if (cls === null) return { $: 'object', id, bare: Object.getPrototypeOf(v) === null, props };
    if (entry!.module !== null) modules.add(entry!.module);
    return { $: 'instance', id, cls: entry!.key, callable: typeof v === 'function', props };
  };
  return { value: encode(value, what), modules: [...modules] };
}

/** The constructor that makes a callable instance (a transform) of cls: the first in its chain whose instances are functions. */
function callableBase(cls: abstract new (...args: any[]) => unknown): abstract new (...args: any[]) => unknown {
  let base = cls;
  for (let p = Object.getPrototypeOf(cls); typeof p === 'function' && p !== Function.prototype; p = Object.getPrototypeOf(p)) base = p;
  return base;
}

/** The value a dumps() message stands for, rebuilt in this thread (after importModules of its modules). */
export function loads(pickled: Pickled): unknown {
  const made = new Map<number, unknown>();
  const byKey = (key: string): unknown => {
    const found = userByKey.get(key) ?? ownRegistry()[1].get(key);
    if (found === undefined) throw new TypeError(`loads(): no class or function ${key} in this thread; register it in the module that exports it`);
    return found;
  };
  const decode = (e: Encoded): unknown => {
    if (e === null || typeof e !== 'object') return e;
    switch (e.$) {
      case 'tensor': {
        const t = receiveTensor(e.tensor);
        // The Parameter constructor would detach a second time; the received tensor is already a leaf.
        if (e.parameter) Object.setPrototypeOf(t, Parameter.prototype);
        made.set(e.id, t);
        return t;
      }
      case 'dtype': {
        const d = (dtypes as Record<string, unknown>)[e.name];
        if (!(d instanceof dtype)) throw new TypeError(`loads(): unknown dtype ${e.name}`);
        return d;
      }
      case 'device':
        return new device(e.name);
      case 'clone':
        return e.value;
      case 'function':
        return byKey(e.key);
      case 'ref':
        if (!made.has(e.id)) throw new TypeError(`loads(): a reference to object ${e.id}, which the message does not hold`);
        return made.get(e.id);
      case 'array': {
        const out: unknown[] = [];
        made.set(e.id, out);
        for (const item of e.items) out.push(decode(item));
        return out;
      }
      case 'map': {
        const out = new Map<unknown, unknown>();
        made.set(e.id, out);
        for (const [k, v] of e.entries) out.set(decode(k), decode(v));
        return out;
      }
      case 'set': {
        const out = new Set<unknown>();
        made.set(e.id, out);
        for (const item of e.items) out.add(decode(item));
        return out;
      }
      case 'module': {
        const cls = byKey(e.cls) as abstract new (...args: any[]) => unknown;
        const out = moduleApi()._emptyModule(cls, e.buffers, e.nonPersistent);
        made.set(e.id, out);
        for (const [key, v, enumerable, writable] of e.props) Reflect.defineProperty(out, key, { value: decode(v), writable, enumerable, configurable: true });
        return out;
      }
      case 'object':
      case 'instance': {
        let out: object;
        if (e.$ === 'object') {
          out = e.bare ? Object.create(null) : {};
        } else {
          const cls = byKey(e.cls) as abstract new (...args: any[]) => unknown;
          // No constructor of cls runs, as unpickling runs none: only the base that makes a callable one (Transform's).
          out = e.callable ? (Reflect.construct(callableBase(cls), [], cls) as object) : Object.create(cls.prototype);
        }
        made.set(e.id, out);
        for (const [key, v, enumerable, writable] of e.props) Object.defineProperty(out, key, { value: decode(v), writable, enumerable, configurable: true });
        return out;
      }
      default:
        throw new TypeError(`loads(): not a message of dumps() (${(e as { $?: unknown }).$ as string})`);
    }
  };
  return decode(pickled.value);
}
