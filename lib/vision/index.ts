// torchts/vision: torchvision's datasets and transforms.
import * as datasets from './datasets';
import * as transforms from './transforms';

export { datasets, transforms };
