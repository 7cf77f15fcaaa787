// kctl auth: what the API server lets you do (can-i) and who it takes you for (whoami).
import type { Command } from 'commander';
import { register as registerCanI } from './can-i.js';
import { register as registerWhoami } from './whoami.js';
import type { IOStreams } from '../../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  const auth = program.command('auth').description('Inspect authorization');
  for (const sub of [registerCanI, registerWhoami]) sub(auth, io);
  auth.commands.forEach((c) => c.exitOverride());
}
