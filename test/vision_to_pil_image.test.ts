// transforms.ToPILImage / functional.to_pil_image against torchvision (0.14
// with libtorch 1.13, 0.21 with 2.6: scripts/golden/vision_to_pil_image.py):
// the image a tensor becomes is the array PIL holds (np.asarray of Python's
// image, exactly), its mode inferred or checked as torchvision does, and
// PILToTensor and ToTensor give back what they give in Python.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { transforms as T } from '../lib/vision';
import { torchvisionAtLeast } from '../lib/vision/version';
import { PYTHON_DEFS_SUGGEST_KEYWORDS } from '../lib/_arg_parser';
import { decodeTensor, fixture, flatValues, type EncodedTensor } from './_helpers';

const F = T.functional;

interface Case {
  input: string;
  mode: T.functional.PILMode | null;
  pil_mode: string;
  pixels: EncodedTensor;
  pil_to_tensor: EncodedTensor | { error: string };
  to_tensor: EncodedTensor | { error: string };
  repr: string;
}
const golden = fixture<{ inputs: Record<string, EncodedTensor>; cases: Record<string, Case>; errors: Record<string, [string, string]> }>('vision_to_pil_image.json');
const inputs = Object.fromEntries(Object.entries(golden.inputs).map(([k, v]) => [k, decodeTensor(v)]));

function same(t: import('ava').ExecutionContext, actual: Tensor, expected: EncodedTensor, label: string): void {
  t.is(actual.dtype.name, expected.dtype, `${label}: dtype`);
  t.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  t.deepEqual(flatValues(actual), flatValues(decodeTensor(expected)), `${label}: values`);
}

for (const [name, c] of Object.entries(golden.cases)) {
  test(`${name}: to_pil_image gives PIL's ${c.pil_mode} pixels, and they convert back as in Python`, (t) => {
    const input = inputs[c.input];
    const img = F.to_pil_image(input, c.mode);
    same(t, img, c.pixels, 'pixels');
    const transform = new T.ToPILImage(c.mode);
    t.is(String(transform), c.repr);
    same(t, transform(input), c.pixels, 'ToPILImage');
    if ('error' in c.pil_to_tensor) {
      // Python's pil_to_tensor of an 'I;16' image fails in torch 1.13, which has no uint16; here the
      // image is the int16 of the same bits (no mode travels with it), and comes back as to_tensor gives it.
      t.is(c.pil_mode, 'I;16');
      same(t, F.pil_to_tensor(img), c.to_tensor as EncodedTensor, 'pil_to_tensor');
    } else {
      same(t, F.pil_to_tensor(img), c.pil_to_tensor, 'pil_to_tensor');
    }
    same(t, F.to_tensor(img), c.to_tensor as EncodedTensor, 'to_tensor');
  });
}

test('the image is a copy on the CPU: changing it leaves the tensor alone', (t) => {
  const x = inputs.u8_1.clone();
  const img = F.to_pil_image(x);
  img.fill_(0);
  t.deepEqual(flatValues(x), flatValues(inputs.u8_1));
  const rgb = F.to_pil_image(inputs.u8_3);
  t.true(rgb.is_contiguous());
  t.is(String(rgb.device), 'cpu');
});

