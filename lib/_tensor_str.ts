// Tensor printing, after PyTorch 1.13's torch/_tensor_str.py: the same
// formatter choices (integer mode, scientific mode, widths), summarisation
// and suffixes, so that a tensor prints byte for byte as Python prints it.
import { _C } from './_C';
import { aten } from './aten';
import { PYTHON_DEF } from './_arg_parser';
import { checkOptions } from './_options';
import { float64, get_default_dtype, int64, bool as boolDtype, complex64, complex128, type dtype } from './dtype';
import { native } from './native';
import { formatExp, formatFixed } from './_pyformat';
import type { Tensor } from './tensor';

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sci_mode: boolean | null;
}

const PRINT_OPTS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sci_mode: null };

const PROFILES: Record<string, Omit<PrintOptions, 'sci_mode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const PRINT_OPTION_TYPES = { precision: 'int?', threshold: 'float?', edgeitems: 'int?', linewidth: 'int?', sci_mode: 'bool?', profile: 'str?' } as const;

/** torch.set_printoptions: as Python's, sci_mode is reset unless given. */
export function set_printoptions(options: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' } = {}): void {
  // Python checks none of these and fails later, at the next print (precision=-1:
  // "Format specifier missing precision"); all are checked here, before any is set.
  checkOptions('set_printoptions', options, PRINT_OPTION_TYPES, PYTHON_DEF);
  for (const key of ['precision', 'edgeitems', 'linewidth'] as const) {
    const v = options[key];
    if (v !== undefined && v !== null && v < 0) throw new RangeError(`set_printoptions(): ${key} must be a non-negative integer, got ${v}`);
  }
  if (Number.isNaN(options.threshold)) throw new RangeError('set_printoptions(): threshold must be a number of elements, got NaN');
  if (options.profile !== undefined) {
    const p = Object.prototype.hasOwnProperty.call(PROFILES, options.profile) ? PROFILES[options.profile] : undefined;
    if (!p) throw new TypeError(`set_printoptions: unknown profile '${options.profile}'`);
    Object.assign(PRINT_OPTS, p);
  }
  for (const key of ['precision', 'threshold', 'edgeitems', 'linewidth'] as const) {
    if (options[key] != null) PRINT_OPTS[key] = options[key] as number;
  }
  PRINT_OPTS.sci_mode = options.sci_mode ?? null;
}

export function get_printoptions(): PrintOptions {
  return { ...PRINT_OPTS };
}

type Value = number | bigint | boolean;

/** Flattened values of t: doubles for floating types, as Python's item() gives them. */
function values(t: Tensor): Value[] {
  const d = t.dtype;
  if (d.is_floating_point) return Array.from(_C.to_dtype(t, float64).toTypedArray() as Float64Array);
  if (d === boolDtype) return Array.from(t.toTypedArray() as Uint8Array, (v) => v !== 0);
  return Array.from(t.toTypedArray() as ArrayLike<number | bigint>);
}

class Formatter {
  readonly floating: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(t: Tensor) {
    this.floating = t.dtype.is_floating_point;
    const vals = values(t);
    if (!this.floating) {
      for (const v of vals) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
    } else {
      const finite = (vals as number[]).filter((v) => Number.isFinite(v) && v !== 0);
      if (finite.length === 0) {
        if (PRINT_OPTS.sci_mode !== null) this.sciMode = PRINT_OPTS.sci_mode;
        return;
      }
      let min = Infinity;
      let max = 0;
      for (const v of finite) {
        min = Math.min(min, Math.abs(v));
        max = Math.max(max, Math.abs(v));
      }
      this.intMode = finite.every((v) => v === Math.ceil(v));
      const widen = (s: string) => {
        this.maxWidth = Math.max(this.maxWidth, s.length);
      };
      if (this.intMode) {
        if (max / min > 1000.0 || max > 1.0e8) {
          this.sciMode = true;
          for (const v of finite) widen(formatExp(v, PRINT_OPTS.precision));
        } else {
          for (const v of finite) widen(`${formatFixed(v, 0)}.`);
        }
      } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
        this.sciMode = true;
        for (const v of finite) widen(formatExp(v, PRINT_OPTS.precision));
      } else {
        for (const v of finite) widen(formatFixed(v, PRINT_OPTS.precision));
      }
    }
    if (PRINT_OPTS.sci_mode !== null) this.sciMode = PRINT_OPTS.sci_mode;
  }

  private plain(v: Value): string {
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    return String(v);
  }

  format(v: Value): string {
    let ret: string;
    if (this.floating) {
      const x = v as number;
      if (this.sciMode) ret = formatExp(x, PRINT_OPTS.precision);
      else if (this.intMode) ret = Number.isFinite(x) ? `${formatFixed(x, 0)}.` : formatFixed(x, 0);
      else ret = formatFixed(x, PRINT_OPTS.precision);
    } else {
      ret = this.plain(v);
    }
    return ' '.repeat(Math.max(0, this.maxWidth - ret.length)) + ret;
  }
}

/**
 * The tensor's values nested by dimension. `data` is already summarised:
 * each dimension of `shape` longer than 2*edgeitems kept only its edge
 * items, and '...' stands for the rest.
 */
