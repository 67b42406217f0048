// PyTorch's transformer language-model tutorial, batch first: word
// embeddings scaled by sqrt(d_model), sinusoidal positional encoding, an
// nn.TransformerEncoder (batch_first: true) under a causal mask (each
// position sees itself and the words before it), a Linear decoder,
// CrossEntropyLoss, clip_grad_norm_, SGD and StepLR, on the same GPL 3 text
// and split as examples/lstm_lm.ts. Its Python twin is
// examples/transformer_encoder.py: with the same options both print the same
// lines (the timings aside) and the same losses (test/examples.test.ts checks
// a short run).
//
// Full run (the tutorial's sizes: 200 wide, 2 layers, 2 heads; 20 epochs; a few minutes on 2 cores):
//   npx tsx examples/transformer_encoder.ts
// Quick run (seconds):
//   npx tsx examples/transformer_encoder.ts --epochs 3
// Options: --data FILE --emsize --d_hid --nlayers --nhead --lr --clip --epochs --batch_size
// --bptt --dropout --seed --log-interval --batches (per epoch, 0 for all) --losses FILE (every step's loss, as JSON).
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';

import torch, { nn, optim, slice, type Tensor } from 'torchts';
import { Corpus, GPL3, fixed, int } from './lstm_lm';

const EVAL_BATCH_SIZE = 10;

/**
 * Adds sin(pos / 10000^(2i/d)) to feature 2i and cos(...) to feature 2i+1,
 * then dropout. Input and output (batch, seq, d_model).
 */
export class PositionalEncoding extends nn.Module {
  dropout: nn.Dropout;
  declare pe: Tensor;

  constructor(d_model: number, dropout = 0.1, max_len = 5000) {
    super();
    if (d_model % 2 !== 0) throw new RangeError(`PositionalEncoding: d_model must be even (sin and cos take turns), got ${d_model}`);
    this.dropout = new nn.Dropout({ p: dropout });

    const position = torch.arange(max_len).unsqueeze(1);
    const div_term = torch.exp(torch.arange(0, d_model, 2).mul(-Math.log(10000.0) / d_model));
    const pe = torch.zeros(1, max_len, d_model);
    pe.setitem(0, slice(), slice(0, null, 2), torch.sin(position.mul(div_term)));
    pe.setitem(0, slice(), slice(1, null, 2), torch.cos(position.mul(div_term)));
    this.register_buffer('pe', pe);
  }

  override forward(x: Tensor): Tensor {
    x = x.add(this.pe.index(slice(), slice(null, x.size(1))));
    return this.dropout(x);
  }
}

/**
 * Embedding * sqrt(d_model) - positional encoding - TransformerEncoder - Linear.
 * Input (batch, seq) word ids and a (seq, seq) additive mask; output (batch, seq, ntoken) logits.
 */
export class TransformerModel extends nn.Module {
  model_type = 'Transformer';
  pos_encoder: PositionalEncoding;
  transformer_encoder: nn.TransformerEncoder;
  encoder: nn.Embedding;
  d_model: number;
  decoder: nn.Linear;

  constructor(ntoken: number, d_model: number, nhead: number, d_hid: number, nlayers: number, dropout = 0.5) {
    super();
    this.pos_encoder = new PositionalEncoding(d_model, dropout);
    const encoder_layers = new nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout, { batch_first: true });
    this.transformer_encoder = new nn.TransformerEncoder(encoder_layers, nlayers);
    this.encoder = new nn.Embedding(ntoken, d_model);
    this.d_model = d_model;
    this.decoder = new nn.Linear(d_model, ntoken);

    this.init_weights();
  }

  init_weights(): void {
    const initrange = 0.1;
    this.encoder.weight.data.uniform_(-initrange, initrange);
    this.decoder.bias!.data.zero_();
    this.decoder.weight.data.uniform_(-initrange, initrange);
  }

  override forward(src: Tensor, src_mask: Tensor): Tensor {
    src = this.encoder(src).mul(Math.sqrt(this.d_model));
    src = this.pos_encoder(src);
    let output = this.transformer_encoder(src, src_mask);
    output = this.decoder(output);
    return output;
  }
}

/** The sequence cut into bsz rows, batch first: (bsz, len // bsz). */
export function batchify(data: Tensor, bsz: number): Tensor {
  const seq_len = Math.floor(data.size(0) / bsz);
  data = data.index(slice(null, seq_len * bsz));
  data = data.view(bsz, seq_len).contiguous();
  return data;
}

/** Columns i .. i+bptt of source and, as targets, the columns one step later, flattened. */
export function get_batch(source: Tensor, i: number, bptt: number): [Tensor, Tensor] {
  const seq_len = Math.min(bptt, source.size(1) - 1 - i);
  const data = source.index(slice(), slice(i, i + seq_len));
  const target = source.index(slice(), slice(i + 1, i + 1 + seq_len)).reshape(-1);
  return [data, target];
}

