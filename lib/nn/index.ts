// torchts/nn: PyTorch's torch.nn.
import * as functional from './functional';
import * as init from './init';

export { Module, type StateDict, type IncompatibleKeys } from './modules/module';
export { Parameter } from './parameter';
export { Linear, Identity } from './modules/linear';
export { ReLU, Tanh, Sigmoid, Softmax, LogSoftmax } from './modules/activation';
export { MultiheadAttention } from './modules/activation';
export { LayerNorm } from './modules/normalization';
export { Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer, TransformerDecoderLayer } from './modules/transformer';
export { Flatten } from './modules/flatten';
export { Sequential, ModuleList, ModuleDict } from './modules/container';
export { Dropout } from './modules/dropout';
export { Conv2d } from './modules/conv';
export { MaxPool1d, MaxPool2d, MaxPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d } from './modules/pooling';
export { BatchNorm1d } from './modules/batchnorm';
export { CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss } from './modules/loss';
export { functional, init };
export * as utils from './utils';
