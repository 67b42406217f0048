// torchvision.datasets.
export { MNIST, FashionMNIST, KMNIST, EMNIST, QMNIST, type MNISTOptions, type EMNISTOptions, type QMNISTOptions } from './mnist';
export { CIFAR10, CIFAR100, type CIFAROptions } from './cifar';
export { DatasetFolder, ImageFolder, IMG_EXTENSIONS, default_loader, find_classes, has_file_allowed_extension, make_dataset, type DatasetFolderOptions, type ImageFolderOptions, type Sample } from './folder';
export { check_integrity, calculate_md5, check_md5, extract_archive, download_and_extract_archive } from './utils';
