// kctl uncordon NODE: the node takes new pods again, as kubectl uncordon.
import type { Command } from 'commander';
import { registerCordonCommand } from '../node-cordon.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  registerCordonCommand(program, io, 'uncordon', 'Mark node as schedulable');
}
