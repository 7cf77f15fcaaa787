// kctl label: add, change (--overwrite) or remove (`key-`) labels, as kubectl label.
import type { Command } from 'commander';
import { registerMetadataCommand } from '../metadata-command.js';
import { LABEL } from '../metadata-pairs.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  registerMetadataCommand(program, io, LABEL, 'Update the labels on a resource');
}
