// nn.utils.rnn, after torch/nn/utils/rnn.py (1.13): PackedSequence, the
// form in which the recurrent modules take a batch of sequences of
// different lengths without computing over the padding, and the functions
// that pack, pad and unpad such batches.
import { inspect } from 'node:util';

import { describeValue } from '../../_describe';
import { aten } from '../../aten';
import { bool as boolDtype, float16, float32, float64, int16, int32, int64, int8, uint8 } from '../../dtype';
import { arange, empty_like, tensor } from '../../factories';
import { Tensor } from '../../tensor';
import { def_, type PyArgs } from '../modules/utils';

const C = {
  _pack_padded_sequence: aten('_pack_padded_sequence', ''),
  _pad_packed_sequence: aten('_pad_packed_sequence', ''),
  pad_sequence: aten('pad_sequence', ''),
};

function shapeOf(t: Tensor): string {
  return `[${[...t.shape].join(', ')}]`;
}

/** Runs an ATen call whose errors should name the Python function the user called. */
function naming<T>(fn: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (err instanceof Error && !err.message.startsWith(`${fn}(): `)) err.message = `${fn}(): ${err.message}`;
    throw err;
  }
}

export interface PackedSequenceKwargs {
  data: Tensor | readonly [Tensor, Tensor];
  batch_sizes?: Tensor | null;
  sorted_indices?: Tensor | null;
  unsorted_indices?: Tensor | null;
}

const packedSequenceArgs = def_<Required<PackedSequenceKwargs>>(
  'PackedSequence(Any data, Tensor? batch_sizes=None, Tensor? sorted_indices=None, Tensor? unsorted_indices=None)',
);

