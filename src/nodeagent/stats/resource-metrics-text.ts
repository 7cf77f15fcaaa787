// The agent's /metrics/resource: one sample of the node and its containers in the kubelet's
// resource metrics, written by prom-client. A fresh registry per scrape, so two scrapes at once
// never mix their figures.
import { Counter, Gauge, Registry } from 'prom-client';
import { RESOURCE_METRICS as M } from '../../api/metrics/resource-metrics.js';
import type { ContainerSample, StatsSource } from './container-stats.js';

const POD_LABELS = ['namespace', 'pod'] as const;
const CONTAINER_LABELS = ['container', 'namespace', 'pod'] as const;

export async function resourceMetricsText(source: StatsSource): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const registers = [registry];
  const scrapeError = new Gauge({ ...M.scrapeError, registers });
  let sample;
  try {
    sample = await source.sample();
  } catch {
    scrapeError.set(1);
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
  scrapeError.set(0);
  const nodeCpu = new Counter({ ...M.nodeCpu, registers });
  const nodeMemory = new Gauge({ ...M.nodeMemory, registers });
  if (sample.cpuNanos !== undefined) nodeCpu.inc(sample.cpuNanos / 1e9);
  if (sample.workingSetBytes !== undefined) nodeMemory.set(sample.workingSetBytes);

  const containerCpu = new Counter({ ...M.containerCpu, labelNames: CONTAINER_LABELS, registers });
  const containerMemory = new Gauge({ ...M.containerMemory, labelNames: CONTAINER_LABELS, registers });
  const containerStart = new Gauge({ ...M.containerStart, labelNames: CONTAINER_LABELS, registers });
  const pods = new Map<string, { labels: { namespace: string; pod: string }; containers: ContainerSample[] }>();
  for (const c of sample.containers) {
    const labels = { container: c.container, namespace: c.namespace, pod: c.pod };
    containerCpu.inc(labels, c.cpuNanos / 1e9);
    containerMemory.set(labels, c.workingSetBytes);
    containerStart.set(labels, c.startTime);
    const key = `${c.namespace}/${c.pod}`;
    const entry = pods.get(key) ?? { labels: { namespace: c.namespace, pod: c.pod }, containers: [] };
    entry.containers.push(c);
    pods.set(key, entry);
  }
  const podCpu = new Counter({ ...M.podCpu, labelNames: POD_LABELS, registers });
  const podMemory = new Gauge({ ...M.podMemory, labelNames: POD_LABELS, registers });
  for (const { labels, containers } of pods.values()) {
    podCpu.inc(labels, containers.reduce((s, c) => s + c.cpuNanos, 0) / 1e9);
    podMemory.set(labels, containers.reduce((s, c) => s + c.workingSetBytes, 0));
  }
  return { contentType: registry.contentType, body: withTimestamp(await registry.metrics(), sample.timestamp) };
}

/**
 * The kubelet stamps every sample with when it was read, so rates are exact however long the
 * scrape took to arrive; prom-client no longer writes timestamps, so they are added to its lines.
 */
function withTimestamp(text: string, timestamp: number): string {
  return text.replace(/^([^#\n].*)$/gm, `$1 ${Math.round(timestamp)}`);
}
