// Every torch.optim.lr_scheduler against Python (scripts/golden/lr_scheduler.py):
// the same optimizers and schedulers give Python's learning rates (and
// cycled momentum) exactly, step by step; a state_dict saved by Python
// resumes here with Python's sequence; bad arguments give Python's errors.
import test from 'ava';

import torch, { nn, optim } from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { fixture } from './_helpers';

const S = optim.lr_scheduler;
type Sched = optim.lr_scheduler.LRScheduler | optim.lr_scheduler.ReduceLROnPlateau;

interface Case {
  lr: number[][];
  momentum: (number | null)[][];
  state_dict_keys: string[];
  last_lr: number[];
  resume?: { at: number; state_dict: Record<string, unknown>; param_groups: Record<string, unknown>[] };
}

const golden = fixture<{ metric: number[]; metric_up: number[]; cases: Record<string, Case>; onecycle_past_end: string; errors: Record<string, { type: string; message: string }> }>(
  'lr_scheduler.json',
);

function makeOpt(kind: 'sgd' | 'adam' = 'sgd', lrs: number[] = [0.1, 0.05]): optim.Optimizer {
  const groups = lrs.map((lr) => ({ params: [new nn.Parameter(torch.zeros(1))], lr }));
  return kind === 'adam' ? new optim.Adam(groups, { lr: lrs[0] }) : new optim.SGD(groups, { lr: lrs[0], momentum: 0.9 });
}

const metric = (i: number) => 1.0 / (1 + 0.2 * i) + 0.05 * ((i * 7) % 5);
const metric_up = (i: number) => 0.1 * Math.floor(i / 6) + 0.01 * ((i * 3) % 4);

type Stepper = 'step' | 'plateau' | 'plateau_up' | number[];
const CLOSED_EPOCHS = [0, 3, 4, 10, 2, 7, 15, 1, 30, 12];

