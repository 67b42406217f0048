// torch.Size: a tensor's shape, an array of ints that prints as PyTorch's.
import { inspect } from 'node:util';

export class Size extends Array<number> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  static fromDims(dims: readonly number[]): Size {
    const s = new Size();
    for (const d of dims) s.push(d);
    return s;
  }

  numel(): number {
    return this.reduce((a, b) => a * b, 1);
  }

  override toString(): string {
    return `torch.Size([${this.join(', ')}])`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
