// Resource quantities ("500m", "1Gi", "1e3") as numbers, for comparing requests with limits.
// A double keeps quantities of CPU and memory exact enough to compare.

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const SUFFIXES: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity, or undefined when it does not parse as one. */
export function parseQuantity(quantity: string | number | undefined | null): number | undefined {
  if (typeof quantity === 'number') return quantity;
  if (typeof quantity !== 'string') return undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  if (Number.isNaN(number)) return undefined;
  const suffix = match[2];
  if (suffix in SUFFIXES) return number * SUFFIXES[suffix];
  const exponent = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  return exponent ? number * 10 ** Number(exponent[1]) : undefined;
}
