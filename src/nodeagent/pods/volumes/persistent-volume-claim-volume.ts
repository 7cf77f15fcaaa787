// persistentVolumeClaim: the claim, then its bound PersistentVolume, whose hostPath or local
// directory on this machine is bound into the containers. The data outlives the pod: tearing the
// pod down leaves the directory; the volume's reclaim decides its fate.
import type { PersistentVolumeClaimVolumeSource } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { setUpHostPath } from './host-path-volume.js';
import { MountError } from './payload.js';
import type { MountSource, VolumeContext } from './volume-context.js';

const PVCS = findByKind('PersistentVolumeClaim')!;
const PVS = findByKind('PersistentVolume')!;

async function getOrMountError(get: () => Promise<KubeObject>, missing: string): Promise<KubeObject> {
  try {
    return await get();
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'NotFound') throw new MountError(missing);
    throw err;
  }
}

export async function setUpPersistentVolumeClaim(ctx: VolumeContext, source: PersistentVolumeClaimVolumeSource): Promise<MountSource> {
  const ns = ctx.pod.metadata!.namespace!;
  const name = source.claimName;
  const pvc = await getOrMountError(() => ctx.client.get(PVCS, ns, name), `persistentvolumeclaim "${name}" not found`);
  if (pvc.metadata.deletionTimestamp) throw new MountError(`persistentvolumeclaim "${name}" is being deleted`);
  const volumeName: string | undefined = pvc.spec?.volumeName;
  if (!volumeName || pvc.status?.phase !== 'Bound') throw new MountError(`PVC ${ns}/${name} is not bound`);
  const pv = await getOrMountError(() => ctx.client.get(PVS, undefined, volumeName), `persistentvolume "${volumeName}" not found`);
  if (pv.spec?.claimRef?.uid && pv.spec.claimRef.uid !== pvc.metadata.uid) {
    throw new MountError(`persistentvolume "${volumeName}" is bound to another claim`);
  }
  const readOnly = source.readOnly === true;
  if (pv.spec?.hostPath) {
    await setUpHostPath(pv.spec.hostPath);
    return { kind: 'bind', path: pv.spec.hostPath.path, readOnly };
  }
  if (pv.spec?.local?.path) {
    // A local volume is a directory that must already exist (Kubernetes never creates it).
    await setUpHostPath({ path: pv.spec.local.path, type: 'Directory' });
    return { kind: 'bind', path: pv.spec.local.path, readOnly };
  }
  throw new MountError(`volume type of persistentvolume "${volumeName}" is not supported by this node (only hostPath and local are)`);
}
