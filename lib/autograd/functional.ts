// torch.autograd.functional, after torch/autograd/functional.py (1.13): the
// Jacobian, Hessian and their products with a vector, built from
// autograd.grad as Python builds them (reverse mode; jvp and hvp through the
// double-backward trick), so that the numbers are Python's.
//
// Python's tuples are arrays here: a function of several inputs is given
// them as separate arguments, `func(...inputs)`, and returns a Tensor or an
// array of Tensors; results nest as Python's do (one level per tuple).
import * as T from '../_generated/torch_functions';
import { def_, type PyArgs } from '../nn/modules/utils';
import { native } from '../native';
import { Tensor } from '../tensor';
import { enable_grad, GradModeGuard, is_grad_enabled } from './grad_mode';
import { grad as autogradGrad } from './index';

type Func = (...inputs: Tensor[]) => Tensor | Tensor[];
type Inputs = Tensor | Tensor[];

function typeName(v: unknown): string {
  if (v === null) return "<class 'NoneType'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'string') return "<class 'str'>";
  if (Array.isArray(v)) return "<class 'list'>";
  return `<class '${typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v}'>`;
}

/** Python's _as_tuple: [whether it was a tuple, its tensors], with Python's TypeError for anything else. */
function asTuple(inp: unknown, argName: string, fnName: string): [boolean, Tensor[]] {
  const isTuple = Array.isArray(inp);
  const items: unknown[] = isTuple ? (inp as unknown[]) : [inp];
  items.forEach((el, i) => {
    if (el instanceof Tensor) return;
    if (isTuple) {
      throw new TypeError(`The ${argName} given to ${fnName} must be either a Tensor or a tuple of Tensors but the value at index ${i} has type ${typeName(el)}.`);
    }
    throw new TypeError(`The ${argName} given to ${fnName} must be either a Tensor or a tuple of Tensors but the given ${argName} has type ${typeName(el)}.`);
  });
  return [isTuple, items as Tensor[]];
}

function tuplePostprocess(res: any, toUnpack: boolean | [boolean, boolean]): any {
  if (Array.isArray(toUnpack)) {
    if (!toUnpack[1]) res = (res as any[]).map((el) => el[0]);
    if (!toUnpack[0]) res = res[0];
  } else if (!toUnpack) {
    res = res[0];
  }
  return res;
}

// A new tensor object for each input, so that inputs the function captures
// by itself are told apart from the ones it is given (PyTorch issue 32576).
const SPARSE_COO = 1; // c10::Layout::Sparse

function gradPreprocess(inputs: Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return inputs.map((inp) => {
    // A sparse (COO) tensor has no views: it is cloned.
    if (createGraph && inp.requires_grad) return native.layout(inp) === SPARSE_COO ? inp.clone() : inp.view_as(inp);
    return inp.detach().requires_grad_(needGraph);
  });
}

function gradPostprocess(inputs: any[], createGraph: boolean): any[] {
  if (inputs[0] instanceof Tensor) return createGraph ? inputs : inputs.map((t: Tensor | null) => (t as Tensor).detach());
  return inputs.map((inp) => gradPostprocess(inp, createGraph));
}

function sizeText(t: Tensor): string {
  return `torch.Size([${[...t.shape].join(', ')}])`;
}

function validateV(v: Tensor[], other: Tensor[], isOtherTuple: boolean): void {
  if (other.length !== v.length) {
    if (isOtherTuple) throw new RangeError(`v is a tuple of invalid length: should be ${other.length} but got ${v.length}.`);
    throw new RangeError('The given v should contain a single Tensor.');
  }
  v.forEach((el, idx) => {
    const o = other[idx]!;
    if (el.ndim !== o.ndim || [...el.shape].some((d, k) => d !== o.shape[k])) {
      const prepend = isOtherTuple ? `Entry ${idx} in ` : '';
      throw new RangeError(`${prepend}v has invalid size: should be ${sizeText(o)} but got ${sizeText(el)}.`);
    }
  });
}

