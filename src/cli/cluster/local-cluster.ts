// A local cluster under $KCTL_HOME: where its pid files, logs and data live, and the state file that
// records what `cluster up` started (processes.ts starts and stops them).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kctlHome } from '../../api/kubeconfig.js';
import type { MachinesState } from './machines/machines.js';
import type { PodNetwork } from './pod-network-settings.js';
import type { NodeGroupSpec } from '../../api/node-groups.js';
import type { RegistryState } from './registry/cluster-registry.js';

export interface ClusterPaths {
  home: string;
  db: string;
  tokens: string;
  kubeconfig: string;
  logs: string;
  state: string;
}

/** What `cluster up` was told about the machine's network services; kept in cluster.json for restarts. */
export interface NetworkSettings {
  nodePortAddresses: string[];
  ingressAddress: string;
  ingressPort: number;
}

export interface ClusterState {
  server: string;
  port: number;
  bindAddress: string;
  apiserverPid: number;
  /** Each node's process; `group` for the nodes of a node group (see node-groups/group-nodes.ts). */
  nodes: Array<{ name: string; pid: number; group?: string }>;
  /** The node groups the cluster autoscaler grows and shrinks (`cluster up --node-group`), templates filled in. */
  nodeGroups?: NodeGroupSpec[];
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
