// torch.optim's Adadelta, Adagrad, Adamax, ASGD, NAdam, RAdam, RMSprop,
// Rprop, SparseAdam and LBFGS against Python (scripts/golden/optimizers.py):
// 150 steps on an elementwise objective give Python's parameters bit for bit
// and its losses within 1e-6; the state_dict has Python's structure and
// values; a state_dict Python saved with torch.save resumes here to Python's
// numbers; bad hyperparameters give Python's errors. What PyTorch 2 alone
// has (TORCH2_ONLY) Python records only under 2.x, and its tests are
// skipped on 1.13, the reason in their titles.
import test, { type ExecutionContext } from 'ava';

import torch, { optim, type Tensor } from '../lib';
import { _make_sparse } from '../lib/optim/adagrad';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
import { assertTensorMatches, fixture, fixturePath, type EncodedTensor } from './_helpers';

/** Whether the loaded libtorch is PyTorch 2's, whose optimizers take other arguments. */
const TORCH2 = libtorchAtLeast(2);
const TORCH214 = libtorchAtLeast(2, 14);

/** CPython 3.13's suffix to a def's unknown-keyword TypeError (beside 2.6; 3.11, beside 1.13, adds nothing). */
const didYouMean = (name: string) => (PYTHON_DEFS_SUGGEST_KEYWORDS ? `. Did you mean '${name}'?` : '');

type StateValue = EncodedTensor | number | null | StateValue[];

interface EncodedStateDict {
  state: Record<string, { keys: string[]; values?: Record<string, StateValue> }>;
  param_groups: Record<string, unknown>[];
}

interface Run {
  losses: number[];
  final: EncodedTensor[];
  state_dict: EncodedStateDict;
}

interface Golden {
  steps: number;
  runs: Record<string, Run>;
  complex_steps: number;
  complex_runs: Record<string, { losses: number[]; final: EncodedTensor[] }>;
  sparse_rows: number[][];
  sparse_runs: Record<string, Run>;
  lbfgs_runs: Record<string, Run & { steps: number; func_evals: number; n_iter: number }>;
  resume_at: number;
  resume_more: number;
  resumed: Record<string, EncodedTensor[]>;
  errors: { optimizer: string; kwargs?: Record<string, unknown>; groups?: boolean; message: string }[];
  step_errors: Record<string, string>;
  /** 2.x only: sparse_adam_empty_steps looks up no row on every such step (from the second). */
  sparse_empty_every?: number;
}

const golden = fixture<Golden>('optimizers.json');

const SHAPES = [[4, 16], [64], [2, 32]];

/** Seeded parameters, targets and weights, drawn in Python's order. */
function problem(): { params: Tensor[]; targets: Tensor[]; weights: Tensor[] } {
  torch.manual_seed(0);
  const params = SHAPES.map((s) => torch.randn(s).requires_grad_());
  const targets = SHAPES.map((s) => torch.randn(s));
  const weights = SHAPES.map((s) => torch.rand(s).add(0.5));
  return { params, targets, weights };
}

/** sum(w (p - t)^2 + 0.1 (p^2 - 1)^2), negated for the maximize runs: each gradient element depends on its own element only. */
function objective(params: Tensor[], targets: Tensor[], weights: Tensor[], sign: number): Tensor {
  let loss: Tensor | null = null;
  params.forEach((p, i) => {
    const d = p.sub(targets[i]);
    const x = p.mul(p).sub(1);
    const term = d.mul(d).mul(weights[i]).add(x.mul(x).mul(0.1)).sum();
    loss = loss === null ? term : loss.add(term);
  });
  return sign === 1 ? loss! : loss!.neg();
}

type Factory = (p: Tensor[]) => optim.Optimizer;

