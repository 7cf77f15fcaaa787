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

/** Splits the positional arguments at `--` (as cobra's ArgsLenAtDash) into the NAME and the command. */
export function nameAndCommand(args: string[], cmd: Command): { name: string; command: string[] } {
  const raw: string[] = (root(cmd) as unknown as { rawArgs: string[] }).rawArgs ?? [];
  const dash = raw.indexOf('--');
  const afterDash = dash < 0 ? 0 : raw.length - dash - 1;
  const before = args.length - afterDash;
  if (before !== 1) throw new CliError(`exactly one NAME is required, got ${before}\nSee '${commandPath(cmd)} -h' for help and examples`);
  return { name: args[0], command: args.slice(1) };
}

/** The one NAME argument of a `create <kind>` command. */
export function exactlyOneName(args: string[], cmd: Command): string {
  if (args.length !== 1) throw new CliError(`exactly one NAME is required, got ${args.length}\nSee '${commandPath(cmd)} -h' for help and examples`);
  return args[0];
}
