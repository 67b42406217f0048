// The one argument binder (lib/_arg_parser.ts): Python's binding rules and
// Python's messages, checked on signatures written as PyTorch writes them.
import test from 'ava';
import { execFileSync } from 'node:child_process';

import * as torch from '../lib';
import { PYTHON_DEFS_SUGGEST_KEYWORDS, PythonArgParser, keywordSuggestion } from '../lib/_arg_parser';
import { PYTHON } from './_helpers';

const sort = new PythonArgParser([
  'sort(Tensor input, *, bool? stable, int64_t dim=-1, bool descending=False, TensorList[2] out=None)',
  'sort(Tensor input, int64_t dim=-1, bool descending=False, *, TensorList[2] out=None)',
  'sort(Tensor input, *, bool? stable, Dimname dim, bool descending=False, TensorList[2] out=None)',
  'sort(Tensor input, Dimname dim, bool descending=False, *, TensorList[2] out=None)',
]);

test('positionals bind in order and keywords by name; the first overload that fits wins', (t) => {
  const x = torch.ones([2, 3]);
  const positional = sort.parse([x, 0, true]);
  t.is(positional.index, 1);
  t.deepEqual(positional.values.slice(1, 3), [0, true]);
  const keywords = sort.parse([x, { dim: 0, stable: true }]);
  t.is(keywords.index, 0);
  t.deepEqual(keywords.values.slice(1, 3), [true, 0]);
  // A parameter not given is undefined: the schema's default applies.
  t.is(sort.parse([x]).values[2], undefined);
  t.is(sort.parse([x, 'N']).index, 3);
});

test("unknown keywords, duplicates, surplus positionals and wrong types get Python's messages", (t) => {
  const x = torch.ones([2, 3]);
  t.throws(() => sort.parse([x, { dims: 0 }]), { instanceOf: TypeError, message: "sort() got an unexpected keyword argument 'dims'" });
  t.throws(() => sort.parse([x, 0, { dim: 1 }]), { instanceOf: TypeError, message: /^sort\(\) received an invalid combination of arguments - got \(Tensor, int, dim=int\)/ });
  const one = new PythonArgParser(['softmax(Tensor input, int64_t dim, ScalarType? dtype=None)']);
  t.throws(() => one.parse([x, 0, { dim: 1 }]), { message: "softmax() got multiple values for argument 'dim'" });
  t.throws(() => one.parse([x, 0, null, 4]), { message: 'softmax() takes from 2 to 3 positional arguments but 4 were given' });
  t.throws(() => one.parse([x]), { message: "softmax() missing required argument 'dim' (pos 2)" });
  t.throws(() => one.parse([x, 'a']), { message: "softmax(): argument 'dim' (position 2) must be int, not string 'a'" });
  t.throws(() => one.parse([x, 1, { dtype: 'float' }]), { message: "softmax(): argument 'dtype' must be torch.dtype or null, not string 'float'" });
  t.throws(() => one.parse([x, 1.5]), { message: /argument 'dim' \(position 2\) must be int, not number 1.5/ });
});

test('a lone int list also takes its ints spread out, and IntArrayRef[N] one int for all N', (t) => {
  const zeros = new PythonArgParser(['zeros(SymIntArrayRef size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False)']);
  t.deepEqual(zeros.parse([2, 3, { dtype: torch.float64 }]).values.slice(0, 2), [[2, 3], torch.float64]);
  t.deepEqual(zeros.parse([torch.ones([4, 5]).shape]).values[0], [4, 5]);
  t.throws(() => zeros.parse([2, 'a']), { message: "zeros(): argument 'size' must be list of ints, but found string 'a' at pos 2" });
  const conv = new PythonArgParser(['Conv2d(int in_channels, int out_channels, int[2] kernel_size, int[2] stride=1, int[2] padding=0, bool bias=True, str padding_mode="zeros", dtype? dtype=None)']);
  const bound = conv.parseNamed([1, 32, 3, 2]);
  t.deepEqual([bound.kernel_size, bound.stride, bound.padding, bound.bias, bound.padding_mode, bound.dtype], [[3, 3], [2, 2], [0, 0], true, 'zeros', null]);
  t.throws(() => conv.parseNamed([1, 32, [3, 3, 3], { bias: 1 }]), { message: "Conv2d(): argument 'bias' must be bool, not number 1" });
});

