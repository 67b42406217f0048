// The three training examples (examples/mnist_cnn.ts, lstm_lm.ts,
// transformer_encoder.ts), run as a user runs them in a short mode, against
// their Python twins run with the same arguments (scripts/golden/examples.py):
// every step's loss and the evaluation losses within 1e-5 relative, and the
// same printed lines. Then what the examples' models say about bad input.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';

import torch, { nn } from '../lib';
import { Net, parse_args as cnnArgs } from '../examples/mnist_cnn';
import { RNNModel, parse_args as lstmArgs } from '../examples/lstm_lm';
import { PositionalEncoding, TransformerModel } from '../examples/transformer_encoder';
import { fixture } from './_helpers';

interface Run {
  argv: string[];
  stdout: string;
  losses: number[];
  tests?: [number, number][];
  val_losses?: number[];
  test_loss?: number;
}
type Name = 'mnist_cnn' | 'lstm_lm' | 'transformer_encoder';
const golden = fixture<Record<Name, Run> & { threads: number; openblas_kernel: string | null }>('examples.json');

const root = path.join(__dirname, '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-examples-'));
const run = promisify(execFile);

async function runExample(name: Name): Promise<{ stdout: string; result: Run }> {
  const file = path.join(out, `${name}.json`);
  const { stdout } = await run(process.execPath, ['--import=tsx', path.join(root, 'examples', `${name}.ts`), ...golden[name].argv, '--losses', file], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(golden.threads) },
  });
  return { stdout, result: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

const close = (a: number, b: number, tol = 1e-5) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

function sameSequence(t: ExecutionContext, got: number[], want: number[], label: string): void {
  t.is(got.length, want.length, `${label}: length`);
  want.forEach((w, i) => t.true(close(got[i], w), `${label}[${i}]: ${got[i]} vs Python's ${w}`));
}

// Wall-clock figures differ from run to run, in their width too (Python pads
// them to a field); everything else printed must not.
const timings = /(ms\/batch|time:) +[\d.]+/g;
const number = /-?\d+(?:\.(\d+))?/g;

/**
 * The printed lines: exactly Python's (timings aside) under the OpenBLAS
 * kernel the fixture was made with; under another kernel a printed number
 * may round the other way, so each may differ from Python's by one unit in
 * its last digit, and the text around the numbers must still be the same.
 */
function samePrint(t: ExecutionContext, got: string, want: string): void {
  const [g, w] = [got.replace(timings, '$1 T'), want.replace(timings, '$1 T')];
  if (process.env.OPENBLAS_CORETYPE === golden.openblas_kernel) {
    t.is(g, w);
    return;
  }
  t.is(g.replace(number, 'N'), w.replace(number, 'N'));
  const [gn, wn] = [[...g.matchAll(number)], [...w.matchAll(number)]];
  wn.forEach((m, i) => {
    const unit = 10 ** -(m[1]?.length ?? 0);
    t.true(Math.abs(Number(gn[i][0]) - Number(m[0])) <= unit * 1.0001, `printed ${gn[i][0]} vs Python's ${m[0]}`);
  });
}

test('mnist_cnn: the CNN with Adadelta and StepLR gives Python\'s losses, test losses, accuracies and lines', async (t) => {
  const { stdout, result } = await runExample('mnist_cnn');
  const want = golden.mnist_cnn;
  sameSequence(t, result.losses, want.losses, 'training loss');
  sameSequence(t, result.tests!.map((x) => x[0]), want.tests!.map((x) => x[0]), 'test loss');
  t.deepEqual(result.tests!.map((x) => x[1]), want.tests!.map((x) => x[1]), 'correct predictions');
  samePrint(t, stdout, want.stdout);
  t.regex(stdout, /^Train Epoch: 1 \[0\/128 \(0%\)\]\tLoss: 2\.\d{6}\n/);
});

test('lstm_lm: truncated BPTT with clip_grad_norm_ gives Python\'s losses, validation and test losses and lines', async (t) => {
  const { stdout, result } = await runExample('lstm_lm');
  const want = golden.lstm_lm;
  sameSequence(t, result.losses, want.losses, 'training loss');
  sameSequence(t, result.val_losses!, want.val_losses!, 'validation loss');
  t.true(close(result.test_loss!, want.test_loss!), `test loss ${result.test_loss} vs Python's ${want.test_loss}`);
  samePrint(t, stdout, want.stdout);
});

test('transformer_encoder: the causal TransformerEncoder with SGD and StepLR gives Python\'s losses and lines', async (t) => {
  const { stdout, result } = await runExample('transformer_encoder');
  const want = golden.transformer_encoder;
  sameSequence(t, result.losses, want.losses, 'training loss');
  sameSequence(t, result.val_losses!, want.val_losses!, 'validation loss');
  t.true(close(result.test_loss!, want.test_loss!), `test loss ${result.test_loss} vs Python's ${want.test_loss}`);
  samePrint(t, stdout, want.stdout);
  t.regex(stdout, /\| epoch {3}2 \| {5}2\/ {4}7 batches \| lr 0\.95 \|/, 'StepLR multiplied the lr by 0.95 after epoch 1');
});

test('the examples refuse bad options, naming the option and the value', (t) => {
  t.throws(() => cnnArgs(['--epochs', '0']), { instanceOf: RangeError, message: 'mnist_cnn: --epochs must be an integer >= 1, got 0' });
  t.throws(() => cnnArgs(['--lr', 'fast']), { instanceOf: RangeError, message: 'mnist_cnn: --lr must be a number, got fast' });
  t.throws(() => lstmArgs(['--bptt', '2.5']), { instanceOf: RangeError, message: 'lstm_lm: --bptt must be an integer >= 1, got 2.5' });
  t.throws(() => cnnArgs(['--epoch', '3']), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
});

test('the CNN names the layer and the shapes when the image is not 1x28x28', (t) => {
  torch.manual_seed(0);
  const net = new Net();
  t.throws(() => net(torch.zeros(2, 1, 32, 32)), {
    instanceOf: RangeError,
    message: /^Linear\(in_features=9216, out_features=128, bias=True\) got an input of shape \[2, 12544\], whose last dimension should be 9216/,
  });
  t.throws(() => net(torch.zeros(2, 3, 28, 28)), { instanceOf: RangeError, message: /^Conv2d\(1, 32, kernel_size=\(3, 3\), stride=\(1, 1\)\) got an input of shape \[2, 3, 28, 28\].*expected input\[2, 3, 28, 28\] to have 1 channels, but got 3/ });
  t.deepEqual([...net.eval()(torch.zeros(2, 1, 28, 28)).shape], [2, 10]);
});

test('the language models name what is wrong with a hidden state, a word id or a mask', (t) => {
  torch.manual_seed(0);
  const lstm = new RNNModel(50, 8, 16, 2, 0.2);
  const ids = torch.zeros([4, 3], { dtype: torch.int64 });
  t.throws(() => lstm(ids, lstm.init_hidden(5)), { instanceOf: RangeError, message: 'LSTM(8, 16, num_layers=2, dropout=0.2): Expected hidden[0] size (2, 3, 16), got [2, 5, 16]' });
  t.throws(() => lstm(torch.full([4, 3], 50, { dtype: torch.int64 }), lstm.init_hidden(3)), { instanceOf: RangeError, message: /^embedding\(\): index out of range: indices must be in \[0, 49\]/ });
  const [logp, [h, c]] = lstm(ids, lstm.init_hidden(3));
  t.deepEqual([[...logp.shape], [...h.shape], [...c.shape]], [[12, 50], [2, 3, 16], [2, 3, 16]]);

  const tr = new TransformerModel(50, 8, 2, 16, 1, 0.1);
  t.throws(() => tr(torch.zeros([2, 5], { dtype: torch.int64 }), torch.zeros(4, 4)), {
    instanceOf: RangeError,
    message: 'MultiheadAttention: The shape of the 2D attn_mask is torch.Size([4, 4]), but should be (5, 5).',
  });
  t.throws(() => new PositionalEncoding(9), { instanceOf: RangeError, message: 'PositionalEncoding: d_model must be even (sin and cos take turns), got 9' });
});

test('the causal mask keeps each position from seeing later words', (t) => {
  // Changing the last word changes no earlier position's output.
  torch.manual_seed(0);
  const tr = new TransformerModel(50, 8, 2, 16, 1, 0.1).eval();
  const mask = nn.Transformer.generate_square_subsequent_mask(6);
  const a = torch.tensor([[1, 2, 3, 4, 5, 6]]);
  const b = torch.tensor([[1, 2, 3, 4, 5, 7]]);
  const [ya, yb] = torch.no_grad(() => [tr(a, mask), tr(b, mask)]);
  t.true(torch.equal(ya.narrow(1, 0, 5), yb.narrow(1, 0, 5)));
  t.false(torch.equal(ya.narrow(1, 5, 1), yb.narrow(1, 5, 1)));
});