const RUNS: Record<string, [Factory, number]> = {
  adadelta: [(p) => new optim.Adadelta(p), 1],
  adadelta_wd_maximize: [(p) => new optim.Adadelta(p, { lr: 0.5, rho: 0.8, eps: 1e-5, weight_decay: 0.01, maximize: true }), -1],
  adagrad: [(p) => new optim.Adagrad(p, { lr: 0.1 }), 1],
  adagrad_lr_decay: [(p) => new optim.Adagrad(p, { lr: 0.2, lr_decay: 0.01, weight_decay: 1e-3, initial_accumulator_value: 0.1, eps: 1e-8 }), 1],
  adagrad_maximize: [(p) => new optim.Adagrad(p, { lr: 0.1, maximize: true }), -1],
  adamax: [(p) => new optim.Adamax(p, { lr: 0.01 }), 1],
  adamax_wd_maximize: [(p) => new optim.Adamax(p, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6, weight_decay: 0.01, maximize: true }), -1],
  asgd: [(p) => new optim.ASGD(p, { lr: 0.01 }), 1],
  asgd_t0_wd: [(p) => new optim.ASGD(p, { lr: 0.02, lambd: 1e-3, alpha: 0.6, t0: 50, weight_decay: 1e-3 }), 1],
  asgd_maximize: [(p) => new optim.ASGD(p, { lr: 0.01, t0: 100, maximize: true }), -1],
  nadam: [(p) => new optim.NAdam(p, { lr: 0.01 }), 1],
  nadam_wd_momentum_decay: [(p) => new optim.NAdam(p, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6, weight_decay: 0.01, momentum_decay: 0.01 }), 1],
  radam: [(p) => new optim.RAdam(p, { lr: 0.01 }), 1],
  radam_wd: [(p) => new optim.RAdam(p, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6, weight_decay: 0.01 }), 1],
  rmsprop: [(p) => new optim.RMSprop(p, { lr: 0.01 }), 1],
  rmsprop_centered_momentum: [(p) => new optim.RMSprop(p, { lr: 0.005, alpha: 0.9, eps: 1e-6, weight_decay: 1e-3, momentum: 0.9, centered: true }), 1],
  rmsprop_momentum_maximize: [(p) => new optim.RMSprop(p, { lr: 0.005, momentum: 0.5, maximize: true }), -1],
  rmsprop_groups: [(p) => new optim.RMSprop([{ params: [p[0]], lr: 0.02, centered: true }, { params: p.slice(1) }], { lr: 0.01, alpha: 0.95 }), 1],
  rprop: [(p) => new optim.Rprop(p), 1],
  rprop_etas_step_sizes_maximize: [(p) => new optim.Rprop(p, { lr: 0.05, etas: [0.3, 1.5], step_sizes: [1e-4, 0.5], maximize: true }), -1],
  nadam_maximize: [(p) => new optim.NAdam(p, { lr: 0.01, maximize: true }), -1],
  nadam_decoupled_wd: [(p) => new optim.NAdam(p, { lr: 0.02, betas: [0.8, 0.99], weight_decay: 0.05, decoupled_weight_decay: true }), 1],
  radam_maximize: [(p) => new optim.RAdam(p, { lr: 0.01, maximize: true }), -1],
  radam_decoupled_wd: [(p) => new optim.RAdam(p, { lr: 0.02, betas: [0.8, 0.99], weight_decay: 0.05, decoupled_weight_decay: true }), 1],
  adam_decoupled_wd: [(p) => new optim.Adam(p, { lr: 0.02, betas: [0.8, 0.99], weight_decay: 0.05, decoupled_weight_decay: true }), 1],
};

const SPARSE_RUNS: Record<string, [Factory, number]> = {
  sparse_adam: [(p) => new optim.SparseAdam(p, { lr: 0.05 }), 1],
  sparse_adam_betas_maximize: [(p) => new optim.SparseAdam(p, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6, maximize: true }), -1],
  adagrad_sparse: [(p) => new optim.Adagrad(p, { lr: 0.2, lr_decay: 0.01, initial_accumulator_value: 0.1 }), 1],
  sparse_adam_empty_steps: [(p) => new optim.SparseAdam(p, { lr: 0.05 }), 1],
};

const LBFGS_RUNS: Record<string, Factory> = {
  lbfgs: (p) => new optim.LBFGS(p, { lr: 0.5, max_iter: 4, history_size: 5 }),
  lbfgs_strong_wolfe: (p) => new optim.LBFGS(p, { lr: 1, max_iter: 5, history_size: 4, line_search_fn: 'strong_wolfe' }),
  lbfgs_max_iter: (p) => new optim.LBFGS(p, { max_iter: 6 }),
  lbfgs_complex: (p) => new optim.LBFGS(p, { lr: 0.5, max_iter: 4, history_size: 5 }),
  lbfgs_complex_strong_wolfe: (p) => new optim.LBFGS(p, { lr: 1, max_iter: 5, history_size: 4, line_search_fn: 'strong_wolfe' }),
  lbfgs_maximize: (p) => new optim.LBFGS(p, { lr: 0.5, max_iter: 4, history_size: 5, maximize: true }),
};

/** The LBFGS runs that climb the negated objective (maximize). */
const LBFGS_MAXIMIZE = new Set(['lbfgs_maximize']);

/** The LBFGS runs on complexProblem()'s parameters. */
const LBFGS_COMPLEX = new Set(['lbfgs_complex', 'lbfgs_complex_strong_wolfe']);

const COMPLEX_SHAPES = [[4, 16], [32]];

function complexProblem(): { params: Tensor[]; targets: Tensor[]; weights: Tensor[] } {
  torch.manual_seed(0);
  const params = COMPLEX_SHAPES.map((s) => torch.randn(s, { dtype: torch.complex64 }).requires_grad_());
  const targets = COMPLEX_SHAPES.map((s) => torch.randn(s, { dtype: torch.complex64 }));
  const weights = COMPLEX_SHAPES.map((s) => torch.rand([...s, 2]).add(0.5));
  return { params, targets, weights };
}

