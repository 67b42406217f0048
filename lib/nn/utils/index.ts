// torch.nn.utils: gradient clipping, parameters as one vector, weight and
// spectral normalization, and packed sequences for the recurrent networks.
export { clip_grad_norm_, clip_grad_norm, clip_grad_value_, get_total_norm, clip_grads_with_norm_, type TensorOrTensors } from './clip_grad';
export { parameters_to_vector, vector_to_parameters } from './convert_parameters';
export { weight_norm, remove_weight_norm } from './weight_norm';
export { spectral_norm, remove_spectral_norm } from './spectral_norm';
export * as rnn from './rnn';
export { PackedSequence, pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence, unpack_sequence, unpad_sequence } from './rnn';