// The twins of the Python script's CASES, argument for argument.
const CASES: Record<string, [kind: 'sgd' | 'adam', build: (o: optim.Optimizer) => Sched, stepper: Stepper]> = {
  lambda_one: ['sgd', (o) => new S.LambdaLR(o, (e) => 1.0 / (1 + 0.1 * e)), 'step'],
  lambda_list: ['sgd', (o) => new S.LambdaLR(o, [(e) => 0.5 + Math.floor(e / 5) * 0.1, (e) => 1 - e / 50]), 'step'],
  multiplicative: ['sgd', (o) => new S.MultiplicativeLR(o, () => 0.95), 'step'],
  multiplicative_list: ['sgd', (o) => new S.MultiplicativeLR(o, [() => 0.9, (e) => 1.0 + 0.001 * e]), 'step'],
  step: ['sgd', (o) => new S.StepLR(o, 7, { gamma: 0.3 }), 'step'],
  multistep: ['sgd', (o) => new S.MultiStepLR(o, [3, 7, 7, 12], { gamma: 0.3 }), 'step'],
  constant_default: ['sgd', (o) => new S.ConstantLR(o), 'step'],
  constant: ['sgd', (o) => new S.ConstantLR(o, { factor: 0.5, total_iters: 4 }), 'step'],
  linear_default: ['sgd', (o) => new S.LinearLR(o), 'step'],
  linear: ['sgd', (o) => new S.LinearLR(o, { start_factor: 0.25, end_factor: 0.9, total_iters: 8 }), 'step'],
  exponential: ['sgd', (o) => new S.ExponentialLR(o, 0.93), 'step'],
  polynomial_default: ['sgd', (o) => new S.PolynomialLR(o), 'step'],
  polynomial: ['sgd', (o) => new S.PolynomialLR(o, { total_iters: 20, power: 2.0 }), 'step'],
  polynomial_frac: ['sgd', (o) => new S.PolynomialLR(o, { total_iters: 13, power: 0.7 }), 'step'],
  cosine: ['sgd', (o) => new S.CosineAnnealingLR(o, { T_max: 10 }), 'step'],
  cosine_eta_min: ['sgd', (o) => new S.CosineAnnealingLR(o, 7, { eta_min: 0.01 }), 'step'],
  sequential: ['sgd', (o) => new S.SequentialLR(o, { schedulers: [new S.ConstantLR(o, { factor: 0.1, total_iters: 2 }), new S.ExponentialLR(o, { gamma: 0.9 })], milestones: [2] }), 'step'],
  sequential3: ['sgd', (o) => new S.SequentialLR(o, [new S.LinearLR(o, { start_factor: 0.2, total_iters: 5 }), new S.CosineAnnealingLR(o, { T_max: 10 }), new S.StepLR(o, 3, 0.5)], [5, 15]), 'step'],
  chained: ['sgd', (o) => new S.ChainedScheduler([new S.ConstantLR(o, { factor: 0.1, total_iters: 2 }), new S.ExponentialLR(o, { gamma: 0.9 })]), 'step'],
  chained3: ['sgd', (o) => new S.ChainedScheduler([new S.LinearLR(o, 0.5, { total_iters: 4 }), new S.MultiStepLR(o, [5, 10], 0.5), new S.ExponentialLR(o, 0.98)]), 'step'],
  plateau_default: ['sgd', (o) => new S.ReduceLROnPlateau(o, { patience: 2 }), 'plateau'],
  plateau_max_abs: ['sgd', (o) => new S.ReduceLROnPlateau(o, { mode: 'max', threshold_mode: 'abs', threshold: 0.01, factor: 0.5, patience: 1, cooldown: 2, min_lr: [0.01, 0.02] }), 'plateau_up'],
  plateau_max_rel: ['sgd', (o) => new S.ReduceLROnPlateau(o, 'max', 0.7, 3, 0.05), 'plateau_up'],
  plateau_min_abs_eps: ['sgd', (o) => new S.ReduceLROnPlateau(o, { factor: 0.5, patience: 0, threshold_mode: 'abs', threshold: 0.02, eps: 0.01 }), 'plateau'],
  cyclic_triangular: ['sgd', (o) => new S.CyclicLR(o, { base_lr: 0.01, max_lr: 0.1, step_size_up: 4 }), 'step'],
  cyclic_triangular2: ['sgd', (o) => new S.CyclicLR(o, [0.01, 0.02], [0.1, 0.2], { step_size_up: 3, step_size_down: 5, mode: 'triangular2', base_momentum: [0.8, 0.7], max_momentum: 0.95 }), 'step'],
  cyclic_exp_range: ['sgd', (o) => new S.CyclicLR(o, 0.001, 0.01, 5, { mode: 'exp_range', gamma: 0.97 }), 'step'],
  cyclic_scale_fn_cycle: ['sgd', (o) => new S.CyclicLR(o, 0.01, 0.1, 4, { scale_fn: (x) => 0.5 * (1 + 1 / x) }), 'step'],
  cyclic_scale_fn_iterations: ['sgd', (o) => new S.CyclicLR(o, 0.01, 0.1, 4, { scale_fn: (x) => 1 / (1 + 0.01 * x), scale_mode: 'iterations' }), 'step'],
  cyclic_adam: ['adam', (o) => new S.CyclicLR(o, 0.001, 0.006, 3, { cycle_momentum: false }), 'step'],
  onecycle_cos: ['sgd', (o) => new S.OneCycleLR(o, { max_lr: 0.1, total_steps: 40 }), 'step'],
  onecycle_linear_three_phase_adam: ['adam', (o) => new S.OneCycleLR(o, [0.01, 0.02], { epochs: 4, steps_per_epoch: 10, anneal_strategy: 'linear', three_phase: true }), 'step'],
  onecycle_cos_three_phase: ['sgd', (o) => new S.OneCycleLR(o, 0.05, 33, { pct_start: 0.4, three_phase: true, base_momentum: 0.8, max_momentum: [0.9, 0.99] }), 'step'],
  onecycle_no_momentum: ['sgd', (o) => new S.OneCycleLR(o, 0.2, 30, { pct_start: 0.25, div_factor: 10.0, final_div_factor: 100.0, cycle_momentum: false }), 'step'],
  warm_restarts: ['sgd', (o) => new S.CosineAnnealingWarmRestarts(o, { T_0: 5, eta_min: 0.001 }), 'step'],
  warm_restarts_T_mult: ['sgd', (o) => new S.CosineAnnealingWarmRestarts(o, 3, 2), 'step'],
  warm_restarts_epochs: ['sgd', (o) => new S.CosineAnnealingWarmRestarts(o, 5, { eta_min: 0.01 }), [...Array.from({ length: 80 }, (_, i) => i / 4), 7, 3.5, 12]],
  warm_restarts_epochs_T_mult: [
    'sgd',
    (o) => new S.CosineAnnealingWarmRestarts(o, 2, 3),
    [...Array.from({ length: 60 }, (_, i) => i / 2), ...Array.from({ length: 30 }, (_, i) => (i + 60) / 10), 26.0, 80.0, 241.5, 242.0, 242.5, 727.0, 728.0, 2.0, 1.5],
  ],
  warm_restarts_epochs_T_mult2: ['sgd', (o) => new S.CosineAnnealingWarmRestarts(o, 1, 2, { eta_min: 0.001 }), Array.from({ length: 100 }, (_, i) => i / 3)],
  closed_step: ['sgd', (o) => new S.StepLR(o, 4, { gamma: 0.5 }), CLOSED_EPOCHS],
  closed_multistep: ['sgd', (o) => new S.MultiStepLR(o, [3, 7, 7, 12], { gamma: 0.3 }), CLOSED_EPOCHS],
  closed_constant: ['sgd', (o) => new S.ConstantLR(o, { factor: 0.5, total_iters: 4 }), CLOSED_EPOCHS],
  closed_linear: ['sgd', (o) => new S.LinearLR(o, { start_factor: 0.25, end_factor: 0.9, total_iters: 8 }), CLOSED_EPOCHS],
  closed_exponential: ['sgd', (o) => new S.ExponentialLR(o, 0.93), CLOSED_EPOCHS],
  closed_polynomial: ['sgd', (o) => new S.PolynomialLR(o, { total_iters: 20, power: 2.0 }), CLOSED_EPOCHS],
  closed_cosine: ['sgd', (o) => new S.CosineAnnealingLR(o, { T_max: 10, eta_min: 0.001 }), CLOSED_EPOCHS],
  closed_lambda: ['sgd', (o) => new S.LambdaLR(o, (e) => 1.0 / (1 + 0.1 * e)), CLOSED_EPOCHS],
  closed_multiplicative: ['sgd', (o) => new S.MultiplicativeLR(o, () => 0.95), CLOSED_EPOCHS],
};

