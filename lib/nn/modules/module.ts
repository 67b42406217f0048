// nn.Module, after torch/nn/modules/module.py. Python registers parameters
// and submodules in __setattr__; here a module finds them among its own
// fields, which keep assignment order, so a subclass writes
// `this.fc = new nn.Linear(784, 32)` and parameters() sees it.
//
// A module is callable, `model(x)`, as in Python: the constructor returns a
// function object whose prototype is the subclass's, so subclass fields land
// on it. The call is typed by the subclass's own forward(): its parameters
// and its return type (`model(x)` is a Tensor where forward returns one).
import { inspect } from 'node:util';

import { PythonArgParser } from '../../_arg_parser';
import { describeValue } from '../../_describe';
import { memoryFormatFromCode, type memory_format } from '../../layout';
import { device, type DeviceLike } from '../../device';
import { dtype } from '../../dtype';
import { native } from '../../native';
import { Tensor } from '../../tensor';
import { no_grad } from '../../autograd/grad_mode';
import { SET_TO_NONE_DEFAULT, zeroGradients } from '../../autograd/zero_grad';
import { nextHandleId, RemovableHandle } from '../../autograd/hooks';
import { BackwardHook, maybeWarnNonFullBackwardHook, type FullBackwardHook } from '../../autograd/backward_hook';
import { registerNodeHook } from '../../autograd/function';
import { Parameter } from '../parameter';
import { def_ } from './utils';

const INTERNALS = Symbol('torchts.nn.Module');

// Python's parameter lists (torch/nn/modules/module.py, 1.13; remove_duplicate as 2.x has it).
const registerBufferArgs = def_<{ name: string; tensor: Tensor | null; persistent: boolean }>('register_buffer(str name, Tensor? tensor, bool persistent=True)');
const namedModulesArgs = def_<{ memo: unknown; prefix: string; remove_duplicate: boolean }>("named_modules(Any memo=None, str prefix='', bool remove_duplicate=True)");
const namedParametersArgs = def_<NamedMemberOptions>("named_parameters(str prefix='', bool recurse=True, *, bool remove_duplicate=True)");
const parametersArgs = def_<{ recurse: boolean }>('parameters(bool recurse=True)');
const namedBuffersArgs = def_<NamedMemberOptions>("named_buffers(str prefix='', bool recurse=True, *, bool remove_duplicate=True)");
const buffersArgs = def_<{ recurse: boolean }>('buffers(bool recurse=True)');
const trainArgs = def_<{ mode: unknown }>('train(Any mode=True)');
const requiresGradArgs = def_<{ requires_grad: boolean }>('requires_grad_(bool requires_grad=True)');
const zeroGradArgs = def_<{ set_to_none: boolean }>(`zero_grad(bool set_to_none=${SET_TO_NONE_DEFAULT})`);
const stateDictArgs = def_<{ destination: StateDict | null; prefix: string; keep_vars: boolean }>("state_dict(*, Any destination=None, str prefix='', bool keep_vars=False)");
const loadStateDictArgs = def_<{ strict: boolean }>('load_state_dict(bool strict=True)');

// torch._C._nn._parse_to, which Module.to binds with: Tensor.to's signatures.
const MODULE_TO = new PythonArgParser([
  'to(Device device=None, ScalarType dtype=None, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
  'to(ScalarType dtype, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
  'to(Tensor tensor, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
]);

/** A bound MemoryFormat argument (the binder gives its code) as the torch.memory_format. */
function formatOf(code: unknown): memory_format | null {
  return code === undefined || code === null ? null : memoryFormatFromCode(code as number);
}

/** Module.to's arguments, bound as torch._C._nn._parse_to binds them (ScriptModule.to shares it). */
export function parseModuleTo(args: readonly unknown[]): { device: DeviceLike | null; dtype: dtype | null; non_blocking: boolean; memory_format: memory_format | null } {
  const { index, values } = MODULE_TO.parse(args);
  // (parse leaves what was not given undefined; every default here is None or False)
  if (index === 2) {
    const tensor = values[0] as Tensor;
    return { device: tensor.device, dtype: tensor.dtype, non_blocking: (values[1] ?? false) as boolean, memory_format: formatOf(values[3]) };
  }
  const v = index === 0 ? values : [null, ...values];
  return { device: (v[0] ?? null) as DeviceLike | null, dtype: (v[1] ?? null) as dtype | null, non_blocking: (v[2] ?? false) as boolean, memory_format: formatOf(v[4]) };
}

