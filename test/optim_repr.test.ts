// print(optimizer) as Python prints it (scripts/golden/optim_repr.py): every
// optimizer of 1.13 with its defaults and with hyperparameters given, two
// param groups, a scheduler's initial_lr; floats by Python's repr (1e-08,
// 1000000.0), groups apart by an empty line.
import test from 'ava';

import torch, { nn, optim } from '../lib';
import { fixture } from './_helpers';

const golden = fixture<{ defaults: Record<string, string>; given: Record<string, string> }>('optim_repr.json');
const params = () => [new nn.Parameter(torch.zeros(2))];

for (const [name, want] of Object.entries(golden.defaults)) {
  test(`${name} with its defaults prints as Python's`, (t) => {
    const make = (optim as any)[name];
    t.is(String(new make(params(), ...(name === 'SGD' ? [{ lr: 0.5 }] : []))), want);
  });
}

const GIVEN: Record<string, () => optim.Optimizer> = {
  adam: () => new optim.Adam(params(), { lr: 0.04, betas: [0.8, 0.95], eps: 1e-7, weight_decay: 0.25, amsgrad: true }),
  sgd: () => new optim.SGD(params(), { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 5e-4 }),
  lbfgs: () => new optim.LBFGS(params(), { lr: 0.5, line_search_fn: 'strong_wolfe', tolerance_grad: 1e-12 }),
  rprop: () => new optim.Rprop(params(), { etas: [0.25, 1.5], step_sizes: [1e-9, 12.5] }),
  rmsprop: () => new optim.RMSprop(params(), { lr: 1e-20, alpha: 0.5, centered: true }),
  two_groups: () => new optim.SGD([{ params: params() }, { params: params(), lr: 0.01, momentum: 0.5 }], { lr: 0.3 }),
  after_scheduler: () => {
    const o = new optim.Adam(params(), { lr: 0.002 });
    new optim.lr_scheduler.StepLR(o, { step_size: 3 });
    return o;
  },
};

test('every given case of the Python script is built here', (t) => {
  t.deepEqual(Object.keys(GIVEN).sort(), Object.keys(golden.given).sort());
});

for (const [name, make] of Object.entries(GIVEN)) {
  test(`${name}: an optimizer with hyperparameters given prints as Python's`, (t) => {
    t.is(String(make()), golden.given[name]);
  });
}
