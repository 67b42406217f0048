// torch.autograd beyond backward and grad, against Python
// (scripts/golden/autograd_breadth.py): custom Functions run by libtorch's
// engine inside an ordinary backward(), inference mode,
// torch.autograd.functional, module hooks and anomaly mode, with Python's
// values and Python's errors.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { Function, FunctionCtx, once_differentiable } from '../lib/autograd';
import { _liveFunctionCount } from '../lib/autograd/function';
import * as AF from '../lib/autograd/functional';
import { assertTensorMatches, decodeTensor, fixture, type EncodedTensor } from './_helpers';

type Case = { values: unknown[] } | { error: { type: string; message: string } };
const golden = fixture<{ inputs: Record<string, EncodedTensor>; cases: Record<string, Case> }>('autograd_breadth.json');

const I = (name: string): Tensor => decodeTensor(golden.inputs[name]!);

// Every warning of the process, from the start: torchts shows each message
// once, as Python's default filter does, so a test that looks for one may
// not be the first to cause it.
const allWarnings: string[] = [];
process.on('warning', (w) => void allWarnings.push(w.message));
const leaf = (name: string): Tensor => I(name).requires_grad_();

// ----- the same Functions as the Python script -----

class MyExp extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const y = x.exp();
    ctx.save_for_backward(y);
    return y;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [y] = ctx.saved_tensors;
    return g.mul(y!);
  }
}

class MulConst extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor, k: number): Tensor {
    ctx.k = k;
    return x.mul(k);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): [Tensor, null] {
    return [g.mul(ctx.k as number), null];
  }
}

class Split3 extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): [Tensor, Tensor, number] {
    return [x.mul(2), x.sum(), 5];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor, g2: Tensor, g3: Tensor | null): Tensor {
    if (g3 !== null) throw new Error('a non-tensor output got a gradient');
    return g1.mul(2).add(g2);
  }
}

class Cube extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.save_for_backward(x);
    return x.pow(3);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.saved_tensors;
    return g.mul(3).mul(x!.pow(2));
  }
}

class CubeOnce extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.save_for_backward(x);
    return x.pow(3);
  }
  static override backward = once_differentiable((ctx: FunctionCtx, g: Tensor): Tensor => {
    const [x] = ctx.saved_tensors;
    return g.mul(3).mul(x!.pow(2));
  });
}

class Double_ extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    x.mul_(2);
    ctx.mark_dirty(x);
    return x;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(2);
  }
}

class SortFn extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    const [values, indices] = x.sort();
    ctx.mark_non_differentiable(indices);
    ctx.save_for_backward(indices);
    return [values, indices];
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [indices] = ctx.saved_tensors;
    return torch.zeros_like(g).index_add_(0, indices!, g);
  }
}

const seen: unknown[] = [];

class TwoOutNoMaterialize extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    ctx.set_materialize_grads(false);
    return [x.mul(2), x.mul(3)];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor, g2: Tensor | null): Tensor {
    seen.push(g2 === null);
    return g2 === null ? g1.mul(2) : g1.mul(2).add(g2.mul(3));
  }
}

class TwoOutMaterialize extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    return [x.mul(2), x.mul(3)];
  }
  static override backward(_ctx: FunctionCtx, g1: Tensor, g2: Tensor | null): Tensor {
    seen.push(g2 !== null && Boolean(g2.eq(0).all().item()));
    return g1.mul(2).add(g2!.mul(3));
  }
}

class NeedsGrad extends Function {
  static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor, k: number): Tensor {
    seen.push([...ctx.needs_input_grad]);
    return a.mul(b).mul(k);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): [Tensor, null, null] {
    seen.push([...ctx.needs_input_grad]);
    return [g, null, null];
  }
}

