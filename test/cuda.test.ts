// torch.cuda and CUDA devices against Python (scripts/golden/cuda_api.py).
// Without a GPU (CI): each torch.cuda call answers what Python's answers, or
// throws where Python raises, naming the call and Python's reason; a CUDA
// device asked of a factory, to(), cuda(), a module or a generator is a
// clear error. With one (scripts/gpu_check.sh): seeded draws and a small
// training run equal Python's on the same GPU, and the memory figures move
// as tensors come and go. The tests that do not apply are skipped with the
// reason in their title.
import * as fs from 'node:fs';

import test from 'ava';

import torch, { nn, type Tensor } from '../lib';
import { assertTensorMatches, fixture, fixturePath } from './_helpers';

const gpu = torch.cuda.is_available();
const builtWithCuda = torch.backends.cuda.is_built();

/**
 * Python's reason there is no CUDA device, which depends on whether the
 * libtorch has CUDA, and if it has, on whether the machine has a driver
 * (measured with pip's torch 2.14.1+cu130 without one).
 */
const reason = builtWithCuda ? /No CUDA GPUs are available|Found no NVIDIA driver on your system/ : /Torch not compiled with CUDA enabled/;
const noGpu = gpu ? ' [needs a machine without a CUDA device]' : '';
const needsGpu = gpu ? '' : ` [needs a CUDA device: ${builtWithCuda ? 'none is visible' : 'this libtorch has no CUDA'}]`;
const withoutGpu = gpu ? test.skip : test;
const withGpu = gpu ? test : test.skip;

const golden = fixture<any>('cuda_without_gpu.json');

type Call = () => unknown;
const calls: Record<string, Call> = {
  is_available: () => torch.cuda.is_available(),
  device_count: () => torch.cuda.device_count(),
  is_initialized: () => torch.cuda.is_initialized(),
  current_device: () => torch.cuda.current_device(),
  set_device: () => torch.cuda.set_device(0),
  synchronize: () => torch.cuda.synchronize(),
  manual_seed: () => torch.cuda.manual_seed(1),
  manual_seed_all: () => torch.cuda.manual_seed_all(1),
  seed: () => torch.cuda.seed(),
  seed_all: () => torch.cuda.seed_all(),
  initial_seed: () => torch.cuda.initial_seed(),
  memory_allocated: () => torch.cuda.memory_allocated(),
  max_memory_allocated: () => torch.cuda.max_memory_allocated(),
  memory_reserved: () => torch.cuda.memory_reserved(),
  max_memory_reserved: () => torch.cuda.max_memory_reserved(),
  memory_allocated_cpu: () => torch.cuda.memory_allocated('cpu'),
  reset_peak_memory_stats: () => torch.cuda.reset_peak_memory_stats(),
  empty_cache: () => torch.cuda.empty_cache(),
  mem_get_info: () => torch.cuda.mem_get_info(),
  get_device_name: () => torch.cuda.get_device_name(),
  get_device_properties: () => torch.cuda.get_device_properties(0),
  get_device_capability: () => torch.cuda.get_device_capability(),
  init: () => torch.cuda.init(),
  default_generators: () => torch.cuda.default_generators.length,
};

// Python's name for each call, in our messages.
const callNames: Record<string, string> = { memory_allocated_cpu: 'memory_allocated', default_generators: 'default_generators' };

withoutGpu(`every torch.cuda call answers as Python's does without a GPU, or throws naming the call and Python's reason${noGpu}`, (t) => {
  t.deepEqual(Object.keys(calls).sort(), Object.keys(golden.calls).sort(), 'the script and the test cover the same calls');
  for (const [name, call] of Object.entries(calls)) {
    const expected = golden.calls[name];
    if ('returns' in expected) {
      t.deepEqual(call() ?? null, expected.returns, name);
      continue;
    }
    // Python raises AssertionError (its lazy init), or AttributeError where
    // the binding is missing from a CPU-only build (set_device,
    // reset_peak_memory_stats): here each is one Error with the reason.
    const err = t.throws(call, undefined, name)!;
    t.regex(err.message, new RegExp(`^torch\\.cuda\\.${callNames[name] ?? name}\\(\\): `), name);
    t.regex(err.message, reason, name);
  }
});

