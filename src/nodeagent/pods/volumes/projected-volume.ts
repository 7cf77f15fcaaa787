// projected volumes: configMap, secret, downwardAPI and serviceAccountToken sources in one directory.
import type { ProjectedVolumeSource } from 'kubernetes-types/core/v1.js';
import { configMapPayload } from './config-map-volume.js';
import { downwardAPIPayload } from './downward-api-volume.js';
import { DEFAULT_MODE, type Payload } from './payload.js';
import { secretPayload } from './secret-volume.js';
import type { VolumeContext } from './volume-context.js';

export const PROJECTED_PLUGIN = 'projected';

export async function projectedPayload(ctx: VolumeContext, source: ProjectedVolumeSource): Promise<Payload> {
  const mode = source.defaultMode ?? DEFAULT_MODE;
  const payload: Payload = new Map();
  for (const s of source.sources ?? []) {
    let part: Payload = new Map();
    if (s.configMap) part = await configMapPayload(ctx, s.configMap, mode);
    else if (s.secret) part = await secretPayload(ctx, s.secret, mode);
    else if (s.downwardAPI) part = downwardAPIPayload(ctx.pod, s.downwardAPI.items, mode, ctx);
    else if (s.serviceAccountToken) {
      const token = await ctx.tokens.token(ctx.pod, s.serviceAccountToken);
      part.set(s.serviceAccountToken.path, { data: Buffer.from(token), mode });
    }
    for (const [path, file] of part) payload.set(path, file);
  }
  return payload;
}
