// torch.nn.parallel: data parallelism across processes.
export { DistributedDataParallel, type DistributedDataParallelOptions } from './distributed';