/** objective() over the real and imaginary parts of complex parameters. */
function complexObjective(params: Tensor[], targets: Tensor[], weights: Tensor[]): Tensor {
  let loss: Tensor | null = null;
  params.forEach((p, i) => {
    const d = torch.view_as_real(p.sub(targets[i]));
    const r = torch.view_as_real(p);
    const x = r.mul(r).sub(1);
    const term = d.mul(d).mul(weights[i]).add(x.mul(x).mul(0.1)).sum();
    loss = loss === null ? term : loss.add(term);
  });
  return loss!;
}

const COMPLEX_RUNS: Record<string, Factory> = {
  adadelta: (p) => new optim.Adadelta(p, { lr: 0.5, weight_decay: 0.01 }),
  adagrad: (p) => new optim.Adagrad(p, { lr: 0.1, initial_accumulator_value: 0.1 }),
  adamax: (p) => new optim.Adamax(p, { lr: 0.02 }),
  asgd: (p) => new optim.ASGD(p, { lr: 0.02, t0: 10, weight_decay: 0.01 }),
  rmsprop: (p) => new optim.RMSprop(p, { lr: 0.005, momentum: 0.9, centered: true }),
  rprop: (p) => new optim.Rprop(p, { lr: 0.05 }),
  nadam: (p) => new optim.NAdam(p, { lr: 0.02, weight_decay: 0.01 }),
  radam: (p) => new optim.RAdam(p, { lr: 0.02, weight_decay: 0.01, decoupled_weight_decay: true }),
  adamax_wd: (p) => new optim.Adamax(p, { lr: 0.02, weight_decay: 0.05 }),
};

type Table = 'runs' | 'complex_runs' | 'sparse_runs' | 'lbfgs_runs';

/**
 * The runs scripts/golden/optimizers.py records only under PyTorch 2 (its
 * `if TORCH2:` blocks), each with why: on 1.13 their tests are skipped, the
 * reason in the title, and 1.13's fixture stays without them.
 */
const TORCH2_ONLY: Record<Table, Record<string, string>> = {
  runs: {
    nadam_maximize: "1.13's NAdam has no maximize",
    nadam_decoupled_wd: "1.13's NAdam has no decoupled_weight_decay",
    radam_maximize: "1.13's RAdam has no maximize",
    radam_decoupled_wd: "1.13's RAdam has no decoupled_weight_decay",
  },
  complex_runs: {
    nadam: "1.13's NAdam does complex arithmetic on a complex parameter",
    radam: "1.13's RAdam does complex arithmetic on a complex parameter and has no decoupled_weight_decay",
    adamax_wd: "Adamax's weight decay on a complex parameter is recorded by Python 2.x only",
  },
  sparse_runs: {
    sparse_adam_empty_steps: "1.13's SparseAdam does not skip an empty sparse gradient",
  },
  lbfgs_runs: {
    lbfgs_complex: "1.13's LBFGS does not view a complex parameter as two real ones",
    lbfgs_complex_strong_wolfe: "1.13's LBFGS does not view a complex parameter as two real ones",
  },
};

/** The runs recorded by PyTorch 2.14 alone (its `if TORCH214:` blocks), each with why; the versions between follow 2.6. */
const TORCH214_ONLY: Record<Table, Record<string, string>> = {
  runs: { adam_decoupled_wd: "Adam takes decoupled_weight_decay in 2.14, not in 2.6" },
  complex_runs: {},
  sparse_runs: {},
  lbfgs_runs: { lbfgs_maximize: 'LBFGS takes maximize in 2.14, not in 2.6' },
};

/** The names of a table's runs the loaded libtorch's fixture holds. */
const recorded = (table: Table, names: string[]): string[] =>
  names.filter((n) => (TORCH2 || !(n in TORCH2_ONLY[table])) && (TORCH214 || !(n in TORCH214_ONLY[table])));

/** test(), or for a run of a newer PyTorch alone, a test titled with why, skipped on older ones. */
function runTest(table: Table, name: string, title: string, fn: (t: ExecutionContext) => void): void {
  const reason = TORCH2_ONLY[table][name];
  const reason214 = TORCH214_ONLY[table][name];
  if (reason214 !== undefined) (TORCH214 ? test : test.skip)(`${title} [PyTorch 2.14 only: ${reason214}]`, fn);
  else if (reason === undefined) test(title, fn);
  else (TORCH2 ? test : test.skip)(`${title} [PyTorch 2 only: ${reason}]`, fn);
}

function sparseProblem(): { weight: Tensor; target: Tensor; scale: Tensor } {
  torch.manual_seed(0);
  const weight = torch.randn(16, 8).requires_grad_();
  const target = torch.randn(16, 8);
  const scale = torch.rand(16, 8).add(0.5);
  return { weight, target, scale };
}

