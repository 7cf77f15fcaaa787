// kctl set: change a field of existing objects (image).
import type { Command } from 'commander';
import { register as registerImage } from './image.js';

export function register(program: Command): void {
  const set = program.command('set').description('Set specific features on objects');
  registerImage(set);
  set.commands.forEach((c) => c.exitOverride());
}
