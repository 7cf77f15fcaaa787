// kctl uncordon NODE: the node takes new pods again, as kubectl uncordon.
import type { Command } from 'commander';
import { registerCordonCommand } from '../node-cordon.js';

export function register(program: Command): void {
  registerCordonCommand(program, 'uncordon', 'Mark node as schedulable');
}
