// Parameters as one flat vector and back, after torch/nn/utils/convert_parameters.py.
import * as T from '../../_generated/torch_functions';
import { describeValue } from '../../_options';
import { native } from '../../native';
import { Tensor } from '../../tensor';
import { def_ } from '../modules/utils';
import { _tensorList } from './clip_grad';

/** Python's _check_param_device: every parameter on one device (the first one's). */
function checkParamDevice(fn: string, params: Tensor[]): void {
  const first = params.length ? String(params[0].device) : '';
  for (const p of params) {
    if (String(p.device) !== first) throw new TypeError(`${fn}(): Found two parameters on different devices, this is currently not supported (${first} and ${String(p.device)}).`);
  }
}

const toVectorArgs = def_<{ parameters: Iterable<Tensor> }>('parameters_to_vector(Any parameters)');
const fromVectorArgs = def_<{ vec: Tensor; parameters: Iterable<Tensor> }>('vector_to_parameters(Any vec, Any parameters)');

/** Every parameter flattened and concatenated, in order, into one 1-D tensor. Python's parameters_to_vector(parameters). */
export function parameters_to_vector(parameters: Iterable<Tensor>): Tensor;
export function parameters_to_vector(options: { parameters: Iterable<Tensor> }): Tensor;
export function parameters_to_vector(...args: unknown[]): Tensor {
  const { parameters } = toVectorArgs(args);
  const params = _tensorList('parameters_to_vector', parameters);
  checkParamDevice('parameters_to_vector', params);
  return T.cat(params.map((p) => p.view(-1)));
}

/**
 * Cuts vec into consecutive pieces of each parameter's size and makes each
 * the parameter's data (views of vec, as Python's `param.data = ...`).
 * Python's vector_to_parameters(vec, parameters).
 */
export function vector_to_parameters(vec: Tensor, parameters: Iterable<Tensor>): void;
export function vector_to_parameters(options: { vec: Tensor; parameters: Iterable<Tensor> }): void;
export function vector_to_parameters(...args: unknown[]): void {
  const { vec, parameters } = fromVectorArgs(args);
  if (!(vec instanceof Tensor)) {
    // Python names the type as torch.typename does: list, float, ...
    const typename = Array.isArray(vec) ? 'list' : typeof vec === 'number' ? (Number.isInteger(vec) ? 'int' : 'float') : describeValue(vec);
    throw new TypeError(`vector_to_parameters(): expected torch.Tensor, but got: ${typename}`);
  }
  const params = _tensorList('vector_to_parameters', parameters);
  checkParamDevice('vector_to_parameters', params);
  const total = params.reduce((n, p) => n + p.numel(), 0);
  if (vec.ndim !== 1 || vec.numel() !== total) {
    throw new RangeError(`vector_to_parameters(): vec should be a 1-D tensor of the parameters' ${total} elements, got shape [${[...vec.shape].join(', ')}]`);
  }
  let pointer = 0;
  for (const p of params) {
    const n = p.numel();
    native.setData(p, vec.slice(0, pointer, pointer + n).view_as(p).detach());
    pointer += n;
  }
}