function drive(sched: Sched, stepper: Stepper, i: number): void {
  if (sched instanceof S.ReduceLROnPlateau) sched.step(stepper === 'plateau' ? metric(i) : metric_up(i));
  else if (stepper === 'step') sched.step();
  else sched.step((stepper as number[])[i]);
}

function snapshot(o: optim.Optimizer): { lr: number[]; momentum: (number | null)[] } {
  return {
    lr: o.param_groups.map((g) => g.lr),
    momentum: o.param_groups.map((g) => ('betas' in g ? g.betas[0] : (g.momentum ?? null))),
  };
}

/** The fixture's JSON stand-ins ('inf', '-inf', 'nan') as numbers. */
function decode(v: unknown): unknown {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  return v;
}

/** A state_dict as JSON has it: Infinity as 'inf', Python's tuples as lists. */
function encode(v: unknown): unknown {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Array.isArray(v)) return v.map(encode);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

test('every golden case has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), Object.keys(golden.cases).sort());
});

test('the metrics the plateau cases step with are the script\'s', (t) => {
  t.deepEqual(golden.metric.map((_, i) => metric(i)), golden.metric);
  t.deepEqual(golden.metric_up.map((_, i) => metric_up(i)), golden.metric_up);
});

for (const [name, want] of Object.entries(golden.cases)) {
  test(`${name}: Python's learning rates exactly, step by step`, (t) => {
    const [kind, build, stepper] = CASES[name];
    const opt = makeOpt(kind);
    const sched = build(opt);
    const n = want.lr.length - 1;
    const seq = [snapshot(opt)];
    for (let i = 0; i < n; i++) {
      drive(sched, stepper, i);
      seq.push(snapshot(opt));
    }
    t.deepEqual(seq.map((s) => s.lr), want.lr);
    t.deepEqual(seq.map((s) => s.momentum), want.momentum);
    t.deepEqual(sched.get_last_lr(), want.last_lr);
    // The same attributes as Python's state_dict (less its functions), with Python's values at the end.
    const sd = sched.state_dict();
    t.deepEqual(Object.keys(sd).sort(), want.state_dict_keys);
  });

  if (want.resume) {
    const resume = want.resume;
    test(`${name}: a state_dict saved by Python after ${resume.at} steps resumes with Python's sequence`, (t) => {
      const [kind, build, stepper] = CASES[name];
      const opt = makeOpt(kind);
      const sched = build(opt);
      // The optimizer's side of the resume: its param groups as Python left them.
      opt.param_groups.forEach((g, i) => Object.assign(g, decode(resume.param_groups[i])));
      sched.load_state_dict(decode(resume.state_dict) as Record<string, unknown>);
      const seq = [];
      for (let i = resume.at; i < want.lr.length - 1; i++) {
        drive(sched, stepper, i);
        seq.push(snapshot(opt));
      }
      t.deepEqual(seq.map((s) => s.lr), want.lr.slice(resume.at + 1));
      t.deepEqual(seq.map((s) => s.momentum), want.momentum.slice(resume.at + 1));
    });

    test(`${name}: after ${resume.at} steps our state_dict is Python's`, (t) => {
      const [kind, build, stepper] = CASES[name];
      const opt = makeOpt(kind);
      const sched = build(opt);
      for (let i = 0; i < resume.at; i++) drive(sched, stepper, i);
      t.deepEqual(encode(sched.state_dict()), resume.state_dict);
    });
  }
}

