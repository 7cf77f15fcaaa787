// kctl annotate: add, change (--overwrite) or remove (`key-`) annotations, as kubectl annotate.
import type { Command } from 'commander';
import { registerMetadataCommand } from '../metadata-command.js';
import { ANNOTATION } from '../metadata-pairs.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  registerMetadataCommand(program, io, ANNOTATION, 'Update the annotations on a resource');
}
