// torchts/nn: PyTorch's torch.nn.
import * as functional from './functional';
import * as init from './init';

export { Module, type StateDict, type IncompatibleKeys } from './modules/module';
export { Parameter } from './parameter';
export { Linear, Identity } from './modules/linear';
export { ReLU, Tanh, Sigmoid, Softmax, LogSoftmax } from './modules/activation';
export { Flatten } from './modules/flatten';
export { Sequential, ModuleList, ModuleDict } from './modules/container';
export { Dropout } from './modules/dropout';
export { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from './modules/conv';
export {
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AdaptiveMaxPool3d,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  LPPool1d,
  LPPool2d,
  MaxUnpool1d,
  MaxUnpool2d,
  MaxUnpool3d,
  FractionalMaxPool2d,
  FractionalMaxPool3d,
} from './modules/pooling';
export { BatchNorm1d, BatchNorm2d, BatchNorm3d } from './modules/batchnorm';
export { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './modules/instancenorm';
export { LayerNorm, GroupNorm, LocalResponseNorm, CrossMapLRN2d } from './modules/normalization';
export { Embedding, EmbeddingBag } from './modules/sparse';
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d } from './modules/upsampling';
export { Fold, Unfold } from './modules/fold';
export { CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss } from './modules/loss';
export { functional, init };
