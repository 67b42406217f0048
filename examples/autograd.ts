// A learnable and a fixed tensor, a loss, its gradient, and a gradient step
// by hand: the autograd basics, printed as PyTorch prints them.
//   npx tsx examples/autograd.ts
import torch from 'torchts';

torch.manual_seed(0);
const w = torch.tensor([1, 1, 1], { requires_grad: true });
const x = torch.tensor([0.8, 0.6, 0.4]);
console.log('learnable:', w);
console.log('fixed:    ', x);

const loss = w.mul(x).sum().pow(2);
console.log('loss:', loss);

loss.backward({ retain_graph: true });
console.log('grad after one backward:', w.grad);
loss.backward();
console.log('grad after two (accumulated):', w.grad);

torch.no_grad(() => w.sub_(w.grad!.mul(0.1)));
w.grad!.zero_();
console.log('after a step of lr 0.1:', w, 'grad:', w.grad);

const noise = torch.randn(2, 3);
console.log('randn(2, 3) after manual_seed(0):', noise);
