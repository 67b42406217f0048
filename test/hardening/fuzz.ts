// A fuzzer over the generic op call: random registered ATen operators called
// with random arguments drawn from a pool of plausible and implausible
// values. It runs in a child process; a crash is found by the parent, which
// records the operator and the seed. Deterministic for a seed.
//   node --import tsx test/hardening/fuzz.ts <seed> <seconds> [from-iteration]
import torch, { type Tensor } from '../../lib';
import { native } from '../../lib/native';

const [seedText, secondsText, fromText] = process.argv.slice(2);
let state = Number(seedText ?? 1) >>> 0;
const random = () => {
  // mulberry32
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

// Operators that are not worth fuzzing: they sleep, touch files or the
// process, or allocate what their (random) size argument says by design.
const SKIP = /^aten::(_?sleep|from_file|_nnpack|_cudnn|_mps|_test_|_debug|_fused_sdp|_nested|nested|_sparse|sparse|to_sparse|_to_sparse|q_|_make_per|quantize|dequantize|_empty_per_channel|_fake_quant|fake_quant|fbgemm|mkldnn|_mkldnn|miopen|cudnn|_cufft|_use_cudnn|segment_reduce|_segment_reduce|_cummax_helper|_cummin_helper|_linalg_check|_validate|_assert|_functional_assert|lift|_lazy|_efficientzerotensor|_foreach)/;

const smallInts = [-2, -1, 0, 1, 2, 3, 7];
function value(depth = 0): unknown {
  switch (Math.floor(random() * 16)) {
    case 0: return pick(smallInts);
    case 1: return pick([0.5, -1.5, NaN, Infinity, -0]);
    case 2: return pick([true, false]);
    case 3: return pick([null, undefined]);
    case 4: return pick(['', 'mean', 'sum', 'none', 'cpu', 'abc']);
    case 5: return depth > 1 ? 1 : Array.from({ length: Math.floor(random() * 4) }, () => pick(smallInts));
    case 6: return depth > 1 ? [] : Array.from({ length: Math.floor(random() * 3) }, () => tensor());
    case 7: return pick([torch.float32, torch.int64, torch.bool, torch.float64, torch.uint8]);
    case 8: return pick([1 << 40, -(1 << 40)]);
    case 9: return {};
    default: return tensor();
  }
}

function tensor(): Tensor {
  const shapes = [[], [0], [3], [2, 3], [1, 4, 1], [2, 0, 3], [2, 2, 2, 2]];
  const shape = pick(shapes);
  const dtype = pick([torch.float32, torch.float32, torch.int64, torch.bool, torch.float64, torch.uint8, torch.int32]);
  const numel = shape.reduce((a, b) => a * b, 1);
  // Values from this fuzzer's own generator, so that a run replays from any iteration.
  let t = torch.tensor(Float32Array.from({ length: numel }, () => random() * 10 - 3)).reshape(shape).to(dtype);
  if (random() < 0.15 && t.ndim === 2) t = t.t();
  if (random() < 0.1) t = t.float().requires_grad_(true);
  return t;
}

const ops = native.opNames().filter((n) => n.startsWith('aten::') && !SKIP.test(n)).sort();
const deadline = Date.now() + Number(secondsText ?? 10) * 1000;
let i = 0;
const from = Number(fromText ?? 0);
while (Date.now() < deadline) {
  const op = pick(ops);
  const args = Array.from({ length: Math.floor(random() * 6) }, () => value());
  if (i >= from) {
    process.stdout.write(`${i} ${op}\n`);
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`  ${args.map((a) => (a instanceof torch.Tensor ? `Tensor${JSON.stringify([...a.shape])}:${a.dtype.name}` : typeof a === 'number' || typeof a === 'boolean' ? String(a) : JSON.stringify(a) ?? String(a))).join(', ')}\n`);
    const [name, overload] = op.split('.');
    torch.manual_seed(i);
    try {
      native.opCall(native.opFind(name, overload ?? ''), ...args);
    } catch {
      // errors are the expected outcome; only crashes matter
    }
  }
  i++;
}
process.stdout.write(`done ${i}\n`);
