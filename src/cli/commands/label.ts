// kctl label: add, change (--overwrite) or remove (`key-`) labels, as kubectl label.
import type { Command } from 'commander';
import { registerMetadataCommand } from '../metadata-command.js';
import { LABEL } from '../metadata-pairs.js';

export function register(program: Command): void {
  registerMetadataCommand(program, LABEL, 'Update the labels on a resource');
}