const identity = (ctx: FunctionCtx, x: Tensor): Tensor => x.mul(1);
class TooMany extends Function {
  static override forward = identity;
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
    return [g, g];
  }
}
class TrailingNone extends Function {
  static override forward = identity;
  static override backward(_ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    return [g.mul(4), null, null];
  }
}
class WrongShape extends Function {
  static override forward = identity;
  static override backward(): Tensor {
    return torch.ones(2);
  }
}
class NotTensor extends Function {
  static override forward = identity;
  static override backward(): number {
    return 3;
  }
}
class GradForNumber extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, k: number): Tensor {
    return x.mul(k);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
    return [g, g];
  }
}
class BoomError extends Error {}
class Raises extends Function {
  static override forward = identity;
  static override backward(): Tensor {
    throw new BoomError('boom in backward');
  }
}
class NanBackward extends Function {
  static override forward = identity;
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(NaN);
  }
}

const err =
  (cls: typeof Function, ...extra: unknown[]) =>
  (): unknown[] => {
    const x = leaf('x');
    (cls.apply as (...a: unknown[]) => Tensor)(x, ...extra).sum().backward();
    return [x.grad];
  };

// ----- functional's functions -----

const f1 = (x: Tensor): Tensor => x.exp().mul(x.sum());
const f2 = (a: Tensor, b: Tensor): Tensor[] => [a.mul(b.sin()), a.pow(2).sum().add(b.prod())];
const fs = (x: Tensor): Tensor => x.exp().mul(x).sum();
const fs2 = (a: Tensor, b: Tensor): Tensor => a.sin().mul(b.pow(2)).sum();
const flat2 = (rows: Tensor[][]): Tensor[] => rows.flat();

function makeLinear(): torch.nn.Linear {
  const lin = new torch.nn.Linear(3, 4);
  torch.no_grad(() => {
    lin.weight.copy_(I('w'));
    lin.bias!.copy_(I('b'));
  });
  return lin;
}