/** The sparse twin of objective(): on the rows an embedding lookup (sparse=True) reads. */
function sparseObjective(weight: Tensor, target: Tensor, scale: Tensor, rows: number[], sign: number): Tensor {
  const index = torch.tensor(rows, { dtype: torch.int64 });
  const e = torch.embedding(weight, index, -1, false, true);
  const d = e.sub(target.index_select(0, index));
  const x = e.mul(e).sub(1);
  const loss = d.mul(d).mul(scale.index_select(0, index)).add(x.mul(x).mul(0.1)).sum();
  return sign === 1 ? loss : loss.neg();
}

function assertLosses(t: ExecutionContext, got: number[], want: number[], label: string): void {
  t.is(got.length, want.length, `${label}: number of losses`);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i] - want[i]) > 1e-6 * Math.max(1, Math.abs(want[i]))) {
      t.fail(`${label}: step ${i}: loss ${got[i]}, PyTorch ${want[i]}`);
      return;
    }
  }
}

/** Our state_dict against Python's: the state's keys in Python's order, its values bit for bit, the param_groups and their keys' order. */
function assertStateDict(t: ExecutionContext, opt: optim.Optimizer, want: EncodedStateDict, label: string): void {
  const sd = opt.state_dict();
  t.deepEqual(Object.keys(sd.state), Object.keys(want.state), `${label}: state indices`);
  for (const [index, s] of Object.entries(want.state)) {
    const ours = sd.state[Number(index)];
    t.deepEqual(Object.keys(ours), s.keys, `${label}: state[${index}] keys`);
    for (const [key, value] of Object.entries(s.values ?? {})) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        assertTensorMatches(t, ours[key], value, `${label}: state[${index}].${key}`, 0);
      } else {
        t.deepEqual(ours[key], value, `${label}: state[${index}].${key}`);
      }
    }
  }
  t.deepEqual(sd.param_groups, want.param_groups as any, `${label}: param_groups`);
  sd.param_groups.forEach((g, i) => t.deepEqual(Object.keys(g), Object.keys(want.param_groups[i]), `${label}: param_groups[${i}] key order`));
}

test("every golden run has a TypeScript twin, and the loaded libtorch's fixture every run of that version", (t) => {
  t.deepEqual(recorded('runs', Object.keys(RUNS)), Object.keys(golden.runs));
  t.deepEqual(recorded('complex_runs', Object.keys(COMPLEX_RUNS)), Object.keys(golden.complex_runs));
  t.deepEqual(recorded('sparse_runs', Object.keys(SPARSE_RUNS)), Object.keys(golden.sparse_runs));
  t.deepEqual(recorded('lbfgs_runs', Object.keys(LBFGS_RUNS)), Object.keys(golden.lbfgs_runs));
  for (const [table, names] of [...Object.entries(TORCH2_ONLY), ...Object.entries(TORCH214_ONLY)]) {
    const twins = { runs: RUNS, complex_runs: COMPLEX_RUNS, sparse_runs: SPARSE_RUNS, lbfgs_runs: LBFGS_RUNS }[table as Table];
    for (const name of Object.keys(names)) t.true(name in twins, `${table}.${name} has a twin`);
  }
});

for (const name of Object.keys(RUNS)) {
  runTest('runs', name, `${name}: ${golden.steps} steps give Python's parameters bit for bit, its losses and its state_dict`, (t) => {
    const want = golden.runs[name];
    const [make, sign] = RUNS[name];
    const { params, targets, weights } = problem();
    const opt = make(params);
    const losses: number[] = [];
    for (let i = 0; i < golden.steps; i++) {
      opt.zero_grad();
      const loss = objective(params, targets, weights, sign);
      loss.backward();
      opt.step();
      losses.push(loss.item() as number);
    }
    assertLosses(t, losses, want.losses, name);
    params.forEach((p, i) => assertTensorMatches(t, p, want.final[i], `${name}: parameter ${i}`, 0));
    assertStateDict(t, opt, want.state_dict, name);
  });
}

for (const name of Object.keys(COMPLEX_RUNS)) {
  runTest('complex_runs', name, `${name}: a complex parameter moves as two real ones, Python's bits after ${golden.complex_steps} steps`, (t) => {
    const want = golden.complex_runs[name];
    const { params, targets, weights } = complexProblem();
    const opt = COMPLEX_RUNS[name](params);
    const losses: number[] = [];
    for (let i = 0; i < golden.complex_steps; i++) {
      opt.zero_grad();
      const loss = complexObjective(params, targets, weights);
      loss.backward();
      opt.step();
      losses.push(loss.item() as number);
    }
    assertLosses(t, losses, want.losses, name);
    params.forEach((p, i) => assertTensorMatches(t, torch.view_as_real(p), want.final[i], `${name}: complex parameter ${i}`, 0));
  });
}

/** The rows step i of a sparse run looks up: none on every sparse_empty_every-th step (from the second) of sparse_adam_empty_steps. */
function rowsOf(name: string, i: number): number[] {
  return name === 'sparse_adam_empty_steps' && i % golden.sparse_empty_every! === 1 ? [] : golden.sparse_rows[i];
}

