// ResNet, ResNeXt and Wide ResNet, after torchvision/models/resnet.py
// (0.14 to 0.21: the same): the same modules under the same names, so that a
// torchvision state_dict loads as is, initialised in torchvision's order, so
// that the same torch.manual_seed gives the same weights.
import { Module } from '../../nn/modules/module';
import { Conv2d } from '../../nn/modules/conv';
import { BatchNorm2d } from '../../nn/modules/batchnorm';
import { GroupNorm } from '../../nn/modules/normalization';
import { ReLU } from '../../nn/modules/activation';
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/modules/pooling';
import { Linear } from '../../nn/modules/linear';
import { Sequential } from '../../nn/modules/container';
import { def_, type PyArgs } from '../../nn/modules/utils';
import * as init from '../../nn/init';
import type { Parameter } from '../../nn/parameter';
import type { Tensor } from '../../tensor';
import { _AdaptiveAvgPool2dTuple, _builder_args, _check_image_input, _make, _model_error, _ovewrite_named_param, type BuilderOptions, type LayerFactory } from './_utils';

/** 3x3 convolution with padding (= dilation), no bias. */
export function conv3x3(in_planes: number, out_planes: number, stride = 1, groups = 1, dilation = 1): Conv2d {
  return new Conv2d(in_planes, out_planes, 3, { stride, padding: dilation, groups, bias: false, dilation });
}

/** 1x1 convolution, no bias. */
export function conv1x1(in_planes: number, out_planes: number, stride = 1): Conv2d {
  return new Conv2d(in_planes, out_planes, 1, { stride, bias: false });
}

/** The arguments torchvision's ResNet passes its blocks. */
export interface BlockKwargs {
  inplanes: number;
  planes: number;
  stride?: number;
  downsample?: Module | null;
  groups?: number;
  base_width?: number;
  dilation?: number;
  norm_layer?: LayerFactory | null;
}

type BlockArgs = PyArgs<
  [inplanes: number, planes: number],
  [stride: number, downsample: Module | null, groups: number, base_width: number, dilation: number, norm_layer: LayerFactory | null],
  BlockKwargs
>;

/** A residual block class as ResNet takes it: its expansion (output channels = planes * expansion) and its constructor. */
export interface ResNetBlock {
  readonly expansion: number;
  new (...args: BlockArgs): Module;
}

const blockSignature = (name: string) =>
  `${name}(int inplanes, int planes, int stride=1, Any downsample=None, int groups=1, int base_width=64, int dilation=1, Any norm_layer=None)`;
const basicBlockArgs = def_<Required<BlockKwargs>>(blockSignature('BasicBlock'));
const bottleneckArgs = def_<Required<BlockKwargs>>(blockSignature('Bottleneck'));

function checkDownsample(owner: string, d: unknown): Module | null {
  if (d !== null && !(d instanceof Module)) throw new TypeError(`${owner}(): argument 'downsample' must be a Module or null, not ${typeof d}`);
  return d;
}

/**
 * ResNet-18/34's block: out = relu(bn2(conv2(relu(bn1(conv1(x))))) + identity),
 * both convolutions 3x3, the first one strided; identity = downsample(x) where
 * the shape changes. Input (N, inplanes, H, W), output (N, planes, H/stride, W/stride).
 */
export class BasicBlock extends Module {
  static readonly expansion: number = 1;
  conv1: Conv2d;
  bn1: Module;
  relu: ReLU;
  conv2: Conv2d;
  bn2: Module;
  downsample: Module | null;
  stride: number;

  /** torchvision's BasicBlock(inplanes, planes, stride=1, downsample=None, groups=1, base_width=64, dilation=1, norm_layer=None). */
  constructor(...args: BlockArgs);
  constructor(...args: unknown[]) {
    const a = basicBlockArgs(args);
    super();
    const norm_layer = a.norm_layer ?? BatchNorm2d;
    if (a.groups !== 1 || a.base_width !== 64) throw new RangeError('BasicBlock only supports groups=1 and base_width=64');
    if (a.dilation > 1) throw new RangeError('Dilation > 1 not supported in BasicBlock');
    // Both conv1 and downsample downsample the input when stride != 1.
    this.conv1 = conv3x3(a.inplanes, a.planes, a.stride);
    this.bn1 = _make('BasicBlock', 'norm_layer', norm_layer, a.planes);
    this.relu = new ReLU({ inplace: true });
    this.conv2 = conv3x3(a.planes, a.planes);
    this.bn2 = _make('BasicBlock', 'norm_layer', norm_layer, a.planes);
    this.downsample = checkDownsample('BasicBlock', a.downsample);
    this.stride = a.stride;
  }

