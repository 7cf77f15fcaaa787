// The pod a command acts on when given a workload, chosen as kubectl chooses it (GetFirstPod): a
// pod is itself; a Service, Deployment, ReplicaSet, ReplicationController or Job lends its selector
// (SelectorsForObject) and the first pod it selects is taken, waiting up to a timeout for one to
// appear. `port-forward` takes the most active pod (podutils.ActivePods, reversed: AttachablePodForObject),
// `logs` the first in podutils.ByLogging order, which prefers the pod that restarted most.
import type { HttpClient } from '../api/http-client.js';
import { labelSelectorAsSelector, labelSelectorFromSet } from '../api/label-selector.js';
import { findByKind } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { CliError } from './errors.js';

const PODS = findByKind('Pod')!;
const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const LOGGING_PHASE_ORDINAL: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };

/**
 * The label selector (as text) of the pods an object stands for; its errors are kubectl's
 * SelectorsForObject texts, which each command prefixes with what it was doing.
 */
export function podSelectorOf(obj: KubeObject): string {
  switch (obj.kind) {
    case 'Service':
      if (Object.keys(obj.spec?.selector ?? {}).length === 0) {
        throw new CliError(`invalid service '${obj.metadata.name}': Service is defined without a selector`);
      }
      return labelSelectorFromSet(obj.spec.selector).toString();
    case 'ReplicationController':
      return labelSelectorFromSet(obj.spec?.selector).toString();
    case 'Deployment':
    case 'ReplicaSet':
    case 'Job':
      return labelSelectorAsSelector(obj.spec?.selector).toString();
    default:
      throw new CliError(`selector for *v1.${obj.kind} not implemented`);
  }
}

function readySince(pod: KubeObject): number | undefined {
  const ready = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (ready?.status !== 'True') return undefined;
  return Date.parse(ready.lastTransitionTime ?? '') || 0;
}

function maxRestarts(pod: KubeObject): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s: { restartCount?: number }) => s.restartCount ?? 0));
}

/** `a` later than `b`, an unset (0) time counting as latest (podutils' afterOrZero). */
function afterOrZero(a: number, b: number): boolean {
  if (!a || !b) return !a;
  return a > b;
}

/** podutils.ActivePods' Less: true when `a` is less active than `b`. */
export function lessActive(a: KubeObject, b: KubeObject): boolean {
  const nodeA = a.spec?.nodeName ?? '';
  const nodeB = b.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (!nodeA || !nodeB)) return !nodeA;
  const phaseA = PHASE_ORDINAL[a.status?.phase] ?? 0;
  const phaseB = PHASE_ORDINAL[b.status?.phase] ?? 0;
  if (phaseA !== phaseB) return phaseA < phaseB;
  const readyA = readySince(a);
  const readyB = readySince(b);
  if ((readyA !== undefined) !== (readyB !== undefined)) return readyA === undefined;
  if (readyA !== undefined && readyB !== undefined && readyA !== readyB) return afterOrZero(readyA, readyB);
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b);
  const createdA = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const createdB = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (createdA !== createdB) return afterOrZero(createdA, createdB);
  return false;
}

/** podutils.ByLogging's Less: true when `a` comes before `b` for logs. */
export function beforeForLogs(a: KubeObject, b: KubeObject): boolean {
  const nodeA = a.spec?.nodeName ?? '';
  const nodeB = b.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (!nodeA || !nodeB)) return !!nodeA;
  const phaseA = LOGGING_PHASE_ORDINAL[a.status?.phase] ?? 0;
  const phaseB = LOGGING_PHASE_ORDINAL[b.status?.phase] ?? 0;
  if (phaseA !== phaseB) return phaseA < phaseB;
  const readyA = readySince(a);
  const readyB = readySince(b);
  if ((readyA !== undefined) !== (readyB !== undefined)) return readyA !== undefined;
  if (readyA !== undefined && readyB !== undefined && readyA !== readyB) return afterOrZero(readyB, readyA);
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b);
  const createdA = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const createdB = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (createdA !== createdB) return afterOrZero(createdB, createdA);
  return false;
}

/** The most active of the pods: the first after sorting them by ActivePods, reversed. */
export function mostActivePod(pods: readonly KubeObject[]): KubeObject | undefined {
  return pods.reduce<KubeObject | undefined>((best, p) => (best === undefined || lessActive(best, p) ? p : best), undefined);
}

/** The first of the pods in ByLogging order. */
export function firstPodForLogs(pods: readonly KubeObject[]): KubeObject | undefined {
  return pods.reduce<KubeObject | undefined>((best, p) => (best === undefined || beforeForLogs(p, best) ? p : best), undefined);
}

export interface PodChoice {
  /** kubectl's words for the command, before a selector error: `cannot attach to *v1.ConfigMap: ...`. */
  doing: string;
  pick: (pods: readonly KubeObject[]) => KubeObject | undefined;
}

export const FOR_ATTACH: PodChoice = { doing: 'cannot attach to', pick: mostActivePod };
export const FOR_LOGS: PodChoice = { doing: 'cannot get the logs from', pick: firstPodForLogs };

/**
 * kubectl's GetFirstPod for a selecting object: the pod chosen among those it selects and how many
 * there were; with none, the first pod added or changed after the list, waiting up to timeoutMs.
 */
export async function firstPodOf(client: HttpClient, obj: KubeObject, timeoutMs: number, choice: PodChoice): Promise<{ pod: KubeObject; count: number }> {
  const namespace = obj.metadata.namespace;
  let labelSelector: string;
  try {
    labelSelector = podSelectorOf(obj);
  } catch (err) {
    throw new CliError(`${choice.doing} *v1.${obj.kind}: ${(err as Error).message}`);
  }
  const list = await client.list(PODS, namespace, { labelSelector });
  const best = choice.pick(list.items);
  if (best) return { pod: { kind: 'Pod', apiVersion: 'v1', ...best }, count: list.items.length };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      watch.stop();
      reject(new CliError('timed out waiting for the condition'));
    }, timeoutMs);
    const watch = client.watch(PODS, namespace, { labelSelector, resourceVersion: list.metadata?.resourceVersion }, (e) => {
      if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
      clearTimeout(timer);
      watch.stop();
      resolve({ pod: { kind: 'Pod', apiVersion: 'v1', ...e.object }, count: 1 });
    });
  });
}

/** The pod to attach to; for a selecting object, waits up to timeoutMs for a pod to exist. */
export async function attachablePod(client: HttpClient, obj: KubeObject, timeoutMs: number): Promise<KubeObject> {
  if (obj.kind === 'Pod') return obj;
  return (await firstPodOf(client, obj, timeoutMs, FOR_ATTACH)).pod;
}
