// The cluster's pod network: one Docker bridge shared by every node agent on this machine, so pods
// on all nodes reach each other directly, as a CNI would give. The pod IP is its sandbox's IP here.
import { DockerError } from '../docker/errors.js';
import type { DockerClient } from '../docker/docker-client.js';
import { CLUSTER_LABEL, POD_NETWORK, POD_SUBNET } from '../../api/cluster-network.js';


async function podNetworkExists(docker: DockerClient): Promise<boolean> {
  try {
    await docker.inspectNetwork(POD_NETWORK);
    return true;
  } catch (err) {
    if (err instanceof DockerError && err.statusCode === 404) return false;
    throw err;
  }
}

/** Creates the network when missing; another agent or pod creating it at the same moment is no error. */
export async function ensurePodNetwork(docker: DockerClient, cluster: string): Promise<void> {
  if (await podNetworkExists(docker)) return;
  try {
    await docker.createNetwork({
      Name: POD_NETWORK,
      Driver: 'bridge',
      CheckDuplicate: true,
      IPAM: { Config: [{ Subnet: POD_SUBNET }] },
      Options: { 'com.docker.network.bridge.name': POD_NETWORK },
      Labels: { [CLUSTER_LABEL]: cluster },
    });
  } catch (err) {
    // A concurrent creation makes the engine answer 409 (same name) or 403 (overlapping pool).
    if (!(await podNetworkExists(docker))) throw err;
  }
}