const CASES: Record<string, () => unknown[] | unknown> = {
  exp: () => {
    const x = leaf('x');
    const y = MyExp.apply(x);
    y.mul(I('v3')).sum().backward();
    return [y, x.grad, y.grad_fn!.name()];
  },
  mulconst: () => {
    const x = leaf('x');
    const y = MulConst.apply(x, 2.5);
    y.pow(2).sum().backward();
    return [y, x.grad];
  },
  split3: () => {
    const x = leaf('x');
    const [a, s, five] = Split3.apply(x);
    a.mul(I('v3')).sum().add(s.mul(3)).backward();
    return [a, s, five, x.grad];
  },
  cube_double: () => {
    const x = leaf('x');
    const y = Cube.apply(x);
    const [g] = torch.autograd.grad(y.sum(), x, { create_graph: true });
    const [g2] = torch.autograd.grad(g!.mul(I('v3')).sum(), x);
    return [y, g, g2, g!.requires_grad];
  },
  exp_double: () => {
    const x = leaf('x');
    const y = MyExp.apply(x);
    const [g] = torch.autograd.grad(y, x, { grad_outputs: I('v3'), create_graph: true });
    const [g2] = torch.autograd.grad(g!.sum(), x);
    return [g, g2, g!.grad_fn!.name()];
  },
  cube_once_first: () => {
    const x = leaf('x');
    const [g] = torch.autograd.grad(CubeOnce.apply(x).sum(), x, { create_graph: true });
    return [g, g!.requires_grad];
  },
  cube_once_second: () => {
    const x = leaf('x');
    const [g] = torch.autograd.grad(CubeOnce.apply(x).sum(), x, { create_graph: true });
    g!.sum().backward();
  },
  cube_once_twice: () => {
    const x = leaf('x');
    const [g] = torch.autograd.grad(CubeOnce.apply(x), x, { grad_outputs: leaf('v3'), create_graph: true });
    g!.sum().backward();
  },
  dirty: () => {
    const a = leaf('x');
    const x = a.mul(1);
    const y = Double_.apply(x);
    y.mul(I('v3')).sum().backward();
    // Python returns the very object; here a new wrapper of the same tensor.
    return [y, x, a.grad, y.data_ptr() === x.data_ptr(), x.grad_fn!.name()];
  },
  dirty_leaf: () => Double_.apply(leaf('x')),
  sort: () => {
    const x = leaf('x');
    const [values, indices] = SortFn.apply(x);
    values.mul(I('v3')).sum().backward();
    return [values, indices, indices.requires_grad, x.grad];
  },
  no_materialize: () => {
    seen.length = 0;
    const x = leaf('x');
    const [a] = TwoOutNoMaterialize.apply(x);
    a.sum().backward();
    return [x.grad, seen[0]];
  },
  materialize: () => {
    seen.length = 0;
    const x = leaf('x');
    const [a] = TwoOutMaterialize.apply(x);
    a.sum().backward();
    return [x.grad, seen[0]];
  },
  needs_input_grad: () => {
    seen.length = 0;
    const a = leaf('x');
    NeedsGrad.apply(a, I('v3'), 2.0).sum().backward();
    return [a.grad, seen[0], seen[1]];
  },
  no_grad_apply: () => {
    const x = leaf('x');
    const y = torch.no_grad(() => MyExp.apply(x));
    return [y, y.requires_grad, y.grad_fn === null];
  },
  too_many: err(TooMany),
  trailing_none: err(TrailingNone),
  wrong_shape: err(WrongShape),
  not_tensor: err(NotTensor),
  grad_for_number: err(GradForNumber, 2.0),
  raises: err(Raises),
  saved_after_backward: () => {
    const x = leaf('x');
    const y = MyExp.apply(x);
    y.sum().backward();
    y.sum().backward();
  },
  retain_graph: () => {
    const x = leaf('x');
    const y = MyExp.apply(x);
    y.sum().backward({ retain_graph: true });
    y.sum().backward();
    return [x.grad];
  },

  inference: () => {
    const x = I('x');
    let inside = false;
    let inner = true;
    let z!: Tensor;
    const y = torch.inference_mode(() => {
      const y = x.mul(2);
      inside = torch.is_inference_mode_enabled();
      torch.inference_mode(false, () => {
        inner = torch.is_inference_mode_enabled();
        z = x.mul(3);
      });
      return y;
    });
    return [y, y.is_inference(), inside, inner, z.is_inference(), x.is_inference(), torch.is_inference_mode_enabled(), y.requires_grad];
  },
  inference_saved: () => {
    const w = leaf('v3');
    const x = torch.inference_mode(() => I('x').mul(1));
    w.mul(x).sum();
  },
  inference_inplace: () => {
    const x = torch.inference_mode(() => I('x').mul(1));
    x.add_(1);
  },

  jacobian_single: () => AF.jacobian(f1, I('x')),
  jacobian_tuple: () => flat2(AF.jacobian(f2, [I('x'), I('v3')])),
  jacobian_create_graph: () => [AF.jacobian(f1, leaf('x'), true).requires_grad, AF.jacobian(f1, I('x')).requires_grad],
  jacobian_strict_indep: () => AF.jacobian((a: Tensor) => a.mul(2), [I('x'), I('v3')], { strict: true }),
  jacobian_nonstrict_indep: () => AF.jacobian((a: Tensor) => a.mul(2), [I('x'), I('v3')]),
  hessian_single: () => AF.hessian(fs, I('x')),
  hessian_tuple: () => flat2(AF.hessian(fs2, [I('x'), I('v3')])),
  hessian_not_scalar: () => AF.hessian(f1, I('x')),
  vjp_single: () => AF.vjp(f1, I('x'), I('v3')),
  vjp_tuple: () => AF.vjp(f2, [I('x'), I('v3')], [I('x'), torch.tensor(2.0)])[1],
  vjp_bad_v: () => AF.vjp(f1, I('x'), I('v2')),
  vjp_no_v: () => AF.vjp(f1, I('x')),
  jvp_single: () => AF.jvp(f1, I('x'), I('v3')),
  jvp_tuple: () => AF.jvp(f2, [I('x'), I('v3')], { v: [I('v3'), I('x')] })[1],
  vhp_single: () => AF.vhp(fs, I('x'), I('v3')),
  hvp_single: () => AF.hvp(fs, I('x'), I('v3')),
  hvp_tuple: () => AF.hvp(fs2, [I('x'), I('v3')], [I('v3'), I('x')])[1],
  vhp_tuple: () => AF.vhp(fs2, [I('x'), I('v3')], [I('v3'), I('x')])[1],
  hvp_create_graph: () => [AF.hvp(fs, leaf('x'), I('v3'), { create_graph: true })[1].requires_grad],
  vjp_strict_output: () => AF.vjp(() => torch.ones(3), I('x'), I('v3'), false, true),
  jacobian_bad_input: () => (AF.jacobian as (...a: unknown[]) => unknown)(f1, 3),

  forward_hooks: () => {
    const lin = makeLinear();
    const calls: string[] = [];
    const h1 = lin.register_forward_pre_hook((_m, inp) => {
      calls.push('pre');
      return [inp[0].mul(2)];
    });
    const h2 = lin.register_forward_hook((_m, _inp, out) => {
      calls.push('post');
      return out.add(1);
    });
    const a = lin(I('m'));
    h1.remove();
    const b = lin(I('m'));
    h2.remove();
    const c = lin(I('m'));
    return [a, b, c, calls.join(',')];
  },
  full_backward_hook: () => {
    const lin = makeLinear();
    const got: (Tensor | null)[] = [];
    lin.register_full_backward_hook((_m, gradInput, gradOutput) => {
      got.push(gradInput[0]!, gradOutput[0]!);
      return [gradInput[0]!.mul(10)];
    });
    const x = leaf('m');
    const out = lin(x);
    out.mul(out).sum().backward();
    return [out, got[0], got[1], x.grad, lin.weight.grad];
  },
  full_backward_hook_no_input_grad: () => {
    const lin = makeLinear();
    const got: unknown[] = [];
    lin.register_full_backward_hook((_m, gradInput, gradOutput) => {
      got.push(gradInput[0] === null, gradOutput[0]);
    });
    lin(I('m')).sum().backward();
    return [got[0], got[1], lin.bias!.grad];
  },
  backward_hook_deprecated: () => {
    const lin = makeLinear();
    const got: unknown[] = [];
    lin.register_backward_hook((_m, gradInput, gradOutput) => {
      got.push(gradInput.length, ...gradInput, gradOutput[0]);
    });
    const x = leaf('m');
    const out = lin(x);
    out.mul(out).sum().backward();
    return got;
  },
  mixed_backward_hooks: () => {
    const lin = makeLinear();
    lin.register_full_backward_hook(() => undefined);
    lin.register_backward_hook(() => undefined);
  },

  anomaly_nan: () => {
    const x = torch.zeros(3, { requires_grad: true });
    torch.autograd.detect_anomaly(() => x.sqrt().mul(0).sum().backward());
  },
  anomaly_off_nan: () => {
    const x = torch.zeros(3, { requires_grad: true });
    x.sqrt().mul(0).sum().backward();
    return [x.grad];
  },
  anomaly_flags: () => {
    const a = torch.is_anomaly_enabled();
    const [b, c] = torch.autograd.detect_anomaly(() => [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()]);
    const d = torch.autograd.detect_anomaly(false, () => torch.is_anomaly_check_nan_enabled());
    new torch.autograd.set_detect_anomaly(true);
    const e = torch.is_anomaly_enabled();
    new torch.autograd.set_detect_anomaly(false);
    return [a, b, c, d, e, torch.is_anomaly_enabled()];
  },
  anomaly_custom: () => {
    const x = leaf('x');
    torch.autograd.detect_anomaly(() => NanBackward.apply(x).sum().backward());
  },
};

