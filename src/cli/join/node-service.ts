// The node agent `kctl join` leaves running: a systemd unit (kctl-node-<name>.service, restarted
// on failure, started at boot) when systemd runs the machine (and join runs in its network
// namespace), else a detached process with a pid file in the node's data dir. What was made is recorded in $KCTL_HOME/joined/<name>.json, so
// `kctl reset` undoes exactly that.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, startDetached, stopProcess } from '../cluster/processes.js';
import { REPO_ROOT } from '../cluster/repo-root.js';

export const SYSTEMD_DIR = '/etc/systemd/system';

export interface JoinedNode {
  name: string;
  server: string;
  dataDir: string;
  dockerHost?: string;
  /** The systemd unit, when the agent runs under systemd. */
  unit?: string;
  /** The detached agent's pid (also in DATA_DIR/kctl-node.pid), otherwise. */
  pid?: number;
}

export function joinedDir(home: string): string {
  return join(home, 'joined');
}

export function readJoined(home: string): JoinedNode[] {
  const dir = joinedDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as JoinedNode);
}

export function systemdRuns(): boolean {
  return existsSync('/run/systemd/system');
}

/**
 * Whether this process shares the network namespace of pid 1 (systemd's). A join run inside
 * another one (a simulated machine's) must not hand its agent to systemd, which would start it in
 * the host's namespace: the agent is detached instead and inherits the namespace.
 */
export function inHostNetworkNamespace(): boolean {
  try {
    return readlinkSync('/proc/self/ns/net') === readlinkSync('/proc/1/ns/net');
  } catch {
    // Not readable (not root): systemd is not ours to use anyway; assume the host's.
    return true;
  }
}

export function unitName(node: string): string {
  return `kctl-node-${node}.service`;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** The unit file: the agent under the node it was joined from, restarted when it fails. */
export function unitFile(node: string, args: string[], env: Record<string, string>): string {
  return [
    '[Unit]',
    `Description=kctl node agent ${node}`,
    'After=network-online.target docker.service',
    'Wants=network-online.target',
    '',
    '[Service]',
    ...Object.entries(env).map(([k, v]) => `Environment=${quote(`${k}=${v}`)}`),
    `ExecStart=${[process.execPath, join(REPO_ROOT, 'bin', 'kctl-node'), ...args].map(quote).join(' ')}`,
    'Restart=always',
    'RestartSec=2',
    'KillMode=process',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function startAgentService(home: string, node: JoinedNode, args: string[], env: Record<string, string>): JoinedNode {
  mkdirSync(joinedDir(home), { recursive: true, mode: 0o700 });
  let started: JoinedNode;
  if (systemdRuns() && inHostNetworkNamespace()) {
    const unit = unitName(node.name);
    writeFileSync(join(SYSTEMD_DIR, unit), unitFile(node.name, args, env));
    execFileSync('systemctl', ['daemon-reload']);
    execFileSync('systemctl', ['enable', '--now', unit], { stdio: ['ignore', 'ignore', 'pipe'] });
    started = { ...node, unit };
  } else {
    const pid = startDetached('kctl-node', args, join(node.dataDir, 'kctl-node.log'), { ...process.env, ...env });
    writeFileSync(join(node.dataDir, 'kctl-node.pid'), `${pid}\n`);
    started = { ...node, pid };
  }
  writeFileSync(join(joinedDir(home), `${node.name}.json`), `${JSON.stringify(started, null, 2)}\n`, { mode: 0o600 });
  return started;
}

/** Whether the agent still runs (for a unit: systemd says it is active). */
export function agentRunning(node: JoinedNode): boolean {
  if (node.unit) {
    try {
      return execFileSync('systemctl', ['is-active', node.unit]).toString().trim() === 'active';
    } catch {
      return false;
    }
  }
  return isAlive(node.pid);
}

export function agentLog(node: JoinedNode): string {
  return node.unit ? `journalctl -u ${node.unit}` : join(node.dataDir, 'kctl-node.log');
}

/** Stops the agent and removes its unit or pid file and its record (not its data dir). */
export async function removeAgentService(home: string, node: JoinedNode): Promise<void> {
  if (node.unit) {
    try {
      execFileSync('systemctl', ['disable', '--now', node.unit], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(join(SYSTEMD_DIR, node.unit), { force: true });
    try {
      execFileSync('systemctl', ['daemon-reload'], { stdio: 'ignore' });
    } catch {
      // systemd is gone too
    }
  } else if (node.pid) {
    await stopProcess(node.pid);
    rmSync(join(node.dataDir, 'kctl-node.pid'), { force: true });
  }
  rmSync(join(joinedDir(home), `${node.name}.json`), { force: true });
}
