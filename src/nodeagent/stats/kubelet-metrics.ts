// The node agent's /metrics: the process's figures, its work queues and pod start latency (the
// kubelet's names), with the containers' usage under cAdvisor's names and restarts under
// kube-state-metrics' name, sampled at each scrape. Written by prom-client.
import { collectDefaultMetrics, Counter, Gauge, Histogram, register, Registry } from 'prom-client';
import type { StatsSource } from './container-stats.js';

// The kubelet's buckets for kubelet_pod_start_duration_seconds.
const POD_START_BUCKETS = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600];

export const podStartDuration = new Histogram({
  name: 'kubelet_pod_start_duration_seconds',
  help: '[ALPHA] Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run',
  buckets: POD_START_BUCKETS,
});

/** Once per process: CPU, memory, file descriptors and event loop figures. */
export function registerProcessMetrics(): void {
  collectDefaultMetrics();
}

const LABELS = ['container', 'namespace', 'pod'] as const;

export async function kubeletMetricsText(source: StatsSource): Promise<{ contentType: string; body: string }> {
  const scrape = new Registry();
  const registers = [scrape];
  const sample = await source.sample().catch(() => undefined);
  if (sample) {
    const cpu = new Counter({ name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed in seconds.', labelNames: LABELS, registers });
    const memory = new Gauge({ name: 'container_memory_working_set_bytes', help: 'Current working set in bytes.', labelNames: LABELS, registers });
    const start = new Gauge({ name: 'container_start_time_seconds', help: 'Start time of the container since unix epoch in seconds.', labelNames: LABELS, registers });
    const restarts = new Counter({
      name: 'kube_pod_container_status_restarts_total',
      help: 'The number of container restarts per container.',
      labelNames: LABELS,
      registers,
    });
    const pods = new Set<string>();
    for (const c of sample.containers) {
      const labels = { container: c.container, namespace: c.namespace, pod: c.pod };
      cpu.inc(labels, c.cpuNanos / 1e9);
      memory.set(labels, c.workingSetBytes);
      start.set(labels, c.startTime);
      restarts.inc(labels, c.restartCount);
      pods.add(`${c.namespace}/${c.pod}`);
    }
    new Gauge({ name: 'kubelet_running_pods', help: '[ALPHA] Number of pods that have a running pod sandbox', registers }).set(pods.size);
    new Gauge({ name: 'kubelet_running_containers', help: '[ALPHA] Number of containers currently running', labelNames: ['container_state'], registers }).set(
      { container_state: 'running' },
      sample.containers.length,
    );
  }
  const merged = Registry.merge([register, scrape]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