/** The binders of Module's methods, for the subclasses that override them (ScriptModule). */
export const moduleArgs = { namedParametersArgs, namedBuffersArgs, stateDictArgs, trainArgs };

/** The keywords of named_parameters and named_buffers. */
export interface NamedMemberOptions {
  prefix?: string;
  recurse?: boolean;
  remove_duplicate?: boolean;
}

interface Internals {
  /** Buffers in registration order; the values live on the module's fields. */
  buffers: Set<string>;
  nonPersistent: Set<string>;
}

export type StateDict = Record<string, Tensor>;

export interface IncompatibleKeys extends ReadonlyArray<string[]> {
  missing_keys: string[];
  unexpected_keys: string[];
}

/** Python's torch.typename / type(value).__name__, for the messages of Module.__setattr__. */
function pythonTypeName(value: unknown): string {
  if (value instanceof Tensor) {
    const legacy = LEGACY_TENSOR_TYPES[value.dtype.name] ?? `${value.dtype.name}Tensor`;
    return value.device.type === 'cpu' ? `torch.${legacy}` : `torch.${value.device.type}.${legacy}`;
  }
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) return 'dict';
  return (value as object)?.constructor?.name ?? typeof value;
}

const LEGACY_TENSOR_TYPES: Record<string, string> = {
  float32: 'FloatTensor', float64: 'DoubleTensor', float16: 'HalfTensor', bfloat16: 'BFloat16Tensor',
  uint8: 'ByteTensor', int8: 'CharTensor', int16: 'ShortTensor', int32: 'IntTensor', int64: 'LongTensor',
  bool: 'BoolTensor', complex64: 'ComplexFloatTensor', complex128: 'ComplexDoubleTensor',
  uint16: 'UInt16Tensor', uint32: 'UInt32Tensor', uint64: 'UInt64Tensor',
};

function keyError(message: string): Error {
  const err = new Error(message);
  err.name = 'KeyError';
  return err;
}

/**
 * Python's Module.__setattr__ for a field of a module: a Parameter may replace
 * anything (and stops a buffer of that name being one), a Module too; but a
 * registered parameter, child module or buffer takes only its own kind or
 * null, so that assigning a plain tensor over a parameter cannot silently
 * unregister it.
 */
