// torch.optim.Muon against Python 2.14 (scripts/golden/muon.py): the same
// runs from the same seed give Python's losses, parameters, state and
// param_groups; its repr and its errors are Python's. Where the libtorch has
// no Muon in its Python (1.13, 2.6), constructing one is a clear error.
import test, { type ExecutionContext } from 'ava';

import torch, { optim, type Tensor } from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { assertTensorMatches, fixture, type EncodedTensor } from './_helpers';

const HAS_MUON = libtorchAtLeast(2, 14);
const golden = HAS_MUON
  ? fixture<{
      steps: number;
      runs: Record<string, { losses: number[]; final: EncodedTensor[]; state: Record<string, Record<string, EncodedTensor>>; param_groups: Record<string, unknown>[] }>;
      repr: string;
      errors: Record<string, string>;
    }>('muon.json')
  : null;
const muonTest = HAS_MUON ? test : test.skip;
const SKIPPED = HAS_MUON ? '' : ' [PyTorch 2.14 only: 1.13 and 2.6 have no torch.optim.Muon]';

// The bfloat16 GEMM kernel differs by CPU: exact where the fixture was recorded.
const TOLERANCE = 1e-6;
const SHAPES = [[4, 16], [8, 6]];

function problem(): { params: Tensor[]; targets: Tensor[]; weights: Tensor[] } {
  torch.manual_seed(0);
  const params = SHAPES.map((s) => torch.randn(s).requires_grad_());
  const targets = SHAPES.map((s) => torch.randn(s));
  const weights = SHAPES.map((s) => torch.rand(s).add(0.5));
  return { params, targets, weights };
}

/** sum(w (p - t)^2) over the parameters. */
function objective(params: Tensor[], targets: Tensor[], weights: Tensor[]): Tensor {
  return params.map((p, i) => p.sub(targets[i]).pow(2).mul(weights[i]).sum()).reduce((a, b) => a.add(b));
}

const RUNS: Record<string, (p: Tensor[]) => optim.Optimizer> = {
  default: (p) => new optim.Muon(p),
  lr_no_nesterov_match_rms: (p) => new optim.Muon(p, { lr: 0.02, weight_decay: 0.01, momentum: 0.9, nesterov: false, adjust_lr_fn: 'match_rms_adamw' }),
  spectral_coefficients: (p) => new optim.Muon(p, { lr: 0.05, ns_coefficients: [3.0, -3.2, 1.2], eps: 1e-5, ns_steps: 3, adjust_lr_fn: 'spectral_unclamped' }),
  original_groups: (p) => new optim.Muon([{ params: [p[0]], lr: 0.03 }, { params: [p[1]], momentum: 0.5 }], { lr: 0.01, adjust_lr_fn: 'original' }),
};

muonTest(`every golden Muon run has a TypeScript twin${SKIPPED}`, (t) => {
  t.deepEqual(Object.keys(RUNS), Object.keys(golden!.runs));
});

for (const name of Object.keys(RUNS)) {
  muonTest(`Muon ${name}: Python's losses, parameters, momentum buffers and param_groups${SKIPPED}`, (t) => {
    const want = golden!.runs[name];
    const { params, targets, weights } = problem();
    const opt = RUNS[name](params);
    const losses: number[] = [];
    for (let i = 0; i < golden!.steps; i++) {
      opt.zero_grad();
      const loss = objective(params, targets, weights);
      loss.backward();
      opt.step();
      losses.push(loss.item() as number);
    }
    losses.forEach((l, i) => t.true(Math.abs(l - want.losses[i]) <= TOLERANCE * Math.max(1, Math.abs(want.losses[i])), `${name}: step ${i}: loss ${l}, PyTorch ${want.losses[i]}`));
    params.forEach((p, i) => assertTensorMatches(t, p, want.final[i], `${name}: parameter ${i}`, TOLERANCE));
    const sd = opt.state_dict();
    t.deepEqual(Object.keys(sd.state).map(String), Object.keys(want.state));
    for (const [index, state] of Object.entries(want.state)) {
      const mine = (sd.state as Record<string, Record<string, Tensor>>)[index];
      t.deepEqual(Object.keys(mine), Object.keys(state));
      assertTensorMatches(t, mine.momentum_buffer, state.momentum_buffer, `${name}: state ${index} momentum_buffer`, TOLERANCE);
    }
    t.deepEqual(sd.param_groups, want.param_groups as never);
  });
}

muonTest(`Muon prints as Python's, and its bad hyperparameters, parameters and steps are Python's errors${SKIPPED}`, (t: ExecutionContext) => {
  t.is(String(new optim.Muon([torch.zeros([2, 2], { requires_grad: true })])), golden!.repr);
  const square = () => torch.zeros([2, 2], { requires_grad: true });
  const stepWith = (make: (p: Tensor) => optim.Optimizer, p: Tensor, grad: Tensor) => () => {
    const opt = make(p);
    p.grad = grad;
    opt.step();
  };
  const cases: Record<string, () => unknown> = {
    lr: () => new optim.Muon([square()], { lr: -1 }),
    momentum: () => new optim.Muon([square()], { momentum: -0.5 }),
    weight_decay: () => new optim.Muon([square()], { weight_decay: -0.1 }),
    adjust_lr_fn: () => new optim.Muon([square()], { adjust_lr_fn: 'rms' as never }),
    one_dimensional: () => new optim.Muon([square(), torch.zeros([3], { requires_grad: true })]),
    complex: stepWith((p) => new optim.Muon([p]), torch.zeros([2, 2], { dtype: torch.complex64, requires_grad: true }), torch.ones([2, 2], { dtype: torch.complex64 })),
    ns_steps: stepWith((p) => new optim.Muon([p], { ns_steps: 100 }), square(), torch.ones([2, 2])),
  };
  const errorClass: Record<string, new (...a: never[]) => Error> = { ValueError: RangeError, RuntimeError: Error, TypeError: TypeError };
  t.deepEqual(Object.keys(cases), Object.keys(golden!.errors));
  for (const [name, run] of Object.entries(cases)) {
    const [kind, ...rest] = golden!.errors[name].split(': ');
    const e = t.throws(run, { instanceOf: errorClass[kind] }, name);
    t.is(e?.message, rest.join(': '), name);
  }
});

(HAS_MUON ? test.skip : test)('without PyTorch 2.14, optim.Muon is a clear error naming the libtorch [2.14 has Muon]', (t) => {
  t.throws(() => new optim.Muon([torch.zeros([2, 2], { requires_grad: true })]), { instanceOf: TypeError, message: /^optim.Muon needs libtorch 2.14 or newer .* the loaded libtorch is \d/ });
});
