// A user's script in a strict project, written from the README's lines: it
// must compile with no cast and no annotation beyond what the README shows.
import torch, { nn, optim } from 'torchts';
import { DataLoader } from 'torchts/utils/data';
import { datasets, transforms } from 'torchts/vision';

torch.manual_seed(0);
const w = torch.tensor([1, 1, 1], { requires_grad: true });
const loss0 = w.mul(torch.tensor([0.8, 0.6, 0.4])).sum().pow(2);
loss0.backward();
console.log(loss0, w.grad);

class SimpleMLP extends nn.Module {
  flatten = new nn.Flatten();
  layers: nn.Sequential;
  constructor(dims: number[]) {
    super();
    const layers: nn.Module[] = [];
    for (let i = 0; i < dims.length - 1; i++) {
      layers.push(new nn.Linear(dims[i], dims[i + 1]));
      if (i < dims.length - 2) layers.push(new nn.ReLU());
    }
    this.layers = new nn.Sequential(...layers);
  }
  override forward(x: torch.Tensor) {
    return this.layers(this.flatten(x));
  }
}

const train_set = new datasets.MNIST({ root: 'data', download: true, transform: new transforms.ToTensor() });
const train_loader = new DataLoader(train_set, { batch_size: 32, shuffle: false });
const model = new SimpleMLP([28 * 28, 32, 10]);
const loss_fn = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.04 });

const losses: number[] = [];
let n_correctly_classified = 0;
for (const [batch, labels] of train_loader) {
  console.log([...batch.shape]);
  optimizer.zero_grad();
  const predictions = model(batch);
  const loss = loss_fn(predictions, labels);
  loss.backward();
  optimizer.step();
  losses.push(loss.item());
  const [, predicted] = torch.max(predictions, 1);
  n_correctly_classified += predicted.eq(labels).sum().item();
}
console.log(losses, n_correctly_classified / train_loader.dataset.length, train_set.classes[0]);

torch.save(model.state_dict(), 'model.pt');
model.load_state_dict(torch.load('model.pt'));
