// torch.Generator: a random-number generator of its own, for draws that must
// not disturb (or be disturbed by) the default generator's sequence.
import { inspect } from 'node:util';

import { device as Device, type DeviceLike } from './device';
import { describeValue } from './_describe';
import { native } from './native';
import type { Tensor } from './tensor';

class TorchGenerator {
  /** The native handle that op arguments of type Generator read. */
  readonly _handle: object;
  readonly device: string;

  /** torch.Generator(device='cpu'): a CUDA one draws on that device (the current one for 'cuda'). */
  constructor(device: DeviceLike | { device?: DeviceLike } = 'cpu') {
    const where = device !== null && typeof device === 'object' && !(device instanceof Device) ? device.device ?? 'cpu' : device;
    if (typeof where !== 'string' && !(where instanceof Device)) {
      throw new TypeError(`torch.Generator(): argument 'device' must be a device or a string, got ${typeof where}`);
    }
    this._handle = native.generatorNew(String(where));
    this.device = native.generatorDevice(this._handle);
  }

  manual_seed(seed: number | bigint): this {
    native.generatorManualSeed(this._handle, seed);
    return this;
  }

  /** Seeds the generator with a nondeterministic seed (from the OS) and gives it. */
  seed(): bigint {
    return native.generatorSeed(this._handle);
  }

  /** The generator's whole state as a uint8 tensor (Python's get_state()), which set_state takes back. */
  get_state(): Tensor {
    return native.generatorGetState(this._handle);
  }

  /** The generator continues from new_state (what get_state gave, here or in Python). */
  set_state(new_state: Tensor): this {
    setGeneratorState(this._handle, new_state, 'Generator.set_state()');
    return this;
  }

  initial_seed(): bigint {
    return native.generatorInitialSeed(this._handle);
  }

  [inspect.custom](): string {
    return '<torch.Generator object>';
  }
}

/** The process's default CPU generator, which torch.manual_seed seeds. */
// Python's name, in messages that name a value's class.
Object.defineProperty(TorchGenerator, 'name', { value: 'Generator' });

/** torch.Generator, called as Python calls it (`torch.Generator().manual_seed(0)`) or with `new`. */
export interface GeneratorConstructor {
  new (device?: DeviceLike | { device?: DeviceLike }): Generator;
  (device?: DeviceLike | { device?: DeviceLike }): Generator;
  readonly prototype: Generator;
}

export type Generator = TorchGenerator;
// A call without `new` constructs, as Python's torch.Generator() does; `new`
// and `instanceof` work on it as on the class.
export const Generator: GeneratorConstructor = new Proxy(TorchGenerator, {
  apply: (target, _this, args: [(DeviceLike | { device?: DeviceLike })?]) => new target(...args),
}) as unknown as GeneratorConstructor;

export const default_generator: Generator = Object.create(Generator.prototype, {
  _handle: { value: native.generatorDefault() },
  device: { value: 'cpu' },
});

/** Sets a generator's state, with Python's message for what is not a tensor (libtorch checks the rest). */
export function setGeneratorState(handle: object, new_state: unknown, fn: string): void {
  if (!native.isTensor(new_state)) throw new TypeError(`${fn}: expected a torch.ByteTensor, but got ${describeValue(new_state)}`);
  native.generatorSetState(handle, new_state as Tensor);
}
