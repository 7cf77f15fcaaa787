// downwardAPI volumes (and projected downwardAPI sources): the pod's metadata and its containers'
// resources as files.
import type { Container, DownwardAPIVolumeFile, Pod } from 'kubernetes-types/core/v1.js';
import { fieldRefValue, referencedContainer, resourceFieldValue, type PodAddresses } from '../container-env.js';
import { DEFAULT_MODE, MountError, type Payload } from './payload.js';

export const DOWNWARD_API_PLUGIN = 'downward-api';

export interface DownwardContext extends PodAddresses {
  allocatable: Record<string, string>;
}

/** The files of downwardAPI items: fieldRef values, or resource values of the named container. */
export function downwardAPIPayload(pod: Pod, items: DownwardAPIVolumeFile[] | undefined, defaultMode: number | undefined, ctx: DownwardContext): Payload {
  const payload: Payload = new Map();
  for (const item of items ?? []) {
    let value = '';
    try {
      if (item.fieldRef) value = fieldRefValue(pod, item.fieldRef, ctx);
      else if (item.resourceFieldRef) {
        const container: Container = referencedContainer(pod, undefined, item.resourceFieldRef.containerName);
        value = resourceFieldValue(container, item.resourceFieldRef, ctx.allocatable);
      }
    } catch (err) {
      throw new MountError((err as Error).message);
    }
    payload.set(item.path, { data: Buffer.from(value), mode: item.mode ?? defaultMode ?? DEFAULT_MODE });
  }
  return payload;
}

