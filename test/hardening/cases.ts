// The generated bad-input suite: every public entry point called with each
// kind of wrong argument. Each case must throw a JS Error whose message
// names the problem; a crash of the process is counted by the runner.
import torch, { nn, optim, type Tensor } from '../../lib';
import * as F from '../../lib/nn/functional';
import { DataLoader, TensorDataset } from '../../lib/utils/data';
import { transforms } from '../../lib/vision';

export interface BadCase {
  name: string;
  call: () => unknown;
}

const disposed = (): Tensor => {
  const t = torch.ones(2, 2);
  t.dispose();
  return t;
};

// Values that are wrong wherever an integer (a size, a dim, an index) is expected.
const BAD_INTS: [string, () => unknown][] = [
  ['a string', () => 'two'],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['a fraction', () => 1.5],
  ['2^60', () => 2 ** 60],
  // (not `{ n: 2 }`: a trailing plain object is the keywords, and randperm({ n: 2 }) is Python's randperm(n=2))
  ['an object', () => ({ value: 2 })],
  ['a symbol', () => Symbol('x')],
  ['a function', () => () => 2],
];

// Values that are wrong wherever a tensor is expected.
const BAD_TENSORS: [string, () => unknown][] = [
  ['a string', () => 'tensor'],
  ['null', () => null],
  ['a plain object', () => ({ shape: [2, 2] })],
  ['an array of strings', () => ['a', 'b']],
  ['a disposed tensor', disposed],
  ['a function', () => () => 1],
  ['a symbol', () => Symbol('t')],
];

// Where the shape of a tensor argument matters, a tensor of the wrong shape is bad too.
const WRONG_SHAPE: [string, () => unknown] = ['a tensor of the wrong shape', () => torch.ones(7, 5)];
const SHAPE_FREE = new Set(['nn.Parameter(data)', 'new TensorDataset(t)', 'transforms.ToTensor()(image)']);
// Where Python takes None for the tensor: nn.Parameter(None) is an empty Parameter.
const NULL_OK = new Set(['nn.Parameter(data)']);

// Values that are wrong wherever a shape is expected.
const BAD_SHAPES: [string, () => unknown][] = [
  ['a negative size', () => [2, -2]],
  ['a fractional size', () => [2.5]],
  ['a string size', () => ['2']],
  ['NaN', () => [NaN]],
  ['1e15 elements', () => [1e15]],
  ['sizes that overflow', () => [1e10, 1e10]],
  ['a nested array', () => [[2]]],
  ['a null size', () => [null]],
];

const x = () => torch.ones(3, 4);

const TAKES_INT: [string, (v: any) => unknown][] = [
  ['Tensor.sum(dim)', (v) => x().sum(v)],
  ['Tensor.mean(dim)', (v) => x().mean(v)],
  ['Tensor.softmax(dim)', (v) => x().softmax(v)],
  ['Tensor.log_softmax(dim)', (v) => x().log_softmax(v)],
  ['Tensor.argmax(dim)', (v) => x().argmax(v)],
  ['Tensor.max(dim)', (v) => x().max(v)],
  ['Tensor.unsqueeze(dim)', (v) => x().unsqueeze(v)],
  ['Tensor.squeeze(dim)', (v) => x().squeeze(v)],
  ['Tensor.select(dim, 0)', (v) => x().select(v, 0)],
  ['Tensor.select(0, index)', (v) => x().select(0, v)],
  ['Tensor.narrow(0, start, 1)', (v) => x().narrow(0, v, 1)],
  ['Tensor.transpose(0, dim)', (v) => x().transpose(0, v)],
  ['Tensor.flatten(start_dim)', (v) => x().flatten(v)],
  ['Tensor.size(dim)', (v) => x().size(v)],
  ['Tensor.index(i)', (v) => x().index(v)],
  ['torch.cat(tensors, dim)', (v) => torch.cat([x(), x()], v)],
  ['torch.stack(tensors, dim)', (v) => torch.stack([x(), x()], v)],
  ['torch.randperm(n)', (v) => torch.randperm(v)],
  ['torch.eye(n)', (v) => torch.eye(v)],
  ['torch.linspace(0, 1, steps)', (v) => torch.linspace(0, 1, v)],
  ['torch.manual_seed(seed)', (v) => torch.manual_seed(v)],
  ['torch.set_num_threads(n)', (v) => torch.set_num_threads(v)],
  ['nn.Linear(in_features, 2)', (v) => new nn.Linear(v, 2)],
  ['nn.Linear(2, out_features)', (v) => new nn.Linear(2, v)],
  ['nn.Conv2d(in_channels, 2, 3)', (v) => new nn.Conv2d(v, 2, 3)],
  ['nn.BatchNorm1d(num_features)', (v) => new nn.BatchNorm1d(v)],
];

