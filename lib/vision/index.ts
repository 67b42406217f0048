// torchts/vision: torchvision's datasets, io and transforms.
import * as datasets from './datasets';
import * as io from './io';
import * as transforms from './transforms';

export { datasets, io, transforms };