  override forward(x: Tensor): Tensor {
    let out = this.relu(this.bn1(this.conv1(x)));
    out = this.bn2(this.conv2(out));
    const identity = this.downsample !== null ? this.downsample(x) : x;
    out = out.add_(identity);
    return this.relu(out);
  }
}

/**
 * ResNet-50/101/152's block (ResNet v1.5: the stride sits on the 3x3 conv2, not
 * on conv1): 1x1 conv to width = floor(planes * base_width / 64) * groups, 3x3
 * grouped conv, 1x1 conv to planes * 4, each with a norm, ReLU between, the
 * identity (or downsample(x)) added before the last ReLU.
 * Input (N, inplanes, H, W), output (N, planes * 4, H/stride, W/stride).
 */
export class Bottleneck extends Module {
  static readonly expansion: number = 4;
  conv1: Conv2d;
  bn1: Module;
  conv2: Conv2d;
  bn2: Module;
  conv3: Conv2d;
  bn3: Module;
  relu: ReLU;
  downsample: Module | null;
  stride: number;

  /** torchvision's Bottleneck(inplanes, planes, stride=1, downsample=None, groups=1, base_width=64, dilation=1, norm_layer=None). */
  constructor(...args: BlockArgs);
  constructor(...args: unknown[]) {
    const a = bottleneckArgs(args);
    super();
    const norm_layer = a.norm_layer ?? BatchNorm2d;
    // Python's int(planes * (base_width / 64.0)) * groups.
    const width = Math.trunc(a.planes * (a.base_width / 64.0)) * a.groups;
    const out = a.planes * Bottleneck.expansion;
    this.conv1 = conv1x1(a.inplanes, width);
    this.bn1 = _make('Bottleneck', 'norm_layer', norm_layer, width);
    this.conv2 = conv3x3(width, width, a.stride, a.groups, a.dilation);
    this.bn2 = _make('Bottleneck', 'norm_layer', norm_layer, width);
    this.conv3 = conv1x1(width, out);
    this.bn3 = _make('Bottleneck', 'norm_layer', norm_layer, out);
    this.relu = new ReLU({ inplace: true });
    this.downsample = checkDownsample('Bottleneck', a.downsample);
    this.stride = a.stride;
  }

  override forward(x: Tensor): Tensor {
    let out = this.relu(this.bn1(this.conv1(x)));
    out = this.relu(this.bn2(this.conv2(out)));
    out = this.bn3(this.conv3(out));
    const identity = this.downsample !== null ? this.downsample(x) : x;
    out = out.add_(identity);
    return this.relu(out);
  }
}

export interface ResNetKwargs {
  block: ResNetBlock;
  layers: number[];
  num_classes?: number;
  zero_init_residual?: boolean;
  groups?: number;
  width_per_group?: number;
  replace_stride_with_dilation?: boolean[] | null;
  norm_layer?: LayerFactory | null;
}

const resnetArgs = def_<Required<ResNetKwargs>>(
  'ResNet(Any block, int[] layers, int num_classes=1000, bool zero_init_residual=False, int groups=1, int width_per_group=64, ' +
    'bool[]? replace_stride_with_dilation=None, Any norm_layer=None)',
);

/**
 * Deep residual network (He et al., 2015): a 7x7/2 conv stem with norm, ReLU
 * and 3x3/2 max pooling, four stages of residual blocks (64, 128, 256, 512
 * planes; stages 2-4 halve the size, or dilate instead where
 * replace_stride_with_dilation says), global average pooling and a Linear to
 * num_classes. Input (N, 3, H, W), output (N, num_classes) logits.
 *
 * Convolutions are initialised from kaiming_normal_(mode='fan_out',
 * nonlinearity='relu'), norms to weight 1 and bias 0, the Linear as nn.Linear
 * does; with zero_init_residual the last norm of each block starts at 0, so
 * each block starts as the identity.
 */
