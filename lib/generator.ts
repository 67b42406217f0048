// torch.Generator: a random-number generator of its own, for draws that must
// not disturb (or be disturbed by) the default generator's sequence.
import { inspect } from 'node:util';

import { device as Device, type DeviceLike } from './device';
import { native } from './native';

export class Generator {
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

  initial_seed(): bigint {
    return native.generatorInitialSeed(this._handle);
  }

  [inspect.custom](): string {
    return '<torch.Generator object>';
  }
}

/** The process's default CPU generator, which torch.manual_seed seeds. */
export const default_generator: Generator = Object.create(Generator.prototype, {
  _handle: { value: native.generatorDefault() },
  device: { value: 'cpu' },
});
