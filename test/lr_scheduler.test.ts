// Every torch.optim.lr_scheduler against Python (scripts/golden/lr_scheduler.py):
// the same optimizers and schedulers give Python's learning rates (and
// cycled momentum) exactly, step by step; a state_dict saved by Python
// resumes here with Python's sequence; bad arguments give Python's errors.
// What PyTorch 2 alone has (TORCH2_ONLY) Python records only under 2.x, and
// its tests are skipped on 1.13, the reason in their titles.
import test, { type ExecutionContext } from 'ava';

import torch, { nn, optim } from '../lib';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
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

interface Golden {
  metric: number[];
  metric_up: number[];
  cases: Record<string, Case>;
  onecycle_past_end: string;
  errors: Record<string, { type: string; message: string }>;
  /** 2.x only: ReduceLROnPlateau(min_lr=0.004) stepped with metric(i), a group added before step add_at. */
  plateau_added_group?: { add_at: number; lr: number[][]; min_lrs: number[][]; last_lr: number[]; state_dict: Record<string, unknown> };
  /** 2.x only: a CyclicLR's state_dict loaded into a CyclicLR made with another mode, and the loaded one's next steps. */
  cyclic_other_mode?: Record<string, { state_dict: Record<string, unknown>; mode: optim.lr_scheduler.CyclicLR['mode']; scale_mode: optim.lr_scheduler.CyclicLR['scale_mode']; lr: number[][]; momentum: (number | null)[][] }>;
}

const golden = fixture<Golden>('lr_scheduler.json');

const TORCH2 = libtorchAtLeast(2);

/**
 * What scripts/golden/lr_scheduler.py records only under PyTorch 2 (its
 * `if TORCH2:` blocks), each with why: on 1.13 these tests are skipped, the
 * reason in the title, and 1.13's fixture stays without them.
 */
const TORCH2_ONLY = {
  cases: {
    cyclic_adam_beta1: "1.13's CyclicLR refuses an optimizer without momentum; 2.x cycles Adam's beta1",
    cyclic_adam_beta1_triangular2: "1.13's CyclicLR refuses an optimizer without momentum; 2.x cycles Adam's beta1",
    sequential_nested: "1.13's SequentialLR undoes only the initial steps of the schedulers it holds directly",
    sequential_of_chained: "1.13's SequentialLR undoes only the initial steps of the schedulers it holds directly",
  } as Record<string, string>,
  errors: {
    sequential_empty: '1.13 has no such check',
    chained_empty: '1.13 has no such check',
    sequential_plateau: '1.13 has no such check',
    chained_plateau: '1.13 has no such check',
    sequential_not_scheduler: '1.13 has no such check',
    chained_not_scheduler: '1.13 has no such check',
    sequential_optimizer_adam: "1.13's message names neither the scheduler nor the optimizer",
    chained_optimizer_given: "1.13's ChainedScheduler takes no optimizer",
    warm_eta_min_str: "1.13 does not check eta_min's type",
    warm_eta_min_none: "1.13 does not check eta_min's type",
    warm_eta_min_list: "1.13 does not check eta_min's type",
    plateau_list_min_lr_added_group: "1.13's ReduceLROnPlateau does not look for param groups added later",
  } as Record<string, string>,
};

/** test(), or, where reason is given (what PyTorch 2 alone has), a test titled with it, skipped on 1.13. */
function versionTest(reason: string | undefined, title: string, fn: (t: ExecutionContext) => void | Promise<void>): void {
  if (reason === undefined) test(title, fn);
  else (TORCH2 ? test : test.skip)(`${title} [PyTorch 2 only: ${reason}]`, fn);
}

