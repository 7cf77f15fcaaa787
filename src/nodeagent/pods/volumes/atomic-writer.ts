// Writes a volume's files as the kubelet's AtomicWriter does: into a fresh timestamped directory,
// published by renaming a `..data` symlink onto it, with each top-level file a symlink through
// `..data`. A container reading the volume sees the old set or the new one, never a mix.
import { mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, symlink, writeFile, chmod, lstat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkRelativePath, type Payload } from './payload.js';

const DATA_DIR_NAME = '..data';
const NEW_DATA_DIR_NAME = '..data_tmp';

function timestampDirPrefix(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

async function currentDataDir(target: string): Promise<string | undefined> {
  try {
    return await readlink(join(target, DATA_DIR_NAME));
  } catch {
    return undefined;
  }
}

async function sameContent(dir: string, payload: Payload): Promise<boolean> {
  for (const [path, file] of payload) {
    try {
      const [data, st] = await Promise.all([readFile(join(dir, path)), lstat(join(dir, path))]);
      if (!data.equals(file.data) || (st.mode & 0o7777) !== file.mode) return false;
    } catch {
      return false;
    }
  }
  return (await listFiles(dir)).length === payload.size;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

function topLevel(paths: Iterable<string>): Set<string> {
  return new Set([...paths].map((p) => p.split('/')[0]));
}

/** Makes `target` hold exactly `payload`; does nothing when it already does. */
export async function writeAtomically(target: string, payload: Payload, now = new Date()): Promise<void> {
  for (const path of payload.keys()) checkRelativePath(path);
  await mkdir(target, { recursive: true, mode: 0o755 });
  const old = await currentDataDir(target);
  if (old && (await sameContent(join(target, old), payload))) return;
  const fresh = await mkdtemp(join(target, timestampDirPrefix(now)));
  await chmod(fresh, 0o755);
  for (const [path, file] of payload) {
    const full = join(fresh, path);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, file.data);
    // writeFile's mode is filtered by the umask; the volume's mode must be exact.
    await chmod(full, file.mode);
  }
  const tmpLink = join(target, NEW_DATA_DIR_NAME);
  await rm(tmpLink, { force: true });
  await symlink(fresh.slice(target.length + 1), tmpLink);
  await rename(tmpLink, join(target, DATA_DIR_NAME));
  const visible = topLevel(payload.keys());
  for (const name of visible) {
    try {
      await symlink(join(DATA_DIR_NAME, name), join(target, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if (old) {
    const stale = [...topLevel(await listFiles(join(target, old)))].filter((n) => !visible.has(n));
    await Promise.all([...stale.map((n) => rm(join(target, n), { force: true })), rm(join(target, old), { recursive: true, force: true })]);
  }
}
