// torch.Generator: a random-number generator of its own, for draws that must
// not disturb (or be disturbed by) the default generator's sequence.
import { inspect } from 'node:util';

import { native } from './native';

export class Generator {
  /** The native handle that op arguments of type Generator read. */
  readonly _handle: object;
  readonly device: string;

  constructor(device = 'cpu') {
    this.device = String(device);
    this._handle = native.generatorNew(this.device);
  }

  manual_seed(seed: number | bigint): this {
    native.generatorManualSeed(this._handle, seed);
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
export const default_generator: Generator = Object.create(Generator.prototype, {
  _handle: { value: native.generatorDefault() },
  device: { value: 'cpu' },
});
