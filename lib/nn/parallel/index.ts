// torch.nn.parallel: data parallelism across processes.
export { DistributedDataParallel, type DistributedDataParallelJoinOptions, type DistributedDataParallelOptions } from './distributed';
