// torch.backends: switches for the libraries libtorch runs its kernels on.
export { mkldnn } from './mkldnn';
