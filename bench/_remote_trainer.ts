// The notebook's training step as a class a worker thread can host, for
// bench/remote_training.ts (registered with its module, as a program's own
// classes are for torch.multiprocessing.remote).
import torch, { nn, optim, type Tensor } from '../lib';
import { register } from '../lib/multiprocessing';

export class NotebookTrainer {
  readonly loss_fn = new nn.CrossEntropyLoss();

  constructor(
    readonly model: nn.Module,
    readonly optimizer: optim.Optimizer,
  ) {}

  /** One step on a batch: the loss before the update. */
  step(x: Tensor, y: Tensor): number {
    this.optimizer.zero_grad();
    const loss = this.loss_fn(this.model(x), y) as Tensor;
    loss.backward();
    this.optimizer.step();
    return loss.item();
  }

  /** An epoch over (images, labels) in batches of batch_size, in order: the mean loss. */
  epoch(images: Tensor, labels: Tensor, batch_size: number): number {
    let sum = 0;
    const n = images.shape[0];
    for (let i = 0; i < n; i += batch_size) sum += this.step(images.narrow(0, i, Math.min(batch_size, n - i)), labels.narrow(0, i, Math.min(batch_size, n - i)));
    return sum / Math.ceil(n / batch_size);
  }

  /** Nothing: the cost of a call alone. */
  noop(): number {
    return 0;
  }

  /** The model's output for x (no graph: call under no_grad or inference_mode). */
  predict(x: Tensor): Tensor {
    return this.model(x) as Tensor;
  }
}

register(NotebookTrainer, __filename);
void torch;
