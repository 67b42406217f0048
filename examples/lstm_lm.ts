// pytorch/examples' word_language_model, LSTM flavour: a word-level language
// model (Embedding, a 2-layer LSTM with dropout, Linear, log_softmax +
// NLLLoss, i.e. cross-entropy) trained with truncated backpropagation
// through time (the hidden state carried from batch to batch, detached),
// clip_grad_norm_ and plain SGD, on the text of the GPL 3 that every Debian
// system has (/usr/share/common-licenses/GPL-3, from base-files): its first
// 80% of lines train, the next 10% validate, the rest test. Its Python twin
// is examples/lstm_lm.py: with the same options both print the same lines
// (the timings aside) and the same losses (test/examples.test.ts checks a
// short run).
//
// Full run (pytorch/examples' sizes: 40 epochs, 200 units, 2 layers; a few minutes on 2 cores):
//   npx tsx examples/lstm_lm.ts
// Quick run (seconds):
//   npx tsx examples/lstm_lm.ts --epochs 4
// Options: --data FILE --emsize --nhid --nlayers --lr --clip --epochs --batch_size --bptt
// --dropout --seed --log-interval --batches (per epoch, 0 for all) --losses FILE (every step's loss, as JSON).
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';

import torch, { nn, type Tensor } from 'torchts';
import { format } from 'torchts/python/builtins';

const F = nn.functional;
export const GPL3 = '/usr/share/common-licenses/GPL-3';
const EVAL_BATCH_SIZE = 10;

export class Dictionary {
  word2idx = new Map<string, number>();
  idx2word: string[] = [];

  add_word(word: string): number {
    if (!this.word2idx.has(word)) {
      this.idx2word.push(word);
      this.word2idx.set(word, this.idx2word.length - 1);
    }
    return this.word2idx.get(word)!;
  }

  get length(): number {
    return this.idx2word.length;
  }
}

