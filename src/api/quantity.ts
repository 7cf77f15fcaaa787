// Resource quantities (`500m`, `1.5Gi`, `1e3`) as apimachinery's resource.Quantity handles them:
// exact values to the nano, sums that keep the first operand's format, and the canonical
// String() kubectl prints (`0.5` is `500m`, `1536Mi` stays, `2048Ki` is `2Mi`).

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

const NANO = 1_000_000_000n;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

// Rounds away from zero, as Quantity does when a value is finer than a nano.
function divideRoundingUp(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor;
  if (value % divisor === 0n) return quotient;
  return value < 0n ? quotient - 1n : quotient + 1n;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

export class Quantity {
  /** The value in billionths; format is how String() renders it. */
  private constructor(
    readonly nanos: bigint,
    readonly format: QuantityFormat,
  ) {}

  static readonly ZERO = new Quantity(0n, 'DecimalSI');

  /** A whole number of units in a format, as resource.NewQuantity makes one (`BinarySI` bytes print as `Ki`, `Mi`...). */
  static of(value: number | bigint, format: QuantityFormat): Quantity {
    return new Quantity(BigInt(value) * NANO, format);
  }

  /** A count of billionths, as resource.NewScaledQuantity(n, -9) makes one (CPU in nanocores). */
  static ofNanos(nanos: number | bigint): Quantity {
    return new Quantity(BigInt(nanos), 'DecimalSI');
  }

  /** Parses a quantity; undefined when it is not one. Surrounding white space is ignored, as Kubernetes' JSON decoding ignores it. */
  static parse(input: string | number): Quantity | undefined {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*|[eE][+-]?\d+)$/.exec(String(input).trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const [, sign, whole, fraction = '', suffix] = m;
    let digits = BigInt(`${whole}${fraction}` || '0');
    let exponent10 = -fraction.length;
    let format: QuantityFormat;
    if (suffix in DECIMAL_SUFFIXES) {
      format = 'DecimalSI';
      exponent10 += DECIMAL_SUFFIXES[suffix];
    } else if (suffix in BINARY_SUFFIXES) {
      format = 'BinarySI';
      digits <<= BigInt(BINARY_SUFFIXES[suffix]);
    } else if (/^[eE][+-]?\d+$/.test(suffix)) {
      format = 'DecimalExponent';
      exponent10 += Number(suffix.slice(1));
    } else {
      return undefined;
    }
    const scaled = exponent10 + 9 >= 0 ? digits * pow10(exponent10 + 9) : divideRoundingUp(digits, pow10(-(exponent10 + 9)));
    return new Quantity(sign === '-' ? -scaled : scaled, format);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  /** A sum takes this quantity's format, or the other's when this one is zero. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.isZero() ? other.format : this.format);
  }

  /** A difference takes this quantity's format, or the other's when this one is zero. */
  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.isZero() ? other.format : this.format);
  }

  cmp(other: Quantity): number {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  /** The value in thousandths, rounded up. */
  milliValue(): bigint {
    return divideRoundingUp(this.nanos, 1_000_000n);
  }

  /** The value, rounded up to a whole number. */
  value(): bigint {
    return divideRoundingUp(this.nanos, NANO);
  }

  toString(): string {
    if (this.nanos === 0n) return '0';
    const binaryExact = this.format === 'BinarySI' && abs(this.nanos) >= 1024n * NANO && this.nanos % NANO === 0n;
    if (binaryExact) {
      let amount = this.nanos / NANO;
      let exponent = 0;
      while (abs(amount) >= 1024n && amount % 1024n === 0n) {
        amount /= 1024n;
        exponent += 10;
      }
      return `${amount}${BINARY_BY_EXPONENT.get(exponent) ?? ''}`;
    }
    let amount = this.nanos;
    let exponent = -9;
    while (abs(amount) >= 10n && amount % 10n === 0n) {
      amount /= 10n;
      exponent++;
    }
    // Exponents are shown in steps of three, the SI suffixes.
    const excess = ((exponent % 3) + 3) % 3;
    amount *= pow10(excess);
    exponent -= excess;
    if (this.format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
    return `${amount}${DECIMAL_BY_EXPONENT.get(exponent) ?? `e${exponent}`}`;
  }
}

/** A quantity's canonical text; text that is not a quantity is shown as it is. */
export function canonicalQuantity(input: string | number): string {
  return Quantity.parse(input)?.toString() ?? String(input);
}
