// The pickles CIFAR ships (cifar-10-batches-py, cifar-100-python): dicts of
// strings, lists of ints and numpy uint8 arrays, written by Python 2's
// cPickle (protocol 2, Python 2 str as BINSTRING) and read by torchvision
// with pickle.load(f, encoding='latin1'). Files re-saved by Python 3
// (protocols 2-5: bytes as _codecs.encode or BINBYTES) read the same way.
//
// Like lib/serialization's reader, this executes nothing: the only globals
// it resolves are numpy's array and dtype reconstructors and
// _codecs.encode; any other class is refused by name. (That reader holds
// torch.save's subset; CIFAR needs Python 2's string opcodes and numpy's
// BUILD, which it has no reason to accept.)

export class NumpyPickleError extends Error {}

/** A numpy array as the pickle held it: dtype ('u1', '<i8', ...), shape, and its bytes in C order. */
export class NdArray {
  constructor(
    readonly dtype: string,
    readonly shape: number[],
    readonly data: Uint8Array,
  ) {}
}

class NpDtype {
  constructor(readonly descr: string) {}
}

class Reconstructing {
  array: NdArray | null = null;
}

/**
 * Bytes as the string of their code points (ISO-8859-1, Python's latin1). Not TextDecoder('latin1'):
 * the WHATWG label 'latin1' means windows-1252, which maps 0x80-0x9f elsewhere (0x99 to U+2122), and
 * Node 22's full-ICU decoder follows it where Node 20's did not.
 */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Python 2 str under encoding='latin1' is a str whose code points are its bytes; numpy turns it back into the bytes. */
function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new NumpyPickleError(`array data is a string with the character U+${c.toString(16)}, which latin1 cannot encode`);
    out[i] = c;
  }
  return out;
}

const ITEMSIZE: Record<string, number> = { u1: 1, i1: 1, b1: 1, u2: 2, i2: 2, u4: 4, i4: 4, f4: 4, u8: 8, i8: 8, f8: 8 };

