// torch.distributed.algorithms.ddp_comm_hooks: the communication hooks of
// DistributedDataParallel.register_comm_hook.
import * as default_hooks from './default_hooks';

export { default_hooks };