const TAKES_TENSOR: [string, (v: any) => unknown][] = [
  ['Tensor.add(other)', (v) => x().add(v)],
  ['Tensor.mul(other)', (v) => x().mul(v)],
  ['Tensor.matmul(other)', (v) => x().matmul(v)],
  ['Tensor.eq(other)', (v) => x().eq(v)],
  ['Tensor.index_select(0, index)', (v) => x().index_select(0, v)],
  ['Tensor.masked_fill(mask, 0)', (v) => x().masked_fill(v, 0)],
  ['Tensor.copy_(src)', (v) => x().copy_(v)],
  ['Tensor.gather(0, index)', (v) => x().gather(0, v)],
  ['torch.cat([x, bad])', (v) => torch.cat([x(), v])],
  ['torch.where(cond, x, y)', (v) => torch.where(v, x(), x())],
  ['F.linear(input, weight)', (v) => F.linear(x(), v)],
  ['F.cross_entropy(input, target)', (v) => F.cross_entropy(x(), v)],
  ['F.mse_loss(input, target)', (v) => F.mse_loss(x(), v)],
  ['nn.Linear(4, 2)(input)', (v) => new nn.Linear(4, 2)(v)],
  ['nn.Conv2d(1, 2, 3)(input)', (v) => new nn.Conv2d(1, 2, 3)(v)],
  ['nn.CrossEntropyLoss()(input, target)', (v) => new nn.CrossEntropyLoss()(v, torch.tensor([0, 1, 2]))],
  ['nn.Parameter(data)', (v) => new nn.Parameter(v)],
  ['torch.autograd.grad(out, input)', (v) => torch.autograd.grad(torch.ones(1, { requires_grad: true }).sum(), v)],
  ['new TensorDataset(t)', (v) => new TensorDataset(v)],
  ['transforms.ToTensor()(image)', (v) => new transforms.ToTensor()(v)],
];

const TAKES_SHAPE: [string, (v: any) => unknown][] = [
  ['torch.zeros(shape)', (v) => torch.zeros(v)],
  ['torch.ones(shape)', (v) => torch.ones(v)],
  ['torch.empty(shape)', (v) => torch.empty(v)],
  ['torch.rand(shape)', (v) => torch.rand(v)],
  ['torch.randn(shape)', (v) => torch.randn(v)],
  ['torch.full(shape, 1)', (v) => torch.full(v, 1)],
  ['torch.randint(0, 5, shape)', (v) => torch.randint(0, 5, v)],
  ['Tensor.reshape(shape)', (v) => x().reshape(v)],
  ['Tensor.view(shape)', (v) => x().view(v)],
  ['Tensor.expand(shape)', (v) => x().expand(v)],
  ['Tensor.permute(dims)', (v) => x().permute(v)],
  ['Tensor.repeat(sizes)', (v) => x().repeat(v)],
];

