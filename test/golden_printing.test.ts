// Printed forms against Python PyTorch 1.13's repr (scripts/golden/printing.py).
import { inspect } from 'node:util';
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { decodeNumber, dtypeNamed, fixture, type EncodedNumber } from './_helpers';

interface Recipe {
  make: 'tensor' | 'randn' | 'rand' | 'arange' | 'zeros' | 'ones';
  data?: unknown;
  dtype?: string;
  seed?: number;
  shape?: number[];
  end?: number;
  scale?: number;
  requires_grad?: boolean;
  then?: [string, ...(number | string)[]][];
}

const golden = fixture<{ cases: { recipe: Recipe; repr: string }[]; sizes: { shape: number[]; repr: string }[] }>(
  'printing.json',
);

function decode(v: unknown): unknown {
  return Array.isArray(v) ? v.map(decode) : decodeNumber(v as EncodedNumber);
}

// The same steps as build() in scripts/golden/printing.py.
function build(r: Recipe): Tensor {
  const opts = r.dtype ? { dtype: dtypeNamed(r.dtype) } : {};
  let t: Tensor;
  switch (r.make) {
    case 'tensor':
      t = torch.tensor(decode(r.data) as number[], opts);
      break;
    case 'randn':
    case 'rand':
      torch.manual_seed(r.seed!);
      t = torch[r.make](r.shape!, opts);
      break;
    case 'arange':
      t = torch.arange(r.end!, opts);
      break;
    case 'zeros':
    case 'ones':
      t = torch[r.make](r.shape!, opts);
      break;
  }
  if (r.scale !== undefined) t = t.mul(r.scale);
  if (r.shape && (r.make === 'arange' || r.make === 'tensor')) t = t.reshape(r.shape);
  if (r.requires_grad) t.requires_grad_(true);
  for (const [name, ...args] of r.then ?? []) {
    const resolved = args.map((a) => (a === 'self' ? t : a === 'selfT' ? t.t() : a));
    t = (t as any)[name](...resolved);
  }
  return t;
}

test('the fixture covers at least 40 printed tensors', (t) => {
  t.true(golden.cases.length >= 40);
});

for (const c of golden.cases) {
  test(`prints as PyTorch: ${JSON.stringify(c.recipe)}`, (t) => {
    const tensor = build(c.recipe);
    t.is(tensor.toString(), c.repr);
    t.is(inspect(tensor), c.repr);
  });
}

for (const s of golden.sizes) {
  test(`torch.Size prints as PyTorch: ${JSON.stringify(s.shape)}`, (t) => {
    const shape = torch.zeros(s.shape).shape;
    t.is(String(shape), s.repr);
    t.is(inspect(shape), s.repr);
  });
}

test('console.log of a tensor shows its repr', (t) => {
  const x = torch.tensor([0.8, 0.6, 0.4]);
  t.is(inspect({ x }), '{ x: tensor([0.8000, 0.6000, 0.4000]) }');
});
