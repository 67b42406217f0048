// Datasets and DataLoader against torchvision and torch.utils.data on the
// real Fashion-MNIST files (scripts/golden/data.py).
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { DataLoader, TensorDataset, default_collate, random_split } from '../lib/utils/data';
import { datasets, transforms } from '../lib/vision';
import { assertTensorMatches, assertTensorSummary, fixture, type EncodedTensor } from './_helpers';

const golden = fixture<any>('data.json');

for (const split of ['train', 'test'] as const) {
  test(`FashionMNIST ${split}: data, targets, items and batches match torchvision`, (t) => {
    const want = golden.splits[split];
    const ds = new datasets.FashionMNIST({ root: golden.folder, train: split === 'train', transform: new transforms.ToTensor() });
    t.is(ds.length, want.length);
    t.deepEqual([...ds.classes], want.classes);
    t.deepEqual([...ds.data.shape], want.data_shape);
    t.is(String(ds.data.dtype), want.data_dtype);
    t.is(String(ds.targets.dtype), want.targets_dtype);
    t.is(ds.data.sum({ dtype: torch.int64 }).item(), want.data_sum);
    t.is(ds.targets.sum().item(), want.targets_sum);
    t.deepEqual(torch.bincount(ds.targets, { minlength: 10 }).tolist(), want.class_counts);
    assertTensorMatches(t, ds.data.index(0), want.first_data, 'data[0]');
    assertTensorMatches(t, ds.data.index(-1), want.last_data, 'data[-1]');
    const [img0, target0] = ds.getitem(0);
    assertTensorMatches(t, img0, want.first_item.image, 'item 0 image');
    t.is(target0, want.first_item.target);
    const [imgN, targetN] = ds.getitem(ds.length - 1);
    assertTensorMatches(t, imgN, want.last_item.image, 'last item image');
    t.is(targetN, want.last_item.target);

    const loader = new DataLoader(ds, { batch_size: 32, shuffle: false });
    t.is(loader.length, want.loader_length);
    const batches = [...loader] as [Tensor, Tensor][];
    t.is(batches.length, want.loader_length);
    assertTensorSummary(t, batches[0][0], want.first_batch.images, 'first batch images');
    assertTensorMatches(t, batches[0][1], want.first_batch.labels, 'first batch labels');
    const [lastImages, lastLabels] = batches[batches.length - 1];
    t.deepEqual([...lastImages.shape], want.last_batch.images_shape);
    t.true(Math.abs((lastImages.double().sum().item() as number) - want.last_batch.images_sum) < 1e-6 * want.last_batch.images_sum);
    assertTensorMatches(t, lastLabels, want.last_batch.labels, 'last batch labels');
  });
}

test('the batched path gives what item-by-item collation gives', (t) => {
  const ds = new datasets.FashionMNIST({ root: golden.folder, train: false, transform: new transforms.ToTensor() });
  const fast = new DataLoader(ds, { batch_size: 8 });
  const slow = new DataLoader(ds, { batch_size: 8, collate_fn: default_collate });
  const [a] = fast;
  const [b] = slow;
  t.true(a[0].equal(b[0]));
  t.true(a[1].equal(b[1]));
});

const indexSet = () => new TensorDataset(torch.arange(100));
const indices = (loader: DataLoader<Tensor[]>) => [...loader].map((b) => b[0].tolist());

test("shuffle: true gives Python's order after manual_seed, epoch after epoch, and leaves the generator where Python does", (t) => {
  const s = golden.shuffle;
  torch.manual_seed(0);
  const epochs = [0, 1].map(() => indices(new DataLoader(indexSet(), { batch_size: 16, shuffle: true })));
  t.deepEqual(epochs, s.epochs);
  assertTensorMatches(t, torch.rand(3), s.after as EncodedTensor, 'rand after shuffling');
});

test("shuffle with a Generator of one's own", (t) => {
  const g = new torch.Generator().manual_seed(7);
  t.deepEqual(indices(new DataLoader(indexSet(), { batch_size: 10, shuffle: true, generator: g })), golden.shuffle.own_generator);
});

test('an unshuffled epoch still draws the base seed Python draws', (t) => {
  torch.manual_seed(1);
  t.deepEqual(indices(new DataLoader(indexSet(), { batch_size: 50 })), golden.shuffle.unshuffled);
  assertTensorMatches(t, torch.rand(2), golden.shuffle.unshuffled_then_rand, 'rand after an epoch');
});

test('drop_last drops the short batch', (t) => {
  const loader = new DataLoader(indexSet(), { batch_size: 30, drop_last: true });
  t.is(loader.length, 3);
  t.deepEqual(indices(loader), golden.shuffle.drop_last);
});

test("random_split gives Python's subsets", (t) => {
  torch.manual_seed(2);
  t.deepEqual(random_split(indexSet(), [60, 30, 10]).map((s) => s.indices), golden.random_split.indices);
  t.deepEqual(random_split(new TensorDataset(torch.arange(7)), [0.5, 0.3, 0.2]).map((s) => s.length), golden.random_split.fraction_lengths);
});

test('default_collate turns numbers, tensors, pairs and objects into what Python makes', (t) => {
  const c = golden.collate;
  assertTensorMatches(t, default_collate([1, 2, 3]), c.ints, 'ints');
  assertTensorMatches(t, default_collate([1.5, 2.0, -3.25]), c.floats, 'floats');
  const f = { dtype: torch.float };
  assertTensorMatches(t, default_collate([torch.tensor([1, 2], f), torch.tensor([3, 4], f)]), c.tensors, "tensors");
  const pairs = default_collate([[torch.tensor([1, 2]), 0], [torch.tensor([3, 4]), 1]]);
  c.pairs.forEach((e: EncodedTensor, k: number) => assertTensorMatches(t, pairs[k], e, `pairs[${k}]`));
  const dicts = default_collate([{ x: 1.5, y: 1 }, { x: 2.5, y: 0 }]);
  for (const [k, e] of Object.entries(c.dicts)) assertTensorMatches(t, dicts[k as keyof typeof dicts], e as EncodedTensor, `dicts.${k}`);
});
