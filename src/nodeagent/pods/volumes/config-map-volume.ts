// configMap volumes (and projected configMap sources): the ConfigMap's keys as read-only files.
import type { ConfigMap, ConfigMapProjection } from 'kubernetes-types/core/v1.js';
import { getOptional } from '../container-env.js';
import { base64Data, keyToPathPayload, MountError, type Payload } from './payload.js';
import type { VolumeContext } from './volume-context.js';

export const CONFIG_MAP_PLUGIN = 'configmap';

/** The files of a ConfigMap; empty for a missing optional one. */
export async function configMapPayload(ctx: VolumeContext, source: ConfigMapProjection, defaultMode: number | undefined): Promise<Payload> {
  const name = source.name ?? '';
  const cm = await getOptional<ConfigMap>(ctx.client, 'ConfigMap', ctx.pod.metadata?.namespace ?? 'default', name);
  if (!cm) {
    if (source.optional) return new Map();
    throw new MountError(`configmap "${name}" not found`);
  }
  const data = { ...base64Data(cm.binaryData), ...Object.fromEntries(Object.entries(cm.data ?? {}).map(([k, v]) => [k, Buffer.from(v)])) };
  return keyToPathPayload(data, source.items, defaultMode, source.optional, (key) => `configmap references non-existent config key: ${key}`);
}
