// The fuzzer's child: random registered ATen operators called through the
// public `torch.ops.aten` with random arguments drawn from a pool of plausible
// and implausible values. Deterministic for a seed: iteration i's operator and
// arguments do not depend on which iterations ran before it, so a crash is
// replayed from (seed, i). test/hardening/fuzz.ts drives it.
//   node --import tsx test/hardening/fuzz_child.ts <seed> <seconds> [from] [count]
// prints `i op` before each call it makes (with FUZZ_VERBOSE=1, its arguments).
//
// With FUZZ_MODE=pairs, each iteration is a sequence of two calls: the first
// op's result (an element of it, when it returns several) goes into the
// second op's arguments, sometimes after a write into it. Many faults need
// two steps: an unsafe sparse constructor or an aliasing accessor
// (`_indices`, `crow_indices`, `as_strided`, `set_`) hands out a tensor that
// breaks an invariant, and the op that reads it (`to_dense`) is the one that
// crashes. So half the first ops come from a list of such constructors and
// accessors, with arguments shaped for them, and half the second ops from a
// list of readers; sparse tensors, which single calls skip, are in the pool.
// The iteration prints as `i first->[write->]second`.
import torch, { type Tensor } from '../../lib';
import { native } from '../../lib/native';

const [seedText, secondsText, fromText, countText] = process.argv.slice(2);
const pairs = process.env.FUZZ_MODE === 'pairs';
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
const SKIP = /^aten::(_?sleep|from_file|_nnpack|_cudnn|_mps|_test_|_debug|_fused_sdp|_nested|nested|q_|_make_per|quantize|dequantize|_empty_per_channel|_fake_quant|fake_quant|fbgemm|mkldnn|_mkldnn|miopen|cudnn|_cufft|_use_cudnn|segment_reduce|_segment_reduce|_cummax_helper|_cummin_helper|_linalg_check|_validate|_assert|_functional_assert|lift|_lazy|_efficientzerotensor|_foreach)/;
// Sparse operators are left to the pairs mode, which makes sparse tensors for them.
const SKIP_SINGLE = /^aten::(_sparse|sparse|to_sparse|_to_sparse)/;

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
    readonly layout: 'strided' | 'sparse_coo' | 'sparse_csr' = 'strided',
  ) {}

  make(): Tensor {
    let t = torch.tensor(this.values).reshape(this.shape).to(this.dtype);
    if (this.transposed) t = t.t();
    if (this.requiresGrad) t = t.float().requires_grad_(true);
    try {
      if (this.layout === 'sparse_coo') t = torch.ops.aten.to_sparse.default(t) as Tensor;
      if (this.layout === 'sparse_csr') t = torch.ops.aten.to_sparse_csr.default(t) as Tensor;
    } catch {
      // a dtype or shape with no sparse form stays strided
    }
    return t;
  }
}

/** A tensor of exactly these values, for indices, offsets and sizes. */
function exact(shape: number[], dtype: torch.dtype, values: number[]): TensorSpec {
  return new TensorSpec(shape, dtype, Float32Array.from(values), false, false);
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
  const requiresGrad = random() < 0.1;
  const layout = pairs ? pick(['strided', 'strided', 'strided', 'sparse_coo', 'sparse_csr'] as const) : 'strided';
  return new TensorSpec(shape, dtype, values, transposed, requiresGrad, layout);
}

/** A tensor's metadata without reading its elements: describing an op's result must not be a read of its own. */
function describeResult(a: unknown): string {
  if (!(a instanceof torch.Tensor)) return describe(a);
  try {
    const layout = ['strided', 'sparse_coo', 'sparse_csr', 'mkldnn', 'sparse_csc', 'sparse_bsr', 'sparse_bsc'][native.layout(a as any)];
    const strides = layout === 'strided' ? `, strides [${a.stride().join(', ')}]` : '';
    return `Tensor(${a.dtype.name}, [${a.shape.join(', ')}], ${layout}${strides})`;
  } catch (err) {
    return `Tensor(${(err as Error).message.split('\n')[0]})`;
  }
}

