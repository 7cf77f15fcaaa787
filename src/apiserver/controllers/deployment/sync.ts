// The parts of a Deployment's sync every strategy shares (Kubernetes' sync.go): finding or creating
// the new ReplicaSet and numbering revisions, scaling (proportionally in the middle of a rolling
// update), paused deployments, the revision-history cleanup and the status write. `d` is the
// sync's own copy of the Deployment; every write keeps its resourceVersion current.
import { ApiError } from '../../../api/errors.js';
import {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  byCreation,
  equalIgnoreHash,
  findNewReplicaSet,
  revisionOf,
} from '../../../api/deployment-revisions.js';
import { referenceTo } from '../../../api/event-recorder.js';
import { findByKind } from '../../../api/resources.js';
import { controllerOf, controllerReference } from '../controller-ref.js';
import type { Deployment, DeploymentContext, ReplicaSet } from './context.js';
import {
  PROGRESSING,
  Reason,
  calculateStatus,
  getCondition,
  hasProgressDeadline,
  newCondition,
  sameStatus,
  setCondition,
  type DeploymentStatus,
} from './deployment-status.js';
import { computeHash } from './pod-template-hash.js';
import { deploymentSizes, maxRevision, replicasAnnotationsNeedUpdate, setNewReplicaSetAnnotations, setReplicasAnnotations } from './replica-set-annotations.js';
import {
  activeReplicaSets,
  desiredReplicasAnnotation,
  findActiveOrLatest,
  isRollingUpdate,
  isSaturated,
  newRSNewReplicas,
  proportionalSizes,
  replicasOf,
} from './rollout-math.js';

const DEPLOYMENTS = findByKind('Deployment')!;
const REPLICA_SETS = findByKind('ReplicaSet')!;

export interface ReplicaSets {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/** Writes d's status (status subresource, on d's revision). */
export async function updateStatus(ctx: DeploymentContext, d: Deployment, status: DeploymentStatus): Promise<void> {
  const stored = await ctx.client.update(DEPLOYMENTS, d.metadata.namespace, { ...d, status }, { subresource: 'status' });
  d.metadata.resourceVersion = stored.metadata.resourceVersion;
  d.status = stored.status;
}

/**
 * Records the revision on the Deployment (SetDeploymentRevision). Kubernetes' status update also
 * writes annotations; kctl's status subresource writes only status, so this is a metadata patch.
 */
async function setDeploymentRevision(ctx: DeploymentContext, d: Deployment, revision: string): Promise<void> {
  if (d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
  const stored = await ctx.client.patch(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, 'merge', {
    metadata: { annotations: { [REVISION_ANNOTATION]: revision } },
  });
  d.metadata = { ...d.metadata, annotations: stored.metadata.annotations, resourceVersion: stored.metadata.resourceVersion };
}

/**
 * The new ReplicaSet (created when asked and missing) and all the others
 * (getAllReplicaSetsAndSyncRevision). An updated or created new ReplicaSet replaces its entry in
 * rsList, so later steps of the same sync do not write on a stale copy.
 */
export async function getAllReplicaSetsAndSyncRevision(ctx: DeploymentContext, d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<ReplicaSets> {
  const current = findNewReplicaSet(d.spec?.template, rsList);
  const oldRSs = rsList.filter((rs) => rs !== current);
  const newRS = await getNewReplicaSet(ctx, d, rsList, oldRSs, create);
  if (newRS && newRS !== current) {
    const i = rsList.findIndex((rs) => rs.metadata.uid === newRS.metadata.uid);
    if (i >= 0) rsList[i] = newRS;
    else rsList.push(newRS);
  }
  return { newRS, oldRSs };
}

async function getNewReplicaSet(ctx: DeploymentContext, d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d.spec?.template, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) return syncExistingNewReplicaSet(ctx, d, existing, newRevision);
  if (!create) return undefined;

  const ns = d.metadata.namespace!;
  const template = structuredClone(d.spec.template);
  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const name = `${d.metadata.name}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: ns, labels: template.metadata.labels, ownerReferences: [controllerReference(d)] },
    spec: { replicas: 0, ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false);

  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    created = await ctx.client.create(REPLICA_SETS, ns, rs);
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'AlreadyExists') {
      const found = ctx.cachedReplicaSet(ns, name) ?? (await ctx.client.get(REPLICA_SETS, ns, name));
      if (controllerOf(found)?.uid !== d.metadata.uid || !equalIgnoreHash(d.spec.template, found.spec?.template)) {
        // A hash collision: another template hashed the same. A new count gives a new hash next time.
        await updateStatus(ctx, d, { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 });
        throw err;
      }
      created = found;
      alreadyExisted = true;
    } else {
      const msg = `Failed to create new replica set "${name}": ${(err as Error).message}`;
      if (hasProgressDeadline(d)) {
        const status: DeploymentStatus = structuredClone(d.status ?? {});
        setCondition(status, newCondition(PROGRESSING, 'False', Reason.FailedRSCreate, msg, ctx.now()));
        // The bigger problem is reported below; a failed status write adds nothing to it.
        await updateStatus(ctx, d, status).catch(() => {});
      }
      ctx.recorder.event(referenceTo(d), 'Warning', Reason.FailedRSCreate, msg);
      throw err;
    }
  }
  if (!alreadyExisted && replicas > 0) {
    ctx.recorder.event(referenceTo(d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
  }
  await setDeploymentRevision(ctx, d, String(newRevision));
  if (!alreadyExisted && hasProgressDeadline(d)) {
    const status: DeploymentStatus = structuredClone(d.status ?? {});
    setCondition(status, newCondition(PROGRESSING, 'True', Reason.NewReplicaSet, `Created new replica set "${name}"`, ctx.now()));
    await updateStatus(ctx, d, status);
  }
  return created;
}

/** The existing new ReplicaSet gets the Deployment's annotations, revision and minReadySeconds; the Deployment its revision. */
async function syncExistingNewReplicaSet(ctx: DeploymentContext, d: Deployment, existing: ReplicaSet, newRevision: number): Promise<ReplicaSet> {
  const copy = structuredClone(existing);
  const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
  const minReadySeconds = d.spec.minReadySeconds ?? 0;
  if (annotationsUpdated || (copy.spec.minReadySeconds ?? 0) !== minReadySeconds) {
    if (minReadySeconds) copy.spec.minReadySeconds = minReadySeconds;
    else delete copy.spec.minReadySeconds;
    return ctx.client.update(REPLICA_SETS, copy.metadata.namespace, copy);
  }
  await setDeploymentRevision(ctx, d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
  // A deadline added to a Deployment that never had one starts counting from now.
  if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
    const status: DeploymentStatus = structuredClone(d.status ?? {});
    setCondition(status, newCondition(PROGRESSING, 'True', Reason.FoundNewRS, `Found new replica set "${copy.metadata.name}"`, ctx.now()));
    await updateStatus(ctx, d, status);
  }
  return copy;
}

/** Sets a ReplicaSet's size and size annotations; records ScalingReplicaSet when the size changed. */
export async function scaleReplicaSet(ctx: DeploymentContext, rs: ReplicaSet, size: number, d: Deployment, direction: 'up' | 'down' | undefined): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const [desired, max] = deploymentSizes(d);
  const sizeChanged = replicasOf(rs) !== size;
  if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const before = replicasOf(rs);
  const copy = structuredClone(rs);
  copy.spec.replicas = size;
  setReplicasAnnotations(copy, desired, max);
  const stored = await ctx.client.update(REPLICA_SETS, copy.metadata.namespace, copy);
  if (sizeChanged && direction) {
    ctx.recorder.event(referenceTo(d), 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata.name} from ${before} to ${size}`);
  }
  return { scaled: sizeChanged, rs: stored };
}

