// The generated op layer at run time: a Python name's overloads (from
// lib/_ops_table.ts, the loaded libtorch's table) bound by the one argument binder and called
// through the ATen operator each names, as PyTorch's generated bindings do
// (python_variable_methods.cpp, python_torch_functions.cpp).
//
// Nothing is read at startup but the table's strings: a name's parser, and
// for each of its overloads the operator handle and the map from Python's
// parameters to the schema's arguments, are made on that name's first call.
import { PythonArgParser, splitKeywords } from './_arg_parser';
import { opsTable as table } from './_ops_table';
import { native } from './native';
import { opGuards, sparseAccessorResult, sparseAccessors, type OpGuard } from './op_guards';
import { callRestoring } from './ops';
import { namedTuple } from './return_types';

export type Namespace = 'tensor' | 'torch' | 'nn' | 'linalg' | 'fft' | 'special';

// Python lets a number stand for a Tensor only in these functions
// (should_allow_numbers_as_tensors in python_arg_parser.cpp).
const NUMBERS_AS_TENSORS = new Set([
  'add', 'add_', 'div', 'div_', 'divide', 'divide_', 'mul', 'mul_', 'multiply', 'multiply_',
  'sub', 'sub_', 'subtract', 'subtract_', 'true_divide', 'true_divide_', 'floor_divide', 'floor_divide_',
]);

// Where a schema argument's value comes from, besides a Python parameter's index.
const SELF = -1; // the tensor a method is called on
const ABSENT = -2; // nothing Python passes: the schema's default
const OUT = -3; // out[k] is OUT - k

/** One ATen overload as a Python signature calls it. */
interface Target {
  readonly handle: number;
  readonly op: string;
  /** For each schema argument, the Python parameter it takes (or SELF, ABSENT, OUT - k). */
  readonly from: Int16Array;
  /** Whether the kernel may resize an argument it writes (out=, resize_), whose shape is restored if it throws. */
  readonly restoring: number[] | null;
  readonly guard: OpGuard | undefined;
  /** A sparse tensor's accessor (`_indices`, `values`, ...), whose result is a copy unless torch.ops.sparse_aliases(true). */
  readonly accessor: boolean;
}

/** One of a name's signatures: the overload it calls, and the out= overload Python groups with it. */
class Overload {
  private base?: Target;
  private outplace?: Target;

  constructor(
    private readonly opName: string,
    private readonly params: readonly string[],
    private readonly method: boolean,
    private readonly baseOverload: string,
    private readonly outOverload: string,
    readonly fields: readonly string[],
    readonly outIndex: number,
    readonly requiresGradIndex: number,
  ) {}

  target(withOut: boolean): Target {
    if (withOut) return (this.outplace ??= this.resolve(this.outOverload, true));
    return (this.base ??= this.resolve(this.baseOverload, false));
  }

  private resolve(overload: string, out: boolean): Target {
    const handle = native.opFind(`aten::${this.opName}`, overload);
    const schema = native.opSchema(handle);
    const written = out || /^resize/.test(this.opName) ? writtenArguments(schema.schema, schema.arguments.map((a) => a.name)) : [];
    let outs = 0;
    const from = Int16Array.from(schema.arguments, (a, i) => {
      if (written.includes(i) && out) return OUT - outs++;
      if (a.name === 'self') {
        if (this.method) return SELF;
        const input = this.params.indexOf('input');
        return input >= 0 ? input : this.params.indexOf('self');
      }
      const at = this.params.indexOf(a.name);
      return at >= 0 ? at : ABSENT;
    });
    const op = overload === '' ? `aten::${this.opName}` : `aten::${this.opName}.${overload}`;
    return { handle, op, from, restoring: written.length > 0 ? written : null, guard: opGuards[overload === '' ? `aten::${this.opName}` : `aten::${this.opName}.${overload}`] ?? opGuards[`aten::${this.opName}`], accessor: sparseAccessors.has(`aten::${this.opName}`) };
  }
}

/**
 * native.opCall(handle, ...args) without the spread, which costs about 180 ns
 * of a 2.8 us call (a 4-element add); most schemas have at most six arguments.
 */
