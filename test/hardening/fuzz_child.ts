// The fuzzer's child: random registered ATen operators called through the
// public `torch.ops.aten` with random arguments drawn from a pool of plausible
// and implausible values. Deterministic for a seed: iteration i's operator and
// arguments do not depend on which iterations ran before it, so a crash is
// replayed from (seed, i). test/hardening/fuzz.ts drives it.
//   node --import tsx test/hardening/fuzz_child.ts <seed> <seconds> [from] [count]
// prints `i op` before each call it makes (with FUZZ_VERBOSE=1, its arguments).
import torch, { type Tensor } from '../../lib';
import { native } from '../../lib/native';

const [seedText, secondsText, fromText, countText] = process.argv.slice(2);
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

// Arguments are drawn as plain descriptions first and made into tensors only
// for the iterations that run, so a replay from iteration i skips the
// iterations before it at the cost of drawing their random numbers.
class TensorSpec {
  constructor(
    readonly shape: number[],
    readonly dtype: torch.dtype,
    readonly values: Float32Array,
    readonly transposed: boolean,
    readonly requiresGrad: boolean,
  ) {}

  make(): Tensor {
    let t = torch.tensor(this.values).reshape(this.shape).to(this.dtype);
    if (this.transposed) t = t.t();
    if (this.requiresGrad) t = t.float().requires_grad_(true);
    return t;
  }
}

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
    case 8: return pick([2 ** 40, -(2 ** 40), 2 ** 62]);
    case 9: return {};
    default: return tensor();
  }
}

function tensor(): TensorSpec {
  const shapes = [[], [0], [3], [2, 3], [1, 4, 1], [2, 0, 3], [2, 2, 2, 2]];
  const shape = pick(shapes);
  const dtype = pick([torch.float32, torch.float32, torch.int64, torch.bool, torch.float64, torch.uint8, torch.int32]);
  const numel = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: numel }, () => random() * 10 - 3);
  const transposed = random() < 0.15 && shape.length === 2;
  return new TensorSpec(shape, dtype, values, transposed, random() < 0.1);
}

function make(v: unknown): unknown {
  if (v instanceof TensorSpec) return v.make();
  return Array.isArray(v) ? v.map(make) : v;
}

function describe(a: unknown): string {
  if (a instanceof torch.Tensor) {
    const flags = `${a.is_contiguous() ? '' : ', transposed'}${a.requires_grad ? ', requires_grad' : ''}`;
    const values = a.numel() <= 16 ? ` ${JSON.stringify(a.flatten().tolist())}` : '';
    return `Tensor(${a.dtype.name}, [${a.shape.join(', ')}]${flags})${values}`;
  }
  if (Array.isArray(a)) return `[${a.map(describe).join(', ')}]`;
  if (typeof a === 'number' || typeof a === 'boolean' || a === undefined) return String(a);
  if (a instanceof torch.dtype) return `torch.${a.name}`;
  return JSON.stringify(a);
}

const ops = native.opNames().filter((n) => n.startsWith('aten::') && !SKIP.test(n)).sort();
const deadline = Date.now() + Number(secondsText ?? 10) * 1000;
let i = 0;
const from = Number(fromText ?? 0);
const end = countText === undefined ? Infinity : from + Number(countText);
// A replay (a count given) runs its iterations whatever the clock says.
while (i < end && (countText !== undefined || Date.now() < deadline)) {
  const op = pick(ops);
  const drawn = Array.from({ length: Math.floor(random() * 6) }, () => value());
  if (i >= from) {
    const args = drawn.map(make);
    process.stdout.write(`${i} ${op}\n`);
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`  ${args.map(describe).join(', ')}\n`);
    const [name, overload] = op.slice('aten::'.length).split('.');
    torch.manual_seed(i);
    try {
      torch.ops.aten[name][overload ?? 'default'](...args);
    } catch {
      // errors are the expected outcome; only crashes matter
    }
  }
  i++;
}
process.stdout.write(`done ${i}\n`);
