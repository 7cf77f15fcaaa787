// kctl loads only the command being run, from a table (command-table.ts): a command module missing
// from it would never run. Every module under cli/commands that registers a top-level command (one no other
// command module imports) must be in the table under the names it registers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { COMMAND_MODULES, connectsToCluster } from '../../src/cli/command-table.js';
import { loadCommand } from '../../src/cli/main.js';
import { processStreams } from '../../src/cli/io-streams.js';
import type { Register } from '../../src/cli/program.js';

const commandsDir = fileURLToPath(new URL('../../src/cli/commands/', import.meta.url));

/** The command modules: commands/x.js and commands/x/index.js. */
function commandModules(): string[] {
  return readdirSync(commandsDir, { withFileTypes: true }).flatMap((e) => {
    if (e.isFile() && e.name.endsWith('.js')) return [join(commandsDir, e.name)];
    const index = join(commandsDir, e.name, 'index.js');
    return e.isDirectory() && existsSync(index) ? [index] : [];
  });
}

/** Modules another command module imports are its subcommands, registered by that module. */
function importedByAnother(file: string, all: string[]): boolean {
  const name = basename(file) === 'index.js' ? `${basename(join(file, '..'))}/index.js` : basename(file);
  return all.some((other) => other !== file && readFileSync(other, 'utf8').includes(`./${name}'`));
}

test('every top-level command module is in the lazy-loading table under the names it registers', async () => {
  const all = commandModules();
  const topLevel = all.filter((f) => !importedByAnother(f, all));
  assert.ok(topLevel.length >= 30, `found only ${topLevel.length} command modules in ${commandsDir}`);
  for (const file of topLevel) {
    const mod = (await import(file)) as { register?: Register };
    if (!mod.register) continue;
    const program = new Command();
    mod.register(program, processStreams());
    for (const c of program.commands) {
      assert.ok(Object.hasOwn(COMMAND_MODULES, c.name()), `${file} registers "${c.name()}", which command-table.ts lacks`);
      const loaded = await loadCommand(c.name());
      assert.equal(loaded.register, mod.register, `COMMAND_MODULES["${c.name()}"] loads another module than ${file}`);
    }
  }
});

test('the table names no command its module does not register', async () => {
  for (const name of Object.keys(COMMAND_MODULES)) {
    const program = new Command();
    (await loadCommand(name)).register(program, processStreams());
    assert.ok(program.commands.some((c) => c.name() === name), `COMMAND_MODULES["${name}"] loads a module that registers ${program.commands.map((c) => c.name())}`);
  }
});

test('commands that talk to a cluster are told from help and the offline ones (bin/kctl builds the TLS store first for them)', () => {
  for (const argv of [['get', 'pods'], ['-n', 'kube-system', 'logs', 'x'], ['--context', 'config', 'apply', '-f', 'x.yaml'], ['cluster', 'up']]) {
    assert.equal(connectsToCluster(argv), true, argv.join(' '));
  }
  for (const argv of [[], ['--help'], ['version', '--client'], ['config', 'view'], ['completion', 'bash'], ['kustomize', '.'], ['no-such-command']]) {
    assert.equal(connectsToCluster(argv), false, argv.join(' '));
  }
});