/**
 * A batch of B sequences of different lengths, packed time step by time
 * step: `data` (sum of the lengths, *) holds, for each t, the t-th element of
 * every sequence at least t+1 long; `batch_sizes` (int64, on the CPU) says
 * how many sequences that is at each t. The sequences are in decreasing
 * order of length; `sorted_indices` is the order in which they were given
 * to be sorted (null when they came sorted), `unsorted_indices` its inverse.
 *
 * Made by pack_padded_sequence and pack_sequence, not by hand. Destructures
 * as Python's named tuple does: `const [data, batch_sizes] = packed`.
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batch_sizes: Tensor;
  readonly sorted_indices: Tensor | null;
  readonly unsorted_indices: Tensor | null;

  /** Python's PackedSequence(data, batch_sizes=None, sorted_indices=None, unsorted_indices=None); data may be the pair [data, batch_sizes]. */
  constructor(...args: PyArgs<[data: Tensor | readonly [Tensor, Tensor]], [batch_sizes: Tensor | null, sorted_indices: Tensor | null, unsorted_indices: Tensor | null], PackedSequenceKwargs>);
  constructor(...args: unknown[]) {
    const bound = packedSequenceArgs(args);
    let { data, batch_sizes } = bound;
    const { sorted_indices } = bound;
    const unsorted_indices = bound.unsorted_indices ?? invert_permutation(sorted_indices);
    if (batch_sizes === null) {
      // Python's second form: the pair that _pack_padded_sequence returns.
      if (!Array.isArray(data) || data.length !== 2 || !(data[0] instanceof Tensor) || !(data[1] instanceof Tensor)) {
        throw new TypeError(`PackedSequence(): without batch_sizes, data must be the pair [data, batch_sizes], not ${describeValue(data)}`);
      }
      [data, batch_sizes] = data as [Tensor, Tensor];
    } else if (!(data instanceof Tensor)) {
      throw new TypeError(`PackedSequence(): argument 'data' must be Tensor, not ${describeValue(data)}`);
    } else if (batch_sizes.device.type !== 'cpu') {
      throw new RangeError(
        'batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. ' +
          'They should be instantiated by functions like pack_sequence and pack_padded_sequences in nn.utils.rnn. ' +
          'https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence',
      );
    }
    this.data = data as Tensor;
    this.batch_sizes = batch_sizes;
    this.sorted_indices = sorted_indices;
    this.unsorted_indices = unsorted_indices;
  }

  *[Symbol.iterator](): Iterator<Tensor | null> {
    yield this.data;
    yield this.batch_sizes;
    yield this.sorted_indices;
    yield this.unsorted_indices;
  }

  /**
   * data.to(...args); the indices follow data to its device, and
   * batch_sizes stays on the CPU. This sequence itself when nothing changes.
   */
  to(...args: Parameters<Tensor['to']>): PackedSequence {
    const data = this.data.to(...args);
    if (data.dtype === this.data.dtype && String(data.device) === String(this.data.device) && data.data_ptr() === this.data.data_ptr()) return this;
    const follow = (t: Tensor | null) => (t === null ? null : t.to(data.device));
    return new PackedSequence(data, this.batch_sizes, follow(this.sorted_indices), follow(this.unsorted_indices));
  }

  cpu(): PackedSequence {
    return this.to('cpu');
  }

  cuda(device?: number | string): PackedSequence {
    return this.to(device === undefined ? 'cuda' : typeof device === 'number' ? `cuda:${device}` : device);
  }

  double(): PackedSequence {
    return this.to({ dtype: float64 });
  }

  float(): PackedSequence {
    return this.to({ dtype: float32 });
  }

  half(): PackedSequence {
    return this.to({ dtype: float16 });
  }

  long(): PackedSequence {
    return this.to({ dtype: int64 });
  }

  int(): PackedSequence {
    return this.to({ dtype: int32 });
  }

  short(): PackedSequence {
    return this.to({ dtype: int16 });
  }

  char(): PackedSequence {
    return this.to({ dtype: int8 });
  }

  byte(): PackedSequence {
    return this.to({ dtype: uint8 });
  }

  get is_cuda(): boolean {
    return this.data.is_cuda;
  }

  /** Python's named-tuple repr. */
  toString(): string {
    const field = (t: Tensor | null) => (t === null ? 'None' : String(t));
    return `PackedSequence(data=${field(this.data)}, batch_sizes=${field(this.batch_sizes)}, sorted_indices=${field(this.sorted_indices)}, unsorted_indices=${field(this.unsorted_indices)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** The inverse of a permutation of 0..n-1 (null for null): output[permutation[i]] = i. */
export function invert_permutation(permutation: Tensor | null): Tensor | null {
  if (permutation === null) return null;
  const output = empty_like(permutation);
  output.scatter_(0, permutation, arange(0, permutation.numel(), { device: permutation.device }));
  return output;
}

/**
 * lengths as Python's torch.as_tensor(lengths, dtype=torch.int64) gives
 * them; an array must hold ints (Python would truncate 2.5 to 2 unsaid).
 */
function lengthsTensor(fn: string, lengths: unknown): Tensor {
  if (lengths instanceof Tensor) return lengths.to(int64);
  if (Array.isArray(lengths) && lengths.every((n) => typeof n === 'number' && Number.isInteger(n))) return tensor(lengths as number[], { dtype: int64 });
  throw new TypeError(`${fn}(): argument 'lengths' must be a Tensor or an array of ints, not ${describeValue(lengths)}`);
}

export interface PackPaddedSequenceKwargs {
  input: Tensor;
  lengths: Tensor | readonly number[];
  batch_first?: boolean;
  enforce_sorted?: boolean;
}

const packPaddedArgs = def_<Required<PackPaddedSequenceKwargs>>(
  'pack_padded_sequence(Tensor input, Any lengths, bool batch_first=False, bool enforce_sorted=True)',
);

/**
 * Packs a padded batch: input is (T, B, *), or (B, T, *) when batch_first,
 * with sequence b valid for its first lengths[b] steps. With enforce_sorted
 * the lengths must be in decreasing order; otherwise the batch is sorted
 * here and the PackedSequence keeps the permutation, so that the modules
 * hand results back in the order given.
 */
export function pack_padded_sequence(...args: PyArgs<[input: Tensor, lengths: Tensor | readonly number[]], [batch_first: boolean, enforce_sorted: boolean], PackPaddedSequenceKwargs>): PackedSequence;
export function pack_padded_sequence(...args: unknown[]): PackedSequence {
  const bound = packPaddedArgs(args);
  const { input, batch_first, enforce_sorted } = bound;
  const fn = 'pack_padded_sequence';
  let lengths = lengthsTensor(fn, bound.lengths);
  if (lengths.ndim !== 1) throw new RangeError(`${fn}(): 'lengths' must be 1-D, got a tensor of shape ${shapeOf(lengths)}`);
  const batchDim = batch_first ? 0 : 1;
  if (input.ndim < 2) throw new RangeError(`${fn}(): input must have a time and a batch dimension, got a tensor of shape ${shapeOf(input)}`);
  const values = lengths.tolist() as number[];
  // ATen checks the count, the order and the sign of the lengths (Python's
  // messages, below), but not that they fit in the input: a length past its
  // end would be read out of bounds.
  const batch = input.size(batchDim);
  if (values.length !== batch) throw new RangeError(`${fn}(): Expected \`len(lengths)\` to be equal to batch_size, but got ${values.length} (batch_size=${batch})`);
  if (values.some((n) => n <= 0)) throw new RangeError(`${fn}(): Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0`);
  let sorted_indices: Tensor | null = null;
  let padded = input;
  if (enforce_sorted) {
    if (values.some((n, i) => i > 0 && n > values[i - 1])) {
      throw new RangeError(
        `${fn}(): \`lengths\` array must be sorted in decreasing order when \`enforce_sorted\` is True. You can pass \`enforce_sorted=False\` ` +
          'to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.',
      );
    }
  } else {
    const [sortedLengths, indices] = lengths.sort({ descending: true });
    lengths = sortedLengths;
    sorted_indices = indices.to(input.device);
    padded = input.index_select(batchDim, sorted_indices);
  }
  const steps = input.size(batch_first ? 1 : 0);
  const longest = Math.max(...values);
  if (longest > steps) throw new RangeError(`${fn}(): a length of ${longest} is longer than the input's ${steps} time steps (input of shape ${shapeOf(input)}, batch_first=${batch_first ? 'True' : 'False'})`);
  const [data, batch_sizes] = naming(fn, () => C._pack_padded_sequence(padded, lengths, batch_first)) as [Tensor, Tensor];
  return new PackedSequence(data, batch_sizes, sorted_indices, null);
}

