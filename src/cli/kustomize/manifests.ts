// The objects a kustomization builds as manifests, for `apply -k` (errors name the directory).
import { Document, LineCounter } from 'yaml';
import type { Manifest } from '../manifest/read-manifests.js';
import { kustomizeBuild } from './build.js';

export function kustomizeManifests(dir: string): Manifest[] {
  const { objects, warnings } = kustomizeBuild(dir);
  for (const w of warnings) process.stderr.write(`${w}\n`);
  return objects.map((obj, i) => ({ source: dir, index: i + 1, doc: new Document(obj), lines: new LineCounter(), obj }));
}
