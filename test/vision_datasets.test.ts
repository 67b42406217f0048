// torchvision.datasets CIFAR10/CIFAR100 on tiny fake datasets in the real
// formats (scripts/golden/vision_datasets.py writes them and records what
// torchvision 0.14 reads): the same lengths, images, targets and classes.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { DataLoader } from '../lib/utils/data';
import { datasets, transforms } from '../lib/vision';
import { fixture } from './_helpers';

type Sums = { train_list: [string, string][]; test_list: [string, string][]; meta: { filename: string; key: string; md5: string } };
interface Read {
  length: number;
  data_shape: number[];
  data_md5: string;
  targets: number[];
  classes: string[];
  class_to_idx: Record<string, number>;
  item0_shape: number[];
  item0_md5: string;
  item0_target: number;
  repr: string;
}
const golden = fixture<{
  cifar10_files: Record<string, string>;
  cifar100_files: Record<string, string>;
  md5: { cifar10: Sums; cifar100: Sums };
  cifar10_archive: { bytes: string; md5: string };
  cifar10_train: Read;
  cifar10_test: Read;
  cifar100_train: Read;
  cifar100_test: Read;
}>('vision_datasets.json');

const md5 = (b: Uint8Array) => crypto.createHash('md5').update(b).digest('hex');
const bytesOf = (t: torch.Tensor) => new Uint8Array((t.contiguous().toTypedArray() as Uint8Array).buffer.slice(0));

function makeRoot(folder: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-cifar-'));
  fs.mkdirSync(path.join(root, folder));
  for (const [name, b64] of Object.entries(files)) fs.writeFileSync(path.join(root, folder, name), Buffer.from(b64, 'base64'));
  return root;
}

// The fake files' MD5s stand in for the real ones, as the Python script's subclasses do.
class Fake10<I = Tensor, T = number> extends datasets.CIFAR10<I, T> {
  static override train_list = golden.md5.cifar10.train_list;
  static override test_list = golden.md5.cifar10.test_list;
  static override meta = golden.md5.cifar10.meta;
}
class Fake100 extends datasets.CIFAR100 {
  static override train_list = golden.md5.cifar100.train_list;
  static override test_list = golden.md5.cifar100.test_list;
  static override meta = golden.md5.cifar100.meta;
}

function check(t: import('ava').ExecutionContext, ds: datasets.CIFAR10<Tensor, number>, want: Read, root: string): void {
  t.is(ds.length, want.length);
  t.deepEqual([...ds.data.shape], want.data_shape);
  t.is(ds.data.dtype, torch.uint8);
  t.is(md5(bytesOf(ds.data)), want.data_md5, 'the images, byte for byte, in (N, 32, 32, 3) order');
  t.deepEqual(ds.targets, want.targets);
  t.deepEqual(ds.classes, want.classes);
  t.deepEqual(ds.class_to_idx, want.class_to_idx);
  const [img, target] = ds.getitem(0);
  t.deepEqual([...img.shape], want.item0_shape);
  t.is(md5(bytesOf(img)), want.item0_md5);
  t.is(target, want.item0_target);
  t.is(String(ds).replace(root, '<root>'), want.repr);
}

test('CIFAR10 reads Python 2 pickled batches as torchvision does, train and test', (t) => {
  const root = makeRoot('cifar-10-batches-py', golden.cifar10_files);
  check(t, new Fake10(root), golden.cifar10_train, root);
  check(t, new Fake10(root, { train: false }), golden.cifar10_test, root);
  check(t, new Fake10({ root, train: false }), golden.cifar10_test, root);
});

test('CIFAR100 reads Python 3 pickles (protocols 2 and 4) with the fine labels', (t) => {
  const root = makeRoot('cifar-100-python', golden.cifar100_files);
  check(t, new Fake100(root), golden.cifar100_train, root);
  check(t, new Fake100(root, false), golden.cifar100_test, root);
});

test('items go through the transforms; a DataLoader batches them by one gather', (t) => {
  const root = makeRoot('cifar-10-batches-py', golden.cifar10_files);
  const ds = new Fake10(root, { transform: new transforms.ToTensor(), target_transform: null });
  const [img, target] = ds.getitem(3);
  t.deepEqual([...img.shape], [3, 32, 32]);
  t.is(img.dtype, torch.float32);
  t.is(target, golden.cifar10_train.targets[3]);
  t.deepEqual(img.tolist(), ds.data.select(0, 3).permute(2, 0, 1).float().div(255).tolist());
  const [[images, labels]] = new DataLoader(ds, { batch_size: 4 });
  t.deepEqual([...images.shape], [4, 3, 32, 32]);
  t.deepEqual(labels.tolist(), golden.cifar10_train.targets.slice(0, 4));
  t.is(labels.dtype, torch.int64);
  t.deepEqual(images.select(0, 3).tolist(), img.tolist());
  // VisionDataset indents only the first line of StandardTransform's repr, as Python prints it.
  t.true(String(ds).endsWith('    Split: Train\n    StandardTransform\nTransform: ToTensor()'));
  const withTarget = new Fake10(root, { target_transform: (y: number) => `class ${y}` });
  t.is(withTarget.getitem(0)[1], `class ${golden.cifar10_train.targets[0]}`);
});

