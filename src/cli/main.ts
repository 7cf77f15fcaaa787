// kctl: the command line. Each command lives in its own file under commands/ and loads what it
// needs (YAML, printers, describers) only when it runs, so `kctl get` starts fast. bin/kctl runs the
// bundled commands instead (scripts/bundle-cli.mjs) while the bundle is fresh.
import { COMMAND_MODULES, soleCommand } from './command-table.js';
import { processStreams, type IOStreams } from './io-streams.js';
import { run, type Register } from './program.js';

/** Loads a command's module by its name in the table. */
export function loadCommand(name: string): Promise<{ register: Register }> {
  return import(`./commands/${COMMAND_MODULES[name]}.js`);
}

/** Only the command being run is loaded: `kctl get` never pays for YAML parsing or describers. */
export async function main(argv: string[], io: IOStreams = processStreams()): Promise<number> {
  const sole = soleCommand(argv);
  const names = sole ? [sole] : Object.keys(COMMAND_MODULES);
  const modules = await Promise.all(names.map(loadCommand));
  return run(argv, modules.map((m) => m.register), io);
}
