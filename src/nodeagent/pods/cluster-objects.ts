// Everything a cluster's node agents made in Docker, found by the cluster label, and its removal
// (`kctl cluster down`).
import type { DockerClient } from '../docker/docker-client.js';
import { DockerError } from '../docker/errors.js';
import { CLUSTER_LABEL } from '../../api/cluster-network.js';
import { NODE_LABEL } from './containers.js';

export interface RemovedObjects {
  containers: number;
  networks: number;
  volumes: number;
}

function clusterFilter(cluster: string): Record<string, string[]> {
  return { label: [`${CLUSTER_LABEL}=${cluster}`] };
}

async function removeContainers(docker: DockerClient, containers: Array<{ Id: string }>): Promise<void> {
  await Promise.all(
    containers.map((c) =>
      docker.removeContainer(c.Id, { force: true, volumes: true }).catch((err) => {
        if (!(err instanceof DockerError && err.statusCode === 404)) throw err;
      }),
    ),
  );
}

/** Removes the containers one node's agent ran (a node removed from a group leaves none behind). */
export async function removeNodeContainers(docker: DockerClient, cluster: string, node: string): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}=${cluster}`, `${NODE_LABEL}=${node}`] } });
  await removeContainers(docker, containers);
  return containers.length;
}

/**
 * Removes the cluster's containers, then its volumes (tmpfs emptyDirs) and networks. A network that another cluster's pods still
 * use (all clusters on this machine share the pod network) stays.
 */
export async function removeClusterObjects(docker: DockerClient, cluster: string): Promise<RemovedObjects> {
  const containers = await docker.listContainers({ all: true, filters: clusterFilter(cluster) });
  await removeContainers(docker, containers);
  const volumes = await docker.listVolumes({ filters: clusterFilter(cluster) });
  await Promise.all(
    volumes.map((v) =>
      docker.removeVolume(v.Name, { force: true }).catch((err) => {
        if (!(err instanceof DockerError && err.statusCode === 404)) throw err;
      }),
    ),
  );
  let networks = 0;
  for (const n of await docker.listNetworks({ filters: clusterFilter(cluster) })) {
    try {
      await docker.removeNetwork(n.Id);
      networks++;
    } catch (err) {
      // 403: endpoints are still attached (another cluster's pods); 404: already gone.
      if (!(err instanceof DockerError && (err.statusCode === 403 || err.statusCode === 404))) throw err;
    }
  }
  return { containers: containers.length, networks, volumes: volumes.length };
}
