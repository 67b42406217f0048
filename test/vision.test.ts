// torchts/vision: the IDX reader on small files made here (corrupt ones
// included), the download path against a local server, and transforms.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import test from 'ava';

import torch from '../lib';
import { DataLoader } from '../lib/utils/data';
import { datasets, transforms } from '../lib/vision';

function idx(dims: number[], data: number[] | Uint8Array, { magic = [0, 0, 8, dims.length] } = {}): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  Buffer.from(magic).copy(header, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

const IMAGES = [0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]; // three 2x2 images

/** A folder laid out as torchvision's root/<name>/raw, holding the given files. */
function makeRoot(files: Record<string, Buffer>, className = 'MNIST'): { root: string; raw: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-mnist-'));
  const raw = path.join(root, className, 'raw');
  fs.mkdirSync(raw, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(raw, name), bytes);
  return { root, raw };
}

const goodFiles = (gz = false): Record<string, Buffer> => {
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte': idx([3, 2, 2], IMAGES),
    'train-labels-idx1-ubyte': idx([3], [7, 0, 9]),
  };
  if (!gz) return files;
  return Object.fromEntries(Object.entries(files).map(([n, b]) => [`${n}.gz`, zlib.gzipSync(b)]));
};

test('reads a small MNIST in torchvision layout, plain and gzip', (t) => {
  for (const gz of [false, true]) {
    const { root } = makeRoot(goodFiles(gz));
    const ds = new datasets.MNIST({ root });
    t.deepEqual([...ds.data.shape], [3, 2, 2]);
    t.is(ds.data.dtype, torch.uint8);
    t.is(ds.targets.dtype, torch.int64);
    t.deepEqual(ds.targets.tolist(), [7, 0, 9]);
    t.deepEqual(ds.data.index(0).tolist(), [[0, 255], [10, 20]]);
    const [img, target] = ds.getitem(0);
    t.deepEqual([...img.shape], [2, 2]);
    t.is(target, 7);
    t.is(ds.length, 3);
  }
});

test('reads files placed directly in root, as Debian packages them', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-flat-'));
  for (const [n, b] of Object.entries(goodFiles(true))) fs.writeFileSync(path.join(root, n), b);
  const ds = new datasets.FashionMNIST({ root });
  t.is(ds.folder, root);
  t.is(ds.classes[9], 'Ankle boot');
});

const corrupt: [string, Record<string, Buffer>, RegExp][] = [
  ['bad magic', { 'train-images-idx3-ubyte': idx([3, 2, 2], IMAGES, { magic: [1, 0, 8, 3] }) }, /train-images-idx3-ubyte has a bad magic number 0x01000803/],
  ['truncated images', { 'train-images-idx3-ubyte': idx([3, 2, 2], IMAGES.slice(0, 10)) }, /train-images-idx3-ubyte is truncated: dimensions \[3, 2, 2\] need 12 bytes of data, the file has 10/],
  ['a truncated header', { 'train-images-idx3-ubyte': idx([3, 2, 2], []).subarray(0, 9) }, /train-images-idx3-ubyte is truncated: its header needs 16 bytes, the file has 9/],
  ['extra bytes', { 'train-images-idx3-ubyte': idx([3, 2, 2], [...IMAGES, 1, 2]) }, /train-images-idx3-ubyte is mis-sized: .* the file has 14 \(2 extra\)/],
  ['label count not matching image count', { 'train-labels-idx1-ubyte': idx([2], [1, 2]) }, /train-labels-idx1-ubyte has 2 labels but .*train-images-idx3-ubyte has 3 images/],
  ['labels with 2 dimensions', { 'train-labels-idx1-ubyte': idx([3, 1], [1, 2, 3]) }, /train-labels-idx1-ubyte has 2 dimensions; expected 1/],
  ['a float element type', { 'train-images-idx3-ubyte': idx([3, 2, 2], IMAGES, { magic: [0, 0, 0x0d, 3] }) }, /holds element type 0xd; MNIST files hold unsigned bytes/],
  ['a forged huge dimension', { 'train-images-idx3-ubyte': idx([3, 2, 2 ** 31], IMAGES) }, /has an implausible dimension 2 of 2147483648/],
  ['a forged large size', { 'train-images-idx3-ubyte': idx([60000, 28, 28], IMAGES) }, /is truncated: dimensions \[60000, 28, 28\] need 47040000 bytes of data, the file has 12/],
  ['an empty file', { 'train-images-idx3-ubyte': Buffer.alloc(0) }, /is truncated: 0 bytes/],
];

