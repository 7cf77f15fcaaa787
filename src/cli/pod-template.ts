// Where a workload keeps the pod spec kubectl's `set` commands change.
import type { KubeObject } from '../api/types.js';

/** The path from an object to its pod spec; undefined for kinds without one. */
export function podSpecPath(kind: string | undefined): string[] | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
    case 'DaemonSet':
    case 'StatefulSet':
      return ['spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

/** The pod spec of the object, or undefined when its kind has none or it is missing. */
export function podSpecOf(obj: KubeObject): Record<string, any> | undefined {
  const path = podSpecPath(obj.kind);
  if (!path) return undefined;
  let node: any = obj;
  for (const key of path) node = node?.[key];
  return node && typeof node === 'object' ? node : undefined;
}
