"""pytorch/examples' mnist (a small CNN trained with Adadelta and StepLR) on
Debian's Fashion-MNIST: the Python twin of examples/mnist_cnn.ts. Both print
the same lines and, with the same options, the same losses.

Full run (pytorch/examples' defaults: 14 epochs of 938 batches of 64, 0.2-0.5 s a batch on 2 cores: one to two hours):
    /usr/bin/python3 examples/mnist_cnn.py
Quick run (about 1-2 minutes on 2 cores):
    /usr/bin/python3 examples/mnist_cnn.py --epochs 2 --batches 100 --test-batches 2
Options: --batch-size --test-batch-size --epochs --lr --gamma --seed --log-interval
--batches (training batches per epoch, 0 for all) --test-batches (0 for all)
--data DIR (Debian's gzip files) --losses FILE (the loss of every step, as JSON).
"""
import argparse
import gzip
import json
import os
import shutil
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torchvision import datasets, transforms

DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


def train(args, model, train_loader, optimizer, epoch, losses):
    model.train()
    # --batches stops an epoch early; the progress line then counts against it.
    n_batches = min(args.batches, len(train_loader)) if args.batches else len(train_loader)
    n_samples = n_batches * train_loader.batch_size if args.batches else len(train_loader.dataset)
    for batch_idx, (data, target) in enumerate(train_loader):
        if batch_idx == n_batches:
            break
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), n_samples,
                100. * batch_idx / n_batches, loss.item()))


def test(args, model, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    seen = 0
    with torch.no_grad():
        for batch_idx, (data, target) in enumerate(test_loader):
            if args.test_batches and batch_idx == args.test_batches:
                break
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction='sum').item()  # sum up batch loss
            pred = output.argmax(dim=1, keepdim=True)  # get the index of the max log-probability
            correct += pred.eq(target.view_as(pred)).sum().item()
            seen += len(data)

    test_loss /= seen

    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, seen, 100. * correct / seen))
    return test_loss, correct


def torchvision_root(folder):
    """Debian's gzip files laid out as torchvision's FashionMNIST expects them."""
    root = tempfile.mkdtemp(prefix="fashion-mnist-")
    raw = os.path.join(root, "FashionMNIST", "raw")
    os.makedirs(raw)
    for name in os.listdir(folder):
        if name.endswith(".gz"):
            with gzip.open(os.path.join(folder, name)) as src, open(os.path.join(raw, name[:-3]), "wb") as dst:
                shutil.copyfileobj(src, dst)
    return root


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='PyTorch MNIST Example, on Fashion-MNIST')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--test-batch-size', type=int, default=1000)
    parser.add_argument('--epochs', type=int, default=14)
    parser.add_argument('--lr', type=float, default=1.0)
    parser.add_argument('--gamma', type=float, default=0.7)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--log-interval', type=int, default=10)
    parser.add_argument('--batches', type=int, default=0)
    parser.add_argument('--test-batches', type=int, default=0)
    parser.add_argument('--data', default=DEBIAN_FASHION_MNIST)
    parser.add_argument('--losses')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)

    transform = transforms.Compose([
        transforms.ToTensor(),
        transforms.Normalize((0.1307,), (0.3081,))
    ])
    root = torchvision_root(args.data)
    try:
        dataset1 = datasets.FashionMNIST(root, train=True, transform=transform)
        dataset2 = datasets.FashionMNIST(root, train=False, transform=transform)
    finally:
        shutil.rmtree(root)
    train_loader = torch.utils.data.DataLoader(dataset1, batch_size=args.batch_size, shuffle=True)
    test_loader = torch.utils.data.DataLoader(dataset2, batch_size=args.test_batch_size)

    model = Net()
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)

    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    losses, tests = [], []
    for epoch in range(1, args.epochs + 1):
        train(args, model, train_loader, optimizer, epoch, losses)
        tests.append(test(args, model, test_loader))
        scheduler.step()
    result = {"losses": losses, "tests": tests}
    if args.losses:
        with open(args.losses, "w") as f:
            json.dump(result, f)
    return result


if __name__ == '__main__':
    main()
