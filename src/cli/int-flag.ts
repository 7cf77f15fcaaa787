// Integer flags parsed as cobra's int flags are, with its error text for a value that is not one.
import { CliError } from './errors.js';

export function intFlag(flag: string) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new CliError(`invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
    return Number(value);
  };
}
