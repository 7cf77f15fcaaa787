// A simulated machine's Docker engine: a dockerd of its own in the machine's network namespace,
// with its own data root, exec root, socket, pid file and cgroup parent, so nothing it does
// touches this computer's engine; and its removal, down to the mounts, processes and cgroups a
// killed engine leaves behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerClient } from '../../../nodeagent/machine-runtime.js';
import { isAlive, sleep, spawnDetached, stopProcess, tail } from '../processes.js';
import { attempt } from './host-command.js';
import { inNamespace } from './host-command.js';
import { RUN_DIR } from './lan.js';

export interface EnginePaths {
  dataRoot: string;
  /** Socket, pid file, exec root: under RUN_DIR/<name>. */
  runDir: string;
  execRoot: string;
  socket: string;
  pidFile: string;
  configFile: string;
  cgroupParent: string;
  log: string;
}

export function enginePaths(home: string, name: string): EnginePaths {
  const runDir = join(RUN_DIR, name);
  return {
    dataRoot: join(home, 'machines', name, 'docker'),
    runDir,
    execRoot: join(runDir, 'exec'),
    socket: join(runDir, 'docker.sock'),
    pidFile: join(runDir, 'docker.pid'),
    configFile: join(home, 'machines', name, 'daemon.json'),
    cgroupParent: `/kctl-m-${name}`,
    log: join(home, 'logs', `${name}-dockerd.log`),
  };
}

/** Starts the engine (its pid); see waitForEngine. */
export function startEngine(namespace: string, p: EnginePaths): number {
  mkdirSync(p.execRoot, { recursive: true, mode: 0o700 });
  mkdirSync(p.dataRoot, { recursive: true, mode: 0o710 });
  // An empty configuration of its own: /etc/docker/daemon.json belongs to this computer's engine.
  writeFileSync(p.configFile, '{}\n');
  rmSync(p.socket, { force: true });
  return spawnDetached(
    [
      ...inNamespace(namespace),
      'dockerd',
      '--config-file', p.configFile,
      '--data-root', p.dataRoot,
      '--exec-root', p.execRoot,
      '--pidfile', p.pidFile,
      '--host', `unix://${p.socket}`,
      '--cgroup-parent', p.cgroupParent,
      // No docker0 and no rules of Docker's: the machine's pod network and its NAT are kctl's.
      '--bridge', 'none',
      '--iptables=false',
      '--ip-masq=false',
      '--userland-proxy=false',
      '--shutdown-timeout', '5',
      '--log-level', 'warn',
    ],
    p.log,
  );
}

/** Resolves when the engine answers; fails with its log's end when it exits or does not answer in time. */
export async function waitForEngine(pid: number, p: EnginePaths, timeoutMs: number): Promise<void> {
  const docker = new DockerClient({ socketPath: p.socket });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (existsSync(p.socket) && (await docker.ping(AbortSignal.timeout(1000)).then(() => true, () => false))) return;
      if (!isAlive(pid)) throw new Error(`the Docker engine exited. Its log (${p.log}) ends with:\n${tail(p.log)}`);
      if (Date.now() > deadline) throw new Error(`the Docker engine did not answer on ${p.socket} within ${timeoutMs / 1000}s; see ${p.log}`);
      await sleep(50);
    }
  } finally {
    await docker.close();
  }
}

/** The engine's pid from its pid file, if it runs. */
export function enginePid(p: EnginePaths): number | undefined {
  try {
    const pid = Number(readFileSync(p.pidFile, 'utf8').trim());
    return isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Stops the engine as `systemctl stop docker` does: SIGTERM, its containers stopped with it. */
export async function stopEngine(p: EnginePaths, pid = enginePid(p)): Promise<void> {
  if (pid) await stopProcess(pid, 20_000);
}

/** Processes started for this engine (containerd, shims), found by the engine's own paths on their command lines. */
function engineProcesses(p: EnginePaths): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(`${p.runDir}/`) || cmdline.includes(`${p.dataRoot}/`)) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Mount points under the engine's directories, deepest first. */
function engineMounts(p: EnginePaths): string[] {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => !!point)
    .map((point) => point.replace(/\\040/g, ' '))
    .filter((point) => [p.dataRoot, p.runDir].some((dir) => point === dir || point.startsWith(`${dir}/`)));
  return [...new Set(mounts)].sort((a, b) => b.length - a.length);
}

/** The cgroups the engine's containers were put in, under every hierarchy, children first. */
function engineCgroups(p: EnginePaths): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(join(dir, entry.name));
    out.push(dir);
  };
  for (const hierarchy of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    const dir = join('/sys/fs/cgroup', hierarchy, p.cgroupParent);
    if (existsSync(dir)) walk(dir);
  }
  return out;
}

/** The processes in the engine's cgroups: its containers', also those a killed shim left running. */
function containerProcesses(p: EnginePaths): number[] {
  const out = new Set<number>();
  for (const cgroup of engineCgroups(p)) {
    try {
      for (const pid of readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) out.add(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return [...out];
}

export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * Removes everything the engine made: stops it, kills what outlived it (containerd, shims, and
 * container processes, found by the engine's paths and cgroups), unmounts what it mounted, and
 * deletes its cgroups, exec root and data root. Safe to run on an engine that is long gone.
 */
export async function removeEngine(p: EnginePaths, pid?: number): Promise<void> {
  await stopEngine(p, pid ?? enginePid(p));
  for (let i = 0; i < 100; i++) {
    const left = [...engineProcesses(p), ...containerProcesses(p)].filter(isAlive);
    if (left.length === 0) break;
    killAll(left);
    await sleep(50);
  }
  // One umount for all of them: a process per mount point costs more than the unmounting.
  const mounts = engineMounts(p);
  if (mounts.length > 0) await attempt('umount', ['-l', ...mounts]);
  // A cgroup goes once the kernel has reaped its last process: shortly after the kill.
  for (let i = 0; i < 40 && engineCgroups(p).length > 0; i++) {
    for (const cgroup of engineCgroups(p)) {
      try {
        rmdirSync(cgroup);
      } catch {
        // not empty yet
      }
    }
    if (engineCgroups(p).length > 0) await sleep(50);
  }
  // Not rmSync: a data root holds every layer the engine unpacked (close to a second to delete under
  // load), and the machines' removals run side by side only while none blocks the event loop.
  await Promise.all([rm(p.runDir, { recursive: true, force: true }), rm(join(p.dataRoot, '..'), { recursive: true, force: true })]);
}