for (const [name, files, message] of corrupt) {
  test(`a corrupt IDX file is a clear error: ${name}`, (t) => {
    const { root } = makeRoot({ ...goodFiles(), ...files });
    const err = t.throws(() => new datasets.MNIST({ root }));
    t.regex(err!.message, message);
  });
}

test('a broken .gz is a clear error naming the file', (t) => {
  const good = goodFiles(true);
  const { root } = makeRoot({ 'train-images-idx3-ubyte.gz': Buffer.from('this is not gzip at all'), 'train-labels-idx1-ubyte.gz': good['train-labels-idx1-ubyte.gz'] });
  t.regex(t.throws(() => new datasets.MNIST({ root }))!.message, /train-images-idx3-ubyte\.gz is not a valid gzip file/);
  const truncated = good['train-images-idx3-ubyte.gz'].subarray(0, 20);
  const r2 = makeRoot({ 'train-images-idx3-ubyte.gz': truncated, 'train-labels-idx1-ubyte.gz': good['train-labels-idx1-ubyte.gz'] });
  t.regex(t.throws(() => new datasets.MNIST({ root: r2.root }))!.message, /train-images-idx3-ubyte\.gz is not a valid gzip file: unexpected end of file/);
});

test('a missing file names the files expected and the folder', (t) => {
  const { root, raw } = makeRoot({ 'train-images-idx3-ubyte': goodFiles()['train-images-idx3-ubyte'] });
  const err = t.throws(() => new datasets.MNIST({ root }));
  t.true(err!.message.includes(`MNIST not found: expected train-images-idx3-ubyte(.gz) and train-labels-idx1-ubyte(.gz) in ${raw}`));
  t.regex(err!.message, /download: true/);
});

test('DataLoader over a dataset without a batch path collates item by item', (t) => {
  const { root } = makeRoot(goodFiles());
  const ds = new datasets.MNIST({ root, transform: new transforms.Lambda((x) => x.float()) });
  const [[images, labels]] = new DataLoader(ds, { batch_size: 3 });
  t.deepEqual([...images.shape], [3, 2, 2]);
  t.is(images.dtype, torch.float32);
  t.deepEqual(labels.tolist(), [7, 0, 9]);
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
    worker.once('message', (port: number) =>
      resolve({ port, close: () => new Promise((r) => { worker.once('exit', r); worker.postMessage('close'); }) }),
    ),
  );
}

const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');