function checkRequiresGrad(inputs: (Tensor | null)[], inputType: 'outputs' | 'grad_inputs' | 'jacobian' | 'hessian', strict: boolean): void {
  if (!strict) return;
  inputs.forEach((inp, i) => {
    if (inp === null) throw new Error(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
    if (inp.requires_grad) return;
    if (inputType === 'hessian') {
      throw new Error(
        `The hessian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian depends on the inputs.`,
      );
    } else if (inputType === 'jacobian') {
      throw new Error(
        `While computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).`,
      );
    } else if (inputType === 'grad_inputs') {
      throw new Error(`The gradient with respect to input ${i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.`);
    } else {
      throw new Error(`Output ${i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`);
    }
  });
}

/** Python's _autograd_grad: autograd.grad over the outputs that require grad only; all null when none does. */
function gradOf(outputs: (Tensor | null)[], inputs: Tensor[], gradOutputs: (Tensor | null)[] | null, createGraph: boolean, retainGraph: boolean | null = null): (Tensor | null)[] {
  const gos = gradOutputs ?? outputs.map(() => null);
  const newOutputs: Tensor[] = [];
  const newGrads: (Tensor | null)[] = [];
  outputs.forEach((out, i) => {
    if (out !== null && out.requires_grad) {
      newOutputs.push(out);
      newGrads.push(gos[i] ?? null);
    }
  });
  if (newOutputs.length === 0) return inputs.map(() => null);
  return autogradGrad(newOutputs, inputs, { grad_outputs: newGrads, allow_unused: true, create_graph: createGraph, retain_graph: retainGraph });
}

type Stage = 'back' | 'back_trick' | 'double_back' | 'double_back_trick';

function fillInZeros(grads: (Tensor | null)[], refs: Tensor[], strict: boolean, createGraph: boolean, stage: Stage): Tensor[] {
  return grads.map((g, i) => {
    if (g === null) {
      if (strict) {
        if (stage === 'back') throw new Error(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
        if (stage === 'back_trick') {
          throw new Error(
            `The gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode.`,
          );
        }
        if (stage === 'double_back') throw new Error(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
        throw new Error(
          `The hessian of the user-provided function is independent of entry ${i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.`,
        );
      }
      return T.zeros_like(refs[i]!);
    }
    if (strict && createGraph && !g.requires_grad) {
      if (!stage.includes('double')) throw new Error(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
      throw new Error(`The hessian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
    }
    return g;
  });
}

function checkFunc(fnName: string, func: unknown): asserts func is Func {
  if (typeof func !== 'function') throw new TypeError(`${fnName}(): argument 'func' must be a function, got ${typeName(func)}`);
}

function callFunc(func: Func, inputs: Tensor[]): unknown {
  return func(...inputs);
}

/** Runs fn with grad mode set to mode, restoring it after (Python's `with torch.set_grad_enabled(mode)`). */
function withGradMode<R>(mode: boolean, fn: () => R): R {
  const guard = new GradModeGuard(mode);
  try {
    return fn();
  } finally {
    guard.exit();
  }
}

interface ProductOptions {
  v?: Inputs | null;
  create_graph?: boolean;
  strict?: boolean;
}
interface ProductArgs {
  func: Func;
  inputs: Inputs;
  v: Inputs | null;
  create_graph: boolean;
  strict: boolean;
}

const vjpArgs = def_<ProductArgs>('vjp(Any func, Any inputs, Any v=None, bool create_graph=False, bool strict=False)');
const jvpArgs = def_<ProductArgs>('jvp(Any func, Any inputs, Any v=None, bool create_graph=False, bool strict=False)');
const vhpArgs = def_<ProductArgs>('vhp(Any func, Any inputs, Any v=None, bool create_graph=False, bool strict=False)');
const hvpArgs = def_<ProductArgs>('hvp(Any func, Any inputs, Any v=None, bool create_graph=False, bool strict=False)');

type ProductCall = PyArgs<[func: Func, inputs: Inputs], [v: Inputs | null, create_graph: boolean, strict: boolean], ProductOptions & { func: Func; inputs: Inputs }>;

/**
 * Python's torch.autograd.functional.vjp(func, inputs, v=None,
 * create_graph=False, strict=False): [func(inputs), vᵀ·J], J the Jacobian
 * of func at inputs; v has the outputs' shapes (it may be omitted when func
 * returns a single element).
 */
export function vjp(...args: ProductCall): [any, any];
export function vjp(...args: unknown[]): [any, any] {
  const { func, inputs: inputsArg, v: vArg, create_graph, strict } = vjpArgs(args);
  checkFunc('vjp', func);
  let isInputsTuple: boolean, inputs: Tensor[], isOutputsTuple: boolean, outputs: Tensor[];
  let v: Tensor[] | null = null;
  enable_grad(() => {
    [isInputsTuple, inputs] = asTuple(inputsArg, 'inputs', 'vjp');
    inputs = gradPreprocess(inputs, create_graph, true);
    [isOutputsTuple, outputs] = asTuple(callFunc(func, inputs), 'outputs of the user-provided function', 'vjp');
    checkRequiresGrad(outputs, 'outputs', strict);
    if (vArg != null) {
      v = gradPreprocess(asTuple(vArg, 'v', 'vjp')[1], create_graph, false);
      validateV(v, outputs, isOutputsTuple);
    } else if (outputs.length !== 1 || outputs[0]!.numel() !== 1) {
      throw new Error('The vector v can only be None if the user-provided function returns a single Tensor with a single element.');
    }
  });
  const res = withGradMode(create_graph ? true : is_grad_enabled(), () =>
    fillInZeros(gradOf(outputs!, inputs!, v, create_graph), inputs!, strict, create_graph, 'back'),
  );
  return [tuplePostprocess(gradPostprocess(outputs!, create_graph), isOutputsTuple!), tuplePostprocess(gradPostprocess(res, create_graph), isInputsTuple!)];
}

/**
 * Python's torch.autograd.functional.jvp(func, inputs, v=None,
 * create_graph=False, strict=False): [func(inputs), J·v], computed by the
 * double-backward trick as Python does; v has the inputs' shapes.
 */
export function jvp(...args: ProductCall): [any, any];
export function jvp(...args: unknown[]): [any, any] {
  const { func, inputs: inputsArg, v: vArg, create_graph, strict } = jvpArgs(args);
  checkFunc('jvp', func);
  let isInputsTuple: boolean, inputs: Tensor[], isOutputsTuple: boolean, outputs: Tensor[];
  let v: Tensor[] | null = null;
  let gradOutputs: Tensor[], gradInputs: (Tensor | null)[];
  enable_grad(() => {
    [isInputsTuple, inputs] = asTuple(inputsArg, 'inputs', 'jvp');
    inputs = gradPreprocess(inputs, create_graph, true);
    if (vArg != null) {
      v = gradPreprocess(asTuple(vArg, 'v', 'jvp')[1], create_graph, false);
      validateV(v, inputs, isInputsTuple);
    } else if (inputs.length !== 1 || inputs[0]!.numel() !== 1) {
      throw new Error('The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
    }
    [isOutputsTuple, outputs] = asTuple(callFunc(func, inputs), 'outputs of the user-provided function', 'jvp');
    checkRequiresGrad(outputs, 'outputs', strict);
    // The backward is linear in grad_outputs: their value never reaches the
    // result, they only must not be inf or NaN.
    gradOutputs = outputs.map((out) => T.zeros_like(out, { requires_grad: true }));
    gradInputs = gradOf(outputs, inputs, gradOutputs, true);
    checkRequiresGrad(gradInputs, 'grad_inputs', strict);
  });
  const back = () => fillInZeros(gradOf(gradInputs!, gradOutputs!, v, create_graph), outputs!, strict, create_graph, 'back_trick');
  const res = create_graph ? enable_grad(back) : back();
  return [tuplePostprocess(gradPostprocess(outputs!, create_graph), isOutputsTuple!), tuplePostprocess(gradPostprocess(res, create_graph), isOutputsTuple!)];
}

interface JacobianOptions {
  create_graph?: boolean;
  strict?: boolean;
  vectorize?: boolean;
  strategy?: 'reverse-mode' | 'forward-mode';
}
const jacobianArgs = def_<{ func: Func; inputs: Inputs; create_graph: boolean; strict: boolean; vectorize: boolean; strategy: string }>(
  'jacobian(Any func, Any inputs, bool create_graph=False, bool strict=False, bool vectorize=False, str strategy="reverse-mode")',
);

function checkStrategy(fnName: string, name: string, strategy: string, vectorize: boolean): void {
  if (strategy !== 'reverse-mode' && strategy !== 'forward-mode') {
    throw new RangeError(`${fnName}(): ${name} must be "forward-mode" or "reverse-mode", got "${strategy}"`);
  }
  // Both need vmap (Python's _vmap) or forward-mode AD through dual
  // tensors, which torchts does not bind; the reverse-mode loop is exact.
  if (strategy === 'forward-mode') throw new Error(`${fnName}(): ${name}="forward-mode" is not supported by torchts (it needs forward-mode AD); use "reverse-mode"`);
  if (vectorize) throw new Error(`${fnName}(): vectorize=True is not supported by torchts (it needs vmap); use vectorize=false, which gives the same values`);
}

function jacobianImpl(func: Func, inputsArg: Inputs, createGraph: boolean, strict: boolean): any {
  return enable_grad(() => {
    let [isInputsTuple, inputs] = asTuple(inputsArg, 'inputs', 'jacobian');
    inputs = gradPreprocess(inputs, createGraph, true);
    const [isOutputsTuple, outputs] = asTuple(callFunc(func, inputs), 'outputs of the user-provided function', 'jacobian');
    checkRequiresGrad(outputs, 'outputs', strict);
    const jacobian: Tensor[][] = [];
    outputs.forEach((out, i) => {
      const jacI: Tensor[][] = inputs.map(() => []);
      const flat = out.reshape(-1);
      for (let j = 0; j < out.numel(); j++) {
        const vj = gradOf([flat.select(0, j)], inputs, null, createGraph, true);
        vj.forEach((vjEl, elIdx) => {
          if (vjEl !== null) {
            if (strict && createGraph && !vjEl.requires_grad) {
              throw new Error(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
            }
            jacI[elIdx]!.push(vjEl);
          } else {
            if (strict) throw new Error(`Output ${i} of the user-provided function is independent of input ${elIdx}. This is not allowed in strict mode.`);
            jacI[elIdx]!.push(T.zeros_like(inputs[elIdx]!));
          }
        });
      }
      jacobian.push(jacI.map((el, elIdx) => T.stack(el, 0).view([...out.shape, ...inputs[elIdx]!.shape])));
    });
    return tuplePostprocess(gradPostprocess(jacobian, createGraph), [isOutputsTuple, isInputsTuple]);
  });
}

/**
 * Python's torch.autograd.functional.jacobian(func, inputs,
 * create_graph=False, strict=False, vectorize=False,
 * strategy="reverse-mode"): the Jacobian of func at inputs, of shape
 * output.shape + input.shape for each (output, input) pair, nested as
 * [outputs][inputs] where either is an array. One backward per output
 * element, as Python's reverse-mode loop.
 */
export function jacobian(...args: PyArgs<[func: Func, inputs: Inputs], [create_graph: boolean, strict: boolean, vectorize: boolean, strategy: 'reverse-mode' | 'forward-mode'], JacobianOptions & { func: Func; inputs: Inputs }>): any;
export function jacobian(...args: unknown[]): any {
  const { func, inputs, create_graph, strict, vectorize, strategy } = jacobianArgs(args);
  checkFunc('jacobian', func);
  checkStrategy('jacobian', 'strategy', strategy, vectorize);
  return jacobianImpl(func, inputs, create_graph, strict);
}

interface HessianOptions {
  create_graph?: boolean;
  strict?: boolean;
  vectorize?: boolean;
  outer_jacobian_strategy?: 'reverse-mode' | 'forward-mode';
}
const hessianArgs = def_<{ func: Func; inputs: Inputs; create_graph: boolean; strict: boolean; vectorize: boolean; outer_jacobian_strategy: string }>(
  'hessian(Any func, Any inputs, bool create_graph=False, bool strict=False, bool vectorize=False, str outer_jacobian_strategy="reverse-mode")',
);

/**
 * Python's torch.autograd.functional.hessian(func, inputs,
 * create_graph=False, strict=False, vectorize=False,
 * outer_jacobian_strategy="reverse-mode"): the Hessian of a function with a
 * single-element output, of shape input_i.shape + input_j.shape for each
 * pair, nested [inputs][inputs] where inputs is an array: the Jacobian of
 * the Jacobian.
 */
export function hessian(...args: PyArgs<[func: (...inputs: Tensor[]) => Tensor, inputs: Inputs], [create_graph: boolean, strict: boolean, vectorize: boolean, outer_jacobian_strategy: 'reverse-mode' | 'forward-mode'], HessianOptions & { func: (...inputs: Tensor[]) => Tensor; inputs: Inputs }>): any;
export function hessian(...args: unknown[]): any {
  const { func, inputs: inputsArg, create_graph, strict, vectorize, outer_jacobian_strategy } = hessianArgs(args);
  checkFunc('hessian', func);
  const [isInputsTuple, inputs] = asTuple(inputsArg, 'inputs', 'hessian');
  checkStrategy('hessian', 'outer_jacobian_strategy', outer_jacobian_strategy, vectorize);
  const ensureSingleOutput = (...inp: Tensor[]): Tensor => {
    const out = callFunc(func, inp);
    const [isOutTuple, tOut] = asTuple(out, 'outputs of the user-provided function', 'hessian');
    checkRequiresGrad(tOut, 'outputs', strict);
    if (isOutTuple || !(out instanceof Tensor)) throw new Error('The function given to hessian should return a single Tensor');
    if (out.numel() !== 1) throw new Error('The Tensor returned by the function given to hessian should contain a single element');
    return out.squeeze();
  };
  const jacFunc = (...inp: Tensor[]): Tensor[] => {
    const jac = jacobianImpl(ensureSingleOutput, inp, true, false) as Tensor | Tensor[];
    // jacobian(..., inp) with inp spread back into a tuple: always an array here.
    const list = jac instanceof Tensor ? [jac] : jac;
    checkRequiresGrad(list, 'jacobian', strict);
    return list;
  };
  const res = jacobianImpl(jacFunc, inputs, create_graph, strict);
  return tuplePostprocess(res, [isInputsTuple, isInputsTuple]);
}

function secondOrderProduct(fnName: 'vhp' | 'hvp', a: ProductArgs): [any, any] {
  const { func, inputs: inputsArg, v: vArg, create_graph, strict } = a;
  checkFunc(fnName, func);
  let isInputsTuple: boolean, inputs: Tensor[], isOutputsTuple: boolean, outputs: Tensor[];
  let v: Tensor[] | null = null;
  let jac: (Tensor | null)[];
  let gradJac: Tensor[] = [];
  let doubleBack: (Tensor | null)[] = [];
  enable_grad(() => {
    [isInputsTuple, inputs] = asTuple(inputsArg, 'inputs', fnName);
    inputs = gradPreprocess(inputs, create_graph, true);
    if (vArg != null) {
      v = gradPreprocess(asTuple(vArg, 'v', fnName)[1], create_graph, false);
      validateV(v, inputs, isInputsTuple);
    } else if (inputs.length !== 1 || inputs[0]!.numel() !== 1) {
      throw new Error('The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
    }
    const out = callFunc(func, inputs);
    [isOutputsTuple, outputs] = asTuple(out, 'outputs of the user-provided function', fnName);
    checkRequiresGrad(outputs, 'outputs', strict);
    if (isOutputsTuple) throw new Error(`The function given to ${fnName} should return a single Tensor`);
    if (outputs[0]!.numel() !== 1) throw new Error(`The Tensor returned by the function given to ${fnName} should contain a single element`);
    jac = gradOf(outputs, inputs, null, true);
    checkRequiresGrad(jac, 'jacobian', strict);
    if (fnName === 'hvp') {
      gradJac = inputs.map((inp) => T.zeros_like(inp, { requires_grad: true }));
      doubleBack = gradOf(jac, inputs, gradJac, true);
      checkRequiresGrad(jac, 'hessian', strict);
    }
  });
  const res = withGradMode(create_graph ? true : is_grad_enabled(), () =>
    fnName === 'vhp'
      ? fillInZeros(gradOf(jac!, inputs!, v, create_graph), inputs!, strict, create_graph, 'double_back')
      : fillInZeros(gradOf(doubleBack, gradJac, v, create_graph), inputs!, strict, create_graph, 'double_back_trick'),
  );
  return [tuplePostprocess(gradPostprocess(outputs!, create_graph), isOutputsTuple!), tuplePostprocess(gradPostprocess(res, create_graph), isInputsTuple!)];
}

/**
 * Python's torch.autograd.functional.vhp(func, inputs, v=None,
 * create_graph=False, strict=False): [func(inputs), vᵀ·H], H the Hessian of
 * a function with a single-element output; v has the inputs' shapes.
 */
export function vhp(...args: ProductCall): [any, any];
export function vhp(...args: unknown[]): [any, any] {
  return secondOrderProduct('vhp', vhpArgs(args));
}

/**
 * Python's torch.autograd.functional.hvp(func, inputs, v=None,
 * create_graph=False, strict=False): [func(inputs), H·v], by the
 * double-backward trick as Python computes it.
 */
export function hvp(...args: ProductCall): [any, any];
export function hvp(...args: unknown[]): [any, any] {
  return secondOrderProduct('hvp', hvpArgs(args));
}
