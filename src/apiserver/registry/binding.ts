// pods/binding: how the scheduler assigns a pod to a node. Only an unbound pod can be bound.
import type { KubeObject } from '../../api/types.js';
import { ApiError, errors } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { Registry } from './registry.js';
import { rfc3339 } from '../../api/timestamps.js';

const PODS = findByKind('Pod')!;

export function bindPod(registry: Registry, namespace: string, name: string, binding: KubeObject, dryRun: boolean): KubeObject {
  const target = binding?.target;
  if (!target?.name || (target.kind && target.kind !== 'Node')) {
    throw errors.invalid('Binding', '', name, [{ field: 'target', message: 'Required value: a Node target is required', reason: 'FieldValueRequired' }]);
  }
  const pod = registry.get(PODS, namespace, name);
  if (binding.metadata?.uid && binding.metadata.uid !== pod.metadata.uid) {
    throw errors.conflict('pods', '', name, 'the UID of the binding does not match the pod');
  }
  if (pod.spec?.nodeName) {
    throw errors.conflict('pods', '', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  }
  if (pod.metadata.deletionTimestamp) throw new ApiError('Conflict', `pod ${name} is being deleted, cannot be assigned to a host`);
  pod.spec.nodeName = target.name;
  const conditions: any[] = (pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(new Date()) });
  pod.status = { ...(pod.status ?? {}), conditions };
  // Binding writes both spec.nodeName and the PodScheduled condition, which no ordinary update may do together.
  if (dryRun) return pod;
  return registry.store.update(`/core/pods/${namespace}/${name}`, pod, Number(pod.metadata.resourceVersion));
}
