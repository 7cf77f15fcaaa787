// Pure: which pods `drain` evicts, as kubectl's drain filters decide it, in kubectl's order
// (DaemonSet, mirror, local storage, no controller; the first that refuses a pod decides), with
// its warnings and errors grouped by message (`cannot delete Pods with local storage (use
// --delete-emptydir-data to override): default/a, default/b`).
import type { KubeObject } from '../api/types.js';

export interface DrainFlags {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
}

export interface DrainPlan {
  evict: KubeObject[];
  /** `ignoring DaemonSet-managed Pods: kube-system/x`, one per message. */
  warnings: string[];
  errors: string[];
}

type Verdict = { evict: true; warning?: string } | { evict: false; error?: string; warning?: string };

const DAEMONSET_FATAL = 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'cannot delete Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

function finished(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function controllerOf(pod: KubeObject) {
  return pod.metadata.ownerReferences?.find((r) => r.controller === true);
}

function verdict(pod: KubeObject, f: DrainFlags): Verdict {
  let warning: string | undefined;
  // kctl serves no DaemonSets to look up, so a DaemonSet controller reference is taken at its word.
  if (controllerOf(pod)?.kind === 'DaemonSet' && !finished(pod)) {
    return f.ignoreDaemonSets ? { evict: false, warning: DAEMONSET_WARNING } : { evict: false, error: DAEMONSET_FATAL };
  }
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return { evict: false };
  if ((pod.spec?.volumes ?? []).some((v: { emptyDir?: unknown }) => v.emptyDir) && !finished(pod)) {
    if (!f.deleteEmptyDirData) return { evict: false, error: LOCAL_STORAGE_FATAL };
    warning = LOCAL_STORAGE_WARNING;
  }
  if (!finished(pod) && !controllerOf(pod)) {
    if (!f.force) return { evict: false, error: UNMANAGED_FATAL };
    // As in kubectl, only the last filter's warning is kept.
    warning = UNMANAGED_WARNING;
  }
  return { evict: true, warning };
}

function grouped(entries: Array<[string, KubeObject]>): string[] {
  const byMessage = new Map<string, string[]>();
  for (const [msg, pod] of entries) byMessage.set(msg, [...(byMessage.get(msg) ?? []), `${pod.metadata.namespace}/${pod.metadata.name}`]);
  return [...byMessage].map(([msg, pods]) => `${msg}: ${pods.join(', ')}`);
}

export function planDrain(pods: readonly KubeObject[], flags: DrainFlags): DrainPlan {
  const evict: KubeObject[] = [];
  const warnings: Array<[string, KubeObject]> = [];
  const errors: Array<[string, KubeObject]> = [];
  for (const pod of pods) {
    const v = verdict(pod, flags);
    if (v.evict) evict.push(pod);
    if (v.warning) warnings.push([v.warning, pod]);
    if (!v.evict && v.error) errors.push([v.error, pod]);
  }
  return { evict, warnings: grouped(warnings), errors: grouped(errors) };
}
