// torch.optim against Python (scripts/golden/optim.py): 300 full-batch steps
// of each optimizer give Python's loss sequence and final weights; the
// schedulers give Python's learning rates.
import test from 'ava';

import torch, { nn, optim } from '../lib';
import { assertTensorMatches, kernelFixture, type EncodedTensor } from './_helpers';

interface Run {
  losses: number[];
  final: Record<string, EncodedTensor>;
  state_keys: string[];
  param_groups: Record<string, unknown>[];
}

const golden = kernelFixture<{ steps: number; runs: Record<string, Run>; schedules: Record<string, number[]> }>('optim.json');

const RUNS: Record<string, (p: nn.Parameter[]) => optim.Optimizer> = {
  sgd_momentum: (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 }),
  sgd_nesterov_wd: (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 1e-3 }),
  sgd_dampening_maximize: (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.5, dampening: 0.1, maximize: true }),
  sgd_plain: (p) => new optim.SGD(p, { lr: 0.1 }),
  adam: (p) => new optim.Adam(p, { lr: 0.01 }),
  adam_notebook_lr: (p) => new optim.Adam(p, { lr: 0.04 }),
  adam_amsgrad_wd: (p) => new optim.Adam(p, { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weight_decay: 1e-2, amsgrad: true }),
  adamw: (p) => new optim.AdamW(p, { lr: 0.01 }),
  adamw_maximize: (p) => new optim.AdamW(p, { lr: 0.001, weight_decay: 0.1, maximize: true }),
};

test('every golden run has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(RUNS).sort(), Object.keys(golden.runs).sort());
});

for (const [name, want] of Object.entries(golden.runs)) {
  test(`${name}: ${golden.steps} steps give Python's losses and weights`, (t) => {
    torch.manual_seed(0);
    const x = torch.randn(64, 20);
    const y = torch.randint(0, 5, [64]);
    const model = new nn.Sequential(new nn.Linear(20, 16), new nn.ReLU(), new nn.Linear(16, 5));
    const opt = RUNS[name](model.parameters());
    const lossFn = new nn.CrossEntropyLoss();
    const losses: number[] = [];
    for (let i = 0; i < golden.steps; i++) {
      opt.zero_grad();
      const loss = lossFn(model(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item() as number);
    }
    // DESIGN.md: single steps within 1e-6, a sequence of steps within 1e-5 relative.
    for (let i = 0; i < losses.length; i++) {
      const tol = i < 10 ? 1e-6 : 1e-5 * Math.max(1, Math.abs(want.losses[i]));
      if (Math.abs(losses[i] - want.losses[i]) > tol) {
        t.fail(`step ${i}: loss ${losses[i]}, PyTorch ${want.losses[i]}`);
        return;
      }
    }
    for (const [n, p] of model.named_parameters()) assertTensorMatches(t, p, want.final[n], `${name} final ${n}`, 1e-5);
    const sd = opt.state_dict();
    t.deepEqual(Object.keys(sd.state[0] ?? {}).sort(), want.state_keys);
    t.deepEqual(sd.param_groups, want.param_groups);
  });
}

const SCHEDULES: Record<string, (o: optim.Optimizer) => optim.lr_scheduler.LRScheduler> = {
  step_lr: (o) => new optim.lr_scheduler.StepLR(o, { step_size: 3, gamma: 0.5 }),
  cosine: (o) => new optim.lr_scheduler.CosineAnnealingLR(o, { T_max: 10 }),
  cosine_eta_min: (o) => new optim.lr_scheduler.CosineAnnealingLR(o, { T_max: 7, eta_min: 0.01 }),
};

for (const [name, want] of Object.entries(golden.schedules)) {
  test(`lr_scheduler ${name} gives Python's learning rates exactly`, (t) => {
    const opt = new optim.SGD(new nn.Linear(2, 2).parameters(), { lr: 0.1 });
    const sched = SCHEDULES[name](opt);
    const lrs: number[] = [];
    for (let i = 0; i < want.length; i++) {
      opt.step();
      sched.step();
      lrs.push(opt.param_groups[0].lr);
    }
    t.deepEqual(lrs, want);
  });
}
