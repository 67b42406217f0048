// torch.jit against Python (scripts/golden/jit.py): TorchScript modules
// scripted in Python run in torchts with Python's outputs, train, move, and
// round-trip through jit.save back into Python.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import torch, { nn, optim } from '../lib';
import { assertTensorMatches, decodeTensor, fixture } from './_helpers';

const dir = path.join(__dirname, 'fixtures', 'jit');
const golden = fixture<any>('jit.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-jit-'));

test("a scripted MLP and a small CNN from Python give Python's outputs", (t) => {
  for (const name of ['mlp', 'cnn']) {
    const m = torch.jit.load(path.join(dir, `${name}.pt`));
    t.true(m instanceof nn.Module);
    assertTensorMatches(t, m(decodeTensor(golden[name].input)), golden[name].output, name);
    t.deepEqual(m.named_parameters().map(([n, p]) => [n, [...p.shape]]), golden[name].parameters);
  }
});

test('state_dict, buffers and parameters of a ScriptModule are named as in Python', (t) => {
  const cnn = torch.jit.load(path.join(dir, 'cnn.pt'));
  t.deepEqual(Object.keys(cnn.state_dict()), golden.cnn.state_dict_keys);
  t.deepEqual(cnn.named_buffers().map(([n]) => n), golden.cnn.buffers);
  t.true(cnn.parameters().every((p) => p instanceof nn.Parameter && p.requires_grad));
  t.is(cnn.parameters()[0], cnn.parameters()[0]);
  t.false(cnn.training);
  cnn.train();
  t.true(cnn.training);
  cnn.eval();
  t.false(cnn.training);
});

test('methods with several inputs and outputs; whole numbers for float arguments', (t) => {
  const m = torch.jit.load(path.join(dir, 'two_outputs.pt'));
  const [y0, y1] = m(decodeTensor(golden.two_outputs.input), golden.two_outputs.scale);
  assertTensorMatches(t, y0, golden.two_outputs.outputs[0], 'y0');
  assertTensorMatches(t, y1, golden.two_outputs.outputs[1], 'y1');
  const [z0] = m(decodeTensor(golden.two_outputs.input), 2);
  t.deepEqual([...z0.shape], [4, 2]);
});

test('a ScriptModule trains: gradients reach its parameters and an optimizer step changes its output', (t) => {
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  const x = decodeTensor(golden.mlp.input);
  const before = m(x).detach();
  const opt = new optim.SGD(m.parameters(), { lr: 0.5 });
  m(x).pow(2).sum().backward();
  t.true(m.parameters().every((p) => p.grad !== null));
  opt.step();
  t.false(m(x).equal(before));
});

test('to(float64) converts a ScriptModule', (t) => {
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  m.to(torch.float64);
  t.is(m.parameters()[0].dtype, torch.float64);
  t.is(m(decodeTensor(golden.mlp.input).double()).dtype, torch.float64);
});

test('jit.save round-trips, and Python runs what torchts saved', (t) => {
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  const file = path.join(tmp, 'mlp_again.pt');
  torch.jit.save(m, file);
  const x = decodeTensor(golden.mlp.input);
  assertTensorMatches(t, torch.jit.load(file)(x), golden.mlp.output, 'reloaded in torchts');
  const script = path.join(__dirname, '..', 'scripts', 'golden', 'jit.py');
  const out = JSON.parse(execFileSync('/usr/bin/python3', [script, 'check', file, JSON.stringify(x.tolist())], { encoding: 'utf8' }));
  assertTensorMatches(t, m(x), out, 'run by Python');
});

test('bad TorchScript input is a clear error and the process lives', (t) => {
  t.regex(t.throws(() => torch.jit.load(path.join(tmp, 'missing.pt')))!.message, /torch\.jit\.load: no such file: .*missing\.pt/);
  const truncated = path.join(tmp, 'truncated.pt');
  fs.writeFileSync(truncated, fs.readFileSync(path.join(dir, 'mlp.pt')).subarray(0, 500));
  t.regex(t.throws(() => torch.jit.load(truncated))!.message, /cannot load .*truncated\.pt: .*zip archive/);
  const flipped = path.join(tmp, 'flipped.pt');
  const bytes = Buffer.from(fs.readFileSync(path.join(dir, 'mlp.pt')));
  const weight = torch.jit.load(path.join(dir, 'mlp.pt')).parameters()[0];
  bytes[bytes.indexOf(Buffer.from((weight.detach().toTypedArray() as Float32Array).buffer).subarray(0, 8)) + 2] ^= 0x01;
  fs.writeFileSync(flipped, bytes);
  t.regex(t.throws(() => torch.jit.load(flipped))!.message, /torch\.jit\.load: .*flipped\.pt: record .* is corrupt/);
  const stateDict = path.join(__dirname, 'fixtures', 'serialization', 'mlp_state_dict.pt');
  t.regex(t.throws(() => torch.jit.load(stateDict))!.message, /cannot load .*mlp_state_dict\.pt/);
  const m = torch.jit.load(path.join(dir, 'mlp.pt'));
  t.regex(t.throws(() => m('not a tensor'))!.message, /Expected a value of type 'Tensor' for argument 'input' but instead found type 'str'/);
  t.regex(t.throws(() => m())!.message, /forward\(\) is missing value for argument 'input'/);
  t.regex(t.throws(() => m(torch.ones(2, 5)))!.message, /mat1 and mat2 shapes cannot be multiplied \(2x5 and 16x8\)/);
  t.regex(t.throws(() => m.run_method('nope'))!.message, /has no method 'nope'/);
  t.regex(t.throws(() => m((() => 1) as any))!.message, /cannot pass a function to a TorchScript method/);
  t.regex(t.throws(() => torch.jit.save(new nn.Linear(1, 1) as any, path.join(tmp, 'x.pt')))!.message, /only a ScriptModule/);
});