test('the repr of a dataset with transforms is as Python prints it', (t) => {
  const root = makeRoot('cifar-10-batches-py', golden.cifar10_files);
  const ds = new Fake10(root, {
    transform: new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.5], [0.5])]),
    target_transform: new transforms.Lambda((y: number) => y + 1),
  });
  t.is(
    String(ds),
    `Dataset Fake10\n    Number of datapoints: 10\n    Root location: ${root}\n    Split: Train\n    StandardTransform\n` +
      'Transform: Compose(\n               ToTensor()\n               Normalize(mean=(0.5,), std=(0.5,))\n           )\nTarget transform: Lambda()',
  );
});

test('a missing or corrupt batch is an error that says what to do', (t) => {
  const root = makeRoot('cifar-10-batches-py', golden.cifar10_files);
  fs.appendFileSync(path.join(root, 'cifar-10-batches-py', 'data_batch_3'), 'x');
  t.throws(() => new Fake10(root), { message: /Fake10: Dataset not found or corrupted .*You can use download: true/ });
  t.throws(() => new datasets.CIFAR10(fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-empty-'))), { message: /CIFAR10: Dataset not found or corrupted/ });
  t.throws(() => new datasets.CIFAR10(root, { transform: 3 as any }), { instanceOf: TypeError, message: /argument 'transform' must be callable/ });
  t.throws(() => new datasets.CIFAR10(root, { split: 'train' } as any), { instanceOf: TypeError, message: /split/ });
  // @ts-expect-error: a surplus positional, as Python refuses it
  t.throws(() => new Fake10(root, true, null, null, false, 1), { instanceOf: TypeError });
});

test('a pickle naming any class but numpy arrays is refused by name', (t) => {
  const root = makeRoot('cifar-10-batches-py', golden.cifar10_files);
  const evil = Buffer.concat([Buffer.from('\x80\x02cos\nsystem\nU\x02ls\x85R.', 'latin1')]);
  const file = path.join(root, 'cifar-10-batches-py', 'data_batch_1');
  fs.writeFileSync(file, evil);
  class Evil extends Fake10 {
    static override train_list = [['data_batch_1', md5(evil)] as [string, string]];
  }
  t.throws(() => new Evil(root), { message: /names os\.system, which this reader refuses/ });
});

// The server runs in a worker thread: the download blocks this thread.
function serve(files: Record<string, Buffer>): Promise<{ port: number; close: () => Promise<number> }> {
  const worker = new Worker(
    `const http = require('http'); const { parentPort, workerData } = require('worker_threads');
     const server = http.createServer((req, res) => {
       const body = workerData[req.url.slice(1)];
       if (!body) { res.writeHead(404); res.end(); return; }
       res.writeHead(200, { 'content-length': body.length }); res.end(Buffer.from(body));
     });
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
     parentPort.on('message', () => server.close(() => process.exit(0)));`,
    { eval: true, workerData: files },
  );
  return new Promise((resolve) =>
    worker.once('message', (port: number) => resolve({ port, close: () => new Promise((r) => { worker.once('exit', r); worker.postMessage('close'); }) })),
  );
}

test('download fetches the archive, checks its MD5, unpacks it and loads the batches', async (t) => {
  const archive = Buffer.from(golden.cifar10_archive.bytes, 'base64');
  const server = await serve({ 'cifar-10-python.tar.gz': archive });
  class Served10 extends Fake10 {
    static override url = `http://127.0.0.1:${server.port}/cifar-10-python.tar.gz`;
    static override tgz_md5 = golden.cifar10_archive.md5;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-cifar-dl-'));
  try {
    const ds = new Served10(root, { download: true });
    t.deepEqual(ds.targets, golden.cifar10_train.targets);
    t.true(fs.existsSync(path.join(root, 'cifar-10-python.tar.gz')));
    // Already there and verified: no second fetch.
    t.is(new Served10(root, { download: true }).length, golden.cifar10_train.length);
  } finally {
    await server.close();
  }
});

test('extract_archive refuses members that would land outside the folder', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-tar-'));
  const header = Buffer.alloc(512);
  header.write('../escape.txt', 0);
  header.write('0000644\0', 100);
  header.write('00000000004\0', 124);
  header.write('0', 156);
  const body = Buffer.alloc(512);
  body.write('evil');
  const tar = path.join(dir, 'a.tar');
  fs.writeFileSync(tar, Buffer.concat([header, body, Buffer.alloc(1024)]));
  t.throws(() => datasets.extract_archive(tar, path.join(dir, 'out')), { message: /would be written outside/ });
  t.false(fs.existsSync(path.join(dir, 'escape.txt')));
});

test('check_integrity is false for a missing file and checks the MD5 when given one', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-md5-'));
  const f = path.join(dir, 'x');
  t.false(datasets.check_integrity(f));
  fs.writeFileSync(f, 'abc');
  t.true(datasets.check_integrity(f));
  t.true(datasets.check_integrity(f, '900150983cd24fb0d6963f7d28e17f72'));
  t.false(datasets.check_integrity(f, '0'.repeat(32)));
});
