// RSS over a long loop of custom autograd Functions (torch.autograd.Function
// written in TypeScript): each step applies one that saves its output for
// backward (the case that would leak if the saved tensor held its own graph
// node alive), one with a non-tensor argument, and a module with a full
// backward hook, then runs backward. The tensors are left to GC, as a user
// would. Samples RSS ten times after a warm-up; flat means no leak of nodes,
// ctx objects or saved tensors.
//   npx tsx bench/custom_function_rss.ts [steps=20000] [warmup=2000]
import torch, { nn, type Tensor } from '../lib';
import { Function, type FunctionCtx } from '../lib/autograd';

const steps = Number(process.argv[2] ?? 20_000);
const warmup = Number(process.argv[3] ?? 2_000);

class MyExp extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const y = x.exp();
    ctx.save_for_backward(y);
    return y;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(ctx.saved_tensors[0]!);
  }
}

class Scale extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor, k: number): Tensor {
    ctx.k = k;
    return x.mul(k);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): [Tensor, null] {
    return [g.mul(ctx.k as number), null];
  }
}

// Backwards that fail, in JS (a throw) and in the checks (a wrong count):
// the error paths must free the graph too.
class Raises extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.save_for_backward(x);
    return x.mul(2);
  }
  static override backward(): Tensor {
    throw new Error('boom');
  }
}
class TooMany extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
    return [g, g];
  }
}

torch.set_num_threads(1);
torch.manual_seed(0);
const lin = new nn.Linear(64, 64);
lin.register_full_backward_hook((_m, gradInput) => [gradInput[0]!.mul(0.5)]);
const x = torch.randn(16, 64, { requires_grad: true });

const step = (): void => {
  const y = Scale.apply(MyExp.apply(lin(x).tanh()), 0.5);
  y.sum().backward();
  x.grad = null;
  lin.zero_grad();
};

const failing = (): void => {
  for (const cls of [Raises, TooMany]) {
    try {
      cls.apply(x).sum().backward();
    } catch {
      // the error is the point
    }
  }
};

const mb = (): string => (process.memoryUsage().rss / 2 ** 20).toFixed(1);
for (let i = 0; i < warmup; i++) step();
const samples: string[] = [];
const every = Math.max(1, Math.floor(steps / 10));
const t0 = Date.now();
for (let i = 1; i <= steps; i++) {
  step();
  if (i % every === 0) samples.push(mb());
}
const failed: string[] = [];
for (let i = 1; i <= steps; i++) {
  failing();
  if (i % every === 0) failed.push(mb());
}
console.log(`custom Function loop, ${steps} steps after ${warmup} warm-up: RSS MB ${samples.join(' ')} (${((Date.now() - t0) / steps).toFixed(3)} ms/step)`);
console.log(`failing backwards, ${steps} steps of two: RSS MB ${failed.join(' ')}`);
