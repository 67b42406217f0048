// Image decoding through sharp (libvips), synchronously: torchvision's
// read_image and a dataset's getitem return at once, but sharp only
// decodes asynchronously. So a worker thread runs sharp, and this thread
// waits for its answer on a shared flag (Atomics.wait) and takes the reply
// with receiveMessageOnPort: one round trip per image, no event-loop turn.
//
// sharp is an optional dependency: the rest of torchts loads without it,
// and only decoding needs it.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** What sharp decoded: pixels row-major, channels interleaved (H, W, C). */
export interface Decoded {
  /** 8-bit samples, or 16-bit ones where asked for (depth16) and the source has them. */
  data: Uint8Array | Uint16Array;
  width: number;
  height: number;
  channels: number;
  /** 'png', 'jpeg', ...: the format sharp recognised. */
  format: string;
  /** Whether the source was a palette image (PNG color type 3). */
  isPalette: boolean;
}

const WORKER = `
const { workerData } = require('node:worker_threads');
const sharp = require(workerData.sharpPath);
const { port, signal } = workerData;
// Decoding is this worker's only job; libvips' own thread pool does the parallel part.
sharp.concurrency(1);
port.on('message', async ({ bytes, depth16 }) => {
  let reply;
  try {
    let img = sharp(bytes, { failOn: 'error', limitInputPixels: false });
    const meta = await img.metadata();
    const wide = Boolean(depth16) && meta.depth === 'ushort';
    // 16-bit samples as stored: sharp's default sRGB output is 8-bit, even in a ushort buffer.
    if (wide) img = img.toColourspace('rgb16');
    let { data, info } = await img.raw({ depth: wide ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    if (wide) data = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    let channels = info.channels;
    // sharp's raw output is sRGB: a grey source comes back with its level in all three colour
    // bands. Back to grey (and alpha), as stored; the bands must agree, or this is not grey.
    if (!meta.isPalette && (meta.channels === 1 || meta.channels === 2) && (channels === 3 || channels === 4)) {
      const n = info.width * info.height, out = wide ? new Uint16Array(n * (channels - 2)) : Buffer.alloc(n * (channels - 2));
      for (let i = 0, s = 0, d = 0; i < n; i++, s += channels) {
        if (data[s] !== data[s + 1] || data[s] !== data[s + 2]) throw new Error('a grey image decoded to unequal colour bands');
        out[d++] = data[s];
        if (channels === 4) out[d++] = data[s + 3];
      }
      data = out;
      channels -= 2;
    }
    reply = { data, width: info.width, height: info.height, channels, format: meta.format,
      isPalette: Boolean(meta.isPalette) };
  } catch (e) {
    reply = { error: String(e && e.message || e) };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

let bridge: { worker: Worker; port: MessagePort; signal: Int32Array } | null = null;

/** Where sharp is, or an error that names the package and how to get it. */
function sharpPath(): string {
  try {
    return require.resolve('sharp');
  } catch {
    throw new Error(
      "torchts/vision: decoding images needs the 'sharp' package (an optional dependency of torchts, with prebuilt binaries " +
        'for Linux, macOS and Windows), and it is not installed. Install it with `npm install sharp`.',
    );
  }
}

function start(): NonNullable<typeof bridge> {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, { eval: true, workerData: { sharpPath: sharpPath(), port: port2, signal }, transferList: [port2] });
  // The decoder never keeps the process alive: it only works while this thread waits on it.
  worker.unref();
  port1.unref();
  worker.on('error', () => {
    bridge = null;
  });
  return { worker, port: port1, signal };
}

/**
 * Decodes an encoded image (PNG, JPEG, ...) with sharp, synchronously; with
 * depth16, a 16-bit source keeps its 16-bit samples (a Uint16Array).
 */
export function decodeSync(bytes: Uint8Array, timeoutMs = 120_000, depth16 = false): Decoded {
  bridge ??= start();
  const { port, signal } = bridge;
  Atomics.store(signal, 0, 0);
  port.postMessage({ bytes, depth16 });
  if (Atomics.wait(signal, 0, 0, timeoutMs) === 'timed-out') {
    void bridge.worker.terminate();
    bridge = null;
    throw new Error(`decoding an image with sharp took more than ${timeoutMs / 1000} s; the decoder was stopped`);
  }
  const reply = receiveMessageOnPort(port)?.message as (Decoded & { error?: undefined }) | { error: string } | undefined;
  if (!reply) throw new Error('the sharp decoder ended without an answer');
  if (reply.error !== undefined) throw new Error(reply.error);
  const d = reply as Decoded;
  // A Buffer arrives as a plain Uint8Array; a Uint16Array as itself.
  return d.data instanceof Uint16Array ? d : { ...d, data: new Uint8Array(d.data.buffer, d.data.byteOffset, d.data.byteLength) };
}
