// torchts's side of the training examples' steps in bench/run.ts: one
// training step of each example at its full size (examples/mnist_cnn.ts:
// batch 64, Adadelta; examples/lstm_lm.ts: 200 units, 2 layers, batch 20,
// 35 steps of BPTT, clip_grad_norm_, SGD by hand; examples/transformer_encoder.ts:
// 200 wide, 2 layers, 2 heads, batch 20, 35 words, causal mask, clip_grad_norm_, SGD),
// on data in memory, the model's code imported from the example itself.
// bench/example_steps.py is its Python twin; bench/cpp/mnist_cnn_step.cpp, lstm_lm_step.cpp and
// transformer_step.cpp are its C++ ones.
//   npx tsx bench/example_steps.ts images.u8 labels.u8 n steps [--scope] [--only cnn|lstm|transformer]
// Prints one JSON line: the mean step of each (or of the one named by
// --only, for profilers: bench/library_split.py), in microseconds, over
// `steps` steps after a tenth as many (at least 3) of warm-up. With --scope each step
// runs inside torch.scope, which frees the step's tensors when it ends
// instead of at V8's next collection (not what the examples do; for
// profiling: bench/README.md).
import * as fs from 'node:fs';

import torch, { nn, optim, type Tensor } from '../lib';
import { Net } from '../examples/mnist_cnn';
import { Corpus, GPL3, RNNModel, batchify as batchifyColumns, get_batch as getRows } from '../examples/lstm_lm';
import { TransformerModel, batchify as batchifyRows, get_batch as getColumns } from '../examples/transformer_encoder';

const F = nn.functional;
const [imagesPath, labelsPath, nText, stepsText, ...flags] = process.argv.slice(2);
const scoped = flags.includes('--scope');
const only = flags.includes('--only') ? flags[flags.indexOf('--only') + 1] : null;
if (only !== null && !['cnn', 'lstm', 'transformer'].includes(only)) throw new Error(`--only takes cnn, lstm or transformer, got ${only}`);
const n = Number(nText);
const steps = Number(stepsText);
torch.set_num_threads(1);
torch.manual_seed(0);

/** A step returns the tensors it carries to the next one (the LSTM's hidden state), which a scope must keep. */
function meanStepUs(step: (s: number) => unknown): number {
  const run = scoped ? (s: number) => torch.scope(() => step(s)) : step;
  const warm = Math.max(3, Math.floor(steps / 10));
  for (let s = 0; s < warm; s++) run(s);
  const t0 = process.hrtime.bigint();
  for (let s = 0; s < steps; s++) run(warm + s);
  return Number(process.hrtime.bigint() - t0) / 1e3 / steps;
}

function cnnStep(): (s: number) => void {
  const u8 = (p: string) => new Uint8Array(fs.readFileSync(p));
  // ToTensor then Normalize((0.1307,), (0.3081,)), as the example's loader gives them.
  const images = torch.from_typed_array(u8(imagesPath), [n, 1, 28, 28]).float().div(255).sub(0.1307).div(0.3081);
  const labels = torch.from_typed_array(u8(labelsPath), [n]).long();
  const batches = Math.floor(n / 64);
  const model = new Net();
  model.train();
  const optimizer = new optim.Adadelta(model.parameters(), { lr: 1.0 });
  return (s) => {
    const data = images.narrow(0, (s % batches) * 64, 64);
    const target = labels.narrow(0, (s % batches) * 64, 64);
    optimizer.zero_grad();
    const output = model(data);
    const loss = F.nll_loss(output, target);
    loss.backward();
    optimizer.step();
    loss.item();
  };
}

function lstmStep(corpus: Corpus): (s: number) => [Tensor, Tensor] {
  const bptt = 35;
  const train_data = batchifyColumns(corpus.train, 20);
  const batches = Math.floor((train_data.shape[0] - 1) / bptt);
  const model = new RNNModel(corpus.dictionary.length, 200, 200, 2, 0.2);
  model.train();
  const criterion = new nn.NLLLoss();
  let hidden = model.init_hidden(20);
  const lr = 20;
  return (s) => {
    const [data, targets] = getRows(train_data, (s % batches) * bptt, bptt);
    model.zero_grad();
    hidden = [hidden[0].detach(), hidden[1].detach()];
    let output: Tensor;
    [output, hidden] = model(data, hidden);
    const loss = criterion(output, targets);
    loss.backward();
    nn.utils.clip_grad_norm_(model.parameters(), 0.25);
    for (const p of model.parameters()) p.data.add_(p.grad!, { alpha: -lr });
    loss.item();
    return hidden;
  };
}

function transformerStep(corpus: Corpus): (s: number) => void {
  const bptt = 35;
  const train_data = batchifyRows(corpus.train, 20);
  const batches = Math.floor((train_data.size(1) - 1) / bptt);
  const ntokens = corpus.dictionary.length;
  const model = new TransformerModel(ntokens, 200, 2, 200, 2, 0.2);
  model.train();
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 5.0 });
  const src_mask = nn.Transformer.generate_square_subsequent_mask(bptt);
  return (s) => {
    const [data, targets] = getColumns(train_data, (s % batches) * bptt, bptt);
    const output = model(data, src_mask);
    const loss = criterion(output.view(-1, ntokens), targets);
    optimizer.zero_grad();
    loss.backward();
    nn.utils.clip_grad_norm_(model.parameters(), 0.5);
    optimizer.step();
    loss.item();
  };
}

const corpus = new Corpus(GPL3);
const wanted = (name: string) => only === null || only === name;
const result = {
  ...(wanted('cnn') ? { cnn_step_us: meanStepUs(cnnStep()) } : {}),
  ...(wanted('lstm') ? { lstm_step_us: meanStepUs(lstmStep(corpus)) } : {}),
  ...(wanted('transformer') ? { transformer_step_us: meanStepUs(transformerStep(corpus)) } : {}),
};
console.log(JSON.stringify(result));
