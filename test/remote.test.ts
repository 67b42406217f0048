// torch.multiprocessing.remote(): a model, or a trainer holding a model and
// its optimizer, hosted on a worker thread, its methods awaited from here.
// The same numbers as on this thread, calls in order, the shared tensors
// refused here while a call is in flight, and errors that name the call.
// Serial: the tests reseed the process-wide generator and await between draws.
import test from 'ava';

import torch, { nn, optim, type Tensor } from '../lib';
import { remote } from '../lib/multiprocessing';
import { Net, Trainer } from './_remote_models';

/** A fixed batch: 32 rows of 8 features, 3 classes. */
function batch(seed: number): [Tensor, Tensor] {
  const g = new torch.Generator().manual_seed(seed);
  return [torch.randn([32, 8], { generator: g }), torch.randint(0, 3, [32], { generator: g })];
}

function flatParams(model: nn.Module): number[] {
  return torch.cat([...model.parameters(), ...model.buffers()].map((p) => p.detach().reshape(-1).to(torch.float64))).tolist() as number[];
}

test.serial('training steps on the worker give the same bits as on this thread, and this thread sees the weights change', async (t) => {
  const steps = 6;
  const trainHere = (): [number[], number[]] => {
    torch.manual_seed(0);
    const model = new Net();
    const trainer = new Trainer(model, new optim.Adam(model.parameters(), { lr: 0.01 }));
    const losses = Array.from({ length: steps }, (_, i) => trainer.step(...batch(i)));
    return [losses, flatParams(model)];
  };
  const [losses, params] = trainHere();

  torch.manual_seed(0);
  const model = new Net();
  const before = flatParams(model);
  const r = await remote(new Trainer(model, new optim.Adam(model.parameters(), { lr: 0.01 })));
  const remoteLosses: number[] = [];
  // The dropout masks come from the process's default generator, as a Python thread's do: the worker draws
  // where Net's constructor left it, as trainHere's steps did.
  for (let i = 0; i < steps; i++) remoteLosses.push(await r.call('step', ...batch(i)));
  await r.close();
  t.deepEqual(remoteLosses, losses);
  t.notDeepEqual(flatParams(model), before);
  // Parameters and BatchNorm's running statistics were stepped in place, in memory this thread's model shares.
  t.deepEqual(flatParams(model), params);
});

test.serial('forward on the worker equals forward here; a module is called as module(x), under the caller\'s grad mode', async (t) => {
  torch.manual_seed(1);
  const model = new Net().eval();
  const [x] = batch(7);
  const r = await remote(model);
  const expected = torch.no_grad(() => model(x));
  const g = torch.no_grad();
  const pending = r.call('forward', x);
  g.exit();
  const out = await pending;
  t.true(out.equal(expected));
  t.false(out.requires_grad);
  // With grad on, the output is a non-leaf of a graph that stays on the worker: refused, saying so.
  await t.throwsAsync(r.call('forward', x), { message: /call\('forward'\) failed on its worker thread: TypeError: the result of forward\(\): a non-leaf tensor that requires grad cannot be shared/ });
  // Inference mode crosses too: the output is an inference tensor there, a plain one here, with the same values.
  const im = torch.inference_mode();
  const pending2 = r.call('forward', x);
  im.exit();
  t.true((await pending2).equal(expected));
  await r.close();
});

test.serial('calls made without awaiting run one at a time, in order; this thread\'s ops refuse the shared tensors until they settle', async (t) => {
  torch.manual_seed(2);
  const model = new Net();
  const reference = new Net();
  reference.load_state_dict(model.state_dict());
  const r = await remote(new Trainer(model, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })));
  const [x, y] = batch(3);
  torch.manual_seed(10);
  const pending = [r.call('busy', 50), r.call('step', x, y), r.call('step', x, y), r.call('later', 21)];
  t.is(r.calls_in_flight, 4);
  const refusal = { message: /argument 'self' is in use by an asynchronous call in flight .*torch\.multiprocessing\.remote\(\).*await it before using this tensor/ };
  t.throws(() => model.fc1.weight.add(1), refusal);
  t.throws(() => x.sum(), { message: /in use by an asynchronous call in flight/ });
  const results = await Promise.all(pending);
  t.is(results[0], 50);
  t.is(results[3], 42);
  t.is(r.calls_in_flight, 0);
  t.notThrows(() => model.fc1.weight.add(1));
  await r.close();
  // The same two steps here, from the same weights and generator state, give the same losses and weights.
  torch.manual_seed(10);
  const here = new Trainer(reference, new optim.SGD(reference.parameters(), { lr: 0.1, momentum: 0.9 }));
  t.deepEqual([results[1], results[2]], [here.step(x, y), here.step(x, y)]);
  t.deepEqual(flatParams(model), flatParams(reference));
});

