// `torch.ops.aten.add.Tensor(...)` reaches any ATen operator, as in Python,
// with a trailing plain object for keywords (the typed API's positional
// callers are in aten.ts).
import type { OpFunction } from './aten';
import { native, type OpSchema } from './native';
import { opGuards, sparse_aliases, sparseAccessorResult, sparseAccessors } from './op_guards';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An operator overload: callable, with its schema, as Python's OpOverload. */
export interface OpOverload extends OpFunction {
  readonly schema: OpSchema;
}

function overloadCaller(namespace: string, name: string, overload: string): OpOverload {
  const qualified = `${namespace}::${name}`;
  const handle = native.opFind(qualified, overload === 'default' ? '' : overload);
  const schema = native.opSchema(handle);
  const shown = overload === 'default' ? qualified : `${qualified}.${overload}`;
  const names = schema.arguments.map((a) => a.name);
  const guard = opGuards[qualified];
  const accessor = sparseAccessors.has(qualified);
  const call = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (!isPlainObject(last)) {
      guard?.(args, shown);
      const result = native.opCall(handle, ...args);
      return accessor ? sparseAccessorResult(result) : result;
    }
    const positional = args.slice(0, -1);
    for (const [key, value] of Object.entries(last)) {
      const at = names.indexOf(key);
      if (at < 0) throw new TypeError(`${shown}() got an unexpected keyword argument '${key}'`);
      if (at < positional.length && positional[at] !== undefined) {
        throw new TypeError(`${shown}() got multiple values for argument '${key}'`);
      }
      while (positional.length < at) positional.push(undefined);
      positional[at] = value;
    }
    guard?.(positional, shown);
    const result = native.opCall(handle, ...positional);
    return accessor ? sparseAccessorResult(result) : result;
  };
  return Object.assign(call, { schema }) as OpOverload;
}

function packet(namespace: string, name: string): any {
  const overloads = new Map<string, OpOverload>();
  const get = (overload: string) => {
    let f = overloads.get(overload);
    if (!f) {
      f = overloadCaller(namespace, name, overload);
      overloads.set(overload, f);
    }
    return f;
  };
  // Calling the packet itself picks the default overload, as Python's
  // OpOverloadPacket does when one exists.
  return new Proxy((...args: unknown[]) => get('default')(...args), {
    get: (_target, key) => (typeof key === 'string' ? get(key) : undefined),
  });
}

function namespaceProxy(namespace: string): any {
  const packets = new Map<string, any>();
  return new Proxy(
    {},
    {
      get: (_target, key) => {
        if (typeof key !== 'string') return undefined;
        let p = packets.get(key);
        if (!p) {
          p = packet(namespace, key);
          packets.set(key, p);
        }
        return p;
      },
    },
  );
}

/**
 * `torch.ops.aten.<name>.<overload>(...)`: every ATen operator.
 * `torch.ops.sparse_aliases(enabled?)`: whether a sparse tensor's accessors
 * (`_indices`, `_values`, `crow_indices`, ...) return aliases, as in Python,
 * or copies (the default), since a write through an alias can make the
 * tensor read out of bounds (lib/op_guards.ts).
 */
export const ops: { aten: any; prim: any; sparse_aliases: typeof sparse_aliases } = {
  aten: namespaceProxy('aten'),
  prim: namespaceProxy('prim'),
  sparse_aliases,
};
