// torchvision.io: reading and decoding images.
export { ImageReadMode, read_file, decode_image, decode_png, decode_jpeg, read_image } from './image';