test.serial('an argument disposed while its call is in flight: the call still reads it, and the tensors made here after are this thread\'s', async (t) => {
  const model = new Net();
  const r = await remote(new Trainer(model, new optim.SGD(model.parameters(), { lr: 0.1 })));
  for (let i = 0; i < 20; i++) {
    const x = torch.full([4], i);
    const pending = r.call('total', x);
    x.dispose();
    t.is(await pending, 4 * i);
  }
  // The in-flight mark holds the storage until the call settles, so a new
  // tensor here never gets the address of one that was marked (and is refused).
  const slow = r.call('busy', 50);
  for (let i = 0; i < 200; i++) t.notThrows(() => torch.ones(4).add(1));
  t.is(await slow, 50);
  await r.close();
});

test.serial('the event loop runs while a call is in flight', async (t) => {
  const model = new Net();
  const r = await remote(new Trainer(model, new optim.SGD(model.parameters(), { lr: 0.1 })));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  await r.call('busy', 200);
  clearInterval(timer);
  // The worker slept 200 ms; a blocked loop would have run the timer once at most.
  t.true(ticks >= 5, `the timer ran ${ticks} times`);
  await r.close();
});

test.serial('errors: a method that throws, one that does not exist, a worker that dies, what cannot be sent', async (t) => {
  const model = new Net();
  const r = await remote(new Trainer(model, new optim.SGD(model.parameters(), { lr: 0.1 })));
  const err = await t.throwsAsync(r.call('fail', 'boom'), { instanceOf: RangeError });
  t.regex(err!.message, /^remote\(Trainer\)\.call\('fail'\) failed on its worker thread: RangeError: boom$/);
  t.regex(err!.stack!, /Original RangeError: boom\n\s+at Trainer\.fail/);
  // The worker goes on after an error.
  t.is(await r.call('later', 2), 4);
  await t.throwsAsync(r.call('nope' as 'fail', 'x'), { instanceOf: TypeError, message: /Trainer has no method 'nope'/ });
  await t.throwsAsync(r.call('later', (() => 1) as unknown as number), {
    instanceOf: TypeError,
    message: /remote\(Trainer\)\.call\('later'\): the arguments\[0\] is the function .* another thread cannot rebuild/,
  });
  // A worker that exits mid-call: that call and every later one are rejected, and the tensors are this thread's again.
  await t.throwsAsync(r.call('exit'), { message: "remote(Trainer).call('exit'): its worker thread exited (code 3) before it answered" });
  await t.throwsAsync(r.call('later', 1), { message: /its worker thread exited \(code 3\); make a new one with torch\.multiprocessing\.remote\(\)/ });
  t.notThrows(() => model.fc1.weight.add(1));
  t.is(r.calls_in_flight, 0);

  class Unregistered extends nn.Module {
    lin = new nn.Linear(2, 2);
  }
  await t.throwsAsync(remote(new Unregistered()), { message: /target is an instance of class Unregistered, which another thread cannot rebuild: .*register\(Unregistered, module\)/ });
  const hooked = new Net();
  hooked.register_forward_hook(() => undefined);
  await t.throwsAsync(remote(hooked), { message: /target is a module with 1 hook\(s\) registered on it/ });
  await t.throwsAsync(remote(null as unknown as object), { instanceOf: TypeError, message: /argument 'target' must be an object/ });

  // After close(), calls are refused; the model here stays usable.
  const r2 = await remote(model);
  await r2.close();
  await t.throwsAsync(r2.call('forward', torch.zeros(1, 8)), { message: /it was closed; make a new one/ });
  t.notThrows(() => model(torch.zeros(2, 8)));
});

test.serial('a module and its optimizer cross as one object graph: the optimizer steps the worker\'s parameters, which this thread shares', async (t) => {
  torch.manual_seed(4);
  const model = new Net();
  const opt = new optim.SGD(model.parameters(), { lr: 0.5 });
  const r = await remote(new Trainer(model, opt));
  const before = model.fc2.bias!.clone();
  const [x, y] = batch(5);
  await r.call('step', x, y);
  // Had the optimizer's parameters been other objects than the model's, they would have had no grad, and nothing would move.
  t.false(model.fc2.bias!.equal(before));
  await r.close();
});
