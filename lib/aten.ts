// Positional callers for ATen operators by schema name: `aten('add', 'Tensor')`
// is the handle every typed method (and every op guard) calls through.
import { native } from './native';

export type OpFunction = (...args: any[]) => any;

/** Every operator an `aten()` caller names, so that a test can resolve them all up front. */
export const atenCallers: { name: string; overload: string }[] = [];

/** A positional caller for `aten::name.overload`, resolved on first use and cached. */
export function aten(name: string, overload = ''): OpFunction {
  atenCallers.push({ name, overload });
  let handle = -1;
  return (...args: unknown[]) => {
    if (handle < 0) handle = native.opFind(`aten::${name}`, overload);
    return native.opCall(handle, ...args);
  };
}