function compare(t: import('ava').ExecutionContext, got: unknown, want: unknown, label: string): void {
  if (want !== null && typeof want === 'object' && 'dtype' in (want as object)) {
    if (!(got instanceof torch.Tensor)) {
      t.fail(`${label}: expected a Tensor, got ${String(got)}`);
      return;
    }
    assertTensorMatches(t, got, want as EncodedTensor, label);
  } else {
    t.deepEqual(got, want, label);
  }
}

const WARNING_CASES: Record<string, () => void> = {
  backward_hook_warn_linear: () => {
    const lin = makeLinear();
    lin.register_backward_hook(() => undefined);
    lin(leaf('m'));
  },
  backward_hook_warn_two_nodes: () => {
    class TwoNodes extends torch.nn.Module {
      override forward(x: Tensor): Tensor[] {
        return [x.mul(2), x.add(1)];
      }
    }
    const m = new TwoNodes();
    m.register_backward_hook(() => undefined);
    m(leaf('x'));
  },
  backward_hook_warn_non_tensor_input: () => {
    class ScaleBy extends torch.nn.Module {
      override forward(x: Tensor, k: number): Tensor {
        return x.mul(k);
      }
    }
    const m = new ScaleBy();
    m.register_backward_hook(() => undefined);
    m(leaf('x'), 2.0);
  },
};

