// MobileNetV2, after torchvision/models/mobilenetv2.py (0.14 to 0.21: the same):
// the same layers under the same names (features.1.conv.0.0.weight,
// classifier.1.bias), initialised in torchvision's order.
import { Module } from '../../nn/modules/module';
import { Conv2d } from '../../nn/modules/conv';
import { BatchNorm2d } from '../../nn/modules/batchnorm';
import { GroupNorm } from '../../nn/modules/normalization';
import { ReLU6 } from '../../nn/modules/activation';
import { Linear } from '../../nn/modules/linear';
import { Dropout } from '../../nn/modules/dropout';
import { Sequential } from '../../nn/modules/container';
import { def_, type PyArgs } from '../../nn/modules/utils';
import * as F from '../../nn/functional';
import * as init from '../../nn/init';
import type { Parameter } from '../../nn/parameter';
import type { Tensor } from '../../tensor';
import { Conv2dNormActivation } from './_misc';
import { _builder_args, _check_image_input, _make, _make_divisible, _model_error, _py_round, type BuilderOptions, type LayerFactory } from './_utils';
import { torchvisionAtLeast } from '../version';

export interface InvertedResidualKwargs {
  inp: number;
  oup: number;
  stride: number;
  expand_ratio: number;
  norm_layer?: LayerFactory | null;
}

const invertedResidualArgs = def_<Required<InvertedResidualKwargs>>(
  'InvertedResidual(int inp, int oup, int stride, float expand_ratio, Any norm_layer=None)',
);

/**
 * MobileNetV2's block: a 1x1 expansion to hidden = round(inp * expand_ratio)
 * channels (left out where expand_ratio is 1), a 3x3 depthwise convolution
 * (strided), each with a norm and ReLU6, then a linear 1x1 projection to oup
 * with a norm; the input is added back where stride is 1 and inp == oup.
 * Input (N, inp, H, W), output (N, oup, H / stride, W / stride).
 */
export class InvertedResidual extends Module {
  stride: number;
  use_res_connect: boolean;
  conv: Sequential;
  out_channels: number;
  _is_cn: boolean;

  /** torchvision's InvertedResidual(inp, oup, stride, expand_ratio, norm_layer=None). */
  constructor(...args: PyArgs<[inp: number, oup: number, stride: number, expand_ratio: number], [norm_layer: LayerFactory | null], InvertedResidualKwargs>);
  constructor(...args: unknown[]) {
    const { inp, oup, stride, expand_ratio, norm_layer: given } = invertedResidualArgs(args);
    super();
    this.stride = stride;
    // (torchvision 0.14 spells it "insted"; later releases "instead")
    if (stride !== 1 && stride !== 2) throw new RangeError(`InvertedResidual(): stride should be 1 or 2 ${torchvisionAtLeast(15) ? 'instead' : 'insted'} of ${stride}`);
    const norm_layer = given ?? BatchNorm2d;
    const hidden_dim = _py_round(inp * expand_ratio);
    this.use_res_connect = this.stride === 1 && inp === oup;
    const layers: Module[] = [];
    if (expand_ratio !== 1) {
      // pointwise expansion
      layers.push(new Conv2dNormActivation(inp, hidden_dim, { kernel_size: 1, norm_layer, activation_layer: ReLU6 }));
    }
    layers.push(
      // depthwise
      new Conv2dNormActivation(hidden_dim, hidden_dim, { stride, groups: hidden_dim, norm_layer, activation_layer: ReLU6 }),
      // pointwise, linear
      new Conv2d(hidden_dim, oup, 1, 1, 0, { bias: false }),
      _make('InvertedResidual', 'norm_layer', norm_layer, oup),
    );
    this.conv = new Sequential(...layers);
    this.out_channels = oup;
    this._is_cn = stride > 1;
  }

  override forward(x: Tensor): Tensor {
    return this.use_res_connect ? x.add(this.conv(x)) : this.conv(x);
  }
}

export interface MobileNetV2Kwargs {
  num_classes?: number;
  width_mult?: number;
  inverted_residual_setting?: number[][] | null;
  round_nearest?: number;
  block?: LayerFactory<[inp: number, oup: number, stride: number, options: { expand_ratio: number; norm_layer: LayerFactory }]> | null;
  norm_layer?: LayerFactory | null;
  dropout?: number;
}

const mobileNetV2Args = def_<Required<MobileNetV2Kwargs>>(
  'MobileNetV2(int num_classes=1000, float width_mult=1.0, Any inverted_residual_setting=None, int round_nearest=8, Any block=None, Any norm_layer=None, float dropout=0.2)',
);

/** Python's repr of a (nested) list of numbers, as torchvision's messages show it: [[1, 16, 1]]. */
function pyRepr(v: unknown): string {
  return Array.isArray(v) ? `[${v.map(pyRepr).join(', ')}]` : String(v);
}