function opCallArray(handle: number, a: unknown[]): unknown {
  const call = native.opCall;
  switch (a.length) {
    case 0: return call(handle);
    case 1: return call(handle, a[0]);
    case 2: return call(handle, a[0], a[1]);
    case 3: return call(handle, a[0], a[1], a[2]);
    case 4: return call(handle, a[0], a[1], a[2], a[3]);
    case 5: return call(handle, a[0], a[1], a[2], a[3], a[4]);
    case 6: return call(handle, a[0], a[1], a[2], a[3], a[4], a[5]);
    default: return call(handle, ...a);
  }
}

/** The positions of the Tensor arguments a schema writes into (`Tensor(a!)`). */
function writtenArguments(schema: string, names: readonly string[]): number[] {
  return [...schema.matchAll(/Tensor\([a-z]+!\)\??\s+(\w+)/g)].map((m) => names.indexOf(m[1])).filter((i) => i >= 0);
}

/** A name's parser and overloads, made on its first call. */
export class Binding {
  readonly parser: PythonArgParser;
  readonly overloads: readonly Overload[];
  private readonly deprecated: ReadonlySet<number>;
  /**
   * For each overload without a `generator` parameter, the overload that has
   * the same parameters and a generator, and where each of its values comes
   * from (-1: the generator); null where there is none. See useThreadGenerator.
   */
  private readonly generatorTwins: ({ index: number; from: Int16Array } | null)[];

  constructor(
    readonly name: string,
    entry: string,
    readonly method: boolean,
  ) {
    // `linalg_det@...`: the yaml name, where the Python name drops its namespace's prefix.
    const at = entry.indexOf('@');
    const opName = at >= 0 && !entry.slice(0, at).includes('(') ? entry.slice(0, at) : name;
    const lines = (opName === name ? entry : entry.slice(at + 1)).split('\n').map((l) => l.split('|'));
    // A fifth field marks Python's deprecated signatures: bound last, never listed in an error, warned about.
    const deprecated = new Set(lines.flatMap((l, i) => (l[4] === 'deprecated' ? [i] : [])));
    this.parser = new PythonArgParser(
      lines.map((l) => l[0]),
      { numbersAsTensors: NUMBERS_AS_TENSORS.has(name), checkDisposed: false, hidden: deprecated },
    );
    this.deprecated = deprecated;
    this.overloads = lines.map(([, base, out, fields], i) => {
      const params = this.parser.signatures[i].params.map((p) => p.name);
      return new Overload(opName, params, method, base, out, fields === '' ? [] : fields.split(','), params.indexOf('out'), params.indexOf('requires_grad'));
    });
    const paramsOf = this.parser.signatures.map((sig) => sig.params.map((p) => p.name));
    this.generatorTwins = paramsOf.map((params) => {
      if (params.includes('generator')) return null;
      const index = paramsOf.findIndex((other) => other.length === params.length + 1 && other.includes('generator') && params.every((p) => other.includes(p)));
      return index < 0 ? null : { index, from: Int16Array.from(paramsOf[index], (p) => (p === 'generator' ? -1 : params.indexOf(p))) };
    });
  }

  /** Binds the arguments as Python does, calls the overload they chose, and wraps its result as Python does. */
  call(self: unknown, args: readonly unknown[]): any {
    const [positional, keywords] = splitKeywords(args);
    let { index, values } = this.parser.parseSplit(positional, keywords);
    if (this.deprecated.size > 0 && this.deprecated.has(index)) this.warnDeprecated(index);
    if (threadGenerator !== null) {
      // A thread with a default generator of its own draws from it: the twin overload that takes one, given it.
      const twin = this.generatorTwins[index];
      if (twin !== null) {
        const given = values;
        values = Array.from(twin.from, (k) => (k < 0 ? threadGenerator : given[k]));
        index = twin.index;
      }
    }
    const overload = this.overloads[index];
    const out = overload.outIndex >= 0 ? values[overload.outIndex] : undefined;
    const target = overload.target(out !== undefined && out !== null);
    const from = target.from;
    const schemaArgs = new Array(from.length);
    for (let i = 0; i < from.length; i++) {
      const k = from[i];
      schemaArgs[i] = k >= 0 ? values[k] : k === SELF ? self : k === ABSENT ? undefined : Array.isArray(out) ? out[OUT - k] : out;
    }
    target.guard?.(schemaArgs, target.op);
    let result: any;
    try {
      result = target.restoring === null ? opCallArray(target.handle, schemaArgs) : callRestoring(target.handle, schemaArgs, target.restoring);
    } catch (err) {
      // The native layer refuses a disposed tensor naming the ATen argument; Python's name is clearer.
      const disposed = this.parser.signatures[index].disposedArgument(values, positional.length);
      if (disposed !== null) throw new TypeError(disposed);
      throw err;
    }
    if (target.accessor) result = sparseAccessorResult(result);
    if (overload.requiresGradIndex >= 0 && values[overload.requiresGradIndex] === true) native.setRequiresGrad(result, true);
    if (overload.fields.length > 0) result = namedTuple(this.name, overload.fields, result);
    return result;
  }

