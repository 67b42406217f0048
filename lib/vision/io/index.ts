// torchvision.io: reading and decoding images.
export { ImageReadMode, read_file, decode_image, decode_png, decode_jpeg, read_image, _read_png_16 } from './image';
