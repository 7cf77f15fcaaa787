// The node agents of a local cluster: the join token they share (kept in $KCTL_HOME/node-token,
// mode 0600, and passed by file so it stays out of the process list), and starting them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient } from '../../api/client.js';
import { createJoinToken, joinTokenValid } from '../join-tokens.js';
import { programCommand, spawnDetached, type ClusterPaths } from './local-cluster.js';
import { inNamespace } from './machines/host-command.js';
import type { MachinesState } from './machines/machines.js';

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
  /** Set when each node is a simulated machine of its own. */
  machines?: MachinesState;
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
 * A machine's agent runs in the machine's namespace, drives the machine's engine, and runs the
 * machine's network services on the machine's address.
 */
function machineAgentCommand(p: ClusterPaths, opts: AgentStart, machines: MachinesState, name: string): { command: string[]; env: NodeJS.ProcessEnv } {
  const m = machines.list.find((x) => x.name === name);
  if (!m) throw new Error(`no simulated machine is named ${name}`);
  const network = { nodePortAddresses: [m.address], ingressAddress: m.address, ingressPort: opts.network.ingressPort };
  const args = [...agentArgs(p, opts, name), '--node-ip', m.address, '--pod-network', machines.podNetwork, ...networkArgs(network)];
  return { command: [...inNamespace(m.namespace), ...programCommand('kctl-node', args)], env: { ...process.env, DOCKER_HOST: `unix://${m.engine.socket}` } };
}

export function startNodeAgents(p: ClusterPaths, opts: AgentStart): NodeAgent[] {
  return opts.names.map((name) => {
    if (opts.machines) {
      const { command, env } = machineAgentCommand(p, opts, opts.machines, name);
      return { name, pid: spawnDetached(command, nodeLogFile(p, name), env) };
    }
    const args = [...agentArgs(p, opts, name), ...(name === NETWORK_NODE ? networkArgs(opts.network) : [])];
    return { name, pid: spawnDetached(programCommand('kctl-node', args), nodeLogFile(p, name)) };
  });
}
