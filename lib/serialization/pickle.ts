// The subset of Python's pickle that torch.save files use, read and written
// by hand so that loading executes nothing: only the globals in ALLOWED are
// resolved (containers, torch.Size, storages and PyTorch's tensor rebuild
// functions); any other class named by a file is refused by name.
//
// What a pickle may mutate follows Python's torch/_weights_only_unpickler.py:
// SETITEM(S) only on the dicts it made itself (EMPTY_DICT, DICT,
// OrderedDict()), APPEND(S) only on its lists, BUILD only on an OrderedDict
// (or on what the caller's `build` accepts). Everything else a pickle makes
// (storage types, tensors, tuples) is out of its reach once made, so a file
// cannot rewrite, say, the dtype of a storage after it was checked.

/** A global the unpickler resolved: a callable (REDUCE applies it) or a marker value. */
export type Resolver = (name: string) => unknown;

export class PickleError extends Error {}

/**
 * How deeply containers may nest in a loaded value. Python's own limit on
 * recursion is 1000; anything that walks the value (torch.save, printing)
 * would otherwise fail with an engine error.
 */
export const MAX_NESTING = 1000;
// No function the resolvers hand out takes more than a handful of arguments.
const MAX_CALL_ARGUMENTS = 64;

const decoder = new TextDecoder('utf-8', { fatal: true });

export interface UnpickleOptions {
  /** BUILD on an object the caller's resolver made (TorchScript's classes); returns whether it accepted it. */
  build?: (obj: unknown, state: unknown) => boolean;
  /** Callables that REDUCE may apply to one bare value instead of an argument tuple (TorchScript writes an enum as `Color` REDUCE `1`). */
  takesBareArgument?: (fn: unknown) => boolean;
}

