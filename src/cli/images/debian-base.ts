// The Debian 12 (bookworm) base of the example images, made with no registry: debootstrap's
// minbase variant from the Debian mirror this computer's apt uses, imported as a one-layer image.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerClient } from '../../nodeagent/machine-runtime.js';

export const DEBIAN_SUITE = 'bookworm';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
/** Downloaded packages, kept so that a rebuild fetches nothing again. */
export const DEBOOTSTRAP_CACHE = '/var/cache/kctl/debootstrap';
const SOURCES = '/etc/apt/sources.list';
const SOURCES_DIR = '/etc/apt/sources.list.d';

/**
 * The mirror serving `suite` in apt's sources, one-line (`deb URI suite comp`) or deb822
 * (`URIs:` / `Suites:` stanzas); Debian's own when none does.
 */
export function debianMirror(sources: string[], suite = DEBIAN_SUITE): string {
  for (const text of sources) {
    for (const line of text.split('\n')) {
      const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
      if (m && m[2] === suite) return m[1];
    }
    for (const stanza of text.split(/\n\s*\n/)) {
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(stanza)?.[1].trim().split(/\s+/) ?? [];
      if (field('Types').includes('deb') && field('Suites').includes(suite) && field('URIs')[0]) return field('URIs')[0];
    }
  }
  return DEFAULT_MIRROR;
}

function aptSources(): string[] {
  const files = existsSync(SOURCES) ? [SOURCES] : [];
  if (existsSync(SOURCES_DIR)) files.push(...readdirSync(SOURCES_DIR).filter((f) => /\.(list|sources)$/.test(f)).sort().map((f) => join(SOURCES_DIR, f)));
  return files.map((f) => readFileSync(f, 'utf8'));
}

/** Runs a program to its end; its output goes to `log` line by line; fails with its last lines. */
function runLogged(command: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const last: string[] = [];
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        last.push(line);
        if (last.length > 10) last.shift();
        log(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new Error(`${command} is not installed (Debian: apt-get install ${command}; scripts/ensure-docker.sh does it)`) : err));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}):\n${last.join('\n')}`))));
  });
}

/** debootstrap --variant=minbase into a temporary root, imported as `repository:tag` with `changes`. */
export async function buildDebianBase(docker: DockerClient, repository: string, tag: string, changes: string[], log: (line: string) => void): Promise<string> {
  if (process.getuid?.() !== 0) throw new Error('debootstrap needs root to build the example images\' base');
  mkdirSync(DEBOOTSTRAP_CACHE, { recursive: true });
  const root = mkdtempSync('/var/tmp/kctl-rootfs-');
  try {
    const mirror = debianMirror(aptSources());
    log(`debootstrap --variant=minbase ${DEBIAN_SUITE} from ${mirror}`);
    await runLogged('debootstrap', ['--variant=minbase', `--cache-dir=${DEBOOTSTRAP_CACHE}`, DEBIAN_SUITE, root, mirror], log);
    // The root's /dev nodes and owners go in as they are: the engine makes its own /dev over them.
    const tar = spawn('tar', ['-C', root, '--numeric-owner', '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => tar.on('close', resolve));
    const id = await docker.importImage(tar.stdout, { repository, tag, changes });
    if ((await exited) !== 0) throw new Error(`tar of ${root} failed`);
    return id;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