/** torchvision's table: for each stage, t (expansion), c (output channels), n (blocks), s (first block's stride). */
const DEFAULT_SETTING: readonly (readonly number[])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * MobileNetV2 (Sandler et al., 2018): a 3x3/2 conv stem (32 channels), the
 * inverted residual stages of inverted_residual_setting, a 1x1 conv to
 * last_channel (1280, more where width_mult > 1), global average pooling, and
 * a classifier of Dropout and Linear(last_channel, num_classes). Channel
 * counts are scaled by width_mult and rounded to multiples of round_nearest.
 * Input (N, 3, H, W), output (N, num_classes).
 *
 * Convolutions are initialised from kaiming_normal_(mode='fan_out') with bias
 * 0, norms to weight 1 and bias 0, the Linear from N(0, 0.01) with bias 0,
 * after every layer's own initialisation.
 */
export class MobileNetV2 extends Module {
  last_channel: number;
  features: Sequential;
  classifier: Sequential;

  /**
   * torchvision's MobileNetV2(num_classes=1000, width_mult=1.0, inverted_residual_setting=None,
   * round_nearest=8, block=None, norm_layer=None, dropout=0.2).
   */
  constructor(
    ...args: PyArgs<
      [],
      [
        num_classes: number,
        width_mult: number,
        inverted_residual_setting: number[][] | null,
        round_nearest: number,
        block: MobileNetV2Kwargs['block'],
        norm_layer: LayerFactory | null,
        dropout: number,
      ],
      MobileNetV2Kwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = mobileNetV2Args(args);
    super();
    const block = a.block ?? InvertedResidual;
    const norm_layer = a.norm_layer ?? BatchNorm2d;
    const setting = a.inverted_residual_setting ?? DEFAULT_SETTING;
    // torchvision checks only the first row's length, trusting the rest to be t, c, n, s.
    if (!Array.isArray(setting) || setting.length === 0 || !Array.isArray(setting[0]) || setting[0].length !== 4) {
      throw new RangeError(
        `MobileNetV2(): inverted_residual_setting should be non-empty or a 4-element list, got ${pyRepr(setting)}`,
      );
    }
    if (!(a.width_mult > 0)) throw new RangeError(`MobileNetV2(): width_mult must be positive, got ${a.width_mult}`);
    if (!(a.round_nearest >= 1)) throw new RangeError(`MobileNetV2(): round_nearest must be a positive integer, got ${a.round_nearest}`);
    let input_channel = _make_divisible(32 * a.width_mult, a.round_nearest);
    this.last_channel = _make_divisible(1280 * Math.max(1.0, a.width_mult), a.round_nearest);
    const features: Module[] = [new Conv2dNormActivation(3, input_channel, { stride: 2, norm_layer, activation_layer: ReLU6 })];
    for (const row of setting) {
      if (!Array.isArray(row) || row.length !== 4 || row.some((v) => typeof v !== 'number')) {
        throw new TypeError(`MobileNetV2(): each row of inverted_residual_setting must be [t, c, n, s], got ${pyRepr(row)}`);
      }
      const [t, c, n, s] = row;
      const output_channel = _make_divisible(c * a.width_mult, a.round_nearest);
      for (let i = 0; i < n; i++) {
        const stride = i === 0 ? s : 1;
        features.push(_make('MobileNetV2', 'block', block, input_channel, output_channel, stride, { expand_ratio: t, norm_layer }));
        input_channel = output_channel;
      }
    }
    features.push(new Conv2dNormActivation(input_channel, this.last_channel, { kernel_size: 1, norm_layer, activation_layer: ReLU6 }));
    this.features = new Sequential(...features);
    this.classifier = new Sequential(new Dropout({ p: a.dropout }), new Linear(this.last_channel, a.num_classes));

    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaiming_normal_(m.weight, { mode: 'fan_out' });
        if (m.bias !== null) init.zeros_(m.bias);
      } else if (m instanceof BatchNorm2d || m instanceof GroupNorm) {
        const norm = m as unknown as { weight: Parameter | null; bias: Parameter | null };
        if (norm.weight !== null) init.ones_(norm.weight);
        if (norm.bias !== null) init.zeros_(norm.bias);
      } else if (m instanceof Linear) {
        init.normal_(m.weight, 0, 0.01);
        if (m.bias !== null) init.zeros_(m.bias);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    const stem = this.features.length > 0 ? this.features.at(0) : null;
    const conv = stem instanceof Sequential && stem.length > 0 ? stem.at(0) : null;
    _check_image_input(this._get_name(), x, conv instanceof Conv2d ? conv.in_channels : null);
    try {
      let y = this.features(x);
      // Not squeeze: the batch may be 1.
      y = F.adaptive_avg_pool2d(y, [1, 1]).flatten(1);
      return this.classifier(y);
    } catch (err) {
      throw _model_error(this._get_name(), x, err);
    }
  }
}

/** The keywords mobilenet_v2 passes on to MobileNetV2. */
export type MobileNetV2Options = BuilderOptions & MobileNetV2Kwargs;

/** MobileNetV2 with torchvision's defaults (width_mult=1.0 unless given). */
export function mobilenet_v2(
  ...args: [] | [options: MobileNetV2Options] | [weights: null, progress?: boolean, options?: Omit<MobileNetV2Options, 'weights' | 'progress'>]
): MobileNetV2 {
  const kwargs = _builder_args('mobilenet_v2', args);
  return new MobileNetV2(kwargs as MobileNetV2Kwargs);
}
