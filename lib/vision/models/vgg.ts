// VGG, after torchvision/models/vgg.py (0.14 to 0.21: the same): the same layers
// under the same names (features.0.weight, classifier.6.bias), initialised in
// torchvision's order.
import { Module } from '../../nn/modules/module';
import { Conv2d } from '../../nn/modules/conv';
import { BatchNorm2d } from '../../nn/modules/batchnorm';
import { ReLU } from '../../nn/modules/activation';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/modules/pooling';
import { Linear } from '../../nn/modules/linear';
import { Dropout } from '../../nn/modules/dropout';
import { Sequential } from '../../nn/modules/container';
import { def_, type PyArgs } from '../../nn/modules/utils';
import * as init from '../../nn/init';
import type { Tensor } from '../../tensor';
import { _AdaptiveAvgPool2dTuple, _builder_args, _check_image_input, _model_error, type BuilderOptions } from './_utils';

export interface VGGKwargs {
  features: Module;
  num_classes?: number;
  init_weights?: boolean;
  dropout?: number;
}

const vggArgs = def_<Required<VGGKwargs>>('VGG(Any features, int num_classes=1000, bool init_weights=True, float dropout=0.5)');

/**
 * VGG (Simonyan & Zisserman, 2014): `features` (3x3 convolutions and 2x2 max
 * pooling, from make_layers), adaptive average pooling to 7x7, then a
 * classifier of Linear(512*7*7, 4096), ReLU, Dropout, Linear(4096, 4096), ReLU,
 * Dropout, Linear(4096, num_classes). Input (N, 3, H, W) with H, W >= 32 for
 * the standard features (five poolings halve it), output (N, num_classes).
 *
 * With init_weights, convolutions get kaiming_normal_(mode='fan_out',
 * nonlinearity='relu') and bias 0, norms weight 1 and bias 0, Linears
 * weights from N(0, 0.01) and bias 0, after every layer's own initialisation.
 */
export class VGG extends Module {
  features: Module;
  avgpool: AdaptiveAvgPool2d;
  classifier: Sequential;

  /** torchvision's VGG(features, num_classes=1000, init_weights=True, dropout=0.5). */
  constructor(...args: PyArgs<[features: Module], [num_classes: number, init_weights: boolean, dropout: number], VGGKwargs>);
  constructor(...args: unknown[]) {
    const a = vggArgs(args);
    super();
    if (!(a.features instanceof Module)) throw new TypeError(`VGG(): argument 'features' must be a Module, not ${typeof a.features}`);
    this.features = a.features;
    this.avgpool = new _AdaptiveAvgPool2dTuple(7, 7);
    this.classifier = new Sequential(
      new Linear(512 * 7 * 7, 4096),
      new ReLU(true),
      new Dropout({ p: a.dropout }),
      new Linear(4096, 4096),
      new ReLU(true),
      new Dropout({ p: a.dropout }),
      new Linear(4096, a.num_classes),
    );
    if (a.init_weights) {
      for (const m of this.modules()) {
        if (m instanceof Conv2d) {
          init.kaiming_normal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
          if (m.bias !== null) init.constant_(m.bias, 0);
        } else if (m instanceof BatchNorm2d) {
          init.constant_(m.weight!, 1);
          init.constant_(m.bias!, 0);
        } else if (m instanceof Linear) {
          init.normal_(m.weight, 0, 0.01);
          init.constant_(m.bias!, 0);
        }
      }
    }
  }

  override forward(x: Tensor): Tensor {
    // The standard features' first layer says how many channels, and five 2x2 poolings need 32 pixels.
    const first = this.features instanceof Sequential && this.features.length > 0 ? this.features.at(0) : null;
    const standard = first instanceof Conv2d;
    _check_image_input(this._get_name(), x, standard ? first.in_channels : null, standard ? _min_size(this.features as Sequential) : 1);
    try {
      let y = this.features(x);
      y = this.avgpool(y).flatten(1);
      return this.classifier(y);
    } catch (err) {
      throw _model_error(this._get_name(), x, err);
    }
  }
}

