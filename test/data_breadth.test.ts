// torch.utils.data's breadth against Python (scripts/golden/data_breadth.py):
// every sampler's indices after the same seeds, DataLoader over map-style and
// iterable datasets, random_split, default_collate / default_convert of
// nested structures, dataset indexing, and Python's errors.
import test from 'ava';

import torch, { Tensor } from '../lib';
import { slice } from '../lib/indexing';
import {
  BatchSampler,
  ChainDataset,
  ConcatDataset,
  DataLoader,
  Dataset,
  DistributedSampler,
  IterableDataset,
  RandomSampler,
  Sampler,
  SequentialSampler,
  Subset,
  SubsetRandomSampler,
  TensorDataset,
  WeightedRandomSampler,
  default_collate,
  default_convert,
  get_worker_info,
  random_split,
} from '../lib/utils/data';
import { fixture, flatValues } from './_helpers';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';

/** CPython 3.13's suffix to a def's unknown-keyword TypeError (beside 2.6; 3.11, beside 1.13, adds nothing). */
const didYouMean = (name: string) => (PYTHON_DEFS_SUGGEST_KEYWORDS ? `. Did you mean '${name}'?` : '');

const golden = fixture<any>('data_breadth.json');

/** Our value in the fixture's tagged form (the script's enc()). */
function enc(v: unknown): unknown {
  if (v instanceof Tensor) return { tensor: { dtype: v.dtype.name, shape: [...v.shape], values: flatValues(v) } };
  if (Array.isArray(v)) return { list: v.map(enc) };
  if (typeof v === 'string') return { str: v };
  if (v !== null && typeof v === 'object') return { dict: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enc(x)])) };
  return { value: v ?? null };
}

const range = (n: number) => ({ length: n });
const g = (seed: number) => new torch.Generator().manual_seed(seed);

/** The script's after(): f's result after torch.manual_seed(seed), and the default generator's next draw. */
function after(seed: number, f: () => unknown): { out: unknown; next: number[] } {
  torch.manual_seed(seed);
  const out = f();
  return { out, next: torch.rand(3).tolist() as number[] };
}

class Items extends Dataset<[number, number, string, { a: number; t: Tensor }]> {
  get length(): number {
    return 4;
  }

  getitem(i: number): [number, number, string, { a: number; t: Tensor }] {
    return [i, i * 0.5 + 0.25, `s${i}`, { a: i, t: torch.tensor([i, -i]) }];
  }
}

class Stream extends IterableDataset<{ x: Tensor; y: number }> {
  constructor(readonly n: number, readonly start = 0) {
    super();
  }

  *[Symbol.iterator](): Iterator<{ x: Tensor; y: number }> {
    for (let i = this.start; i < this.start + this.n; i++) yield { x: torch.tensor([i, i + 1]), y: i };
  }

  override get length(): number {
    return this.n;
  }
}

class Endless extends IterableDataset<number> {
  *[Symbol.iterator](): Iterator<number> {
    yield* [0, 1, 2, 3, 4];
  }
}

const twice = (s: Iterable<unknown>) => [[...s], [...s]];

const SAMPLERS: Record<string, [number, () => unknown]> = {
  random_default: [0, () => [[...new RandomSampler(range(10))], [...new RandomSampler(range(10))]]],
  random_generator: [1, () => twice(new RandomSampler(range(10), { generator: g(1) }))],
  random_num_samples: [2, () => [[...new RandomSampler(range(10), { num_samples: 23 })]]],
  random_replacement: [3, () => [[...new RandomSampler(range(7), { replacement: true, num_samples: 70 })]]],
  random_replacement_generator: [3, () => [[...new RandomSampler(range(10), true, null, g(4))]]],
  subset_random: [5, () => twice(new SubsetRandomSampler([10, 20, 30, 40, 50]))],
  subset_random_generator: [5, () => [[...new SubsetRandomSampler([10, 20, 30, 40, 50], { generator: g(6) })]]],
  weighted: [7, () => [[...new WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 20)]]],
  weighted_no_replacement: [7, () => [[...new WeightedRandomSampler(torch.tensor([0.1, 0.9, 0.4, 0.7, 3.0, 0.6]), 5, { replacement: false, generator: g(8) })]]],
  batch: [0, () => [[...new BatchSampler(new SequentialSampler(range(10)), 3, false)]]],
  batch_drop_last: [0, () => [[...new BatchSampler(new SequentialSampler(range(10)), 3, true)]]],
  batch_random: [9, () => [[...new BatchSampler(new RandomSampler(range(10), { generator: g(9) }), 4, false)]]],
};

