"""The exercise notebook in Python, on Debian's Fashion-MNIST, with the
random draws examples/notebook.ts makes in the same order: its last losses
and test accuracies are what the TypeScript notebook must reproduce.
Run: /usr/bin/python3 scripts/golden/notebook.py [models]   (CI compares 2)
On a GPU (scripts/gpu_check.sh): notebook.py 2 --device cuda --data DIR --out FILE
trains there, on the .gz files in DIR, and writes the results to FILE, which
examples/notebook.ts's results.json from the same options must equal."""
import argparse
import json

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import ToTensor

from _common import write_fixture
from _fashion_mnist import torchvision_root
from _notebook_models import NOTEBOOK_DIMS, SimpleFixedMLP, SimpleMLP, sequential_mlp

parser = argparse.ArgumentParser()
parser.add_argument("models", type=int, nargs="?", default=2)
parser.add_argument("--device", default="cpu")
parser.add_argument("--data", help="a folder of Fashion-MNIST's four .gz files (default: Debian's)")
parser.add_argument("--out", help="write the results here instead of the fixture")
options = parser.parse_args()
N_MODELS = options.models
DEVICE = options.device
SEED = 0

torch.manual_seed(SEED)
root = torchvision_root(options.data) if options.data else torchvision_root()
train_set = datasets.FashionMNIST(root=root, transform=ToTensor())
test_set = datasets.FashionMNIST(root=root, transform=ToTensor(), train=False)
train_loader = DataLoader(train_set, batch_size=32, shuffle=False)
test_loader = DataLoader(test_set, batch_size=32, shuffle=False)

for batch, labels in train_loader:
    break

model1, model2, model3 = SimpleFixedMLP(), SimpleMLP(NOTEBOOK_DIMS), sequential_mlp(NOTEBOOK_DIMS)


def train(model, dataloader, optimizer, loss_fn, n_epochs=20):
    for epoch in range(n_epochs):
        losses = []
        for batch, labels in dataloader:
            batch, labels = batch.to(DEVICE), labels.to(DEVICE)
            optimizer.zero_grad()
            predictions = model(batch)
            loss = loss_fn(predictions, labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses


loss_fn = nn.CrossEntropyLoss()
models = [SimpleMLP(dims=[28 * 28, 32, 10]).to(DEVICE) for _ in range(N_MODELS)]
optimizers = [torch.optim.Adam(model.parameters(), lr=0.04) for model in models]
losses = [train(model, train_loader, optimizers[i], loss_fn, n_epochs=1) for i, model in enumerate(models)]


def compute_accuracy(model, dataloader):
    n_correctly_classified = 0
    for batch, labels in dataloader:
        batch, labels = batch.to(DEVICE), labels.to(DEVICE)
        outputs = model(batch)
        _, predicted = torch.max(outputs, dim=1)
        n_correctly_classified += (predicted == labels).sum().item()
    return n_correctly_classified / len(dataloader.dataset)


def compute_accuracy_per_class(model, dataloader):
    correct = {i: 0 for i in range(10)}
    total = {i: 0 for i in range(10)}
    for batch, labels in dataloader:
        batch, labels = batch.to(DEVICE), labels.to(DEVICE)
        predictions_labels = model(batch).argmax(dim=1)
        for i in range(len(labels)):
            label = labels[i].item()
            total[label] += 1
            if predictions_labels[i] == label:
                correct[label] += 1
    return {i: correct[i] / total[i] for i in range(10)}


test_accuracies = [compute_accuracy(model, test_loader) for model in models]
per_class = [compute_accuracy_per_class(model, test_loader) for model in models]

results = {
    "dataset": "FashionMNIST",
    "seed": SEED,
    "models": N_MODELS,
    "last_losses": [l[-1] for l in losses],
    "loss_sums": [sum(l) for l in losses],
    "test_accuracies": test_accuracies,
    "per_class_accuracies": [list(p.values()) for p in per_class],
}
if options.out:
    with open(options.out, "w") as f:
        json.dump({**results, "device": DEVICE, "torch_version": torch.__version__}, f, indent=1)
else:
    write_fixture("notebook.json", results, per_kernel=True)
