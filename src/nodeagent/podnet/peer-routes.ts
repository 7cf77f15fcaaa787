// Pure: what a machine's routing must hold so its pods reach every other machine's pods by IP,
// computed from the Nodes (their spec.podCIDR, InternalIP and VTEP MAC annotation), in the two
// ways Flannel does it: host-gw, a route per peer's range via the peer's address (the machines share
// one L2 network), and vxlan, a route per range via the peer's VTEP address over the kernel's vxlan
// device, with the neighbour and forwarding entries that tell the device where that VTEP lives.
import { isIPv4 } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import type { PodNetworkMode } from '../../api/cluster-network.js';
/** Where a node publishes its VXLAN device's MAC (Flannel: flannel.alpha.coreos.com/backend-data). */
export const VTEP_MAC_ANNOTATION = 'network.kctl.io/vtep-mac';
/** The vxlan device (Flannel's flannel.1), its VNI and port (Flannel's defaults: 1, 8472). */
export const VXLAN_DEVICE = 'kctl.vxlan';
export const VXLAN_ID = 1;
export const VXLAN_PORT = 8472;
/** 50 bytes of outer Ethernet, IP, UDP and VXLAN headers on a 1500-byte LAN. */
export const VXLAN_MTU = 1450;

export interface Peer {
  name: string;
  podCIDR: string;
  address: string;
  vtepMac?: string;
}

function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function networkOf(cidr: string): number {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(ip) / size) * size;
}

/** The range's first address: its pods' gateway (the bridge), where cluster DNS answers them. */
export function gatewayOf(podCIDR: string): string {
  return ipv4(networkOf(podCIDR) + 1);
}

/** The range's network address: the machine's VTEP address (Flannel puts X.Y.Z.0/32 on flannel.1). */
export function vtepAddressOf(podCIDR: string): string {
  return ipv4(networkOf(podCIDR));
}

function internalIP(node: KubeObject): string | undefined {
  const address = (node.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address;
  return isIPv4(address ?? '') ? address : undefined;
}

/** The other nodes that have a range and an address, by name. */
export function peersOf(nodes: KubeObject[], self: string): Peer[] {
  const out: Peer[] = [];
  for (const node of nodes) {
    const name = node.metadata.name!;
    const podCIDR = node.spec?.podCIDR;
    const address = internalIP(node);
    if (name === self || !podCIDR || !address) continue;
    const mac = node.metadata.annotations?.[VTEP_MAC_ANNOTATION];
    out.push({ name, podCIDR, address, ...(mac ? { vtepMac: mac } : {}) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface Route {
  to: string;
  via: string;
  device: string;
  onlink: boolean;
}

export interface PeerEntries {
  routes: Route[];
  /** vxlan: the peer VTEP's MAC for its address. */
  neighbours: Array<{ ip: string; mac: string }>;
  /** vxlan: which machine a VTEP MAC lives on. */
  forwarding: Array<{ mac: string; dst: string }>;
}

export function peerEntries(mode: PodNetworkMode, peers: Peer[], lanDevice: string): PeerEntries {
  if (mode === 'host-gw') {
    return { routes: peers.map((p) => ({ to: p.podCIDR, via: p.address, device: lanDevice, onlink: false })), neighbours: [], forwarding: [] };
  }
  // A peer whose VTEP is not published yet is left out until it is: a route without its
  // neighbour entry would only blackhole.
  const ready = peers.filter((p) => p.vtepMac);
  return {
    routes: ready.map((p) => ({ to: p.podCIDR, via: vtepAddressOf(p.podCIDR), device: VXLAN_DEVICE, onlink: true })),
    neighbours: ready.map((p) => ({ ip: vtepAddressOf(p.podCIDR), mac: p.vtepMac! })),
    forwarding: ready.map((p) => ({ mac: p.vtepMac!, dst: p.address })),
  };
}
