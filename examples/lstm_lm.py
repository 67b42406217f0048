"""pytorch/examples' word_language_model, LSTM flavour: a word-level language
model (Embedding, a 2-layer LSTM with dropout, Linear, log_softmax + NLLLoss,
i.e. cross-entropy) trained with truncated backpropagation through time (the
hidden state carried from batch to batch, detached), clip_grad_norm_ and
plain SGD, on the text of the GPL 3 that every Debian system has
(/usr/share/common-licenses/GPL-3, from base-files): its first 80% of lines
train, the next 10% validate, the rest test. The Python twin of
examples/lstm_lm.ts: with the same options both print the same lines (the
timings aside) and the same losses.

Full run (pytorch/examples' sizes: 40 epochs, 200 units, 2 layers; a few minutes on 2 cores):
    /usr/bin/python3 examples/lstm_lm.py
Quick run (seconds):
    /usr/bin/python3 examples/lstm_lm.py --epochs 4
Options: --data FILE --emsize --nhid --nlayers --lr --clip --epochs --batch_size --bptt
--dropout --seed --log-interval --batches (per epoch, 0 for all) --losses FILE (every step's loss, as JSON).
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

GPL3 = "/usr/share/common-licenses/GPL-3"
EVAL_BATCH_SIZE = 10


class Dictionary(object):
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []

    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
        return self.word2idx[word]

    def __len__(self):
        return len(self.idx2word)


class Corpus(object):
    """One text file's words as three id sequences: train (the first 80% of
    its lines), valid (the next 10%) and test (the rest); each line ends in
    an '<eos>' word."""

    def __init__(self, path):
        self.dictionary = Dictionary()
        with open(path, 'r', encoding="utf8") as f:
            lines = list(f)
        a, b = len(lines) * 8 // 10, len(lines) * 9 // 10
        self.train = self.tokenize(lines[:a])
        self.valid = self.tokenize(lines[a:b])
        self.test = self.tokenize(lines[b:])

    def tokenize(self, lines):
        idss = []
        for line in lines:
            words = line.split() + ['<eos>']
            ids = []
            for word in words:
                ids.append(self.dictionary.add_word(word))
            idss.append(torch.tensor(ids).type(torch.int64))
        return torch.cat(idss)


class RNNModel(nn.Module):
    """Container module with an encoder, a recurrent module, and a decoder."""

    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.5):
        super(RNNModel, self).__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        self.init_weights()
        self.nhid = nhid
        self.nlayers = nlayers

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                weight.new_zeros(self.nlayers, bsz, self.nhid))


def batchify(data, bsz):
    """The sequence cut into bsz columns, one row per time step: (len // bsz, bsz)."""
    nbatch = data.size(0) // bsz
    data = data.narrow(0, 0, nbatch * bsz)
    data = data.view(bsz, -1).t().contiguous()
    return data


def get_batch(source, i, bptt):
    """Rows i .. i+bptt of source and, as targets, the rows one step later, flattened."""
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i:i + seq_len]
    target = source[i + 1:i + 1 + seq_len].view(-1)
    return data, target


def repackage_hidden(h):
    """Wraps hidden states in new Tensors, to detach them from their history."""
    if isinstance(h, torch.Tensor):
        return h.detach()
    else:
        return tuple(repackage_hidden(v) for v in h)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='PyTorch word-level LSTM language model, on the GPL 3')
    parser.add_argument('--data', default=GPL3)
    parser.add_argument('--emsize', type=int, default=200)
    parser.add_argument('--nhid', type=int, default=200)
    parser.add_argument('--nlayers', type=int, default=2)
    parser.add_argument('--lr', type=float, default=20)
    parser.add_argument('--clip', type=float, default=0.25)
    parser.add_argument('--epochs', type=int, default=40)
    parser.add_argument('--batch_size', type=int, default=20)
    parser.add_argument('--bptt', type=int, default=35)
    parser.add_argument('--dropout', type=float, default=0.2)
    parser.add_argument('--seed', type=int, default=1111)
    parser.add_argument('--log-interval', type=int, default=2)
    parser.add_argument('--batches', type=int, default=0)
    parser.add_argument('--losses')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    corpus = Corpus(args.data)
    train_data = batchify(corpus.train, args.batch_size)
    val_data = batchify(corpus.valid, EVAL_BATCH_SIZE)
    test_data = batchify(corpus.test, EVAL_BATCH_SIZE)

    ntokens = len(corpus.dictionary)
    model = RNNModel(ntokens, args.emsize, args.nhid, args.nlayers, args.dropout)
    criterion = nn.NLLLoss()
    losses = []

    def evaluate(data_source):
        model.eval()
        total_loss = 0.
        hidden = model.init_hidden(EVAL_BATCH_SIZE)
        with torch.no_grad():
            for i in range(0, data_source.size(0) - 1, args.bptt):
                data, targets = get_batch(data_source, i, args.bptt)
                output, hidden = model(data, hidden)
                hidden = repackage_hidden(hidden)
                total_loss += len(data) * criterion(output, targets).item()
        return total_loss / (len(data_source) - 1)

    def train(epoch, lr):
        model.train()
        total_loss = 0.
        start_time = time.time()
        hidden = model.init_hidden(args.batch_size)
        for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
            if args.batches and batch == args.batches:
                break
            data, targets = get_batch(train_data, i, args.bptt)
            # Starting each batch, the hidden state is detached from how it was
            # made; otherwise backward would go through every batch so far.
            model.zero_grad()
            hidden = repackage_hidden(hidden)
            output, hidden = model(data, hidden)
            loss = criterion(output, targets)
            loss.backward()

            # clip_grad_norm_ helps prevent the exploding gradient problem in RNNs / LSTMs.
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)

            losses.append(loss.item())
            total_loss += loss.item()

            if batch % args.log_interval == 0 and batch > 0:
                cur_loss = total_loss / args.log_interval
                elapsed = time.time() - start_time
                print('| epoch {:3d} | {:5d}/{:5d} batches | lr {:02.2f} | ms/batch {:5.2f} | '
                      'loss {:5.2f} | ppl {:8.2f}'.format(
                          epoch, batch, len(train_data) // args.bptt, lr,
                          elapsed * 1000 / args.log_interval, cur_loss, math.exp(cur_loss)))
                total_loss = 0
                start_time = time.time()

    lr = args.lr
    best_val_loss = None
    best_state = None
    val_losses = []
    for epoch in range(1, args.epochs + 1):
        epoch_start_time = time.time()
        train(epoch, lr)
        val_loss = evaluate(val_data)
        val_losses.append(val_loss)
        print('-' * 89)
        print('| end of epoch {:3d} | time: {:5.2f}s | valid loss {:5.2f} | '
              'valid ppl {:8.2f}'.format(epoch, (time.time() - epoch_start_time),
                                         val_loss, math.exp(val_loss)))
        print('-' * 89)
        # Keep the best model so far; anneal the learning rate when the validation loss stops falling.
        if not best_val_loss or val_loss < best_val_loss:
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
            best_val_loss = val_loss
        else:
            lr /= 4.0

    # Back to the best model, then run on the test data.
    model.load_state_dict(best_state)
    test_loss = evaluate(test_data)
    print('=' * 89)
    print('| End of training | test loss {:5.2f} | test ppl {:8.2f}'.format(
        test_loss, math.exp(test_loss)))
    print('=' * 89)
    result = {"losses": losses, "val_losses": val_losses, "test_loss": test_loss}
    if args.losses:
        with open(args.losses, "w") as f:
            json.dump(result, f)
    return result


if __name__ == '__main__':
    main()
