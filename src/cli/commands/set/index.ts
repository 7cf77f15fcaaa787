// kctl set: change a field of existing objects (image, env, resources, serviceaccount).
import type { Command } from 'commander';
import { register as registerImage } from './image.js';
import { register as registerEnv } from './env.js';
import { register as registerResources } from './resources.js';
import { register as registerServiceAccount } from './serviceaccount.js';
import type { IOStreams } from '../../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  const set = program.command('set').description('Set specific features on objects');
  for (const r of [registerImage, registerEnv, registerResources, registerServiceAccount]) r(set, io);
  set.commands.forEach((c) => c.exitOverride());
}