for (const [name, run] of Object.entries(WARNING_CASES)) {
  test(`${name}: Python's deprecation warning`, async (t) => {
    run();
    await new Promise((resolve) => setImmediate(resolve));
    for (const message of (golden.cases[name] as { values: string[] }).values) t.true(allWarnings.includes(message), message);
  });
}

for (const [name, c] of Object.entries(golden.cases)) {
  if (name in WARNING_CASES) continue;
  test(`${name} as Python`, (t) => {
    const run = CASES[name];
    if (run === undefined) {
      t.fail(`no TypeScript case for ${name}`);
      return;
    }
    if ('error' in c) {
      const error = t.throws(() => run());
      t.is(error?.message.split('\n')[0], c.error.message);
      if (name === 'raises') t.true(error instanceof BoomError, 'the error backward threw comes out of backward()');
      return;
    }
    const out = run();
    const got = Array.isArray(out) ? out : [out];
    t.is(got.length, c.values.length, 'number of values');
    c.values.forEach((want, i) => compare(t, got[i], want, `${name}[${i}]`));
  });
}

test('every TypeScript case has a golden', (t) => {
  t.deepEqual(Object.keys(CASES).filter((k) => !(k in golden.cases)), []);
});

test('an applied Function is forgotten once the graph lets go of its node', (t) => {
  // Its node is held by its outputs' history only (the output apply gives,
  // and forward's own wrapper of it, which only the GC drops): once they go,
  // after backward or without one, its JS side goes too. (libtorch 2.14
  // counts nodes intrusively: a node we watched weakly kept its memory, and
  // our record of it, until the process ended.)
  const before = _liveFunctionCount();
  for (let i = 0; i < 20; ++i) {
    const x = torch.ones(3).requires_grad_();
    const y = MyExp.apply(x) as Tensor;
    if (i % 2 === 0) y.backward(torch.ones(3));
    y.dispose();
    x.dispose();
  }
  globalThis.gc!();
  t.true(_liveFunctionCount() <= before, `${_liveFunctionCount()} applied Functions are kept, against ${before} before`);
});

// ----- bad input: clear errors, never a crash -----