export interface PadPackedSequenceKwargs {
  sequence: PackedSequence;
  batch_first?: boolean;
  padding_value?: number;
  total_length?: number | null;
}

const padPackedArgs = def_<Required<PadPackedSequenceKwargs>>(
  'pad_packed_sequence(Any sequence, bool batch_first=False, float padding_value=0.0, int? total_length=None)',
);

/**
 * The inverse of pack_padded_sequence: [padded, lengths], padded (T, B, *)
 * or (B, T, *) when batch_first, filled with padding_value past each
 * sequence's end, T the longest length or total_length; lengths int64, in
 * the order the sequences were given.
 */
export function pad_packed_sequence(...args: PyArgs<[sequence: PackedSequence], [batch_first: boolean, padding_value: number, total_length: number | null], PadPackedSequenceKwargs>): [Tensor, Tensor];
export function pad_packed_sequence(...args: unknown[]): [Tensor, Tensor] {
  const { sequence, batch_first, padding_value, total_length } = padPackedArgs(args);
  if (!(sequence instanceof PackedSequence)) throw new TypeError(`pad_packed_sequence(): argument 'sequence' must be a PackedSequence, not ${describeValue(sequence)}`);
  let max_seq_length = sequence.batch_sizes.size(0);
  if (total_length !== null) {
    if (total_length < max_seq_length) {
      throw new RangeError(
        'pad_packed_sequence(): Expected total_length to be at least the length of the longest sequence in input, but got ' +
          `total_length=${total_length} and max sequence length being ${max_seq_length}`,
      );
    }
    max_seq_length = total_length;
  }
  const [padded, lengths] = naming('pad_packed_sequence', () =>
    C._pad_packed_sequence(sequence.data, sequence.batch_sizes, batch_first, padding_value, max_seq_length),
  ) as [Tensor, Tensor];
  const unsorted = sequence.unsorted_indices;
  if (unsorted === null) return [padded, lengths];
  return [padded.index_select(batch_first ? 0 : 1, unsorted), lengths.index_select(0, unsorted.cpu())];
}

export interface PadSequenceKwargs {
  sequences: readonly Tensor[] | Tensor;
  batch_first?: boolean;
  padding_value?: number;
}

const padSequenceArgs = def_<Required<PadSequenceKwargs>>('pad_sequence(Any sequences, bool batch_first=False, float padding_value=0.0)');

/**
 * Stacks sequences of shapes (L_i, *) into one (T, B, *) tensor, or
 * (B, T, *) when batch_first, T the longest L_i, padded with padding_value.
 * A tensor is taken as the sequences along its first dimension.
 */
export function pad_sequence(...args: PyArgs<[sequences: readonly Tensor[] | Tensor], [batch_first: boolean, padding_value: number], PadSequenceKwargs>): Tensor;
export function pad_sequence(...args: unknown[]): Tensor {
  const { sequences, batch_first, padding_value } = padSequenceArgs(args);
  const list = sequencesList('pad_sequence', sequences);
  if (list.length === 0) throw new RangeError('pad_sequence(): received an empty list of sequences');
  return naming('pad_sequence', () => C.pad_sequence(list, batch_first, padding_value)) as Tensor;
}

