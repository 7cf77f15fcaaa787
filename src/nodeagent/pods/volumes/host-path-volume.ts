// hostPath: a path of the node, checked (or made) according to its `type` as the kubelet does.
import { mkdir, open, stat } from 'node:fs/promises';
import type { HostPathVolumeSource } from 'kubernetes-types/core/v1.js';
import { MountError } from './payload.js';
import type { MountSource } from './volume-context.js';

type Kind = 'directory' | 'file' | 'socket' | 'character device' | 'block device';

async function kindOf(path: string): Promise<Kind | 'missing' | 'other'> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return 'directory';
    if (st.isFile()) return 'file';
    if (st.isSocket()) return 'socket';
    if (st.isCharacterDevice()) return 'character device';
    if (st.isBlockDevice()) return 'block device';
    return 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}

const REQUIRED: Record<string, Kind> = {
  DirectoryOrCreate: 'directory',
  Directory: 'directory',
  FileOrCreate: 'file',
  File: 'file',
  Socket: 'socket',
  CharDevice: 'character device',
  BlockDevice: 'block device',
};

/** The kubelet's hostPath type check; the `…OrCreate` types make what is missing. */
export async function setUpHostPath(source: HostPathVolumeSource): Promise<MountSource> {
  const { path, type = '' } = source;
  let kind = await kindOf(path);
  if (kind === 'missing' && (type === 'DirectoryOrCreate' || type === '')) {
    // With no type the path is not checked; Docker's bind of a missing path made a directory.
    await mkdir(path, { recursive: true, mode: 0o755 });
    kind = 'directory';
  } else if (kind === 'missing' && type === 'FileOrCreate') {
    await (await open(path, 'a', 0o644)).close();
    kind = 'file';
  }
  const required = REQUIRED[type];
  if (required && kind !== required) {
    throw new MountError(`hostPath type check failed: ${path} is not a ${required === 'socket' ? 'socket file' : required}`);
  }
  return { kind: 'bind', path, readOnly: false };
}
