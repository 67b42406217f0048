// torch.jit: TorchScript modules scripted and saved by Python (or by
// torchts), run by libtorch's interpreter. A ScriptModule is an nn.Module:
// callable, with parameters (the module's own tensors, so gradients and
// optimizer steps reach it), state_dict, train/eval, to() and save().
import * as fs from 'node:fs';

import { device, type DeviceLike } from './device';
import { dtype, dtypeCode } from './dtype';
import { native } from './native';
import { Module, moduleArgs, parseModuleTo, type StateDict } from './nn/modules/module';
import { Parameter } from './nn/parameter';
import { PickleError } from './serialization/pickle';
import { checkTorchScriptPickle } from './serialization/torchscript';
import { ZipArchive, ZipFormatError } from './serialization/zip';
import { PYTHON_DEF, PythonArgParser } from './_arg_parser';
import type { Tensor } from './tensor';

export class ScriptModule extends Module {
  declare readonly _handle: object;
  declare readonly _path: string;
  declare private _params: Map<string, Parameter>;

  constructor(handle: object, path: string) {
    super();
    Object.defineProperty(this, '_handle', { value: handle, enumerable: false });
    Object.defineProperty(this, '_path', { value: path, enumerable: false });
    Object.defineProperty(this, '_params', { value: new Map(), enumerable: false });
    this.training = native.jitTrain(handle);
  }

  override forward(...inputs: unknown[]): any {
    return native.jitRun(this._handle, 'forward', inputs);
  }

  /** Any method the script defines, as Python's module.method(...). */
  run_method(name: string, ...inputs: unknown[]): any {
    return native.jitRun(this._handle, name, inputs);
  }

  /**
   * forward(...inputs) on libuv's thread pool, awaited: the event loop runs meanwhile (a server answers other
   * requests). Python's nearest is `torch.jit.fork(module, x)` then `torch.jit.wait(future)`. It runs under
   * the grad and inference modes this thread has at the call: called with grad disabled, it builds no graph.
   * Until it settles, its inputs and the module's parameters and buffers are the pool thread's: an op here
   * on any of them (or a view of them) is refused with an error, as is any synchronous use of the module.
   * Calls on a module in eval mode run side by side; in training mode, one at a time.
   */
  forward_async(...inputs: unknown[]): Promise<any> {
    return native.jitRunAsync(this._handle, 'forward', inputs);
  }

  /** run_method(name, ...inputs) as forward_async runs forward. */
  run_method_async(name: string, ...inputs: unknown[]): Promise<any> {
    return native.jitRunAsync(this._handle, name, inputs);
  }

  // Wrappers are made once per parameter, so optimizers can key state on them.
  private asParameter(name: string, t: Tensor): Parameter {
    let p = this._params.get(name);
    if (!p) {
      Object.setPrototypeOf(t, Parameter.prototype);
      p = t as Parameter;
      this._params.set(name, p);
    }
    return p;
  }

  override named_parameters(...args: unknown[]): [string, Parameter][] {
    const { prefix = '' } = args.length === 0 ? {} : moduleArgs.namedParametersArgs(args);
    return native.jitNamedParameters(this._handle).map(([n, t]) => [prefix ? `${prefix}.${n}` : n, this.asParameter(n, t)]);
  }

  override parameters(): Parameter[] {
    return this.named_parameters().map(([, p]) => p);
  }

  override named_buffers(...args: unknown[]): [string, Tensor][] {
    const { prefix = '' } = args.length === 0 ? {} : moduleArgs.namedBuffersArgs(args);
    return native.jitNamedBuffers(this._handle).map(([n, t]) => [prefix ? `${prefix}.${n}` : n, t]);
  }

  override buffers(): Tensor[] {
    return this.named_buffers().map(([, b]) => b);
  }

  override state_dict(...args: unknown[]): StateDict {
    const { destination, prefix, keep_vars } = moduleArgs.stateDictArgs(args);
    const out: StateDict = destination ?? {};
    for (const [n, t] of native.jitStateDict(this._handle)) out[prefix + n] = keep_vars ? t : (t as Tensor).detach();
    return out;
  }

  override train(...args: unknown[]): this {
    const mode = args.length === 0 ? true : args.length === 1 && typeof args[0] !== 'object' ? args[0] : moduleArgs.trainArgs(args).mode;
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = native.jitTrain(this._handle, mode as boolean);
    return this;
  }

