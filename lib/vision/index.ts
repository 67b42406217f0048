// torchts/vision: torchvision's datasets, io, transforms and models.
import * as datasets from './datasets';
import * as io from './io';
import * as transforms from './transforms';

export { datasets, io, transforms };
export * as models from './models';
export { TORCHVISION_VERSION } from './version';
