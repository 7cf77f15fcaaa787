// Go's number parsing as kubectl's generators use it, so values and error texts match.
import { CliError } from '../errors.js';

/** strconv.Atoi: an optional sign and decimal digits, else undefined. */
export function atoi(value: string): number | undefined {
  return /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

/** strconv.Atoi with its error. */
export function mustAtoi(value: string): number {
  const n = atoi(value);
  if (n === undefined) throw new CliError(`strconv.Atoi: parsing "${value}": invalid syntax`);
  return n;
}

/** intstr.Parse: a number when the text is one, else the text (a port name). */
export function intOrString(value: string): number | string {
  return atoi(value) ?? value;
}

/** utilnet.ParsePort(value, allowZero=true): strconv.ParseUint with 16 bits. */
export function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(`strconv.ParseUint: parsing "${value}": invalid syntax`);
  const n = Number(value);
  if (n > 65535) throw new CliError(`strconv.ParseUint: parsing "${value}": value out of range`);
  return n;
}
