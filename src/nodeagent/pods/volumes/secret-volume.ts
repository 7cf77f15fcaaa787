// secret volumes (and projected secret sources): the Secret's keys as read-only files.
import type { Secret, SecretProjection } from 'kubernetes-types/core/v1.js';
import { getOptional } from '../container-env.js';
import { base64Data, keyToPathPayload, MountError, type Payload } from './payload.js';
import type { VolumeContext } from './volume-context.js';

export const SECRET_PLUGIN = 'secret';

/** The files of a Secret; empty for a missing optional one. */
export async function secretPayload(ctx: VolumeContext, source: SecretProjection, defaultMode: number | undefined): Promise<Payload> {
  const name = source.name ?? '';
  const secret = await getOptional<Secret>(ctx.client, 'Secret', ctx.pod.metadata?.namespace ?? 'default', name);
  if (!secret) {
    if (source.optional) return new Map();
    throw new MountError(`secret "${name}" not found`);
  }
  return keyToPathPayload(base64Data(secret.data), source.items, defaultMode, source.optional, (key) => `references non-existent secret key: ${key}`);
}