  private warnDeprecated(index: number): void {
    warnDeprecatedSignature(this.parser, index);
  }
}

/**
 * The default generator of this thread, where it has one of its own (a
 * DataLoader worker's: generator.cc), else null. libtorch's random operators
 * without a generator argument (`rand(size)`) draw from the process's
 * generator; a call of one here goes to its twin that takes a generator.
 */
let threadGenerator: unknown = null;

/** For a DataLoader worker thread, once its native default generator is its own: `generator` is its handle. */
export function useThreadGenerator(generator: unknown): void {
  threadGenerator = generator;
}

/** Python's warning for a deprecated signature, once per signature (Python's filter shows it once per place). */
const warnedDeprecated = new Set<string>();

function warnDeprecatedSignature(parser: PythonArgParser, index: number): void {
  const used = parser.signatures[index].toString();
  const key = `${parser.name}${used}`;
  if (warnedDeprecated.has(key)) return;
  warnedDeprecated.add(key);
  const instead = parser.signatures.filter((_, i) => !parser.hidden.has(i)).map((s) => `\t${parser.name}${s.toString()}`).join('\n');
  process.emitWarning(`This overload of ${parser.name} is deprecated:\n\t${parser.name}${used}\nConsider using one of the following signatures instead:\n${instead}`, 'UserWarning');
}

const bindings: Record<Namespace, Map<string, Binding>> = {
  tensor: new Map(),
  torch: new Map(),
  nn: new Map(),
  linalg: new Map(),
  fft: new Map(),
  special: new Map(),
};

/** The names a namespace has in the generated table. */
export function generatedNames(ns: Namespace): string[] {
  return Object.keys(table[ns]);
}

/** The binding of a generated name, made on first use. */
export function binding(ns: Namespace, name: string): Binding {
  let b = bindings[ns].get(name);
  if (b === undefined) {
    const entry = table[ns][name];
    if (entry === undefined) throw new TypeError(`torch${ns === 'torch' ? '' : ns === 'tensor' ? '.Tensor' : `.${ns}`} has no generated '${name}'`);
    b = new Binding(name, entry, ns === 'tensor');
    bindings[ns].set(name, b);
  }
  return b;
}

/** A Tensor method for a generated name: `x.sort(0)`. */
export function tensorMethod(name: string): (this: unknown, ...args: unknown[]) => any {
  let b: Binding | undefined;
  return {
    [name](this: unknown, ...args: unknown[]) {
      return (b ??= binding('tensor', name)).call(this, args);
    },
  }[name];
}

/** A function of torch.* (or torch.linalg, ...) for a generated name: `torch.sort(x, 0)`. */
export function namespaceFunction(ns: Namespace, name: string): (...args: unknown[]) => any {
  let b: Binding | undefined;
  return {
    [name](...args: unknown[]) {
      return (b ??= binding(ns, name)).call(undefined, args);
    },
  }[name];
}

/** Every generated function of a namespace, as an object (torch.linalg, torch._C._nn). */
export function namespaceObject(ns: Namespace): Record<string, (...args: unknown[]) => any> {
  const o: Record<string, (...args: unknown[]) => any> = {};
  for (const name of generatedNames(ns)) o[name] = namespaceFunction(ns, name);
  return o;
}
