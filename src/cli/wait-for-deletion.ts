// Waits, by watching (not polling), until an object is gone, or has been replaced by a new one of
// the same name (another uid).
import { ApiError } from '../api/errors.js';
import type { HttpClient } from '../api/http-client.js';
import type { ResourceType } from '../api/resources.js';
import { CliError } from './errors.js';

export async function waitForDeletion(
  client: HttpClient,
  r: ResourceType,
  namespace: string | undefined,
  name: string,
  uid: string | undefined,
  timeoutMs: number,
): Promise<void> {
  let rv: string | undefined;
  try {
    const current = await client.get(r, namespace, name);
    if (uid && current.metadata.uid !== uid) return;
    rv = current.metadata.resourceVersion;
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'NotFound') return;
    throw err;
  }
  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const handle = client.watch(r, namespace, { fieldSelector: `metadata.name=${name}`, resourceVersion: rv }, (e) => {
      if (e.type === 'DELETED' || (e.type === 'ADDED' && uid && e.object.metadata.uid !== uid)) finish();
      else if (e.type === 'ERROR') finish(new CliError(`watching ${r.plural}/${name} failed: ${(e.object as any).message}`));
    });
    const finish = (err?: Error) => {
      if (timer) clearTimeout(timer);
      handle.stop();
      if (err) reject(err);
      else resolve();
    };
    if (timeoutMs > 0) timer = setTimeout(() => finish(new CliError(`timed out waiting for the condition on ${r.plural}/${name}`)), timeoutMs);
  });
}