test('every golden sampler case has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(SAMPLERS).sort(), Object.keys(golden.samplers).sort());
});

for (const [name, want] of Object.entries<any>(golden.samplers)) {
  test(`sampler ${name}: Python's indices, and the default generator left where Python leaves it`, (t) => {
    const [seed, f] = SAMPLERS[name];
    const got = after(seed, f);
    t.deepEqual(got.out, want.out);
    t.deepEqual(got.next, want.next);
  });
}

for (const [name, want] of Object.entries<any>(golden.distributed)) {
  test(`DistributedSampler ${name}: each rank's share, before and after set_epoch(2)`, (t) => {
    const kw: Record<string, Record<string, unknown>> = {
      default: {},
      no_shuffle_drop_last: { shuffle: false, drop_last: true },
      seed_drop_last: { seed: 5, drop_last: true },
      padding: { shuffle: false },
    };
    want.ranks.forEach((r: any, rank: number) => {
      const s = new DistributedSampler(range(want.n), { num_replicas: want.num_replicas, rank, ...kw[name] });
      const epoch0 = [...s];
      s.set_epoch(2);
      t.deepEqual({ epoch0, epoch2: [...s], len: s.length }, r, `rank ${rank}`);
    });
  });
}

const ds = new TensorDataset(torch.arange(10), torch.arange(10).mul(2.5));
const encAll = (l: Iterable<unknown>) => [...l].map(enc);

const LOADERS: Record<string, [number, () => unknown]> = {
  shuffle: [11, () => {
    const l = new DataLoader(ds, { batch_size: 3, shuffle: true });
    return [encAll(l), encAll(l), l.length];
  }],
  generator_drop_last: [12, () => {
    const gen = g(12);
    const l = new DataLoader(ds, { batch_size: 4, shuffle: true, generator: gen, drop_last: true });
    return [encAll(l), encAll(l), l.length, torch.rand(2, { generator: gen }).tolist()];
  }],
  batch_size_none: [0, () => [encAll(new DataLoader(new Items(), { batch_size: null })), new DataLoader(new Items(), { batch_size: null }).length]],
  items_collated: [0, () => [encAll(new DataLoader(new Items(), { batch_size: 3 }))]],
  batch_sampler: [13, () => [encAll(new DataLoader(ds, { batch_sampler: new BatchSampler(new RandomSampler(range(10)), 3, false) }))]],
  sampler: [14, () => [encAll(new DataLoader(ds, { batch_size: 2, sampler: new SubsetRandomSampler([1, 3, 5, 7, 9]) }))]],
  iterable: [15, () => [encAll(new DataLoader(new Stream(7), { batch_size: 3 })), new DataLoader(new Stream(7), { batch_size: 3 }).length]],
  iterable_drop_last: [15, () => [encAll(new DataLoader(new Stream(7), { batch_size: 3, drop_last: true })), new DataLoader(new Stream(7), { batch_size: 3, drop_last: true }).length]],
  iterable_none: [15, () => [encAll(new DataLoader(new Stream(3), { batch_size: null }))]],
  chain: [15, () => [encAll(new DataLoader(new ChainDataset([new Stream(3), new Stream(4, 10)]), { batch_size: 2 })), new ChainDataset([new Stream(3), new Stream(4, 10)]).length]],
  iterable_no_len: [15, () => [encAll(new DataLoader(new Endless(), { batch_size: 2 }))]],
};

test('every golden loader case has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(LOADERS).sort(), Object.keys(golden.loaders).sort());
});

for (const [name, want] of Object.entries<any>(golden.loaders)) {
  test(`DataLoader ${name}: Python's batches, and the default generator left where Python leaves it`, (t) => {
    const [seed, f] = LOADERS[name];
    const got = after(seed, f);
    t.deepEqual(got.out, want.out);
    t.deepEqual(got.next, want.next);
  });
}