test("OneCycleLR stepped past total_steps gives Python's error", (t) => {
  const sched = new S.OneCycleLR(makeOpt(), 0.1, { total_steps: 5 });
  for (let i = 0; i < 5; i++) sched.step();
  t.throws(() => sched.step(), { instanceOf: RangeError, message: golden.onecycle_past_end });
});

const ERRORS: Record<string, () => unknown> = {
  not_optimizer: () => new S.StepLR(null as any, 3),
  constant_factor: () => new S.ConstantLR(makeOpt(), { factor: 1.5 }),
  linear_start: () => new S.LinearLR(makeOpt(), { start_factor: -0.1 }),
  linear_end: () => new S.LinearLR(makeOpt(), { end_factor: 2 }),
  lambda_count: () => new S.LambdaLR(makeOpt(), [() => 1.0]),
  plateau_factor: () => new S.ReduceLROnPlateau(makeOpt(), { factor: 1.0 }),
  plateau_mode: () => new S.ReduceLROnPlateau(makeOpt(), { mode: 'mid' as any }),
  plateau_threshold_mode: () => new S.ReduceLROnPlateau(makeOpt(), { threshold_mode: 'relative' as any }),
  plateau_min_lr: () => new S.ReduceLROnPlateau(makeOpt(), { min_lr: [0.1] }),
  cyclic_mode: () => new S.CyclicLR(makeOpt(), 0.01, 0.1, { mode: 'sine' as any }),
  cyclic_momentum_adam: () => new S.CyclicLR(makeOpt('adam'), 0.01, 0.1),
  cyclic_max_lr_count: () => new S.CyclicLR(makeOpt(), 0.01, [0.1, 0.2, 0.3]),
  onecycle_no_steps: () => new S.OneCycleLR(makeOpt(), 0.1),
  onecycle_total_steps: () => new S.OneCycleLR(makeOpt(), 0.1, { total_steps: 0 }),
  onecycle_epochs: () => new S.OneCycleLR(makeOpt(), 0.1, { epochs: -2, steps_per_epoch: 3 }),
  onecycle_pct_start: () => new S.OneCycleLR(makeOpt(), 0.1, 10, { pct_start: 1.5 }),
  onecycle_anneal: () => new S.OneCycleLR(makeOpt(), 0.1, 10, { anneal_strategy: 'cosine' as any }),
  warm_T_0: () => new S.CosineAnnealingWarmRestarts(makeOpt(), 0),
  warm_T_mult: () => new S.CosineAnnealingWarmRestarts(makeOpt(), 5, 0),
  warm_epoch: () => new S.CosineAnnealingWarmRestarts(makeOpt(), 5).step(-1),
  resume_no_initial_lr: () => new S.StepLR(makeOpt(), 3, { last_epoch: 4 }),
  sequential_milestones: () => {
    const o = makeOpt();
    return new S.SequentialLR(o, [new S.StepLR(o, 2), new S.StepLR(o, 3)], [2, 4]);
  },
  sequential_optimizer: () => {
    const [o, p] = [makeOpt(), makeOpt()];
    return new S.SequentialLR(o, [new S.StepLR(o, 2), new S.StepLR(p, 3)], [2]);
  },
  chained_optimizer: () => new S.ChainedScheduler([new S.StepLR(makeOpt(), 2), new S.StepLR(makeOpt(), 3)]),
};

