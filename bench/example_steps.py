"""Python PyTorch's side of the training examples' steps in bench/run.ts: the
twin of bench/example_steps.ts, the models imported from the examples' Python
twins (examples/mnist_cnn.py, lstm_lm.py, transformer_encoder.py).
   /usr/bin/python3 bench/example_steps.py images.u8 labels.u8 n steps [--only cnn|lstm|transformer]
Prints one JSON line: the mean step of each (or of the one named by --only),
in microseconds."""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples"))
import lstm_lm  # noqa: E402
import mnist_cnn  # noqa: E402
import transformer_encoder  # noqa: E402

images_path, labels_path, n, steps = sys.argv[1:5]
n, steps = int(n), int(steps)
only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv[5:] else None
if only not in (None, "cnn", "lstm", "transformer"):
    raise SystemExit(f"--only takes cnn, lstm or transformer, got {only}")
torch.set_num_threads(1)
torch.manual_seed(0)


def mean_step_us(step):
    warm = max(3, steps // 10)
    for s in range(warm):
        step(s)
    t0 = time.perf_counter()
    for s in range(steps):
        step(warm + s)
    return (time.perf_counter() - t0) * 1e6 / steps


def cnn_step():
    # ToTensor then Normalize((0.1307,), (0.3081,)), as the example's loader gives them.
    images = torch.from_numpy(np.fromfile(images_path, dtype=np.uint8)).view(n, 1, 28, 28).float().div(255).sub(0.1307).div(0.3081)
    labels = torch.from_numpy(np.fromfile(labels_path, dtype=np.uint8)).long()
    batches = n // 64
    model = mnist_cnn.Net()
    model.train()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)

    def step(s):
        b = s % batches
        data, target = images[b * 64:(b + 1) * 64], labels[b * 64:(b + 1) * 64]
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        loss.item()
    return step


def lstm_step(corpus):
    bptt, lr = 35, 20
    train_data = lstm_lm.batchify(corpus.train, 20)
    batches = (train_data.size(0) - 1) // bptt
    model = lstm_lm.RNNModel(len(corpus.dictionary), 200, 200, 2, 0.2)
    model.train()
    criterion = nn.NLLLoss()
    state = {"hidden": model.init_hidden(20)}

    def step(s):
        data, targets = lstm_lm.get_batch(train_data, (s % batches) * bptt, bptt)
        model.zero_grad()
        hidden = lstm_lm.repackage_hidden(state["hidden"])
        output, state["hidden"] = model(data, hidden)
        loss = criterion(output, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)
        loss.item()
    return step


def transformer_step(corpus):
    bptt = 35
    train_data = transformer_encoder.batchify(corpus.train, 20)
    batches = (train_data.size(1) - 1) // bptt
    ntokens = len(corpus.dictionary)
    model = transformer_encoder.TransformerModel(ntokens, 200, 2, 200, 2, 0.2)
    model.train()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
    src_mask = nn.Transformer.generate_square_subsequent_mask(bptt)

    def step(s):
        data, targets = transformer_encoder.get_batch(train_data, (s % batches) * bptt, bptt)
        output = model(data, src_mask)
        loss = criterion(output.view(-1, ntokens), targets)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        loss.item()
    return step


corpus = lstm_lm.Corpus(lstm_lm.GPL3)
steps_of = {"cnn": cnn_step, "lstm": lambda: lstm_step(corpus), "transformer": lambda: transformer_step(corpus)}
print(json.dumps({f"{name}_step_us": mean_step_us(make()) for name, make in steps_of.items() if only in (None, name)}))