for (const name of Object.keys(SPARSE_RUNS)) {
  // sparse_adam_empty_steps: the empty gradients move nothing, and the step count (its state_dict's step) still advances.
  runTest('sparse_runs', name, `${name}: ${golden.steps} steps on sparse gradients give Python's embedding bit for bit`, (t) => {
    const want = golden.sparse_runs[name];
    const [make, sign] = SPARSE_RUNS[name];
    const { weight, target, scale } = sparseProblem();
    const opt = make([weight]);
    const losses: number[] = [];
    for (let i = 0; i < golden.steps; i++) {
      opt.zero_grad();
      const loss = sparseObjective(weight, target, scale, rowsOf(name, i), sign);
      loss.backward();
      opt.step();
      losses.push(loss.item() as number);
    }
    assertLosses(t, losses, want.losses, name);
    assertTensorMatches(t, weight, want.final[0], `${name}: weight`, 0);
    assertStateDict(t, opt, want.state_dict, name);
  });
}

for (const name of Object.keys(LBFGS_RUNS)) {
  runTest('lbfgs_runs', name, `${name}: step(closure) gives Python's losses, parameters and evaluation counts`, (t) => {
    const want = golden.lbfgs_runs[name];
    const isComplex = LBFGS_COMPLEX.has(name);
    const { params, targets, weights } = isComplex ? complexProblem() : problem();
    const opt = LBFGS_RUNS[name](params);
    const closure = (): Tensor => {
      opt.zero_grad();
      const loss = isComplex ? complexObjective(params, targets, weights) : objective(params, targets, weights, LBFGS_MAXIMIZE.has(name) ? -1 : 1);
      loss.backward();
      return loss;
    };
    const losses: number[] = [];
    for (let i = 0; i < want.steps; i++) losses.push(opt.step(closure)!.item() as number);
    assertLosses(t, losses, want.losses, name);
    // Dot products run on BLAS, whose kernels differ by CPU in the last bits.
    params.forEach((p, i) => assertTensorMatches(t, isComplex ? torch.view_as_real(p) : p, want.final[i], `${name}: parameter ${i}`, 1e-6));
    const state = opt.state_dict().state[0];
    t.is(state.func_evals, want.func_evals);
    t.is(state.n_iter, want.n_iter);
    assertStateDict(t, opt, want.state_dict, name);
  });
}

const RESUME_FACTORIES: Record<string, [Factory, number]> = {
  ...RUNS,
  sparse_adam: SPARSE_RUNS.sparse_adam,
  lbfgs: [LBFGS_RUNS.lbfgs, 1],
};

for (const [name, want] of Object.entries(golden.resumed)) {
  test(`${name}: a state_dict Python saved with torch.save resumes with Python's next steps`, (t) => {
    // The loaded version's file: the parameters it saved are that version's trajectory.
    const saved = torch.load<{ params: Tensor[]; optimizer: optim.OptimizerStateDict }>(fixturePath(`optimizers/${name}.pt`));
    const params = saved.params.map((p) => p.clone().requires_grad_());
    const [make, sign] = RESUME_FACTORIES[name];
    const opt = make(params);
    opt.load_state_dict(saved.optimizer);
    if (name === 'sparse_adam') {
      const { target, scale } = sparseProblem();
      for (let i = golden.resume_at; i < golden.resume_at + golden.resume_more; i++) {
        opt.zero_grad();
        sparseObjective(params[0], target, scale, golden.sparse_rows[i], sign).backward();
        opt.step();
      }
    } else if (name === 'lbfgs') {
      const { targets, weights } = problem();
      opt.step(() => {
        opt.zero_grad();
        const loss = objective(params, targets, weights, 1);
        loss.backward();
        return loss;
      });
    } else {
      const { targets, weights } = problem();
      for (let i = 0; i < golden.resume_more; i++) {
        opt.zero_grad();
        objective(params, targets, weights, sign).backward();
        opt.step();
      }
    }
    const tol = name === 'lbfgs' ? 1e-6 : 0;
    params.forEach((p, i) => assertTensorMatches(t, p, want[i], `${name}: parameter ${i}`, tol));
  });
}

test("bad hyperparameters give Python's ValueError messages, as RangeErrors", (t) => {
  for (const e of golden.errors) {
    const p = [torch.zeros(2, { requires_grad: true })];
    const make = e.groups
      ? () => new (optim as any)[e.optimizer]([{ params: p }, { params: [torch.zeros(1, { requires_grad: true })] }])
      : () => new (optim as any)[e.optimizer](p, e.kwargs);
    t.throws(make, { instanceOf: RangeError, message: e.message }, `${e.optimizer}(${JSON.stringify(e.kwargs ?? 'groups')})`);
  }
});