export async function scaleReplicaSetAndRecordEvent(ctx: DeploymentContext, rs: ReplicaSet, size: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (replicasOf(rs) === size) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, size, d, replicasOf(rs) < size ? 'up' : 'down');
}

/** Brings the ReplicaSets to the Deployment's size (DeploymentController.scale). */
async function scale(ctx: DeploymentContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const single = findActiveOrLatest(newRS, oldRSs);
  if (single) {
    if (replicasOf(single) !== replicasOf(d)) await scaleReplicaSetAndRecordEvent(ctx, single, replicasOf(d), d);
    return;
  }
  // A saturated new ReplicaSet (say, just adopted) leaves nothing for the old ones.
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const { sizes, direction, order } = proportionalSizes(d, activeReplicaSets([...oldRSs, newRS]));
  for (const rs of order) await scaleReplicaSet(ctx, rs, sizes.get(rs)!, d, direction);
}

/** Keeps revisionHistoryLimit old ReplicaSets, deleting the oldest revisions that have no pods left. */
export async function cleanupDeployment(ctx: DeploymentContext, oldRSs: readonly ReplicaSet[], d: Deployment): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort((a, b) => (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0) || byCreation(a, b));
  for (const rs of cleanable.slice(0, diff)) {
    const busy = (rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
    if (busy) continue;
    try {
      await ctx.client.delete(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name!);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
    }
  }
}

/** Writes the status computed from the ReplicaSets when it differs (syncDeploymentStatus). */
export async function syncDeploymentStatus(ctx: DeploymentContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d, ctx.now());
  if (!sameStatus(d.status, status)) await updateStatus(ctx, d, status);
}

/** For a paused Deployment or a scaling event: scale, clean up when paused, write the status. */
export async function sync(ctx: DeploymentContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec.paused) await cleanupDeployment(ctx, oldRSs, d);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/** A Deployment being deleted only gets its status written. */
export async function syncStatusOnly(ctx: DeploymentContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/**
 * Progressing Unknown DeploymentPaused / DeploymentResumed when pausing or resuming, so time spent
 * paused never counts against the progress deadline (a recorded timeout stays).
 */
export async function checkPausedConditions(ctx: DeploymentContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const c = getCondition(d.status, PROGRESSING);
  if (c?.reason === Reason.TimedOut) return;
  const pausedRecorded = c?.reason === Reason.Paused;
  const status: DeploymentStatus = structuredClone(d.status ?? {});
  if (d.spec.paused && !pausedRecorded) {
    setCondition(status, newCondition(PROGRESSING, 'Unknown', Reason.Paused, 'Deployment is paused', ctx.now()));
  } else if (!d.spec.paused && pausedRecorded) {
    setCondition(status, newCondition(PROGRESSING, 'Unknown', Reason.Resumed, 'Deployment is resumed', ctx.now()));
  } else {
    return;
  }
  await updateStatus(ctx, d, status);
}

/** The Deployment's size changed since its active ReplicaSets last recorded it (isScalingEvent). */
export async function isScalingEvent(ctx: DeploymentContext, d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== replicasOf(d);
  });
}
