// Where kctl runs from, apart from the cluster's processes so `kctl version --client` finds its
// package.json without loading what starting a cluster needs (child_process, https).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout kctl runs from: the nearest folder above this module with a package.json, so the
 * answer is the same from dist/src/cli/cluster/ (tsc's output) and from the bundle in dist/cli/. */
export const REPO_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

function packageRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new Error(`kctl: no package.json above ${dir}`);
  }
}
