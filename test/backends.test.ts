// torch.backends.mkldnn: the switch between oneDNN's convolutions and ATen's
// own, as Python's torch.backends.mkldnn sets it.
import test from 'ava';

import torch from '../lib';

test('enabled reads and sets libtorch\'s switch; flags() restores it, also when its function throws', (t) => {
  const mkldnn = torch.backends.mkldnn;
  t.is(typeof mkldnn.is_available(), 'boolean');
  const start = mkldnn.enabled;
  mkldnn.enabled = !start;
  t.is(mkldnn.enabled, !start);
  t.is(mkldnn.flags(start, () => mkldnn.enabled), start);
  t.is(mkldnn.enabled, !start);
  t.throws(() => mkldnn.flags(start, () => {
    throw new Error('inside');
  }), { message: 'inside' });
  t.is(mkldnn.enabled, !start);
  mkldnn.enabled = start;
  t.throws(() => {
    (mkldnn as { enabled: unknown }).enabled = 1;
  }, { instanceOf: TypeError, message: 'torch.backends.mkldnn.enabled must be a boolean, not number' });
  t.throws(() => mkldnn.flags('no' as unknown as boolean, () => 0), { instanceOf: TypeError, message: /enabled must be a boolean, not string/ });
  t.throws(() => mkldnn.flags(false, 3 as unknown as () => number), { instanceOf: TypeError, message: /fn must be a function, not number/ });
  t.is(mkldnn.enabled, start);
});

test('a convolution gives the same values, to float32 rounding, with oneDNN and without', (t) => {
  torch.manual_seed(0);
  const x = torch.randn(16, 3, 12, 12);
  const w = torch.randn(8, 3, 3, 3);
  const on = torch.backends.mkldnn.flags(true, () => torch.nn.functional.conv2d(x, w, null, 2, 1));
  const off = torch.backends.mkldnn.flags(false, () => torch.nn.functional.conv2d(x, w, null, 2, 1));
  t.deepEqual([...off.shape], [16, 8, 6, 6]);
  t.true((on.sub(off).abs().max().item() as number) < 1e-4);
});
