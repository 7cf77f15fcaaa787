// Pure: the last two scrapes of each node's resource metrics, and the usage they imply, as
// metrics-server keeps them. CPU usage is a rate: the growth of the cumulative CPU time between two
// scrapes over the time between them (nanocores); memory is the latest working set. A container
// seen once has no rate yet, unless it started after the previous scrape: then its start, with no
// CPU time used, is the earlier point (so a new pod shows up at the next scrape, not the one after).
import { RESOURCE_METRICS as M } from '../../api/metrics/resource-metrics.js';
import type { PromSample } from '../../api/metrics/prometheus-text.js';

export interface ContainerPoint {
  /** Cumulative CPU time, seconds. */
  cpuSeconds: number;
  memoryBytes: number;
  /** Seconds since the epoch. */
  startTime: number;
}

export interface NodeScrape {
  /** Milliseconds since the epoch. */
  timestamp: number;
  cpuSeconds?: number;
  memoryBytes?: number;
  /** By `namespace/pod`, then container name. */
  pods: Map<string, Map<string, ContainerPoint>>;
}

export interface Usage {
  /** Milliseconds since the epoch, of the later point. */
  timestamp: number;
  /** Milliseconds between the two points. */
  windowMs: number;
  cpuNanocores: number;
  memoryBytes: number;
}

export interface PodUsage {
  timestamp: number;
  windowMs: number;
  containers: { name: string; cpuNanocores: number; memoryBytes: number }[];
}

const CONTAINER_FIELDS: Record<string, keyof ContainerPoint> = {
  [M.containerCpu.name]: 'cpuSeconds',
  [M.containerMemory.name]: 'memoryBytes',
  [M.containerStart.name]: 'startTime',
};

/** A node agent's /metrics/resource, read at the samples' own timestamp, else at `receivedAt`. */
export function nodeScrape(samples: PromSample[], receivedAt: number): NodeScrape {
  const scrape: NodeScrape = { timestamp: samples.find((s) => s.timestamp !== undefined)?.timestamp ?? receivedAt, pods: new Map() };
  const point = (s: PromSample): ContainerPoint | undefined => {
    const { namespace, pod, container } = s.labels;
    if (!namespace || !pod || !container) return undefined;
    const key = `${namespace}/${pod}`;
    let containers = scrape.pods.get(key);
    if (!containers) scrape.pods.set(key, (containers = new Map()));
    let p = containers.get(container);
    if (!p) containers.set(container, (p = { cpuSeconds: NaN, memoryBytes: NaN, startTime: 0 }));
    return p;
  };
  for (const s of samples) {
    if (s.name === M.nodeCpu.name) scrape.cpuSeconds = s.value;
    else if (s.name === M.nodeMemory.name) scrape.memoryBytes = s.value;
    else if (CONTAINER_FIELDS[s.name]) {
      const p = point(s);
      if (p) p[CONTAINER_FIELDS[s.name]] = s.value;
    }
  }
  // A container missing either figure is left out, as metrics-server drops incomplete points.
  for (const [key, containers] of scrape.pods) {
    for (const [name, p] of containers) if (!Number.isFinite(p.cpuSeconds) || !Number.isFinite(p.memoryBytes)) containers.delete(name);
    if (containers.size === 0) scrape.pods.delete(key);
  }
  return scrape;
}

/** CPU in nanocores between two cumulative readings; undefined when the counter went back (a restart) or no time passed. */
export function cpuRate(earlierSeconds: number, laterSeconds: number, windowMs: number): number | undefined {
  if (!(windowMs > 0) || laterSeconds < earlierSeconds) return undefined;
  return Math.round(((laterSeconds - earlierSeconds) * 1e9 * 1000) / windowMs);
}

export class UsageStore {
  private readonly nodes = new Map<string, { previous?: NodeScrape; latest: NodeScrape }>();

  record(node: string, scrape: NodeScrape): void {
    const entry = this.nodes.get(node);
    this.nodes.set(node, { previous: entry?.latest, latest: scrape });
  }

  /** Drops a node that is gone. */
  forget(node: string): void {
    this.nodes.delete(node);
  }

  /** The nodes metrics are held for. */
  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  node(name: string): Usage | undefined {
    const entry = this.nodes.get(name);
    if (!entry?.previous) return undefined;
    const { previous, latest } = entry;
    if (latest.cpuSeconds === undefined || previous.cpuSeconds === undefined || latest.memoryBytes === undefined) return undefined;
    const windowMs = latest.timestamp - previous.timestamp;
    const cpu = cpuRate(previous.cpuSeconds, latest.cpuSeconds, windowMs);
    if (cpu === undefined) return undefined;
    return { timestamp: latest.timestamp, windowMs, cpuNanocores: cpu, memoryBytes: latest.memoryBytes };
  }

  /** A pod's usage on a node; undefined until one of its containers has a rate. */
  pod(node: string, namespace: string, name: string): PodUsage | undefined {
    const entry = this.nodes.get(node);
    if (!entry) return undefined;
    const key = `${namespace}/${name}`;
    const now = entry.latest.pods.get(key);
    if (!now) return undefined;
    const before = entry.previous?.pods.get(key);
    const containers: PodUsage['containers'] = [];
    let windowMs = 0;
    for (const [container, p] of now) {
      let earlier: { cpuSeconds: number; timestamp: number } | undefined;
      const q = before?.get(container);
      if (q && q.startTime === p.startTime) earlier = { cpuSeconds: q.cpuSeconds, timestamp: entry.previous!.timestamp };
      else if (entry.previous && p.startTime * 1000 > entry.previous.timestamp) earlier = { cpuSeconds: 0, timestamp: p.startTime * 1000 };
      if (!earlier) continue;
      const window = entry.latest.timestamp - earlier.timestamp;
      const cpu = cpuRate(earlier.cpuSeconds, p.cpuSeconds, window);
      if (cpu === undefined) continue;
      windowMs = Math.max(windowMs, window);
      containers.push({ name: container, cpuNanocores: cpu, memoryBytes: p.memoryBytes });
    }
    if (containers.length === 0) return undefined;
    return { timestamp: entry.latest.timestamp, windowMs, containers };
  }
}