/** Python's str.split(): runs of Python's whitespace (not JS's \s, which takes in U+FEFF and leaves out \x1c-\x1f and \x85) separate words; none are empty. */
function splitWords(line: string): string[] {
  return line.split(/[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter((w) => w.length > 0);
}

/**
 * One text file's words as three id sequences: train (the first 80% of its
 * lines), valid (the next 10%) and test (the rest); each line ends in an
 * '<eos>' word. Lines are Python's: \n, \r\n and \r end one, and a last line
 * without an ending still counts.
 */
export class Corpus {
  dictionary = new Dictionary();
  train: Tensor;
  valid: Tensor;
  test: Tensor;

  constructor(path: string) {
    const text = fs.readFileSync(path, 'utf8').replace(/\r\n?/g, '\n');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const a = Math.floor((lines.length * 8) / 10);
    const b = Math.floor((lines.length * 9) / 10);
    this.train = this.tokenize(lines.slice(0, a));
    this.valid = this.tokenize(lines.slice(a, b));
    this.test = this.tokenize(lines.slice(b));
  }

  tokenize(lines: string[]): Tensor {
    const ids: number[] = [];
    for (const line of lines) {
      for (const word of [...splitWords(line), '<eos>']) ids.push(this.dictionary.add_word(word));
    }
    return torch.tensor(ids, { dtype: torch.int64 });
  }
}

/**
 * Embedding (ntoken -> ninp) - dropout - LSTM (ninp -> nhid, nlayers, dropout
 * between layers) - dropout - Linear (nhid -> ntoken) - log_softmax.
 * Input (seq, batch) word ids and a hidden state ((nlayers, batch, nhid) x 2);
 * output (seq * batch, ntoken) log-probabilities and the new hidden state.
 */
export class RNNModel extends nn.Module {
  ntoken: number;
  drop: nn.Dropout;
  encoder: nn.Embedding;
  rnn: nn.LSTM;
  decoder: nn.Linear;
  nhid: number;
  nlayers: number;

  constructor(ntoken: number, ninp: number, nhid: number, nlayers: number, dropout = 0.5) {
    super();
    this.ntoken = ntoken;
    this.drop = new nn.Dropout(dropout);
    this.encoder = new nn.Embedding(ntoken, ninp);
    this.rnn = new nn.LSTM(ninp, nhid, nlayers, { dropout });
    this.decoder = new nn.Linear(nhid, ntoken);
    this.init_weights();
    this.nhid = nhid;
    this.nlayers = nlayers;
  }

  init_weights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  override forward(input: Tensor, hidden: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const emb = this.drop(this.encoder(input));
    let output: Tensor;
    [output, hidden] = this.rnn(emb, hidden);
    output = this.drop(output);
    let decoded = this.decoder(output);
    decoded = decoded.view(-1, this.ntoken);
    return [F.log_softmax(decoded, { dim: 1 }), hidden];
  }

  init_hidden(bsz: number): [Tensor, Tensor] {
    const weight = this.parameters()[0];
    return [weight.new_zeros([this.nlayers, bsz, this.nhid]), weight.new_zeros([this.nlayers, bsz, this.nhid])];
  }
}

/** The sequence cut into bsz columns, one row per time step: (len // bsz, bsz). */
export function batchify(data: Tensor, bsz: number): Tensor {
  const nbatch = Math.floor(data.size(0) / bsz);
  data = data.narrow(0, 0, nbatch * bsz);
  data = data.view(bsz, -1).t().contiguous();
  return data;
}

/** Rows i .. i+bptt of source and, as targets, the rows one step later, flattened. */
export function get_batch(source: Tensor, i: number, bptt: number): [Tensor, Tensor] {
  const seq_len = Math.min(bptt, source.shape[0] - 1 - i);
  const data = source.narrow(0, i, seq_len);
  const target = source.narrow(0, i + 1, seq_len).view(-1);
  return [data, target];
}

/** Wraps hidden states in new Tensors, to detach them from their history. */
function repackage_hidden(h: [Tensor, Tensor]): [Tensor, Tensor] {
  return [h[0].detach(), h[1].detach()];
}

/** Python's '{:W.Pf}' and '{:Wd}'. */
export const fixed = (x: number, width: number, precision: number) => format(x, `${width}.${precision}f`);
export const int = (x: number, width: number) => format(x, `${width}d`);

export interface Args {
  data: string;
  emsize: number;
  nhid: number;
  nlayers: number;
  lr: number;
  clip: number;
  epochs: number;
  batch_size: number;
  bptt: number;
  dropout: number;
  seed: number;
  log_interval: number;
  batches: number;
  losses: string | null;
}

export function parse_args(argv: string[]): Args {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: GPL3 },
      emsize: { type: 'string', default: '200' },
      nhid: { type: 'string', default: '200' },
      nlayers: { type: 'string', default: '2' },
      lr: { type: 'string', default: '20' },
      clip: { type: 'string', default: '0.25' },
      epochs: { type: 'string', default: '40' },
      batch_size: { type: 'string', default: '20' },
      bptt: { type: 'string', default: '35' },
      dropout: { type: 'string', default: '0.2' },
      seed: { type: 'string', default: '1111' },
      'log-interval': { type: 'string', default: '2' },
      batches: { type: 'string', default: '0' },
      losses: { type: 'string' },
    },
  });
  const int = (name: keyof typeof v, min: number): number => {
    const x = Number(v[name]);
    if (!Number.isInteger(x) || x < min) throw new RangeError(`lstm_lm: --${name} must be an integer >= ${min}, got ${String(v[name])}`);
    return x;
  };
  const float = (name: keyof typeof v): number => {
    const x = Number(v[name]);
    if (!Number.isFinite(x)) throw new RangeError(`lstm_lm: --${name} must be a number, got ${String(v[name])}`);
    return x;
  };
  return {
    data: v.data!,
    emsize: int('emsize', 1),
    nhid: int('nhid', 1),
    nlayers: int('nlayers', 1),
    lr: float('lr'),
    clip: float('clip'),
    epochs: int('epochs', 1),
    batch_size: int('batch_size', 1),
    bptt: int('bptt', 1),
    dropout: float('dropout'),
    seed: int('seed', 0),
    log_interval: int('log-interval', 1),
    batches: int('batches', 0),
    losses: v.losses ?? null,
  };
}

