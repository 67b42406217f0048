// torchvision.io's image decoding and ImageFolder / DatasetFolder against
// torchvision 0.14 (scripts/golden/vision_io.py): PNGs of every colour type
// decode byte for byte as read_image does in each ImageReadMode; JPEGs
// within the tolerance measured between decoders; the folder datasets find
// the same classes and samples in the same order.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { DataLoader } from '../lib/utils/data';
import { datasets, io, transforms } from '../lib/vision';
import { torchvisionAtLeast } from '../lib/vision/version';
import { decodeTensor, fixture, flatValues, type EncodedTensor } from './_helpers';

type Decoded = Record<string, EncodedTensor | { error: string }>;
const golden = fixture<{
  files: Record<string, string>;
  decoded: Record<string, Decoded>;
  image_folder: { classes: string[]; class_to_idx: Record<string, number>; samples: [string, number][]; targets: number[]; items: EncodedTensor[]; repr: string; empty_class_error: string };
  dataset_folder: { samples: [string, number][]; classes: string[]; txt_error: string };
}>('vision_io.json');

const MODES = ['UNCHANGED', 'GRAY', 'GRAY_ALPHA', 'RGB', 'RGB_ALPHA'] as const;
// JPEG decoders may differ by rounding in the IDCT and the colour conversion (sharp's
// libjpeg-turbo against torchvision's libjpeg); measured here, the largest difference is
// JPEG_TOLERANCE grey level: on this machine RGB and UNCHANGED decode exactly as torchvision (4:4:4 and
// 4:2:0), and GRAY of a colour JPEG differs by 1 on under 1% of pixels (libjpeg hands torchvision the decoded
// Y plane; here the luma is computed from the decoded RGB).
const JPEG_TOLERANCE = 1;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-io-'));
for (const [name, b64] of Object.entries(golden.files)) fs.writeFileSync(path.join(dir, name), Buffer.from(b64, 'base64'));

function maxDiff(a: Tensor, b: Tensor): number {
  return a.to(torch.int32).sub(b.to(torch.int32)).abs().max().item() as number;
}

// torchvision 0.14 returns the packed palette-index bytes for a palette PNG read UNCHANGED, and
// uninitialised memory for the alpha of a palette PNG without transparency (GRAY_ALPHA,
// RGB_ALPHA): those outputs are not reproducible, so they are not compared. Here, UNCHANGED
// expands a palette to RGB (RGBA with transparency), and the missing alpha is 255.
const UNDEFINED_IN_TORCHVISION = new Set(['palette.png UNCHANGED', 'palette_trns.png UNCHANGED', 'palette.png GRAY_ALPHA', 'palette.png RGB_ALPHA']);

for (const [name, modes] of Object.entries(golden.decoded)) {
  test(`read_image ${name} in every ImageReadMode as torchvision`, (t) => {
    const file = path.join(dir, name);
    for (const mode of MODES) {
      if (UNDEFINED_IN_TORCHVISION.has(`${name} ${mode}`)) continue;
      const want = modes[mode];
      if ('error' in want) {
        t.throws(() => io.read_image(file, io.ImageReadMode[mode]), { message: /The provided mode is not supported for JPEG files/ }, `${name} ${mode}`);
        continue;
      }
      const got = io.read_image(file, io.ImageReadMode[mode]);
      t.is(got.dtype, torch.uint8);
      t.deepEqual([...got.shape], want.shape, `${name} ${mode}: shape`);
      if (name.endsWith('.png')) t.deepEqual(flatValues(got), want.values as number[], `${name} ${mode}: bytes`);
      else t.true(maxDiff(got, decodeTensor(want)) <= JPEG_TOLERANCE, `${name} ${mode}: max difference ${maxDiff(got, decodeTensor(want))}`);
    }
  });
}

test('palette PNGs read UNCHANGED expand to RGB (RGBA with transparency); a missing alpha is opaque', (t) => {
  t.deepEqual(flatValues(io.read_image(path.join(dir, 'palette.png'))), flatValues(decodeTensor(golden.decoded['palette.png'].RGB as EncodedTensor)));
  t.deepEqual(flatValues(io.read_image(path.join(dir, 'palette_trns.png'))), flatValues(decodeTensor(golden.decoded['palette_trns.png'].RGB_ALPHA as EncodedTensor)));
  const rgba = io.read_image(path.join(dir, 'palette.png'), io.ImageReadMode.RGB_ALPHA);
  t.deepEqual(flatValues(rgba.select(0, 3).unique()), [255]);
});