const tensorCalls: Record<string, Call> = {
  ones_device: () => torch.ones(2, { device: 'cuda' }),
  ones_device_1: () => torch.ones(2, { device: 'cuda:1' }),
  randn_device: () => torch.randn(2, { device: 'cuda' }),
  tensor_device: () => torch.tensor([1.0], { device: 'cuda' }),
  to: () => torch.ones(2).to('cuda'),
  cuda: () => torch.ones(2).cuda(),
  module_to: () => new nn.Linear(2, 2).to('cuda'),
  module_cuda: () => new nn.Linear(2, 2).cuda(),
  generator: () => new torch.Generator('cuda'),
  pin_memory: () => torch.ones(2).pin_memory(),
  ones_pin_memory: () => torch.ones(2, { pin_memory: true }),
  is_pinned: () => torch.ones(2).is_pinned(),
  is_cuda: () => torch.ones(2).is_cuda,
  to_non_blocking: () => torch.arange(3, { dtype: torch.float32 }).to(torch.float64, { non_blocking: true }),
  to_cpu_non_blocking: () => torch.arange(3, { dtype: torch.float32 }).to('cpu', { non_blocking: true }),
  copy_non_blocking: () => torch.zeros(3).copy_(torch.arange(3, { dtype: torch.float32 }), true),
  mixed_devices: () => torch.ones(2).add(torch.ones(2, { device: 'meta' })),
  set_device_cpu: () => torch.cuda.set_device('cpu'),
  set_device_no_index: () => torch.cuda.set_device('cuda'),
};

// What each refusal must say beyond Python's words (which for pin_memory are a page about linking).
const refusals: Record<string, RegExp> = {
  ones_device: /^aten::ones: argument 'device': device 'cuda' is not available: /,
  ones_device_1: /^aten::ones: argument 'device': device 'cuda:1' is not available: /,
  randn_device: /^aten::randn: argument 'device': device 'cuda' is not available: /,
  tensor_device: /device 'cuda' is not available: /,
  to: /^aten::to\.device: argument 'device': device 'cuda' is not available: /,
  cuda: /^aten::to\.device: argument 'device': device 'cuda' is not available: /,
  module_to: /device 'cuda' is not available: /,
  module_cuda: /device 'cuda' is not available: /,
  generator: /^torch\.Generator\(\): device 'cuda' is not available: /,
  pin_memory: /^aten::pin_memory: pinned memory needs CUDA: /,
  ones_pin_memory: /^aten::ones: argument 'pin_memory': pinned memory needs CUDA: /,
  mixed_devices: /(Expected all tensors to be on the same device|is not on the expected device)/,
  set_device_cpu: /^torch\.cuda\.set_device\(\): Expected a cuda device, but got: cpu$/,
  set_device_no_index: /^torch\.cuda\.set_device\(\): Expected a torch\.device with a specified index or an integer, but got:cuda$/,
};
const withReason = new Set(['ones_device', 'ones_device_1', 'randn_device', 'tensor_device', 'to', 'cuda', 'module_to', 'module_cuda', 'generator', 'pin_memory', 'ones_pin_memory']);

withoutGpu(`a CUDA device asked of a factory, to(), cuda(), a module or a generator is refused with the reason, where Python refuses it${noGpu}`, (t) => {
  t.deepEqual(Object.keys(tensorCalls).sort(), Object.keys(golden.tensors).sort(), 'the script and the test cover the same calls');
  for (const [name, call] of Object.entries(tensorCalls)) {
    const expected = golden.tensors[name];
    if ('error' in expected) {
      const err = t.throws(call, undefined, name)!;
      t.regex(err.message, refusals[name], name);
      if (withReason.has(name)) t.regex(err.message, reason, name);
    } else if ('tensor' in expected) {
      const got = call() as Tensor;
      assertTensorMatches(t, got, expected.tensor, name);
      t.is(String(got.device), expected.device, name);
    } else {
      t.deepEqual(call(), expected.returns, name);
    }
  }
  t.false(torch.cuda.is_initialized(), 'no refused call started CUDA');
});

