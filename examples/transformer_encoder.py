"""PyTorch's transformer language-model tutorial, batch first: word embeddings
scaled by sqrt(d_model), sinusoidal positional encoding, an
nn.TransformerEncoder (batch_first=True) under a causal mask (each position
sees itself and the words before it), a Linear decoder, CrossEntropyLoss,
clip_grad_norm_, SGD and StepLR, on the same GPL 3 text and split as
examples/lstm_lm.py. The Python twin of examples/transformer_encoder.ts: with
the same options both print the same lines (the timings aside) and the same
losses.

Full run (the tutorial's sizes: 200 wide, 2 layers, 2 heads; 20 epochs; a few minutes on 2 cores):
    /usr/bin/python3 examples/transformer_encoder.py
Quick run (seconds):
    /usr/bin/python3 examples/transformer_encoder.py --epochs 3
Options: --data FILE --emsize --d_hid --nlayers --nhead --lr --clip --epochs --batch_size
--bptt --dropout --seed --log-interval --batches (per epoch, 0 for all) --losses FILE (every step's loss, as JSON).
"""
import argparse
import json
import math
import time

import torch
from torch import nn

from lstm_lm import GPL3, Corpus

EVAL_BATCH_SIZE = 10


class PositionalEncoding(nn.Module):
    """Adds sin(pos / 10000^(2i/d)) to feature 2i and cos(...) to feature 2i+1, then dropout.
    Input and output (batch, seq, d_model)."""

    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super().__init__()
        if d_model % 2 != 0:
            raise ValueError(f"PositionalEncoding: d_model must be even (sin and cos take turns), got {d_model}")
        self.dropout = nn.Dropout(p=dropout)

        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(1, max_len, d_model)
        pe[0, :, 0::2] = torch.sin(position * div_term)
        pe[0, :, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe)

    def forward(self, x):
        x = x + self.pe[:, :x.size(1)]
        return self.dropout(x)


class TransformerModel(nn.Module):
    """Embedding * sqrt(d_model) - positional encoding - TransformerEncoder - Linear.
    Input (batch, seq) word ids and a (seq, seq) additive mask; output (batch, seq, ntoken) logits."""

    def __init__(self, ntoken, d_model, nhead, d_hid, nlayers, dropout=0.5):
        super().__init__()
        self.model_type = 'Transformer'
        self.pos_encoder = PositionalEncoding(d_model, dropout)
        encoder_layers = nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout, batch_first=True)
        self.transformer_encoder = nn.TransformerEncoder(encoder_layers, nlayers)
        self.encoder = nn.Embedding(ntoken, d_model)
        self.d_model = d_model
        self.decoder = nn.Linear(d_model, ntoken)

        self.init_weights()

    def init_weights(self):
        initrange = 0.1
        self.encoder.weight.data.uniform_(-initrange, initrange)
        self.decoder.bias.data.zero_()
        self.decoder.weight.data.uniform_(-initrange, initrange)

    def forward(self, src, src_mask):
        src = self.encoder(src) * math.sqrt(self.d_model)
        src = self.pos_encoder(src)
        output = self.transformer_encoder(src, src_mask)
        output = self.decoder(output)
        return output


def batchify(data, bsz):
    """The sequence cut into bsz rows, batch first: (bsz, len // bsz)."""
    seq_len = data.size(0) // bsz
    data = data[:seq_len * bsz]
    data = data.view(bsz, seq_len).contiguous()
    return data


