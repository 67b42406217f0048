// KMNIST, EMNIST and QMNIST on tiny fake IDX files in torchvision's layout
// (scripts/golden/vision_mnist.py writes them and records what torchvision
// 0.14 reads): the same lengths, images, targets, classes and reprs, per
// split and subset.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { DataLoader } from '../lib/utils/data';
import { datasets } from '../lib/vision';
import { decodeTensor, fixture, flatValues, type EncodedTensor } from './_helpers';

interface Summary {
  length: number;
  data_shape: number[];
  data_sum: number;
  targets: EncodedTensor | null;
  targets_sum: number;
  classes: string[];
  items: Record<string, [EncodedTensor, number | EncodedTensor]>;
  repr: string;
}
const golden = fixture<Record<string, Summary> & { files: Record<string, Record<string, string>> }>('vision_mnist.json');

// Written as torchvision leaves them after a download: unpacked, in root/<Class>/raw.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-mnists-'));
for (const [cls, files] of Object.entries(golden.files)) {
  fs.mkdirSync(path.join(root, cls, 'raw'), { recursive: true });
  for (const [name, b64] of Object.entries(files)) {
    fs.writeFileSync(path.join(root, cls, 'raw', name.replace(/\.gz$/, '')), require('node:zlib').gunzipSync(Buffer.from(b64, 'base64')));
  }
}

function check(t: import('ava').ExecutionContext, ds: datasets.MNIST<Tensor, any>, want: Summary): void {
  t.is(ds.length, want.length);
  t.deepEqual([...ds.data.shape], want.data_shape);
  t.is(ds.data.long().sum().item(), want.data_sum);
  t.is(ds.targets.dtype, torch.int64);
  t.is(ds.targets.sum().item(), want.targets_sum);
  if (want.targets) t.deepEqual(flatValues(ds.targets), flatValues(decodeTensor(want.targets)));
  t.deepEqual([...ds.classes], want.classes);
  for (const [i, [img, target]] of Object.entries(want.items)) {
    const [gotImg, gotTarget] = ds.getitem(Number(i));
    t.deepEqual(flatValues(gotImg), flatValues(decodeTensor(img)), `item ${i}: image`);
    if (typeof target === 'number') t.is(gotTarget, target, `item ${i}: target`);
    else t.deepEqual(flatValues(gotTarget as Tensor), flatValues(decodeTensor(target)), `item ${i}: target row`);
  }
  t.is(String(ds).replace(root, '<root>'), want.repr);
}

test('KMNIST reads its train and test files as torchvision', (t) => {
  check(t, new datasets.KMNIST(root), golden.kmnist_train);
  check(t, new datasets.KMNIST(root, { train: false }), golden.kmnist_test);
});

test('EMNIST reads each split and gives its classes', (t) => {
  check(t, new datasets.EMNIST(root, 'letters'), golden.emnist_letters_train);
  check(t, new datasets.EMNIST(root, 'balanced', { train: false }), golden.emnist_balanced_test);
  check(t, new datasets.EMNIST({ root, split: 'balanced', train: false }), golden.emnist_balanced_test);
  t.deepEqual(datasets.EMNIST.classes_split_dict.byclass.slice(8, 12), ['8', '9', 'A', 'B']);
  t.is(datasets.EMNIST.classes_split_dict.bymerge.length, 47);
});

test('QMNIST reads every subset, with compat targets or whole rows', (t) => {
  check(t, new datasets.QMNIST(root), golden.qmnist_train);
  check(t, new datasets.QMNIST(root, { compat: false }), golden.qmnist_train_nocompat);
  check(t, new datasets.QMNIST(root, 'test'), golden.qmnist_test);
  check(t, new datasets.QMNIST(root, { what: 'test10k' }), golden.qmnist_test10k);
  check(t, new datasets.QMNIST(root, 'test50k', false), golden.qmnist_test50k);
  check(t, new datasets.QMNIST(root, { train: false }), golden.qmnist_train_false);
});

test('a DataLoader batches QMNIST targets as default_collate would', (t) => {
  const [[, compat]] = new DataLoader(new datasets.QMNIST(root), { batch_size: 3 });
  t.deepEqual([...compat.shape], [3]);
  t.deepEqual(compat.tolist(), [0, 1, 2].map((i) => new datasets.QMNIST(root).getitem(i)[1]));
  const [[, rows]] = new DataLoader(new datasets.QMNIST(root, { compat: false }), { batch_size: 3 });
  t.deepEqual([...rows.shape], [3, 8]);
});

test('bad splits and missing files are errors that say what is expected', (t) => {
  t.throws(() => new datasets.EMNIST(root, 'letter' as any), { instanceOf: RangeError, message: /EMNIST\(\): Unknown value 'letter' for argument split. Valid values are \{'byclass', 'bymerge', 'balanced', 'letters', 'digits', 'mnist'\}/ });
  // @ts-expect-error: split is required, as in Python
  t.throws(() => new datasets.EMNIST(root), { instanceOf: TypeError, message: /split/ });
  t.throws(() => new datasets.QMNIST(root, 'valid' as any), { instanceOf: RangeError, message: /Unknown value 'valid' for argument what/ });
  t.throws(() => new datasets.EMNIST(root, 'digits'), { message: /EMNIST not found: expected emnist-digits-train-images-idx3-ubyte/ });
  t.throws(() => new datasets.EMNIST(root, 'digits', { download: true }), { message: /download is not available.*gzip\.zip/ });
  t.throws(() => new datasets.QMNIST(root, 'nist', { download: true }), { message: /xnist-images-idx3-ubyte.xz is xz-compressed/ });
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-q-'));
  fs.mkdirSync(path.join(other, 'QMNIST', 'raw'), { recursive: true });
  fs.copyFileSync(path.join(root, 'QMNIST', 'raw', 'qmnist-train-images-idx3-ubyte'), path.join(other, 'QMNIST', 'raw', 'qmnist-train-images-idx3-ubyte'));
  // Labels in MNIST's byte format where QMNIST's int rows belong.
  fs.copyFileSync(path.join(root, 'KMNIST', 'raw', 'train-labels-idx1-ubyte'), path.join(other, 'QMNIST', 'raw', 'qmnist-train-labels-idx2-int'));
  t.throws(() => new datasets.QMNIST(other), { message: /holds element type 0x8; QMNIST label files hold 32-bit ints/ });
});