for (const [name, want] of Object.entries(golden.errors)) {
  test(`bad arguments: ${name} gives Python's ${want.type}`, (t) => {
    // Python's ValueError and KeyError are RangeErrors here, its TypeError a TypeError.
    const instanceOf = want.type === 'TypeError' ? TypeError : RangeError;
    const message = want.type === 'KeyError' ? want.message.replace(/^"|"$/g, '') : want.message;
    t.throws(ERRORS[name], { instanceOf, message });
  });
}

test("schedulers bind Python's positionals and refuse what Python refuses", (t) => {
  const o = makeOpt();
  // CyclicLR(opt, 0.01, 0.1, 4, 6, 'triangular2') -> step_size_up 4.0, step_size_down 6.0
  const c = new S.CyclicLR(o, 0.01, 0.1, 4, 6, 'triangular2');
  t.is(c.total_size, 10);
  t.is(c.step_ratio, 0.4);
  t.is(c.mode, 'triangular2');
  t.throws(() => new S.ExponentialLR(makeOpt(), { gamma: 0.9, gama: 1 } as any), { instanceOf: TypeError, message: "ExponentialLR() got an unexpected keyword argument 'gama'" });
  t.throws(() => new (S.StepLR as any)(makeOpt(), 2, 0.5, -1, false, 7), { instanceOf: TypeError, message: /takes from 2 to 5 positional arguments but 6 were given/ });
  t.throws(() => new S.LambdaLR(makeOpt(), 0.5 as any), { instanceOf: TypeError, message: 'LambdaLR: lr_lambda must be a function or a list of functions, not number 0.5' });
  t.throws(() => new S.MultiStepLR(makeOpt(), 5 as any), { instanceOf: TypeError, message: /MultiStepLR: milestones must be a list of ints/ });
  t.throws(() => new S.ReduceLROnPlateau(makeOpt()).step('low' as any), { instanceOf: TypeError, message: /metrics must be a number or a one-element Tensor/ });
  const seq = new S.SequentialLR(o, [new S.StepLR(o, 2)], []);
  t.throws(() => (seq.step as any)(3), { instanceOf: TypeError, message: 'step() takes 0 positional arguments but 1 were given' });
});

test('ReduceLROnPlateau takes a one-element Tensor metric, as float(metrics) in Python', (t) => {
  const a = makeOpt();
  const b = makeOpt();
  const sa = new S.ReduceLROnPlateau(a, { patience: 0 });
  const sb = new S.ReduceLROnPlateau(b, { patience: 0 });
  for (let i = 0; i < 6; i++) {
    sa.step(metric(i));
    sb.step(torch.tensor(metric(i), { dtype: torch.float64 }));
  }
  t.deepEqual(b.param_groups.map((g) => g.lr), a.param_groups.map((g) => g.lr));
  t.throws(() => sb.step(torch.ones(2)), { instanceOf: RangeError, message: /one-element Tensor, got a Tensor of 2 elements/ });
});