test('a Function is not instantiated, and apply needs a subclass', (t) => {
  t.throws(() => new (MyExp as unknown as new () => unknown)(), { instanceOf: TypeError, message: /MyExp: autograd.Function is not instantiated/ });
  t.throws(() => (Function.apply as (...a: unknown[]) => unknown).call(Function, torch.ones(1)), { instanceOf: TypeError, message: /call it on a subclass/ });
  class NoForward extends Function {}
  t.throws(() => NoForward.apply(), { message: 'You must implement the forward function for custom autograd.Function.' });
  class NoBackward extends Function {
    static override forward = identity;
  }
  const x = leaf('x');
  t.throws(() => NoBackward.apply(x).sum().backward(), { message: /You must implement either the backward or vjp method/ });
});

test('ctx methods refuse what is not a tensor, naming the argument', (t) => {
  class SaveNumber extends Function {
    static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
      ctx.save_for_backward(x, 3 as unknown as Tensor);
      return x.mul(1);
    }
  }
  t.throws(() => SaveNumber.apply(leaf('x')), { instanceOf: TypeError, message: 'save_for_backward can only save variables, but argument 1 is of type int' });
  class DirtyNumber extends Function {
    static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
      ctx.mark_dirty('x' as unknown as Tensor);
      return x;
    }
  }
  t.throws(() => DirtyNumber.apply(leaf('x')), { instanceOf: TypeError, message: 'mark_dirty(): argument 0 must be a Tensor, got str' });
  class BadMaterialize extends Function {
    static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
      ctx.set_materialize_grads(1 as unknown as boolean);
      return x;
    }
  }
  t.throws(() => BadMaterialize.apply(leaf('x')), { instanceOf: TypeError, message: /set_materialize_grads\(\): value must be a boolean/ });
});

test('after a backward that threw, the process and the engine carry on', (t) => {
  for (let i = 0; i < 3; i++) t.throws(err(Raises), { instanceOf: BoomError });
  t.throws(err(TooMany), { message: /returned an incorrect number of gradients/ });
  const [y, g] = CASES.exp!() as [Tensor, Tensor];
  assertTensorMatches(t, y, (golden.cases.exp as { values: EncodedTensor[] }).values[0]!, 'exp after errors');
  assertTensorMatches(t, g, (golden.cases.exp as { values: EncodedTensor[] }).values[1]!, 'grad after errors');
});

test('a Function inside a Function backward and a Function used twice in a graph', (t) => {
  const x = leaf('x');
  const y = MyExp.apply(MyExp.apply(x));
  const z = MyExp.apply(x);
  y.add(z).sum().backward();
  const want = torch.no_grad(() => I('x').exp().exp().mul(I('x').exp()).add(I('x').exp()));
  t.true(torch.allclose(x.grad!, want, 1e-6, 1e-6));
});

test('module hooks refuse what is not a function, and a removed hook stays removed', (t) => {
  const lin = makeLinear();
  const anyLin = lin as unknown as Record<string, (h: unknown) => unknown>;
  for (const name of ['register_forward_pre_hook', 'register_forward_hook', 'register_full_backward_hook', 'register_backward_hook']) {
    t.throws(() => anyLin[name]!.call(lin, 3), { instanceOf: TypeError, message: `${name}(): hook must be a function, got number` });
  }
  let calls = 0;
  const h = lin.register_forward_hook(() => void calls++);
  lin(I('m'));
  h.remove();
  h.remove();
  lin(I('m'));
  t.is(calls, 1);
  t.is(lin._forward_hooks.size, 0);
});

test('hooks get the module as its holder sees it, and forward() itself runs no hooks (as Python)', (t) => {
  const lin = makeLinear();
  let seen: unknown = null;
  let calls = 0;
  lin.register_forward_pre_hook((m) => {
    seen = m;
    calls++;
  });
  lin(I('m'));
  t.is(seen, lin);
  lin.forward(I('m'));
  t.is(calls, 1);
});

