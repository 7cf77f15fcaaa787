// kctl machine: acting on one simulated machine of `kctl cluster up --machines N`.
import type { Command } from 'commander';
import { register as registerStopEngine } from './stop-engine.js';
import { register as registerStartEngine } from './start-engine.js';
import type { IOStreams } from '../../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  const machine = program.command('machine').description("Stop or start a simulated machine's Docker engine (clusters made with cluster up --machines)");
  for (const r of [registerStopEngine, registerStartEngine]) r(machine, io);
  machine.commands.forEach((c) => c.exitOverride());
}
