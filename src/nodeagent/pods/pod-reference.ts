// How the agent names a pod in its Events and messages, as the kubelet does.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { referenceTo, type ObjectReference } from '../../api/event-recorder.js';
import type { KubeObject } from '../../api/types.js';

/** Events about a pod name it as the kubelet does; watched pods may come without kind. */
export function podReference(pod: Pod): ObjectReference {
  return referenceTo({ ...(pod as KubeObject), apiVersion: 'v1', kind: 'Pod' });
}

/** The kubelet's format.Pod, `name_namespace(uid)`, as its messages name a pod. */
export function podDescription(pod: Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace ?? 'default'}(${pod.metadata?.uid})`;
}
