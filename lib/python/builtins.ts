// Python's builtins that a PyTorch script's translation needs beside torch
// itself: format(value, format_spec), the formatting behind f"{loss:.4f}"
// and '{:5.2f}'.format(x), the lines a training loop prints.
//
//   import { format } from 'torchts/python/builtins';
//   console.log(`loss: ${format(loss, '.4f')}`);   // Python: f"loss: {loss:.4f}"
//
// The format-spec mini-language as CPython 3.11 reads it:
//   [[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]
// with the digits of a float's exact binary value rounded half to even, as
// CPython's dtoa does (JS's toFixed rounds ties up).
//
// A JS number does not say whether Python's int or float is meant: an
// integral number formats as Python's int (format(3) is '3', format(3, '.1')
// is Python's error; a float type converts it, format(3, '.1f') is '3.0').
// A 0-dim Tensor formats as its item(), as Tensor.__format__ does, and a
// float dtype's item as a float (format(torch.tensor(2.0)) is '2.0').
import { formatExp, formatFixed, pyFloatRepr } from '../_pyformat';
import { describeValue } from '../_describe';
import { Tensor } from '../tensor';

interface Spec {
  fill: string;
  align: '<' | '>' | '^' | '=' | null;
  sign: '+' | '-' | ' ' | null;
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: ',' | '_' | null;
  precision: number | null;
  type: string;
}

const ALIGNS = new Set(['<', '>', '^', '=']);
const GROUPED = new Set(['d', 'e', 'f', 'g', 'E', 'G', '%', 'F', '']);

/** A format_spec read as CPython reads it; ValueError's 'Invalid format specifier' where it does not parse. */
function parseSpec(spec: string, what: string): Spec {
  const chars = Array.from(spec);
  let i = 0;
  const s: Spec = { fill: ' ', align: null, sign: null, z: false, alt: false, zero: false, width: -1, grouping: null, precision: null, type: '' };
  let fillGiven = false;
  if (chars.length >= 2 && ALIGNS.has(chars[1])) {
    s.fill = chars[0];
    s.align = chars[1] as Spec['align'];
    fillGiven = true;
    i = 2;
  } else if (chars.length >= 1 && ALIGNS.has(chars[0])) {
    s.align = chars[0] as Spec['align'];
    i = 1;
  }
  if (chars[i] === '+' || chars[i] === '-' || chars[i] === ' ') s.sign = chars[i++] as Spec['sign'];
  if (chars[i] === 'z') {
    s.z = true;
    i++;
  }
  if (chars[i] === '#') {
    s.alt = true;
    i++;
  }
  if (!fillGiven && chars[i] === '0') {
    s.zero = true;
    i++;
  }
  let digits = '';
  while (i < chars.length && chars[i] >= '0' && chars[i] <= '9') digits += chars[i++];
  if (digits !== '') s.width = Number(digits);
  if (chars[i] === ',' || chars[i] === '_') {
    s.grouping = chars[i++] as Spec['grouping'];
    if (chars[i] === ',' || chars[i] === '_') throw new RangeError(`format(): Cannot specify both ',' and '_'.`);
  }
  if (chars[i] === '.') {
    i++;
    let p = '';
    while (i < chars.length && chars[i] >= '0' && chars[i] <= '9') p += chars[i++];
    if (p === '') throw new RangeError('format(): Format specifier missing precision');
    s.precision = Number(p);
  }
  if (chars.length - i > 1) throw new RangeError(`format(): Invalid format specifier '${spec}' for object of type '${what}'`);
  if (i < chars.length) s.type = chars[i];
  // PEP 378's separators go with decimal types only ('_' also groups b, o, x and X by four).
  if (s.grouping !== null && !GROUPED.has(s.type) && !(s.grouping === '_' && 'boxX'.includes(s.type))) {
    throw new RangeError(`format(): Cannot specify '${s.grouping}' with '${s.type}'.`);
  }
  return s;
}

/** digits (0-9 only) with sep every `every` from the right, zero-padded first to fill minWidth where asked. */
function group(digits: string, sep: string, every: number, minWidth: number): string {
  let d = digits;
  // Zero padding with grouping pads the digits and their separators together, never starting with a separator.
  while (d.length + Math.floor((d.length - 1) / every) < minWidth) d = `0${d}`;
  const parts: string[] = [];
  for (let end = d.length; end > 0; end -= every) parts.unshift(d.slice(Math.max(0, end - every), end));
  return parts.join(sep);
}

