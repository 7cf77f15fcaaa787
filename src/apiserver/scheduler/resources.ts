// Pure: what a pod asks of a node and what a node offers, in the units the scheduler compares
// (milli-CPU, bytes, pod slots), as Kubernetes' resource helpers compute them.
import type { Node, Pod, ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';

export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
}

/** What scoring assumes of a container that requests nothing (the scheduler's non-zero defaults). */
const DEFAULT_MILLI_CPU_REQUEST = 100;
const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function zeroResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0 };
}

// Requests repeat across pods ("100m", "128Mi"): each text is parsed once. Bounded, as a node's
// allocatable or an odd request may be unique.
const parsed = new Map<string, number>();
const MAX_PARSED = 10_000;

function quantity(list: Record<string, unknown> | undefined, name: string, milli: boolean): number {
  const text = list?.[name];
  if (text === undefined) return 0;
  const key = `${milli ? 'm' : ''}${text}`;
  let n = parsed.get(key);
  if (n === undefined) {
    const q = Quantity.parse(text as string | number);
    n = q ? Number(milli ? q.milliValue() : q.value()) : 0;
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(key, n);
  }
  return n;
}

function containerRequests(r: ResourceRequirements | undefined): Resources {
  return {
    milliCPU: quantity(r?.requests, 'cpu', true),
    memory: quantity(r?.requests, 'memory', false),
    ephemeralStorage: quantity(r?.requests, 'ephemeral-storage', false),
    pods: 0,
  };
}

function addInto(sum: Resources, r: Resources): void {
  sum.milliCPU += r.milliCPU;
  sum.memory += r.memory;
  sum.ephemeralStorage += r.ephemeralStorage;
}

function maxInto(sum: Resources, r: Resources): void {
  sum.milliCPU = Math.max(sum.milliCPU, r.milliCPU);
  sum.memory = Math.max(sum.memory, r.memory);
  sum.ephemeralStorage = Math.max(sum.ephemeralStorage, r.ephemeralStorage);
}

/**
 * The pod's effective request: the sum of its containers, or the largest init container if that
 * is more (init containers run one at a time, before the others), plus the pod overhead.
 * Sidecars (init containers with restartPolicy Always) keep running and add to both.
 */
export function podRequests(pod: Pod): Resources {
  return requestsMemo.get(pod);
}

/**
 * Pods from the informer are never changed in place (an update is a new object), so what was
 * worked out for one object stays true: a scheduling cycle asks once per node it checks, hundreds
 * of times for one pod, so the last pod's answer is kept in front of the weak map.
 */
class PodMemo {
  private readonly byPod = new WeakMap<Pod, Resources>();
  private lastPod: Pod | undefined;
  private last: Resources | undefined;

  constructor(private readonly compute: (pod: Pod) => Resources) {}

  get(pod: Pod): Resources {
    if (pod === this.lastPod) return this.last!;
    let r = this.byPod.get(pod);
    if (!r) this.byPod.set(pod, (r = this.compute(pod)));
    this.lastPod = pod;
    this.last = r;
    return r;
  }
}

const requestsMemo = new PodMemo(computeRequests);
const scoringMemo = new PodMemo(computeScoringRequests);

function computeRequests(pod: Pod): Resources {
  const sum = zeroResources();
  const sidecars = zeroResources();
  const initPeak = zeroResources();
  for (const c of pod.spec?.containers ?? []) addInto(sum, containerRequests(c.resources));
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c.resources);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      continue;
    }
    const peak = { ...r };
    addInto(peak, sidecars);
    maxInto(initPeak, peak);
  }
  addInto(sum, sidecars);
  maxInto(sum, initPeak);
  const overhead = pod.spec?.overhead;
  if (overhead) addInto(sum, containerRequests({ requests: overhead }));
  sum.pods = 1;
  return sum;
}

/** Requests with the scheduler's defaults for containers that ask for nothing, used only for scoring. */
export function podScoringRequests(pod: Pod): Resources {
  return scoringMemo.get(pod);
}

function computeScoringRequests(pod: Pod): Resources {
  const sum = { ...podRequests(pod) };
  for (const c of pod.spec?.containers ?? []) {
    if (c.resources?.requests?.cpu === undefined) sum.milliCPU += DEFAULT_MILLI_CPU_REQUEST;
    if (c.resources?.requests?.memory === undefined) sum.memory += DEFAULT_MEMORY_REQUEST;
  }
  return sum;
}

export function nodeAllocatable(node: Node): Resources {
  const a = node.status?.allocatable ?? node.status?.capacity;
  return {
    milliCPU: quantity(a, 'cpu', true),
    memory: quantity(a, 'memory', false),
    ephemeralStorage: quantity(a, 'ephemeral-storage', false),
    pods: quantity(a, 'pods', false),
  };
}
