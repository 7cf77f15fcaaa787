// pods/eviction (policy/v1 Eviction): how `drain` asks for a pod to go. Kubernetes checks the pod's
// PodDisruptionBudgets first; kctl serves no PodDisruptionBudgets, so every eviction is allowed
// and is the pod's delete with the Eviction's deleteOptions (grace period, preconditions).
import type { KubeObject } from '../../api/types.js';
import { errors } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { DeleteOptions } from '../../api/client.js';
import type { Registry } from './registry.js';

const PODS = findByKind('Pod')!;
const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];

/** Evicts the pod; answers the Status Kubernetes answers (201 Success). */
export function evictPod(registry: Registry, namespace: string, name: string, eviction: KubeObject, dryRun: boolean): KubeObject {
  if (!eviction || typeof eviction !== 'object' || eviction.kind !== 'Eviction' || !EVICTION_VERSIONS.includes(eviction.apiVersion ?? '')) {
    throw errors.badRequest(`the body of an eviction must be a policy/v1 Eviction, got ${eviction?.apiVersion ?? '?'} ${eviction?.kind ?? '?'}`);
  }
  if (eviction.metadata?.name && eviction.metadata.name !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
  const given = (eviction.deleteOptions ?? {}) as Record<string, any>;
  const opts: DeleteOptions = { dryRun: dryRun || (Array.isArray(given.dryRun) && given.dryRun.includes('All')) };
  if (given.gracePeriodSeconds != null) {
    if (!Number.isInteger(given.gracePeriodSeconds)) throw errors.badRequest(`invalid deleteOptions.gracePeriodSeconds: ${given.gracePeriodSeconds}`);
    opts.gracePeriodSeconds = given.gracePeriodSeconds;
  }
  if (given.preconditions) opts.preconditions = given.preconditions;
  registry.delete(PODS, namespace, name, opts);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as KubeObject;
}
