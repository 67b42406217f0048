// Python's torch.return_types: a tuple whose fields also have names, so
// `const { values, indices } = t.max(1)` and `const [values, indices] = t.max(1)`
// both work.
import { inspect } from 'node:util';
import type { Tensor } from './tensor';

export class NamedTensorTuple extends Array<Tensor> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  constructor(
    readonly op: string,
    readonly fieldNames: readonly string[],
  ) {
    super();
  }

  [inspect.custom](): string {
    const fields = this.fieldNames.map((name, i) => `${name}=${String(this[i])}`).join(',\n');
    return `torch.return_types.${this.op}(\n${fields})`;
  }

  override toString(): string {
    return this[inspect.custom]();
  }
}

/** A tuple of tensors that also has them by name (a field named `values` hides Array's method). */
export type NamedTuple<T extends readonly Tensor[], F extends Record<string, Tensor>> = Omit<Readonly<T>, keyof F> & Readonly<F>;

/** `[values, indices]` that also has them by name. */
export type ValuesIndices = NamedTuple<[Tensor, Tensor], { values: Tensor; indices: Tensor }>;

export function valuesIndices(op: string, pair: [Tensor, Tensor]): ValuesIndices {
  return namedTuple(op, ['values', 'indices'], pair) as unknown as ValuesIndices;
}

/** `torch.return_types.<op>`: the tensors in order, each also under its field's name. */
export function namedTuple(op: string, fields: readonly string[], tensors: readonly Tensor[]): NamedTensorTuple {
  const t = new NamedTensorTuple(op, fields);
  fields.forEach((field, i) => {
    t.push(tensors[i]);
    Object.defineProperty(t, field, { value: tensors[i], enumerable: false });
  });
  return t;
}
