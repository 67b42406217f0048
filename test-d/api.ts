// The public API's types where a user's hottest lines meet them: each case
// is a line that once compiled to `any` or failed under --strict.
import torch, { nn, type Tensor } from 'torchts';
import * as F from 'torchts/nn/functional';
import { DataLoader, TensorDataset, default_collate, type Dataset } from 'torchts/utils/data';
import { datasets, transforms } from 'torchts/vision';
import * as random from 'torchts/python/random';
import { format } from 'torchts/python/builtins';

import { expectType } from './_expect';

declare const x: Tensor;
declare const y: Tensor;

// item(): a number, so it goes into number[] and into arithmetic.
const losses: number[] = [];
losses.push(x.item());
expectType<number>()(x.item());
// @ts-expect-error item() is no string
const s: string = x.item();

// tolist(): numbers nested as deep as the tensor, never any.
expectType<torch.NestedNumbers>()(x.tolist());
// @ts-expect-error a nested list is not a string
x.tolist().toUpperCase();

// A module's call is typed by its forward().
const linear = new nn.Linear(4, 2);
expectType<Tensor>()(linear(x));
// @ts-expect-error Linear.forward takes one Tensor
linear(x, y);
// @ts-expect-error Linear.forward takes a Tensor, not a number
linear(3);

const seq = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
expectType<Tensor>()(seq(x));

class TwoInputs extends nn.Module {
  fc = new nn.Linear(4, 2);
  override forward(a: Tensor, scale: number): [Tensor, number] {
    return [this.fc(a), scale];
  }
}
const two = new TwoInputs();
expectType<[Tensor, number]>()(two(x, 2));
// @ts-expect-error the second argument is a number
two(x, x);

// Any module still goes where a Module is asked for.
const modules: nn.Module[] = [linear, seq, two, new nn.CrossEntropyLoss()];
void modules;

// Losses return a Tensor.
const loss_fn = new nn.CrossEntropyLoss();
expectType<Tensor>()(loss_fn(x, y));
expectType<Tensor>()(new nn.MSELoss()(x, y));
// @ts-expect-error a loss takes input and target
loss_fn(x);

// Pooling: the indices only when asked for.
expectType<Tensor>()(new nn.MaxPool2d(2)(x));
expectType<[Tensor, Tensor]>()(new nn.MaxPool2d(2, { return_indices: true })(x));
expectType<Tensor>()(F.max_pool2d(x, 2));
expectType<[Tensor, Tensor]>()(F.max_pool2d(x, 2, { return_indices: true }));

// Datasets and DataLoader: items, and batches as default_collate makes them.
const mnist = new datasets.MNIST({ root: 'data', transform: new transforms.ToTensor() });
expectType<[Tensor, number]>()(mnist.getitem(0));
const loader = new DataLoader(mnist, { batch_size: 32 });
for (const batch of loader) expectType<[Tensor, Tensor]>()(batch);
for (const [images, labels] of loader) {
  expectType<Tensor>()(images);
  expectType<Tensor>()(labels);
}
// @ts-expect-error a batch of [image, label] has two parts
for (const [, , third] of loader) void third;

const raw = new datasets.FashionMNIST({ root: 'data' });
expectType<[Tensor, number]>()(raw.getitem(0));
const composed = new datasets.MNIST({ root: 'data', transform: new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.5], [0.5])]) });
expectType<[Tensor, number]>()(composed.getitem(0));
const labelled = new datasets.MNIST({ root: 'data', target_transform: (t: number) => `class ${t}` });
for (const [, names] of new DataLoader(labelled, { batch_size: 4 })) expectType<string[]>()(names);

const pairs = new TensorDataset(x, y);
for (const batch of new DataLoader(pairs, { batch_size: 8 })) expectType<Tensor[]>()(batch);

const custom = new DataLoader(mnist, { batch_size: 8, collate_fn: (items) => items.length });
for (const batch of custom) expectType<number>()(batch);

declare const records: Dataset<{ features: Tensor; weight: number; name: string }>;
for (const batch of new DataLoader(records, { batch_size: 8 })) expectType<{ features: Tensor; weight: Tensor; name: string[] }>()(batch);
expectType<[Tensor, Tensor]>()(default_collate([[x, 1], [y, 2]] as [Tensor, number][]));

// A helper that takes any loader still takes a typed one.
const count = (l: DataLoader<unknown, unknown>) => l.length;
count(loader);

// torch.load: unknown until the caller says what was saved.
expectType<unknown>()(torch.load('file.pt'));
expectType<nn.StateDict>()(torch.load<nn.StateDict>('file.pt'));
linear.load_state_dict(torch.load('state.pt'));
// @ts-expect-error an unknown value has no fields to read
torch.load('file.pt').weight;

// Python's random: a number's draw is a number, a bigint's a bigint, whatever the value; choices keeps the element type.
random.seed(0);
expectType<number>()(random.random());
expectType<number>()(random.randrange(10));
expectType<bigint>()(random.randrange(10n));
expectType<bigint>()(random.getrandbits(64n));
expectType<string>()(random.choice(['a', 'b']));
expectType<string[]>()(random.choices(['a', 'b'], [1, 2], { k: 3 }));
expectType<number[]>()(random.sample([1, 2, 3], 2));
expectType<random.Random>()(new random.Random(5));
expectType<string>()(format(x, '.4f'));

// ds1 + ds2: a ConcatDataset of both item types.
const both = pairs.add(raw);
expectType<Tensor[] | [Tensor, number]>()(both.getitem(0));

// ToPILImage gives the HWC tensor that stands for a PIL image.
expectType<Tensor>()(new transforms.ToPILImage()(x));
expectType<Tensor>()(transforms.functional.to_pil_image(x, 'RGB'));
// @ts-expect-error no PIL mode of that name
transforms.functional.to_pil_image(x, 'RGB8');
