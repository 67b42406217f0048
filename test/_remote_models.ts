// Classes for test/remote.test.ts, in a module of their own and registered
// with it, so that a torch.multiprocessing.remote() worker can import them.
import torch, { nn, optim, type Tensor } from '../lib';
import { register } from '../lib/multiprocessing';

/** A small classifier with dropout and batch norm: its step draws random numbers and updates buffers. */
export class Net extends nn.Module {
  fc1 = new nn.Linear(8, 16);
  norm = new nn.BatchNorm1d(16);
  drop = new nn.Dropout(0.25);
  fc2 = new nn.Linear(16, 3);

  override forward(x: Tensor): Tensor {
    return this.fc2(this.drop(torch.relu(this.norm(this.fc1(x)))));
  }
}

/** The model, its optimizer and its loss: one training step per call. */
export class Trainer {
  readonly loss_fn = new nn.CrossEntropyLoss();

  constructor(
    readonly model: Net,
    readonly optimizer: optim.Optimizer,
  ) {}

  /** One step on (x, y): the loss before the update. */
  step(x: Tensor, y: Tensor): number {
    this.optimizer.zero_grad();
    const loss = this.loss_fn(this.model(x), y);
    loss.backward();
    this.optimizer.step();
    return loss.item();
  }

  /** Sleeps ms milliseconds on its thread (a long step), then answers. */
  busy(ms: number): number {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return ms;
  }

  /** The sum of x's elements, read on the worker. */
  total(x: Tensor): number {
    return x.sum().item();
  }

  /** An async method: awaited on the worker, its result sent when it settles. */
  async later(value: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return value * 2;
  }

  fail(message: string): never {
    throw new RangeError(message);
  }

  /** Ends the worker thread mid-call, as a crash there would. */
  exit(): void {
    process.exit(3);
  }
}

register(Net, __filename);
register(Trainer, __filename);