test("bad input gets torchvision's errors, naming the function", (t) => {
  const e = golden.errors;
  // Python's ValueError is a RangeError here. torchvision's "Incorrect mode" message names
  // the class numpy.dtype (an f-string slip); here it names the dtype it means.
  const expect = (key: string, fn: () => unknown, message: string) => {
    const [kind] = e[key];
    t.throws(fn, { instanceOf: kind === 'TypeError' ? TypeError : RangeError, message }, key);
  };
  // Python: pic should be Tensor or ndarray. Got <class 'list'>. Here the binder says it, as for every Tensor parameter.
  expect('not_tensor', () => F.to_pil_image([[1, 2]] as any), "to_pil_image(): argument 'pic' (position 1) must be Tensor, not an array");
  t.throws(() => new T.ToPILImage()([[1, 2]] as any), { instanceOf: TypeError, message: 'ToPILImage: pic should be Tensor or ndarray. Got an array.' });
  expect('four_d', () => F.to_pil_image(torch.zeros([1, 1, 2, 2], { dtype: torch.uint8 })), `to_pil_image: ${e.four_d[1]}`);
  expect('five_channels', () => F.to_pil_image(torch.zeros([5, 2, 2], { dtype: torch.uint8 })), `to_pil_image: ${e.five_channels[1]}`);
  expect('wrong_mode_1', () => F.to_pil_image(inputs.u8_1, 'F'), `to_pil_image: ${e.wrong_mode_1[1].replace("<class 'numpy.dtype'>", 'uint8')}`);
  expect('wrong_mode_2', () => F.to_pil_image(inputs.u8_2, 'RGB'), `to_pil_image: ${e.wrong_mode_2[1]}`);
  expect('wrong_mode_3', () => F.to_pil_image(inputs.u8_3, 'RGBA'), `to_pil_image: ${e.wrong_mode_3[1]}`);
  expect('wrong_mode_4', () => new T.ToPILImage('RGB')(inputs.u8_4), `ToPILImage: ${e.wrong_mode_4[1]}`);
  expect('f64_mode_F', () => F.to_pil_image(inputs.f64_1, 'F'), `to_pil_image: ${e.f64_mode_F[1].replace("<class 'numpy.dtype'>", 'float64')}`);
  expect('int64_1', () => F.to_pil_image(torch.zeros([1, 2, 2], { dtype: torch.int64 })), `to_pil_image: ${e.int64_1[1]}`);
  expect('int32_3', () => F.to_pil_image(torch.zeros([3, 2, 2], { dtype: torch.int32 })), `to_pil_image: ${e.int32_3[1]}`);
  t.throws(() => F.to_pil_image(torch.zeros([0, 2, 2], { dtype: torch.uint8 })), { instanceOf: RangeError, message: 'to_pil_image: pic should have 1 to 4 channels. Got 0 channels.' });
  // F.to_pil_image(int16 (2, H, W), 'LA') in Python reads the int16 bytes as uint8 pixels: refused here.
  t.throws(() => F.to_pil_image(torch.zeros([2, 2, 2], { dtype: torch.int16 }), 'LA'), { instanceOf: TypeError, message: /^to_pil_image: mode LA holds uint8 pixels; got int16/ });
  if (torchvisionAtLeast(15)) {
    // Later releases take the pixels by pic.numpy(force=True), which detaches:
    // np.asarray(F.to_pil_image(torch.full((1, 2, 2), 0.25, requires_grad=True), 'F')) -> [[0.25, 0.25], [0.25, 0.25]]
    const img = F.to_pil_image(torch.full([1, 2, 2], 0.25, { requires_grad: true }), 'F');
    t.deepEqual(img.tolist(), [[0.25, 0.25], [0.25, 0.25]]);
    t.false(img.requires_grad);
  } else {
    // 0.14: F.to_pil_image(torch.zeros(1, 2, 2, requires_grad=True), 'F') -> RuntimeError: Can't call numpy() on Tensor that requires grad.
    t.throws(() => F.to_pil_image(torch.zeros([1, 2, 2], { requires_grad: true }), 'F'), { instanceOf: TypeError, message: /Can't call numpy\(\) on Tensor that requires grad/ });
  }
  t.throws(() => new T.ToPILImage('RGB', 1 as any), { instanceOf: TypeError, message: /ToPILImage\(\) takes from 0 to 1 positional arguments? but 2 were given/ });
  // T.ToPILImage(mod='RGB') -> TypeError: ToPILImage.__init__() got an unexpected keyword argument 'mod'. Did you mean 'mode'? (Python 3.13, beside 2.6)
  t.throws(() => new T.ToPILImage({ mod: 'RGB' } as any), {
    instanceOf: TypeError,
    message: `ToPILImage() got an unexpected keyword argument 'mod'${PYTHON_DEFS_SUGGEST_KEYWORDS ? ". Did you mean 'mode'?" : ''}`,
  });
});
