// torchts/nn: PyTorch's torch.nn.
import * as functional from './functional';
import * as init from './init';

export { Module, type StateDict, type IncompatibleKeys } from './modules/module';
export { Parameter } from './parameter';
export { Linear, Bilinear, Identity } from './modules/linear';
export {
  ReLU, Tanh, Sigmoid, Softmax, LogSoftmax, Threshold, RReLU, Hardtanh, ReLU6, Hardsigmoid, SiLU, Mish, Hardswish, ELU, CELU, SELU, GLU, GELU,
  Hardshrink, LeakyReLU, LogSigmoid, Softplus, Softshrink, PReLU, Softsign, Tanhshrink, Softmin, Softmax2d,
} from './modules/activation';
export { Flatten, Unflatten } from './modules/flatten';
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict, type ParameterDictInput } from './modules/container';
export { Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout } from './modules/dropout';
export {
  ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, ZeroPad2d, ConstantPad1d, ConstantPad2d, ConstantPad3d,
} from './modules/padding';
export { PixelShuffle, PixelUnshuffle } from './modules/pixelshuffle';
export { ChannelShuffle } from './modules/channelshuffle';
export { PairwiseDistance, CosineSimilarity } from './modules/distance';
export { MultiheadAttention } from './modules/activation';
export { Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer, TransformerDecoderLayer } from './modules/transformer';
export { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from './modules/conv';
export {
  MaxPool1d, MaxPool2d, MaxPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d,
  AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, LPPool1d, LPPool2d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, FractionalMaxPool2d, FractionalMaxPool3d,
} from './modules/pooling';
export { BatchNorm1d, BatchNorm2d, BatchNorm3d } from './modules/batchnorm';
export { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './modules/instancenorm';
export { LayerNorm, GroupNorm, LocalResponseNorm, CrossMapLRN2d } from './modules/normalization';
export { Embedding, EmbeddingBag } from './modules/sparse';
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d } from './modules/upsampling';
export { Fold, Unfold } from './modules/fold';
export { RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell } from './modules/rnn';
export {
  CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss, PoissonNLLLoss, GaussianNLLLoss, KLDivLoss, BCELoss, HingeEmbeddingLoss, MultiLabelMarginLoss,
  SmoothL1Loss, HuberLoss, SoftMarginLoss, MultiLabelSoftMarginLoss, CosineEmbeddingLoss, MarginRankingLoss, MultiMarginLoss, TripletMarginLoss,
  TripletMarginWithDistanceLoss, CTCLoss, type KLDivReduction, type DistanceFunction,
} from './modules/loss';
export { AdaptiveLogSoftmaxWithLoss, type ASMoutput } from './modules/adaptive';
export { functional, init };
export * as utils from './utils';
export * as parallel from './parallel';
