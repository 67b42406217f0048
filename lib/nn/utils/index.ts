// torchts/nn's utils: PyTorch's torch.nn.utils.
export * as rnn from './rnn';
export { PackedSequence, pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence, unpack_sequence, unpad_sequence } from './rnn';
