// Pure: the figures the kernel keeps for a cgroup and for the machine, read from the text of their
// files, the way cAdvisor reads them for the kubelet. CPU is cumulative (nanoseconds of CPU time
// since the cgroup began); memory is the working set: usage minus the inactive file cache, which
// the kernel can drop at once under pressure, so it is what an OOM kill looks at.

/** Where a cgroup's files are: one unified (v2) directory, or the v1 cpuacct and memory hierarchies. */
export type CgroupDirs = { version: 2; dir: string } | { version: 1; cpuacct: string; memory: string };

/** Where the cgroup hierarchies are mounted, from /proc/self/mountinfo. */
export interface CgroupMounts {
  unified?: string;
  cpuacct?: string;
  memory?: string;
}

export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const out: CgroupMounts = {};
  for (const line of mountinfo.split('\n')) {
    // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
    const [before, after] = line.split(' - ');
    if (!after) continue;
    const mountPoint = before.split(' ')[4];
    const [fsType, , superOptions = ''] = after.split(' ');
    if (fsType === 'cgroup2') out.unified ??= mountPoint;
    else if (fsType === 'cgroup') {
      const options = superOptions.split(',');
      if (options.includes('cpuacct')) out.cpuacct ??= mountPoint;
      if (options.includes('memory')) out.memory ??= mountPoint;
    }
  }
  return out;
}

/**
 * A process's cgroup directories, from its /proc/PID/cgroup. With v1 controllers mounted the
 * kernel accounts CPU and memory there (a hybrid host's unified hierarchy holds no controllers);
 * otherwise in the unified hierarchy's directory.
 */
export function cgroupDirs(procCgroup: string, mounts: CgroupMounts): CgroupDirs | undefined {
  const paths = new Map<string, string>();
  for (const line of procCgroup.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '') paths.set('', m[2]);
    for (const controller of m[1].split(',')) paths.set(controller, m[2]);
  }
  const cpuacct = paths.get('cpuacct');
  const memory = paths.get('memory');
  if (mounts.cpuacct && mounts.memory && cpuacct !== undefined && memory !== undefined) {
    return { version: 1, cpuacct: join(mounts.cpuacct, cpuacct), memory: join(mounts.memory, memory) };
  }
  const unified = paths.get('');
  if (mounts.unified && unified !== undefined) return { version: 2, dir: join(mounts.unified, unified) };
  return undefined;
}

function join(mountPoint: string, path: string): string {
  return `${mountPoint.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`.replace(/\/+$/, '');
}

/** A `key value` per line file (cpu.stat, memory.stat): the value of one key. */
export function statValue(text: string, key: string): number | undefined {
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(0, space) === key) {
      const v = Number(line.slice(space + 1).trim());
      return Number.isFinite(v) ? v : undefined;
    }
  }
  return undefined;
}

/** Cumulative CPU time in nanoseconds: v2's cpu.stat usage_usec, v1's cpuacct.usage (already nanoseconds). */
export function cpuUsageNanos(version: 1 | 2, text: string): number | undefined {
  if (version === 2) {
    const usec = statValue(text, 'usage_usec');
    return usec === undefined ? undefined : usec * 1000;
  }
  const ns = Number(text.trim());
  return text.trim() && Number.isFinite(ns) ? ns : undefined;
}

/**
 * The working set in bytes: usage (v2 memory.current, v1 memory.usage_in_bytes) minus the inactive
 * file cache (memory.stat's inactive_file on v2, total_inactive_file on v1), never below zero.
 */
export function workingSetBytes(version: 1 | 2, usageText: string, memoryStat: string): number | undefined {
  const usage = Number(usageText.trim());
  if (!usageText.trim() || !Number.isFinite(usage)) return undefined;
  const inactive = statValue(memoryStat, version === 2 ? 'inactive_file' : 'total_inactive_file') ?? 0;
  return Math.max(0, usage - inactive);
}

/** USER_HZ: /proc/stat counts in hundredths of a second on every Linux architecture kctl runs on. */
const USER_HZ = 100;

/** The machine's cumulative busy CPU time in nanoseconds, from /proc/stat's `cpu` line (all but idle and iowait). */
export function machineCpuNanos(procStat: string): number | undefined {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user, nice, system, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return Number.isFinite(busy) ? (busy * 1e9) / USER_HZ : undefined;
}

/** The machine's working set in bytes, as cAdvisor's root cgroup gives it: used memory minus the inactive file cache. */
export function machineWorkingSetBytes(meminfo: string): number | undefined {
  const kb = (key: string) => {
    const m = new RegExp(`^${key.replace(/[()]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(meminfo);
    return m ? Number(m[1]) : undefined;
  };
  const total = kb('MemTotal');
  const free = kb('MemFree');
  if (total === undefined || free === undefined) return undefined;
  return Math.max(0, total - free - (kb('Inactive(file)') ?? 0)) * 1024;
}
