// 16-bit PNGs against torchvision (scripts/golden/vision_io_png16.py), value
// for value in every ImageReadMode (grey, grey-alpha, RGB, RGBA, interlaced,
// PIL's 'I;16'). Following 0.14 (libtorch 1.13): read_image and decode_png
// refuse them with torchvision's message, and the private _read_png_16 gives
// their samples as int32. 0.14 decodes an interlaced 16-bit PNG wrongly (it
// merges each pass into the last row read, one row buffer for all: see the
// script), so that file is held to its non-interlaced twin's decoding, its
// true pixels. Following 0.21 (libtorch 2.6): read_image, decode_png and
// decode_image give uint16 samples, and _read_png_16 is gone.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import torch from '../lib';
import { datasets, io } from '../lib/vision';
import { torchvisionAtLeast } from '../lib/vision/version';
import { fixture, flatValues, type EncodedTensor } from './_helpers';

type Decoded = Record<'UNCHANGED' | 'GRAY' | 'GRAY_ALPHA' | 'RGB' | 'RGB_ALPHA', EncodedTensor> & { read_image_error: string; decode_png_error: string };
const golden = fixture<{
  files: Record<string, string>;
  decoded: Record<string, Decoded>;
  loader_files: Record<string, string>;
  default_loader: Record<string, EncodedTensor>;
}>('vision_io_png16.json');
const MODES = ['UNCHANGED', 'GRAY', 'GRAY_ALPHA', 'RGB', 'RGB_ALPHA'] as const;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-png16-'));
for (const [name, b64] of Object.entries({ ...golden.files, ...golden.loader_files })) fs.writeFileSync(path.join(dir, name), Buffer.from(b64, 'base64'));

const TRUE_PIXELS_OF: Record<string, string> = { 'rgb16_interlaced.png': 'rgb16_interlaced_twin.png' };
const DECODES_16_BIT = torchvisionAtLeast(21);

for (const name of Object.keys(golden.decoded)) {
  if (DECODES_16_BIT) {
    test(`${name}: read_image, decode_png and decode_image give torchvision's uint16 samples in every mode; _read_png_16 is gone`, (t) => {
      const file = path.join(dir, name);
      const want = golden.decoded[name];
      for (const mode of MODES) {
        const m = io.ImageReadMode[mode];
        for (const [fn, decode] of [
          ['read_image', () => io.read_image(file, m)],
          ['decode_png', () => io.decode_png(io.read_file(file), m)],
          ['decode_image', () => io.decode_image(io.read_file(file), m)],
        ] as const) {
          const got = decode();
          t.is(got.dtype.name, want[mode].dtype, `${fn} ${mode}: dtype`);
          t.deepEqual([...got.shape], want[mode].shape, `${fn} ${mode}: shape`);
          t.deepEqual(flatValues(got), want[mode].values as number[], `${fn} ${mode}: samples`);
        }
      }
      // AttributeError: module 'torchvision.io.image' has no attribute '_read_png_16'
      t.throws(() => io._read_png_16(file), { instanceOf: TypeError, message: /^_read_png_16: torchvision 0\.\d+ has no _read_png_16; decode_png, decode_image and read_image decode a 16-bit PNG themselves/ });
    });
    continue;
  }
  test(`${name}: _read_png_16 gives torchvision's int32 samples in every mode; read_image and decode_png refuse it`, (t) => {
    const file = path.join(dir, name);
    const want = golden.decoded[TRUE_PIXELS_OF[name] ?? name];
    for (const mode of MODES) {
      const got = io._read_png_16(file, io.ImageReadMode[mode]);
      t.is(got.dtype, torch.int32, `${mode}: dtype`);
      t.deepEqual([...got.shape], want[mode].shape, `${mode}: shape`);
      t.deepEqual(flatValues(got), want[mode].values as number[], `${mode}: samples`);
    }
    // RuntimeError: At most 8-bit PNG images are supported currently.
    t.throws(() => io.read_image(file), { instanceOf: Error, message: `read_image: ${want.read_image_error}` });
    t.throws(() => io.decode_png(io.read_file(file)), { instanceOf: Error, message: `decode_png: ${want.decode_png_error}` });
    t.throws(() => io.decode_image(io.read_file(file), io.ImageReadMode.RGB), { instanceOf: Error, message: `decode_image: ${want.decode_png_error}` });
  });
}

test('_read_png_16 of an 8-bit PNG is uint8, as read_image gives it; it takes keywords and checks its mode', (t) => {
  if (DECODES_16_BIT) {
    t.pass('torchvision 0.21 has no _read_png_16');
    return;
  }
  // torchvision's decode_png(data, mode, allow_16_bits=True) keeps uint8 for bit depths up to 8.
  const eight = path.join(dir, 'eight.png');
  fs.writeFileSync(eight, Buffer.from(fixture<{ files: Record<string, string> }>('vision_io.json').files['gray.png'], 'base64'));
  const got = io._read_png_16(eight);
  t.is(got.dtype, torch.uint8);
  t.deepEqual(flatValues(got), flatValues(io.read_image(eight)));
  const file = path.join(dir, 'gray16.png');
  t.deepEqual(flatValues(io._read_png_16({ path: file, mode: io.ImageReadMode.GRAY })), golden.decoded['gray16.png'].GRAY.values as number[]);
  t.throws(() => io._read_png_16(file, 7 as any), { instanceOf: TypeError, message: /^_read_png_16: mode should be an ImageReadMode/ });
  t.throws(() => io._read_png_16(path.join(dir, 'missing.png')), { message: /ENOENT/ });
});

test("ImageFolder's default loader gives what PIL's convert('RGB') holds: a 16-bit grey PNG clipped to 255, other 16-bit ones by their high byte, tRNS ignored", (t) => {
  t.deepEqual(Object.keys(golden.default_loader).sort(), [...Object.keys(golden.files), ...Object.keys(golden.loader_files)].sort());
  for (const [name, want] of Object.entries(golden.default_loader)) {
    const got = datasets.default_loader(path.join(dir, name));
    t.is(got.dtype, torch.uint8, name);
    t.deepEqual([...got.shape], want.shape, name);
    t.deepEqual(flatValues(got), want.values, name);
  }
});
