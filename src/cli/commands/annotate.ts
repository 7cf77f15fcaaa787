// kctl annotate: add, change (--overwrite) or remove (`key-`) annotations, as kubectl annotate.
import type { Command } from 'commander';
import { registerMetadataCommand } from '../metadata-command.js';
import { ANNOTATION } from '../metadata-pairs.js';

export function register(program: Command): void {
  registerMetadataCommand(program, ANNOTATION, 'Update the annotations on a resource');
}