test('verbose schedulers print what Python prints, with the epoch where step(epoch) is given', (t) => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  let verbose: unknown[] = [];
  try {
    const o = makeOpt('sgd', [0.1]);
    const s = new S.CosineAnnealingWarmRestarts(o, 5, { verbose: true });
    s.step(2.5);
    s.step();
    const p = makeOpt('sgd', [0.1]);
    const r = new S.ReduceLROnPlateau(p, { patience: 0, verbose: true });
    r.step(1);
    r.step(2);
    verbose = [s.verbose, r.verbose];
  } finally {
    console.log = log;
  }
  t.deepEqual(verbose, [true, true]);
  // Python 2.x deprecated verbose (2.2): a scheduler keeps it but its steps print nothing.
  if (libtorchAtLeast(2)) {
    t.deepEqual(lines, []);
    return;
  }
  // Python: CosineAnnealingWarmRestarts(SGD([p], lr=0.1), 5, verbose=True); .step(2.5); .step()
  // ReduceLROnPlateau(SGD([p], lr=0.1), patience=0, verbose=True); .step(1); .step(2)
  t.deepEqual(lines, [
    'Epoch 00000: adjusting learning rate of group 0 to 1.0000e-01.',
    'Epoch 2.50: adjusting learning rate of group 0 to 5.0000e-02.',
    'Epoch 00003: adjusting learning rate of group 0 to 2.0611e-02.',
    'Epoch 00002: reducing learning rate of group 0 to 1.0000e-02.',
  ]);
});

test('get_lr() outside step() warns as Python does, and get_last_lr() is the rates the last step set', (t) => {
  const o = makeOpt();
  const s = new S.StepLR(o, 1, 0.5);
  s.step();
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  const next = s.get_lr();
  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    process.off('warning', onWarning);
    // Python: o = SGD([p], lr=0.1); s = StepLR(o, 1, 0.5); s.step(); s.get_lr() -> [0.025], s.get_last_lr() -> [0.05]
    t.deepEqual(next, [0.025, 0.0125]);
    t.deepEqual(s.get_last_lr(), [0.05, 0.025]);
    t.true(warnings.some((m) => m.includes('please use `get_last_lr()`')));
  });
});

test("LambdaLR saves a lambda's own fields (Python saves a callable object's __dict__, None for a plain function) and loads them back", (t) => {
  const warmup = Object.assign((e: number) => Math.min(1, (e + 1) / warmup.steps), { steps: 4 });
  const plain = (e: number) => 1 / (1 + e);
  const o = makeOpt();
  const s = new S.LambdaLR(o, [warmup, plain]);
  s.step();
  const sd = s.state_dict();
  t.deepEqual(sd.lr_lambdas, [{ steps: 4 }, null]);
  t.false('optimizer' in sd);
  // A fresh scheduler whose lambda has other fields takes the saved ones.
  const other = Object.assign((e: number) => Math.min(1, (e + 1) / other.steps), { steps: 10 });
  const s2 = new S.LambdaLR(makeOpt(), [other, plain]);
  s2.load_state_dict(sd);
  t.is(other.steps, 4);
  t.is(s2.last_epoch, 1);
  t.deepEqual(s2.base_lrs, [0.1, 0.05]);
  // The state_dict is a copy: stepping on leaves it as it was.
  s.step();
  t.is(sd.last_epoch, 1);
});

test("Python 1.13's _LRScheduler is the base class, and every scheduler but ReduceLROnPlateau extends it (2.x: _LRScheduler a subclass, ReduceLROnPlateau too)", (t) => {
  const o = makeOpt();
  for (const s of [new S.StepLR(o, 2), new S.CyclicLR(makeOpt(), 0.01, 0.1), new S.OneCycleLR(makeOpt(), 0.1, 10), new S.CosineAnnealingWarmRestarts(makeOpt(), 3)]) {
    t.true(s instanceof S.LRScheduler);
  }
  const plateau = new S.ReduceLROnPlateau(makeOpt()) as unknown;
  if (libtorchAtLeast(2)) {
    // Python 2.6: _LRScheduler.__mro__ is (_LRScheduler, LRScheduler, object); isinstance(ReduceLROnPlateau(o), LRScheduler) is True
    t.not(S._LRScheduler, S.LRScheduler);
    t.is(S._LRScheduler.name, '_LRScheduler');
    t.is(Object.getPrototypeOf(S._LRScheduler), S.LRScheduler);
    t.true(plateau instanceof S.LRScheduler);
  } else {
    t.is(S._LRScheduler, S.LRScheduler);
    t.false(plateau instanceof S.LRScheduler);
  }
});