test('decode_image, decode_png and decode_jpeg take the bytes read_file gives', (t) => {
  const png = io.read_file(path.join(dir, 'rgba.png'));
  t.is(png.dtype, torch.uint8);
  t.is(png.ndim, 1);
  const want = golden.decoded['rgba.png'].RGB as EncodedTensor;
  t.deepEqual(flatValues(io.decode_image(png, io.ImageReadMode.RGB)), want.values as number[]);
  t.deepEqual(flatValues(io.decode_png(png, { mode: io.ImageReadMode.RGB })), want.values as number[]);
  const jpg = io.read_file({ path: path.join(dir, 'gray.jpg') });
  t.deepEqual([...io.decode_jpeg(jpg).shape], [1, 16, 24]);
  t.throws(() => io.decode_png(jpg), { message: /decode_png: Content is not png/ });
  t.throws(() => io.decode_jpeg(png), { message: /decode_jpeg: Not a JPEG file/ });
  t.throws(() => io.decode_image(torch.tensor([1, 2, 3], { dtype: torch.uint8 })), { message: /Unsupported image file. Only jpeg and png are currently supported/ });
  t.throws(() => io.decode_image(torch.tensor([1, 2, 3])), { instanceOf: TypeError, message: /Expected a torch.uint8 1-D tensor/ });
  t.throws(() => io.decode_image(png, 7 as any), { instanceOf: TypeError, message: /mode should be an ImageReadMode/ });
  t.throws(() => io.decode_jpeg(jpg, { device: 'cuda' as any }), { instanceOf: RangeError, message: /device 'cuda' is not supported/ });
  t.throws(() => io.read_image(path.join(dir, 'missing.png')), { message: /ENOENT/ });
  const truncated = png.narrow(0, 0, 40).contiguous();
  t.throws(() => io.decode_png(truncated), { message: /decode_png: could not decode the image/ });
});

function makeTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-folder-'));
  const put = (rel: string, bytes: Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), bytes);
  };
  const f = (n: string) => Buffer.from(golden.files[n], 'base64');
  put('cat/b.png', f('rgb.png'));
  put('cat/a.PNG', f('gray.png'));
  put('cat/sub/c.png', f('rgba.png'));
  put('cat/notes.txt', Buffer.from('not an image'));
  put('dog/x.jpg', f('rgb_444.jpg'));
  put('dog/y.png', f('palette.png'));
  put('ant/z.png', f('gray_alpha.png'));
  return root;
}
const rel = (root: string, samples: datasets.Sample[]) => samples.map(([p, c]) => [path.relative(root, p), c]);

test('ImageFolder finds the classes and samples torchvision finds, and loads RGB images as PIL does', (t) => {
  const root = makeTree();
  const ds = new datasets.ImageFolder(root);
  const want = golden.image_folder;
  t.deepEqual(ds.classes, want.classes);
  t.deepEqual(ds.class_to_idx, want.class_to_idx);
  t.deepEqual(rel(root, ds.samples), want.samples);
  t.deepEqual(rel(root, ds.imgs), want.samples);
  t.deepEqual(ds.targets, want.targets);
  t.is(ds.length, want.samples.length);
  t.is(String(ds).replace(root, '<root>'), want.repr);
  want.items.forEach((item, i) => {
    const [img, target] = ds.getitem(i);
    t.is(target, want.targets[i]);
    t.deepEqual([...img.shape], item.shape);
    if (want.samples[i][0].endsWith('.jpg')) t.true(maxDiff(img, decodeTensor(item)) <= JPEG_TOLERANCE, `item ${i}`);
    else t.deepEqual(flatValues(img), item.values as number[], `item ${i}: ${want.samples[i][0]}`);
  });
});

test('ImageFolder with transforms gives tensors ready for a model', (t) => {
  const root = makeTree();
  const ds = new datasets.ImageFolder(root, { transform: new transforms.Compose([new transforms.ToTensor(), new transforms.Resize([4, 4])]) });
  const [img, target] = ds.getitem(1);
  t.deepEqual([...img.shape], [3, 4, 4]);
  t.is(img.dtype, torch.float32);
  t.is(target, 1);
  const custom = new datasets.ImageFolder(root, { loader: (p: string) => io.read_image(p, io.ImageReadMode.GRAY) });
  t.deepEqual([...custom.getitem(0)[0].shape], [1, 5, 7]);
});

