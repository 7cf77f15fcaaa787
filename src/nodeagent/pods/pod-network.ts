// The cluster's pod network: one Docker bridge shared by every node agent on this machine, so pods
// on all nodes reach each other directly, as a CNI would give. The pod IP is its sandbox's IP here.
// `kctl cluster up` makes it (claimPodNetwork) and `cluster down` removes it with the cluster's other
// Docker objects; agents make it again only if it went missing under them.
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { DockerError } from '../docker/errors.js';
import type { DockerClient } from '../docker/docker-client.js';
import { CLUSTER_LABEL, POD_NETWORK, POD_SUBNET } from '../../api/cluster-network.js';

const exec = promisify(execFile);

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
 * The pod network of one machine of a cluster across machines: its node's range (spec.podCIDR),
 * and the MTU an overlay leaves room for. Absent: the shared bridge of a one-machine cluster.
 */
export interface PodNetworkSpec {
  subnet: string;
  mtu?: number;
}

/**
 * Makes the pod network this cluster's. One network per machine, since the service range and the
 * proxy's rules are the machine's too: a network another cluster's pods are on is refused with the
 * way out; one left behind by a cluster that is gone (no container on it) is made again.
 */
export async function claimPodNetwork(docker: DockerClient, cluster: string, spec?: PodNetworkSpec): Promise<void> {
  const existing = await inspectPodNetwork(docker);
  if (existing) {
    const owner = existing.Labels?.[CLUSTER_LABEL];
    const subnet = existing.IPAM?.Config?.[0]?.Subnet;
    if (owner === cluster && subnet === (spec?.subnet ?? POD_SUBNET)) return;
    if (Object.keys(existing.Containers ?? {}).length > 0) {
      throw new Error(
        `the pod network ${POD_NETWORK} (${POD_SUBNET}) is in use by another cluster (${owner ?? 'not made by kctl'}): ` +
          'one cluster with nodes runs on a machine at a time; stop the other one with "kctl cluster down" (with its KCTL_HOME)',
      );
    }
    await docker.removeNetwork(existing.Id);
  }
  await ensurePodNetwork(docker, cluster, spec);
}

/** Creates the network when missing; another agent or pod creating it at the same moment is no error. */
export async function ensurePodNetwork(docker: DockerClient, cluster: string, spec?: PodNetworkSpec): Promise<void> {
  if (await podNetworkExists(docker)) return;
  try {
    await docker.createNetwork({
      Name: POD_NETWORK,
      Driver: 'bridge',
      CheckDuplicate: true,
      IPAM: { Config: [{ Subnet: spec?.subnet ?? POD_SUBNET }] },
      Options: {
        'com.docker.network.bridge.name': POD_NETWORK,
        ...(spec?.mtu ? { 'com.docker.network.driver.mtu': String(spec.mtu) } : {}),
      },
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
  // /sys shows the network namespace it was mounted in: an agent entered into a machine's
  // namespace (nsenter --net) sees this computer's links there, so it asks the kernel through ip.
  if (!(await sysfsShowsOwnNamespace())) return enableHairpinByIp(bridge);
  const ports = await readdir(`/sys/class/net/${bridge}/brif`).catch(() => [] as string[]);
  await Promise.all(
    ports.map(async (port) => {
      const file = join('/sys/class/net', bridge, 'brif', port, 'hairpin_mode');
      if ((await readFile(file, 'utf8').catch(() => '1')).trim() !== '1') await writeFile(file, '1\n').catch(() => undefined);
    }),
  );
}

let sysfsOwn: Promise<boolean> | undefined;

/** Whether /sys/class/net lists exactly the links of this process's network namespace. */
function sysfsShowsOwnNamespace(): Promise<boolean> {
  sysfsOwn ??= (async () => {
    const links = JSON.parse((await exec('ip', ['-j', 'link', 'show'])).stdout) as Array<{ ifname: string }>;
    const sysfs = new Set(await readdir('/sys/class/net').catch(() => [] as string[]));
    return links.length === sysfs.size && links.every((l) => sysfs.has(l.ifname));
  })().catch(() => true);
  return sysfsOwn;
}

async function enableHairpinByIp(bridge: string): Promise<void> {
  const ports = JSON.parse((await exec('ip', ['-j', '-d', 'link', 'show', 'master', bridge])).stdout) as Array<{ ifname: string; linkinfo?: { info_slave_data?: { hairpin?: boolean } } }>;
  await Promise.all(
    ports
      .filter((p) => !p.linkinfo?.info_slave_data?.hairpin)
      .map((p) => exec('ip', ['link', 'set', 'dev', p.ifname, 'type', 'bridge_slave', 'hairpin', 'on']).catch(() => undefined)),
  );
}