/** Reads one pickle; the result's arrays are NdArray, strings JS strings, dicts plain objects. */
export function loadNumpyPickle(bytes: Uint8Array, file = 'pickle'): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  const fail = (msg: string): never => {
    throw new NumpyPickleError(`${file}: ${msg}`);
  };
  const need = (n: number) => {
    if (pos + n > bytes.length) fail(`truncated pickle: needed ${n} bytes at byte ${pos} of ${bytes.length}`);
  };
  const take = (n: number) => (need(n), bytes.subarray((pos += n) - n, pos));
  const u8 = () => take(1)[0];
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    const n = view.getBigUint64(pos, true);
    pos += 8;
    if (n > BigInt(bytes.length - pos)) fail(`truncated pickle: ${n} bytes announced at byte ${pos - 8}, ${bytes.length - pos} left`);
    return Number(n);
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated pickle: unterminated line');
    const s = latin1(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = () => {
    if (stack.length === 0 || (marks.length > 0 && stack.length === marks[marks.length - 1])) fail(`malformed pickle: stack underflow at byte ${pos}`);
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) fail(`malformed pickle: empty stack at byte ${pos}`);
    return stack[stack.length - 1];
  };
  const popMark = () => {
    const m = marks.pop();
    if (m === undefined) fail(`malformed pickle: no MARK at byte ${pos}`);
    return stack.splice(m!);
  };
  const setItems = (d: unknown, items: unknown[]) => {
    if (d === null || typeof d !== 'object' || Array.isArray(d) || d instanceof NdArray) fail('malformed pickle: SETITEM on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) {
      Object.defineProperty(d, String(items[i]), { value: items[i + 1], writable: true, enumerable: true, configurable: true });
    }
  };
  const append = (l: unknown, items: unknown[]) => {
    if (!Array.isArray(l)) fail('malformed pickle: APPEND to something that is not a list');
    for (const it of items) (l as unknown[]).push(it);
  };
  const tuples = new WeakSet<object>();
  const tuple = (items: unknown[]) => (tuples.add(items), items);

  const GLOBALS: Record<string, unknown> = {
    'numpy.core.multiarray._reconstruct': () => new Reconstructing(),
    'numpy._core.multiarray._reconstruct': () => new Reconstructing(),
    'numpy.ndarray': 'numpy.ndarray',
    'numpy.dtype': (descr: unknown) => {
      if (typeof descr !== 'string') fail(`numpy.dtype of ${typeof descr}`);
      return new NpDtype(descr as string);
    },
    '_codecs.encode': (s: unknown, encoding: unknown) => {
      if (typeof s !== 'string' || encoding !== 'latin1') fail(`_codecs.encode with encoding ${String(encoding)}; only latin1 is read`);
      return latin1Bytes(s as string);
    },
  };
  const resolve = (name: string) => {
    if (!(name in GLOBALS)) fail(`the pickle names ${name}, which this reader refuses (it reads numpy arrays, dicts, lists, strings and numbers only)`);
    return GLOBALS[name];
  };
  const build = (obj: unknown, state: unknown) => {
    if (obj instanceof NpDtype) return; // (version, byteorder, ...): the descr already says all a CIFAR array needs
    if (!(obj instanceof Reconstructing)) fail('malformed pickle: BUILD on something that is not a numpy array or dtype');
    const st = state as unknown[];
    if (!Array.isArray(st) || st.length !== 5) fail('malformed pickle: a numpy array state is (version, shape, dtype, fortran, data)');
    const [, shape, dtype, fortran, raw] = st;
    if (!(dtype instanceof NpDtype)) fail('malformed pickle: a numpy array without its dtype');
    const descr = (dtype as NpDtype).descr.replace(/^[<|=]/, '');
    if (!(descr in ITEMSIZE) || (dtype as NpDtype).descr.startsWith('>')) fail(`numpy arrays of dtype ${(dtype as NpDtype).descr} are not read here; CIFAR's are u1`);
    if (fortran) fail('numpy arrays in Fortran order are not read here');
    const dims = (shape as unknown[]).map(Number);
    const data = typeof raw === 'string' ? latin1Bytes(raw) : raw;
    if (!(data instanceof Uint8Array)) fail('malformed pickle: a numpy array whose data is not bytes');
    const count = dims.reduce((a, b) => a * b, 1);
    if ((data as Uint8Array).length !== count * ITEMSIZE[descr]) fail(`a numpy array of shape (${dims.join(', ')}) holds ${(data as Uint8Array).length} bytes, expected ${count * ITEMSIZE[descr]}`);
    (obj as Reconstructing).array = new NdArray(descr, dims, data as Uint8Array);
  };
  const finish = (v: unknown): unknown => {
    if (v instanceof Reconstructing) {
      if (!v.array) fail('malformed pickle: a numpy array that was never given its state');
      return v.array;
    }
    if (Array.isArray(v)) return v.map(finish);
    if (v && typeof v === 'object' && v.constructor === Object) {
      for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = finish((v as Record<string, unknown>)[k]);
    }
    return v;
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: pos += 8; break; // FRAME
      case 0x2e: { // STOP
        const v = pop();
        return finish(v);
      }
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x7d: stack.push({}); break; // EMPTY_DICT
      case 0x64: { const d = {}; setItems(d, popMark()); stack.push(d); break; } // DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x29: stack.push(tuple([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(tuple(popMark())); break; // TUPLE
      case 0x85: stack.push(tuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push(tuple([pop(), b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push(tuple([pop(), b, c])); break; } // TUPLE3
      case 0x61: { const v = pop(); append(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items); break; } // APPENDS
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x55: stack.push(latin1(take(u8()))); break; // SHORT_BINSTRING (Python 2 str, read as latin1)
      case 0x54: { const n = i32(); if (n < 0) fail(`malformed pickle: BINSTRING of negative length at byte ${at}`); stack.push(latin1(take(n))); break; } // BINSTRING
      case 0x8c: stack.push(utf8.decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x58: stack.push(utf8.decode(take(u32()))); break; // BINUNICODE
      case 0x8d: stack.push(utf8.decode(take(u64()))); break; // BINUNICODE8
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x49: { // INT: Python 2 writes booleans as I00 / I01
        const s = line();
        stack.push(s === '00' ? false : s === '01' ? true : Number.parseInt(s, 10));
        break;
      }
      case 0x8a: { // LONG1
        const n = u8();
        const b = take(n);
        let v = 0;
        for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i];
        if (n > 0 && b[n - 1] & 0x80) v -= 2 ** (8 * n);
        stack.push(v);
        break;
      }
      case 0x47: need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; // BINFLOAT
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4e: stack.push(null); break; // NONE
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`malformed pickle: memo ${k} read before it was written`);
        stack.push(memo.get(k));
        break;
      }
      case 0x63: { const module = line(); const name = line(); stack.push(resolve(`${module}.${name}`)); break; } // GLOBAL
      case 0x93: { const name = pop(); const module = pop(); stack.push(resolve(`${String(module)}.${String(name)}`)); break; } // STACK_GLOBAL
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        if (typeof fn !== 'function') fail(`malformed pickle: REDUCE of something not callable at byte ${at}`);
        if (!Array.isArray(args) || !tuples.has(args)) fail(`malformed pickle: REDUCE without an argument tuple at byte ${at}`);
        stack.push((fn as (...a: unknown[]) => unknown)(...(args as unknown[])));
        break;
      }
      case 0x62: { const state = pop(); build(top(), state); break; } // BUILD
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}`);
    }
  }
}
