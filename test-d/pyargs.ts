// Python's positional forms and the return_indices overloads (issue 18,
// items 3 and 6), as a user writes them: each line compiles only with the
// type stated, and each @ts-expect-error is a call TypeScript must refuse.
import torch, { nn, optim, type Tensor } from 'torchts';
import * as F from 'torchts/nn/functional';
import { DataLoader, TensorDataset } from 'torchts/utils/data';
import { datasets, transforms } from 'torchts/vision';

import { expectType } from './_expect';

declare const x: Tensor;

// max pooling: [values, indices] with return_indices true, by keyword or at its position; a Tensor otherwise.
expectType<Tensor>()(F.max_pool2d(x, 3, 1));
expectType<Tensor>()(F.max_pool2d(x, 3, 1, { return_indices: false }));
expectType<[Tensor, Tensor]>()(F.max_pool2d(x, 3, { return_indices: true }));
expectType<[Tensor, Tensor]>()(F.max_pool2d(x, 3, 1, 0, { return_indices: true }));
expectType<[Tensor, Tensor]>()(F.max_pool2d(x, 3, null, 0, 1, false, true));
expectType<Tensor>()(F.max_pool2d(x, 3, null, 0, 1, false, false));
expectType<Tensor | [Tensor, Tensor]>()(F.max_pool2d(x, 3, { return_indices: Math.random() > 0.5 }));
expectType<[Tensor, Tensor]>()(F.max_pool1d(x, 2, { return_indices: true }));
expectType<Tensor>()(F.max_pool3d(x, [1, 2, 2]));
expectType<[Tensor, Tensor]>()(F.max_pool3d_with_indices(x, 2));
expectType<Tensor>()(F.adaptive_max_pool2d(x, [null, 7]));
expectType<[Tensor, Tensor]>()(F.adaptive_max_pool2d(x, 7, true));
expectType<[Tensor, Tensor]>()(F.adaptive_max_pool1d(x, 7, { return_indices: true }));
expectType<Tensor>()(F.adaptive_max_pool3d(x, 7));
// @ts-expect-error the indices of a plain call are not there
F.max_pool2d(x, 2)[1];

// The modules' forward, typed by the return_indices given at construction.
expectType<Tensor>()(new nn.MaxPool2d(2, 1)(x));
expectType<[Tensor, Tensor]>()(new nn.MaxPool2d(2, 1, 0, 1, true)(x));
expectType<[Tensor, Tensor]>()(new nn.MaxPool1d(2, { return_indices: true })(x));
expectType<Tensor>()(new nn.MaxPool3d(2)(x));
expectType<[Tensor, Tensor]>()(new nn.AdaptiveMaxPool2d(7, true)(x));
expectType<Tensor>()(new nn.AdaptiveMaxPool1d(7)(x));

// Python's positional forms.
new nn.Linear(3, 4, false);
new nn.Linear({ in_features: 3, out_features: 4 });
new nn.Linear(3, 4, { bias: false, dtype: torch.float64 });
new nn.Conv2d(1, 32, 3, 2);
new nn.Conv2d(1, 32, [3, 3], 1, 'same');
new nn.Softmax({ dim: 1 });
new nn.Dropout(0.2, true);
new nn.CrossEntropyLoss(null, null, -1);
new nn.MSELoss({ reduction: 'sum' });
new optim.SGD(new nn.Linear(1, 1).parameters(), 0.1, 0.9);
new optim.Adam(new nn.Linear(1, 1).parameters(), 1e-3, [0.9, 0.99]);
new DataLoader(new TensorDataset(x), 32, true);
new datasets.FashionMNIST('data', true, new transforms.ToTensor());
F.conv2d(x, x, null, 2, 'valid');
F.nll_loss(x, x, { reduction: 'sum' });
// @ts-expect-error Linear's bias is a bool
new nn.Linear(3, 4, 'no');
// @ts-expect-error in_features and out_features are both required
new nn.Linear({ in_features: 3 });
// @ts-expect-error reduction is one of Python's three
F.mse_loss(x, x, { reduction: 'avg' });
// @ts-expect-error an unknown keyword
F.nll_loss(x, x, { reductio: 'sum' });