test('numbers stand for Tensors only where Python allows it, and 0-dim tensors for numbers', (t) => {
  const x = torch.ones([2]);
  const add = new PythonArgParser(['add(Tensor input, Tensor other, *, Scalar alpha=1, Tensor out=None)', 'add(Tensor input, Scalar other, Scalar alpha=1)'], { numbersAsTensors: true });
  t.is(add.parse([x, 2]).index, 0);
  t.is(add.parse([x, x, { alpha: torch.tensor(3) }]).values[2], 3);
  const strict = new PythonArgParser(['mm(Tensor input, Tensor mat2)']);
  t.throws(() => strict.parse([x, 2]), { message: "mm(): argument 'mat2' (position 2) must be Tensor, not number 2" });
  // A 0-dim tensor that requires grad cannot silently become a number.
  const w = torch.tensor(2, { requires_grad: true });
  t.throws(() => add.parse([x, 'a', { alpha: w }]));
});

test('the overloads a call shape could bind are looked up, not searched, and the choice still follows the values', (t) => {
  const x = torch.ones([2, 3]);
  const parser = new PythonArgParser([
    'f(Tensor input, *, ScalarType? dtype=None)',
    'f(Tensor input, IntArrayRef[1] dim, bool keepdim=False, *, ScalarType? dtype=None)',
    'f(Tensor input, DimnameList[1] dim, bool keepdim=False, *, ScalarType? dtype=None)',
    'f(Tensor input, *, int k)',
  ]);
  // The same shape (two positionals, no keywords) binds by value each time, in Python's order.
  t.is(parser.parse([x, 1]).index, 1);
  t.is(parser.parse([x, 'N']).index, 2);
  t.is(parser.parse([x, [0]]).index, 1);
  t.is(parser.parse([x, ['N']]).index, 2);
  t.is(parser.parse([x, 1]).index, 1);
  // One positional and no keywords: only the first fits (the others require dim, or k by keyword)...
  t.is(parser.parse([x]).index, 0);
  // ...and with keywords, every overload that takes that many positionals is tried.
  t.is(parser.parse([x, { k: 2 }]).index, 3);
  t.is(parser.parse([x, { dtype: torch.float64 }]).index, 0);
  t.is(parser.parse([x, { dim: 1 }]).index, 1);
  t.is(parser.parse([x, { dim: 'N' }]).index, 2);
  // A shape no overload takes is still refused with Python's message, however often it is tried.
  for (let i = 0; i < 2; i++) {
    t.throws(() => parser.parse([x, 1, true, 2]), { instanceOf: TypeError, message: /^f\(\) received an invalid combination of arguments - got \(Tensor, int, bool, int\)/ });
    t.throws(() => parser.parse([x, 1.5]), { instanceOf: TypeError, message: /^f\(\) received an invalid combination of arguments/ });
  }
  // A required keyword-only parameter keeps its overload out of calls without keywords.
  const keywordOnly = new PythonArgParser(['g(*, int n)', 'g(int n)']);
  t.is(keywordOnly.parse([3]).index, 1);
  t.is(keywordOnly.parse([{ n: 3 }]).index, 0);
  // Spread ints still reach an int-list overload whatever their count.
  const zeros = new PythonArgParser(['zeros(IntArrayRef size, *, ScalarType? dtype=None)']);
  t.deepEqual(zeros.parse([2, 3, 4]).values[0], [2, 3, 4]);
  t.deepEqual(zeros.parse([2, 3, 4, 5, 6, 7, 8]).values[0], [2, 3, 4, 5, 6, 7, 8]);
});

