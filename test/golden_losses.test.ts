// Loss functions against Python (scripts/golden/losses.py): each value and
// the gradient it sends back to its input.
import test from 'ava';

import torch, { nn, type Tensor } from '../lib';
import * as F from '../lib/nn/functional';
import { assertTensorMatches, decodeTensor, fixture, type EncodedTensor } from './_helpers';

const golden = fixture<{
  inputs: Record<string, EncodedTensor>;
  cases: Record<string, { input: string; target: string; loss: EncodedTensor; grad: EncodedTensor }>;
  functional: Record<string, EncodedTensor>;
}>('losses.json');

const inputs = (): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(golden.inputs).map(([k, v]) => [k, decodeTensor(v)]));

const CASES: Record<string, (x: Tensor, target: Tensor, i: Record<string, Tensor>) => Tensor> = {
  cross_entropy: (x, y) => new nn.CrossEntropyLoss()(x, y),
  cross_entropy_sum: (x, y) => new nn.CrossEntropyLoss({ reduction: 'sum' })(x, y),
  cross_entropy_none: (x, y) => new nn.CrossEntropyLoss({ reduction: 'none' })(x, y),
  cross_entropy_weight: (x, y, i) => new nn.CrossEntropyLoss({ weight: i.class_weight })(x, y),
  cross_entropy_ignore: (x, y) => new nn.CrossEntropyLoss()(x, y),
  cross_entropy_ignore_3: (x, y) => new nn.CrossEntropyLoss({ ignore_index: 2 })(x, y),
  cross_entropy_smoothing: (x, y) => new nn.CrossEntropyLoss({ label_smoothing: 0.1 })(x, y),
  cross_entropy_probs: (x, y) => new nn.CrossEntropyLoss()(x, y),
  cross_entropy_nd: (x, y) => new nn.CrossEntropyLoss()(x, y),
  nll: (x, y) => new nn.NLLLoss()(new nn.LogSoftmax(1)(x), y),
  mse: (x, y) => new nn.MSELoss()(x, y),
  mse_sum: (x, y) => new nn.MSELoss({ reduction: 'sum' })(x, y),
  l1: (x, y) => new nn.L1Loss()(x, y),
  l1_none: (x, y) => new nn.L1Loss({ reduction: 'none' })(x, y),
  bce_logits: (x, y) => new nn.BCEWithLogitsLoss()(x, y),
  bce_logits_pos_weight: (x, y, i) => new nn.BCEWithLogitsLoss({ pos_weight: i.pos_weight })(x, y),
};

test('every golden loss has a TypeScript twin', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), Object.keys(golden.cases).sort());
});

for (const [name, c] of Object.entries(golden.cases)) {
  test(`loss ${name}: value and input gradient match Python`, (t) => {
    const i = inputs();
    const x = i[c.input].clone().requires_grad_(true);
    const loss = CASES[name](x, i[c.target], i);
    loss.sum().backward();
    assertTensorMatches(t, loss, c.loss, `${name} loss`);
    assertTensorMatches(t, x.grad!, c.grad, `${name} grad`);
  });
}

test('nn.functional matches Python', (t) => {
  const i = inputs();
  const got: Record<string, Tensor> = {
    'F.cross_entropy': F.cross_entropy(i.logits, i.target),
    'F.nll_loss': F.nll_loss(i.logits.log_softmax(1), i.target, { reduction: 'sum' }),
    'F.mse_loss': F.mse_loss(i.pred, i.real),
    'F.l1_loss': F.l1_loss(i.pred, i.real, { reduction: 'sum' }),
    'F.binary_cross_entropy_with_logits': F.binary_cross_entropy_with_logits(i.pred, i.binary),
    'F.linear': F.linear(i.pred, i.real, i.real.index(torch.slice(), 0)),
    'F.relu': F.relu(i.pred),
    'F.softmax': F.softmax(i.pred, 0),
    'F.log_softmax': F.log_softmax(i.pred, 1),
  };
  for (const [name, want] of Object.entries(golden.functional)) assertTensorMatches(t, got[name], want, name);
});
