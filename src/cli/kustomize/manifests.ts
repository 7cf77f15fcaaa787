// The objects a kustomization builds as manifests, for `apply|create|delete -k` (errors name the
// directory), and the choice between -f and -k those commands share.
import { Document, LineCounter } from 'yaml';
import { CliError } from '../errors.js';
import { readManifests, type Manifest } from '../manifest/read-manifests.js';
import { kustomizeBuild } from './build.js';
import type { IOStreams } from '../io-streams.js';

export function kustomizeManifests(io: IOStreams, dir: string): Manifest[] {
  const { objects, warnings } = kustomizeBuild(dir);
  for (const w of warnings) io.errOut.write(`${w}\n`);
  return objects.map((obj, i) => ({ source: dir, index: i + 1, doc: new Document(obj), lines: new LineCounter(), obj }));
}

/** The manifests of -f (files, directories, stdin) or of -k (a kustomization), never both. */
export async function manifestsOf(io: IOStreams, opts: { filename: string[]; recursive: boolean; kustomize?: string }): Promise<Manifest[]> {
  if (opts.kustomize && opts.filename.length) throw new CliError('only one of -f or -k can be specified');
  return opts.kustomize ? kustomizeManifests(io, opts.kustomize) : readManifests(io, opts.filename, opts.recursive);
}