// CPython 3.13's suggestions, each checked in the Debian 13 root (Python 3.13.x) by calling a def with those
// parameters and that keyword (and by _suggestions._generate_suggestions, which agrees), e.g.
//   sh scripts/debian_root.sh trixie run /usr/bin/python3 -c 'def f(dataset, batch_size, shuffle): pass
//   f(SHUFfle=1)'  ->  TypeError: f() got an unexpected keyword argument 'SHUFfle'. Did you mean 'shuffle'?
// A case flip costs 1 and any other edit 2, within a third of the characters; past 40 bytes (once the common
// prefix and suffix are dropped) nothing matches; the first of equally near candidates wins; names are UTF-8 bytes.
test('keywordSuggestion agrees with CPython 3.13 on misspelt keywords', (t) => {
  const table: [string[], string, string | null][] = [
    [['input', 'weight', 'bias'], 'baias', 'bias'],
    [['in_features', 'out_features', 'bias', 'device', 'dtype'], 'baias', 'bias'],
    [['dataset', 'batch_size', 'shuffle', 'sampler', 'batch_sampler', 'num_workers'], 'batchsize', 'batch_size'],
    [['dataset', 'batch_size', 'shuffle'], 'Shuffle', 'shuffle'],
    [['dataset', 'batch_size', 'shuffle'], 'SHUFFLE', null],
    [['dataset', 'batch_size', 'shuffle'], 'BATCH_SIZE', null],
    [['set_to_none'], 'set_to_None', 'set_to_none'],
    [['p', 'inplace'], 'P', 'p'],
    [['p', 'inplace'], 'prob', null],
    [['p', 'inplace'], 'in_place', 'inplace'],
    [['start_dim', 'end_dim'], 'start', null],
    [['params', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'], 'learning_rate', null],
    [['params', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'], 'lrr', 'lr'],
    [['params', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'], 'beta', 'betas'],
    [['params', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'], 'weightdecay', 'weight_decay'],
    [['lr', 'lo'], 'la', 'lr'],
    [['lo', 'lr'], 'la', 'lo'],
    [['alpha', 'alpah'], 'alhpa', 'alpha'],
    [['x'], 'y', null],
    [['ab'], 'ba', null],
    [['abc'], 'xyz', null],
    [['abcd'], 'abxy', null],
    [['mode'], 'mod', 'mode'],
    [['transforms'], 'transform', 'transforms'],
    [['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'], 'track_running_stat', 'track_running_stats'],
    [['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'], 'Affine', 'affine'],
    [['a_parameter_name_well_past_forty_characters_long'], 'a_parameter_name_well_past_forty_characters_lng', 'a_parameter_name_well_past_forty_characters_long'],
    [['a_parameter_name_well_past_forty_characters_long'], 'b_parameter_name_well_past_forty_characters_lonh', null],
    [['a_parameter_name_well_past_forty_characters_long'], 'A_PARAMETER_NAME_WELL_PAST_FORTY_CHARACTERS_LONG', null],
    [['abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz'], 'zbcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyy', null],
    [['größe', 'farbe'], 'grösse', 'größe'],
    [['größe', 'farbe'], 'GRÖßE', 'größe'],
    [['x_1', 'x_2'], 'x_3', 'x_1'],
    [['_extra_files'], 'extra_files', '_extra_files'],
    [['map_location'], 'map_locaton', 'map_location'],
    [['dataset', 'batch_size', 'shuffle'], 'SHUFfle', 'shuffle'],
    [['dataset', 'batch_size', 'shuffle'], 'SHUFFle', 'shuffle'],
    [['dataset', 'batch_size', 'shuffle'], 'SHUFFLe', null],
    [['input', 'dim', 'keepdim', 'dtype'], 'DIM', 'dim'],
    [['input', 'dim', 'keepdim', 'dtype'], 'keep_dim', 'keepdim'],
    [['lr', 'lr_decay', 'weight_decay'], 'lr_decy', 'lr_decay'],
  ];
  for (const [candidates, name, expected] of table) t.is(keywordSuggestion(name, candidates), expected, `${name} among ${candidates.join(', ')}`);
  // 749 candidates p0..p748: 'p7490' -> 'p490'; at 750 CPython suggests nothing.
  const names = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
  t.is(keywordSuggestion('p7490', names(749)), 'p490');
  t.is(keywordSuggestion('p7490', names(750)), null);
});

test('a parser suggests only when it stands for a Python def, and never between overloads', (t) => {
  const linear = (suggestKeywords: boolean) => new PythonArgParser(['Linear(int in_features, int out_features, bool bias=True)'], { suggestKeywords });
  t.throws(() => linear(true).parse([2, 2, { baias: false }]), { instanceOf: TypeError, message: "Linear() got an unexpected keyword argument 'baias'. Did you mean 'bias'?" });
  // A parameter given positionally is a candidate too, as in Python: def Linear(in_features, out_features, bias=True)
  // called Linear(2, in_feature=2, out_features=2) -> TypeError: Linear() got ... 'in_feature'. Did you mean 'in_features'?
  t.throws(() => linear(true).parse([2, { in_feature: 2, out_features: 2 }]), { instanceOf: TypeError, message: "Linear() got an unexpected keyword argument 'in_feature'. Did you mean 'in_features'?" });
  t.throws(() => linear(true).parse([2, 2, { learn_bias: false }]), { instanceOf: TypeError, message: "Linear() got an unexpected keyword argument 'learn_bias'" });
  // A builtin (an ATen op, Tensor methods) never suggests: torch.sort(x, dims=0) -> ... unexpected keyword argument 'dims'
  t.throws(() => linear(false).parse([2, 2, { baias: false }]), { instanceOf: TypeError, message: "Linear() got an unexpected keyword argument 'baias'" });
  t.throws(() => sort.parse([torch.ones(2), { dims: 0 }]), { instanceOf: TypeError, message: "sort() got an unexpected keyword argument 'dims'" });
  // Whether the loaded libtorch's CPython suggests, asked of it (3.13 does; 3.11 and 3.12 do not).
  const script = 'def f(shuffle=0): pass\ntry:\n    f(shufle=1)\nexcept TypeError as e:\n    print("Did you mean" in str(e))';
  t.is(PYTHON_DEFS_SUGGEST_KEYWORDS, execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }).trim() === 'True');
});
