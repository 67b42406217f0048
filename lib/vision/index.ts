// torchts/vision: torchvision's datasets, transforms and models.
import * as datasets from './datasets';
import * as transforms from './transforms';

export { datasets, transforms };
export * as models from './models';