/** The fixture's names and, on 1.13, the 2.x-only ones too (to be skipped), in the fixture's order. */
const withTorch2Only = (names: string[], only: Record<string, string>): string[] => [...new Set([...names, ...Object.keys(only)])];

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
  cyclic_adam_beta1: ['adam', (o) => new S.CyclicLR(o, 0.001, 0.006, 3, { base_momentum: 0.85, max_momentum: 0.95 }), 'step'],
  cyclic_adam_beta1_triangular2: ['adam', (o) => new S.CyclicLR(o, [0.001, 0.002], 0.01, 2, 4, { mode: 'triangular2', base_momentum: [0.8, 0.7], max_momentum: 0.9 }), 'step'],
  sequential_nested: [
    'sgd',
    (o) =>
      new S.SequentialLR(
        o,
        [new S.SequentialLR(o, [new S.ConstantLR(o, { factor: 0.5, total_iters: 2 }), new S.ExponentialLR(o, 0.9)], [3]), new S.StepLR(o, 2, 0.5)],
        [6],
      ),
    'step',
  ],
  sequential_of_chained: [
    'sgd',
    (o) => new S.SequentialLR(o, [new S.ChainedScheduler([new S.LinearLR(o, 0.5, { total_iters: 3 }), new S.ExponentialLR(o, 0.95)]), new S.CosineAnnealingLR(o, { T_max: 6 })], [5]),
    'step',
  ],
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

test("every golden case has a TypeScript twin, and the loaded libtorch's fixture every case of that version", (t) => {
  t.deepEqual(Object.keys(CASES).filter((n) => TORCH2 || !(n in TORCH2_ONLY.cases)).sort(), Object.keys(golden.cases).sort());
  for (const name of Object.keys(TORCH2_ONLY.errors)) t.true(name in ERRORS, `errors.${name} has a twin`);
  if (TORCH2) for (const name of Object.keys(TORCH2_ONLY.errors)) t.true(name in golden.errors, `errors.${name} is in the fixture`);
});

test('the metrics the plateau cases step with are the script\'s', (t) => {
  t.deepEqual(golden.metric.map((_, i) => metric(i)), golden.metric);
  t.deepEqual(golden.metric_up.map((_, i) => metric_up(i)), golden.metric_up);
});