function tensorBody(data: Tensor, shape: number[], indent: number, summarize: boolean, formatter: Formatter, imagFormatter: Formatter | null): string {
  const edge = PRINT_OPTS.edgeitems;
  const cut = shape.map((n) => summarize && n > 2 * edge);
  const dims = native.shape(data);
  let formatAt: (i: number) => string;
  // Python's _vector_str: a complex element is as wide as both parts, and a j.
  let elementLength = formatter.maxWidth + 2;
  if (imagFormatter === null) {
    const flat = values(data);
    formatAt = (i) => formatter.format(flat[i]);
  } else {
    const real = values(realPart(data));
    const imag = values(imagPart(data));
    elementLength += imagFormatter.maxWidth + 1;
    // Python's _scalar_str: the imaginary part loses its padding and keeps its sign, or gains a '+'.
    formatAt = (i) => {
      const imagText = `${imagFormatter.format(imag[i])}j`.trimStart();
      return formatter.format(real[i]) + (imagText[0] === '+' || imagText[0] === '-' ? '' : '+') + imagText;
    };
  }
  const strides = dims.map((_, d) => dims.slice(d + 1).reduce((a, b) => a * b, 1));

  const render = (level: number, offset: number, ind: number): string => {
    if (dims.length === 0) return formatAt(0);
    const n = dims[level];
    const items = (from: number, to: number, f: (i: number) => string) => {
      const out: string[] = [];
      for (let i = from; i < to; i++) out.push(f(i));
      return out;
    };
    if (level === dims.length - 1) {
      const perLine = Math.max(1, Math.floor((PRINT_OPTS.linewidth - ind) / elementLength));
      const fmt = (i: number) => formatAt(offset + i);
      const elems = cut[level] ? [...items(0, edge, fmt), ' ...', ...items(n - edge, n, fmt)] : items(0, n, fmt);
      const lines: string[] = [];
      for (let i = 0; i < elems.length; i += perLine) lines.push(elems.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
    }
    const sub = (i: number) => render(level + 1, offset + i * strides[level], ind + 1);
    const slices = cut[level] ? [...items(0, edge, sub), '...', ...items(n - edge, n, sub)] : items(0, n, sub);
    const rest = dims.length - level;
    return `[${slices.join(`,${'\n'.repeat(rest - 1)}${' '.repeat(ind + 1)}`)}]`;
  };
  return render(0, 0, indent);
}

function tensorStr(t: Tensor, indent: number): string {
  if (t.numel() === 0) return '[]';
  const summarize = t.numel() > PRINT_OPTS.threshold;
  let source = t;
  if (t.dtype.name === 'float16' || t.dtype.name === 'bfloat16') source = t.float();
  if (t.dtype.is_complex) {
    const data = summarized(resolveConj(source), summarize);
    return tensorBody(data, native.shape(source), indent, summarize, new Formatter(realPart(data)), new Formatter(imagPart(data)));
  }
  const data = summarize ? summarized(source) : source;
  return tensorBody(data, native.shape(source), indent, summarize, new Formatter(data), null);
}

const realPart = aten('real', '');
const imagPart = aten('imag', '');
const resolveConj = aten('resolve_conj', '');

/** Python's get_summarized_data: the edge items of every long dimension. */
function summarized(t: Tensor, summarize = true): Tensor {
  if (!summarize) return t;
  const edge = PRINT_OPTS.edgeitems;
  let data = t;
  native.shape(t).forEach((n, d) => {
    if (n > 2 * edge) data = _C.cat([_C.narrow(data, d, 0, edge), _C.narrow(data, d, n - edge, edge)], d);
  });
  return data;
}

function pythonTuple(dims: number[]): string {
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

function addSuffixes(tensorString: string, suffixes: string[], indent: number): string {
  const parts = [tensorString];
  // Python's rfind gives -1 when there is no newline, hence the + 1.
  let lastLineLen = tensorString.length - tensorString.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > PRINT_OPTS.linewidth) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

function hasDefaultDtype(d: dtype): boolean {
  const def = get_default_dtype();
  const complexDefault = def === float64 ? complex128 : complex64;
  return d === def || d === complexDefault || d === int64 || d === boolDtype;
}

/** repr(tensor) as PyTorch 1.13 writes it. */
export function tensorRepr(t: Tensor, prefix = 'tensor('): string {
  const wasEnabled = native.isGradEnabled();
  native.setGradEnabled(false);
  try {
    const indent = prefix.length;
    const suffixes: string[] = [];
    const deviceText = native.device(t);
    if (deviceText !== 'cpu') suffixes.push(`device='${deviceText}'`);
    let body: string;
    const d = t.dtype;
    if (deviceText === 'meta') {
      // A meta tensor has a shape and no values; Python prints '...' and the size.
      suffixes.push(`size=${pythonTuple(native.shape(t))}`);
      if (d !== get_default_dtype()) suffixes.push(`dtype=${String(d)}`);
      body = '...';
    } else if (t.numel() === 0) {
      if (t.ndim !== 1) suffixes.push(`size=${pythonTuple(native.shape(t))}`);
      if (d !== get_default_dtype()) suffixes.push(`dtype=${String(d)}`);
      body = '[]';
    } else {
      if (!hasDefaultDtype(d)) suffixes.push(`dtype=${String(d)}`);
      body = tensorStr(t, indent);
    }
    const gradFn = native.gradFn(t);
    if (gradFn !== null) suffixes.push(`grad_fn=<${gradFn}>`);
    else if (native.requiresGrad(t)) suffixes.push('requires_grad=True');
    return addSuffixes(prefix + body, suffixes, indent);
  } finally {
    native.setGradEnabled(wasEnabled);
  }
}
