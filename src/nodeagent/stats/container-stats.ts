// Samples this node's running containers and its machine straight from the kernel's files: one
// Docker list per sample (which containers run here), one inspect per new container (its PID, to
// find its cgroup once), then a few small file reads each. Docker's own stats stream costs a
// goroutine and a read per second per container in the engine; this costs nothing between samples.
import { readFileSync } from 'node:fs';
import type { DockerClient } from '../docker/docker-client.js';
import { CLUSTER_LABEL } from '../../api/cluster-network.js';
import { CONTAINER_NAME_LABEL, NODE_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, RESTART_COUNT_LABEL, SANDBOX_CONTAINER_NAME } from '../pods/containers.js';
import { cgroupDirs, cpuUsageNanos, machineCpuNanos, machineWorkingSetBytes, parseCgroupMounts, workingSetBytes, type CgroupDirs, type CgroupMounts } from './usage-files.js';

export interface ContainerSample {
  namespace: string;
  pod: string;
  container: string;
  /** Seconds since the epoch. */
  startTime: number;
  restartCount: number;
  /** Cumulative, in nanoseconds. */
  cpuNanos: number;
  workingSetBytes: number;
}

export interface NodeSample {
  /** Milliseconds since the epoch, when the files were read. */
  timestamp: number;
  cpuNanos?: number;
  workingSetBytes?: number;
  containers: ContainerSample[];
}

/** What a sampler gives: the real one reads cgroups, a hollow node's makes figures up. */
export interface StatsSource {
  sample(): Promise<NodeSample>;
}

/**
 * Read synchronously: these are kernel pseudo-files (cgroupfs, procfs) answered from memory, and
 * the promise API's open/read/close through the thread pool cost ten times the read itself.
 */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The container exited between the list and the read.
    return undefined;
  }
}

export class ContainerStats implements StatsSource {
  private mounts: CgroupMounts | undefined;
  /** Per container ID: its cgroup and start time, found once. */
  private readonly found = new Map<string, Promise<{ dirs: CgroupDirs; startTime: number } | undefined>>();

  /** With a shared machine: each live container's last CPU reading, and what exited containers had used. */
  private readonly lastCpu = new Map<string, number>();
  private exitedCpuNanos = 0;

  constructor(
    private readonly docker: Pick<DockerClient, 'listContainers' | 'inspectContainer'>,
    private readonly scope: { node: string; cluster: string; sharedMachine: boolean },
  ) {}

  async sample(): Promise<NodeSample> {
    const listed = await this.docker.listContainers({ filters: { label: [`${NODE_LABEL}=${this.scope.node}`, `${CLUSTER_LABEL}=${this.scope.cluster}`] } });
    const apps = listed.filter((c) => c.Labels[CONTAINER_NAME_LABEL] && c.Labels[CONTAINER_NAME_LABEL] !== SANDBOX_CONTAINER_NAME);
    // Forget containers that are gone, so the cache stays the size of what runs.
    const live = new Set(apps.map((c) => c.Id));
    for (const id of this.found.keys()) if (!live.has(id)) this.found.delete(id);
    const timestamp = Date.now();
    const read = await Promise.all(apps.map(async (c) => ({ id: c.Id, sample: await this.container(c.Id, c.Labels) })));
    const containers = read.flatMap((r) => (r.sample ? [r.sample] : []));
    if (!this.scope.sharedMachine) return { timestamp, ...this.machine(), containers };
    // Several nodes on one machine: the machine's figures are every node's, so a node's are its
    // containers', the CPU counter kept cumulative across containers that exit.
    for (const [id, cpu] of this.lastCpu) {
      if (!live.has(id)) {
        this.exitedCpuNanos += cpu;
        this.lastCpu.delete(id);
      }
    }
    for (const r of read) if (r.sample) this.lastCpu.set(r.id, r.sample.cpuNanos);
    return {
      timestamp,
      cpuNanos: this.exitedCpuNanos + [...this.lastCpu.values()].reduce((a, b) => a + b, 0),
      workingSetBytes: containers.reduce((a, c) => a + c.workingSetBytes, 0),
      containers,
    };
  }

  private machine(): { cpuNanos?: number; workingSetBytes?: number } {
    const [stat, meminfo] = [readText('/proc/stat'), readText('/proc/meminfo')];
    return { cpuNanos: stat ? machineCpuNanos(stat) : undefined, workingSetBytes: meminfo ? machineWorkingSetBytes(meminfo) : undefined };
  }

  /** The container's cgroup (through its PID: the engine's cgroup driver and parent do not matter) and start time. */
  private find(id: string): Promise<{ dirs: CgroupDirs; startTime: number } | undefined> {
    let found = this.found.get(id);
    if (!found) {
      found = (async () => {
        this.mounts ??= parseCgroupMounts(readText('/proc/self/mountinfo') ?? '');
        const inspect = await this.docker.inspectContainer(id).catch(() => undefined);
        const pid = inspect?.State?.Pid;
        if (!pid) return undefined;
        const procCgroup = readText(`/proc/${pid}/cgroup`);
        const dirs = procCgroup ? cgroupDirs(procCgroup, this.mounts) : undefined;
        return dirs && { dirs, startTime: Date.parse(inspect.State.StartedAt) / 1000 || 0 };
      })();
      this.found.set(id, found);
    }
    return found;
  }

  private async container(id: string, labels: Record<string, string>): Promise<ContainerSample | undefined> {
    const found = await this.find(id);
    if (!found) {
      this.found.delete(id);
      return undefined;
    }
    const { dirs, startTime } = found;
    const [cpuText, usageText, memoryStat] =
      dirs.version === 2
        ? [readText(`${dirs.dir}/cpu.stat`), readText(`${dirs.dir}/memory.current`), readText(`${dirs.dir}/memory.stat`)]
        : [readText(`${dirs.cpuacct}/cpuacct.usage`), readText(`${dirs.memory}/memory.usage_in_bytes`), readText(`${dirs.memory}/memory.stat`)];
    const cpuNanos = cpuText === undefined ? undefined : cpuUsageNanos(dirs.version, cpuText);
    const ws = usageText === undefined ? undefined : workingSetBytes(dirs.version, usageText, memoryStat ?? '');
    if (cpuNanos === undefined || ws === undefined) {
      this.found.delete(id);
      return undefined;
    }
    return {
      namespace: labels[POD_NAMESPACE_LABEL],
      pod: labels[POD_NAME_LABEL],
      container: labels[CONTAINER_NAME_LABEL],
      startTime,
      restartCount: Number(labels[RESTART_COUNT_LABEL] ?? 0) || 0,
      cpuNanos,
      workingSetBytes: ws,
    };
  }

}