/** Reads pickle bytes; `global` resolves allowed "module.name" globals, `persistent` loads BINPERSID ids. */
export function unpickle(bytes: Uint8Array, global: Resolver, persistent: (pid: unknown) => unknown, { build, takesBareArgument }: UnpickleOptions = {}): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  // The containers this pickle made, by kind: only these may be changed by it.
  const lists = new Set<unknown>();
  const dicts = new Set<unknown>();
  const orderedDicts = new Set<unknown>();
  const tuples = new Set<unknown>();

  const need = (n: number) => {
    if (pos + n > bytes.length) throw new PickleError(`truncated pickle: needed ${n} bytes at byte ${pos} of ${bytes.length}`);
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  // An 8-byte length, unsigned as Python reads it, and no longer than what is left.
  const length64 = (what: string) => {
    need(8);
    const n = view.getBigUint64(pos, true);
    pos += 8;
    if (n > BigInt(bytes.length - pos)) throw new PickleError(`truncated pickle: ${what} of ${n} bytes at byte ${pos - 9}, but only ${bytes.length - pos} bytes are left`);
    return Number(n);
  };
  const take = (n: number) => (need(n), bytes.subarray((pos += n) - n, pos));
  const text = (n: number) => {
    const start = pos;
    const raw = take(n);
    try {
      return decoder.decode(raw);
    } catch {
      throw new PickleError(`invalid UTF-8 string at byte ${start}`);
    }
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new PickleError('truncated pickle: unterminated GLOBAL');
    const s = text(end - pos);
    pos++;
    return s;
  };
  const pop = () => {
    if (stack.length === 0 || (marks.length > 0 && stack.length === marks[marks.length - 1])) throw new PickleError(`malformed pickle: stack underflow at byte ${pos}`);
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) throw new PickleError(`malformed pickle: no MARK at byte ${pos}`);
    return stack.splice(m);
  };
  const top = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length === marks[marks.length - 1])) throw new PickleError(`malformed pickle: empty stack at byte ${pos}`);
    return stack[stack.length - 1];
  };
  const kindOf = (v: unknown): string => {
    if (v === null) return 'None';
    if (lists.has(v)) return 'a list';
    if (tuples.has(v)) return 'a tuple';
    if (dicts.has(v)) return 'a dict';
    if (typeof v === 'function') return 'a class or function';
    if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
    return `a ${typeof v}`;
  };
  const newList = (items: unknown[] = []) => (lists.add(items), items);
  const newTuple = (items: unknown[]) => (tuples.add(items), items);
  const newDict = (): Record<string, unknown> => {
    const d = {};
    dicts.add(d);
    return d;
  };
  const setItems = (dict: unknown, items: unknown[], at: number) => {
    if (!dicts.has(dict)) throw new PickleError(`malformed pickle: SETITEM on ${kindOf(dict)} at byte ${at}; only dicts take items`);
    if (items.length % 2 !== 0) throw new PickleError(`malformed pickle: SETITEMS with an odd number of keys and values at byte ${at}`);
    for (let i = 0; i < items.length; i += 2) {
      // defineProperty, not assignment: a key such as '__proto__' is data, never the object's prototype.
      Object.defineProperty(dict, String(items[i]), { value: items[i + 1], writable: true, enumerable: true, configurable: true });
    }
  };
  const append = (list: unknown, items: unknown[], at: number) => {
    if (!lists.has(list)) throw new PickleError(`malformed pickle: APPEND to ${kindOf(list)} at byte ${at}; only lists can be appended to`);
    // One by one: spreading a long run of items into push() overflows the engine's stack.
    for (const item of items) (list as unknown[]).push(item);
  };
  const long = (n: number): number | bigint => {
    const b = take(n);
    if (n === 0) return 0;
    // Through hex, not byte by byte: shifting a growing BigInt makes a LONG4 of a megabyte take minutes.
    let hex = '';
    for (let i = n - 1; i >= 0; i--) hex += b[i].toString(16).padStart(2, '0');
    let v = BigInt(`0x${hex}`);
    if (b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const resolve = (name: string): unknown => {
    if (name === 'collections.OrderedDict') {
      return () => {
        const d = newDict();
        orderedDicts.add(d);
        return d;
      };
    }
    return global(name);
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: length64('FRAME'); break; // FRAME: a hint for buffered readers; the bytes are all here
      case 0x2e: { // STOP
        if (stack.length !== 1 || marks.length !== 0) throw new PickleError(`malformed pickle: STOP at byte ${at} with ${stack.length} values on the stack and ${marks.length} open MARKs; a pickle ends with one value`);
        checkNesting(stack[0], (v) => lists.has(v) || tuples.has(v) || dicts.has(v));
        return stack[0];
      }
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x7d: stack.push(newDict()); break; // EMPTY_DICT
      case 0x5d: stack.push(newList()); break; // EMPTY_LIST
      case 0x29: stack.push(newTuple([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(newTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(newTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push(newTuple([pop(), b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push(newTuple([pop(), b, c])); break; } // TUPLE3
      case 0x6c: stack.push(newList(popMark())); break; // LIST
      case 0x64: { const d = newDict(); setItems(d, popMark(), at); stack.push(d); break; } // DICT
      case 0x61: { const v = pop(); append(top(), [v], at); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items, at); break; } // APPENDS
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v], at); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items, at); break; } // SETITEMS
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(text(length64('BINUNICODE8'))); break; // BINUNICODE8
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x8e: stack.push(take(length64('BINBYTES8')).slice()); break; // BINBYTES8
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(long(u8())); break; // LONG1
      case 0x8b: stack.push(long(u32())); break; // LONG4
      case 0x47: need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; // BINFLOAT
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4e: stack.push(null); break;
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) throw new PickleError(`malformed pickle: memo ${k} read before it was written`);
        stack.push(memo.get(k));
        break;
      }
      case 0x63: { const module = line(); const name = line(); stack.push(resolve(`${module}.${name}`)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleError(`malformed pickle: STACK_GLOBAL of ${kindOf(module)} and ${kindOf(name)} at byte ${at}; it takes two strings`);
        stack.push(resolve(`${module}.${name}`));
        break;
      }
      case 0x52: case 0x81: { // REDUCE, NEWOBJ
        const what = op === 0x52 ? 'REDUCE' : 'NEWOBJ';
        const args = pop();
        const fn = pop();
        if (typeof fn !== 'function') throw new PickleError(`malformed pickle: ${what} of ${kindOf(fn)}, which is not callable, at byte ${at}`);
        if (op === 0x52 && !tuples.has(args) && takesBareArgument?.(fn)) {
          stack.push(fn(args));
          break;
        }
        if (!tuples.has(args)) throw new PickleError(`malformed pickle: ${what} with arguments that are ${kindOf(args)}, not a tuple, at byte ${at}`);
        const list = args as unknown[];
        if (list.length > MAX_CALL_ARGUMENTS) throw new PickleError(`malformed pickle: ${what} with ${list.length} arguments at byte ${at}; the most any allowed function takes is ${MAX_CALL_ARGUMENTS}`);
        stack.push(fn(...list));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        if (orderedDicts.has(obj)) {
          // Python sets the state as attributes; the only one torch.save writes is state_dict()._metadata, kept aside.
          if (state !== null && !dicts.has(state)) throw new PickleError(`malformed pickle: BUILD of an OrderedDict with ${kindOf(state)} as its state at byte ${at}`);
          if (state && Object.prototype.hasOwnProperty.call(state, '_metadata')) {
            Object.defineProperty(obj, '_metadata', { value: (state as Record<string, unknown>)._metadata, enumerable: false, configurable: true });
          }
        } else if (!build?.(obj, state)) {
          throw new PickleError(`malformed pickle: BUILD on ${kindOf(obj)} at byte ${at}; only an OrderedDict's state can be set`);
        }
        break;
      }
      case 0x51: stack.push(persistent(pop())); break; // BINPERSID
      default:
        throw new PickleError(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}`);
    }
  }
}

/**
 * Refuses a value whose containers nest deeper than MAX_NESTING. Walks
 * without recursion and measures the longest chain (a container reached
 * twice is measured once; a container inside itself ends the chain there).
 */
function checkNesting(root: unknown, isContainer: (v: unknown) => boolean): void {
  const height = new Map<unknown, number>();
  const onPath = new Set<unknown>();
  const children = (v: unknown) => (Array.isArray(v) ? v : Object.values(v as object)).filter(isContainer);
  if (!isContainer(root)) return;
  const work: [unknown, boolean][] = [[root, false]];
  while (work.length) {
    const [v, done] = work.pop()!;
    if (done) {
      onPath.delete(v);
      let h = 0;
      for (const c of children(v)) h = Math.max(h, height.get(c) ?? 0);
      height.set(v, h + 1);
      if (h + 1 > MAX_NESTING) throw new PickleError(`the pickle nests containers more than ${MAX_NESTING} deep (the limit on nesting)`);
      continue;
    }
    if (height.has(v) || onPath.has(v)) continue;
    onPath.add(v);
    work.push([v, true]);
    for (const c of children(v)) if (!height.has(c) && !onPath.has(c)) work.push([c, false]);
  }
}

/** Writes pickle protocol 2, as torch.save does. */
export class Pickler {
  private chunks: Uint8Array[] = [new Uint8Array([0x80, 2])];
  private readonly encoder = new TextEncoder();

  op(...codes: number[]): this {
    this.chunks.push(new Uint8Array(codes));
    return this;
  }

  global(module: string, name: string): this {
    this.op(0x63);
    this.chunks.push(this.encoder.encode(`${module}\n${name}\n`));
    return this;
  }

  string(s: string): this {
    const b = this.encoder.encode(s);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, b.length, true);
    this.op(0x58);
    this.chunks.push(len, b);
    return this;
  }

  int(v: number | bigint): this {
    if (typeof v === 'number' && v >= 0 && v < 256) return this.op(0x4b, v);
    if (typeof v === 'number' && v >= 0 && v < 65536) return this.op(0x4d, v & 0xff, v >> 8);
    if (typeof v === 'number' && v >= -(2 ** 31) && v < 2 ** 31) {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, v, true);
      this.op(0x4a);
      this.chunks.push(b);
      return this;
    }
    let big = BigInt(v);
    const bytes: number[] = [];
    for (let i = 0; i < 9; i++) {
      bytes.push(Number(big & 0xffn));
      big >>= 8n;
    }
    return this.op(0x8a, bytes.length, ...bytes);
  }

  float(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false);
    this.op(0x47);
    this.chunks.push(b);
    return this;
  }

  /** Pushes items (written by the callback) as a tuple. */
  tuple(count: number, write: () => void): this {
    if (count === 0) return this.op(0x29);
    if (count > 3) this.op(0x28);
    write();
    return count <= 3 ? this.op([0x85, 0x86, 0x87][count - 1]) : this.op(0x74);
  }

  bytes(): Uint8Array {
    this.op(0x2e);
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
