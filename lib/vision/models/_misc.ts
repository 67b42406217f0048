// Conv2dNormActivation, after torchvision/ops/misc.py (0.14 to 0.21: the same),
// where torchvision keeps it among its ops; the models here are its only
// users so far, so it lives beside them until there is a vision.ops.
import { Module } from '../../nn/modules/module';
import { Conv2d } from '../../nn/modules/conv';
import { BatchNorm2d } from '../../nn/modules/batchnorm';
import { ReLU } from '../../nn/modules/activation';
import { Sequential } from '../../nn/modules/container';
import { _ntuple, def_, type PyArgs } from '../../nn/modules/utils';
import { _make, type LayerFactory } from './_utils';

type IntOrPair = number | [number, number];

export interface Conv2dNormActivationKwargs {
  in_channels: number;
  out_channels: number;
  kernel_size?: IntOrPair;
  stride?: IntOrPair;
  padding?: IntOrPair | 'same' | 'valid' | null;
  groups?: number;
  norm_layer?: LayerFactory | null;
  activation_layer?: LayerFactory<[] | [{ inplace: boolean }]> | null;
  dilation?: IntOrPair;
  inplace?: boolean | null;
  bias?: boolean | null;
}

// norm_layer and activation_layer default to classes, which a signature's
// text cannot name: undefined stands for "not given" and is filled in below.
const args_ = def_<Required<Conv2dNormActivationKwargs>>(
  'Conv2dNormActivation(int in_channels, int out_channels, Any kernel_size=3, Any stride=1, Any padding=None, int groups=1, ' +
    'Any norm_layer=None, Any activation_layer=None, Any dilation=1, bool? inplace=True, bool? bias=None)',
);

/**
 * A Conv2d followed by a norm layer and an activation, as one Sequential
 * (children 0, 1, 2; the norm or the activation left out where null).
 * padding defaults to (kernel_size - 1) / 2 * dilation, which keeps the size
 * at stride 1; the convolution has a bias only where there is no norm layer,
 * unless bias says otherwise. Input (N, in_channels, H, W), output
 * (N, out_channels, H / stride, W / stride).
 */
export class Conv2dNormActivation extends Sequential {
  out_channels: number;

  /**
   * torchvision's Conv2dNormActivation(in_channels, out_channels, kernel_size=3, stride=1,
   * padding=None, groups=1, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU,
   * dilation=1, inplace=True, bias=None); pass norm_layer or activation_layer null to leave it out.
   */
  constructor(
    ...args: PyArgs<
      [in_channels: number, out_channels: number],
      [
        kernel_size: IntOrPair,
        stride: IntOrPair,
        padding: IntOrPair | 'same' | 'valid' | null,
        groups: number,
        norm_layer: LayerFactory | null,
        activation_layer: LayerFactory<[] | [{ inplace: boolean }]> | null,
        dilation: IntOrPair,
        inplace: boolean | null,
        bias: boolean | null,
      ],
      Conv2dNormActivationKwargs
    >
  );
  constructor(...args: unknown[]) {
    const a = args_(args);
    // An explicit null leaves the layer out; undefined (not given) is torchvision's default.
    const norm_layer = given(args, 6, 'norm_layer') ? a.norm_layer : BatchNorm2d;
    const activation_layer = given(args, 7, 'activation_layer') ? a.activation_layer : ReLU;
    let padding = a.padding;
    if (padding === null) {
      if (typeof a.kernel_size === 'number' && typeof a.dilation === 'number') {
        padding = Math.floor((a.kernel_size - 1) / 2) * a.dilation;
      } else {
        const n = Array.isArray(a.kernel_size) ? a.kernel_size.length : (a.dilation as number[]).length;
        const k = _ntuple('Conv2dNormActivation', 'kernel_size', a.kernel_size, n);
        const d = _ntuple('Conv2dNormActivation', 'dilation', a.dilation, n);
        padding = k.map((ki, i) => Math.floor((ki - 1) / 2) * d[i]) as [number, number];
      }
    }
    const bias = a.bias ?? norm_layer === null;
    const layers: Module[] = [
      new Conv2d(a.in_channels, a.out_channels, a.kernel_size, a.stride, padding, { dilation: a.dilation, groups: a.groups, bias }),
    ];
    if (norm_layer !== null) layers.push(_make('Conv2dNormActivation', 'norm_layer', norm_layer, a.out_channels));
    if (activation_layer !== null) {
      layers.push(
        a.inplace === null
          ? _make('Conv2dNormActivation', 'activation_layer', activation_layer)
          : _make('Conv2dNormActivation', 'activation_layer', activation_layer, { inplace: a.inplace }),
      );
    }
    super(...layers);
    this.out_channels = a.out_channels;
  }
}

/** Whether the caller gave the parameter at all (positionally or by keyword), null included. */
function given(args: readonly unknown[], index: number, name: string): boolean {
  const last = args[args.length - 1];
  const keywords = last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype ? (last as Record<string, unknown>) : null;
  const positional = keywords ? args.length - 1 : args.length;
  if (index < positional) return args[index] !== undefined;
  return keywords !== null && keywords[name] !== undefined;
}
