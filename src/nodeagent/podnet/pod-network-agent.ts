// A machine's share of a pod network across machines, run by its node agent as Flannel's daemon
// runs on each node: it waits for its Node's range (spec.podCIDR, from the node IPAM controller),
// makes the machine's pod bridge from it, masquerades only what leaves the pod network, and keeps
// the routes (host-gw) or the VXLAN device's routes, neighbours and forwarding entries (vxlan) to
// every other node's range equal to the Nodes, level-triggered: each change of any Node rewrites
// the whole difference.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ApiClient } from '../../api/client.js';
import type { Informer } from '../../api/informer.js';
import { findByKind } from '../../api/resources.js';
import type { SharedInformers } from '../../api/shared-informers.js';
import type { KubeObject } from '../../api/types.js';
import type { DockerClient } from '../docker/docker-client.js';
import { claimPodNetwork, type PodNetworkSpec } from '../pods/pod-network.js';
import {
  gatewayOf,
  peerEntries,
  peersOf,
  vtepAddressOf,
  VTEP_MAC_ANNOTATION,
  VXLAN_DEVICE,
  VXLAN_ID,
  VXLAN_MTU,
  VXLAN_PORT,
  type PeerEntries,
} from './peer-routes.js';
import type { PodNetworkMode } from '../../api/cluster-network.js';

const exec = promisify(execFile);
const NODES = findByKind('Node')!;
/** Our routes carry this protocol number, so the stale ones are found (and no one else's touched). */
const ROUTE_PROTOCOL = '66';
const RETRY_MS = 1000;
const MASQUERADE_RULE = (clusterCidr: string) => [
  'POSTROUTING', '-s', clusterCidr, '!', '-d', clusterCidr, '-m', 'comment', '--comment', 'kctl: pod traffic leaving the pod network', '-j', 'MASQUERADE',
];

async function run(command: string, args: string[]): Promise<string> {
  try {
    return (await exec(command, args)).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')}: ${(e.stderr || e.message).trim()}`);
  }
}

export interface PodNetworkAgentOptions {
  client: ApiClient;
  informers: SharedInformers;
  docker: DockerClient;
  node: string;
  /** The node's InternalIP: the machine's LAN address. */
  nodeIP: string;
  /** The cluster's identity (its API server URL). */
  cluster: string;
  mode: PodNetworkMode;
  /** The whole pod network (the node ranges' parent). */
  clusterCidr: string;
  log(msg: string): void;
}

export interface PodNetworkAgent {
  /** The machine's pod bridge. */
  spec: PodNetworkSpec;
  /** Its address: the pods' gateway. */
  gateway: string;
  stop(): void;
}

/** The range the node IPAM controller gave this node, once it has. */
function nodeRange(nodes: Informer, name: string): Promise<string> {
  return new Promise((resolve) => {
    const check = (node: KubeObject) => {
      if (node.metadata.name === name && node.spec?.podCIDR) resolve(node.spec.podCIDR);
    };
    nodes.addHandlers({ add: check, update: (_old, node) => check(node) });
    const current = nodes.get(name);
    if (current) check(current);
  });
}

/** The device that holds the address (eth0 on a simulated machine). */
async function deviceOf(address: string): Promise<string> {
  const links = JSON.parse(await run('ip', ['-j', 'addr', 'show'])) as Array<{ ifname: string; addr_info?: Array<{ local: string }> }>;
  const device = links.find((l) => (l.addr_info ?? []).some((a) => a.local === address))?.ifname;
  if (!device) throw new Error(`no network device has the node's address ${address} (--node-ip)`);
  return device;
}

/** The device's MAC, if it exists. Asked through ip: /sys shows the links of the namespace it was mounted in. */
async function linkAddress(device: string): Promise<string | undefined> {
  const out = await run('ip', ['-j', 'link', 'show', 'dev', device]).catch(() => undefined);
  return out ? (JSON.parse(out) as Array<{ address: string }>)[0]?.address : undefined;
}

async function ensureVxlanDevice(nodeIP: string, lanDevice: string, podCIDR: string): Promise<string> {
  let mac = await linkAddress(VXLAN_DEVICE);
  if (!mac) {
    await run('ip', ['link', 'add', VXLAN_DEVICE, 'type', 'vxlan', 'id', String(VXLAN_ID), 'local', nodeIP, 'dev', lanDevice, 'dstport', String(VXLAN_PORT), 'nolearning']);
    mac = await linkAddress(VXLAN_DEVICE);
    if (!mac) throw new Error(`the vxlan device ${VXLAN_DEVICE} was made but is not there`);
  }
  await run('ip', ['link', 'set', VXLAN_DEVICE, 'mtu', String(VXLAN_MTU), 'up']);
  await run('ip', ['addr', 'replace', `${vtepAddressOf(podCIDR)}/32`, 'dev', VXLAN_DEVICE]);
  return mac;
}