function sequencesList(fn: string, sequences: unknown): Tensor[] {
  if (sequences instanceof Tensor) return sequences.unbind(0);
  if (Array.isArray(sequences)) {
    const bad = sequences.findIndex((s) => !(s instanceof Tensor));
    if (bad < 0) return sequences as Tensor[];
    throw new TypeError(`${fn}(): sequences[${bad}] must be a Tensor, not ${describeValue(sequences[bad])}`);
  }
  throw new TypeError(`${fn}(): Expected an array of Tensors for input sequences, but got ${describeValue(sequences)}`);
}

export interface UnpadSequenceKwargs {
  padded_sequences: Tensor;
  lengths: Tensor | readonly number[];
  batch_first?: boolean;
}

const unpadSequenceArgs = def_<Required<UnpadSequenceKwargs>>('unpad_sequence(Tensor padded_sequences, Any lengths, bool batch_first=False)');

/**
 * The inverse of pad_sequence: the list of sequences, sequence b the first
 * lengths[b] steps of column b. As in PyTorch 1.13, a time-major input
 * (batch_first=False) is transposed in place, and is left so.
 */
export function unpad_sequence(...args: PyArgs<[padded_sequences: Tensor, lengths: Tensor | readonly number[]], [batch_first: boolean], UnpadSequenceKwargs>): Tensor[];
export function unpad_sequence(...args: unknown[]): Tensor[] {
  const { padded_sequences, lengths, batch_first } = unpadSequenceArgs(args);
  // Python compares positions with each length as given (`idx < length`), a tensor's element or a number.
  if (lengths instanceof Tensor && lengths.ndim !== 1) throw new RangeError(`unpad_sequence(): 'lengths' must be 1-D, got a tensor of shape ${shapeOf(lengths)}`);
  const values = lengths instanceof Tensor ? (lengths.tolist() as number[]) : lengths;
  if (!Array.isArray(values) || values.some((n) => typeof n !== 'number')) {
    throw new TypeError(`unpad_sequence(): argument 'lengths' must be a Tensor or an array of numbers, not ${describeValue(lengths)}`);
  }
  if (padded_sequences.ndim < 2) throw new RangeError(`unpad_sequence(): padded_sequences must have a time and a batch dimension, got a tensor of shape ${shapeOf(padded_sequences)}`);
  if (!batch_first) padded_sequences.transpose_(0, 1);
  const max_length = padded_sequences.size(1);
  const idx = arange(max_length);
  // Python zips the batch with the lengths: the shorter of the two decides.
  const seqs = padded_sequences.unbind(0);
  const out: Tensor[] = [];
  for (let b = 0; b < Math.min(seqs.length, values.length); b++) {
    const mask = idx.lt(values[b]);
    out.push(seqs[b].index(mask.to(boolDtype)));
  }
  return out;
}

export interface PackSequenceKwargs {
  sequences: readonly Tensor[];
  enforce_sorted?: boolean;
}

const packSequenceArgs = def_<Required<PackSequenceKwargs>>('pack_sequence(Any sequences, bool enforce_sorted=True)');

/** Packs sequences of shapes (L_i, *): pad_sequence, then pack_padded_sequence with the L_i. */
export function pack_sequence(...args: PyArgs<[sequences: readonly Tensor[]], [enforce_sorted: boolean], PackSequenceKwargs>): PackedSequence;
export function pack_sequence(...args: unknown[]): PackedSequence {
  const { sequences, enforce_sorted } = packSequenceArgs(args);
  const list = sequencesList('pack_sequence', sequences);
  const lengths = list.map((v) => {
    if (v.ndim === 0) throw new RangeError('pack_sequence(): every sequence must have at least one dimension (its length), got a 0-dim tensor');
    return v.size(0);
  });
  return pack_padded_sequence(pad_sequence(list), lengths, { enforce_sorted });
}

const unpackSequenceArgs = def_<{ packed_sequences: PackedSequence }>('unpack_sequence(Any packed_sequences)');

/** The inverse of pack_sequence: the list of sequences, in the order they were packed. */
export function unpack_sequence(...args: PyArgs<[packed_sequences: PackedSequence], [], { packed_sequences: PackedSequence }>): Tensor[];
export function unpack_sequence(...args: unknown[]): Tensor[] {
  const { packed_sequences } = unpackSequenceArgs(args);
  const [padded, lengths] = pad_packed_sequence(packed_sequences, { batch_first: true });
  return unpad_sequence(padded, lengths, { batch_first: true });
}
