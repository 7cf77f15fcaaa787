// The node agents of a local cluster: the join token they share (kept in $KCTL_HOME/node-token,
// mode 0600, and passed by file so it stays out of the process list), and starting them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient } from '../../api/client.js';
import { createJoinToken, joinTokenValid } from '../join-tokens.js';
import { programCommand, spawnDetached, type ClusterPaths } from './local-cluster.js';
import { joinMachine, type JoinLine } from './machines/machine-join.js';
import type { MachineRecord, MachinesState } from './machines/machines.js';
import type { PodNetworkMode } from '../../nodeagent/podnet/peer-routes.js';

export interface NodeAgent {
  name: string;
  pid: number;
}

export function nodeTokenFile(p: ClusterPaths): string {
  return join(p.home, 'node-token');
}

export function nodeLogFile(p: ClusterPaths, name: string): string {
  return join(p.logs, `${name}.log`);
}

/** The agent that also runs the machine's network services (service proxy, DNS, ingress): one per machine. */
export const NETWORK_NODE = 'node-1';

/** What `cluster up` was told about the machine's network services; kept in cluster.json for restarts. */
export interface NetworkSettings {
  nodePortAddresses: string[];
  ingressAddress: string;
  ingressPort: number;
}

function networkArgs(n: NetworkSettings): string[] {
  return [
    '--proxy',
    '--nodeport-addresses', n.nodePortAddresses.join(','),
    '--ingress-address', n.ingressAddress,
    '--ingress-port', String(n.ingressPort),
  ];
}

export function nodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `node-${i + 1}`);
}

/**
 * The token the agents bootstrap their client certificates with, made once per cluster. It never
 * expires, so an agent whose data dir was wiped (or a node added later) can bootstrap again; once
 * an agent holds its certificate it no longer uses the token.
 */
export async function ensureNodeJoinToken(client: ApiClient, p: ClusterPaths): Promise<string> {
  const file = nodeTokenFile(p);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (await joinTokenValid(client, token)) return token;
  }
  const token = await createJoinToken(client, { ttlMs: 0, description: 'kctl cluster up: the join token of the local node agents' });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export interface AgentStart {
  server: string;
  caFile: string;
  /** Which agents to start (node names). */
  names: string[];
  /** How many agents share this machine: each offers 1/count of it. */
  count: number;
  /** The agents' --lease-duration-seconds (renewed every quarter of it); the agent's default when absent. */
  leaseDurationSeconds?: number;
  network: NetworkSettings;
}

function agentArgs(p: ClusterPaths, opts: AgentStart, name: string): string[] {
  return [
    '--name', name,
    '--server', opts.server,
    '--token-file', nodeTokenFile(p),
    '--ca-file', opts.caFile,
    '--share', String(opts.count),
    '--data-dir', join(p.home, 'nodes', name),
    ...(opts.leaseDurationSeconds ? ['--lease-duration-seconds', String(opts.leaseDurationSeconds)] : []),
  ];
}

/**
 * What a machine's agent is given besides what `kctl join` gives every agent: its share, its lease,
 * the machine's pod network and network services on the machine's address. No --node-ip: the agent
 * finds the machine's address from its route to the API server, as on a computer that joined.
 */
function machineAgentArgs(opts: AgentStart, m: MachineRecord, podNetwork: PodNetworkMode): string[] {
  const network = { nodePortAddresses: [m.address], ingressAddress: m.address, ingressPort: opts.network.ingressPort };
  return [
    '--share', String(opts.count),
    ...(opts.leaseDurationSeconds ? ['--lease-duration-seconds', String(opts.leaseDurationSeconds)] : []),
    '--pod-network', podNetwork,
    ...networkArgs(network),
  ];
}

/** Starts agents on this computer's engine (the cluster's shared pod bridge); see joinMachineAgent for machines. */
export function startNodeAgents(p: ClusterPaths, opts: AgentStart): NodeAgent[] {
  return opts.names.map((name) => {
    const args = [...agentArgs(p, opts, name), ...(name === NETWORK_NODE ? networkArgs(opts.network) : [])];
    return { name, pid: spawnDetached(programCommand('kctl-node', args), nodeLogFile(p, name)) };
  });
}

/** Runs the join line on machine `name` (see machines/machine-join.ts); resolves once its Node is Ready. */
export async function joinMachineAgent(p: ClusterPaths, opts: AgentStart & { machines: MachinesState }, name: string, line: JoinLine, timeoutMs: number): Promise<NodeAgent> {
  const m = opts.machines.list.find((x) => x.name === name);
  if (!m) throw new Error(`no simulated machine is named ${name}`);
  const joined = await joinMachine(p.home, m, line, machineAgentArgs(opts, m, opts.machines.podNetwork), timeoutMs);
  return { name, pid: joined.pid! };
}
