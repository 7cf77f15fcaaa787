// The images of the Django example (examples/: PostgreSQL 15, Redis 7.0, the visits app on Django
// 3.2, Debian 12's), built from Debian's packages with no registry: one shared base from debootstrap, then one
// build per image adding its packages from the same mirror. Each image carries the hash of its
// recipe, so a rebuild happens only when a recipe (or the base) changed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createTar, type TarEntry } from '../../api/tar-archive.js';
import { type DockerClient, isNotFound, type PreparedImage } from '../../nodeagent/machine-runtime.js';
import { splitImage } from '../../api/images.js';
import { REPO_ROOT } from '../cluster/repo-root.js';
import { buildDebianBase, DEBIAN_SUITE } from './debian-base.js';

/** What the examples' Dockerfiles start FROM. */
export const EXAMPLES_BASE = `kctl-examples/debian:${DEBIAN_SUITE}`;
const RECIPE_LABEL = 'io.kctl.recipe';
// Bump when debian-base.ts builds the base differently.
const BASE_RECIPE = `debootstrap --variant=minbase ${DEBIAN_SUITE} v1`;
const BASE_CHANGES = ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'ENV LANG=C.UTF-8', 'CMD ["bash"]'];

/** Each example image and the folder of examples/ it is built from (its Dockerfile and files). */
export const EXAMPLE_IMAGES: ReadonlyArray<{ image: string; dir: string }> = [
  { image: 'kctl-examples/postgres:15', dir: 'postgres' },
  { image: 'kctl-examples/redis:7.0', dir: 'redis' },
  { image: 'kctl-examples/django:1.0', dir: 'django' },
];

function filesUnder(dir: string): TarEntry[] {
  const out: TarEntry[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = statSync(path);
      if (name === '__pycache__') continue;
      if (st.isDirectory()) {
        out.push({ type: 'directory', path: relative(dir, path) });
        walk(path);
      } else out.push({ type: 'file', path: relative(dir, path), content: readFileSync(path), mode: st.mode & 0o111 ? 0o755 : 0o644 });
    }
  };
  walk(dir);
  return out;
}

function recipeHash(parts: Array<string | Buffer>): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(part).update('\0');
  return h.digest('hex').slice(0, 16);
}

async function recipeOf(docker: DockerClient, image: string): Promise<string | undefined> {
  try {
    return (await docker.inspectImage(image)).Config?.Labels?.[RECIPE_LABEL] ?? '';
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export interface ExampleBuildOptions {
  force?: boolean;
  /** debootstrap's and the builds' output, line by line. */
  log(line: string): void;
}

/** Builds the base and the example images whose recipe changed (all with `force`). */
export async function prepareExampleImages(docker: DockerClient, opts: ExampleBuildOptions): Promise<PreparedImage[]> {
  const prepared: PreparedImage[] = [];
  const baseHash = recipeHash([BASE_RECIPE, ...BASE_CHANGES]);
  let started = performance.now();
  let built = opts.force || (await recipeOf(docker, EXAMPLES_BASE)) !== baseHash;
  if (built) {
    const { repository, tag } = splitImage(EXAMPLES_BASE);
    await buildDebianBase(docker, repository, tag, [...BASE_CHANGES, `LABEL ${RECIPE_LABEL}=${baseHash}`], opts.log);
  }
  prepared.push({ image: EXAMPLES_BASE, id: (await docker.inspectImage(EXAMPLES_BASE)).Id, built, ms: performance.now() - started });
  for (const { image, dir } of EXAMPLE_IMAGES) {
    started = performance.now();
    const context = filesUnder(join(REPO_ROOT, 'examples', dir));
    const hash = recipeHash([baseHash, ...context.flatMap((e) => [e.path, e.type === 'file' ? e.content : e.type])]);
    built = opts.force || (await recipeOf(docker, image)) !== hash;
    if (built) {
      const result = await docker.buildImage(createTar(context), { tag: image, labels: { [RECIPE_LABEL]: hash }, networkMode: 'host' });
      for (const line of result.output.split('\n').filter(Boolean)) opts.log(line);
    }
    prepared.push({ image, id: (await docker.inspectImage(image)).Id, built, ms: performance.now() - started });
  }
  return prepared;
}