/** The smallest image the features take: 2^(number of 2x2 max poolings). */
function _min_size(features: Sequential): number {
  let size = 1;
  for (const m of features) if (m instanceof MaxPool2d) size *= 2;
  return size;
}

/** A layer configuration: output channels of each 3x3 convolution, 'M' for a 2x2 max pooling. */
export type VGGConfig = (number | 'M')[];

const makeLayersArgs = def_<{ cfg: unknown[]; batch_norm: boolean }>('make_layers(Any cfg, bool batch_norm=False)');

/** VGG's features from a configuration: each number a 3x3 convolution (padding 1) [+ BatchNorm2d] + ReLU, each 'M' a 2x2 max pooling. */
export function make_layers(...args: PyArgs<[cfg: VGGConfig], [batch_norm: boolean], { cfg: VGGConfig; batch_norm?: boolean }>): Sequential;
export function make_layers(...args: unknown[]): Sequential {
  const { cfg, batch_norm } = makeLayersArgs(args);
  if (!Array.isArray(cfg)) throw new TypeError(`make_layers(): argument 'cfg' must be an array of channel counts and 'M', not ${typeof cfg}`);
  const layers: Module[] = [];
  let in_channels = 3;
  for (const v of cfg) {
    if (v === 'M') {
      layers.push(new MaxPool2d({ kernel_size: 2, stride: 2 }));
    } else if (typeof v === 'number' && Number.isInteger(v) && v > 0) {
      const conv2d = new Conv2d(in_channels, v, 3, { padding: 1 });
      if (batch_norm) layers.push(conv2d, new BatchNorm2d(v), new ReLU({ inplace: true }));
      else layers.push(conv2d, new ReLU({ inplace: true }));
      in_channels = v;
    } else {
      throw new TypeError(`make_layers(): each entry of 'cfg' must be a positive channel count or 'M', got ${JSON.stringify(v)}`);
    }
  }
  return new Sequential(...layers);
}

/** torchvision's configurations: A is VGG-11, B VGG-13, D VGG-16, E VGG-19. */
export const cfgs: Readonly<Record<'A' | 'B' | 'D' | 'E', Readonly<VGGConfig>>> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

/** The keywords a builder passes on to VGG (features is the builder's). */
export type VGGOptions = BuilderOptions & Omit<VGGKwargs, 'features'>;
type BuilderArgs = [] | [options: VGGOptions] | [weights: null, progress?: boolean, options?: Omit<VGGOptions, 'weights' | 'progress'>];

function _vgg(builder: string, cfg: keyof typeof cfgs, batch_norm: boolean, args: readonly unknown[]): VGG {
  const kwargs = _builder_args(builder, args);
  return new VGG(make_layers([...cfgs[cfg]], batch_norm), kwargs as Partial<VGGKwargs>);
}

/** VGG-11 (configuration A). */
export function vgg11(...args: BuilderArgs): VGG {
  return _vgg('vgg11', 'A', false, args);
}

/** VGG-11 with batch normalisation. */
export function vgg11_bn(...args: BuilderArgs): VGG {
  return _vgg('vgg11_bn', 'A', true, args);
}

/** VGG-13 (configuration B). */
export function vgg13(...args: BuilderArgs): VGG {
  return _vgg('vgg13', 'B', false, args);
}

/** VGG-13 with batch normalisation. */
export function vgg13_bn(...args: BuilderArgs): VGG {
  return _vgg('vgg13_bn', 'B', true, args);
}

/** VGG-16 (configuration D). */
export function vgg16(...args: BuilderArgs): VGG {
  return _vgg('vgg16', 'D', false, args);
}

/** VGG-16 with batch normalisation. */
export function vgg16_bn(...args: BuilderArgs): VGG {
  return _vgg('vgg16_bn', 'D', true, args);
}

/** VGG-19 (configuration E). */
export function vgg19(...args: BuilderArgs): VGG {
  return _vgg('vgg19', 'E', false, args);
}

/** VGG-19 with batch normalisation. */
export function vgg19_bn(...args: BuilderArgs): VGG {
  return _vgg('vgg19_bn', 'E', true, args);
}
