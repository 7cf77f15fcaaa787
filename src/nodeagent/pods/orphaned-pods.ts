// Pods whose containers are still in Docker but which no longer exist in the API: deleted while
// this agent was not running (or bound elsewhere since). Found from the labels every container of
// a pod carries, so an agent started again cleans up after its earlier life.
import type { DockerClient } from '../docker/docker-client.js';
import { NODE_LABEL, POD_UID_LABEL, type PodPlacement } from './containers.js';
import { CLUSTER_LABEL } from '../../api/cluster-network.js';

/**
 * The UIDs of pods with containers of this node in Docker that are not `current`; asked after
 * Docker answered, so a pod that arrived meanwhile (and may have just got its sandbox) is current.
 */
export async function orphanedPodUids(docker: DockerClient, placement: PodPlacement, current: (uid: string) => boolean): Promise<string[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${NODE_LABEL}=${placement.node}`, `${CLUSTER_LABEL}=${placement.cluster}`] },
  });
  const uids = new Set(containers.map((c) => c.Labels?.[POD_UID_LABEL]).filter((uid): uid is string => !!uid));
  return [...uids].filter((uid) => !current(uid));
}
