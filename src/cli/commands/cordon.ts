// kctl cordon NODE: no new pods on the node (spec.unschedulable), as kubectl cordon.
import type { Command } from 'commander';
import { registerCordonCommand } from '../node-cordon.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  registerCordonCommand(program, io, 'cordon', 'Mark node as unschedulable');
}
