// A module's forward names itself in the errors it passes on: libtorch's
// message says what an operator wanted ("Found dtype Long but expected
// Float"), not which layer of a model was called with it.
import { pyFloatRepr } from '../../_pyformat';
import type { Module } from './module';

/**
 * The error err itself (its class, stack and any other fields kept), its
 * message prefixed with the module as it prints (`ELU(alpha=1.0): ...`), so
 * that a failure deep in a model says which layer it came from. Anything not
 * an Error passes through unchanged.
 */
export function moduleError(module: Module, err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const before = err.message;
  const message = `${String(module).split('\n')[0]}: ${before}`;
  err.message = message;
  // The stack's first line repeats the message it was made with.
  if (typeof err.stack === 'string' && err.stack.includes(before)) err.stack = err.stack.replace(before, message);
  return err;
}

/**
 * Python's repr of a number a module keeps as given where Python's default is
 * an int (Softplus's beta=1, threshold=20): a whole number prints as an int,
 * any other as Python prints a float.
 */
export function intOrFloatRepr(v: number): string {
  return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
}
