// Every reader against systematically damaged files: each byte of a small
// torch.save file and of small IDX files flipped in turn, and each file cut
// at every length. Each damaged file must either load exactly what the
// intact one holds (the byte was one no reader uses, like a zip timestamp)
// or be a clear error; never a crash, never different data.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { datasets } from '../lib/vision';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-sweep-'));
const stateDict = fs.readFileSync(path.join(__dirname, 'fixtures', 'serialization', 'mlp_state_dict.pt'));
const intact = torch.load(path.join(__dirname, 'fixtures', 'serialization', 'mlp_state_dict.pt')) as Record<string, Tensor>;

function sameAsIntact(loaded: unknown): boolean {
  if (loaded === null || typeof loaded !== 'object') return false;
  const keys = Object.keys(loaded as object);
  return keys.length === Object.keys(intact).length && keys.every((k) => intact[k] !== undefined && (loaded as Record<string, Tensor>)[k].equal(intact[k]));
}

function tryLoad(bytes: Buffer): 'same' | 'error' | 'different' {
  const file = path.join(tmp, 'damaged.pt');
  fs.writeFileSync(file, bytes);
  try {
    return sameAsIntact(torch.load(file)) ? 'same' : 'different';
  } catch (err) {
    const message = (err as Error).message;
    return message.includes(file) || message.includes('torch.load') ? 'error' : 'different';
  }
}

test('torch.load: every single-byte flip of a state_dict file loads the same data or is an error naming the file', (t) => {
  const outcomes = { same: 0, error: 0, different: [] as number[] };
  for (let i = 0; i < stateDict.length; i++) {
    const bytes = Buffer.from(stateDict);
    bytes[i] ^= 0x5a;
    const r = tryLoad(bytes);
    if (r === 'different') outcomes.different.push(i);
    else outcomes[r]++;
  }
  t.deepEqual(outcomes.different, [], 'flipped bytes that gave different data or an unclear error');
  t.true(outcomes.error > stateDict.length / 2, `${outcomes.error} errors, ${outcomes.same} harmless flips`);
});

test('torch.load: the file cut at every length is an error', (t) => {
  const wrong: number[] = [];
  for (let n = 0; n < stateDict.length; n++) if (tryLoad(stateDict.subarray(0, n)) !== 'error') wrong.push(n);
  t.deepEqual(wrong, []);
});

function idx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x800 + dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

const images = idx([4, 3, 3], Uint8Array.from({ length: 36 }, (_, i) => (i * 37) % 256));
const labels = idx([4], Uint8Array.from([3, 1, 4, 1]));

function loadMnist(imageBytes: Buffer, labelBytes: Buffer, gz: boolean): 'same' | 'error' | 'different' {
  const root = fs.mkdtempSync(path.join(tmp, 'mnist-'));
  const raw = path.join(root, 'MNIST', 'raw');
  fs.mkdirSync(raw, { recursive: true });
  const suffix = gz ? '.gz' : '';
  fs.writeFileSync(path.join(raw, `train-images-idx3-ubyte${suffix}`), imageBytes);
  fs.writeFileSync(path.join(raw, `train-labels-idx1-ubyte${suffix}`), labelBytes);
  try {
    const ds = new datasets.MNIST({ root });
    const same =
      Buffer.from(ds.data.toTypedArray() as Uint8Array).equals(images.subarray(16)) &&
      (ds.targets.tolist() as number[]).join() === '3,1,4,1';
    fs.rmSync(root, { recursive: true });
    return same ? 'same' : 'different';
  } catch (err) {
    fs.rmSync(root, { recursive: true });
    return /IDX file|gzip|labels but|not found/.test((err as Error).message) ? 'error' : 'different';
  }
}

test('IDX: every header byte flipped, and every cut, is an error or the same data', (t) => {
  const different: string[] = [];
  for (let i = 0; i < 16; i++) {
    const bytes = Buffer.from(images);
    bytes[i] ^= 0x01;
    if (loadMnist(bytes, labels, false) === 'different') different.push(`flip ${i}`);
  }
  for (let n = 0; n < images.length; n++) if (loadMnist(images.subarray(0, n), labels, false) !== 'error') different.push(`cut ${n}`);
  for (let n = 0; n < labels.length; n++) if (loadMnist(images, labels.subarray(0, n), false) !== 'error') different.push(`labels cut ${n}`);
  t.deepEqual(different, []);
});

test('IDX .gz: every byte of the compressed file flipped, and every cut, is an error or the same data', (t) => {
  const gz = zlib.gzipSync(images);
  const gzLabels = zlib.gzipSync(labels);
  const different: string[] = [];
  for (let i = 0; i < gz.length; i++) {
    const bytes = Buffer.from(gz);
    bytes[i] ^= 0x10;
    if (loadMnist(bytes, gzLabels, true) === 'different') different.push(`flip ${i}`);
  }
  for (let n = 0; n < gz.length; n++) if (loadMnist(gz.subarray(0, n), gzLabels, true) !== 'error') different.push(`cut ${n}`);
  t.deepEqual(different, []);
});