test('torch.cuda device arguments are read as Python reads them', (t) => {
  // What a device argument must be is checked before CUDA is needed, as Python's _get_device_index does.
  t.throws(() => torch.cuda.set_device(1.5), { instanceOf: TypeError, message: /torch\.cuda\.set_device\(\): argument 'device' must be an integer/ });
  t.throws(() => torch.cuda.set_device({} as any), { instanceOf: TypeError, message: /argument 'device' must be an integer, a device or a string, got object/ });
  t.throws(() => torch.cuda.set_device(new torch.device('cpu')), { instanceOf: RangeError, message: /Expected a cuda device, but got: cpu/ });
  t.throws(() => torch.cuda.set_device('gpu'), { message: /invalid device string 'gpu'/ });
  // A negative index does nothing, as in Python (where set_device(-1) is how code says "leave it").
  t.notThrows(() => torch.cuda.set_device(-1));
  t.throws(() => new torch.Generator({ device: 5 } as any), { instanceOf: TypeError, message: /torch\.Generator\(\): argument 'device' must be a device or a string, got number/ });
  t.throws(() => new torch.Generator('meta'), { message: /torch\.Generator\(\): device type meta is not supported/ });
});

test('torch.Generator takes its device positionally or as { device }, and seed() draws a seed it then reports', (t) => {
  const g = new torch.Generator({ device: 'cpu' });
  t.is(g.device, 'cpu');
  t.is(new torch.Generator().initial_seed(), 67280421310721n);
  const s = g.seed();
  t.is(typeof s, 'bigint');
  t.is(g.initial_seed(), s);
  // Reseeding with the drawn seed repeats the draws.
  const a = torch.rand(4, { generator: g });
  g.manual_seed(s);
  t.true(torch.equal(torch.rand(4, { generator: g }), a));
  // Python's range for a seed: -2^63 to 2^64 - 1, a negative one as its two's complement.
  t.is(g.manual_seed(-1).initial_seed(), 2n ** 64n - 1n);
  t.is(g.manual_seed(-(2n ** 63n)).initial_seed(), 2n ** 63n);
  t.is(g.manual_seed(2n ** 64n - 1n).initial_seed(), 2n ** 64n - 1n);
  t.throws(() => g.manual_seed(2n ** 64n), { instanceOf: RangeError, message: /manual_seed: seed: Overflow when unpacking long/ });
  t.throws(() => g.manual_seed(-(2n ** 63n) - 1n), { instanceOf: RangeError, message: /Overflow when unpacking long/ });
});

// ---- on a GPU ----