test("a gradient of the wrong layout gives Python's message", (t) => {
  const p = torch.zeros(2, { requires_grad: true });
  const sparseAdam = new optim.SparseAdam([p]);
  p.mul(p).sum().backward();
  t.throws(() => sparseAdam.step(), { instanceOf: TypeError, message: golden.step_errors.sparse_adam_dense });

  const w = torch.zeros(3, 2, { requires_grad: true });
  const rmsprop = new optim.RMSprop([w]);
  torch.embedding(w, torch.tensor([0]), -1, false, true).sum().backward();
  t.throws(() => rmsprop.step(), { instanceOf: TypeError, message: golden.step_errors.rmsprop_sparse });
  // Nothing moved: the check comes before any update.
  t.deepEqual(w.tolist(), [[0, 0], [0, 0], [0, 0]]);

  const adagrad = new optim.Adagrad([w], { weight_decay: 0.1 });
  t.throws(() => adagrad.step(), { instanceOf: TypeError, message: 'weight_decay option is not compatible with sparse gradients' });
});

test('constructors bind positionals in Python\'s order and refuse unknown keywords and surplus positionals', (t) => {
  const p = () => [torch.zeros(2, { requires_grad: true })];
  const groupOf = (o: optim.Optimizer) => {
    const { params, ...rest } = o.param_groups[0];
    return rest;
  };
  // 2.x puts capturable before foreach in RMSprop's positionals, and adds keys to every group (Python 2.6's groups, printed).
  t.deepEqual(
    groupOf(new optim.RMSprop(p(), 0.1, 0.9, 1e-6, 0.01, 0.5, true, false, true)),
    TORCH2
      ? { lr: 0.1, momentum: 0.5, alpha: 0.9, eps: 1e-6, centered: true, weight_decay: 0.01, capturable: false, foreach: true, maximize: false, differentiable: false }
      : { lr: 0.1, momentum: 0.5, alpha: 0.9, eps: 1e-6, centered: true, weight_decay: 0.01, foreach: false, maximize: true, differentiable: false },
  );
  t.deepEqual(groupOf(new optim.ASGD(p(), 0.1, 1e-3, 0.5, 10, 0.1, null, true)), {
    lr: 0.1, lambd: 1e-3, alpha: 0.5, t0: 10, weight_decay: 0.1, foreach: null, maximize: true, ...(TORCH2 ? { differentiable: false, capturable: false } : {}),
  });
  t.deepEqual(groupOf(new optim.Adagrad(p(), 0.1, 0.01, 0.001, 0.5, 1e-9)), {
    lr: 0.1, lr_decay: 0.01, eps: 1e-9, weight_decay: 0.001, initial_accumulator_value: 0.5, foreach: null, maximize: false, ...(TORCH2 ? { differentiable: false, fused: null } : {}),
  });
  t.deepEqual(groupOf(new optim.LBFGS(p(), 0.5, 10)), {
    lr: 0.5, max_iter: 10, max_eval: 12, tolerance_grad: 1e-7, tolerance_change: 1e-9, history_size: 100, line_search_fn: null, ...(libtorchAtLeast(2, 14) ? { maximize: false } : {}),
  });
  t.deepEqual(groupOf(new optim.Rprop(p(), 0.1, [0.4, 1.1], [1e-5, 10])), {
    lr: 0.1, etas: [0.4, 1.1], step_sizes: [1e-5, 10], foreach: null, maximize: false, ...(TORCH2 ? { differentiable: false, capturable: false } : {}),
  });
  // maximize is keyword-only in Adadelta, Adagrad and Adamax, as in Python.
  t.throws(() => new (optim.Adadelta as any)(p(), 1.0, 0.9, 1e-6, 0, null, true), { instanceOf: TypeError, message: 'Adadelta() takes from 1 to 6 positional arguments but 7 were given' });
  // NAdam(params, lrr=0.1) -> TypeError: NAdam.__init__() got an unexpected keyword argument 'lrr'. Did you mean 'lr'?
  // (Python 3.13's suggestion, beside 2.6; 3.11's message beside 1.13 ends at the keyword)
  t.throws(() => new (optim.NAdam as any)(p(), { lrr: 0.1 }), { instanceOf: TypeError, message: `NAdam() got an unexpected keyword argument 'lrr'${didYouMean('lr')}` });
  if (TORCH2) {
    // 2.x's NAdam and RAdam take decoupled_weight_decay where 1.13 takes foreach, which (with maximize) is keyword-only.
    t.deepEqual(groupOf(new (optim.RAdam as any)(p(), 0.1, [0.9, 0.99], 1e-8, 0, true)), {
      lr: 0.1, betas: [0.9, 0.99], eps: 1e-8, weight_decay: 0, maximize: false, foreach: null, capturable: false, decoupled_weight_decay: true, differentiable: false,
    });
    t.deepEqual(groupOf(new (optim.NAdam as any)(p(), 0.1, [0.9, 0.99], 1e-8, 0, 4e-3, true)), {
      lr: 0.1, betas: [0.9, 0.99], eps: 1e-8, weight_decay: 0, momentum_decay: 4e-3, decoupled_weight_decay: true, maximize: false, foreach: null, capturable: false, differentiable: false,
    });
    t.throws(() => new (optim.RAdam as any)(p(), 0.1, [0.9, 0.99], 1e-8, 0, true, null), { instanceOf: TypeError, message: /takes from 1 to 6 positional arguments but 7 were given/ });
    t.throws(() => new (optim.Rprop as any)(p(), 0.1, [0.4, 1.1], [1e-5, 10], null), { instanceOf: TypeError, message: /takes from 1 to 4 positional arguments but 5 were given/ });
  } else {
    // NAdam and RAdam have no maximize in 1.13.
    t.throws(() => new (optim.RAdam as any)(p(), { maximize: true }), { instanceOf: TypeError, message: /unexpected keyword argument 'maximize'/ });
  }
  t.throws(() => new (optim.Adamax as any)(p(), { betas: [0.9] }), { instanceOf: TypeError, message: /Adamax: betas must be a pair/ });
  t.throws(() => new (optim.RMSprop as any)(p(), { differentiable: true }), { instanceOf: RangeError, message: /RMSprop: differentiable=True is not supported/ });
  // A param group's keys are bound too: a misspelt hyperparameter is an error, not a silent default. (Python
  // keeps the key; the error, worded as for a def's keyword, suggests as the constructor's would.)
  t.throws(() => new optim.Adagrad([{ params: p(), lr_decy: 0.1 } as any]), { instanceOf: TypeError, message: `add_param_group() got an unexpected keyword argument 'lr_decy'${didYouMean('lr_decay')}` });
});

