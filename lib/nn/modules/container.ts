// Containers, after torch/nn/modules/container.py. Children are fields named
// '0', '1', ... (Sequential, ModuleList) or by key (ModuleDict), so
// `seq[0]` and `dict.fc` read them as Python's indexing does.
import type { Tensor } from '../../tensor';
import { Module } from './module';

function checkModule(owner: string, m: unknown): Module {
  if (!(m instanceof Module)) throw new TypeError(`${owner}: ${m === null ? 'null' : typeof m} is not a Module subclass`);
  return m;
}

/** Numbered children: the shared base of Sequential and ModuleList. */
abstract class IndexedModules extends Module {
  [index: number]: Module;

  protected constructor(modules: Iterable<Module>) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Python's len(). */
  override get length(): number {
    // Numeric keys: a string key ("0") is converted back to an index on
    // every lookup, which a forward pass paid for each child.
    let n = 0;
    while (Object.prototype.hasOwnProperty.call(this, n)) n++;
    return n;
  }

  append(module: Module): this {
    (this as any)[String(this.length)] = checkModule(this._get_name(), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** The child at index, negative counting from the end, as Python's seq[i]. */
  at(index: number): Module {
    const n = this.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(index) || i < 0 || i >= n) throw new RangeError(`index ${index} is out of range`);
    return (this as any)[String(i)];
  }

  insert(index: number, module: Module): void {
    const items = [...this];
    const n = items.length;
    const i = Math.max(0, Math.min(n, index < 0 ? index + n : index));
    items.splice(i, 0, checkModule(this._get_name(), module));
    items.forEach((m, k) => ((this as any)[String(k)] = m));
  }

  *[Symbol.iterator](): IterableIterator<Module> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield (this as any)[i];
  }

  protected override _own_modules(): [string, Module][] {
    return [...this].map((m, i) => [String(i), m]);
  }
}

/** Applies its children in order: forward(x) = children[n-1](...children[0](x)). */
export class Sequential extends IndexedModules {
  constructor(...modules: Module[]) {
    super(modules);
  }

  override forward(input: Tensor): Tensor {
    let out = input;
    const n = this.length;
    for (let i = 0; i < n; i++) out = (this as any)[i](out);
    return out;
  }

  /** Python's seq[start:end]: a new Sequential of the same children. */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(...[...this].slice(start, end));
  }
}

/** A list of modules, registered so that parameters() sees them. */
export class ModuleList extends IndexedModules {
  constructor(modules: Iterable<Module> = []) {
    super(modules);
  }
}

/** Modules by name, in insertion order. */
export class ModuleDict extends Module {
  [key: string]: any;

  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }

  update(modules: Record<string, Module> | Iterable<[string, Module]>): void {
    const entries = Symbol.iterator in Object(modules) ? [...(modules as Iterable<[string, Module]>)] : Object.entries(modules);
    for (const [key, m] of entries) this.register_module(key, checkModule('ModuleDict', m));
  }

  keys(): string[] {
    return this._own_modules().map(([k]) => k);
  }

  values(): Module[] {
    return this._own_modules().map(([, m]) => m);
  }

  items(): [string, Module][] {
    return this._own_modules();
  }

  has(key: string): boolean {
    return this._own_modules().some(([k]) => k === key);
  }

  get size(): number {
    return this._own_modules().length;
  }
}
