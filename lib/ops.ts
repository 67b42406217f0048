// `torch.ops.aten.add.Tensor(...)` reaches any ATen operator, as in Python,
// with a trailing plain object for keywords (the typed API's positional
// callers are in aten.ts).
import type { OpFunction } from './aten';
import { PythonArgParser } from './_arg_parser';
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
  const guard = opGuards[`${qualified}.${overload}`] ?? opGuards[qualified];
  const accessor = sparseAccessors.has(qualified);
  const written = writtenArguments(schema);
  const invoke = written.length === 0 ? (args: unknown[]) => native.opCall(handle, ...args) : (args: unknown[]) => callRestoring(handle, args, written);
  const call = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (!isPlainObject(last)) {
      guard?.(args, shown);
      const result = invoke(args);
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
    const result = invoke(positional);
    return accessor ? sparseAccessorResult(result) : result;
  };
  return Object.assign(call, { schema }) as OpOverload;
}

/** The positions of the Tensor arguments an overload writes into (`Tensor(a!)` in its schema). */
function writtenArguments(schema: OpSchema): number[] {
  const names = schema.arguments.map((a) => a.name);
  const written = [...schema.schema.matchAll(/Tensor\([a-z]+!\)\??\s+(\w+)/g)].map((m) => names.indexOf(m[1]));
  return written.filter((i) => i >= 0);
}

let asStrided: number | undefined;

/**
 * Calls an operator that writes into some of its arguments, and puts back
 * their sizes and strides if it throws. libtorch's resize_ (and every out=
 * kernel resizing its output) sets the new sizes before it allocates, so a
 * failed allocation left `resize_(x, [2 ** 40])` with a shape its storage
 * does not have, and the next read of x went out of bounds.
 */
export function callRestoring(handle: number, args: unknown[], written: number[]): unknown {
  const before: [object, number[], number[]][] = [];
  for (const i of written) {
    const t = args[i];
    if (native.isTensor(t) && !native.isDisposed(t as object)) before.push([t as object, native.shape(t as object), native.strides(t as object)]);
  }
  try {
    return native.opCall(handle, ...args);
  } catch (err) {
    for (const [t, shape, strides] of before) {
      if (native.isDisposed(t) || (native.shape(t).join() === shape.join() && native.strides(t).join() === strides.join())) continue;
      asStrided ??= native.opFind('aten::as_strided_', '');
      native.opCall(asStrided, t, shape, strides);
    }
    throw err;
  }
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
  // Calling the packet itself picks the overload from the arguments, as the
  // JIT's overload resolution does for Python's OpOverloadPacket: the first
  // schema (the default one first) whose parameters the arguments fit.
  let resolver: { parser: PythonArgParser; overloads: string[] } | undefined;
  const callPacket = (...args: unknown[]) => {
    resolver ??= packetResolver(namespace, name);
    const { index, values } = resolver.parser.parse(args);
    return get(resolver.overloads[index])(...values);
  };
  return new Proxy(callPacket, {
    get: (_target, key) => (typeof key === 'string' ? get(key) : undefined),
  });
}

/** A schema's argument list as a parser signature: `Tensor(a!) self` is `Tensor self`, `int[1]?` stays. */
function schemaSignature(name: string, schema: OpSchema): string {
  const open = schema.schema.indexOf('(');
  const close = schema.schema.lastIndexOf(') ->');
  // Layouts, memory formats and dtypes pass through as given (objects or the codes torch.ops has always taken): native converts them.
  const inner = schema.schema
    .slice(open + 1, close)
    .replace(/\([a-z]+!?\)/g, '')
    .replace(/\b(Layout|MemoryFormat|ScalarType)\?? /g, 'Any ');
  return `${name}(${inner})`;
}

function packetResolver(namespace: string, name: string): { parser: PythonArgParser; overloads: string[] } {
  const prefix = `${namespace}::${name}`;
  const overloads = native
    .opNames()
    .filter((n) => n === prefix || n.startsWith(`${prefix}.`))
    .map((n) => (n === prefix ? 'default' : n.slice(prefix.length + 1)))
    // The default first, then functional overloads before out= ones, each group by name (opNames has no order).
    .sort((a, b) => Number(a !== 'default') - Number(b !== 'default') || Number(/out$/.test(a)) - Number(/out$/.test(b)) || (a < b ? -1 : a > b ? 1 : 0));
  if (overloads.length === 0) throw new TypeError(`torch.ops.${namespace}.${name}: no such operator`);
  const signatures = overloads.map((o) => schemaSignature(name, native.opSchema(native.opFind(prefix, o === 'default' ? '' : o))));
  // A number given for a Tensor becomes a wrapped number, as it always has through torch.ops (and in the typed overloads' call).
  return { parser: new PythonArgParser(signatures, { numbersAsTensors: true }), overloads };
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
