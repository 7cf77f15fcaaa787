// The pod sandbox: a pause container on the pod network that holds the pod's network and IPC
// namespaces for its containers to join.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DockerClient } from '../docker/docker-client.js';
import { dockerContainerName, sandboxConfig, SANDBOX_CONTAINER_NAME, type PodPlacement } from './containers.js';
import { enableHairpin, ensurePodNetwork } from './pod-network.js';

/** Creates and starts the pod's sandbox: its container ID. */
export async function startSandbox(docker: DockerClient, pod: Pod, placement: PodPlacement): Promise<string> {
  await ensurePodNetwork(docker, placement.cluster, placement.podNetwork);
  const { Id } = await docker.createContainer(sandboxConfig(pod, placement), { name: dockerContainerName(pod, SANDBOX_CONTAINER_NAME, 0) });
  await docker.startContainer(Id);
  await enableHairpin();
  return Id;
}
