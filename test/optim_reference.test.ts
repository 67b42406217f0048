// Adam, AdamW and SGD pass hyperparameters to in-place ops as 0-dim tensors
// of their state's dtype (lib/optim/_scalar_operands.ts), Adam and AdamW
// through _foreach_ ops. That must give exactly the bits of the loaded
// PyTorch's _single_tensor_adam and _single_tensor_sgd, which pass plain numbers: here
// those algorithms run op by op with numbers, and the two sets of weights
// must be equal bit for bit after many steps.
import test from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import { native } from '../lib/native';
import { libtorchAtLeast } from '../lib/_libtorch_version';
import { ScalarOperands } from '../lib/optim/_scalar_operands';

const TORCH2 = libtorchAtLeast(2);

interface Hyper {
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/** torch/optim/adam.py's _single_tensor_adam (adamw.py's when decoupled), one parameter at a time, numbers as operands. */
function referenceStep(params: Tensor[], state: Map<Tensor, Record<string, Tensor>>, h: Hyper, decoupled: boolean): void {
  torch.no_grad(() => {
    for (const param of params) {
      if (param.grad === null) continue;
      let grad = param.grad;
      if (h.maximize) grad = grad.neg();
      let s = state.get(param);
      if (!s) {
        s = { step: torch.tensor(0.0), exp_avg: torch.zeros_like(param), exp_avg_sq: torch.zeros_like(param) };
        if (h.amsgrad) s.max_exp_avg_sq = torch.zeros_like(param);
        state.set(param, s);
      }
      const [beta1, beta2] = h.betas;
      s.step.add_(1);
      if (decoupled) param.mul_(1 - h.lr * h.weight_decay);
      else if (h.weight_decay !== 0) grad = grad.add(param, { alpha: h.weight_decay });
      // The loaded PyTorch's algorithm: 2.x moves the first moment by lerp_.
      if (TORCH2) s.exp_avg.lerp_(grad, 1 - beta1);
      else s.exp_avg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      s.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const step = s.step.item() as number;
      const step_size = h.lr / (1 - native.libmPow(beta1, step));
      const bias_correction2_sqrt = TORCH2 ? native.libmPow(1 - native.libmPow(beta2, step), 0.5) : Math.sqrt(1 - native.libmPow(beta2, step));
      let second = s.exp_avg_sq;
      if (h.amsgrad) {
        s.max_exp_avg_sq.copy_(s.max_exp_avg_sq.maximum(s.exp_avg_sq));
        second = s.max_exp_avg_sq;
      }
      const denom = second.sqrt().div(bias_correction2_sqrt).add_(h.eps);
      param.addcdiv_(s.exp_avg, denom, { value: -step_size });
    }
  });
}

type Dtype = 'float32' | 'float64' | 'bfloat16';

function bits(t: Tensor): string {
  return Buffer.from(t.detach().contiguous().toTypedArray().buffer).toString('hex');
}

const CASES: [string, Hyper, boolean, Dtype][] = [
  ['Adam, the notebook lr', { lr: 0.04, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false }, false, 'float32'],
  ['Adam, amsgrad and weight decay', { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weight_decay: 1e-2, amsgrad: true, maximize: false }, false, 'float32'],
  ['Adam in float64', { lr: 0.02, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false }, false, 'float64'],
  ['AdamW, maximize', { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.1, amsgrad: false, maximize: true }, true, 'float32'],
  ['AdamW in float64', { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, amsgrad: false, maximize: false }, true, 'float64'],
  // bfloat16 keeps number operands: its kernels read them in float32.
  ['Adam in bfloat16', { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false }, false, 'bfloat16'],
];

/**
 * Weights (as hex) after 150 full-batch steps of `step` on a small MLP;
 * with `skipFirst`, the first parameter has no gradient every third step.
 */
function train(dtypeName: Dtype, step: (params: Tensor[]) => void, skipFirst = false): string[] {
  torch.manual_seed(0);
  let model = new nn.Sequential(new nn.Linear(20, 16), new nn.ReLU(), new nn.Linear(16, 5));
  let x = torch.randn(64, 20);
  if (dtypeName !== 'float32') {
    model = model.to(torch[dtypeName]);
    x = x.to(torch[dtypeName]);
  }
  const y = torch.randint(0, 5, [64]);
  const lossFn = new nn.CrossEntropyLoss();
  const params = model.parameters();
  for (let i = 0; i < 150; i++) {
    for (const p of params) p.grad = null;
    lossFn(model(x), y).backward();
    if (skipFirst && i % 3 === 0) params[0].grad = null;
    step(params);
  }
  return params.map(bits);
}

for (const [name, h, decoupled, dtypeName] of CASES) {
  test(`${name}: 150 steps give _single_tensor_adam's weights bit for bit`, (t) => {
    const state = new Map<Tensor, Record<string, Tensor>>();
    const want = train(dtypeName, (params) => referenceStep(params, state, h, decoupled));
    let opt: optim.Optimizer | undefined;
    const got = train(dtypeName, (params) => {
      opt ??= decoupled ? new optim.AdamW(params, h) : new optim.Adam(params, h);
      opt.step();
    });
    t.is(got.length, want.length);
    got.forEach((g, i) => t.is(g, want[i], `parameter ${i} differs`));
  });
}

test('Adam: parameters at different step counts (one skipped every third step) still get _single_tensor_adam\'s weights', (t) => {
  // Their bias corrections differ, so the divisors go as a list of numbers
  // instead of one shared tensor.
  const h: Hyper = { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false };
  const state = new Map<Tensor, Record<string, Tensor>>();
  const want = train('float32', (params) => referenceStep(params, state, h, false), true);
  let opt: optim.Optimizer | undefined;
  const got = train('float32', (params) => {
    opt ??= new optim.Adam(params, h);
    opt.step();
  }, true);
  got.forEach((g, i) => t.is(g, want[i], `parameter ${i} differs`));
});

interface SgdHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
}