test('LBFGS needs its closure and refuses an unknown line search when it would use it, as Python does', (t) => {
  const { params, targets, weights } = problem();
  const closure = (): Tensor => {
    opt.zero_grad();
    const loss = objective(params, targets, weights, 1);
    loss.backward();
    return loss;
  };
  const opt = new optim.LBFGS(params, { line_search_fn: 'armijo' as any });
  t.throws(() => (opt.step as any)(), { instanceOf: TypeError, message: /missing 1 required positional argument: 'closure'/ });
  t.throws(() => opt.step(closure), { message: /only 'strong_wolfe' is supported/ });
});

test('Adagrad makes every state up front, as Python does, and a state_dict round trip keeps the numbers', (t) => {
  const { params, targets, weights } = problem();
  const opt = new optim.Adagrad(params, { lr: 0.1, initial_accumulator_value: 0.25 });
  const sd0 = opt.state_dict();
  t.deepEqual(Object.keys(sd0.state), ['0', '1', '2']);
  t.is(sd0.state[0].step.item(), 0);
  t.deepEqual([...new Set(sd0.state[2].sum.reshape(-1).tolist() as number[])], [0.25]);

  const twin = problem().params;
  const other = new optim.Adagrad(twin, { lr: 0.1, initial_accumulator_value: 0.25 });
  for (let i = 0; i < 3; i++) {
    opt.zero_grad();
    objective(params, targets, weights, 1).backward();
    opt.step();
  }
  other.load_state_dict(opt.state_dict());
  twin.forEach((p, i) => torch.no_grad(() => p.copy_(params[i])));
  for (let i = 0; i < 3; i++) {
    for (const [o, ps] of [[opt, params], [other, twin]] as const) {
      o.zero_grad();
      objective(ps, targets, weights, 1).backward();
      o.step();
    }
  }
  params.forEach((p, i) => t.true(torch.equal(p, twin[i]), `parameter ${i}`));
});

test('state made inside torch.scope() outlives it: steps taken in scopes give the numbers of steps taken outside', (t) => {
  const makers: Factory[] = [
    (p) => new optim.RMSprop(p, { lr: 0.005, momentum: 0.9, centered: true }),
    (p) => new optim.ASGD(p, { lr: 0.02, t0: 2 }),
    (p) => new optim.NAdam(p, { lr: 0.02 }),
    (p) => new optim.Rprop(p),
    (p) => new optim.LBFGS(p, { lr: 0.5, max_iter: 3, history_size: 2 }),
  ];
  for (const make of makers) {
    const runs = [false, true].map((scoped) => {
      const { params, targets, weights } = problem();
      const opt = make(params);
      const closure = (): Tensor => {
        opt.zero_grad();
        const loss = objective(params, targets, weights, 1);
        loss.backward();
        return loss;
      };
      for (let i = 0; i < 4; i++) {
        if (scoped) torch.scope(() => void opt.step(closure));
        else opt.step(closure);
      }
      return params;
    });
    runs[0].forEach((p, i) => t.true(torch.equal(p, runs[1][i]), `${make.toString()}: parameter ${i}`));
  }
});

