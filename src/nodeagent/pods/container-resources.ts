// Pure: a container's resources → Docker's cgroup settings, as the kubelet sets them.
import type { ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';
import type { HostConfig } from '../docker/types.js';

/** The kernel's least cpu.shares; the kubelet gives it to containers that request no CPU. */
const MIN_SHARES = 2;
const SHARES_PER_CPU = 1024;

type ResourceSettings = Pick<HostConfig, 'Memory' | 'MemorySwap' | 'NanoCpus' | 'CpuShares'>;

function quantity(list: Record<string, string | number> | undefined, name: string): Quantity | undefined {
  const value = list?.[name];
  return value === undefined ? undefined : Quantity.parse(value);
}

/** The kubelet's MilliCPUToShares. */
export function milliCpuToShares(milliCpu: number): number {
  return Math.max(Math.floor((milliCpu * SHARES_PER_CPU) / 1000), MIN_SHARES);
}

export function resourceSettings(resources: ResourceRequirements | undefined): ResourceSettings {
  const memory = quantity(resources?.limits, 'memory');
  const cpuLimit = quantity(resources?.limits, 'cpu');
  // A limit without a request is also the request, as the API server defaults it.
  const cpuRequest = quantity(resources?.requests, 'cpu') ?? cpuLimit;
  const settings: ResourceSettings = { CpuShares: milliCpuToShares(Number(cpuRequest?.milliValue() ?? 0n)) };
  if (memory && !memory.isZero()) {
    settings.Memory = Number(memory.value());
    // No swap, as Kubernetes runs its containers.
    settings.MemorySwap = settings.Memory;
  }
  if (cpuLimit && !cpuLimit.isZero()) settings.NanoCpus = Number(cpuLimit.nanos);
  return settings;
}
