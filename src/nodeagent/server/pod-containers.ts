// Which Docker container holds a pod's container, found by the labels the agent puts on every
// container it runs (so it works for containers an earlier agent process started): the current
// run is the one with the highest restart count, `previous` the run before it.
import type { DockerClient } from '../docker/docker-client.js';
import type { ContainerSummary } from '../docker/types.js';
import { CONTAINER_NAME_LABEL, NODE_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, RESTART_COUNT_LABEL } from '../pods/containers.js';
import { CLUSTER_LABEL } from '../../api/cluster-network.js';

export interface ContainerRef {
  namespace: string;
  pod: string;
  container: string;
}

export interface NodeScope {
  node: string;
  /** The cluster's identity, the value of the cluster label. */
  cluster: string;
}

function restartCount(c: ContainerSummary): number {
  return Number(c.Labels[RESTART_COUNT_LABEL] ?? 0);
}

/**
 * The current run (previous false) or the one before it, among the Docker containers of one pod
 * container. A pod deleted and created again under the same name briefly has two UIDs: the
 * newest wins.
 */
export function pickRun(containers: ContainerSummary[], previous: boolean): ContainerSummary | undefined {
  if (containers.length === 0) return undefined;
  const newest = containers.reduce((a, b) => (b.Created > a.Created ? b : a));
  const runs = containers
    .filter((c) => c.Labels[POD_UID_LABEL] === newest.Labels[POD_UID_LABEL])
    .sort((a, b) => restartCount(b) - restartCount(a));
  return runs[previous ? 1 : 0];
}

export async function findRun(docker: DockerClient, scope: NodeScope, ref: ContainerRef, previous: boolean): Promise<ContainerSummary | undefined> {
  const containers = await docker.listContainers({
    all: true,
    filters: {
      label: [
        `${CLUSTER_LABEL}=${scope.cluster}`,
        `${NODE_LABEL}=${scope.node}`,
        `${POD_NAMESPACE_LABEL}=${ref.namespace}`,
        `${POD_NAME_LABEL}=${ref.pod}`,
        `${CONTAINER_NAME_LABEL}=${ref.container}`,
      ],
    },
  });
  return pickRun(containers, previous);
}