function make(v: unknown): unknown {
  if (v instanceof TensorSpec) return v.make();
  return Array.isArray(v) ? v.map(make) : v;
}

function describe(a: unknown): string {
  if (a instanceof torch.Tensor) {
    try {
      // c10::Layout's codes
      const layout = ['strided', 'sparse_coo', 'sparse_csr', 'mkldnn', 'sparse_csc', 'sparse_bsr', 'sparse_bsc'][native.layout(a as any)];
      if (layout !== 'strided') return `Tensor(${a.dtype.name}, [${a.shape.join(', ')}], ${layout})`;
      const flags = `${a.is_contiguous() ? '' : ', transposed'}${a.requires_grad ? ', requires_grad' : ''}`;
      const values = a.numel() <= 16 ? ` ${JSON.stringify(a.flatten().tolist())}` : '';
      return `Tensor(${a.dtype.name}, [${a.shape.join(', ')}]${flags})${values}`;
    } catch (err) {
      return `Tensor(${(err as Error).message.split('\n')[0]})`;
    }
  }
  if (Array.isArray(a)) return `[${a.map(describe).join(', ')}]`;
  if (typeof a === 'number' || typeof a === 'boolean' || a === undefined) return String(a);
  if (a instanceof torch.dtype) return `torch.${a.name}`;
  return JSON.stringify(a);
}

const ops = native
  .opNames()
  .filter((n) => n.startsWith('aten::') && !SKIP.test(n) && (pairs || !SKIP_SINGLE.test(n)))
  .sort();

// Index values around the edges: in range, negative, past a small size, past int32.
const indexValues = [0, 1, 2, 3, -1, 4, 7, 1000, 2 ** 31, -(2 ** 40)];
const sizeLists = [[2, 3], [3], [0, 3], [2, 3, 4], [1, 1], [2 ** 31, 2], []];
const valuesFor = (nnz: number) =>
  random() < 0.7 ? new TensorSpec([nnz], torch.float32, Float32Array.from({ length: nnz }, () => random() * 10 - 3), false, false) : tensor();
const randomIndices = (rows: number, cols: number) =>
  exact([rows, cols], torch.int64, Array.from({ length: rows * cols }, () => (random() < 0.8 ? pick([0, 1, 2]) : pick(indexValues))));

