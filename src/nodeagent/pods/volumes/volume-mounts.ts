// Pure: a container's volumeMounts → Docker mounts over the pod's set-up volumes.
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Mount } from '../../docker/types.js';
import { expand } from '../container-env.js';
import { checkRelativePath, MountError } from './payload.js';
import type { MountSource } from './volume-context.js';

export interface ContainerMounts {
  mounts: Mount[];
  /** subPath directories the kubelet makes inside their volumes when they are missing. */
  subPathDirs: string[];
}

/** `env` expands subPathExpr, as the kubelet expands it with the container's environment. */
export function containerMounts(container: Container, volumes: Map<string, MountSource>, env: Map<string, string>): ContainerMounts {
  const mounts: Mount[] = [];
  const subPathDirs: string[] = [];
  for (const m of container.volumeMounts ?? []) {
    const source = volumes.get(m.name);
    if (!source) throw new MountError(`cannot find volume "${m.name}" to mount into container "${container.name}"`);
    const subPath = m.subPathExpr ? expand(m.subPathExpr, (n) => env.get(n)) : (m.subPath ?? '');
    const readOnly = m.readOnly === true || (source.kind === 'bind' && source.readOnly);
    if (source.kind === 'volume') {
      // API 1.41 cannot mount part of a named volume.
      if (subPath) throw new MountError(`subPath is not supported on emptyDir volumes with medium Memory (volume "${m.name}")`);
      mounts.push({ Type: 'volume', Source: source.name, Target: m.mountPath, ReadOnly: readOnly });
      continue;
    }
    if (subPath) checkRelativePath(subPath);
    const path = subPath ? join(source.path, subPath) : source.path;
    if (subPath) subPathDirs.push(path);
    mounts.push({ Type: 'bind', Source: path, Target: m.mountPath, ReadOnly: readOnly });
  }
  return { mounts, subPathDirs };
}

/** The env entries `NAME=value` as a lookup. */
export function envMap(env: string[]): Map<string, string> {
  return new Map(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}
