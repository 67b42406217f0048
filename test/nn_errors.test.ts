// Bad input to nn and optim: a clear error naming the problem, and the
// process lives on.
import test from 'ava';

import torch, { nn, optim } from '../lib';
import * as F from '../lib/nn/functional';
import { libtorchAtLeast } from '../lib/_libtorch_version';

type Case = [name: string, call: () => unknown, message: RegExp, kind?: new (...a: any[]) => Error];

const lin = () => new nn.Linear(2, 2);

const CASES: Case[] = [
  ['Linear(784, 32) fed a [32, 100] input', () => new nn.Linear(784, 32)(torch.randn(32, 100)), /input of shape \[32, 100\].*should be 784.*\(32x100 and 784x32\)/, RangeError],
  ['a fractional in_features', () => new nn.Linear(1.5, 3), /^Linear\(\): argument 'in_features' \(position 1\) must be int, not number 1\.5$/, TypeError],
  ['a negative in_features', () => new nn.Linear(-1, 3), /in_features must be a non-negative integer, got -1/, TypeError],
  ['a string out_features', () => new nn.Linear(3, '4' as any), /^Linear\(\): argument 'out_features' \(position 2\) must be int, not string '4'$/, TypeError],
  ['an optimizer given no parameters', () => new optim.SGD([], { lr: 0.1 }), /optimizer got an empty parameter list/, RangeError],
  ['an optimizer given a number as a parameter', () => new optim.SGD([1 as any], { lr: 0.1 }), /optimizer can only optimize Tensors, but one of the params is number/, TypeError],
  ['an optimizer given a single Tensor', () => new optim.Adam(torch.ones(2) as any), /should be an iterable of Tensors or dicts/, TypeError],
  ['an optimizer given a non-leaf tensor', () => new optim.SGD([torch.ones(2, { requires_grad: true }).mul(2)], { lr: 0.1 }), /can't optimize a non-leaf Tensor/, RangeError],
  // (PyTorch 2's SGD defaults lr to 1e-3: see the test below)
  ...(libtorchAtLeast(2) ? [] : [['SGD without lr', () => new optim.SGD(lin().parameters(), {} as any), /didn't specify a value of required optimization parameter lr/, TypeError] as Case]),
  ['a negative lr', () => new optim.SGD(lin().parameters(), { lr: -1 }), /Invalid learning rate: -1/, RangeError],
  ['a negative Adam lr', () => new optim.Adam(lin().parameters(), { lr: -0.5 }), /Invalid learning rate: -0\.5/, RangeError],
  ['beta1 of 1', () => new optim.Adam(lin().parameters(), { betas: [1, 0.999] }), /Invalid beta parameter at index 0: 1/, RangeError],
  ['beta2 below 0', () => new optim.AdamW(lin().parameters(), { betas: [0.9, -0.1] }), /Invalid beta parameter at index 1: -0\.1/, RangeError],
  ['a negative eps', () => new optim.Adam(lin().parameters(), { eps: -1 }), /Invalid epsilon value: -1/, RangeError],
  ['a negative momentum', () => new optim.SGD(lin().parameters(), { lr: 0.1, momentum: -0.5 }), /Invalid momentum value: -0\.5/, RangeError],
  ['nesterov without momentum', () => new optim.SGD(lin().parameters(), { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum and zero dampening/, RangeError],
  ['a parameter in two groups', () => { const m = lin(); const o = new optim.SGD(m.parameters(), { lr: 1 }); o.add_param_group({ params: [m.weight] }); }, /some parameters appear in more than one parameter group/, RangeError],
  ['CrossEntropyLoss with a target out of range', () => new nn.CrossEntropyLoss()(torch.randn(4, 3), torch.tensor([0, 1, 5, 1])), /Target 5 is out of bounds/, RangeError],
  ['CrossEntropyLoss with a negative target', () => new nn.CrossEntropyLoss()(torch.randn(4, 3), torch.tensor([0, -2, 1, 1])), /Target -2 is out of bounds/, RangeError],
  ['CrossEntropyLoss with a float target', () => new nn.CrossEntropyLoss()(torch.randn(4, 3), torch.tensor([0, 1, 2, 1], { dtype: torch.float })), /target has dtype torch\.float32 and shape \[4\]; class-index targets must be int64/, TypeError],
  ['NLLLoss with a float target', () => F.nll_loss(torch.randn(4, 3), torch.zeros(4)), /nll_loss: target has dtype torch\.float32/, TypeError],
  ['CrossEntropyLoss with mismatched batch sizes', () => new nn.CrossEntropyLoss()(torch.randn(4, 3), torch.tensor([0, 1])), /Expected input batch_size \(4\) to match target batch_size \(2\)/],
  ['an unknown reduction', () => new nn.MSELoss({ reduction: 'avg' as any }), /avg is not a valid value for reduction/, RangeError],
  ['label_smoothing above 1', () => new nn.CrossEntropyLoss({ label_smoothing: 2 }), /label_smoothing must be between 0\.0 and 1\.0/, RangeError],
  ['BCEWithLogits with mismatched shapes', () => new nn.BCEWithLogitsLoss()(torch.randn(3), torch.ones(4)), /Target size \(torch\.Size\(\[4\]\)\) must be the same as input size \(torch\.Size\(\[3\]\)\)/, RangeError],
  ['MSELoss with shapes that do not broadcast', () => new nn.MSELoss()(torch.randn(3), torch.ones(4)), /size of tensor a \(3\) must match the size of tensor b \(4\)/],
  ['load_state_dict with a missing key', () => lin().load_state_dict({ weight: torch.zeros(2, 2) }), /Error\(s\) in loading state_dict for Linear:\n\tMissing key\(s\) in state_dict: "bias"\. /],
  ['load_state_dict with an unexpected key', () => lin().load_state_dict({ ...lin().state_dict(), extra: torch.zeros(1) }), /Unexpected key\(s\) in state_dict: "extra"\. /],
  ['load_state_dict with a wrongly shaped key', () => lin().load_state_dict({ weight: torch.zeros(3, 2), bias: torch.zeros(2) }), /size mismatch for weight: copying a param with shape torch\.Size\(\[3, 2\]\) from checkpoint, the shape in current model is torch\.Size\(\[2, 2\]\)\./],
  ['load_state_dict with a non-tensor value', () => lin().load_state_dict({ weight: 5 as any, bias: torch.zeros(2) }), /expected torch\.Tensor or Tensor-like object from checkpoint but received number/],
  ['Dropout with p above 1', () => new nn.Dropout(1.5), /dropout probability has to be between 0 and 1, but got 1\.5/, RangeError],
  ['BatchNorm1d fed a 4-D input', () => new nn.BatchNorm1d(3)(torch.randn(2, 3, 4, 4)), /expected 2D or 3D input \(got 4D input\)/, RangeError],
  ['BatchNorm1d training on one value per channel', () => new nn.BatchNorm1d(3)(torch.randn(1, 3)), /Expected more than 1 value per channel when training/, RangeError],
  ['Conv2d fed the wrong number of channels', () => new nn.Conv2d(1, 4, 3)(torch.randn(2, 3, 8, 8)), /expected input\[2, 3, 8, 8\] to have 1 channels, but got 3 channels instead/],
  ['Conv2d with channels not divisible by groups', () => new nn.Conv2d(3, 4, 3, { groups: 2 }), /in_channels must be divisible by groups/, RangeError],
  ['Softmax over a dimension that does not exist', () => new nn.Softmax(3)(torch.randn(2, 2)), /Dimension out of range/, RangeError],
  ['register_parameter with a plain tensor', () => new nn.Module().register_parameter('w', torch.zeros(1) as any), /cannot assign 'torch\.FloatTensor' object to parameter 'w' \(torch\.nn\.Parameter or None required\)/, TypeError],
  ['a module name with a dot', () => new nn.Module().register_module('a.b', lin()), /module name can't contain "\.", got: a\.b/],
  ['a Module without forward', () => new nn.Module()(torch.ones(1)), /Module \[Module\] is missing the required "forward" function/],
  ['Module.to an integer dtype', () => lin().to(torch.int64), /nn\.Module\.to only accepts floating point or complex dtypes, but got desired dtype=torch\.int64/, TypeError],
  ['Parameter of a non-tensor', () => new nn.Parameter([1, 2] as any), /^Parameter\(\): argument 'data' \(position 1\) must be Tensor or null, not an array$/, TypeError],
  ['kaiming init of a 1-D tensor', () => nn.init.kaiming_uniform_(torch.empty(3)), /Fan in and fan out can not be computed for tensor with fewer than 2 dimensions/, RangeError],
  ['an unknown nonlinearity', () => nn.init.calculate_gain('swish' as any), /Unsupported nonlinearity swish/, TypeError],
  ['StepLR with a zero step_size', () => new optim.lr_scheduler.StepLR(new optim.SGD(lin().parameters(), { lr: 1 }), { step_size: 0 }), /step_size must be a positive integer, got 0/, TypeError],
];

test(`nn and optim bad inputs are covered (${CASES.length})`, (t) => {
  t.true(CASES.length >= 30);
});

for (const [name, call, message, kind] of CASES) {
  test(`bad input: ${name}`, (t) => {
    const err = t.throws(call);
    if (kind) t.true(err instanceof kind, `expected a ${kind.name}, got ${err!.constructor.name}: ${err!.message}`);
    t.regex(err!.message, message);
    t.notRegex(err!.message, /Exception raised from|frame #\d/);
  });
}

test("SGD without lr: Python 1.13's error, or 2.x's default of 1e-3", (t) => {
  if (libtorchAtLeast(2)) t.is(new optim.SGD(lin().parameters(), {} as any).param_groups[0].lr, 1e-3);
  else t.throws(() => new optim.SGD(lin().parameters(), {} as any), { instanceOf: TypeError });
});