export interface Args {
  data: string;
  emsize: number;
  d_hid: number;
  nlayers: number;
  nhead: number;
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
      d_hid: { type: 'string', default: '200' },
      nlayers: { type: 'string', default: '2' },
      nhead: { type: 'string', default: '2' },
      lr: { type: 'string', default: '5.0' },
      clip: { type: 'string', default: '0.5' },
      epochs: { type: 'string', default: '20' },
      batch_size: { type: 'string', default: '20' },
      bptt: { type: 'string', default: '35' },
      dropout: { type: 'string', default: '0.2' },
      seed: { type: 'string', default: '0' },
      'log-interval': { type: 'string', default: '2' },
      batches: { type: 'string', default: '0' },
      losses: { type: 'string' },
    },
  });
  const integer = (name: keyof typeof v, min: number): number => {
    const x = Number(v[name]);
    if (!Number.isInteger(x) || x < min) throw new RangeError(`transformer_encoder: --${name} must be an integer >= ${min}, got ${String(v[name])}`);
    return x;
  };
  const float = (name: keyof typeof v): number => {
    const x = Number(v[name]);
    if (!Number.isFinite(x)) throw new RangeError(`transformer_encoder: --${name} must be a number, got ${String(v[name])}`);
    return x;
  };
  return {
    data: v.data!,
    emsize: integer('emsize', 1),
    d_hid: integer('d_hid', 1),
    nlayers: integer('nlayers', 1),
    nhead: integer('nhead', 1),
    lr: float('lr'),
    clip: float('clip'),
    epochs: integer('epochs', 1),
    batch_size: integer('batch_size', 1),
    bptt: integer('bptt', 1),
    dropout: float('dropout'),
    seed: integer('seed', 0),
    log_interval: integer('log-interval', 1),
    batches: integer('batches', 0),
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
  const model = new TransformerModel(ntokens, args.emsize, args.nhead, args.d_hid, args.nlayers, args.dropout);
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: args.lr });
  const scheduler = new optim.lr_scheduler.StepLR(optimizer, 1.0, { gamma: 0.95 });
  // The causal mask: -inf above the diagonal, so position j attends to positions <= j only.
  const src_mask = nn.Transformer.generate_square_subsequent_mask(args.bptt);
  const losses: number[] = [];

  function train(epoch: number): void {
    model.train();
    let total_loss = 0;
    let start_time = performance.now();
    const num_batches = Math.floor(train_data.size(1) / args.bptt);
    for (let batch = 0, i = 0; i < train_data.size(1) - 1; batch++, i += args.bptt) {
      if (args.batches && batch === args.batches) break;
      const [data, targets] = get_batch(train_data, i, args.bptt);
      const seq_len = data.size(1);
      const mask = seq_len === args.bptt ? src_mask : src_mask.index(slice(null, seq_len), slice(null, seq_len));
      const output = model(data, mask);
      const loss = criterion(output.view(-1, ntokens), targets);

      optimizer.zero_grad();
      loss.backward();
      nn.utils.clip_grad_norm_(model.parameters(), args.clip);
      optimizer.step();

      losses.push(loss.item());
      total_loss += loss.item();
      if (batch % args.log_interval === 0 && batch > 0) {
        const lr = scheduler.get_last_lr()[0];
        const ms_per_batch = (performance.now() - start_time) / args.log_interval;
        const cur_loss = total_loss / args.log_interval;
        const ppl = Math.exp(cur_loss);
        console.log(
          `| epoch ${int(epoch, 3)} | ${int(batch, 5)}/${int(num_batches, 5)} batches | ` +
            `lr ${fixed(lr, 2, 2)} | ms/batch ${fixed(ms_per_batch, 5, 2)} | ` +
            `loss ${fixed(cur_loss, 5, 2)} | ppl ${fixed(ppl, 8, 2)}`,
        );
        total_loss = 0;
        start_time = performance.now();
      }
    }
  }

  function evaluate(eval_data: Tensor): number {
    model.eval();
    let total_loss = 0;
    torch.no_grad(() => {
      for (let i = 0; i < eval_data.size(1) - 1; i += args.bptt) {
        const [data, targets] = get_batch(eval_data, i, args.bptt);
        const seq_len = data.size(1);
        const mask = seq_len === args.bptt ? src_mask : src_mask.index(slice(null, seq_len), slice(null, seq_len));
        const output = model(data, mask);
        const output_flat = output.view(-1, ntokens);
        total_loss += seq_len * criterion(output_flat, targets).item();
      }
    });
    return total_loss / (eval_data.size(1) - 1);
  }

  let best_val_loss = Infinity;
  let best_state: Record<string, Tensor> | null = null;
  const val_losses: number[] = [];
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    const epoch_start_time = performance.now();
    train(epoch);
    const val_loss = evaluate(val_data);
    val_losses.push(val_loss);
    const val_ppl = Math.exp(val_loss);
    const elapsed = (performance.now() - epoch_start_time) / 1000;
    console.log('-'.repeat(89));
    console.log(`| end of epoch ${int(epoch, 3)} | time: ${fixed(elapsed, 5, 2)}s | ` + `valid loss ${fixed(val_loss, 5, 2)} | valid ppl ${fixed(val_ppl, 8, 2)}`);
    console.log('-'.repeat(89));

    if (val_loss < best_val_loss) {
      best_val_loss = val_loss;
      best_state = Object.fromEntries(Object.entries(model.state_dict()).map(([k, v]) => [k, v.clone()]));
    }

    scheduler.step();
  }

  model.load_state_dict(best_state!);
  const test_loss = evaluate(test_data);
  const test_ppl = Math.exp(test_loss);
  console.log('='.repeat(89));
  console.log(`| End of training | test loss ${fixed(test_loss, 5, 2)} | ` + `test ppl ${fixed(test_ppl, 8, 2)}`);
  console.log('='.repeat(89));
  const result = { losses, val_losses, test_loss };
  if (args.losses) fs.writeFileSync(args.losses, JSON.stringify(result));
  return result;
}

if (require.main === module) main();
