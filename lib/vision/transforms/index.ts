// torchvision.transforms: the transforms, with their functional form as
// `transforms.functional` (torchvision.transforms.functional).
export * from './transforms';
export { InterpolationMode } from './functional';
export * as functional from './functional';
export { AutoAugment, AutoAugmentPolicy, RandAugment, TrivialAugmentWide } from './autoaugment';
