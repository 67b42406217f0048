// Structure-aware mutation of torch.save files and TorchScript archives, for
// the file fuzzer (file_fuzz.ts). A byte flipped at random mostly breaks a
// CRC or the zip's signatures and never reaches the unpickler, so the
// mutations here work on the structure: the zip's records are parsed, a
// pickle's opcodes are parsed, one or more of them is changed (a length, an
// integer, a class name, an opcode, a record's size or contents, a header
// field), and the archive is written again with sizes and CRCs that agree, so
// the change reaches the parser behind them. Each mutation describes itself
// in one line, and a mutation depends only on the random function it is
// given, so (seed, iteration) replays it.
import * as zlib from 'node:zlib';

export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pickFrom = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

// ---- zip ----

export interface ZipEntry {
  name: string;
  /** The uncompressed contents. */
  data: Buffer;
  /** 0 stored, 8 deflated. */
  method: number;
}

/** The entries of a zip, from its central directory. */
export function readZip(bytes: Buffer): ZipEntry[] {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localOffset = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    const raw = bytes.subarray(dataStart, dataStart + compressedSize);
    entries.push({ name, method, data: method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export interface ZipLayout {
  bytes: Buffer;
  /** Where each entry's local header and central directory header start. */
  local: number[];
  central: number[];
  eocd: number;
}

/**
 * The fields of a record's two zip headers, its local header and its
 * central directory entry: most are in both, at offsets that differ (the
 * central entry starts with a version-made-by the local header lacks), each
 * [offset, width in bytes]. Only the central entry has the local header's offset.
 */
const FIELDS = {
  local: { flags: [6, 2], method: [8, 2], crc: [14, 4], compressedSize: [18, 4], size: [22, 4], nameLength: [26, 2], extraLength: [28, 2] },
  central: { flags: [8, 2], method: [10, 2], crc: [16, 4], compressedSize: [20, 4], size: [24, 4], nameLength: [28, 2], extraLength: [30, 2], localOffset: [42, 4] },
} as const;
/** The end-of-central-directory record's fields the mutations reach. */
const END = { entryCount: [10, 2], directorySize: [12, 4], directoryOffset: [16, 4], commentLength: [20, 2] } as const;
type Header = keyof typeof FIELDS;
type Field = keyof (typeof FIELDS)['central'];

/** Writes `values` into the `kind` header that starts at `at` in `buffer`. */
function setFields(buffer: Buffer, at: number, kind: Header, values: Partial<Record<Field, number>>): void {
  for (const [name, value] of Object.entries(values) as [Field, number][]) {
    const spec = (FIELDS[kind] as Partial<Record<Field, readonly [number, number]>>)[name];
    if (!spec) throw new Error(`a zip ${kind} header has no ${name} field`);
    const [offset, width] = spec;
    if (width === 2) buffer.writeUInt16LE(value, at + offset);
    else buffer.writeUInt32LE(value >>> 0, at + offset);
  }
}

/** Writes entries as PyTorch does (each record's data aligned to 64 bytes), with true sizes and CRCs. */
export function writeZip(entries: ZipEntry[]): ZipLayout {
  const parts: Buffer[] = [];
  const local: number[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const stored = e.method === 8 ? zlib.deflateRawSync(e.data) : e.data;
    const crc = zlib.crc32(e.data);
    // PyTorch's writer pads the local header's extra field so that the data starts at a multiple of 64.
    let extraLength = (64 - ((offset + 30 + name.length + 4) % 64)) % 64;
    extraLength += 4;
    const extra = Buffer.alloc(extraLength);
    extra.writeUInt16LE(0x4246, 0); // 'FB', PyTorch's padding field
    extra.writeUInt16LE(extraLength - 4, 2);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    const shared = { method: e.method, crc, compressedSize: stored.length, size: e.data.length, nameLength: name.length };
    setFields(header, 0, 'local', { ...shared, extraLength });
    local.push(offset);
    parts.push(header, name, extra, stored);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    setFields(central, 0, 'central', { ...shared, localOffset: offset });
    centrals.push(Buffer.concat([central, name]));
    offset += 30 + name.length + extraLength + stored.length;
  }
  const centralStart = offset;
  const central: number[] = [];
  for (const c of centrals) {
    central.push(offset);
    parts.push(c);
    offset += c.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, END.entryCount[0]);
  end.writeUInt32LE(offset - centralStart, END.directorySize[0]);
  end.writeUInt32LE(centralStart, END.directoryOffset[0]);
  parts.push(end);
  return { bytes: Buffer.concat(parts), local, central, eocd: offset };
}

// ---- pickle ----

/** How an opcode's argument is laid out (pickletools' argument descriptors). */
type ArgKind = 'none' | 'u1' | 'u2' | 'i4' | 'u4' | 'u8' | 'f8' | 'len1' | 'len4' | 'len8' | 'line' | 'line2';

const OPCODES: Record<string, ArgKind> = {
  '(': 'none', '.': 'none', '0': 'none', '1': 'none', '2': 'none', a: 'none', b: 'none', d: 'none', e: 'none', l: 'none',
  o: 'none', s: 'none', t: 'none', u: 'none', ')': 'none', ']': 'none', '}': 'none', N: 'none', R: 'none', Q: 'none',
  '\x81': 'none', '\x85': 'none', '\x86': 'none', '\x87': 'none', '\x88': 'none', '\x89': 'none', '\x8f': 'none',
  '\x90': 'none', '\x91': 'none', '\x92': 'none', '\x93': 'none', '\x94': 'none', '\x97': 'none', '\x98': 'none',
  K: 'u1', h: 'u1', q: 'u1', '\x80': 'u1', '\x82': 'u1', M: 'u2', '\x83': 'u2', J: 'i4', j: 'u4', r: 'u4', '\x84': 'i4',
  '\x95': 'u8', G: 'f8', U: 'len1', '\x8c': 'len1', C: 'len1', '\x8a': 'len1', T: 'len4', X: 'len4', B: 'len4', '\x8b': 'len4',
  '\x8d': 'len8', '\x8e': 'len8', '\x96': 'len8', I: 'line', L: 'line', S: 'line', V: 'line', F: 'line', g: 'line', p: 'line',
  P: 'line', c: 'line2', i: 'line2',
};
// Opcodes without an argument that build or change objects: what a forged pickle rearranges.
const STRUCTURAL = ['(', '0', '2', 'a', 'b', 'd', 'e', 's', 't', 'u', ')', ']', '}', 'N', 'R', 'Q', '\x81', '\x85', '\x86', '\x87', '\x88', '\x8f', '\x90', '\x91', '\x92', '\x93', '\x94', '.'];

export interface PickleOp {
  /** The opcode, or '' for a raw run of opcodes that a mutation inserted whole. */
  code: string;
  /** The argument's bytes as they stand in the stream (for len*, the length prefix and the data). */
  arg: Buffer;
}

/** The opcodes of a pickle, up to its STOP; throws on an opcode it does not know. */
export function parsePickle(bytes: Buffer): PickleOp[] {
  const ops: PickleOp[] = [];
  let at = 0;
  while (at < bytes.length) {
    const code = String.fromCharCode(bytes[at]);
    const kind = OPCODES[code];
    if (kind === undefined) throw new Error(`unknown opcode 0x${bytes[at].toString(16)} at ${at}`);
    const start = at + 1;
    let end = start;
    switch (kind) {
      case 'none': break;
      case 'u1': end += 1; break;
      case 'u2': end += 2; break;
      case 'i4': case 'u4': end += 4; break;
      case 'u8': case 'f8': end += 8; break;
      case 'len1': end += 1 + bytes[start]; break;
      case 'len4': end += 4 + bytes.readUInt32LE(start); break;
      case 'len8': end += 8 + Number(bytes.readBigUInt64LE(start)); break;
      case 'line': end = bytes.indexOf(0x0a, start) + 1; break;
      case 'line2': end = bytes.indexOf(0x0a, bytes.indexOf(0x0a, start) + 1) + 1; break;
    }
    // An earlier mutation of the same pickle can leave a text opcode with no
    // newline after it: indexOf's -1 made end 0, and the parse started over
    // from byte 0 forever (seed 12, iteration 5115 filled a 4 GB heap).
    if (end < start) throw new Error(`opcode ${JSON.stringify(code)} at byte ${at} has no newline ending its argument`);
    // a view, not a copy: the pickles mutated are the zip's fresh copies, and a nested run makes 600,000 ops
    ops.push({ code, arg: bytes.subarray(start, end) });
    at = end;
    if (code === '.') break;
  }
  return ops;
}

export function writePickle(ops: PickleOp[]): Buffer {
  const out = Buffer.alloc(ops.reduce((n, op) => n + op.code.length + op.arg.length, 0));
  let at = 0;
  for (const op of ops) {
    if (op.code) out[at++] = op.code.charCodeAt(0);
    at += op.arg.copy(out, at);
  }
  return out;
}

/** ops.splice(at, 0, ...items) for runs too long to spread into arguments. */
function insertOps(ops: PickleOp[], at: number, items: PickleOp[]): void {
  const tail = ops.splice(at);
  for (const item of items) ops.push(item);
  for (const item of tail) ops.push(item);
}

const opName = (op: PickleOp) => (op.code === '' ? 'a run' : `0x${op.code.charCodeAt(0).toString(16)}`);

// Values at the edges of each argument width.
const EDGE_U8 = [0, 1, 0x7f, 0x80, 0xff];
const EDGE_U16 = [0, 1, 0x7fff, 0x8000, 0xffff];
const EDGE_U32 = [0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 1 << 20];
const EDGE_U64 = [0n, 1n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 1n << 32n, 1n << 40n];
const STRINGS = ['', 'cpu', 'cuda:0', 'meta', 'storage', '0', '1', '999', '../../etc/passwd', 'data/0', 'a'.repeat(300), '__proto__', 'constructor'];
const CLASSES = [
  'torch\nFloatStorage', 'torch\nHalfStorage', 'torch\nDoubleStorage', 'torch\nBoolStorage', 'torch\nByteStorage', 'torch\nLongStorage',
  'torch\nQInt8Storage', 'torch\nQUInt4x2Storage', 'torch\nQUInt2x4Storage', 'torch\nComplexFloatStorage', 'torch\nBFloat16Storage',
  'torch._utils\n_rebuild_tensor_v2', 'torch._utils\n_rebuild_parameter', 'torch._utils\n_rebuild_qtensor', 'torch._utils\n_rebuild_sparse_tensor',
  'collections\nOrderedDict', 'builtins\nset', 'torch\nSize', 'os\nsystem', 'torch\nfloat32', 'torch\nbfloat16', 'torch.jit._pickle\nbuild_tensor_from_id',
  'torch.jit._pickle\nrestore_type_tag', '__torch__.torch.nn.modules.linear\nLinear',
];

function describeArg(op: PickleOp): string {
  return op.arg.length <= 24 ? JSON.stringify(op.arg.toString('latin1')) : `${op.arg.length} bytes`;
}

/** One change to a pickle's opcodes; returns its description. */
export function mutatePickle(ops: PickleOp[], random: Random): string {
  const body = ops.length - 1; // the STOP stays last unless a mutation moves it
  const at = Math.floor(random() * Math.max(1, body));
  const op = ops[at];
  const kind = OPCODES[op.code];
  switch (Math.floor(random() * 8)) {
    case 0: {
      // an integer argument or a length prefix at the edge of its width
      const targets = ops.map((o, k) => [o, k] as const).filter(([o]) => o.code !== '' && !['none', 'line', 'line2', 'f8'].includes(OPCODES[o.code]));
      if (!targets.length) return 'no integer argument';
      const [target, k] = pickFrom(random, targets);
      const t = OPCODES[target.code];
      const before = describeArg(target);
      if (t === 'u1' || t === 'len1') target.arg[0] = pickFrom(random, EDGE_U8);
      else if (t === 'u2') target.arg.writeUInt16LE(pickFrom(random, EDGE_U16), 0);
      else if (t === 'i4' || t === 'u4' || t === 'len4') target.arg.writeUInt32LE(pickFrom(random, EDGE_U32), 0);
      else target.arg.writeBigUInt64LE(pickFrom(random, EDGE_U64), 0);
      return `op ${k} (${opName(target)}): argument ${before} -> ${describeArg(target)}`;
    }
    case 1: {
      // a string (a storage key, a device, a dict key) replaced, its length kept consistent
      const targets = ops.map((o, k) => [o, k] as const).filter(([o]) => ['\x8c', 'X', 'U', 'T'].includes(o.code));
      if (!targets.length) return 'no string';
      const [target, k] = pickFrom(random, targets);
      const text = Buffer.from(pickFrom(random, STRINGS), 'utf8');
      const short = target.code === '\x8c' || target.code === 'U';
      if (short && text.length > 255) return 'string too long for a short opcode';
      const prefix = Buffer.alloc(short ? 1 : 4);
      if (short) prefix[0] = text.length;
      else prefix.writeUInt32LE(text.length, 0);
      const before = describeArg(target);
      target.arg = Buffer.concat([prefix, text]);
      return `op ${k} (${opName(target)}): string ${before} -> ${JSON.stringify(text.toString().slice(0, 40))}`;
    }
    case 2: {
      // a class the pickle names, or names through STACK_GLOBAL's strings
      const targets = ops.map((o, k) => [o, k] as const).filter(([o]) => o.code === 'c');
      const cls = pickFrom(random, CLASSES);
      if (targets.length) {
        const [target, k] = pickFrom(random, targets);
        const before = target.arg.toString('latin1').trim().replace('\n', '.');
        target.arg = Buffer.from(`${cls}\n`, 'latin1');
        return `op ${k} GLOBAL ${before} -> ${cls.replace('\n', '.')}`;
      }
      ops.splice(at, 0, { code: 'c', arg: Buffer.from(`${cls}\n`, 'latin1') });
      return `GLOBAL ${cls.replace('\n', '.')} inserted at ${at}`;
    }
    case 3: {
      const code = pickFrom(random, STRUCTURAL);
      if (kind !== 'none' || op.code === '') {
        ops.splice(at, 0, { code, arg: Buffer.alloc(0) });
        return `${opName({ code, arg: Buffer.alloc(0) })} inserted at ${at}`;
      }
      const before = opName(op);
      op.code = code;
      return `op ${at} ${before} -> ${opName(op)}`;
    }
    case 4:
      ops.splice(at, 1);
      return `op ${at} (${opName(op)}) deleted`;
    case 5: {
      const count = pickFrom(random, [1, 2, 10]);
      insertOps(ops, at, Array.from({ length: count }, () => ({ code: op.code, arg: Buffer.from(op.arg) })));
      return `op ${at} (${opName(op)}) repeated ${count} more times`;
    }
    case 6: {
      // a run of opcodes that nests deep or builds wide, against the unpickler's bounds
      const depth = pickFrom(random, [1000, 100_000, 300_000]);
      const shape = pickFrom(random, ['lists', 'marks', 'tuples']);
      // One raw op (no opcode of its own): 600,000 op objects would take seconds to build and write.
      const text = shape === 'lists' ? ']'.repeat(depth) + 'a'.repeat(depth - 1) : shape === 'marks' ? `](${'N'.repeat(depth)}e` : `N${'\x85'.repeat(depth)}`;
      ops.splice(at, 0, { code: '', arg: Buffer.from(`${text}0`, 'latin1') });
      return `${depth} ${shape} nested at op ${at}`;
    }
    default: {
      // a memo reference to an index that was never stored, or to another one
      const index = pickFrom(random, [0, 1, 5, 255, 0xffffffff]);
      const arg = Buffer.alloc(4);
      arg.writeUInt32LE(index, 0);
      const code = pickFrom(random, ['j', 'r']);
      ops.splice(at, 0, { code, arg });
      return `${code === 'j' ? 'LONG_BINGET' : 'LONG_BINPUT'} ${index} inserted at ${at}`;
    }
  }
}

// ---- whole archives ----

export interface Mutant {
  bytes: Buffer;
  mutations: string[];
}

/** The size a zip bomb record inflates to. */
export const BOMB_BYTES = 2 ** 30;

/**
 * Writes a raw deflate stream of BOMB_BYTES zeros (about 1 MB) to `file`
 * without holding the zeros in memory, and returns their CRC-32. The parent
 * makes it once and hands it to the children (FILEFUZZ_BOMB, FILEFUZZ_BOMB_CRC).
 */
export async function makeZeroBomb(file: string): Promise<number> {
  const fs = await import('node:fs');
  const { pipeline } = await import('node:stream/promises');
  const chunk = Buffer.alloc(1 << 24);
  let crc = 0;
  async function* zeros() {
    for (let done = 0; done < BOMB_BYTES; done += chunk.length) {
      crc = zlib.crc32(chunk, crc);
      yield chunk;
    }
  }
  await pipeline(zeros(), zlib.createDeflateRaw({ level: 1 }), fs.createWriteStream(file));
  return crc >>> 0;
}

/** A deflated record of zeros: its compressed bytes, the CRC-32 and the size of what it inflates to. */
export interface ZeroBomb {
  bytes: Buffer;
  crc: number;
  size: number;
}

let envBomb: ZeroBomb | undefined;
/** The bomb the parent made (FILEFUZZ_BOMB); without one, a small stand-in that keeps the mutation's shape. */
function zeroBomb(): ZeroBomb {
  if (!envBomb) {
    const file = process.env.FILEFUZZ_BOMB;
    const zeros = Buffer.alloc(1 << 16);
    envBomb = file
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports
        { bytes: require('node:fs').readFileSync(file), crc: Number(process.env.FILEFUZZ_BOMB_CRC), size: BOMB_BYTES }
      : { bytes: zlib.deflateRawSync(zeros), crc: zlib.crc32(zeros), size: zeros.length };
  }
  return envBomb;
}

/** One to three structure-aware mutations of an archive (a torch.save file or a TorchScript archive). */
export function mutateArchive(original: Buffer, random: Random): Mutant {
  const entries = readZip(original);
  const mutations: string[] = [];
  const headerChanges: ((layout: ZipLayout) => string)[] = [];
  const rounds = 1 + Math.floor(random() * 3);
  for (let round = 0; round < rounds; round++) {
    const choice = random();
    if (choice < 0.55) {
      // a pickle: data.pkl mostly, constants.pkl or a .debug_pkl otherwise
      const pickles = entries.filter((e) => e.name.endsWith('.pkl') || e.name.endsWith('.debug_pkl'));
      const dataPkl = pickles.filter((e) => e.name.endsWith('/data.pkl'));
      const entry = random() < 0.7 && dataPkl.length ? dataPkl[0] : pickFrom(random, pickles);
      const ops = parsePickle(entry.data);
      mutations.push(`${entry.name}: ${mutatePickle(ops, random)}`);
      entry.data = writePickle(ops);
    } else if (choice < 0.75) {
      // a storage record cut, lengthened, emptied or swapped
      const storages = entries.filter((e) => /\/data\/\d+$/.test(e.name));
      if (!storages.length) continue;
      const entry = pickFrom(random, storages);
      const how = Math.floor(random() * 4);
      if (how === 0) {
        const length = Math.floor(random() * entry.data.length);
        entry.data = entry.data.subarray(0, length);
        mutations.push(`${entry.name} cut to ${length} bytes`);
      } else if (how === 1) {
        entry.data = Buffer.concat([entry.data, Buffer.alloc(pickFrom(random, [1, 7, 4096]))]);
        mutations.push(`${entry.name} lengthened to ${entry.data.length} bytes`);
      } else if (how === 2) {
        entry.data = Buffer.alloc(0);
        mutations.push(`${entry.name} emptied`);
      } else {
        const other = pickFrom(random, storages);
        [entry.data, other.data] = [other.data, entry.data];
        mutations.push(`${entry.name} and ${other.name} swapped`);
      }
    } else if (choice < 0.82) {
      // records the pickle never names: a duplicate name, or (rarely: it is one known fault, and slow) one that inflates to 1 GiB
      const prefix = entries[0].name.split('/')[0];
      if (random() < 0.8) {
        const copy = pickFrom(random, entries);
        entries.push({ ...copy, data: Buffer.from(copy.data) });
        mutations.push(`${copy.name} duplicated`);
      } else {
        entries.push({ name: `${prefix}/extra`, data: Buffer.alloc(0), method: -1 });
        mutations.push(`unreferenced ${prefix}/extra inflating to ${zeroBomb().size} bytes`);
      }
    } else {
      // a header field of the written zip, at the edge of its width (the CRCs stay true: they cover the data)
      headerChanges.push((layout) => {
        const area = Math.floor(random() * 3);
        const k = Math.floor(random() * layout.local.length);
        // [label, header, field]; the lists' order is the mutants' (a recorded finding replays from its seed and iteration)
        const fields: [string, Header | 'end', Field | keyof typeof END][] =
          area === 0
            ? [['local method', 'local', 'method'], ['local compressed size', 'local', 'compressedSize'], ['local size', 'local', 'size'], ['local name length', 'local', 'nameLength'], ['local extra length', 'local', 'extraLength'], ['local flags', 'local', 'flags']]
            : area === 1
              ? [['central compressed size', 'central', 'compressedSize'], ['central size', 'central', 'size'], ['central name length', 'central', 'nameLength'], ['central local offset', 'central', 'localOffset'], ['central method', 'central', 'method'], ['central extra length', 'central', 'extraLength']]
              : [['entry count', 'end', 'entryCount'], ['directory size', 'end', 'directorySize'], ['directory offset', 'end', 'directoryOffset'], ['comment length', 'end', 'commentLength']];
        const [field, header, name] = pickFrom(random, fields);
        const [offset, width] = header === 'end' ? END[name as keyof typeof END] : (FIELDS[header] as Record<string, readonly [number, number]>)[name];
        const base = area === 0 ? layout.local[k] : area === 1 ? layout.central[k] : layout.eocd;
        const value = width === 2 ? pickFrom(random, EDGE_U16) : pickFrom(random, EDGE_U32);
        if (width === 2) layout.bytes.writeUInt16LE(value, base + offset);
        else layout.bytes.writeUInt32LE(value, base + offset);
        return `${field}${area < 2 ? ` of ${entries[k].name}` : ''} -> ${value}`;
      });
    }
  }
  const bombIndex = entries.findIndex((e) => e.method === -1);
  let layout: ZipLayout;
  if (bombIndex >= 0) {
    // written stored first, then given the bomb's bytes and a deflated header
    const { bytes: deflated, crc, size } = zeroBomb();
    entries[bombIndex] = { name: entries[bombIndex].name, data: deflated, method: 0 };
    layout = writeZip(entries);
    setFields(layout.bytes, layout.local[bombIndex], 'local', { method: 8, crc, size });
    setFields(layout.bytes, layout.central[bombIndex], 'central', { method: 8, crc, size });
  } else {
    layout = writeZip(entries);
  }
  for (const change of headerChanges) mutations.push(change(layout));
  return { bytes: layout.bytes, mutations };
}
