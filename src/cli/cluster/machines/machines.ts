// The simulated machines of `kctl cluster up --machines N`: what is made for each (namespace and
// veth on the LAN, engine, images), recorded in cluster.json before it is made, and the removal of
// all of it, by record and, for what a crash left unrecorded, by name prefix.
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerClient, prepareOfflineImages } from '../../../nodeagent/machine-runtime.js';
import type { PodNetworkMode } from '../../../api/cluster-network.js';
import { isAlive } from '../processes.js';
import { enginePaths, killAll, removeEngine, startEngine, waitForEngine, type EnginePaths } from './machine-engine.js';
import { createLan, createMachineLink, leftoverLinks, removeHostLink, removeLan, removeMachineLink, removeNamespace } from './lan-links.js';
import { attempt, netnsPath } from './host-command.js';
import { hostLink, LAN_BRIDGE, lanForwardRule, machineAddress, machineNamespace, NAMESPACE_PREFIX, RUN_DIR } from './lan.js';

export interface MachineRecord {
  name: string;
  namespace: string;
  hostLink: string;
  address: string;
  engine: EnginePaths;
  /** The engine's dockerd, while it runs. */
  enginePid?: number;
}

export interface MachinesState {
  podNetwork: PodNetworkMode;
  /** The pod network the Nodes' ranges are cut from (`cluster up --cluster-cidr`); absent: 10.244.0.0/16. */
  clusterCidr?: string;
  list: MachineRecord[];
}

const OWNER_FILE = join(RUN_DIR, 'owner.json');

export function planMachines(home: string, names: string[]): MachineRecord[] {
  return names.map((name, i) => planMachine(home, name, i + 1));
}

/** Machine `index` (1-based) of the LAN: its address and host link follow from it. */
export function planMachine(home: string, name: string, index: number): MachineRecord {
  return { name, namespace: machineNamespace(name), hostLink: hostLink(index), address: machineAddress(index), engine: enginePaths(home, name) };
}

/** The lowest LAN index no machine of the list has. */
export function freeMachineIndex(list: MachineRecord[]): number {
  const used = new Set(list.map((m) => m.hostLink));
  let i = 1;
  while (used.has(hostLink(i))) i++;
  return i;
}

/** The LAN is one per computer: refused while another KCTL_HOME's cluster holds it. */
export function claimLan(home: string, apiserverPid: number | undefined): void {
  try {
    const owner = JSON.parse(readFileSync(OWNER_FILE, 'utf8')) as { home: string; apiserverPid?: number };
    if (owner.home !== home && isAlive(owner.apiserverPid)) {
      throw new Error(`the simulated machines' LAN is in use by the cluster under ${owner.home}: stop it first (KCTL_HOME=${owner.home} kctl cluster down)`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(OWNER_FILE, `${JSON.stringify({ home, apiserverPid })}\n`);
}

export async function makeLan(): Promise<void> {
  await createLan();
}

/**
 * Namespace, link and engine of one machine: resolves with the engine's pid once it answers, and
 * the import of its images, begun then (the agent can register meanwhile; pods need the images).
 */
export async function bringUpMachine(m: MachineRecord, timeoutMs: number): Promise<{ pid: number; images: Promise<void> }> {
  await createMachineLink(m);
  const pid = startEngine(m.namespace, m.engine);
  await waitForEngine(pid, m.engine, timeoutMs);
  const images = (async () => {
    const docker = new DockerClient({ socketPath: m.engine.socket });
    try {
      await prepareOfflineImages(docker);
    } finally {
      await docker.close();
    }
  })();
  // Awaited by the caller later; a failure is reported there, not as an unhandled rejection.
  images.catch(() => undefined);
  return { pid, images };
}

/** Every process in the machine's network namespace: its node agent (and a `kctl join` still running), its engine and containerd. */
function processesIn(namespace: string): number[] {
  let inode: number;
  try {
    inode = statSync(netnsPath(namespace)).ino;
  } catch {
    return [];
  }
  const want = `net:[${inode}]`;
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/net`) === want) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * The machine goes as a computer that is switched off: everything running in it is killed at once
 * (nothing of it outlives the removal, so nothing waits on a graceful stop), then what the engine
 * left (shims, containers, mounts, cgroups, data) and the machine's namespace and link go.
 */
export async function removeMachine(m: MachineRecord, agentPids: number[] = []): Promise<void> {
  killAll([...agentPids, ...processesIn(m.namespace), ...(m.enginePid ? [m.enginePid] : [])].filter(isAlive));
  await removeEngine(m.engine, m.enginePid);
  await removeMachineLink(m);
}

/** Everything recorded, then whatever else carries the machines' prefixes (a crash's leftovers). */
export async function removeMachines(home: string, machines: MachinesState | undefined, agentPids: number[] = []): Promise<void> {
  await Promise.all((machines?.list ?? []).map((m) => removeMachine(m, agentPids)));
  await sweepLeftovers(home);
}

export async function sweepLeftovers(home: string): Promise<void> {
  for (const namespace of leftoverLinks().namespaces) killAll(processesIn(namespace));
  const engines = existsSync(RUN_DIR) ? readdirSync(RUN_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  await Promise.all(engines.map((name) => removeEngine(enginePaths(home, name))));
  await Promise.all(leftoverLinks().namespaces.map(removeNamespace));
  // Deleting a namespace takes its veths along; host ends that outlived theirs go here.
  await Promise.all(leftoverLinks().hostLinks.map(removeHostLink));
  await removeLan();
  rmSync(RUN_DIR, { recursive: true, force: true });
  rmSync(join(home, 'machines'), { recursive: true, force: true });
}

/** What of the machines is still on this computer: empty after a complete `cluster down`. */
export async function machineLeftovers(home: string): Promise<string[]> {
  const { namespaces, hostLinks } = leftoverLinks();
  const out = [...namespaces.map((n) => `network namespace ${n}`), ...hostLinks.map((l) => `link ${l}`)];
  if (existsSync(`/sys/class/net/${LAN_BRIDGE}`)) out.push(`bridge ${LAN_BRIDGE}`);
  if (existsSync(RUN_DIR)) out.push(`directory ${RUN_DIR}`);
  if (existsSync(join(home, 'machines'))) out.push(`directory ${join(home, 'machines')}`);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '');
  for (const m of mounts) if (m.startsWith(`${RUN_DIR}/`) || m.startsWith(`${join(home, 'machines')}/`)) out.push(`mount ${m}`);
  if (await attempt('iptables', ['-w', '5', '-C', ...lanForwardRule()])) out.push(`iptables rule ${lanForwardRule().join(' ')}`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // The engines' processes by their run dirs; the agents `kctl join` started by their data dirs.
      if (cmdline.includes(`${RUN_DIR}/`) || cmdline.includes(`${join(home, 'machines')}/`)) out.push(`process ${entry} ${cmdline.split('\0').slice(0, 3).join(' ')}`);
    } catch {
      // gone meanwhile
    }
  }
  for (const hierarchy of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    const dir = join('/sys/fs/cgroup', hierarchy);
    try {
      for (const cg of readdirSync(dir)) if (cg.startsWith(NAMESPACE_PREFIX)) out.push(`cgroup ${join(dir, cg)}`);
    } catch {
      // not a hierarchy
    }
  }
  return out;
}
