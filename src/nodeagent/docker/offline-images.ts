// The images kctl makes without a registry: root filesystems assembled in memory around the host's
// statically linked busybox (Debian's busybox-static) and imported as one-layer images, which
// takes a fraction of a second and needs no base image.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from '../../api/images.js';
import type { DockerClient } from './docker-client.js';
import { isConflict, isNotFound } from './errors.js';
import { createTar, type TarEntry } from '../../api/tar-archive.js';

export const BUSYBOX_BINARY = '/bin/busybox';

export class BusyboxMissingError extends Error {
  override readonly name = 'BusyboxMissingError';

  constructor(path: string, cause: Error) {
    super(`${path} is missing, and kctl builds its images from it: apt-get install busybox-static`, { cause });
  }
}

interface Busybox {
  binary: Buffer;
  /** Where `busybox --install -s` links each applet: `bin/sh`, `usr/bin/awk`, … */
  appletPaths: string[];
}

interface ImageRecipe {
  image: string;
  rootfs(busybox: Busybox): TarEntry[];
  /** Dockerfile instructions for the image's config. */
  changes: string[];
}

const PATH_ENV = 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\n';

// PID 1 receives no signal it has no handler for, so a bare `sleep` would ignore SIGTERM and wait
// for SIGKILL. A shell trapping TERM and INT exits 0 at once; and as ash waits for any child
// (waitpid(-1)), it also reaps the orphans of a pod sharing its process namespace, as Kubernetes'
// pause does. Nothing but busybox itself is in the image, no applet links, no shell on the PATH.
const PAUSE_SCRIPT = "trap 'exit 0' TERM INT; while :; do /bin/busybox sleep 3600 & wait; done";

const RECIPES: readonly ImageRecipe[] = [
  {
    image: BUSYBOX_IMAGE,
    rootfs: (busybox) => [
      ...directories(['bin', 'etc', 'home', 'var', ...busybox.appletPaths.map(dirname)]),
      { type: 'directory', path: 'root', mode: 0o700 },
      { type: 'directory', path: 'tmp', mode: 0o1777 },
      { type: 'file', path: 'bin/busybox', content: busybox.binary, mode: 0o755 },
      ...busybox.appletPaths
        .filter((path) => path !== 'bin/busybox')
        .map((path): TarEntry => ({ type: 'symlink', path, target: '/bin/busybox' })),
      { type: 'file', path: 'etc/passwd', content: PASSWD },
      { type: 'file', path: 'etc/group', content: GROUP },
    ],
    changes: [PATH_ENV, 'CMD ["sh"]'],
  },
  {
    image: PAUSE_IMAGE,
    rootfs: (busybox) => [
      { type: 'directory', path: 'bin' },
      { type: 'file', path: 'bin/busybox', content: busybox.binary, mode: 0o755 },
    ],
    changes: [`ENTRYPOINT ${JSON.stringify(['/bin/busybox', 'sh', '-c', PAUSE_SCRIPT])}`],
  },
];

/** The images prepareOfflineImages makes, in the order it makes them. */
export const OFFLINE_IMAGES: readonly string[] = RECIPES.map((r) => r.image);

export interface PreparedImage {
  image: string;
  /** `sha256:…` */
  id: string;
  /** Whether this run built it (else it was already there). */
  built: boolean;
  /** Time spent on this image, checking included. */
  ms: number;
}

export interface PrepareOptions {
  /** Rebuild images that are already there. */
  force?: boolean;
  /** Default: /bin/busybox. */
  busyboxPath?: string;
}

/** Builds the offline images that are missing (all of them with `force`). */
export async function prepareOfflineImages(docker: DockerClient, opts: PrepareOptions = {}): Promise<PreparedImage[]> {
  let busybox: Promise<Busybox> | undefined;
  const prepared: PreparedImage[] = [];
  for (const recipe of RECIPES) {
    const started = performance.now();
    const existingId = await imageId(docker, recipe.image);
    if (existingId && !opts.force) {
      prepared.push({ image: recipe.image, id: existingId, built: false, ms: performance.now() - started });
      continue;
    }
    busybox ??= readBusybox(opts.busyboxPath ?? BUSYBOX_BINARY);
    const [repository, tag] = splitReference(recipe.image);
    const id = await docker.importImage(createTar(recipe.rootfs(await busybox)), { repository, tag, changes: recipe.changes });
    if (existingId && existingId !== id) await removeReplacedImage(docker, existingId);
    prepared.push({ image: recipe.image, id, built: true, ms: performance.now() - started });
  }
  return prepared;
}

async function imageId(docker: DockerClient, image: string): Promise<string | undefined> {
  try {
    return (await docker.inspectImage(image)).Id;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

// A rebuilt image leaves the old one untagged; it goes unless containers still use it.
async function removeReplacedImage(docker: DockerClient, id: string): Promise<void> {
  try {
    await docker.removeImage(id);
  } catch (err) {
    if (!isConflict(err) && !isNotFound(err)) throw err;
  }
}

async function readBusybox(path: string): Promise<Busybox> {
  let binary: Buffer;
  try {
    binary = await readFile(path);
  } catch (err) {
    throw new BusyboxMissingError(path, err as Error);
  }
  const { stdout } = await promisify(execFile)(path, ['--list-full']);
  return { binary, appletPaths: stdout.split('\n').filter(Boolean) };
}

/** Each directory once, parents before children, as a tar archive needs them. */
function directories(paths: string[]): TarEntry[] {
  const all = new Set<string>();
  for (const path of paths) {
    for (let dir = path; dir !== '.' && dir !== '/'; dir = dirname(dir)) all.add(dir);
  }
  return [...all].sort().map((path): TarEntry => ({ type: 'directory', path }));
}

/** `kctl/pause:1.0` → [`kctl/pause`, `1.0`]; no tag means `latest`. */
function splitReference(image: string): [string, string] {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, 'latest'];
}
