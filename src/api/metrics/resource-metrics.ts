// The kubelet's resource metrics (`/metrics/resource`), the figures metrics-server reads: written
// by node agents, read by the API server's metrics collector. Names and help as the kubelet has them.

export const RESOURCE_METRICS_PATH = '/metrics/resource';

export const RESOURCE_METRICS = {
  nodeCpu: { name: 'node_cpu_usage_seconds_total', help: '[STABLE] Cumulative cpu time consumed by the node in core-seconds' },
  nodeMemory: { name: 'node_memory_working_set_bytes', help: '[STABLE] Current working set of the node in bytes' },
  podCpu: { name: 'pod_cpu_usage_seconds_total', help: '[STABLE] Cumulative cpu time consumed by the pod in core-seconds' },
  podMemory: { name: 'pod_memory_working_set_bytes', help: '[STABLE] Current working set of the pod in bytes' },
  containerCpu: { name: 'container_cpu_usage_seconds_total', help: '[STABLE] Cumulative cpu time consumed by the container in core-seconds' },
  containerMemory: { name: 'container_memory_working_set_bytes', help: '[STABLE] Current working set of the container in bytes' },
  containerStart: { name: 'container_start_time_seconds', help: '[STABLE] Start time of the container since unix epoch in seconds' },
  scrapeError: { name: 'resource_scrape_error', help: '[STABLE] 1 if there was an error while getting container metrics, 0 otherwise' },
} as const;
