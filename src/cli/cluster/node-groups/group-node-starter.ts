// What each kind of node-group node (agent-nodes.ts, machine-nodes.ts, hollow-nodes.ts) implements,
// and the agent flags they all pass; group-nodes.ts picks the starter by the group's template.
import { NODE_GROUP_LABEL, type NodeGroupSpec } from '../../../api/node-groups.js';
import type { HttpClient } from '../../../api/http-client.js';
import type { ClusterPaths, ClusterState } from '../local-cluster.js';

export type GroupNodeRecord = ClusterState['nodes'][number];

/** What a starter is handed: the cluster, an admin client, and how long starting may take. */
export interface GroupContext {
  p: ClusterPaths;
  state: ClusterState;
  client: HttpClient;
  caPem: string;
  timeoutMs: number;
  /** Records a started node in cluster.json at once, so `cluster down` stops it whatever happens next. */
  record(node: GroupNodeRecord): void;
}

export interface GroupNodeStarter {
  /** Starts nodes with these names, recording each (their Nodes may register after it returns). */
  start(ctx: GroupContext, group: NodeGroupSpec, names: string[]): Promise<void>;
  /** Stops the node and removes what it ran. */
  stop(ctx: GroupContext, node: GroupNodeRecord): Promise<void>;
}

/** The flags that make an agent a node of the group: its label and the template's capacity. */
export function groupAgentArgs(group: NodeGroupSpec): string[] {
  const t = group.template;
  return [
    '--labels', `${NODE_GROUP_LABEL}=${group.name}`,
    ...(t.cpu ? ['--cpu', t.cpu] : []),
    ...(t.memory ? ['--memory', t.memory] : []),
    ...(t.pods ? ['--pods', String(t.pods)] : []),
  ];
}
