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

/** `[values, indices]` that also has them by name (its `values` is a field, not Array's method). */
export type ValuesIndices = Omit<readonly [Tensor, Tensor], 'values'> & {
  readonly values: Tensor;
  readonly indices: Tensor;
};

export function valuesIndices(op: string, pair: [Tensor, Tensor]): ValuesIndices {
  const t = new NamedTensorTuple(op, ['values', 'indices']);
  t.push(pair[0], pair[1]);
  Object.defineProperty(t, 'values', { value: pair[0], enumerable: false });
  Object.defineProperty(t, 'indices', { value: pair[1], enumerable: false });
  return t as unknown as ValuesIndices;
}
