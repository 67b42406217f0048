// torch.distributed: process groups, collectives and stores on libtorch's
// own c10d and Gloo, so that torchts ranks and Python ranks share one job.
export {
  Backend,
  GroupMember,
  ProcessGroup,
  ReduceOp,
  Work,
  all_gather,
  all_reduce,
  barrier,
  broadcast,
  default_pg_timeout,
  destroy_process_group,
  gather,
  get_backend,
  get_rank,
  get_world_size,
  init_process_group,
  irecv,
  is_available,
  is_gloo_available,
  is_initialized,
  is_mpi_available,
  is_nccl_available,
  is_ucc_available,
  isend,
  new_group,
  recv,
  reduce,
  reduce_scatter,
  scatter,
  send,
  type InitOptions,
} from './distributed_c10d';
export { FileStore, HashStore, PrefixStore, Store, TCPStore, type StoreValue, type TCPStoreOptions } from './store';
export { rendezvous } from './rendezvous';
export { BuiltinCommHookType } from './distributed_c10d';
import * as algorithms from './algorithms';

export { algorithms };
