// The pod a DaemonSet runs on one node, as Kubernetes (1.12+) makes it: the template with the
// tolerations every daemon pod gets (it must survive node conditions that evict or keep out other
// pods) and a required node affinity on metadata.name, so the scheduler places it on that node
// while still checking resources and ports. Also which node a daemon pod is meant for.
import type { Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/types.js';
import { podFromTemplate } from '../replicaset/pod-template.js';

/** The label that ties a daemon pod to the ControllerRevision of its template. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** AddOrUpdateDaemonPodTolerations: added unless the template already has the same key and effect. */
export function daemonTolerations(podSpec: { tolerations?: Toleration[]; hostNetwork?: boolean }): Toleration[] {
  const wanted: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (podSpec.hostNetwork) wanted.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const tolerations = [...(podSpec.tolerations ?? [])];
  for (const t of wanted) {
    if (!tolerations.some((have) => have.key === t.key && have.effect === t.effect)) tolerations.push(t);
  }
  return tolerations;
}

/** The pod's spec as the DaemonSet would give it, before a node is chosen (for eligibility checks). */
export function templatePod(ds: KubeObject): KubeObject {
  const spec = structuredClone(ds.spec?.template?.spec ?? {});
  spec.tolerations = daemonTolerations(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ds.metadata.namespace, labels: { ...(ds.spec?.template?.metadata?.labels ?? {}) } }, spec };
}

/** The pod to create on `nodeName`, labelled with the template's revision hash. */
export function newDaemonPod(ds: KubeObject, nodeName: string, hash: string): KubeObject {
  const pod = podFromTemplate(ds);
  pod.metadata.labels = { ...pod.metadata.labels, [REVISION_HASH_LABEL]: hash };
  pod.spec.tolerations = daemonTolerations(pod.spec);
  // ReplaceDaemonSetPodNodeNameNodeAffinity: the node is already chosen, so one term naming it replaces the others.
  const affinity = (pod.spec.affinity ??= {});
  const nodeAffinity = (affinity.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  return pod;
}

/** GetTargetNodeName: the node a pod is bound to, or the one its metadata.name affinity names. */
export function targetNodeOf(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}
