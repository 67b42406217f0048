// torch.distributed.algorithms.
import * as ddp_comm_hooks from './ddp_comm_hooks';
import * as join from './join';

export { ddp_comm_hooks, join };
export { Join, type JoinHook, type Joinable, type JoinOptions } from './join';