/** body padded to the width by the fill, as align says (default: numbers right, text left). */
function pad(sign: string, body: string, s: Spec, numeric: boolean): string {
  const len = Array.from(sign + body).length;
  if (s.width <= len) return sign + body;
  const n = s.width - len;
  const fill = s.zero && s.align === null ? '0' : s.fill;
  const align = s.align ?? (s.zero && numeric ? '=' : numeric ? '>' : '<');
  const f = (k: number) => fill.repeat(k);
  switch (align) {
    case '<': return sign + body + f(n);
    case '>': return f(n) + sign + body;
    case '^': return f(Math.floor(n / 2)) + sign + body + f(n - Math.floor(n / 2));
    default: return sign + f(n) + body;
  }
}

function signOf(negative: boolean, s: Spec): string {
  if (negative) return '-';
  return s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
}

function formatString(v: string, s: Spec): string {
  if (s.type !== '' && s.type !== 's') throw new RangeError(`format(): Unknown format code '${s.type}' for object of type 'str'`);
  if (s.sign !== null) throw new RangeError('format(): Sign not allowed in string format specifier');
  if (s.alt) throw new RangeError('format(): Alternate form (#) not allowed in string format specifier');
  if (s.z) throw new RangeError('format(): Negative zero coercion (z) not allowed in format specifier');
  if (s.align === '=') throw new RangeError("format(): '=' alignment not allowed in string format specifier");
  const text = s.precision === null ? v : Array.from(v).slice(0, s.precision).join('');
  // The '0' flag before the width is the fill for text too (left aligned).
  return pad('', text, { ...s, fill: s.zero && s.align === null ? '0' : s.fill, zero: false, align: s.align ?? '<' }, false);
}

const INT_TYPES = new Set(['b', 'c', 'd', 'o', 'x', 'X', 'n', '']);
const FLOAT_TYPES = new Set(['e', 'E', 'f', 'F', 'g', 'G', '%', 'n', '']);

function formatInt(v: bigint, s: Spec): string {
  if (s.precision !== null) throw new RangeError('format(): Precision not allowed in integer format specifier');
  if (s.z) throw new RangeError('format(): Negative zero coercion (z) not allowed in integer format specifier');
  const negative = v < 0n;
  const mag = negative ? -v : v;
  if (s.type === 'c') {
    if (s.sign !== null) throw new RangeError("format(): Sign not allowed with integer format specifier 'c'");
    if (s.alt) throw new RangeError("format(): Alternate form (#) not allowed with integer format specifier 'c'");
    if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new RangeError('format(): Python int too large to convert to C long');
    if (v < 0n || v > 0x10ffffn) throw new RangeError('format(): %c arg not in range(0x110000)');
    return pad('', String.fromCodePoint(Number(v)), s, true);
  }
  const radix = s.type === 'b' ? 2 : s.type === 'o' ? 8 : s.type === 'x' || s.type === 'X' ? 16 : 10;
  let digits = mag.toString(radix);
  if (s.type === 'X') digits = digits.toUpperCase();
  const prefix = s.alt && radix !== 10 ? `0${s.type}` : '';
  const sign = signOf(negative, s) + prefix;
  if (s.grouping !== null) {
    const zeroPad = s.zero && s.align === null ? s.width - sign.length : 0;
    return pad(sign, group(digits, s.grouping, radix === 10 ? 3 : 4, zeroPad), s, true);
  }
  return pad(sign, digits, s, true);
}

/** The digits of |x| for a float type, before sign and padding (x finite or not). */
function floatBody(x: number, s: Spec, type: string): string {
  const ax = Math.abs(x);
  const upper = type === 'E' || type === 'F' || type === 'G';
  if (!Number.isFinite(ax)) {
    const t = Number.isNaN(ax) ? 'nan' : 'inf';
    return (upper ? t.toUpperCase() : t) + (type === '%' ? '%' : '');
  }
  if (type === 'f' || type === 'F') {
    const body = formatFixed(ax, s.precision ?? 6);
    return s.alt && !body.includes('.') ? `${body}.` : body;
  }
  if (type === '%') {
    const body = formatFixed(ax * 100, s.precision ?? 6);
    return `${s.alt && !body.includes('.') ? `${body}.` : body}%`;
  }
  if (type === 'e' || type === 'E') {
    let body = formatExp(ax, s.precision ?? 6);
    if (s.alt && !body.includes('.')) body = body.replace('e', '.e');
    return upper ? body.toUpperCase() : body;
  }
  // 'g', 'n' and no type: p significant digits, fixed where the exponent
  // allows, else scientific. No type behaves as repr without a precision,
  // and with one as 'g' that keeps a digit after the point (CPython's
  // Py_DTSF_ADD_DOT_0, which also moves to scientific one exponent sooner).
  if (type === '' && s.precision === null) return pyFloatRepr(ax);
  const addDot0 = type === '';
  let p = s.precision ?? 6;
  if (p === 0) p = 1;
  const sci = formatExp(ax, p - 1);
  const exp = Number(sci.slice(sci.indexOf('e') + 1));
  let body: string;
  if (exp < -4 || exp >= (addDot0 ? p - 1 : p)) {
    const [mantissa, e] = sci.split('e');
    body = `${s.alt ? mantissa : stripZeros(mantissa)}${s.alt && !mantissa.includes('.') ? '.' : ''}e${e}`;
  } else {
    const fixed = formatFixed(ax, p - 1 - exp);
    body = s.alt ? (fixed.includes('.') ? fixed : `${fixed}.`) : stripZeros(fixed);
    if (addDot0 && !body.includes('.')) body += '.0';
  }
  return upper ? body.toUpperCase() : body;
}

