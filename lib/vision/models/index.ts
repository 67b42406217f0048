// torchvision.models: the classification architectures, built as torchvision
// builds them (same layer names, same initialisation order). Pretrained
// weights are not downloaded: build with weights null and load_state_dict a
// file you have.
export {
  ResNet, BasicBlock, Bottleneck, conv1x1, conv3x3, resnet18, resnet34, resnet50, resnet101, resnet152,
  resnext50_32x4d, resnext101_32x8d, resnext101_64x4d, wide_resnet50_2, wide_resnet101_2,
  type ResNetBlock, type ResNetKwargs, type ResNetOptions, type BlockKwargs,
} from './resnet';
export {
  VGG, make_layers, cfgs, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn,
  type VGGConfig, type VGGKwargs, type VGGOptions,
} from './vgg';
export { MobileNetV2, InvertedResidual, mobilenet_v2, type MobileNetV2Kwargs, type MobileNetV2Options, type InvertedResidualKwargs } from './mobilenetv2';
export { Conv2dNormActivation, type Conv2dNormActivationKwargs } from './_misc';
export { _make_divisible, type LayerFactory, type BuilderOptions } from './_utils';