test('an empty class folder is an error naming it and the extensions, as torchvision', (t) => {
  const root = makeTree();
  fs.mkdirSync(path.join(root, 'empty'));
  t.throws(() => new datasets.ImageFolder(root), { message: golden.image_folder.empty_class_error });
  t.throws(() => new datasets.ImageFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-none-'))), { message: /Couldn't find any class folder in/ });
  if (torchvisionAtLeast(18)) {
    // torchvision 0.18 added allow_empty: the empty folder is a class without samples.
    const ds = new datasets.ImageFolder(root, { allow_empty: true });
    t.deepEqual(ds.classes, ['ant', 'cat', 'dog', 'empty']);
    t.deepEqual(rel(root, ds.samples), golden.image_folder.samples);
    t.is(new datasets.DatasetFolder(root, (p: string) => p, ['.png'], null, null, null, true).class_to_idx.empty, 3);
  } else {
    // 0.14: ImageFolder(root, allow_empty=True) -> TypeError: __init__() got an unexpected keyword argument 'allow_empty'
    t.throws(() => new datasets.ImageFolder(root, { allow_empty: true }), { instanceOf: TypeError, message: /allow_empty/ });
  }
});

test('DatasetFolder with is_valid_file or extensions, and its argument checks', (t) => {
  const root = makeTree();
  const valid = new datasets.DatasetFolder(root, (p: string) => p, { is_valid_file: (p: string) => p.endsWith('c.png') || p.endsWith('x.jpg') || p.endsWith('z.png') });
  t.deepEqual(rel(root, valid.samples), golden.dataset_folder.samples);
  t.deepEqual(valid.classes, golden.dataset_folder.classes);
  t.is(valid.getitem(0)[0], valid.samples[0][0]);
  t.throws(() => new datasets.DatasetFolder(root, (p: string) => p, ['.txt']), { message: golden.dataset_folder.txt_error });
  t.throws(() => new datasets.DatasetFolder(root, (p: string) => p), { instanceOf: RangeError, message: /Both extensions and is_valid_file cannot be None or not None at the same time/ });
  t.throws(() => new datasets.DatasetFolder(root, (p: string) => p, { extensions: ['.png'], is_valid_file: () => true }), { instanceOf: RangeError, message: /Both extensions and is_valid_file/ });
  t.throws(() => new datasets.DatasetFolder(root, 'loader' as any, ['.png']), { instanceOf: TypeError, message: /argument 'loader' must be callable/ });
  t.throws(() => new datasets.ImageFolder(root, { loader: (p: string) => io.read_image(p), shuffle: true } as any), { instanceOf: TypeError, message: /shuffle/ });
  t.deepEqual(datasets.find_classes(root), [['ant', 'cat', 'dog'], { ant: 0, cat: 1, dog: 2 }]);
  t.true(datasets.has_file_allowed_extension('A.JPEG', datasets.IMG_EXTENSIONS));
  t.false(datasets.has_file_allowed_extension('a.gif', datasets.IMG_EXTENSIONS));
});

test('without sharp installed, torchts/vision still loads and decoding names the package to install', (t) => {
  // A child process in which resolving 'sharp' fails, as on an install that skipped the optional dependency.
  const hide = path.join(dir, 'hide_sharp.js');
  fs.writeFileSync(
    hide,
    `const Module = require('module'); const resolve = Module._resolveFilename;
     Module._resolveFilename = function (request, ...rest) {
       if (request === 'sharp' || request.startsWith('sharp/')) { const e = new Error("Cannot find module 'sharp'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
       return resolve.call(this, request, ...rest);
     };`,
  );
  const code = `
    const { io, transforms } = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'vision'))});
    const torch = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))}).default;
    console.log(String(new transforms.Resize(3)(torch.zeros([1, 4, 4])).shape));
    try { io.read_image(${JSON.stringify(path.join(dir, 'rgb.png'))}); } catch (e) { console.log(e.message); }`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-r', hide, '-e', code], { encoding: 'utf8', cwd: path.join(__dirname, '..') });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /torch\.Size\(\[1, 3, 3\]\)/);
  t.regex(r.stdout, /decoding images needs the 'sharp' package .* Install it with `npm install sharp`/);
});

test('ImageFolder feeds a DataLoader with its transforms', (t) => {
  const root = makeTree();
  const ds = new datasets.ImageFolder(root, { transform: new transforms.Compose([new transforms.PILToTensor(), new transforms.Resize([4, 4]), new transforms.ConvertImageDtype(torch.float32)]) });
  const batches = [...new DataLoader(ds, { batch_size: 4 })] as unknown as [Tensor, Tensor][];
  t.deepEqual(batches.map(([x]) => [...x.shape]), [[4, 3, 4, 4], [2, 3, 4, 4]]);
  t.deepEqual(batches.flatMap(([, y]) => y.tolist() as number[]), golden.image_folder.targets);
});