test('a full backward hook returning the wrong number of gradients is Python\'s error', (t) => {
  const lin = makeLinear();
  lin.register_full_backward_hook((_m, gi) => [gi[0]!, gi[0]!]);
  t.throws(() => lin(leaf('m')).sum().backward(), { message: 'Backward hook returned an invalid number of grad_input, got 2, but expected 1' });
});

test('inference_mode and detect_anomaly bind their arguments', (t) => {
  t.throws(() => (torch.inference_mode as (...a: unknown[]) => unknown)(1, () => 0), { instanceOf: TypeError, message: /mode must be a boolean/ });
  t.throws(() => (torch.inference_mode as (...a: unknown[]) => unknown)(true, 3), { instanceOf: TypeError, message: /fn must be a function/ });
  t.throws(() => torch.inference_mode(async () => 0), { instanceOf: TypeError, message: /asynchronous/ });
  t.false(torch.is_inference_mode_enabled());
  t.throws(
    () =>
      torch.inference_mode(() => {
        throw new RangeError('inside');
      }),
    { instanceOf: RangeError, message: 'inside' },
  );
  t.false(torch.is_inference_mode_enabled(), 'restored after fn threw');
  t.throws(() => (torch.autograd.detect_anomaly as (...a: unknown[]) => unknown)('yes', () => 0), { instanceOf: TypeError, message: /check_nan' must be bool/ });
  t.throws(() => new torch.autograd.set_detect_anomaly(1 as unknown as boolean), { instanceOf: TypeError, message: /'mode' must be bool/ });
  t.false(torch.is_anomaly_enabled());
});

test('autograd.functional binds as Python: keywords, surplus positionals, vectorize refused by name', (t) => {
  const jac = AF.jacobian as (...a: unknown[]) => unknown;
  t.throws(() => jac(f1, I('x'), { vectorise: true }), { instanceOf: TypeError, message: /vectorise/ });
  t.throws(() => jac(f1, I('x'), false, false, false, 'reverse-mode', 1), { instanceOf: TypeError });
  t.throws(() => AF.jacobian(f1, I('x'), { vectorize: true }), { message: /vectorize=True is not supported/ });
  t.throws(() => AF.hessian(fs, I('x'), { outer_jacobian_strategy: 'forward-mode' }), { message: /forward-mode/ });
  t.throws(() => jac(3, I('x')), { instanceOf: TypeError, message: "jacobian(): argument 'func' must be a function, got <class 'int'>" });
  // Keywords give what positionals give.
  const [, a] = AF.vjp(f1, I('x'), { v: I('v3') });
  const [, b] = AF.vjp(f1, I('x'), I('v3'));
  t.true(torch.equal(a, b));
});

test('vjp is another name for backward; defining both is Python\'s error', (t) => {
  class ExpVjp extends Function {
    static override forward = MyExp.forward;
    static override vjp = MyExp.backward;
  }
  const x = leaf('x');
  ExpVjp.apply(x).sum().backward();
  t.true(torch.allclose(x.grad!, I('x').exp()));
  class Both extends Function {
    static override forward = identity;
    static override backward = MyExp.backward;
    static override vjp = MyExp.backward;
  }
  t.throws(() => Both.apply(leaf('x')).sum().backward(), { message: "Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You should only implement one of them." });
});

test('under detect_anomaly a backward error names the node and the JS stack of its forward call', async (t) => {
  const warnings: string[] = [];
  const listen = (w: Error): void => void warnings.push(w.message);
  process.on('warning', listen);
  try {
    const x = torch.zeros(3, { requires_grad: true });
    function forwardThatMakesNaN(): Tensor {
      return x.sqrt().mul(0).sum();
    }
    t.throws(() => torch.autograd.detect_anomaly(() => forwardThatMakesNaN().backward()), { message: "Function 'SqrtBackward0' returned nan values in its 0th output." });
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  // process.emitWarning delivers on a later tick: an earlier test's report may arrive here too.
  const report = warnings.find((w) => w.startsWith('Error detected in SqrtBackward0. Traceback of forward call that caused the error:') && w.includes('forwardThatMakesNaN'));
  t.truthy(report, JSON.stringify(warnings));
  t.regex(report!, /\n {4}at forwardThatMakesNaN \(/);
  t.false(torch.is_anomaly_enabled());
});

test('custom Functions run in worker threads, each env with its own dispatcher', async (t) => {
  const { Worker } = await import('node:worker_threads');
  const path = await import('node:path');
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    const torch = require(workerData.lib).default;
    class Sq extends torch.autograd.Function {
      static forward(ctx, x) { ctx.save_for_backward(x); return x.mul(x); }
      static backward(ctx, g) { const [x] = ctx.saved_tensors; return g.mul(x).mul(2); }
    }
    const x = torch.tensor([1, 2, 3], { requires_grad: true });
    Sq.apply(x).sum().backward();
    parentPort.postMessage(x.grad.tolist());`;
  const run = (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const w = new Worker(`require('tsx/cjs'); ${source}`, { eval: true, workerData: { lib: path.join(__dirname, '..', 'lib') }, execArgv: [] });
      let result: unknown;
      w.on('message', (m) => (result = m));
      w.on('error', reject);
      w.on('exit', (code) => (code === 0 ? resolve(result) : reject(new Error(`worker exited with ${code}`))));
    });
  const results = await Promise.all([run(), run()]);
  t.deepEqual(results, [
    [2, 4, 6],
    [2, 4, 6],
  ]);
  // The main thread's Functions still run after the workers ended.
  const x = leaf('x');
  MyExp.apply(x).sum().backward();
  t.true(torch.allclose(x.grad!, I('x').exp()));
});

test('hooks on the children of a Sequential run when the Sequential runs, and a handle removes its hook at the end of a using scope', (t) => {
  const lin = makeLinear();
  const model = new torch.nn.Sequential(lin, new torch.nn.Tanh());
  const order: string[] = [];
  {
    using _pre = lin.register_forward_pre_hook(() => void order.push('linear pre'));
    using _post = model.register_forward_hook(() => void order.push('sequential post'));
    model(I('m'));
    t.is(lin._forward_pre_hooks.size, 1);
  }
  model(I('m'));
  t.deepEqual(order, ['linear pre', 'sequential post']);
  t.is(lin._forward_pre_hooks.size, 0);
  t.is(model._forward_hooks.size, 0);
});

test('a backward may run a backward of its own (re-entrant, as checkpointing does)', (t) => {
  class Ckpt extends Function {
    static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
      ctx.save_for_backward(x);
      return x.sin().exp();
    }
    static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
      const xd = ctx.saved_tensors[0]!.detach().requires_grad_();
      const y = torch.enable_grad(() => xd.sin().exp());
      return torch.autograd.grad(y, xd, { grad_outputs: g })[0]!;
    }
  }
  const x = leaf('x');
  Ckpt.apply(x).sum().backward();
  const want = torch.no_grad(() => I('x').cos().mul(I('x').sin().exp()));
  t.true(torch.allclose(x.grad!, want, 1e-6, 1e-6));
});

test('inference_mode as a guard: `using _ = torch.inference_mode()` as Python\'s with block', (t) => {
  const x = I('x');
  let y!: Tensor;
  let z!: Tensor;
  {
    using _outer = torch.inference_mode();
    t.true(torch.is_inference_mode_enabled());
    y = x.mul(2);
    {
      using _inner = torch.inference_mode(false);
      t.false(torch.is_inference_mode_enabled());
      z = x.mul(3);
    }
    t.true(torch.is_inference_mode_enabled());
  }
  t.false(torch.is_inference_mode_enabled());
  t.true(y.is_inference());
  t.false(z.is_inference());
  const g = torch.inference_mode();
  g.exit();
  g.exit();
  t.false(torch.is_inference_mode_enabled(), 'a second exit() does nothing');
});
