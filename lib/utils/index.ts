// torch.utils.
import * as data from './data';

export { data };