test('download fetches the files, checks their MD5, and loads them', async (t) => {
  const files = goodFiles(true);
  const server = await serve(files);
  class TinyMNIST extends datasets.MNIST {
    static override mirrors = [`http://127.0.0.1:${server.port}/`];
    static override resources = Object.entries(files).map(([n, b]) => [n, md5(b)] as const);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-dl-'));
  try {
    const ds = new TinyMNIST({ root, download: true });
    t.deepEqual(ds.targets.tolist(), [7, 0, 9]);
    t.true(fs.existsSync(path.join(root, 'TinyMNIST', 'raw', 'train-images-idx3-ubyte.gz')));
    t.deepEqual(ds.check_integrity(), []);
  } finally {
    await server.close();
  }
});

test('a download whose MD5 does not match is an error and leaves no file', async (t) => {
  const files = goodFiles(true);
  const server = await serve(files);
  class BadSumMNIST extends datasets.MNIST {
    static override mirrors = [`http://127.0.0.1:${server.port}/`];
    static override resources = Object.keys(files).map((n) => [n, '0'.repeat(32)] as const);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-dl-'));
  try {
    const err = t.throws(() => new BadSumMNIST({ root, download: true }));
    t.regex(err!.message, /downloaded with MD5 [0-9a-f]{32}, expected 0{32}/);
    t.false(fs.existsSync(path.join(root, 'BadSumMNIST', 'raw', 'train-images-idx3-ubyte.gz')));
  } finally {
    await server.close();
  }
});

test('offline, download fails naming the files expected and the folder to put them in', (t) => {
  class OfflineMNIST extends datasets.MNIST {
    static override mirrors = ['http://127.0.0.1:1/'];
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-dl-'));
  const err = t.throws(() => new OfflineMNIST({ root, download: true }));
  t.true(err!.message.includes(`put these files in ${path.join(root, 'OfflineMNIST', 'raw')}: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz`));
});

test('ToTensor: uint8 (H, W) to float (1, H, W) in [0, 1], and batches', (t) => {
  const img = torch.tensor([[0, 255], [51, 102]], { dtype: torch.uint8 });
  const x = new transforms.ToTensor()(img);
  t.deepEqual([...x.shape], [1, 2, 2]);
  t.is(x.dtype, torch.float32);
  t.deepEqual(x.tolist(), [[[0, 1], [0.20000000298023224, 0.4000000059604645]]]);
  const batch = new transforms.ToTensor().batched()(torch.stack([img, img]));
  t.deepEqual([...batch.shape], [2, 1, 2, 2]);
  const hwc = torch.zeros(4, 5, 3, { dtype: torch.uint8 });
  t.deepEqual([...new transforms.ToTensor()(hwc).shape], [3, 4, 5]);
});

test('Normalize, Compose and Lambda', (t) => {
  const pipeline = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.5], [0.25])]);
  const x = pipeline(torch.tensor([[0, 255]], { dtype: torch.uint8 }));
  t.deepEqual(x.tolist(), [[[-2, 2]]]);
  t.is(String(pipeline), 'Compose(\n    ToTensor()\n    Normalize(mean=(0.5,), std=(0.25,))\n)');
  t.truthy(pipeline.batched());
  const withLambda = new transforms.Compose([new transforms.ToTensor(), new transforms.Lambda((v) => v.mul(2))]);
  t.is(withLambda.batched(), null);
  t.deepEqual(withLambda(torch.tensor([[255]], { dtype: torch.uint8 })).tolist(), [[[2]]]);
});

test('transform errors name the problem', (t) => {
  t.regex(t.throws(() => new transforms.Normalize([0.5], [0]))!.message, /std evaluated to zero/);
  t.regex(t.throws(() => new transforms.ToTensor()(5 as any))!.message, /pic should be a uint8 image Tensor/);
  t.regex(t.throws(() => new transforms.Normalize([0.5], [0.5])(torch.zeros(2, 2)))!.message, /expected tensor to be a tensor image of size \(\.\.\., C, H, W\)/);
  t.regex(t.throws(() => new transforms.Lambda(5 as any))!.message, /Argument lambd should be callable/);
});

test('dataset and loader errors name the problem', (t) => {
  const { root } = makeRoot(goodFiles());
  const ds = new datasets.MNIST({ root });
  t.regex(t.throws(() => ds.getitem(3))!.message, /index 3 is out of range for MNIST of length 3/);
  t.regex(t.throws(() => ds.getitem(1.5))!.message, /MNIST indices must be integers, got 1\.5/);
  t.regex(t.throws(() => new DataLoader(ds, { batch_size: 0 }))!.message, /batch_size should be a positive integer value, but got batch_size=0/);
  // An empty object reads as the keywords, with no dataset among them.
  t.regex(t.throws(() => new DataLoader({} as any))!.message, /^DataLoader\(\) missing required argument 'dataset' \(pos 1\)$/);
  t.regex(t.throws(() => new DataLoader(5 as any))!.message, /dataset must be a Dataset/);
  t.regex(t.throws(() => new DataLoader(ds, { shuffle: true, sampler: new (class { length = 1; *[Symbol.iterator]() { yield 0; } })() }))!.message, /sampler option is mutually exclusive with shuffle/);
  t.regex(t.throws(() => new datasets.MNIST({ root: 5 as any }))!.message, /^MNIST\(\): argument 'root' must be str, not number 5$/);
});