// Constructors that trust their arguments and accessors that alias a tensor's
// insides, each with a draw of arguments shaped for it (an op left out of the
// table gets random ones).
const FIRST_OPS: Record<string, (() => unknown[]) | null> = {
  'aten::_sparse_coo_tensor_unsafe': () => {
    const nnz = pick([0, 1, 2, 4]);
    const size = pick(sizeLists);
    return [randomIndices(Math.max(1, size.length), nnz), valuesFor(nnz), size];
  },
  'aten::sparse_coo_tensor.indices_size': () => {
    const nnz = pick([1, 2, 4]);
    return [randomIndices(2, nnz), valuesFor(nnz), pick(sizeLists)];
  },
  'aten::_sparse_coo_tensor_with_dims_and_tensors': () => {
    const nnz = pick([1, 2]);
    return [pick([1, 2]), pick([0, 1]), pick(sizeLists), randomIndices(2, nnz), valuesFor(nnz)];
  },
  'aten::_sparse_csr_tensor_unsafe': () => [
    exact([3], torch.int64, [0, pick(indexValues), pick([2, 4, 1000])]),
    exact([2], torch.int64, [pick(indexValues), pick(indexValues)]),
    valuesFor(2),
    pick(sizeLists),
  ],
  'aten::_sparse_compressed_tensor_unsafe': () => [exact([3], torch.int64, [0, pick(indexValues), 2]), exact([2], torch.int64, [pick(indexValues), 0]), valuesFor(2), pick(sizeLists)],
  'aten::_indices': null,
  'aten::_values': null,
  'aten::indices': null,
  'aten::values': null,
  'aten::crow_indices': null,
  'aten::col_indices': null,
  'aten::as_strided': () => [tensor(), pick(sizeLists), pick([[1], [3, 1], [0, 0], [-1, 1], [2 ** 31, 1]]), pick([0, 1, 5, -1, 2 ** 40])],
  'aten::as_strided_': () => [tensor(), pick(sizeLists), pick([[1], [3, 1], [0, 0], [2 ** 31, 1]]), pick([0, 1, 5, 2 ** 40])],
  'aten::set_.source_Tensor': null,
  'aten::set_.source_Tensor_storage_offset': () => [tensor(), tensor(), pick([0, 1, 5, -1, 2 ** 40]), pick(sizeLists), pick([[1], [3, 1], [0, 0], [-1]])],
  'aten::_unsafe_view': () => [tensor(), pick(sizeLists)],
  'aten::view.dtype': () => [tensor(), pick([torch.float32, torch.int64, torch.bool, torch.uint8, torch.float64])],
  'aten::alias': null,
  'aten::_reshape_alias': () => [tensor(), pick(sizeLists), pick([[1], [3, 1], [0, 0], [-1, 1]])],
  'aten::resize_': () => [tensor(), pick(sizeLists)],
  'aten::sparse_resize_': () => [tensor(), pick(sizeLists), pick([0, 1, 2]), pick([0, 1, 2])],
  'aten::sparse_resize_and_clear_': () => [tensor(), pick(sizeLists), pick([0, 1, 2]), pick([0, 1])],
  'aten::_coalesced_': () => [tensor(), pick([true, false])],
  'aten::to_sparse': null,
  'aten::to_sparse_csr': null,
  'aten::unsafe_split.Tensor': null,
  'aten::unsafe_chunk': null,
  'aten::expand': () => [tensor(), pick(sizeLists)],
  'aten::diagonal': null,
  'aten::unfold': null,
  'aten::view_as_real': null,
};
// Operators that read every element, or the structure, of what they are given
// (the sparse readers twice: most first ops make sparse tensors).
const SECOND_OPS = [
  'aten::to_dense', 'aten::_to_dense', 'aten::coalesce', 'aten::_coalesce', 'aten::to_dense', 'aten::_to_dense', 'aten::coalesce',
  'aten::_coalesce', 'aten::clone', 'aten::contiguous', 'aten::sum',
  'aten::add.Tensor', 'aten::mul.Tensor', 'aten::index_select', 'aten::_local_scalar_dense', 'aten::_nnz', 'aten::_values',
  'aten::_indices', 'aten::copy_', 'aten::mm', 'aten::matmul', 'aten::to_sparse', 'aten::to_sparse_csr', 'aten::sparse_mask',
  'aten::max', 'aten::sort', 'aten::cat', 'aten::masked_select', 'aten::nonzero', 'aten::index_add', 'aten::t', 'aten::narrow',
  'aten::_sparse_sum', 'aten::softmax.int', 'aten::_sparse_softmax.int', 'aten::neg', 'aten::abs', 'aten::sign',
];
// Writes through an alias, drawn with the value they write.
const WRITES: [string, () => unknown[]][] = [
  ['aten::fill_.Scalar', () => [pick(indexValues)]],
  ['aten::add_.Scalar', () => [pick([1, 1000, -5, 2 ** 40])]],
  ['aten::mul_.Scalar', () => [pick([-1, 1000, 2 ** 31])]],
  ['aten::zero_', () => []],
  ['aten::copy_', () => [tensor()]],
  ['aten::resize_', () => [pick(sizeLists)]],
];
const firstOps = Object.keys(FIRST_OPS).filter((n) => ops.includes(n));
const secondOps = SECOND_OPS.filter((n) => ops.includes(n));