function checkAssignment(module: Module, name: string, value: unknown): void {
  const internals = module[INTERNALS];
  if (value instanceof Parameter) {
    internals.buffers.delete(name);
    internals.nonPersistent.delete(name);
    return;
  }
  if (value === null) return;
  const current = (module as any)[name];
  if (current instanceof Parameter) {
    throw new TypeError(`cannot assign '${pythonTypeName(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
  }
  if (value instanceof Module) {
    internals.buffers.delete(name);
    internals.nonPersistent.delete(name);
    return;
  }
  if (current instanceof Module) {
    throw new TypeError(`cannot assign '${pythonTypeName(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
  }
  if (internals.buffers.has(name) && !(value instanceof Tensor)) {
    throw new TypeError(`cannot assign '${pythonTypeName(value)}' as buffer '${name}' (torch.Tensor or None expected)`);
  }
}

// The module a caller holds is a Proxy over the callable object itself, so
// that every assignment passes checkAssignment, as every Python assignment
// passes __setattr__. Only assignment is trapped: a read through a Proxy costs
// about 180 ns in V8 against 3 for a plain object, so forward() runs on the
// object itself (see the constructor) and a field read there stays plain.
const ASSIGNMENT_TRAPS: ProxyHandler<Module> = {
  set(target, key, value) {
    if (typeof key === 'string') checkAssignment(target, key, value);
    return Reflect.set(target, key, value);
  },
  defineProperty(target, key, descriptor) {
    if (typeof key === 'string' && 'value' in descriptor) checkAssignment(target, key, descriptor.value);
    return Reflect.defineProperty(target, key, descriptor);
  },
};

/**
 * Python's _IncompatibleKeys named tuple: `[missing_keys, unexpected_keys]`,
 * also by name, printing as Python prints it.
 */
class IncompatibleKeysTuple extends Array<string[]> implements IncompatibleKeys {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  constructor(
    readonly missing_keys: string[],
    readonly unexpected_keys: string[],
  ) {
    super();
    this.push(missing_keys, unexpected_keys);
  }

  override toString(): string {
    if (!this.missing_keys.length && !this.unexpected_keys.length) return '<All keys matched successfully>';
    const list = (keys: string[]) => `[${keys.map((k) => `'${k}'`).join(', ')}]`;
    return `_IncompatibleKeys(missing_keys=${list(this.missing_keys)}, unexpected_keys=${list(this.unexpected_keys)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Python's _addindent: every line but the first indented by spaces. */
export function addIndent(text: string, spaces: number): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const first = lines.shift();
  return `${first}\n${lines.map((l) => ' '.repeat(spaces) + l).join('\n')}`;
}

function shapeText(t: Tensor): string {
  return String(t.shape);
}

const HOOKS = Symbol('torchts.nn.Module.hooks');

/** A forward pre-hook: hook(module, inputs); a non-null return replaces the inputs. */
export type ForwardPreHook<M = Module> = (module: M, inputs: any[]) => unknown;
/** A forward hook: hook(module, inputs, output); a non-null return replaces the output. */
export type ForwardHook<M = Module> = (module: M, inputs: any[], output: any) => unknown;

interface ModuleHooks {
  module: Module;
  forward_pre: Map<number, ForwardPreHook<any>>;
  forward: Map<number, ForwardHook<any>>;
  backward: Map<number, FullBackwardHook<any>>;
  /** Whether the backward hooks are full ones (null: none registered yet). */
  is_full: boolean | null;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module {
  /** Runs forward(), as Python's `module(input)`: typed by this module's forward(). */
  (...inputs: Parameters<this['forward']>): ReturnType<this['forward']>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Module {
  declare training: boolean;
  declare [INTERNALS]: Internals;

  constructor() {
    const self = ((...inputs: unknown[]) => (self as Module)._call_impl(...inputs)) as unknown as Module;
    // A function's own `name` and `length` are read-only; modules use both
    // names freely (Sequential has a length), so they go.
    delete (self as { name?: string }).name;
    delete (self as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperty(self, INTERNALS, {
      value: { buffers: new Set<string>(), nonPersistent: new Set<string>() },
      enumerable: false,
    });
    self.training = true;
    return new Proxy(self, ASSIGNMENT_TRAPS);
  }

  // any, not unknown: a subclass's forward(input: Tensor) must stay
  // assignable to Module's, so that a Linear is a Module where one is asked for.
  forward(..._inputs: any[]): any {
    throw new Error(`Module [${this._get_name()}] is missing the required "forward" function`);
  }

  _get_name(): string {
    return this.constructor.name;
  }

  // ----- hooks (Python's Module._call_impl and register_*_hook) -----
  //
  // A module's hooks live in one hidden record, made at the first
  // registration, so that a module without hooks calls forward directly.
  // The record keeps the module as its holder sees it (the Proxy: hooks are
  // given `module` and may compare it), and deepcopy copies it with the
  // module, as Python's deepcopy copies the hook dicts.

  private _hookRecord(): ModuleHooks {
    let h = (this as any)[HOOKS] as ModuleHooks | undefined;
    if (h === undefined) {
      h = { module: this, forward_pre: new Map(), forward: new Map(), backward: new Map(), is_full: null };
      Object.defineProperty(this, HOOKS, { value: h, enumerable: false, configurable: true, writable: true });
    }
    return h;
  }

  private _addHook(kind: 'forward_pre' | 'forward' | 'backward', fn: string, hook: unknown): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError(`${fn}(): hook must be a function, got ${hook === null ? 'null' : typeof hook}`);
    const h = this._hookRecord();
    const id = nextHandleId();
    const map = h[kind] as Map<number, unknown>;
    map.set(id, hook);
    return new RemovableHandle(() => map.delete(id), id);
  }

  /** Python's _forward_pre_hooks: the forward pre-hooks by handle id, in registration order. */
  get _forward_pre_hooks(): Map<number, ForwardPreHook<any>> {
    return this._hookRecord().forward_pre;
  }

  /** Python's _forward_hooks. */
  get _forward_hooks(): Map<number, ForwardHook<any>> {
    return this._hookRecord().forward;
  }

  /** Python's _backward_hooks. */
  get _backward_hooks(): Map<number, FullBackwardHook<any>> {
    return this._hookRecord().backward;
  }

  /**
   * hook(module, inputs) runs before each forward; a value it returns
   * (other than undefined or null, Python's None) replaces the inputs: an
   * array is the new argument list, anything else the single argument.
   */
  register_forward_pre_hook(hook: ForwardPreHook<this>): RemovableHandle {
    return this._addHook('forward_pre', 'register_forward_pre_hook', hook);
  }

  /** hook(module, inputs, output) runs after each forward; a value it returns (other than undefined or null) replaces the output. */
  register_forward_hook(hook: ForwardHook<this>): RemovableHandle {
    return this._addHook('forward', 'register_forward_hook', hook);
  }

  /**
   * hook(module, grad_input, grad_output) runs when the gradients with
   * respect to the module's inputs are computed: grad_input and grad_output
   * hold one entry per positional input and per output (null for
   * non-tensors); an array it returns replaces grad_input. The module's
   * tensor inputs and outputs pass through an identity autograd Function to
   * see them, as in Python (whose inputs and outputs are views then).
   */
  register_full_backward_hook(hook: FullBackwardHook<this>): RemovableHandle {
    const h = this._hookRecord();
    if (h.is_full === false) {
      throw new Error('Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them.');
    }
    const handle = this._addHook('backward', 'register_full_backward_hook', hook);
    h.is_full = true;
    return handle;
  }

  /**
   * Deprecated in Python too: hook(module, grad_input, grad_output) as a post
   * hook on the grad_fn of the forward's first output tensor, which sees
   * only that last node's gradients. Use register_full_backward_hook.
   */
  register_backward_hook(hook: FullBackwardHook<this>): RemovableHandle {
    const h = this._hookRecord();
    if (h.is_full === true) {
      throw new Error('Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them.');
    }
    const handle = this._addHook('backward', 'register_backward_hook', hook);
    h.is_full = false;
    return handle;
  }

  /** Python's Module._call_impl: `module(...inputs)` runs the hooks around forward. */
  _call_impl(...inputs: unknown[]): any {
    const h = (this as any)[HOOKS] as ModuleHooks | undefined;
    if (h === undefined || (h.forward_pre.size === 0 && h.forward.size === 0 && h.backward.size === 0)) return this.forward(...inputs);
    const module = h.module;
    const backwardHooks = [...h.backward.values()];
    const full = h.backward.size > 0 && h.is_full === true ? backwardHooks : [];
    const nonFull = h.backward.size > 0 && h.is_full === false ? backwardHooks : [];
    for (const hook of [...h.forward_pre.values()]) {
      const result = hook(module, inputs);
      if (result !== undefined && result !== null) inputs = Array.isArray(result) ? [...result] : [result];
    }
    const bwHook = full.length > 0 ? new BackwardHook(module, full) : null;
    if (bwHook !== null) inputs = bwHook.setup_input_hook(inputs);
    let result = this.forward(...inputs);
    for (const hook of [...h.forward.values()]) {
      const replaced = hook(module, inputs, result);
      if (replaced !== undefined && replaced !== null) result = replaced;
    }
    if (bwHook !== null) result = bwHook.setup_output_hook(result);
    if (nonFull.length > 0) {
      // The first tensor of the output, as Python finds it.
      let v: unknown = result;
      while (!(v instanceof Tensor)) {
        if (Array.isArray(v) && v.length > 0) v = v[0];
        else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) v = Object.values(v).find((x) => x instanceof Tensor);
        else throw new TypeError(`register_backward_hook: the output of ${this._get_name()}.forward holds no Tensor to hook`);
      }
      if (v.grad_fn !== null) {
        for (const hook of nonFull) registerNodeHook(v, (gradInput, gradOutput) => hook(module, gradInput, gradOutput) ?? undefined);
        maybeWarnNonFullBackwardHook(inputs, result, v);
      }
    }
    return result;
  }

  // ----- registration -----

  register_parameter(name: string, param: Parameter | null): void {
    this.checkName('parameter', name);
    const current = (this as any)[name];
    if (name in this && current !== undefined && current !== null && !(current instanceof Parameter)) {
      throw keyError(`register_parameter(): attribute '${name}' already exists`);
    }
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${pythonTypeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    (this as any)[name] = param;
  }

  register_buffer(name: string, tensor: Tensor | null, persistent?: boolean): void;
  register_buffer(name: string, tensor: Tensor | null, options: { persistent?: boolean }): void;
  register_buffer(...args: unknown[]): void {
    const { name, tensor, persistent } = registerBufferArgs(args);
    this.checkName('buffer', name);
    const internals = this[INTERNALS];
    if (name in this && (this as any)[name] !== undefined && !internals.buffers.has(name)) {
      throw keyError(`register_buffer(): attribute '${name}' already exists`);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${pythonTypeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    internals.buffers.add(name);
    if (persistent) internals.nonPersistent.delete(name);
    else internals.nonPersistent.add(name);
    (this as any)[name] = tensor;
  }

  register_module(name: string, module: Module | null): void {
    this.checkName('module', name);
    const current = (this as any)[name];
    if (name in this && current !== undefined && current !== null && !(current instanceof Module)) {
      throw keyError(`register_module(): attribute '${name}' already exists`);
    }
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`${typeof module} is not a Module subclass`);
    }
    (this as any)[name] = module;
  }

  add_module(name: string, module: Module | null): void {
    this.register_module(name, module);
  }

  private checkName(kind: string, name: string): void {
    if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${typeof name}`);
    if (name.includes('.')) throw new Error(`${kind} name can't contain ".", got: ${name}`);
    if (name === '') throw new Error(`${kind} name can't be empty string ""`);
  }

  // ----- what a module holds, in Python's order -----

  /** The module's own parameters, in field order (Python's _parameters). */
  protected _own_parameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const key of Object.keys(this)) {
      const v = (this as any)[key];
      if (v instanceof Parameter) out.push([key, v]);
    }
    return out;
  }

  protected _own_buffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const name of this[INTERNALS].buffers) {
      const v = (this as any)[name];
      if (v instanceof Tensor) out.push([name, v]);
    }
    return out;
  }

  /** The module's direct submodules (Python's _modules). */
  named_children(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    for (const [name, m] of this._own_modules()) {
      if (!seen.has(m)) {
        seen.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }

  protected _own_modules(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const key of Object.keys(this)) {
      const v = (this as any)[key];
      if (v instanceof Module) out.push([key, v]);
    }
    return out;
  }

  children(): Module[] {
    return this.named_children().map(([, m]) => m);
  }

  named_modules(memo?: Set<Module> | null, prefix?: string, remove_duplicate?: boolean): [string, Module][];
  named_modules(options: { memo?: Set<Module> | null; prefix?: string; remove_duplicate?: boolean }): [string, Module][];
  named_modules(...args: unknown[]): [string, Module][] {
    const { memo: given, prefix, remove_duplicate } = namedModulesArgs(args);
    if (given !== null && !(given instanceof Set)) throw new TypeError(`named_modules(): argument 'memo' must be a Set of modules or null, got ${describeValue(given)}`);
    const out: [string, Module][] = [];
    const memo: Set<Module> = given ?? new Set<Module>();
    const visit = (module: Module, p: string) => {
      if (remove_duplicate) {
        if (memo.has(module)) return;
        memo.add(module);
      }
      out.push([p, module]);
      for (const [name, child] of module._own_modules()) visit(child, p ? `${p}.${name}` : name);
    };
    visit(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.named_modules().map(([, m]) => m);
  }

  private namedMembers<T>(
    members: (m: Module) => [string, T][],
    { prefix = '', recurse = true, remove_duplicate = true }: { prefix?: string; recurse?: boolean; remove_duplicate?: boolean },
  ): [string, T][] {
    const modules: [string, Module][] = recurse ? this.named_modules({ prefix, remove_duplicate }) : [[prefix, this]];
    const memo = new Set<T>();
    const out: [string, T][] = [];
    for (const [modulePrefix, module] of modules) {
      for (const [name, value] of members(module)) {
        if (remove_duplicate) {
          if (memo.has(value)) continue;
          memo.add(value);
        }
        out.push([modulePrefix ? `${modulePrefix}.${name}` : name, value]);
      }
    }
    return out;
  }

  named_parameters(prefix?: string, recurse?: boolean, options?: { remove_duplicate?: boolean }): [string, Parameter][];
  named_parameters(options: NamedMemberOptions): [string, Parameter][];
  named_parameters(...args: unknown[]): [string, Parameter][] {
    // (A call without arguments, as optimizers and state_dict make it, needs no binding.)
    return this.namedMembers((m) => m._own_parameters(), args.length === 0 ? {} : namedParametersArgs(args));
  }

  parameters(recurse?: boolean): Parameter[];
  parameters(options: { recurse?: boolean }): Parameter[];
  parameters(...args: unknown[]): Parameter[] {
    const recurse = args.length === 0 ? true : parametersArgs(args).recurse;
    return this.named_parameters({ recurse }).map(([, p]) => p);
  }

  named_buffers(prefix?: string, recurse?: boolean, options?: { remove_duplicate?: boolean }): [string, Tensor][];
  named_buffers(options: NamedMemberOptions): [string, Tensor][];
  named_buffers(...args: unknown[]): [string, Tensor][] {
    return this.namedMembers((m) => m._own_buffers(), args.length === 0 ? {} : namedBuffersArgs(args));
  }

  buffers(recurse?: boolean): Tensor[];
  buffers(options: { recurse?: boolean }): Tensor[];
  buffers(...args: unknown[]): Tensor[] {
    const recurse = args.length === 0 ? true : buffersArgs(args).recurse;
    return this.named_buffers({ recurse }).map(([, b]) => b);
  }

  get_submodule(target: string): Module {
    if (target === '') return this;
    let module: Module = this;
    for (const item of target.split('.')) {
      const next = (module as any)[item];
      if (!(next instanceof Module)) {
        throw new Error(`${module._get_name()} has no attribute \`${item}\`` + (next === undefined ? '' : ' that is an nn.Module'));
      }
      module = next;
    }
    return module;
  }

  get_parameter(target: string): Parameter {
    const dot = target.lastIndexOf('.');
    const module = this.get_submodule(dot < 0 ? '' : target.slice(0, dot));
    const name = dot < 0 ? target : target.slice(dot + 1);
    const p = (module as any)[name];
    if (!(p instanceof Parameter)) throw new Error(`\`${name}\` is not an nn.Parameter`);
    return p;
  }

  // ----- modes and gradients -----

  train(mode?: boolean): this;
  train(options: { mode?: boolean }): this;
  train(...args: unknown[]): this {
    // Python's own check and words (Module.train raises ValueError for a non-bool).
    const mode = args.length === 0 ? true : (args.length === 1 && typeof args[0] !== 'object' ? args[0] : trainArgs(args).mode);
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  requires_grad_(requires_grad?: boolean): this;
  requires_grad_(options: { requires_grad?: boolean }): this;
  requires_grad_(...args: unknown[]): this {
    const { requires_grad } = requiresGradArgs(args);
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  /** Zeroes or drops (set_to_none) every parameter's gradient; set_to_none defaults as in the loaded PyTorch (False in 1.13, True from 2.0). */
  zero_grad(set_to_none?: boolean): void;
  zero_grad(options: { set_to_none?: boolean }): void;
  zero_grad(...args: unknown[]): void {
    const { set_to_none } = zeroGradArgs(args);
    zeroGradients(this.parameters(), set_to_none);
  }

  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ----- moving and converting -----

  /** Applies fn to every parameter (in place, keeping its identity), gradient and buffer. */
  protected _apply(fn: (t: Tensor) => Tensor): this {
    for (const child of this.children()) child._apply(fn);
    no_grad(() => {
      for (const [, p] of this._own_parameters()) {
        native.setData(p, fn(p));
        const g = p.grad;
        if (g !== null) native.setData(g, fn(g));
      }
      for (const [name, b] of this._own_buffers()) (this as any)[name] = fn(b);
    });
    return this;
  }

  /**
   * Python's Module.to(device=None, dtype=None, non_blocking=False), to(dtype), to(tensor) or
   * to(memory_format=...): moves and casts the parameters and buffers in place. Only floating-point (and
   * complex) tensors change dtype; memory_format applies to the 4-D and 5-D ones.
   */
  to(device: DeviceLike | null, dtype?: dtype | null, non_blocking?: boolean, options?: { memory_format?: memory_format | null }): this;
  to(dtype: dtype, non_blocking?: boolean, options?: { memory_format?: memory_format | null }): this;
  to(tensor: Tensor, non_blocking?: boolean, options?: { memory_format?: memory_format | null }): this;
  to(options: { device?: DeviceLike | null; dtype?: dtype | null; non_blocking?: boolean; memory_format?: memory_format | null }): this;
  to(...args: unknown[]): this {
    const { device: dev, dtype: dt, non_blocking: nonBlocking, memory_format: memoryFormat } = parseModuleTo(args);
    if (dt !== null && !(dt.is_floating_point || dt.is_complex)) {
      throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${String(dt)}`);
    }
    return this._apply((t) => {
      const d = dt !== null && (t.is_floating_point() || t.is_complex()) ? dt : t.dtype;
      const format = memoryFormat !== null && (t.ndim === 4 || t.ndim === 5) ? memoryFormat : null;
      return t.to({ device: dev ?? t.device, dtype: d, non_blocking: nonBlocking, memory_format: format });
    });
  }

  cpu(): this {
    return this.to('cpu');
  }

  /**
   * Python's Module.share_memory(): moves every parameter, gradient and buffer into shared memory
   * (Tensor.share_memory_(), in place), so that torch.multiprocessing.share(model.state_dict()) hands
   * them to worker threads that then train or read the same weights.
   */
  share_memory(): this {
    for (const p of this.parameters()) {
      p.share_memory_();
      p.grad?.share_memory_();
    }
    for (const b of this.buffers()) b.share_memory_();
    return this;
  }

  cuda(index?: number): this {
    return this.to(index === undefined ? 'cuda' : `cuda:${index}`);
  }

  float(): this {
    return this._apply((t) => (t.is_floating_point() ? t.float() : t));
  }

  double(): this {
    return this._apply((t) => (t.is_floating_point() ? t.double() : t));
  }

  half(): this {
    return this._apply((t) => (t.is_floating_point() ? t.half() : t));
  }

  // ----- state dict -----

  /** Parameters and persistent buffers by dotted name, detached unless keep_vars. */
  state_dict(options?: { destination?: StateDict | null; prefix?: string; keep_vars?: boolean }): StateDict;
  state_dict(...args: unknown[]): StateDict {
    const { destination, prefix, keep_vars } = stateDictArgs(args);
    if (destination !== null && (typeof destination !== 'object' || Array.isArray(destination))) {
      throw new TypeError(`state_dict(): argument 'destination' must be an object of tensors or null, got ${describeValue(destination)}`);
    }
    const out: StateDict = destination ?? {};
    const visit = (module: Module, p: string) => {
      for (const [name, param] of module._own_parameters()) out[p + name] = keep_vars ? param : param.detach();
      const nonPersistent = module[INTERNALS].nonPersistent;
      for (const [name, buf] of module._own_buffers()) {
        if (!nonPersistent.has(name)) out[p + name] = keep_vars ? buf : buf.detach();
      }
      for (const [name, child] of module._own_modules()) visit(child, `${p}${name}.`);
    };
    visit(this, prefix);
    return out;
  }

  /** Copies the state dict's tensors into this module, with PyTorch's checks and messages. */
  load_state_dict(stateDict: StateDict | Map<string, Tensor>, strict?: boolean): IncompatibleKeys;
  load_state_dict(stateDict: StateDict | Map<string, Tensor>, options: { strict?: boolean }): IncompatibleKeys;
  load_state_dict(stateDict: StateDict | Map<string, Tensor>, ...rest: unknown[]): IncompatibleKeys {
    // (The state dict itself is a plain object: it is always the first argument, never the keywords.)
    const { strict } = loadStateDictArgs(rest);
    const entries = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict ?? {}));
    if (stateDict === null || typeof stateDict !== 'object') {
      throw new TypeError(`Expected state_dict to be dict-like, got ${stateDict === null ? 'null' : typeof stateDict}.`);
    }
    const missing: string[] = [];
    const unexpected: string[] = [];
    const errors: string[] = [];
    const load = (module: Module, prefix: string) => {
      const nonPersistent = module[INTERNALS].nonPersistent;
      const local: [string, Tensor][] = [
        ...module._own_parameters(),
        ...module._own_buffers().filter(([name]) => !nonPersistent.has(name)),
      ];
      const localNames = new Set(local.map(([n]) => n));
      for (const [name, param] of local) {
        const key = prefix + name;
        if (!entries.has(key)) {
          missing.push(key);
          continue;
        }
        const input = entries.get(key);
        if (!(input instanceof Tensor)) {
          errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeof input}`);
          continue;
        }
        const same = input.ndim === param.ndim && [...input.shape].every((d, i) => d === param.shape[i]);
        if (!same) {
          errors.push(`size mismatch for ${key}: copying a param with shape ${shapeText(input)} from checkpoint, the shape in current model is ${shapeText(param)}.`);
          continue;
        }
        try {
          no_grad(() => param.copy_(input));
        } catch (err) {
          errors.push(`While copying the parameter named "${key}", whose dimensions in the model are ${shapeText(param)} and whose dimensions in the checkpoint are ${shapeText(input)}, an exception occurred : ${(err as Error).message}.`);
        }
      }
      // Found whether strict or not: Python returns them either way, and raises only when strict.
      const childNames = new Set(module._own_modules().map(([n]) => n));
      for (const key of entries.keys()) {
        if (!key.startsWith(prefix)) continue;
        const head = key.slice(prefix.length).split('.', 1)[0];
        if (!childNames.has(head) && !localNames.has(head)) unexpected.push(key);
      }
      for (const [name, child] of module._own_modules()) load(child, `${prefix}${name}.`);
    };
    load(this, '');
    if (strict) {
      if (unexpected.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `);
      if (missing.length) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) throw new Error(`Error(s) in loading state_dict for ${this._get_name()}:\n\t${errors.join('\n\t')}`);
    return new IncompatibleKeysTuple(missing, unexpected);
  }

  // ----- printing -----

  /** What the module says about itself inside its parentheses. */
  extra_repr(): string {
    return '';
  }

  toString(): string {
    const extra = this.extra_repr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this._own_modules().map(([key, m]) => `(${key}): ${addIndent(String(m), 2)}`);
    const lines = [...extraLines, ...childLines];
    let main = `${this._get_name()}(`;
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * What a module holds besides its fields (which buffers it registered, and
 * how many hooks), for torch.multiprocessing to send it to another thread
 * (multiprocessing/reduction.ts), as Python's pickle sends the whole
 * __dict__. The hidden keys are the symbols under which these live.
 */
export function _moduleInternals(m: Module): { buffers: string[]; nonPersistent: string[]; hooks: number; hidden: symbol[] } {
  const h = (m as any)[HOOKS] as ModuleHooks | undefined;
  const hooks = h === undefined ? 0 : h.forward_pre.size + h.forward.size + h.backward.size;
  return { buffers: [...m[INTERNALS].buffers], nonPersistent: [...m[INTERNALS].nonPersistent], hooks, hidden: [INTERNALS, HOOKS] };
}

/** A module of class cls made without running cls's constructor (which would draw weights), its fields to be defined by the caller. */
export function _emptyModule(cls: abstract new (...args: any[]) => unknown, buffers: readonly string[], nonPersistent: readonly string[]): Module {
  const m = Reflect.construct(Module, [], cls) as Module;
  for (const name of buffers) m[INTERNALS].buffers.add(name);
  for (const name of nonPersistent) m[INTERNALS].nonPersistent.add(name);
  return m;
}

/**
 * Python's copy.deepcopy for modules and what they hold: a module comes back
 * as a new module of the same class, built without running its constructor
 * (which would draw new weights), holding copies of its parameters (Python's
 * Parameter.__deepcopy__: the data cloned, requires_grad kept, no grad),
 * buffers (cloned; a tensor that is not a graph leaf is refused, as Python
 * refuses it), child modules and plain arrays and objects, field by field in
 * their order, so that parameters() and state_dict() keep Python's order.
 * Maps and Sets are copied too (a module's forward pre-hooks). Functions,
 * strings, numbers and other objects (dtypes, devices, a hook's settings)
 * are shared, as deepcopy shares functions and immutable values. What appears twice
 * (a shared parameter, a module used twice) is copied once and shared in the
 * copy, as Python's memo does.
 */
export function deepcopy<T>(value: T, memo: Map<unknown, unknown> = new Map()): T {
  if (value === null || typeof value !== 'object' && typeof value !== 'function') return value;
  if (memo.has(value)) return memo.get(value) as T;
  let copy: unknown;
  if (value instanceof Parameter) {
    copy = no_grad(() => new Parameter(value.detach().clone(), value.requires_grad));
    Object.setPrototypeOf(copy, Object.getPrototypeOf(value));
  } else if (value instanceof Tensor) {
    if (value.grad_fn !== null) {
      throw new Error('Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment');
    }
    const t = no_grad(() => value.detach().clone());
    copy = value.requires_grad ? t.requires_grad_(true) : t;
  } else if (value instanceof Module) {
    const target = Reflect.construct(Module, [], value.constructor) as Module;
    memo.set(value, target);
    const from = value[INTERNALS];
    const to = target[INTERNALS];
    for (const name of from.buffers) to.buffers.add(name);
    for (const name of from.nonPersistent) to.nonPersistent.add(name);
    // Every own property, as Python copies the whole __dict__: the fields in
    // their order, and the hidden ones (a forward hook) as they were defined.
    for (const key of Reflect.ownKeys(value)) {
      if (key === INTERNALS) continue;
      const d = Object.getOwnPropertyDescriptor(value, key)!;
      if ('value' in d) Reflect.defineProperty(target, key, { ...d, value: deepcopy(d.value, memo) });
      else Reflect.defineProperty(target, key, d);
    }
    return target as T;
  } else if (Array.isArray(value)) {
    const out: unknown[] = [];
    memo.set(value, out);
    for (const v of value) out.push(deepcopy(v, memo));
    return out as T;
  } else if (value instanceof Map) {
    const out = new Map();
    memo.set(value, out);
    for (const [k, v] of value) out.set(deepcopy(k, memo), deepcopy(v, memo));
    return out as T;
  } else if (value instanceof Set) {
    const out = new Set();
    memo.set(value, out);
    for (const v of value) out.add(deepcopy(v, memo));
    return out as T;
  } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    memo.set(value, out);
    for (const [k, v] of Object.entries(value)) out[k] = deepcopy(v, memo);
    return out as T;
  } else {
    return value;
  }
  memo.set(value, copy);
  return copy as T;
}
