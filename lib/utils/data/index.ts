// torchts/utils/data: PyTorch's torch.utils.data.
export { Dataset, IterableDataset, TensorDataset, Subset, ConcatDataset, ChainDataset, random_split } from './dataset';
export {
  Sampler,
  SequentialSampler,
  RandomSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
  BatchSampler,
  DistributedSampler,
} from './sampler';
export { default_collate, default_convert, type Collated } from './collate';
export { DataLoader, get_worker_info, WorkerInfo, type DataLoaderOptions, type CollateFn } from './dataloader';
