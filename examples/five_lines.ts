import torch from 'torchts';
torch.manual_seed(42);
const x = torch.randn(3, 4, { requires_grad: true });
const y = x.mul(x).sum(1).mean();
y.backward(); console.log(x, y, x.grad);
