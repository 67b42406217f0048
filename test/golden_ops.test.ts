// Op results against Python PyTorch 1.13 (scripts/golden/ops.py).
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { assertTensorMatches, decodeTensor, dtypeNamed, fixture, type EncodedTensor } from './_helpers';

interface Case {
  op: string;
  self: string | null;
  args: unknown[];
  kwargs: Record<string, unknown>;
  result: { tensor: EncodedTensor } | { tuple: EncodedTensor[] };
}

const golden = fixture<{ inputs: Record<string, EncodedTensor>; cases: Case[] }>('ops.json');

function resolve(arg: any, inputs: Record<string, Tensor>): any {
  if (Array.isArray(arg)) return arg.map((a) => resolve(a, inputs));
  if (arg !== null && typeof arg === 'object') {
    if ('tensor' in arg) return inputs[arg.tensor];
    if ('slice' in arg) return new torch.Slice(...(arg.slice as [number | null, number | null, number | null]));
    if ('dtype' in arg) return dtypeNamed(arg.dtype);
  }
  return arg;
}

function describe(c: Case): string {
  const args = JSON.stringify(c.args).slice(1, -1);
  const kw = Object.keys(c.kwargs).length ? `, ${JSON.stringify(c.kwargs)}` : '';
  return c.self === null ? `torch.${c.op}(${args}${kw})` : `${c.self}.${c.op}(${args}${kw})`;
}

test('the fixture covers at least 60 op results', (t) => {
  t.true(golden.cases.length >= 60);
});

for (const c of golden.cases) {
  test(`golden op: ${describe(c)}`, (t) => {
    const inputs = Object.fromEntries(Object.entries(golden.inputs).map(([k, v]) => [k, decodeTensor(v)]));
    const args = resolve(c.args, inputs);
    if (Object.keys(c.kwargs).length) args.push(c.kwargs);
    const result = c.self === null ? (torch as any)[c.op](...args) : (inputs[c.self] as any)[c.op](...args);
    if ('tensor' in c.result) {
      assertTensorMatches(t, result, c.result.tensor, describe(c));
    } else {
      t.is(result.length, c.result.tuple.length);
      c.result.tuple.forEach((e, k) => assertTensorMatches(t, result[k], e, `${describe(c)}[${k}]`));
    }
  });
}
