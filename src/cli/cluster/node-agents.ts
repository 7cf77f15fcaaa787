// The node agents of a local cluster: the join token they share (kept in $KCTL_HOME/node-token,
// mode 0600, and passed by file so it stays out of the process list), and starting them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient } from '../../api/client.js';
import { formatBootstrapToken, generateBootstrapToken, parseBootstrapToken } from '../../api/bootstrap-token.js';
import { ensureJoinToken } from '../join-tokens.js';
import type { ClusterPaths, ClusterState, NetworkSettings } from './local-cluster.js';
import { programCommand, spawnDetached } from './processes.js';
import { caCertHash } from '../../api/pki/ca-hash.js';
import { joinMachine, type JoinLine } from './machines/machine-join.js';
import type { MachineRecord } from './machines/machines.js';
import type { PodNetworkMode } from '../../api/cluster-network.js';

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
 * The token the agents bootstrap their client certificates with, chosen once per cluster and kept
 * in the file, so it is known before the API server answers (machines start joining meanwhile);
 * ensureNodeJoinToken makes it valid in the cluster. It never expires, so an agent whose data dir
 * was wiped (or a node added later) can bootstrap again; once an agent holds its certificate it no
 * longer uses the token.
 */
export function nodeJoinToken(p: ClusterPaths): string {
  const file = nodeTokenFile(p);
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (parseBootstrapToken(kept)) return kept;
  const token = formatBootstrapToken(generateBootstrapToken());
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export async function ensureNodeJoinToken(client: ApiClient, token: string): Promise<void> {
  await ensureJoinToken(client, token, { ttlMs: 0, description: 'kctl cluster up: the join token of the local node agents' });
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
  /** More flags for every agent started (a node group's label and capacity). */
  extraArgs?: string[];
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
    ...(opts.extraArgs ?? []),
  ];
}

/** What every machine's agent is given besides its machine: see machineAgentArgs. */
export interface MachineAgentSettings {
  /** How many agents share this computer: each offers 1/count of it. */
  count: number;
  leaseDurationSeconds?: number;
  podNetwork: PodNetworkMode;
  clusterCidr?: string;
  ingressPort: number;
}

/** The settings of every machine's agent in this cluster. */
export function machineAgentSettings(state: ClusterState): MachineAgentSettings {
  return {
    count: state.machines!.list.length,
    // The lease lasts the grace period and is renewed every quarter of it, the kubelet's 40 s / 10 s ratio.
    leaseDurationSeconds: state.nodeMonitorGracePeriodSeconds,
    podNetwork: state.machines!.podNetwork,
    clusterCidr: state.machines!.clusterCidr,
    ingressPort: state.network.ingressPort,
  };
}

/** The machines' join line, known before the API server answers: the agents' token and the CA's pin. */
export function machineJoinLine(p: ClusterPaths, server: string, caPem: string): JoinLine {
  return { endpoint: new URL(server).host, token: nodeJoinToken(p), caHash: caCertHash(caPem) };
}

/**
 * What a machine's agent is given besides what `kctl join` gives every agent: its share, its lease,
 * the machine's pod network and network services on the machine's address. No --node-ip: the agent
 * finds the machine's address from its route to the API server, as on a computer that joined.
 */
function machineAgentArgs(m: MachineRecord, o: MachineAgentSettings): string[] {
  return [
    '--share', String(o.count),
    ...(o.leaseDurationSeconds ? ['--lease-duration-seconds', String(o.leaseDurationSeconds)] : []),
    '--pod-network', o.podNetwork,
    ...(o.clusterCidr ? ['--cluster-cidr', o.clusterCidr] : []),
    ...networkArgs({ nodePortAddresses: [m.address], ingressAddress: m.address, ingressPort: o.ingressPort }),
  ];
}

/** Starts agents on this computer's engine (the cluster's shared pod bridge); see joinMachineAgent for machines. */
export function startNodeAgents(p: ClusterPaths, opts: AgentStart): NodeAgent[] {
  return opts.names.map((name) => {
    const args = [...agentArgs(p, opts, name), ...(name === NETWORK_NODE ? networkArgs(opts.network) : [])];
    return { name, pid: spawnDetached(programCommand('kctl-node', args), nodeLogFile(p, name)) };
  });
}

/** Runs the join line on the machine (see machines/machine-join.ts); resolves once its Node is Ready. */
export async function joinMachineAgent(p: ClusterPaths, m: MachineRecord, settings: MachineAgentSettings, line: JoinLine, timeoutMs: number, extraArgs: string[] = []): Promise<NodeAgent> {
  const joined = await joinMachine(p.home, m, line, [...machineAgentArgs(m, settings), ...extraArgs], timeoutMs);
  return { name: m.name, pid: joined.pid! };
}
