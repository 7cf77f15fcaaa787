// Pure: made-up but plausible usage for hollow nodes' pods, so the metrics API, kubectl top and
// autoscalers can be exercised at a scale this machine cannot run. A container uses what its pod's
// `kctl.io/hollow-cpu` and `kctl.io/hollow-memory` annotations say (per container; a test changes
// them to make load come and go), else a tenth of its CPU request (5m without one) and half its
// memory request (16Mi without one). CPU time is integrated, so the counter stays cumulative when
// the rate changes.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';
import type { ContainerSample, NodeSample } from '../stats/container-stats.js';

export const HOLLOW_CPU_ANNOTATION = 'kctl.io/hollow-cpu';
export const HOLLOW_MEMORY_ANNOTATION = 'kctl.io/hollow-memory';
const DEFAULT_CPU_NANOCORES = 5e6;
const DEFAULT_MEMORY_BYTES = 16 * 2 ** 20;
/** What the node itself uses besides its pods (the kubelet, the runtime, the system). */
const NODE_CPU_NANOCORES = 100e6;
const NODE_MEMORY_BYTES = 256 * 2 ** 20;

interface HollowContainer {
  name: string;
  cpuNanocores: number;
  memoryBytes: number;
  cpuNanos: number;
}

interface HollowPod {
  namespace: string;
  name: string;
  /** Seconds since the epoch. */
  startTime: number;
  containers: HollowContainer[];
}

function quantity(text: string | undefined): Quantity | undefined {
  return text === undefined ? undefined : Quantity.parse(text);
}

/** The usage a hollow pod's containers claim, per container. */
export function hollowRates(pod: Pod): { name: string; cpuNanocores: number; memoryBytes: number }[] {
  const annotations = pod.metadata?.annotations ?? {};
  const cpu = quantity(annotations[HOLLOW_CPU_ANNOTATION]);
  const memory = quantity(annotations[HOLLOW_MEMORY_ANNOTATION]);
  return (pod.spec?.containers ?? []).map((c) => {
    const cpuRequest = quantity(c.resources?.requests?.cpu as string | undefined);
    const memoryRequest = quantity(c.resources?.requests?.memory as string | undefined);
    return {
      name: c.name,
      cpuNanocores: cpu ? Number(cpu.nanos) : cpuRequest ? Number(cpuRequest.nanos) / 10 : DEFAULT_CPU_NANOCORES,
      memoryBytes: memory ? Number(memory.value()) : memoryRequest ? Number(memoryRequest.value()) / 2 : DEFAULT_MEMORY_BYTES,
    };
  });
}

/** One hollow node's pods and their integrated CPU time. */
export class HollowUsage {
  private readonly pods = new Map<string, HollowPod>();
  private nodeCpuNanos = 0;
  private last: number;

  constructor(private readonly now: () => number = Date.now) {
    this.last = now();
  }

  /** A pod started or its annotations changed: figures from now on follow it. */
  set(uid: string, pod: Pod): void {
    this.advance();
    const rates = hollowRates(pod);
    const known = this.pods.get(uid);
    const containers = rates.map((r) => ({ ...r, cpuNanos: known?.containers.find((c) => c.name === r.name)?.cpuNanos ?? 0 }));
    this.pods.set(uid, { namespace: pod.metadata!.namespace ?? 'default', name: pod.metadata!.name!, startTime: known?.startTime ?? this.last / 1000, containers });
  }

  delete(uid: string): void {
    this.advance();
    this.pods.delete(uid);
  }

  sample(): NodeSample {
    this.advance();
    const containers: ContainerSample[] = [];
    let memory = NODE_MEMORY_BYTES;
    for (const p of this.pods.values()) {
      for (const c of p.containers) {
        containers.push({ namespace: p.namespace, pod: p.name, container: c.name, startTime: p.startTime, restartCount: 0, cpuNanos: c.cpuNanos, workingSetBytes: c.memoryBytes });
        memory += c.memoryBytes;
      }
    }
    return { timestamp: this.last, cpuNanos: this.nodeCpuNanos, workingSetBytes: memory, containers };
  }

  /** Adds the CPU time used since the last call at the current rates. */
  private advance(): void {
    const now = this.now();
    const seconds = Math.max(0, now - this.last) / 1000;
    this.last = now;
    let rate = NODE_CPU_NANOCORES;
    for (const p of this.pods.values()) {
      for (const c of p.containers) {
        c.cpuNanos += c.cpuNanocores * seconds;
        rate += c.cpuNanocores;
      }
    }
    this.nodeCpuNanos += rate * seconds;
  }
}
