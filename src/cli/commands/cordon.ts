// kctl cordon NODE: no new pods on the node (spec.unschedulable), as kubectl cordon.
import type { Command } from 'commander';
import { registerCordonCommand } from '../node-cordon.js';

export function register(program: Command): void {
  registerCordonCommand(program, 'cordon', 'Mark node as unschedulable');
}