export function main(argv: string[] = process.argv.slice(2)): { losses: number[]; val_losses: number[]; test_loss: number } {
  const args = parse_args(argv);
  torch.manual_seed(args.seed);
  const corpus = new Corpus(args.data);
  const train_data = batchify(corpus.train, args.batch_size);
  const val_data = batchify(corpus.valid, EVAL_BATCH_SIZE);
  const test_data = batchify(corpus.test, EVAL_BATCH_SIZE);

  const ntokens = corpus.dictionary.length;
  const model = new RNNModel(ntokens, args.emsize, args.nhid, args.nlayers, args.dropout);
  const criterion = new nn.NLLLoss();
  const losses: number[] = [];

  function evaluate(data_source: Tensor): number {
    model.eval();
    let total_loss = 0;
    let hidden = model.init_hidden(EVAL_BATCH_SIZE);
    torch.no_grad(() => {
      for (let i = 0; i < data_source.size(0) - 1; i += args.bptt) {
        const [data, targets] = get_batch(data_source, i, args.bptt);
        let output: Tensor;
        [output, hidden] = model(data, hidden);
        hidden = repackage_hidden(hidden);
        total_loss += data.shape[0] * criterion(output, targets).item();
      }
    });
    return total_loss / (data_source.shape[0] - 1);
  }

  function train(epoch: number, lr: number): void {
    model.train();
    let total_loss = 0;
    let start_time = performance.now();
    let hidden = model.init_hidden(args.batch_size);
    for (let batch = 0, i = 0; i < train_data.size(0) - 1; batch++, i += args.bptt) {
      if (args.batches && batch === args.batches) break;
      const [data, targets] = get_batch(train_data, i, args.bptt);
      // Starting each batch, the hidden state is detached from how it was
      // made; otherwise backward would go through every batch so far.
      model.zero_grad();
      hidden = repackage_hidden(hidden);
      let output: Tensor;
      [output, hidden] = model(data, hidden);
      const loss = criterion(output, targets);
      loss.backward();

      // clip_grad_norm_ helps prevent the exploding gradient problem in RNNs / LSTMs.
      nn.utils.clip_grad_norm_(model.parameters(), args.clip);
      for (const p of model.parameters()) p.data.add_(p.grad!, { alpha: -lr });

      losses.push(loss.item());
      total_loss += loss.item();

      if (batch % args.log_interval === 0 && batch > 0) {
        const cur_loss = total_loss / args.log_interval;
        const elapsed = performance.now() - start_time;
        console.log(
          `| epoch ${int(epoch, 3)} | ${int(batch, 5)}/${int(Math.floor(train_data.shape[0] / args.bptt), 5)} batches | lr ${fixed(lr, 2, 2)} | ` +
            `ms/batch ${fixed(elapsed / args.log_interval, 5, 2)} | loss ${fixed(cur_loss, 5, 2)} | ppl ${fixed(Math.exp(cur_loss), 8, 2)}`,
        );
        total_loss = 0;
        start_time = performance.now();
      }
    }
  }

  let lr = args.lr;
  let best_val_loss: number | null = null;
  let best_state: Record<string, Tensor> | null = null;
  const val_losses: number[] = [];
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    const epoch_start_time = performance.now();
    train(epoch, lr);
    const val_loss = evaluate(val_data);
    val_losses.push(val_loss);
    console.log('-'.repeat(89));
    console.log(
      `| end of epoch ${int(epoch, 3)} | time: ${fixed((performance.now() - epoch_start_time) / 1000, 5, 2)}s | valid loss ${fixed(val_loss, 5, 2)} | ` +
        `valid ppl ${fixed(Math.exp(val_loss), 8, 2)}`,
    );
    console.log('-'.repeat(89));
    // Keep the best model so far; anneal the learning rate when the validation loss stops falling.
    if (!best_val_loss || val_loss < best_val_loss) {
      best_state = Object.fromEntries(Object.entries(model.state_dict()).map(([k, v]) => [k, v.clone()]));
      best_val_loss = val_loss;
    } else {
      lr /= 4.0;
    }
  }

  // Back to the best model, then run on the test data.
  model.load_state_dict(best_state!);
  const test_loss = evaluate(test_data);
  console.log('='.repeat(89));
  console.log(`| End of training | test loss ${fixed(test_loss, 5, 2)} | test ppl ${fixed(Math.exp(test_loss), 8, 2)}`);
  console.log('='.repeat(89));
  const result = { losses, val_losses, test_loss };
  if (args.losses) fs.writeFileSync(args.losses, JSON.stringify(result));
  return result;
}

if (require.main === module) main();
