// Python's float formatting ('{:.4f}', '{:.4e}'), exactly: the decimal digits
// of a double's exact binary value, rounded half to even. JS's toFixed rounds
// ties away from zero and drops the sign of -0, so printing needs its own.

const view = new DataView(new ArrayBuffer(8));

/** |x| as mantissa * 2^exponent, exactly (x finite). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa, exponent: -1074 };
  mantissa |= 1n << 52n;
  return { mantissa, exponent: biased - 1075 };
}

/** round(num / den), ties to even; num, den > 0. */
function divRoundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** |x| * 10^power as an exact fraction. */
function scaled(x: number, power: number): [bigint, bigint] {
  const { mantissa, exponent } = decompose(x);
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (power >= 0) num *= 10n ** BigInt(power);
  else den *= 10n ** BigInt(-power);
  return [num, den];
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Python's '{:.<precision>f}'.format(x). */
export function formatFixed(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special) return special;
  const [num, den] = scaled(x, precision);
  const digits = divRoundHalfEven(num, den).toString().padStart(precision + 1, '0');
  const whole = digits.slice(0, digits.length - precision);
  const frac = digits.slice(digits.length - precision);
  return sign(x) + (precision > 0 ? `${whole}.${frac}` : whole);
}

/** Python's '{:.<precision>e}'.format(x). */
export function formatExp(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special) return special;
  let exp10 = 0;
  let digits: bigint;
  if (x === 0) {
    digits = 0n;
  } else {
    exp10 = Math.floor(Math.log10(Math.abs(x)));
    const lower = 10n ** BigInt(precision);
    const upper = lower * 10n;
    // log10 can be off by one near powers of ten; settle it exactly.
    for (;;) {
      const [num, den] = scaled(x, precision - exp10);
      digits = divRoundHalfEven(num, den);
      if (digits >= upper) exp10++;
      else if (digits < lower) exp10--;
      else break;
    }
  }
  const text = digits.toString().padStart(precision + 1, '0');
  const mantissa = precision > 0 ? `${text[0]}.${text.slice(1)}` : text;
  const expSign = exp10 < 0 ? '-' : '+';
  return `${sign(x)}${mantissa}e${expSign}${String(Math.abs(exp10)).padStart(2, '0')}`;
}

/** Python's repr() of a float: shortest round-trip digits, '1e-05', '0.1', '3.0'. */
export function pyFloatRepr(x: number): string {
  const special = nonFinite(x);
  if (special) return special;
  if (x === 0) return sign(x) + '0.0';
  // toExponential() with no argument gives the shortest digits that round-trip, as Python's repr does.
  const [mantissa, expText] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const digits = mantissa.replace('.', '');
  let body: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    body = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return sign(x) + body;
}
