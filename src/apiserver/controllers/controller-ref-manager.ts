// Kubernetes' ControllerRefManager: a controller claims the objects its selector matches. It keeps
// what it already controls and still matches, adopts matching orphans (adding its controller
// reference) and releases what it controls but no longer matches (removing the reference).
// Objects another controller owns are never touched. Shared by the ReplicaSet controller (pods)
// and the Deployment controller (ReplicaSets).
import type { ApiClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { controllerOf, controllerReference } from './controller-ref.js';

export interface ClaimPlan {
  /** Controlled already and still matching. */
  owned: KubeObject[];
  /** Orphans that match: to adopt. */
  adopt: KubeObject[];
  /** Controlled but no longer matching: to release. */
  release: KubeObject[];
}

/** Which objects `owner` keeps, adopts and releases (ClaimObject, without the writes). */
export function planClaims(owner: KubeObject, matches: (obj: KubeObject) => boolean, candidates: readonly KubeObject[]): ClaimPlan {
  const plan: ClaimPlan = { owned: [], adopt: [], release: [] };
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  for (const obj of candidates) {
    if (obj.metadata.namespace !== owner.metadata.namespace) continue;
    const ref = controllerOf(obj);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      // Kept even while the owner is being deleted: keeping takes no action.
      if (matches(obj)) plan.owned.push(obj);
      else if (!ownerDeleting) plan.release.push(obj);
      continue;
    }
    if (ownerDeleting || obj.metadata.deletionTimestamp || !matches(obj)) continue;
    plan.adopt.push(obj);
  }
  return plan;
}

export interface ClaimOptions {
  client: ApiClient;
  /** The type of the objects claimed. */
  resource: ResourceType;
  /** The owner's type, to read it afresh before adopting. */
  ownerResource: ResourceType;
}

/**
 * Claims the candidates for `owner` and returns what it controls afterwards. Before the first
 * adoption the owner is read afresh, as Kubernetes' RecheckDeletionTimestamp does, so an owner
 * deleted (or replaced by a namesake) meanwhile adopts nothing.
 */
export async function claimObjects(o: ClaimOptions, owner: KubeObject, matches: (obj: KubeObject) => boolean, candidates: readonly KubeObject[]): Promise<KubeObject[]> {
  const plan = planClaims(owner, matches, candidates);
  const claimed = [...plan.owned];
  const errors: unknown[] = [];
  const ignoreGone = (err: unknown) => {
    if (!(err instanceof ApiError && err.reason === 'NotFound')) errors.push(err);
  };
  if (plan.adopt.length) {
    try {
      await checkCanAdopt(o, owner);
      await Promise.all(
        plan.adopt.map(async (obj) => {
          try {
            await o.client.patch(o.resource, obj.metadata.namespace, obj.metadata.name!, 'strategic', {
              metadata: { ownerReferences: [controllerReference(owner)], uid: obj.metadata.uid },
            });
            claimed.push(obj);
          } catch (err) {
            ignoreGone(err);
          }
        }),
      );
    } catch (err) {
      errors.push(err);
    }
  }
  await Promise.all(
    plan.release.map((obj) =>
      o.client
        .patch(o.resource, obj.metadata.namespace, obj.metadata.name!, 'strategic', {
          metadata: { ownerReferences: [{ $patch: 'delete', uid: owner.metadata.uid }], uid: obj.metadata.uid },
        })
        .catch(ignoreGone),
    ),
  );
  if (errors.length) throw errors[0];
  return claimed;
}

async function checkCanAdopt(o: ClaimOptions, owner: KubeObject): Promise<void> {
  const { namespace, name, uid } = owner.metadata;
  const fresh = await o.client.get(o.ownerResource, namespace, name!);
  if (fresh.metadata.uid !== uid) {
    throw new Error(`original ${owner.kind} ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
  }
  if (fresh.metadata.deletionTimestamp) throw new Error(`${namespace}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
}