async function ensureMasquerade(clusterCidr: string): Promise<void> {
  const rule = MASQUERADE_RULE(clusterCidr);
  try {
    await run('iptables', ['-w', '5', '-t', 'nat', '-C', ...rule]);
  } catch {
    await run('iptables', ['-w', '5', '-t', 'nat', '-A', ...rule]);
  }
}

export async function startPodNetwork(o: PodNetworkAgentOptions): Promise<PodNetworkAgent> {
  const nodes = o.informers.informer(NODES);
  await nodes.hasSynced();
  o.log(`pod network (${o.mode}): waiting for node ${o.node}'s pod range (spec.podCIDR)`);
  const podCIDR = await nodeRange(nodes, o.node);
  const lanDevice = await deviceOf(o.nodeIP);
  const spec: PodNetworkSpec = { subnet: podCIDR, ...(o.mode === 'vxlan' ? { mtu: VXLAN_MTU } : {}) };
  await claimPodNetwork(o.docker, o.cluster, spec);
  await ensureMasquerade(o.clusterCidr);
  if (o.mode === 'vxlan') {
    const mac = await ensureVxlanDevice(o.nodeIP, lanDevice, podCIDR);
    if (nodes.get(o.node)?.metadata.annotations?.[VTEP_MAC_ANNOTATION] !== mac) {
      await o.client.patch(NODES, undefined, o.node, 'merge', { metadata: { annotations: { [VTEP_MAC_ANNOTATION]: mac } } });
    }
  }
  const routes = new PeerRouteSync(nodes, o, lanDevice);
  routes.requestSync();
  o.log(`pod network (${o.mode}): pods of ${o.node} in ${podCIDR} (gateway ${gatewayOf(podCIDR)}) on ${lanDevice} ${o.nodeIP}`);
  return { spec, gateway: gatewayOf(podCIDR), stop: () => routes.stop() };
}

class PeerRouteSync {
  private syncing = false;
  private dirty = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly nodes: Informer,
    private readonly o: PodNetworkAgentOptions,
    private readonly lanDevice: string,
  ) {
    const changed = () => this.requestSync();
    nodes.addHandlers({ add: changed, update: changed, delete: changed });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  requestSync(): void {
    if (this.stopped) return;
    if (this.syncing) {
      this.dirty = true;
      return;
    }
    this.syncing = true;
    void this.loop().finally(() => (this.syncing = false));
  }

  private async loop(): Promise<void> {
    do {
      this.dirty = false;
      try {
        await applyEntries(this.o.mode, peerEntries(this.o.mode, peersOf(this.nodes.list(), this.o.node), this.lanDevice));
      } catch (err) {
        this.o.log(`pod network: cannot update the routes to other nodes, retrying in ${RETRY_MS} ms: ${(err as Error).message}`);
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.requestSync(), RETRY_MS);
        return;
      }
    } while (this.dirty && !this.stopped);
  }
}

async function applyEntries(mode: PodNetworkMode, want: PeerEntries): Promise<void> {
  // Forwarding and neighbour entries before the routes that use them.
  if (mode === 'vxlan') {
    const fdb = JSON.parse(await run('bridge', ['-j', 'fdb', 'show', 'dev', VXLAN_DEVICE])) as Array<{ mac: string; dst?: string }>;
    for (const f of fdb.filter((e) => e.dst && !want.forwarding.some((w) => w.mac === e.mac && w.dst === e.dst))) {
      await run('bridge', ['fdb', 'del', f.mac, 'dev', VXLAN_DEVICE, 'dst', f.dst!, 'self']);
    }
    for (const f of want.forwarding) await run('bridge', ['fdb', 'replace', f.mac, 'dev', VXLAN_DEVICE, 'dst', f.dst, 'self', 'permanent']);
    for (const n of want.neighbours) await run('ip', ['neigh', 'replace', n.ip, 'lladdr', n.mac, 'dev', VXLAN_DEVICE, 'nud', 'permanent']);
  }
  const current = JSON.parse(await run('ip', ['-j', 'route', 'show', 'proto', ROUTE_PROTOCOL])) as Array<{ dst: string }>;
  for (const r of current.filter((c) => !want.routes.some((w) => w.to === c.dst))) {
    await run('ip', ['route', 'del', r.dst, 'proto', ROUTE_PROTOCOL]);
  }
  for (const r of want.routes) {
    await run('ip', ['route', 'replace', r.to, 'via', r.via, 'dev', r.device, ...(r.onlink ? ['onlink'] : []), 'proto', ROUTE_PROTOCOL]);
  }
}
