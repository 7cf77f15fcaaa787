// The nodes of node groups: started and stopped for the cluster autoscaler (which runs
// `kctl cluster add-nodes|remove-nodes`) and for `cluster up` (each group's minimum). Each kind of
// node has its starter (agent-nodes.ts, machine-nodes.ts, hollow-nodes.ts); every node is recorded
// in cluster.json with its group, so `cluster down` stops it like any other.
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import type { NodeGroupKind, NodeGroupSpec } from '../../../api/node-groups.js';
import { MACHINE_MAX_PODS } from '../../../nodeagent/machine-runtime.js';
import { CliError } from '../../errors.js';
import { adminClient } from '../admin-client.js';
import { readClusterCA } from '../certificates.js';
import { writeState, type ClusterPaths, type ClusterState } from '../local-cluster.js';
import { ensureNodeJoinToken, nodeJoinToken } from '../node-agents.js';
import { agentNodes } from './agent-nodes.js';
import type { GroupContext, GroupNodeRecord, GroupNodeStarter } from './group-node-starter.js';
import { hollowNodes } from './hollow-nodes.js';
import { machineNodes } from './machine-nodes.js';

const STARTERS: Record<NodeGroupKind, GroupNodeStarter> = { agent: agentNodes, machine: machineNodes, hollow: hollowNodes };

/**
 * The groups as the daemon gets them: the kind the cluster's nodes are (machines with --machines),
 * and a capacity for every template, so a group with no node yet can be modelled. Agents and
 * machines not told otherwise offer this computer's share among the `sharing` nodes cluster up
 * starts; hollow nodes offer their usual machine.
 */
export function resolveNodeGroups(groups: NodeGroupSpec[], machines: boolean, sharing: number): NodeGroupSpec[] {
  const share = Math.max(1, sharing);
  return groups.map((g) => {
    const t = { ...g.template };
    if (t.kind === 'machine' && !machines) throw new CliError(`node group ${g.name}: machine nodes need --machines`);
    if (t.kind === 'agent' && machines) throw new CliError(`node group ${g.name}: with --machines every node is a machine (template "machine" or "hollow")`);
    if (t.kind === 'hollow') {
      t.cpu ??= '8';
      t.memory ??= '32Gi';
      t.pods ??= MACHINE_MAX_PODS;
    } else {
      t.cpu ??= `${Math.max(1, Math.floor((cpus().length * 1000) / share))}m`;
      t.memory ??= `${Math.floor(totalmem() / share / 2 ** 20)}Mi`;
      t.pods ??= Math.max(1, Math.floor(MACHINE_MAX_PODS / share));
    }
    return { ...g, template: t };
  });
}

function newNames(group: string, count: number, taken: Set<string>): string[] {
  const names: string[] = [];
  while (names.length < count) {
    const suffix = randomBytes(8).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 5);
    const name = `${group}-${suffix}`;
    if (suffix.length === 5 && !taken.has(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

export function findGroup(state: ClusterState, name: string): NodeGroupSpec {
  const group = state.nodeGroups?.find((g) => g.name === name);
  if (!group) throw new CliError(`the cluster has no node group "${name}"${state.nodeGroups?.length ? ` (it has ${state.nodeGroups.map((g) => g.name).join(', ')})` : ''}`);
  return group;
}

async function withContext<T>(p: ClusterPaths, state: ClusterState, timeoutMs: number, fn: (ctx: GroupContext) => Promise<T>): Promise<T> {
  const caPem = readClusterCA(p.home);
  const client = adminClient(p, state.server, caPem);
  const record = (node: GroupNodeRecord) => {
    state.nodes = [...state.nodes.filter((n) => n.name !== node.name), node].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    writeState(p, state);
  };
  try {
    return await fn({ p, state, client, caPem, timeoutMs, record });
  } finally {
    client.close();
  }
}

/** Starts `count` new nodes of the group; returns their Nodes' names (a hollow node's is its process's name with -0). */
export async function addGroupNodes(p: ClusterPaths, state: ClusterState, group: NodeGroupSpec, count: number, timeoutMs: number): Promise<string[]> {
  const before = new Set(state.nodes.map((n) => n.name));
  const names = newNames(group.name, count, before);
  return withContext(p, state, timeoutMs, async (ctx) => {
    await ensureNodeJoinToken(ctx.client, nodeJoinToken(p));
    await STARTERS[group.template.kind].start(ctx, group, names);
    return state.nodes.filter((n) => !before.has(n.name)).map((n) => n.name);
  });
}

/** Stops the named nodes of groups; a name that is no group's node is refused before anything stops. */
export async function removeGroupNodes(p: ClusterPaths, state: ClusterState, names: string[], timeoutMs: number): Promise<void> {
  const records = names.map((name) => {
    const record = state.nodes.find((n) => n.name === name);
    if (!record?.group) throw new CliError(`"${name}" is not a node of a node group (only those are removed this way; "kctl cluster status" lists the nodes)`);
    return record;
  });
  await withContext(p, state, timeoutMs, async (ctx) => {
    for (const record of records) {
      await STARTERS[findGroup(state, record.group!).template.kind].stop(ctx, record);
      state.nodes = state.nodes.filter((n) => n.name !== record.name);
      writeState(p, state);
    }
  });
}