const OTHER: BadCase[] = [
  ['torch.arange of a string', () => torch.arange('ten' as any)],
  ['DataLoader with batch_size 0', () => new DataLoader(new TensorDataset(torch.ones(4)), { batch_size: 0 })],
  ['DataLoader with a fractional batch_size', () => new DataLoader(new TensorDataset(torch.ones(4)), { batch_size: 1.5 })],
  ['Adam with lr NaN', () => new optim.Adam(new nn.Linear(1, 1).parameters(), { lr: NaN })],
  ['SGD with a string lr', () => new optim.SGD(new nn.Linear(1, 1).parameters(), { lr: 'fast' as any })],
  ['Adam with betas as a number', () => new optim.Adam(new nn.Linear(1, 1).parameters(), { betas: 0.9 as any })],
  ['an optimizer over a Set', () => new optim.SGD({ params: new Set([torch.ones(1)]) } as any, { lr: 1 })],
  ['torch.tensor of a Symbol', () => torch.tensor([Symbol('x')] as any)],
  ['torch.tensor of undefined', () => torch.tensor(undefined as any)],
  ['torch.tensor of a ragged list', () => torch.tensor([[1], [2, 3]])],
  ['from_typed_array with a short buffer', () => torch.from_typed_array(new Float32Array(2), [3])],
  ['from_typed_array with a DataView', () => torch.from_typed_array(new DataView(new ArrayBuffer(4)), [2], { dtype: torch.float32 })],
  ['to() a CUDA device', () => x().to('cuda')],
  ['to() a bad device string', () => x().to('tpu')],
  ['zeros on CUDA', () => torch.zeros([2], { device: 'cuda:0' })],
  ['Module.to CUDA', () => new nn.Linear(1, 1).to('cuda')],
  ['item() of an empty tensor', () => torch.zeros(0).item()],
  ['backward on an int tensor', () => torch.ones(2, { dtype: torch.int64 }).sum().backward()],
  ['requires_grad_ on a bool tensor', () => torch.tensor([true]).requires_grad_()],
  ['an op on tensors of two dtypes in place', () => torch.ones(2, { dtype: torch.int64 }).add_(torch.ones(2).mul(0.5))],
  ['torch.ops with an unknown op', () => torch.ops.aten.not_an_op.default(x())],
  ['torch.ops with a wrong argument count', () => torch.ops.aten.mm.default(x())],
  ['torch.ops with too many arguments', () => torch.ops.aten.neg.default(x(), x(), x())],
  ['torch.ops with a bad keyword', () => torch.ops.aten.sum.dim_IntList(x(), [0], { keepdims: true })],
  ['torch.load of a directory', () => torch.load('/tmp')],
  ['torch.save to a directory', () => torch.save(x(), '/')],
  ['torch.jit.load of a non-zip', () => torch.jit.load('/etc/hostname')],
  ['scope of a throwing callback', () => torch.scope(() => { throw new Error('inner problem'); })],
  ['no_grad of a non-function', () => torch.no_grad(5 as any)],
  ['DataLoader over a non-dataset', () => new DataLoader([1, 2, 3] as any)],
  ['Normalize of a uint8 image', () => new transforms.Normalize([0.5], [0.5])(torch.zeros(1, 2, 2, { dtype: torch.uint8 }))],
  ['load_state_dict of null', () => new nn.Linear(1, 1).load_state_dict(null as any)],
].map(([name, call]) => ({ name: name as string, call: call as () => unknown }));

export function cases(): BadCase[] {
  const out: BadCase[] = [];
  for (const [api, call] of TAKES_INT) for (const [what, value] of BAD_INTS) out.push({ name: `${api} with ${what}`, call: () => call(value()) });
  for (const [api, call] of TAKES_TENSOR) {
    for (const [what, value] of SHAPE_FREE.has(api) ? BAD_TENSORS : [...BAD_TENSORS, WRONG_SHAPE]) {
      if (NULL_OK.has(api) && value() === null) continue;
      out.push({ name: `${api} with ${what}`, call: () => call(value()) });
    }
  }
  for (const [api, call] of TAKES_SHAPE) for (const [what, value] of BAD_SHAPES) out.push({ name: `${api} with ${what}`, call: () => call(value()) });
  return [...out, ...OTHER];
}
