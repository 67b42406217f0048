// torchvision.datasets.
export { MNIST, FashionMNIST, type MNISTOptions } from './mnist';