function call(op: string, args: unknown[]): unknown {
  const [name, overload] = op.slice('aten::'.length).split('.');
  return torch.ops.aten[name][overload ?? 'default'](...args);
}

function randomArgs(): unknown[] {
  return Array.from({ length: Math.floor(random() * 6) }, () => value());
}

/** One iteration's draw, made whether or not the iteration runs, so that iteration i does not depend on which ran before it. */
function draw(): { name: string; run: () => void } {
  if (!pairs) {
    const op = pick(ops);
    const drawn = randomArgs();
    return {
      name: op,
      run() {
        const args = drawn.map(make);
        if (process.env.FUZZ_VERBOSE) process.stdout.write(`  ${args.map(describe).join(', ')}\n`);
        torch.manual_seed(iterationSeed);
        try {
          call(op, args);
        } catch {
          // errors are the expected outcome; only crashes matter
        }
      },
    };
  }
  const first = random() < 0.6 ? pick(firstOps) : pick(ops);
  const recipe = FIRST_OPS[first];
  // An accessor without a recipe takes the tensor it reads, mostly alone.
  const firstDrawn = recipe ? recipe() : first in FIRST_OPS ? [tensor(), ...(random() < 0.7 ? [] : randomArgs())] : randomArgs();
  const element = Math.floor(random() * 4);
  const write = random() < 0.4 ? pick(WRITES) : null;
  const writeDrawn = write ? write[1]() : [];
  // A reader mostly takes the result alone, as its first argument: random
  // extra arguments would make most calls fail in their argument parsing.
  const reader = random() < 0.6;
  const second = reader ? pick(secondOps) : pick(ops);
  const secondDrawn = reader && random() < 0.7 ? [] : randomArgs();
  const position = reader ? 0 : Math.floor(random() * (secondDrawn.length + 1));
  const name = `${first}->${write ? `${write[0]}->` : ''}${second}`;
  return {
    name,
    run() {
      // Each step is a line of its own, printed before it runs, so that the
      // parent has the whole sequence up to the call that crashed.
      const say = (line: string) => process.env.FUZZ_VERBOSE && process.stdout.write(`  ${line}\n`);
      const firstArgs = firstDrawn.map(make);
      say(`${first}(${firstArgs.map(describe).join(', ')})`);
      torch.manual_seed(iterationSeed);
      let result: unknown;
      try {
        result = call(first, firstArgs);
      } catch {
        return;
      }
      if (Array.isArray(result)) result = result.length ? result[element % result.length] : result;
      say(`result = ${describeResult(result)}`);
      if (write) {
        const writeArgs = writeDrawn.map(make);
        say(`${write[0]}(${[result, ...writeArgs].map((a) => (a === result ? 'result' : describe(a))).join(', ')})`);
        try {
          call(write[0], [result, ...writeArgs]);
        } catch {
          // the read below goes on: a write that failed halfway is a case too
        }
      }
      const secondArgs = secondDrawn.map(make);
      secondArgs.splice(position, 0, result);
      say(`${second}(${secondArgs.map((a) => (a === result ? 'result' : describe(a))).join(', ')})`);
      try {
        call(second, secondArgs);
      } catch {
        // errors are the expected outcome; only crashes matter
      }
    },
  };
}

let iterationSeed = 0;
const deadline = Date.now() + Number(secondsText ?? 10) * 1000;
let i = 0;
const from = Number(fromText ?? 0);
const end = countText === undefined ? Infinity : from + Number(countText);
// A replay (a count given) runs its iterations whatever the clock says.
while (i < end && (countText !== undefined || Date.now() < deadline)) {
  const iteration = draw();
  if (i >= from) {
    process.stdout.write(`${i} ${iteration.name}\n`);
    iterationSeed = i;
    iteration.run();
  }
  i++;
}
process.stdout.write(`done ${i}\n`);
