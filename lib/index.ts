// torchts: PyTorch's `torch` module for TypeScript.
//   import torch from 'torchts';   or   import * as torch from 'torchts';
import * as torch from './torch';

export * from './torch';
export default torch;
