// torch.backends: switches for the libraries libtorch runs its kernels on.
export * as cuda from './cuda';
export { mkldnn } from './mkldnn';
