// nn.Parameter: a Tensor that a Module registers as learnable. It is one of
// the addon's tensors with Parameter.prototype in its prototype chain, so it
// is a Tensor everywhere and `instanceof Parameter` tells the two apart.
import { _C } from '../_C';
import { tensorRepr } from '../_tensor_str';
import { empty } from '../factories';
import { Tensor } from '../tensor';
import { inspect } from 'node:util';
import { def_ } from './modules/utils';

const parameterArgs = def_<{ data: Tensor | null; requires_grad: boolean }>('Parameter(Tensor? data=None, bool requires_grad=True)');

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Parameter extends Tensor {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Parameter {
  /** Python's Parameter(data=None, requires_grad=True): shares data's storage, detached from its graph; no data is an empty tensor. */
  constructor(data?: Tensor | null, requires_grad?: boolean);
  constructor(options: { data?: Tensor | null; requires_grad?: boolean });
  constructor(data: Tensor | null, options: { requires_grad?: boolean });
  constructor(...args: unknown[]) {
    const { data, requires_grad } = parameterArgs(args);
    const p: Tensor = _C.detach(data ?? empty(0));
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