/** torch/optim/sgd.py's _single_tensor_sgd, numbers as operands. */
function referenceSgdStep(params: Tensor[], buffers: Map<Tensor, Tensor>, h: SgdHyper): void {
  torch.no_grad(() => {
    for (const param of params) {
      let d_p = h.maximize ? param.grad!.neg() : param.grad!;
      if (h.weight_decay !== 0) d_p = d_p.add(param, { alpha: h.weight_decay });
      if (h.momentum !== 0) {
        let buf = buffers.get(param);
        if (!buf) {
          buf = d_p.clone().detach();
          buffers.set(param, buf);
        } else {
          buf.mul_(h.momentum).add_(d_p, { alpha: 1 - h.dampening });
        }
        d_p = h.nesterov ? d_p.add(buf, { alpha: h.momentum }) : buf;
      }
      param.add_(d_p, { alpha: -h.lr });
    }
  });
}

const SGD_CASES: [string, SgdHyper, Dtype][] = [
  ['SGD, momentum', { lr: 0.05, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false }, 'float32'],
  ['SGD, Nesterov and weight decay in float64', { lr: 0.05, momentum: 0.9, dampening: 0, weight_decay: 1e-3, nesterov: true, maximize: false }, 'float64'],
  ['SGD, dampening and maximize', { lr: 0.01, momentum: 0.5, dampening: 0.1, weight_decay: 0, nesterov: false, maximize: true }, 'float32'],
  ['SGD, momentum in bfloat16', { lr: 0.05, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false }, 'bfloat16'],
];

for (const [name, h, dtypeName] of SGD_CASES) {
  test(`${name}: 150 steps give _single_tensor_sgd's weights bit for bit`, (t) => {
    const buffers = new Map<Tensor, Tensor>();
    const want = train(dtypeName, (params) => referenceSgdStep(params, buffers, h));
    let opt: optim.Optimizer | undefined;
    const got = train(dtypeName, (params) => {
      opt ??= new optim.SGD(params, h);
      opt.step();
    });
    t.is(got.length, want.length);
    got.forEach((g, i) => t.is(g, want[i], `parameter ${i} differs`));
  });
}

test('scalar operands: -0 and 0 are different operands, and a list is one cached array of the operand', (t) => {
  const operands = new ScalarOperands();
  const negZero = operands.of(-0, torch.float32);
  const zero = operands.of(0, torch.float32);
  t.true(Object.is(negZero.item(), -0));
  t.true(Object.is(zero.item(), 0));
  t.is(operands.of(0.9, torch.float64).dtype, torch.float64);
  t.is(operands.of(0.9, torch.float32).item(), Math.fround(0.9));
  const list = operands.list(0.9, torch.float32, 3);
  t.is(list.length, 3);
  t.true(list.every((x) => x === operands.of(0.9, torch.float32)));
  t.is(operands.list(0.9, torch.float32, 3), list);
  t.is(operands.list(0.9, torch.float32, 2).length, 2);
  operands.clear();
  t.true(negZero.is_disposed);
});

test('scalar operands: a refilled operand is one tensor per name and dtype, holding the latest value as ATen casts it', (t) => {
  const operands = new ScalarOperands();
  const first = operands.refilled('divisor', 0.1, torch.float32, 4);
  t.is(first.length, 4);
  t.is(first[0].item(), Math.fround(0.1));
  const second = operands.refilled('divisor', 0.3, torch.float32, 4);
  t.is(second, first);
  t.is(first[0].item(), Math.fround(0.3));
  t.is(operands.refilled('divisor', 0.3, torch.float64, 4)[0].item(), 0.3);
  t.not(operands.refilled('other', 0.3, torch.float32, 4)[0], first[0]);
  // Forty constants overflow the constants' cache; the refilled operand stays.
  for (let i = 0; i < 40; i++) operands.of(i + 0.5, torch.float32);
  t.false(first[0].is_disposed);
  operands.clear();
  t.true(first[0].is_disposed);
});