for (const name of withTorch2Only(Object.keys(golden.cases), TORCH2_ONLY.cases)) {
  const want = golden.cases[name];
  const only2 = TORCH2_ONLY.cases[name];
  versionTest(only2, `${name}: Python's learning rates exactly, step by step`, (t) => {
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

  if (want?.resume) {
    const resume = want.resume;
    versionTest(only2, `${name}: a state_dict saved by Python after ${resume.at} steps resumes with Python's sequence`, (t) => {
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

    versionTest(only2, `${name}: after ${resume.at} steps our state_dict is Python's`, (t) => {
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
  sequential_empty: () => new S.SequentialLR(makeOpt(), [], []),
  chained_empty: () => new S.ChainedScheduler([]),
  sequential_plateau: () => {
    const o = makeOpt();
    return new S.SequentialLR(o, [new S.StepLR(o, 2), new S.ReduceLROnPlateau(o) as any], [2]);
  },
  chained_plateau: () => {
    const o = makeOpt();
    return new S.ChainedScheduler([new S.ReduceLROnPlateau(o) as any, new S.StepLR(o, 2)]);
  },
  sequential_not_scheduler: () => {
    const o = makeOpt();
    return new S.SequentialLR(o, [new S.StepLR(o, 2), {} as any], [2]);
  },
  chained_not_scheduler: () => new S.ChainedScheduler([new S.StepLR(makeOpt(), 2), {} as any]),
  sequential_optimizer_adam: () => new S.SequentialLR(makeOpt(), [new S.ExponentialLR(makeOpt('adam'), 0.9)], []),
  chained_optimizer_given: () => new S.ChainedScheduler([new S.StepLR(makeOpt(), 2)], makeOpt('adam', [0.01])),
  warm_eta_min_str: () => new S.CosineAnnealingWarmRestarts(makeOpt(), 5, { eta_min: '0.1' as any }),
  warm_eta_min_none: () => new S.CosineAnnealingWarmRestarts(makeOpt(), 5, 1, null as any),
  warm_eta_min_list: () => new S.CosineAnnealingWarmRestarts(makeOpt(), 5, { eta_min: [0.1] as any }),
  plateau_list_min_lr_added_group: () => {
    const o = makeOpt();
    const sched = new S.ReduceLROnPlateau(o, { patience: 0, min_lr: [0.01, 0.02] });
    o.add_param_group({ params: [new nn.Parameter(torch.zeros(1))], lr: 0.3 });
    sched.step(1.0);
    sched.step(2.0);
  },
};

for (const name of withTorch2Only(Object.keys(golden.errors), TORCH2_ONLY.errors)) {
  const want = golden.errors[name];
  versionTest(TORCH2_ONLY.errors[name], `bad arguments: ${name} gives Python's ${want?.type ?? 'error'}`, (t) => {
    // Python's ValueError and KeyError are RangeErrors here, its TypeError a TypeError, its RuntimeError an Error.
    const instanceOf = want.type === 'TypeError' ? TypeError : want.type === 'RuntimeError' ? Error : RangeError;
    // str(KeyError) is the repr of its message: the quotes off, its escapes read back.
    const message = want.type === 'KeyError' ? want.message.replace(/^["']|["']$/g, '').replace(/\\n/g, '\n').replace(/\\'/g, "'") : want.message;
    const error = t.throws(ERRORS[name], { instanceOf, message });
    if (want.type === 'RuntimeError') t.is(error?.constructor, Error);
  });
}

versionTest(
  "1.13's ReduceLROnPlateau has no default_min_lr",
  "ReduceLROnPlateau gives a param group added later its one min_lr, at the next reduction, as Python does",
  (t) => {
    const want = golden.plateau_added_group!;
    const o = makeOpt();
    const sched = new S.ReduceLROnPlateau(o, { factor: 0.5, patience: 1, min_lr: 0.004 });
    const lrs: number[][] = [];
    const min_lrs: number[][] = [];
    for (let i = 0; i < want.lr.length; i++) {
      if (i === want.add_at) o.add_param_group({ params: [new nn.Parameter(torch.zeros(1))], lr: 0.3 });
      sched.step(metric(i));
      lrs.push(o.param_groups.map((g) => g.lr));
      min_lrs.push([...sched.min_lrs]);
    }
    t.deepEqual(lrs, want.lr);
    t.deepEqual(min_lrs, want.min_lrs);
    t.deepEqual(sched.get_last_lr(), want.last_lr);
    t.deepEqual(encode(sched.state_dict()), want.state_dict);
  },
);

const CYCLIC_OTHER_MODE: Record<string, [saved: (o: optim.Optimizer) => optim.lr_scheduler.CyclicLR, loaded: (o: optim.Optimizer) => optim.lr_scheduler.CyclicLR]> = {
  triangular2_into_exp_range: [(o) => new S.CyclicLR(o, 0.01, 0.1, 4, { mode: 'triangular2' }), (o) => new S.CyclicLR(o, 0.02, 0.2, 3, { mode: 'exp_range', gamma: 0.9 })],
  exp_range_into_triangular: [(o) => new S.CyclicLR(o, 0.01, 0.1, 4, 2, { mode: 'exp_range', gamma: 0.95 }), (o) => new S.CyclicLR(o, 0.01, 0.1, 4)],
};

for (const [name, [saved, loaded]] of Object.entries(CYCLIC_OTHER_MODE)) {
  versionTest(
    "1.13's CyclicLR keeps the scale function of its own mode after load_state_dict",
    `CyclicLR ${name}: a state_dict loaded into a CyclicLR of another mode goes on in the saved mode, as Python's`,
    (t) => {
      const want = golden.cyclic_other_mode![name];
      // Python's state_dict loads here (and the saved mode's scheduler, stepped as far, gives that same state_dict below).
      const sched = loaded(makeOpt());
      sched.load_state_dict(decode(want.state_dict) as Record<string, unknown>);
      t.is(sched.mode, want.mode);
      t.is(sched.scale_mode, want.scale_mode);
      const seq = [];
      for (let i = 0; i < want.lr.length; i++) {
        sched.step();
        seq.push(snapshot(sched.optimizer));
      }
      t.deepEqual(seq.map((s) => s.lr), want.lr);
      t.deepEqual(seq.map((s) => s.momentum), want.momentum);
      const original = saved(makeOpt());
      for (let i = 0; i < (want.state_dict.last_epoch as number); i++) original.step();
      t.deepEqual(encode(original.state_dict()), want.state_dict);
    },
  );
}

test("schedulers bind Python's positionals and refuse what Python refuses", (t) => {
  const o = makeOpt();
  // CyclicLR(opt, 0.01, 0.1, 4, 6, 'triangular2') -> step_size_up 4.0, step_size_down 6.0
  const c = new S.CyclicLR(o, 0.01, 0.1, 4, 6, 'triangular2');
  t.is(c.total_size, 10);
  t.is(c.step_ratio, 0.4);
  t.is(c.mode, 'triangular2');
  // ExponentialLR(opt, gamma=0.9, gama=1) -> TypeError: ExponentialLR.__init__() got an unexpected keyword argument 'gama'. Did you mean 'gamma'?
  // (Python 3.13's suggestion, beside 2.6; 3.11's message beside 1.13 ends at the keyword)
  t.throws(() => new S.ExponentialLR(makeOpt(), { gamma: 0.9, gama: 1 } as any), {
    instanceOf: TypeError,
    message: `ExponentialLR() got an unexpected keyword argument 'gama'${PYTHON_DEFS_SUGGEST_KEYWORDS ? ". Did you mean 'gamma'?" : ''}`,
  });
  // StepLR(opt, 1).step(epch=1) -> TypeError: LRScheduler.step() got an unexpected keyword argument 'epch'. Did you mean 'epoch'?
  t.throws(() => (new S.StepLR(makeOpt(), 1).step as any)({ epch: 1 }), { instanceOf: TypeError, message: `step() got an unexpected keyword argument 'epch'${PYTHON_DEFS_SUGGEST_KEYWORDS ? ". Did you mean 'epoch'?" : ''}` });
  // ReduceLROnPlateau(opt).step(1, metric=1) -> TypeError: ReduceLROnPlateau.step() got an unexpected keyword argument 'metric'. Did you mean 'metrics'?
  t.throws(() => (new S.ReduceLROnPlateau(makeOpt()).step as any)(1, { metric: 1 }), {
    instanceOf: TypeError,
    message: `step() got an unexpected keyword argument 'metric'${PYTHON_DEFS_SUGGEST_KEYWORDS ? ". Did you mean 'metrics'?" : ''}`,
  });
  // (2.14 has no verbose: StepLR(optimizer, step_size, gamma, last_epoch).)
  const most = libtorchAtLeast(2, 14) ? 4 : 5;
  t.throws(() => new (S.StepLR as any)(makeOpt(), 2, 0.5, -1, false, 7), { instanceOf: TypeError, message: new RegExp(`takes from 2 to ${most} positional arguments but 6 were given`) });
  if (libtorchAtLeast(2, 14)) {
    // Python 2.14: StepLR(o, 2, verbose=True) -> TypeError: StepLR.__init__() got an unexpected keyword argument 'verbose'
    t.throws(() => new (S.StepLR as any)(makeOpt(), 2, { verbose: true }), { instanceOf: TypeError, message: /got an unexpected keyword argument 'verbose'/ });
  }
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

(libtorchAtLeast(2, 14) ? test.skip : test)(`verbose schedulers print what Python prints, with the epoch where step(epoch) is given${libtorchAtLeast(2, 14) ? ' [before PyTorch 2.14 only: 2.14 has no verbose]' : ''}`, (t) => {
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
