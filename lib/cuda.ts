// torch.cuda: what CUDA this libtorch and machine offer.
import { native } from './native';

export function is_available(): boolean {
  return native.cudaIsAvailable();
}

export function device_count(): number {
  return native.cudaDeviceCount();
}
