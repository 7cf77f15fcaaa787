// emptyDir: a directory of the pod under the node's data dir, or with `medium: Memory` a tmpfs as a
// Docker named volume (local driver) so every container of the pod mounts the same tmpfs.
import { chmod, mkdir } from 'node:fs/promises';
import type { EmptyDirVolumeSource, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../../api/quantity.js';
import { CONTAINER_NAME_LABEL, podLabels } from '../containers.js';
import type { MountSource, VolumeContext } from './volume-context.js';

export const EMPTY_DIR_PLUGIN = 'empty-dir';

/** The Docker volume of a Memory emptyDir; unique per pod and volume. */
export function tmpfsVolumeName(pod: Pod, volume: string): string {
  return `kctl_${pod.metadata!.uid}_${volume}`;
}

/** tmpfs size as the kubelet sizes memory-backed volumes: sizeLimit, else the node's allocatable memory. */
export function tmpfsSizeBytes(source: EmptyDirVolumeSource, allocatable: Record<string, string>): bigint | undefined {
  const text = source.sizeLimit ?? allocatable.memory;
  return text === undefined ? undefined : Quantity.parse(text)?.value();
}

export async function setUpEmptyDir(ctx: VolumeContext, name: string, source: EmptyDirVolumeSource): Promise<MountSource> {
  if (source.medium === 'Memory') {
    const size = tmpfsSizeBytes(source, ctx.allocatable);
    // The volume belongs to the pod, not to one container.
    const { [CONTAINER_NAME_LABEL]: _container, ...labels } = podLabels(ctx.pod, ctx.placement, '');
    const volumeName = tmpfsVolumeName(ctx.pod, name);
    // Creating an existing volume with the same options answers with that volume.
    await ctx.docker.createVolume({
      Name: volumeName,
      Driver: 'local',
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', ...(size !== undefined ? { o: `size=${size}` } : {}) },
      Labels: labels,
    });
    return { kind: 'volume', name: volumeName };
  }
  const path = ctx.dir(EMPTY_DIR_PLUGIN);
  await mkdir(path, { recursive: true });
  // As the kubelet: writable by any user a container runs as.
  await chmod(path, 0o777);
  return { kind: 'bind', path, readOnly: false };
}
