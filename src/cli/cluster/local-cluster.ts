// The processes of a local cluster under $KCTL_HOME: where their pid files, logs and data live,
// starting them detached, and stopping them.
import { spawn } from 'node:child_process';
import https from 'node:https';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kctlHome } from '../../api/kubeconfig.js';
import { REPO_ROOT } from './repo-root.js';
import type { NetworkSettings } from './node-agents.js';

// Also offered here, beside the processes started from it (join and the node service import it so).
export { REPO_ROOT };
import type { MachinesState } from './machines/machines.js';
import type { PodNetwork } from './pod-network-settings.js';
import type { RegistryState } from './registry/cluster-registry.js';

export interface ClusterPaths {
  home: string;
  db: string;
  tokens: string;
  kubeconfig: string;
  logs: string;
  state: string;
}

export interface ClusterState {
  server: string;
  port: number;
  bindAddress: string;
  apiserverPid: number;
  nodes: Array<{ name: string; pid: number }>;
  /** The API server's --node-monitor-grace-period-seconds; agents renew their leases well within it. */
  nodeMonitorGracePeriodSeconds?: number;
  /** The machine's network services, run by the first node agent (by every machine's agent with machines). */
  network: NetworkSettings;
  /** The flags `cluster up` was given, so a restart (after a restore) keeps them. */
  upFlags?: string[];
  /** The simulated machines (`cluster up --machines N`), each node on one. */
  machines?: MachinesState;
  /** The pod network `kctl init` was given (see pod-network-settings.ts). */
  podNetwork?: PodNetwork;
  /** The cluster's image registry (`cluster up --registry`). */
  registry?: RegistryState;
}

export function clusterPaths(home = kctlHome()): ClusterPaths {
  return {
    home,
    db: join(home, 'kctl.db'),
    tokens: join(home, 'tokens.csv'),
    kubeconfig: join(home, 'kubeconfig'),
    logs: join(home, 'logs'),
    state: join(home, 'cluster.json'),
  };
}

export function readState(p: ClusterPaths): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(p.state, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

export function writeState(p: ClusterPaths, s: ClusterState): void {
  writeFileSync(p.state, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
}

export function clearState(p: ClusterPaths): void {
  rmSync(p.state, { force: true });
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A process that has exited but not yet been reaped by its new parent (init) still answers
  // signal 0; it is dead all the same.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The command line that runs one of bin/'s programs. */
export function programCommand(program: string, args: string[]): string[] {
  return [process.execPath, join(REPO_ROOT, 'bin', program), ...args];
}

/** Starts a command in the background, in a session of its own, its output appended to logFile. */
export function spawnDetached(command: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  mkdirSync(join(logFile, '..'), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(command[0], command.slice(1), {
    detached: true,
    stdio: ['ignore', fd, fd],
    env,
  });
  closeSync(fd);
  child.unref();
  return child.pid!;
}

/** Starts one of bin/'s programs in the background, its output appended to logFile. */
export function startDetached(program: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  return spawnDetached(programCommand(program, args), logFile, env);
}

/** SIGTERM, then SIGKILL if the process has not gone within the grace period. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The last lines of a log, to show why a process did not come up. */
export function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Whether the API server answers its readiness probe (over TLS, trusting the cluster's certificate). */
export function apiAnswers(server: string, caPem: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(`${server}/readyz`, { ca: caPem, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