function stripZeros(digits: string): string {
  return digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits;
}

function formatFloat(x: number, s: Spec): string {
  const type = s.type;
  let body = floatBody(x, s, type);
  // 'z' makes a zero that rounding left negative positive; NaN prints without its sign.
  let negative = (x < 0 || Object.is(x, -0)) && !Number.isNaN(x);
  if (negative && s.z && Number.isFinite(x) && !/[1-9]/.test(body.replace(/e[-+]\d+$/i, ''))) negative = false;
  if (s.grouping !== null) {
    // The separators go into the integer part only.
    const m = /^(\d+)(.*)$/.exec(body);
    if (m) {
      const sign = signOf(negative, s);
      const zeroPad = s.zero && s.align === null ? s.width - sign.length - Array.from(m[2]).length : 0;
      body = group(m[1], s.grouping, 3, zeroPad) + m[2];
      return pad(sign, body, s, true);
    }
  }
  return pad(signOf(negative, s), body, s, true);
}

function typeName(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (v === null || v === undefined) return 'NoneType';
  return (v as object).constructor?.name ?? typeof v;
}

/**
 * Python's format(value, format_spec=''): value as format_spec says, for a
 * number (int as a safe-integer number or a bigint, float), a str, a bool,
 * None (null) or a 0-dim Tensor (its item()). '' gives str(value).
 */
export function format(value: unknown, format_spec = ''): string {
  if (typeof format_spec !== 'string') throw new TypeError(`format(): format_spec must be a str, not ${describeValue(format_spec)}`);
  let v = value;
  let isFloat = typeof v === 'number' && !Number.isInteger(v);
  if (v instanceof Tensor) {
    // Tensor.__format__: a 0-dim tensor formats as its item(); any other only with an empty spec, as str().
    if (v.ndim !== 0) {
      if (format_spec !== '') throw new TypeError('format(): unsupported format string passed to Tensor.__format__');
      return String(v);
    }
    isFloat = v.is_floating_point();
    v = v.dtype.name === 'bool' ? Boolean(v.item()) : v.item();
    if (typeof v === 'number' && isFloat && format_spec === '') return pyFloatRepr(v);
  }
  if (v === null || v === undefined) {
    if (format_spec !== '') throw new TypeError('format(): unsupported format string passed to NoneType.__format__');
    return 'None';
  }
  // bool is an int to Python's format, but keeps its name in messages.
  const what = typeof v === 'boolean' ? 'bool' : typeName(v);
  if (typeof v === 'boolean') {
    if (format_spec === '') return v ? 'True' : 'False';
    v = v ? 1 : 0;
  }
  if (typeof v === 'string') return formatString(v, parseSpec(format_spec, 'str'));
  if (typeof v !== 'number' && typeof v !== 'bigint') throw new TypeError(`format(): cannot format ${describeValue(value)}; format takes a number, a bigint, a string, a boolean, null or a 0-dim Tensor`);
  const s = parseSpec(format_spec, what);
  const asFloat = isFloat || (FLOAT_TYPES.has(s.type) && !INT_TYPES.has(s.type));
  if (!asFloat) {
    if (!INT_TYPES.has(s.type)) throw new RangeError(`format(): Unknown format code '${s.type}' for object of type '${what}'`);
    if (typeof v === 'number' && !Number.isSafeInteger(v)) {
      throw new RangeError(`format(): ${v} is beyond 2**53, where a number is no exact int; pass a bigint, or a float format ('.0f')`);
    }
    return formatInt(BigInt(v), s);
  }
  if (!FLOAT_TYPES.has(s.type)) throw new RangeError(`format(): Unknown format code '${s.type}' for object of type '${isFloat ? 'float' : 'int'}'`);
  return formatFloat(Number(v), s);
}