export class ResNet extends Module {
  _norm_layer: LayerFactory;
  inplanes: number;
  dilation: number;
  groups: number;
  base_width: number;
  conv1: Conv2d;
  bn1: Module;
  relu: ReLU;
  maxpool: MaxPool2d;
  layer1: Sequential;
  layer2: Sequential;
  layer3: Sequential;
  layer4: Sequential;
  avgpool: AdaptiveAvgPool2d;
  fc: Linear;

  /**
   * torchvision's ResNet(block, layers, num_classes=1000, zero_init_residual=False,
   * groups=1, width_per_group=64, replace_stride_with_dilation=None, norm_layer=None).
   */
  constructor(
    ...args: PyArgs<
      [block: ResNetBlock, layers: number[]],
      [
        num_classes: number,
        zero_init_residual: boolean,
        groups: number,
        width_per_group: number,
        replace_stride_with_dilation: boolean[] | null,
        norm_layer: LayerFactory | null,
      ],
      ResNetKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = resnetArgs(args);
    super();
    const block = a.block;
    if (typeof block !== 'function' || typeof (block as { expansion?: unknown }).expansion !== 'number') {
      throw new TypeError(`ResNet(): argument 'block' must be a block class with an expansion (BasicBlock or Bottleneck), not ${typeof block}`);
    }
    if (a.layers.length !== 4 || a.layers.some((n) => n < 1)) {
      throw new RangeError(`ResNet(): 'layers' must be 4 block counts, each at least 1, got [${a.layers.join(', ')}]`);
    }
    const norm_layer = a.norm_layer ?? BatchNorm2d;
    this._norm_layer = norm_layer;
    this.inplanes = 64;
    this.dilation = 1;
    // Each element says whether to replace a stage's 2x2 stride with a dilated convolution.
    const dilate = a.replace_stride_with_dilation ?? [false, false, false];
    if (dilate.length !== 3) {
      throw new RangeError(`replace_stride_with_dilation should be None or a 3-element tuple, got [${dilate.map((d) => (d ? 'True' : 'False')).join(', ')}]`);
    }
    this.groups = a.groups;
    this.base_width = a.width_per_group;
    this.conv1 = new Conv2d(3, this.inplanes, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = _make('ResNet', 'norm_layer', norm_layer, this.inplanes);
    this.relu = new ReLU({ inplace: true });
    this.maxpool = new MaxPool2d({ kernel_size: 3, stride: 2, padding: 1 });
    this.layer1 = this._make_layer(block, 64, a.layers[0]);
    this.layer2 = this._make_layer(block, 128, a.layers[1], 2, dilate[0]);
    this.layer3 = this._make_layer(block, 256, a.layers[2], 2, dilate[1]);
    this.layer4 = this._make_layer(block, 512, a.layers[3], 2, dilate[2]);
    this.avgpool = new _AdaptiveAvgPool2dTuple(1, 1);
    this.fc = new Linear(512 * block.expansion, a.num_classes);

    // After every layer has drawn its own default initialisation, as in
    // torchvision: the draws below then come from the same generator state.
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaiming_normal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      } else if (m instanceof BatchNorm2d || m instanceof GroupNorm) {
        const norm = m as unknown as { weight: Parameter | null; bias: Parameter | null };
        if (norm.weight !== null) init.constant_(norm.weight, 1);
        if (norm.bias !== null) init.constant_(norm.bias, 0);
      }
    }
    if (a.zero_init_residual) {
      for (const m of this.modules()) {
        const last = m instanceof Bottleneck ? m.bn3 : m instanceof BasicBlock ? m.bn2 : null;
        const weight = (last as { weight?: Parameter | null } | null)?.weight;
        if (weight) init.constant_(weight, 0);
      }
    }
  }

  /** One stage: `blocks` blocks of `planes`, the first strided (or dilated) and given a 1x1 downsample where the shape changes. */
  _make_layer(block: ResNetBlock, planes: number, blocks: number, stride = 1, dilate = false): Sequential {
    const norm_layer = this._norm_layer;
    let downsample: Module | null = null;
    const previous_dilation = this.dilation;
    if (dilate) {
      this.dilation *= stride;
      stride = 1;
    }
    if (stride !== 1 || this.inplanes !== planes * block.expansion) {
      downsample = new Sequential(
        conv1x1(this.inplanes, planes * block.expansion, stride),
        _make('ResNet', 'norm_layer', norm_layer, planes * block.expansion),
      );
    }
    const layers: Module[] = [new block(this.inplanes, planes, stride, downsample, this.groups, this.base_width, previous_dilation, norm_layer)];
    this.inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) {
      layers.push(new block(this.inplanes, planes, { groups: this.groups, base_width: this.base_width, dilation: this.dilation, norm_layer }));
    }
    return new Sequential(...layers);
  }

  override forward(x: Tensor): Tensor {
    _check_image_input(this._get_name(), x, this.conv1.in_channels);
    try {
      let y = this.maxpool(this.relu(this.bn1(this.conv1(x))));
      y = this.layer4(this.layer3(this.layer2(this.layer1(y))));
      y = this.avgpool(y).flatten(1);
      return this.fc(y);
    } catch (err) {
      throw _model_error(this._get_name(), x, err);
    }
  }
}

