// kubectl's `create <kind> NAME [-- COMMAND...]` argument handling: exactly one NAME before `--`.
import type { Command } from 'commander';
import { CliError } from './errors.js';

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function root(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

/** cobra's ArgsLenAtDash: how many positional arguments came before `--`, or -1 without one. */
export function argsLenAtDash(args: string[], cmd: Command): number {
  const raw: string[] = (root(cmd) as unknown as { rawArgs: string[] }).rawArgs ?? [];
  const dash = raw.indexOf('--');
  return dash < 0 ? -1 : args.length - (raw.length - dash - 1);
}

/** Splits the positional arguments at `--` into the NAME and the command. */
export function nameAndCommand(args: string[], cmd: Command): { name: string; command: string[] } {
  const atDash = argsLenAtDash(args, cmd);
  const before = atDash < 0 ? args.length : atDash;
  if (before !== 1) throw new CliError(`exactly one NAME is required, got ${before}\nSee '${commandPath(cmd)} -h' for help and examples`);
  return { name: args[0], command: args.slice(1) };
}

/** The one NAME argument of a `create <kind>` command. */
export function exactlyOneName(args: string[], cmd: Command): string {
  if (args.length !== 1) throw new CliError(`exactly one NAME is required, got ${args.length}\nSee '${commandPath(cmd)} -h' for help and examples`);
  return args[0];
}
