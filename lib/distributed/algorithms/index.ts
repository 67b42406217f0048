// torch.distributed.algorithms.
import * as ddp_comm_hooks from './ddp_comm_hooks';

export { ddp_comm_hooks };