const gpuGolden = (() => {
  const file = fixturePath('cuda_gpu.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
})();

withGpu(`seeded draws on the GPU equal Python's on the same GPU: the default generators, torch.cuda's seeds, a generator of its own${needsGpu}`, (t) => {
  t.truthy(gpuGolden, 'scripts/golden/cuda_api.py has run on this machine (scripts/gpu_check.sh runs it first)');
  const d = gpuGolden.draws;
  torch.manual_seed(0);
  assertTensorMatches(t, torch.randn(7, { device: 'cuda' }), d.manual_seed_randn, 'manual_seed_randn', 0);
  assertTensorMatches(t, torch.rand(5, { device: 'cuda' }), d.then_rand, 'then_rand', 0);
  assertTensorMatches(t, torch.randint(0, 100, [6], { device: 'cuda' }), d.then_randint, 'then_randint', 0);
  assertTensorMatches(t, torch.empty(4, { device: 'cuda' }).normal_(2.0, 3.0), d.then_normal_, 'then_normal_', 0);
  assertTensorMatches(t, nn.functional.dropout(torch.ones(12, { device: 'cuda' }), 0.5), d.then_dropout, 'then_dropout', 0);
  torch.cuda.manual_seed(5);
  assertTensorMatches(t, torch.randn(6, { device: 'cuda' }), d.cuda_manual_seed_randn, 'cuda_manual_seed_randn', 0);
  torch.cuda.manual_seed_all(9);
  assertTensorMatches(t, torch.rand(6, { device: 'cuda' }), d.cuda_manual_seed_all_rand, 'cuda_manual_seed_all_rand', 0);
  const g = new torch.Generator('cuda');
  t.is(String(g.initial_seed()), gpuGolden.generator_initial_seed);
  g.manual_seed(3);
  assertTensorMatches(t, torch.randn(5, { device: 'cuda', generator: g }), d.generator_randn, 'generator_randn', 0);
  assertTensorMatches(t, torch.randn(3, { device: 'cuda' }), d.default_after_generator, 'default_after_generator', 0);
});

withGpu(`a small MLP trained on the GPU gives Python's losses on the same GPU${needsGpu}`, (t) => {
  t.truthy(gpuGolden, 'scripts/golden/cuda_api.py has run on this machine');
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 3)).cuda();
  const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
  const x = torch.randn(32, 8).cuda();
  const y = torch.randint(0, 3, [32]).cuda();
  const losses: number[] = [];
  for (let i = 0; i < 20; i++) {
    opt.zero_grad();
    const loss = nn.functional.cross_entropy(model(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  for (let i = 0; i < losses.length; i++) t.true(Math.abs(losses[i] - gpuGolden.mlp_losses[i]) <= 1e-6, `step ${i}: ${losses[i]} against ${gpuGolden.mlp_losses[i]}`);
});

withGpu(`torch.cuda answers about the device as Python does, and the memory figures follow tensors made and freed${needsGpu}`, (t) => {
  t.is(torch.cuda.device_count(), gpuGolden.device_count);
  t.is(torch.cuda.get_device_name(), gpuGolden.name);
  t.deepEqual(torch.cuda.get_device_capability(), gpuGolden.capability);
  const props = torch.cuda.get_device_properties(0);
  t.is(props.total_memory, gpuGolden.total_memory);
  t.is(props.multi_processor_count, gpuGolden.multi_processor_count);
  t.true(torch.cuda.is_initialized());
  t.is(torch.cuda.current_device(), 0);
  torch.cuda.synchronize();
  const before = torch.cuda.memory_allocated();
  const x = torch.empty(1 << 20, { device: 'cuda' }); // 4 MiB
  t.is(torch.cuda.memory_allocated() - before, 4 << 20);
  t.true(torch.cuda.max_memory_allocated() >= before + (4 << 20));
  t.true(torch.cuda.memory_reserved() >= torch.cuda.memory_allocated());
  x.dispose();
  t.is(torch.cuda.memory_allocated(), before);
  torch.cuda.reset_peak_memory_stats();
  t.is(torch.cuda.max_memory_allocated(), before);
  torch.cuda.empty_cache();
  const [free, total] = torch.cuda.mem_get_info();
  t.true(free > 0 && free <= total && total === props.total_memory);
  // A tensor round-trips, and one op given two devices is a clear error.
  const cpu = torch.arange(6, { dtype: torch.float32 }).reshape(2, 3);
  const onGpu = cpu.to('cuda', { non_blocking: true });
  t.true(onGpu.is_cuda);
  t.is(String(onGpu.device), 'cuda:0');
  t.true(torch.equal(onGpu.mul(2).cpu(), cpu.mul(2)));
  t.throws(() => onGpu.add(cpu), { message: /Expected all tensors to be on the same device|is not on the expected device/ });
  const pinned = cpu.pin_memory();
  t.true(pinned.is_pinned());
  t.false(cpu.is_pinned());
  t.throws(() => torch.ones(1, { device: `cuda:${torch.cuda.device_count()}` }), { message: /does not exist; there (is|are) \d+ CUDA device/ });
});
