// pods/eviction (policy/v1 Eviction): how `drain` asks for a pod to go, as Kubernetes'
// EvictionREST does it. A pod already finished, pending or terminating goes at once; otherwise the
// one PodDisruptionBudget covering it must allow a disruption, which the eviction uses up
// (disruptionsAllowed - 1, the pod recorded in disruptedPods for the disruption controller) before
// the pod is deleted with the Eviction's deleteOptions. A budget saying no is 429 TooManyRequests,
// which drain retries. All of it runs in one synchronous step, so two evictions never both take the
// last allowed disruption.
import type { KubeObject } from '../../api/types.js';
import { ApiError, errors } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { DeleteOptions } from '../../api/client.js';
import { budgetsForPod, isPodReady, withDisruptionAllowedCondition } from '../../api/disruption-budget.js';
import { rfc3339 } from '../../api/timestamps.js';
import type { Registry } from './registry.js';

const PODS = findByKind('Pod')!;
const PDBS = findByKind('PodDisruptionBudget')!;
const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];
/** More pending evictions than this in one budget means its controller is not keeping up (MaxDisruptedPodSize). */
const MAX_DISRUPTED_PODS = 2000;
const VIOLATES_BUDGET = "Cannot evict pod as it would violate the pod's disruption budget.";

function tooManyRequests(cause: string, retryAfterSeconds: number): ApiError {
  return new ApiError('TooManyRequests', VIOLATES_BUDGET, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
}

function budgetForbidden(name: string, why: string): ApiError {
  return new ApiError('Forbidden', `poddisruptionbudget.policy "${name}" is forbidden: ${why}`, { name, group: 'policy', kind: 'poddisruptionbudget' });
}

/** Succeeded, failed, pending and terminating pods cause no new disruption (canIgnorePDB). */
function canIgnoreBudget(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

function deleteOptionsOf(eviction: KubeObject, dryRun: boolean): DeleteOptions {
  const given = (eviction.deleteOptions ?? {}) as Record<string, any>;
  const opts: DeleteOptions = { dryRun: dryRun || (Array.isArray(given.dryRun) && given.dryRun.includes('All')) };
  if (given.gracePeriodSeconds != null) {
    if (!Number.isInteger(given.gracePeriodSeconds)) throw errors.badRequest(`invalid deleteOptions.gracePeriodSeconds: ${given.gracePeriodSeconds}`);
    opts.gracePeriodSeconds = given.gracePeriodSeconds;
  }
  if (given.preconditions) opts.preconditions = given.preconditions;
  return opts;
}

/** checkAndDecrement: refuses when the budget allows no disruption, otherwise uses one up. */
function takeDisruption(registry: Registry, pdb: KubeObject, pod: KubeObject, dryRun: boolean): void {
  const name = pdb.metadata.name!;
  const status = { ...(pdb.status ?? {}) };
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);
  const allowed: number = status.disruptionsAllowed ?? 0;
  if (allowed < 0) throw budgetForbidden(name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw budgetForbidden(name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (allowed === 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`, 0);
  }
  status.disruptionsAllowed = allowed - 1;
  const now = new Date();
  if (status.disruptionsAllowed === 0) withDisruptionAllowedCondition(status, now);
  if (dryRun) return;
  status.disruptedPods = { ...(status.disruptedPods ?? {}), [pod.metadata.name!]: rfc3339(now) };
  registry.update(PDBS, pdb.metadata.namespace, name, { ...pdb, status }, { subresource: 'status' });
}

/** Evicts the pod; answers the Status Kubernetes answers (201 Success, or 500 for a pod under two budgets). */
export function evictPod(registry: Registry, namespace: string, name: string, eviction: KubeObject, dryRun: boolean): KubeObject {
  if (!eviction || typeof eviction !== 'object' || eviction.kind !== 'Eviction' || !EVICTION_VERSIONS.includes(eviction.apiVersion ?? '')) {
    throw errors.badRequest(`the body of an eviction must be a policy/v1 Eviction, got ${eviction?.apiVersion ?? '?'} ${eviction?.kind ?? '?'}`);
  }
  if (eviction.metadata?.name && eviction.metadata.name !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
  const opts = deleteOptionsOf(eviction, dryRun);
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as KubeObject;
  const pod = registry.get(PODS, namespace, name);
  // Kubernetes pins the deletions below to the pod's resourceVersion, lest it become ready
  // meanwhile; here nothing runs between the look and the delete.
  if (canIgnoreBudget(pod)) {
    registry.delete(PODS, namespace, name, opts);
    return success;
  }
  const budgets = budgetsForPod(
    registry.list(PDBS, namespace).rows.map((row) => JSON.parse(row.value) as KubeObject),
    pod,
  );
  if (budgets.length > 1) {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    } as KubeObject;
  }
  if (budgets.length === 0) {
    registry.delete(PODS, namespace, name, opts);
    return success;
  }
  const pdb = budgets[0];
  if (!isPodReady(pod)) {
    // An unready pod is no disruption while the budget is met (IfHealthyBudget), or ever (AlwaysAllow).
    const { currentHealthy = 0, desiredHealthy = 0 } = pdb.status ?? {};
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || (currentHealthy >= desiredHealthy && desiredHealthy > 0)) {
      registry.delete(PODS, namespace, name, opts);
      return success;
    }
  }
  takeDisruption(registry, pdb, pod, !!opts.dryRun);
  registry.delete(PODS, namespace, name, opts);
  return success;
}