test("random_split: Python's indices for lengths, fractions (remainders round-robin) and the default generator", (t) => {
  const idx = (parts: Subset<unknown>[]) => parts.map((p) => p.indices);
  const data = (n: number) => new TensorDataset(torch.arange(n));
  t.deepEqual(idx(random_split(data(10), [3, 7], g(42))), golden.splits.ints_generator);
  t.deepEqual(idx(random_split(data(31), [0.3, 0.3, 0.4], { generator: g(1) })), golden.splits.fractions);
  t.deepEqual(idx(random_split(data(5), [0.5, 0.5], g(2))), golden.splits.fractions_remainder);
  torch.manual_seed(13);
  t.deepEqual(idx(random_split(data(8), [2, 6])), golden.splits.default_generator);
  t.deepEqual(torch.rand(3).tolist(), golden.splits.default_generator_next);
});

test("default_collate and default_convert build Python's structures, dtypes included", (t) => {
  const c = golden.collate;
  t.deepEqual(
    enc(default_collate([
      [torch.tensor([1, 2], { dtype: torch.float32 }), 1, 0.5, true, 'a', { k: [1, 2], m: [3.5, 'x'] }],
      [torch.tensor([3, 4], { dtype: torch.float32 }), 2, 1.5, false, 'b', { k: [3, 4], m: [4.5, 'y'] }],
    ])),
    c.mixed_tuples,
  );
  t.deepEqual(enc(default_collate([{ a: { b: 1, c: [1.5, 2] } }, { a: { b: 2, c: [2.5, 3] } }])), c.nested_dicts);
  t.deepEqual(enc(default_collate([[1, 2], [3, 4], [5, 6]])), c.lists);
  t.deepEqual(enc(default_collate([true, false, true])), c.bools);
  t.deepEqual(enc(default_collate(['x', 'y'])), c.strings);
  t.deepEqual(enc(default_collate([torch.ones(2, 3, { dtype: torch.int32 }), torch.zeros(2, 3, { dtype: torch.int32 })])), c.tensors_2d);
  t.deepEqual(enc(default_convert([1, [2.5, 'a'], { t: torch.tensor([1.5]), u: [true, null] }])), c.convert);
});

test('a Map collates to a Map, key by key', (t) => {
  const out = default_collate([new Map([['x', 1]]), new Map([['x', 2]])]) as Map<string, Tensor>;
  t.true(out instanceof Map);
  t.deepEqual(out.get('x')!.tolist(), [1, 2]);
});

test("TensorDataset, Subset and ConcatDataset index as Python's do (slices, index tensors, lists, negatives)", (t) => {
  const tds = new TensorDataset(torch.arange(12).reshape(6, 2), torch.arange(6));
  const more = new TensorDataset(torch.arange(100, 108).reshape(4, 2), torch.arange(4));
  const i = golden.indexing;
  t.deepEqual(enc(tds.getitem(slice(2, 5))), i.slice);
  t.deepEqual(enc(tds.getitem(slice(0, 6, 2))), i.slice_step);
  t.deepEqual(enc(tds.getitem(torch.tensor([0, 3, 5]))), i.tensor);
  t.deepEqual(enc(tds.getitem([1, 2])), i.list);
  t.deepEqual(enc(tds.getitem(-1)), i.negative);
  t.deepEqual(enc(new Subset(tds, [5, 0, 3]).getitem([0, 2])), i.subset_list);
  const cat = new ConcatDataset([tds, more]);
  t.deepEqual(enc(cat.getitem(7)), i.concat_7);
  t.deepEqual(enc(cat.getitem(-1)), i.concat_neg);
  t.deepEqual(cat.cumulative_sizes, i.concat_sizes);
});

