// The cluster's pod network: one Docker bridge shared by every node agent on this machine, so pods
// on all nodes reach each other directly, as a CNI would give. The pod IP is its sandbox's IP here.
// `kctl cluster up` makes it (claimPodNetwork) and `cluster down` removes it with the cluster's other
// Docker objects; agents make it again only if it went missing under them.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerError } from '../docker/errors.js';
import type { DockerClient } from '../docker/docker-client.js';
import { CLUSTER_LABEL, POD_NETWORK, POD_SUBNET } from '../../api/cluster-network.js';

async function inspectPodNetwork(docker: DockerClient) {
  try {
    return await docker.inspectNetwork(POD_NETWORK);
  } catch (err) {
    if (err instanceof DockerError && err.statusCode === 404) return undefined;
    throw err;
  }
}

async function podNetworkExists(docker: DockerClient): Promise<boolean> {
  return (await inspectPodNetwork(docker)) !== undefined;
}

/**
 * Makes the pod network this cluster's. One network per machine, since the service range and the
 * proxy's rules are the machine's too: a network another cluster's pods are on is refused with the
 * way out; one left behind by a cluster that is gone (no container on it) is made again.
 */
export async function claimPodNetwork(docker: DockerClient, cluster: string): Promise<void> {
  const existing = await inspectPodNetwork(docker);
  if (existing) {
    const owner = existing.Labels?.[CLUSTER_LABEL];
    if (owner === cluster) return;
    if (Object.keys(existing.Containers ?? {}).length > 0) {
      throw new Error(
        `the pod network ${POD_NETWORK} (${POD_SUBNET}) is in use by another cluster (${owner ?? 'not made by kctl'}): ` +
          'one cluster with nodes runs on a machine at a time; stop the other one with "kctl cluster down" (with its KCTL_HOME)',
      );
    }
    await docker.removeNetwork(existing.Id);
  }
  await ensurePodNetwork(docker, cluster);
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

/**
 * Hairpin mode on every port of the bridge: a pod whose connection to its own Service is DNATed
 * back to itself gets the packets out of the port they came in by, which a bridge otherwise drops.
 * Ports are the pods' veths, so this is called after each sandbox starts.
 */
export async function enableHairpin(bridge = POD_NETWORK): Promise<void> {
  const ports = await readdir(`/sys/class/net/${bridge}/brif`).catch(() => [] as string[]);
  await Promise.all(
    ports.map(async (port) => {
      const file = join('/sys/class/net', bridge, 'brif', port, 'hairpin_mode');
      if ((await readFile(file, 'utf8').catch(() => '1')).trim() !== '1') await writeFile(file, '1\n').catch(() => undefined);
    }),
  );
}
