// The IDX format MNIST ships in (yann.lecun.com/exdb/mnist): a big-endian
// header (two zero bytes, a type byte, a dimension count, then each
// dimension) and the elements. Every field is checked, so a truncated,
// corrupt or mis-sized file is an error naming the file, never wrong data.
import { constants as bufferConstants } from 'node:buffer';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface IdxFile {
  dims: number[];
  /** The elements' bytes as stored (big-endian for multi-byte types). */
  data: Uint8Array;
}

/** The element types of the format: unsigned byte (MNIST) and 32-bit int (QMNIST's labels). */
export const IDX_UBYTE = 0x08;
export const IDX_INT32 = 0x0c;
const TYPE_NAMES: Record<number, string> = { [IDX_UBYTE]: 'MNIST files hold unsigned bytes (0x08)', [IDX_INT32]: 'QMNIST label files hold 32-bit ints (0x0c)' };
const ITEMSIZE: Record<number, number> = { [IDX_UBYTE]: 1, [IDX_INT32]: 4 };
// A forged header must not make us allocate or read past the file; MNIST's
// largest is 60000 x 28 x 28.
const MAX_DIM = 1 << 30;
// The longest header readIdx accepts: the magic number and three dimensions.
const MAX_HEADER = 4 + 4 * 3;
// Data beyond what the header declares is inflated up to this much more, so
// that a slightly long file is reported to the byte, and a gzip bomb is not.
const EXTRA_REPORTED = 1 << 16;
// How far a prefix of a .gz is inflated while looking for the header.
const HEADER_SEARCH_LIMIT = 1 << 24;

/** Reads path (gzip-compressed when it ends in .gz) and checks it holds ndims-dimensional elements of type (unsigned bytes unless said). */
export function readIdx(path: string, ndims: number, type = IDX_UBYTE): IdxFile {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw new Error(`cannot read IDX file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    // A device or a pipe would be read without end.
    if (!fs.fstatSync(fd).isFile()) throw new Error(`cannot read IDX file ${path}: it is not a regular file (a directory, device or pipe)`);
    return path.endsWith('.gz') ? readGzipIdx(path, fs.readFileSync(fd), ndims, type) : readPlainIdx(path, fd, ndims, type);
  } finally {
    fs.closeSync(fd);
  }
}

/** The header's dimensions, once `head` (the file's first bytes; `total` in all) holds them. */
function parseHeader(path: string, head: Buffer, total: number, ndims: number, want: number): number[] {
  if (head.length < 4) throw new Error(`IDX file ${path} is truncated: ${total} bytes, shorter than the 4-byte magic number`);
  if (head[0] !== 0 || head[1] !== 0) {
    throw new Error(`IDX file ${path} has a bad magic number 0x${head.readUInt32BE(0).toString(16).padStart(8, '0')}: it does not start with two zero bytes`);
  }
  const type = head[2];
  const nd = head[3];
  if (type !== want) throw new Error(`IDX file ${path} holds element type 0x${type.toString(16)}; ${TYPE_NAMES[want]}`);
  if (nd !== ndims) throw new Error(`IDX file ${path} has ${nd} dimensions; expected ${ndims}`);
  const header = 4 + 4 * nd;
  if (head.length < header) throw new Error(`IDX file ${path} is truncated: its header needs ${header} bytes, the file has ${total}`);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) {
    const d = head.readUInt32BE(4 + 4 * i);
    if (d > MAX_DIM) throw new Error(`IDX file ${path} has an implausible dimension ${i} of ${d}`);
    dims.push(d);
  }
  const expected = dims.reduce((a, b) => a * b, ITEMSIZE[want]);
  if (expected > bufferConstants.MAX_LENGTH - header - EXTRA_REPORTED) throw new Error(`IDX file ${path} has implausible dimensions [${dims.join(', ')}]: ${expected} bytes of data`);
  return dims;
}

function checkDataSize(path: string, dims: number[], itemsize: number, actual: number, more = false): number {
  const expected = dims.reduce((a, b) => a * b, itemsize);
  if (actual < expected) {
    throw new Error(`IDX file ${path} is truncated: dimensions [${dims.join(', ')}] need ${expected} bytes of data, the file has ${actual}`);
  }
  if (more) throw new Error(`IDX file ${path} is mis-sized: dimensions [${dims.join(', ')}] need ${expected} bytes of data, the file has more than ${actual}`);
  if (actual > expected) {
    throw new Error(`IDX file ${path} is mis-sized: dimensions [${dims.join(', ')}] need ${expected} bytes of data, the file has ${actual} (${actual - expected} extra)`);
  }
  return expected;
}

// The header, then exactly the data it declares: a file's length is checked before its data is read.
function readPlainIdx(path: string, fd: number, ndims: number, type: number): IdxFile {
  const size = fs.fstatSync(fd).size;
  const head = Buffer.alloc(Math.min(size, MAX_HEADER));
  fs.readSync(fd, head, 0, head.length, 0);
  const dims = parseHeader(path, head, size, ndims, type);
  const header = 4 + 4 * dims.length;
  const expected = checkDataSize(path, dims, ITEMSIZE[type], size - header);
  const data = new Uint8Array(expected);
  for (let got = 0; got < expected; ) {
    const n = fs.readSync(fd, data, got, expected - got, header + got);
    if (n === 0) throw new Error(`IDX file ${path} is truncated: it ended while being read`);
    got += n;
  }
  return { dims, data };
}

const gzipError = (path: string, err: unknown) => new Error(`IDX file ${path} is not a valid gzip file: ${(err as Error).message}`);

// The header is inflated from the smallest prefix that holds it, then the whole file is inflated no further than
// the size the header declares (a 1 x 1 x 1 header over a gigabyte of zeros stops after a few kilobytes).
function readGzipIdx(path: string, compressed: Buffer, ndims: number, type: number): IdxFile {
  let head: Buffer | undefined;
  for (let prefix = 64; head === undefined; prefix *= 4) {
    const whole = prefix >= compressed.length;
    // A header comes out of a real file's first kilobyte (past a long gzip comment, out of the first prefix
    // past the comment, which at a quarter of this prefix cannot inflate this far); only a forged file hits the limit.
    const limit = whole ? MAX_HEADER + EXTRA_REPORTED : HEADER_SEARCH_LIMIT;
    let out: Buffer;
    try {
      // Z_SYNC_FLUSH inflates what a cut gzip stream holds, without calling the cut an error.
      out = zlib.gunzipSync(whole ? compressed : compressed.subarray(0, prefix), { maxOutputLength: limit, ...(whole ? {} : { finishFlush: zlib.constants.Z_SYNC_FLUSH }) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Error(`IDX file ${path} is not a valid gzip'd IDX file: its first ${Math.min(prefix, compressed.length)} compressed bytes inflate past ${limit} bytes, and a shorter start held no IDX header`);
      }
      throw gzipError(path, err);
    }
    if (out.length >= MAX_HEADER || whole) head = out;
  }
  const dims = parseHeader(path, head, head.length, ndims, type);
  const header = 4 + 4 * dims.length;
  const expected = dims.reduce((a, b) => a * b, ITEMSIZE[type]);
  let bytes: Buffer;
  try {
    bytes = zlib.gunzipSync(compressed, { maxOutputLength: header + expected + EXTRA_REPORTED });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') checkDataSize(path, dims, ITEMSIZE[type], expected + EXTRA_REPORTED, true);
    throw gzipError(path, err);
  }
  checkDataSize(path, dims, ITEMSIZE[type], bytes.length - header);
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, expected) };
}