test("ds1.add(ds2) is Python's ds1 + ds2: a ConcatDataset of map datasets, a ChainDataset of streams", (t) => {
  // a = TensorDataset(torch.arange(3)); b = TensorDataset(torch.arange(10, 12)); c = a + b
  const a = new TensorDataset(torch.arange(3));
  const b = new TensorDataset(torch.arange(10, 12));
  const c = a.add(b);
  // type(c).__name__, len(c), c[3], c.cumulative_sizes -> ConcatDataset 5 (tensor(10),) [3, 5]
  t.true(c instanceof ConcatDataset);
  t.is(c.length, 5);
  t.deepEqual(c.getitem(3).map((x) => x.item()), [10]);
  t.deepEqual(c.cumulative_sizes, [3, 5]);
  // d = a + b + a: d.cumulative_sizes, type(d.datasets[0]).__name__, d[-1] -> [5, 8] ConcatDataset (tensor(2),)
  const d = a.add(b).add(a);
  t.deepEqual(d.cumulative_sizes, [5, 8]);
  t.true(d.datasets[0] instanceof ConcatDataset);
  t.deepEqual(d.getitem(-1).map((x) => x.item()), [2]);
  // S(2) + S(3, 10) -> ChainDataset, its items [0, 1, 10, 11, 12]
  const e = new Stream(2).add(new Stream(3, 10));
  t.true(e instanceof ChainDataset);
  t.deepEqual([...e].map((item) => item.y), [0, 1, 10, 11, 12]);
  t.is(e.length, 5);
  // a + S(2) -> AssertionError: ConcatDataset does not support IterableDataset
  t.throws(() => a.add(new Stream(2) as any), { instanceOf: TypeError, message: 'ConcatDataset does not support IterableDataset' });
  // list(S(2) + a) -> AssertionError: ChainDataset only supports IterableDataset
  t.throws(() => [...new Stream(2).add(a as any)], { instanceOf: TypeError, message: 'ChainDataset only supports IterableDataset' });
});

// Python's ValueError, AssertionError and RuntimeError are RangeErrors here
// (concat_iterable's assertion is about a type: TypeError), its TypeError a TypeError.
const ERRORS: Record<string, [() => unknown, ErrorConstructor]> = {
  batch_sampler_exclusive: [() => new DataLoader(ds, { batch_size: 2, batch_sampler: new BatchSampler(new SequentialSampler(ds), 2, false) }), RangeError],
  batch_sampler_shuffle: [() => new DataLoader(ds, { shuffle: true, batch_sampler: new BatchSampler(new SequentialSampler(ds), 2, false) }), RangeError],
  sampler_shuffle: [() => new DataLoader(ds, { shuffle: true, sampler: new SequentialSampler(ds) }), RangeError],
  none_drop_last: [() => new DataLoader(ds, { batch_size: null, drop_last: true }), RangeError],
  iterable_shuffle: [() => new DataLoader(new Stream(3), { shuffle: true }), RangeError],
  random_num_samples: [() => new RandomSampler(range(3), { num_samples: 0 }), RangeError],
  random_replacement: [() => new RandomSampler(range(3), { replacement: 1 as any }), TypeError],
  weighted_num_samples: [() => new WeightedRandomSampler([1.0, 2.0], 0), RangeError],
  weighted_replacement: [() => new WeightedRandomSampler([1.0, 2.0], 2, { replacement: 1 as any }), RangeError],
  weighted_2d: [() => new WeightedRandomSampler(torch.tensor([[1.0, 2.0]]), 2), RangeError],
  batch_size: [() => new BatchSampler(new SequentialSampler(range(3)), 0, false), RangeError],
  batch_drop_last: [() => new BatchSampler(new SequentialSampler(range(3)), 2, 0 as any), RangeError],
  distributed_rank: [() => new DistributedSampler(range(3), { num_replicas: 3, rank: 3 }), RangeError],
  split_sum: [() => random_split(new TensorDataset(torch.arange(10)), [3, 6]), RangeError],
  split_fraction: [() => random_split(new TensorDataset(torch.arange(10)), [1.5, -0.5]), RangeError],
  concat_empty: [() => new ConcatDataset([]), RangeError],
  concat_negative: [() => new ConcatDataset([new TensorDataset(torch.arange(6))]).getitem(-7), RangeError],
  concat_iterable: [() => new ConcatDataset([new Stream(2) as any]), TypeError],
  collate_none: [() => default_collate([null, null]), TypeError],
  collate_unequal: [() => default_collate([[1, 2], [3]]), RangeError],
  iterable_len: [() => new DataLoader(new Endless(), { batch_size: 2 }).length, TypeError],
};