/** The keywords a builder passes on to ResNet (block and layers are the builder's). */
export type ResNetOptions = BuilderOptions & Omit<ResNetKwargs, 'block' | 'layers'>;
type BuilderArgs = [] | [options: ResNetOptions] | [weights: null, progress?: boolean, options?: Omit<ResNetOptions, 'weights' | 'progress'>];

function _resnet(builder: string, block: ResNetBlock, layers: number[], args: readonly unknown[], fixed: Record<string, number> = {}): ResNet {
  const kwargs = _builder_args(builder, args);
  for (const [k, v] of Object.entries(fixed)) _ovewrite_named_param(kwargs, k, v);
  return new ResNet(block, layers, kwargs as Partial<ResNetKwargs>);
}

/** ResNet-18 (He et al., 2015): BasicBlock, [2, 2, 2, 2]. */
export function resnet18(...args: BuilderArgs): ResNet {
  return _resnet('resnet18', BasicBlock, [2, 2, 2, 2], args);
}

/** ResNet-34: BasicBlock, [3, 4, 6, 3]. */
export function resnet34(...args: BuilderArgs): ResNet {
  return _resnet('resnet34', BasicBlock, [3, 4, 6, 3], args);
}

/** ResNet-50: Bottleneck, [3, 4, 6, 3]. */
export function resnet50(...args: BuilderArgs): ResNet {
  return _resnet('resnet50', Bottleneck, [3, 4, 6, 3], args);
}

/** ResNet-101: Bottleneck, [3, 4, 23, 3]. */
export function resnet101(...args: BuilderArgs): ResNet {
  return _resnet('resnet101', Bottleneck, [3, 4, 23, 3], args);
}

/** ResNet-152: Bottleneck, [3, 8, 36, 3]. */
export function resnet152(...args: BuilderArgs): ResNet {
  return _resnet('resnet152', Bottleneck, [3, 8, 36, 3], args);
}

/** ResNeXt-50 32x4d (Xie et al., 2016): ResNet-50 with 32 groups of width 4. */
export function resnext50_32x4d(...args: BuilderArgs): ResNet {
  return _resnet('resnext50_32x4d', Bottleneck, [3, 4, 6, 3], args, { groups: 32, width_per_group: 4 });
}

/** ResNeXt-101 32x8d: ResNet-101 with 32 groups of width 8. */
export function resnext101_32x8d(...args: BuilderArgs): ResNet {
  return _resnet('resnext101_32x8d', Bottleneck, [3, 4, 23, 3], args, { groups: 32, width_per_group: 8 });
}

/** ResNeXt-101 64x4d: ResNet-101 with 64 groups of width 4. */
export function resnext101_64x4d(...args: BuilderArgs): ResNet {
  return _resnet('resnext101_64x4d', Bottleneck, [3, 4, 23, 3], args, { groups: 64, width_per_group: 4 });
}

/** Wide ResNet-50-2 (Zagoruyko & Komodakis, 2016): ResNet-50 with bottlenecks twice as wide (width_per_group=128). */
export function wide_resnet50_2(...args: BuilderArgs): ResNet {
  return _resnet('wide_resnet50_2', Bottleneck, [3, 4, 6, 3], args, { width_per_group: 128 });
}

/** Wide ResNet-101-2: ResNet-101 with bottlenecks twice as wide. */
export function wide_resnet101_2(...args: BuilderArgs): ResNet {
  return _resnet('wide_resnet101_2', Bottleneck, [3, 4, 23, 3], args, { width_per_group: 128 });
}