  override to(...args: unknown[]): this {
    const bound = parseModuleTo(args);
    const dev = bound.device === null ? null : String(bound.device);
    const dt = bound.dtype;
    if (bound.memory_format !== null) throw new TypeError('ScriptModule.to(): memory_format is not supported for a TorchScript module');
    const code = dt === null ? null : dtypeCode(dt, 'ScriptModule.to()');
    if (dt !== null && !dt.is_floating_point && !dt.is_complex) {
      throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${String(dt)}`);
    }
    // A parameter moved where its old TensorImpl cannot go (to 'meta') is a
    // new tensor, as in Python; the wrappers kept for the old ones go.
    if (native.jitTo(this._handle, dev, code)) this._params.clear();
    return this;
  }

  save(path: string): void {
    if (typeof path !== 'string') throw new TypeError(`ScriptModule.save: path must be a string, got ${typeof path}`);
    try {
      native.jitSave(this._handle, path);
    } catch (err) {
      throw new Error(`torch.jit.save: cannot write ${path}: ${(err as Error).message}`);
    }
  }

  override toString(): string {
    return `ScriptModule(${this._path})`;
  }
}

export interface JitLoadOptions {
  map_location?: DeviceLike | null;
  /** Only null: extra files are not read yet. */
  _extra_files?: null;
}

const loadArgs = new PythonArgParser(['load(str f, Any map_location=None, Any _extra_files=None)'], PYTHON_DEF);
const saveArgs = new PythonArgParser(['save(Any m, str f, Any _extra_files=None)'], PYTHON_DEF);

function noExtraFiles(fn: string, v: unknown): void {
  if (v !== null) throw new RangeError(`torch.jit.${fn}: _extra_files is not supported yet; pass null (Python's default)`);
}

/** torch.jit.load(f, map_location=None, _extra_files=None): a TorchScript module saved by Python's torch.jit.save or ScriptModule.save. */
export function load(f: string, options?: JitLoadOptions): ScriptModule;
export function load(f: string, map_location: DeviceLike | null, _extra_files?: null): ScriptModule;
export function load(...args: unknown[]): ScriptModule {
  const { f: path, map_location, _extra_files } = loadArgs.parseNamed(args) as unknown as { f: string; map_location: DeviceLike | null; _extra_files: unknown };
  noExtraFiles('load', _extra_files);
  if (map_location !== null && map_location !== undefined && typeof map_location !== 'string' && !(map_location instanceof device)) {
    // As Python's torch.jit.load: a dict of locations is torch.load's, not this one's.
    throw new TypeError(`torch.jit.load: map_location should be null, a device string or a torch.device, got ${typeof map_location === 'object' ? 'an object' : `a ${typeof map_location}`}`);
  }
  if (!fs.existsSync(path)) throw new Error(`torch.jit.load: no such file: ${path}`);
  let handle: object;
  try {
    checkArchive(path);
    handle = native.jitLoad(path, map_location === null ? null : String(map_location));
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith('torch.jit.load:') ? message : `torch.jit.load: cannot load ${path}: ${message}`);
  }
  return new ScriptModule(handle, path);
}

/**
 * Reads, before libtorch does, what libtorch will read of a TorchScript
 * archive: every pickle through torchts's own unpickler (libtorch's trusts
 * its input; a forged data.pkl crashes it), then the code and the storages
 * the pickles name, checking each record's CRC-32 (libtorch skips them, so a
 * flipped bit would be a different model, not an error). Each record is read
 * bounded by the size the zip directory declares; records nothing names are
 * not read at all.
 */
function checkArchive(path: string): void {
  let archive: ZipArchive;
  try {
    archive = ZipArchive.open(path, 'torch.jit.load');
  } catch (err) {
    if (err instanceof ZipFormatError) throw new Error(`torch.jit.load: cannot load ${path}: not a valid zip archive: ${err.message}`);
    throw err;
  }
  try {
    const named = new Set<string>();
    for (const name of archive.names()) {
      if (!/\.(debug_)?pkl$/.test(name)) continue;
      // PyTorch 2's trace saves its example inputs there with empty storage
      // records; libtorch reads it only when asked to restore input shapes
      // (import.h's restore_shapes, false unless passed), which torchts never asks.
      if (name === 'traced_inputs.pkl') continue;
      try {
        checkTorchScriptPickle(name, archive.read(name, 'torch.jit.load'), (other) => (named.add(other), archive.size(other)));
      } catch (err) {
        if (err instanceof PickleError) throw new Error(`torch.jit.load: ${path}: record ${name}: ${err.message}`);
        throw err;
      }
    }
    for (const name of archive.names()) {
      if (named.has(name) || name === 'version' || (name.startsWith('code/') && name.endsWith('.py'))) archive.read(name, 'torch.jit.load');
    }
  } finally {
    archive.close();
  }
}

/** torch.jit.save(m, f, _extra_files=None). */
export function save(m: ScriptModule, f: string, options?: { _extra_files?: null }): void;
export function save(...args: unknown[]): void {
  const { m: module, f: path, _extra_files } = saveArgs.parseNamed(args) as unknown as { m: ScriptModule; f: string; _extra_files: unknown };
  noExtraFiles('save', _extra_files);
  if (!(module instanceof ScriptModule)) throw new TypeError('torch.jit.save: only a ScriptModule (from torch.jit.load) can be saved as TorchScript');
  module.save(path);
}
