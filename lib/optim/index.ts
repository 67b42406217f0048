// torchts/optim: PyTorch's torch.optim.
import * as lr_scheduler from './lr_scheduler';

export { Optimizer, type ParamGroup, type ParamsInput, type OptimizerStateDict } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, AdamW, type AdamOptions, type AdamWOptions } from './adam';
export { lr_scheduler };
