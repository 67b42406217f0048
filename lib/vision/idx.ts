// The IDX format MNIST ships in (yann.lecun.com/exdb/mnist): a big-endian
// header (two zero bytes, a type byte, a dimension count, then each
// dimension) and the elements. Every field is checked, so a truncated,
// corrupt or mis-sized file is an error naming the file, never wrong data.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface IdxFile {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;
// A forged header must not make us allocate or read past the file; MNIST's
// largest is 60000 x 28 x 28.
const MAX_DIM = 1 << 30;

/** Reads path (gzip-compressed when it ends in .gz) and checks it holds ndims-dimensional unsigned bytes. */
export function readIdx(path: string, ndims: number): IdxFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read IDX file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (path.endsWith('.gz')) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (err) {
      throw new Error(`IDX file ${path} is not a valid gzip file: ${(err as Error).message}`);
    }
  }
  if (bytes.length < 4) throw new Error(`IDX file ${path} is truncated: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`IDX file ${path} has a bad magic number 0x${bytes.readUInt32BE(0).toString(16).padStart(8, '0')}: it does not start with two zero bytes`);
  }
  const type = bytes[2];
  const nd = bytes[3];
  if (type !== UBYTE) throw new Error(`IDX file ${path} holds element type 0x${type.toString(16)}; MNIST files hold unsigned bytes (0x08)`);
  if (nd !== ndims) throw new Error(`IDX file ${path} has ${nd} dimensions; expected ${ndims}`);
  const header = 4 + 4 * nd;
  if (bytes.length < header) throw new Error(`IDX file ${path} is truncated: its header needs ${header} bytes, the file has ${bytes.length}`);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) {
    const d = bytes.readUInt32BE(4 + 4 * i);
    if (d > MAX_DIM) throw new Error(`IDX file ${path} has an implausible dimension ${i} of ${d}`);
    dims.push(d);
  }
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - header;
  if (actual < expected) {
    throw new Error(`IDX file ${path} is truncated: dimensions [${dims.join(', ')}] need ${expected} bytes of data, the file has ${actual}`);
  }
  if (actual > expected) {
    throw new Error(`IDX file ${path} is mis-sized: dimensions [${dims.join(', ')}] need ${expected} bytes of data, the file has ${actual} (${actual - expected} extra)`);
  }
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, expected) };
}
