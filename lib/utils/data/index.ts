// torchts/utils/data: PyTorch's torch.utils.data.
export { Dataset, TensorDataset, Subset, ConcatDataset, random_split } from './dataset';
export { SequentialSampler, RandomSampler, SubsetRandomSampler, BatchSampler, type Sampler } from './sampler';
export { default_collate, type Collated } from './collate';
export { DataLoader, type DataLoaderOptions, type CollateFn } from './dataloader';