def get_batch(source, i, bptt):
    """Columns i .. i+bptt of source and, as targets, the columns one step later, flattened."""
    seq_len = min(bptt, source.size(1) - 1 - i)
    data = source[:, i:i + seq_len]
    target = source[:, i + 1:i + 1 + seq_len].reshape(-1)
    return data, target


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='PyTorch TransformerEncoder language model, on the GPL 3')
    parser.add_argument('--data', default=GPL3)
    parser.add_argument('--emsize', type=int, default=200)
    parser.add_argument('--d_hid', type=int, default=200)
    parser.add_argument('--nlayers', type=int, default=2)
    parser.add_argument('--nhead', type=int, default=2)
    parser.add_argument('--lr', type=float, default=5.0)
    parser.add_argument('--clip', type=float, default=0.5)
    parser.add_argument('--epochs', type=int, default=20)
    parser.add_argument('--batch_size', type=int, default=20)
    parser.add_argument('--bptt', type=int, default=35)
    parser.add_argument('--dropout', type=float, default=0.2)
    parser.add_argument('--seed', type=int, default=0)
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
    model = TransformerModel(ntokens, args.emsize, args.nhead, args.d_hid, args.nlayers, args.dropout)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.95)
    # The causal mask: -inf above the diagonal, so position j attends to positions <= j only.
    src_mask = nn.Transformer.generate_square_subsequent_mask(args.bptt)
    losses = []

    def train(epoch):
        model.train()
        total_loss = 0.
        start_time = time.time()
        num_batches = train_data.size(1) // args.bptt
        for batch, i in enumerate(range(0, train_data.size(1) - 1, args.bptt)):
            if args.batches and batch == args.batches:
                break
            data, targets = get_batch(train_data, i, args.bptt)
            seq_len = data.size(1)
            mask = src_mask if seq_len == args.bptt else src_mask[:seq_len, :seq_len]
            output = model(data, mask)
            loss = criterion(output.view(-1, ntokens), targets)

            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            optimizer.step()

            losses.append(loss.item())
            total_loss += loss.item()
            if batch % args.log_interval == 0 and batch > 0:
                lr = scheduler.get_last_lr()[0]
                ms_per_batch = (time.time() - start_time) * 1000 / args.log_interval
                cur_loss = total_loss / args.log_interval
                ppl = math.exp(cur_loss)
                print(f'| epoch {epoch:3d} | {batch:5d}/{num_batches:5d} batches | '
                      f'lr {lr:02.2f} | ms/batch {ms_per_batch:5.2f} | '
                      f'loss {cur_loss:5.2f} | ppl {ppl:8.2f}')
                total_loss = 0
                start_time = time.time()

    def evaluate(eval_data):
        model.eval()
        total_loss = 0.
        with torch.no_grad():
            for i in range(0, eval_data.size(1) - 1, args.bptt):
                data, targets = get_batch(eval_data, i, args.bptt)
                seq_len = data.size(1)
                mask = src_mask if seq_len == args.bptt else src_mask[:seq_len, :seq_len]
                output = model(data, mask)
                output_flat = output.view(-1, ntokens)
                total_loss += seq_len * criterion(output_flat, targets).item()
        return total_loss / (eval_data.size(1) - 1)

    best_val_loss = float('inf')
    best_state = None
    val_losses = []
    for epoch in range(1, args.epochs + 1):
        epoch_start_time = time.time()
        train(epoch)
        val_loss = evaluate(val_data)
        val_losses.append(val_loss)
        val_ppl = math.exp(val_loss)
        elapsed = time.time() - epoch_start_time
        print('-' * 89)
        print(f'| end of epoch {epoch:3d} | time: {elapsed:5.2f}s | '
              f'valid loss {val_loss:5.2f} | valid ppl {val_ppl:8.2f}')
        print('-' * 89)

        if val_loss < best_val_loss:
            best_val_loss = val_loss
            best_state = {k: v.clone() for k, v in model.state_dict().items()}

        scheduler.step()

    model.load_state_dict(best_state)
    test_loss = evaluate(test_data)
    test_ppl = math.exp(test_loss)
    print('=' * 89)
    print(f'| End of training | test loss {test_loss:5.2f} | '
          f'test ppl {test_ppl:8.2f}')
    print('=' * 89)
    result = {"losses": losses, "val_losses": val_losses, "test_loss": test_loss}
    if args.losses:
        with open(args.losses, "w") as f:
            json.dump(result, f)
    return result


if __name__ == '__main__':
    main()
