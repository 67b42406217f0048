// nn.Parameter: a Tensor that a Module registers as learnable. It is one of
// the addon's tensors with Parameter.prototype in its prototype chain, so it
// is a Tensor everywhere and `instanceof Parameter` tells the two apart.
import { _C } from '../_C';
import { tensorRepr } from '../_tensor_str';
import { Tensor } from '../tensor';
import { inspect } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Parameter extends Tensor {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Parameter {
  /** Python's Parameter(data, requires_grad=True): shares data's storage, detached from its graph. */
  constructor(data: Tensor, requires_grad = true) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter(data): data must be a Tensor, got ${data === null ? 'null' : typeof data}`);
    }
    const p: Tensor = _C.detach(data);
    Object.setPrototypeOf(p, new.target.prototype);
    p.requires_grad_(requires_grad);
    return p as Parameter;
  }

  toString(): string {
    return `Parameter containing:\n${tensorRepr(this)}`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

Object.setPrototypeOf(Parameter.prototype, Tensor.prototype);
