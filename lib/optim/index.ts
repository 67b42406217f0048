// torchts/optim: PyTorch's torch.optim.
import * as lr_scheduler from './lr_scheduler';

export { Optimizer, type ParamGroup, type ParamsInput, type OptimizerStateDict } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, AdamW, type AdamOptions, type AdamWOptions } from './adam';
export { Adadelta, type AdadeltaOptions } from './adadelta';
export { Adagrad, type AdagradOptions } from './adagrad';
export { Adamax, type AdamaxOptions } from './adamax';
export { ASGD, type ASGDOptions } from './asgd';
export { NAdam, type NAdamOptions } from './nadam';
export { RAdam, type RAdamOptions } from './radam';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export { Rprop, type RpropOptions } from './rprop';
export { SparseAdam, type SparseAdamOptions } from './sparse_adam';
export { LBFGS, type LBFGSOptions } from './lbfgs';
export { Muon, type MuonOptions } from './muon';
export { lr_scheduler };