for (const [name, want] of Object.entries<any>(golden.errors)) {
  test(`bad input: ${name} gives Python's message`, (t) => {
    const [f, instanceOf] = ERRORS[name];
    t.throws(f, { instanceOf, message: want.message });
  });
}

test('DistributedSampler without num_replicas or rank says there is no process group to read them from', (t) => {
  // Without a process group, what is not given cannot be read from one (Python's words).
  t.throws(() => new DistributedSampler(range(4), { rank: 0 } as any), { message: /get_world_size\(\): Default process group has not been initialized|Requires distributed package/ });
  t.throws(() => new DistributedSampler(range(4), { num_replicas: 2 } as any), { message: /get_rank\(\): Default process group has not been initialized|Requires distributed package/ });
});

test('a Sampler subclass serves DataLoader, and get_worker_info() is null in the loading process', (t) => {
  class Reversed extends Sampler<number> {
    constructor(readonly n: number) {
      super(null);
    }

    *[Symbol.iterator](): Iterator<number> {
      for (let i = this.n - 1; i >= 0; i--) yield i;
    }

    get length(): number {
      return this.n;
    }
  }
  const batches = [...new DataLoader(ds, { batch_size: 4, sampler: new Reversed(10) })].map((b) => (b as Tensor[])[0].tolist());
  t.deepEqual(batches, [[9, 8, 7, 6], [5, 4, 3, 2], [1, 0]]);
  t.is(get_worker_info(), null);
});

test('DataLoader refuses a sampler or batch_sampler for an IterableDataset, and TensorDataset a non-index', (t) => {
  t.throws(() => new DataLoader(new Stream(3), { sampler: new SequentialSampler(range(3)) }), { instanceOf: RangeError, message: /expected unspecified sampler option/ });
  t.throws(() => new DataLoader(new Stream(3), { batch_sampler: new BatchSampler(new SequentialSampler(range(3)), 2, false) }), {
    instanceOf: RangeError,
    message: /expected unspecified batch_sampler option/,
  });
  t.throws(() => new TensorDataset(torch.arange(3)).getitem('1' as any), { instanceOf: TypeError, message: /TensorDataset indices must be an int, a slice, a list of ints or a Tensor/ });
});

test("the new samplers and datasets bind Python's positionals and refuse unknown keywords", (t) => {
  // WeightedRandomSampler([1, 2, 3], 4, False, g).replacement -> False; DistributedSampler(range(10), 3, 1, False).rank -> 1
  const w = new WeightedRandomSampler([1, 2, 3], 4, false, g(0));
  t.is(w.replacement, false);
  t.is(w.num_samples, 4);
  t.is(String(w.weights.dtype), 'torch.float64');
  const d = new DistributedSampler(range(10), 3, 1, false);
  t.deepEqual([d.rank, d.num_replicas, d.shuffle, d.length], [1, 3, false, 4]);
  t.deepEqual([...d], [1, 4, 7, 0]);
  // WeightedRandomSampler([1, 2], 2, replacment=False) -> TypeError: WeightedRandomSampler.__init__() got an unexpected keyword argument 'replacment'. Did you mean 'replacement'?
  t.throws(() => new WeightedRandomSampler([1, 2], 2, { replacment: false } as any), {
    instanceOf: TypeError,
    message: `WeightedRandomSampler() got an unexpected keyword argument 'replacment'${didYouMean('replacement')}`,
  });
  // DistributedSampler(range(4), num_replicas=2, rank=0, shufle=False) -> ... unexpected keyword argument 'shufle'. Did you mean 'shuffle'?
  t.throws(() => new DistributedSampler(range(4), { num_replicas: 2, rank: 0, shufle: false } as any), {
    instanceOf: TypeError,
    message: `DistributedSampler() got an unexpected keyword argument 'shufle'${didYouMean('shuffle')}`,
  });
  t.throws(() => new (ChainDataset as any)([new Stream(1)], 2), { instanceOf: TypeError, message: /ChainDataset\(\) takes 1 positional argument but 2 were given/ });
  t.throws(() => new WeightedRandomSampler('abc' as any, 2), { instanceOf: TypeError, message: /argument 'weights' must be a sequence of floats or a Tensor/ });
});