test("a state_dict from an older PyTorch (steps as numbers, newer keys missing) loads as Python's __setstate__ loads it", (t) => {
  const cases: [Factory, string[], string[]][] = [
    [(p) => new optim.ASGD(p, { lr: 0.02, t0: 1 }), ['step', 'eta', 'mu'], ['foreach', 'maximize']],
    [(p) => new optim.NAdam(p, { lr: 0.02 }), ['step', 'mu_product'], ['foreach']],
    [(p) => new optim.Adamax(p, { lr: 0.02 }), ['step'], ['foreach', 'maximize']],
    [(p) => new optim.RMSprop(p, { lr: 0.01 }), [], ['momentum', 'centered', 'foreach', 'maximize', 'differentiable']],
  ];
  for (const [make, numberKeys, newerKeys] of cases) {
    const { params, targets, weights } = problem();
    const original = make(params);
    const twin = problem().params;
    const loaded = make(twin);
    const stepBoth = (opts: [optim.Optimizer, Tensor[]][]) => {
      for (const [o, ps] of opts) {
        o.zero_grad();
        objective(ps, targets, weights, 1).backward();
        o.step();
      }
    };
    for (let i = 0; i < 3; i++) stepBoth([[original, params]]);
    const sd = original.state_dict();
    for (const s of Object.values(sd.state)) for (const key of numberKeys) s[key] = (s[key] as Tensor).item();
    for (const g of sd.param_groups) for (const key of newerKeys) delete g[key];
    loaded.load_state_dict(sd);
    t.deepEqual(Object.keys(loaded.param_groups[0]).sort(), Object.keys(original.param_groups[0]).sort());
    for (const key of numberKeys) t.true(loaded.state_dict().state[0][key] instanceof torch.Tensor, `${original.constructor.name}: ${key} is a tensor again`);
    twin.forEach((p, i) => torch.no_grad(() => p.copy_(params[i])));
    for (let i = 0; i < 3; i++) stepBoth([[original, params], [loaded, twin]]);
    params.forEach((p, i) => t.true(torch.equal(p, twin[i]), `${original.constructor.name}: parameter ${i}`));
  }
});

test("SparseAdam refuses sparse parameters with Python's message, naming where they are", (t) => {
  const dense = () => torch.zeros(3, { requires_grad: true });
  const sparse = _make_sparse(torch.zeros(3).to_sparse(), torch.tensor([[0]]), torch.tensor([1.0]));
  // Python: SparseAdam([d, s]) and SparseAdam([{'params': [d]}, {'params': [d2, s]}]); 2.x looks in the groups it made, [group, index] each.
  t.throws(() => new optim.SparseAdam([dense(), sparse]), {
    instanceOf: RangeError,
    message: `Sparse params at indices ${TORCH2 ? '[[0, 1]]' : '[1]'}: SparseAdam requires dense parameter tensors`,
  });
  t.throws(() => new optim.SparseAdam([{ params: [dense()] }, { params: [dense(), sparse] }]), {
    instanceOf: RangeError,
    message: 'Sparse params at indices [[1, 1]]: SparseAdam requires dense parameter tensors',
  });
  if (TORCH2) {
    // Python 2.6: SparseAdam([torch.zeros(2, dtype=torch.complex64, requires_grad=True)])
    t.throws(() => new optim.SparseAdam([torch.zeros(2, { dtype: torch.complex64, requires_grad: true })]), {
      instanceOf: RangeError,
      message: 'Complex params at indices [[0, 0]]: SparseAdam does not support complex parameters',
    });
  }
});

// 2.14's new options, checked by what Python documents them to be (no 2.14
// golden runs them: the golden scripts' cases are shared by every version).
const TORCH2_14 = libtorchAtLeast(2, 14);
(TORCH2_14 ? test : test.skip)(
  `Adam(decoupled_weight_decay) steps as AdamW; LBFGS(maximize) of -f steps as LBFGS of f${TORCH2_14 ? '' : ' [PyTorch 2.14 only: the options are new there]'}`,
  (t) => {
    const start = torch.tensor([0.5, -1.5, 2.0]);
    const run = (make: (p: Tensor) => optim.Optimizer, sign: number, closureStep: boolean): Tensor => {
      const p = start.clone().requires_grad_();
      const opt = make(p);
      for (let i = 0; i < 5; i++) {
        const closure = () => {
          opt.zero_grad();
          const loss = p.sub(3).pow(2).sum().mul(sign);
          loss.backward();
          return loss;
        };
        if (closureStep) opt.step(closure);
        else {
          closure();
          opt.step();
        }
      }
      return p.detach();
    };
    const adam = run((p) => new optim.Adam([p], { lr: 0.1, weight_decay: 0.1, decoupled_weight_decay: true }), 1, false);
    const adamw = run((p) => new optim.AdamW([p], { lr: 0.1, weight_decay: 0.1 }), 1, false);
    t.deepEqual(adam.tolist(), adamw.tolist());
    const maximized = run((p) => new optim.LBFGS([p], { lr: 0.5, max_iter: 4, maximize: true }), -1, true);
    const minimized = run((p) => new optim.LBFGS([p], { lr: 0.5, max_iter: 4 }), 1, true);
    t.deepEqual(maximized.tolist(), minimized.tolist());
    t.notDeepEqual(minimized.tolist(), start.tolist());
  },
);
