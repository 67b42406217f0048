// nn.Module's behaviour: discovery from fields, containers, modes, moving,
// state dicts, and a module's call.
import test from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import { SimpleMLP } from '../examples/notebook_models';
import { libtorchAtLeast } from '../lib/_libtorch_version';

class TwoLayer extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  act = new nn.ReLU();
  fc2 = new nn.Linear(3, 2);

  override forward(x: Tensor): Tensor {
    return this.fc2(this.act(this.fc1(x)));
  }
}

test('a module is callable and its call runs forward', (t) => {
  const m = new TwoLayer();
  const x = torch.randn(5, 4);
  t.true(m(x).equal(m.forward(x)));
  t.true(m instanceof nn.Module);
  t.is(typeof m, 'function');
});

test('parameters, children and modules come from fields in assignment order', (t) => {
  const m = new TwoLayer();
  t.deepEqual(m.named_parameters().map(([n]) => n), ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  t.deepEqual(m.named_children().map(([n]) => n), ['fc1', 'act', 'fc2']);
  t.deepEqual(m.named_modules().map(([n]) => n), ['', 'fc1', 'act', 'fc2']);
  t.is(m.children().length, 3);
  t.is(m.modules()[0], m);
  t.true(m.parameters().every((p) => p instanceof nn.Parameter && p instanceof torch.Tensor && p.requires_grad));
  t.deepEqual(m.parameters({ recurse: false }), []);
});

test('a module shared twice is listed once, as in Python', (t) => {
  const shared = new nn.Linear(2, 2);
  const seq = new nn.Sequential(shared, new nn.ReLU(), shared);
  t.is(seq.parameters().length, 2);
  t.deepEqual(seq.named_parameters().map(([n]) => n), ['0.weight', '0.bias']);
});

test('Sequential: index, length, iteration, append, at, slice', (t) => {
  const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
  t.is(seq.length, 2);
  t.true(seq[0] instanceof nn.Linear);
  t.true(seq.at(-1) instanceof nn.ReLU);
  seq.append(new nn.Linear(3, 1));
  t.is(seq.length, 3);
  t.deepEqual([...seq].map((m) => m._get_name()), ['Linear', 'ReLU', 'Linear']);
  t.is(seq.slice(1).length, 2);
  t.deepEqual([...seq(torch.ones(4, 2)).shape], [4, 1]);
  t.deepEqual(seq.named_children().map(([n]) => n), ['0', '1', '2']);
});

test('ModuleList and ModuleDict register their modules', (t) => {
  const list = new nn.ModuleList([new nn.Linear(1, 1)]);
  list.append(new nn.Linear(1, 2));
  list.extend([new nn.Linear(2, 2)]);
  list.insert(0, new nn.Identity());
  t.is(list.length, 4);
  t.true(list[0] instanceof nn.Identity);
  t.deepEqual(list.named_parameters().map(([n]) => n), ['1.weight', '1.bias', '2.weight', '2.bias', '3.weight', '3.bias']);
  const dict = new nn.ModuleDict({ enc: new nn.Linear(2, 2), act: new nn.Tanh() });
  t.deepEqual(dict.keys(), ['enc', 'act']);
  t.true(dict.enc instanceof nn.Linear);
  t.deepEqual(dict.named_parameters().map(([n]) => n), ['enc.weight', 'enc.bias']);
});

test('train() and eval() reach every submodule', (t) => {
  const m = new SimpleMLP([4, 3, 2]);
  m.eval();
  t.true(m.modules().every((x) => x.training === false));
  m.train();
  t.true(m.modules().every((x) => x.training === true));
});

test('Dropout is the identity in eval mode', (t) => {
  const d = new nn.Dropout(0.5);
  const x = torch.ones(100);
  d.eval();
  t.true(d(x).equal(x));
  d.train();
  t.false(d(x).equal(x));
});

test('buffers: registered, in state_dict unless non-persistent', (t) => {
  const bn = new nn.BatchNorm1d(3);
  t.deepEqual(bn.named_buffers().map(([n]) => n), ['running_mean', 'running_var', 'num_batches_tracked']);
  t.deepEqual(Object.keys(bn.state_dict()), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
  const m = new nn.Module();
  m.register_buffer('scratch', torch.zeros(2), { persistent: false });
  t.is(m.buffers().length, 1);
  t.deepEqual(Object.keys(m.state_dict()), []);
});

test("zero_grad zeroes gradients with set_to_none: false, drops them with true, and defaults as the loaded PyTorch (1.13: false, 2.x: true)", (t) => {
  const m = new TwoLayer();
  m(torch.randn(2, 4)).sum().backward();
  m.zero_grad({ set_to_none: false });
  t.true(m.parameters().every((p) => p.grad !== null && p.grad.abs().sum().item() === 0));
  m.zero_grad({ set_to_none: true });
  t.true(m.parameters().every((p) => p.grad === null));
  m(torch.randn(2, 4)).sum().backward();
  const opt = new torch.optim.SGD(m.parameters(), { lr: 0.1 });
  opt.zero_grad();
  const zeroes = !libtorchAtLeast(2);
  t.true(m.parameters().every((p) => (zeroes ? p.grad !== null && p.grad.abs().sum().item() === 0 : p.grad === null)));
  m(torch.randn(2, 4)).sum().backward();
  m.zero_grad();
  t.true(m.parameters().every((p) => (zeroes ? p.grad !== null : p.grad === null)));
});

test('state_dict round-trips through load_state_dict', (t) => {
  const a = new TwoLayer();
  const b = new TwoLayer();
  const sd = a.state_dict();
  t.false(sd['fc1.weight'].requires_grad);
  const result = b.load_state_dict(sd);
  t.deepEqual([...result], [[], []]);
  t.is(String(result), '<All keys matched successfully>');
  const x = torch.randn(3, 4);
  t.true(a(x).equal(b(x)));
  t.true(b.fc1.weight.requires_grad);
});

test('load_state_dict with strict: false reports missing and unexpected keys', (t) => {
  const m = new TwoLayer();
  const sd = m.state_dict();
  delete sd['fc2.bias'];
  sd['extra.weight'] = torch.zeros(1);
  const r = new TwoLayer().load_state_dict(sd, { strict: false });
  // Python returns the unexpected keys whether strict or not:
  // _IncompatibleKeys(missing_keys=['fc2.bias'], unexpected_keys=['extra.weight'])
  t.deepEqual(r.missing_keys, ['fc2.bias']);
  t.deepEqual(r.unexpected_keys, ['extra.weight']);
  const [missing, unexpected] = r as unknown as [string[], string[]];
  t.deepEqual([missing, unexpected], [['fc2.bias'], ['extra.weight']]);
  t.is(String(r), "_IncompatibleKeys(missing_keys=['fc2.bias'], unexpected_keys=['extra.weight'])");
});

test('to(dtype) converts parameters in place, keeping their identity for the optimizer', (t) => {
  const m = new TwoLayer();
  const before = m.parameters();
  const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
  m.to(torch.float64);
  t.true(m.parameters().every((p, i) => p === before[i] && p.dtype === torch.float64));
  m(torch.randn(2, 4, { dtype: torch.float64 })).sum().backward();
  opt.step();
  t.is(m.fc1.weight.dtype, torch.float64);
  m.float();
  t.is(m.fc1.weight.dtype, torch.float32);
  t.is(m.to('cpu'), m);
});

test('requires_grad_(false) freezes and apply() visits children before the parent', (t) => {
  const m = new TwoLayer();
  m.requires_grad_(false);
  t.true(m.parameters().every((p) => !p.requires_grad));
  const seen: string[] = [];
  m.apply((x) => seen.push(x._get_name()));
  t.deepEqual(seen, ['Linear', 'ReLU', 'Linear', 'TwoLayer']);
});

test('get_submodule and get_parameter follow dotted names', (t) => {
  const m = new SimpleMLP([4, 3, 2]);
  t.true(m.get_submodule('layers.0') instanceof nn.Linear);
  t.is(m.get_parameter('layers.2.bias').shape[0], 2);
});

test('Parameter shares its data, requires grad and prints as Python', (t) => {
  const data = torch.zeros(2);
  const p = new nn.Parameter(data);
  t.true(p instanceof nn.Parameter);
  t.true(p instanceof torch.Tensor);
  t.true(p.requires_grad);
  data.add_(1);
  t.deepEqual(p.tolist(), [1, 1]);
  t.is(String(p), 'Parameter containing:\ntensor([1., 1.], requires_grad=True)');
  t.false(new nn.Parameter(torch.zeros(1), false).requires_grad);
});

test('optimizer state_dict and load_state_dict carry the moments over', (t) => {
  torch.manual_seed(3);
  const make = () => new nn.Linear(3, 2);
  const a = make();
  const optA = new optim.Adam(a.parameters(), { lr: 0.1 });
  const x = torch.randn(4, 3);
  for (let i = 0; i < 3; i++) {
    optA.zero_grad();
    a(x).pow(2).sum().backward();
    optA.step();
  }
  const b = make();
  b.load_state_dict(a.state_dict());
  const optB = new optim.Adam(b.parameters(), { lr: 0.5 });
  optB.load_state_dict(optA.state_dict());
  t.is(optB.param_groups[0].lr, 0.1);
  for (const opt of [optA, optB]) {
    opt.zero_grad();
    const model = opt === optA ? a : b;
    model(x).pow(2).sum().backward();
    opt.step();
  }
  t.true(a.weight.equal(b.weight));
  t.is(optB.state.get(b.weight)!.step.item(), 4);
});

test('add_param_group gives a group the defaults it does not set', (t) => {
  const a = new nn.Linear(2, 2);
  const b = new nn.Linear(2, 2);
  const opt = new optim.SGD(a.parameters(), { lr: 0.1, momentum: 0.9 });
  opt.add_param_group({ params: b.parameters(), lr: 0.01 });
  t.is(opt.param_groups.length, 2);
  t.is(opt.param_groups[1].lr, 0.01);
  t.is(opt.param_groups[1].momentum, 0.9);
});

test('optimizer.step(closure) returns the closure loss', (t) => {
  const m = new nn.Linear(2, 1);
  const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
  const loss = opt.step(() => {
    opt.zero_grad();
    const l = m(torch.ones(1, 2)).sum();
    l.backward();
    return l;
  });
  t.true(loss instanceof torch.Tensor);
});