test('an IDX .gz is inflated no further than its header declares, and a device is not read at all', (t) => {
  const good = goodFiles(true);
  // A header of 1 x 1 x 1 over 32 MB of zeros: the reader stops a little past the one byte declared.
  const bomb = zlib.gzipSync(Buffer.concat([idx([1, 1, 1], [5]), Buffer.alloc(32 << 20)]));
  const r1 = makeRoot({ 'train-images-idx3-ubyte.gz': bomb, 'train-labels-idx1-ubyte.gz': good['train-labels-idx1-ubyte.gz'] });
  t.regex(t.throws(() => new datasets.MNIST({ root: r1.root }))!.message, /train-images-idx3-ubyte\.gz is mis-sized: dimensions \[1, 1, 1\] need 1 bytes of data, the file has more than 65537/);
  // A few bytes too many are still counted exactly, as in a plain file.
  const r2 = makeRoot({ 'train-images-idx3-ubyte.gz': zlib.gzipSync(idx([3, 2, 2], [...IMAGES, 1, 2])), 'train-labels-idx1-ubyte.gz': good['train-labels-idx1-ubyte.gz'] });
  t.regex(t.throws(() => new datasets.MNIST({ root: r2.root }))!.message, /train-images-idx3-ubyte\.gz is mis-sized: .* the file has 14 \(2 extra\)/);
  // The images file is a link to a device: refused, not read (a link to /dev/zero would never end).
  const r3 = makeRoot({ 'train-labels-idx1-ubyte': goodFiles()['train-labels-idx1-ubyte'] });
  fs.symlinkSync('/dev/null', path.join(r3.raw, 'train-images-idx3-ubyte'));
  t.regex(t.throws(() => new datasets.MNIST({ root: r3.root }))!.message, /cannot read IDX file .*train-images-idx3-ubyte: it is not a regular file/);
});

test('the header of an IDX .gz is looked for in a bounded inflate, even behind a long gzip comment', (t) => {
  const good = goodFiles(true);
  // A gzip member whose 300 KB comment delays any output, then a 1 x 1 x 1 header over a gigabyte of zeros.
  const header = Buffer.from([0x1f, 0x8b, 8, 0x10, 0, 0, 0, 0, 0, 0xff]);
  const comment = Buffer.concat([Buffer.alloc(300_000, 0x61), Buffer.from([0])]);
  const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const zeros = zlib.deflateRawSync(Buffer.alloc(1 << 20), sync);
  const body = [zlib.deflateRawSync(idx([1, 1, 1], [5]), sync), ...new Array(1024).fill(zeros), zlib.deflateRawSync(Buffer.alloc(0))];
  const r = makeRoot({ 'train-images-idx3-ubyte.gz': Buffer.concat([header, comment, ...body, Buffer.alloc(8)]), 'train-labels-idx1-ubyte.gz': good['train-labels-idx1-ubyte.gz'] });
  t.regex(t.throws(() => new datasets.MNIST({ root: r.root }))!.message, /train-images-idx3-ubyte\.gz is not a valid gzip'd IDX file: its first 1048576 compressed bytes inflate past 16777216 bytes, and a shorter start held no IDX header/);
  // The same comment before a real file's data is no obstacle.
  const real = zlib.gzipSync(goodFiles()['train-images-idx3-ubyte']);
  const r2 = makeRoot({ 'train-images-idx3-ubyte.gz': Buffer.concat([header, comment, real.subarray(10)]), 'train-labels-idx1-ubyte.gz': good['train-labels-idx1-ubyte.gz'] });
  t.is(new datasets.MNIST({ root: r2.root }).length, 3);
});
