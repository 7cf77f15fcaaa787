import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { gatewayOf, peerEntries, peersOf, vtepAddressOf, VTEP_MAC_ANNOTATION, VXLAN_DEVICE } from '../../src/nodeagent/podnet/peer-routes.js';

/** A machine's Node as the peer routes read it: its pod range, its InternalIP and its VXLAN MAC. */
function peerNode(name: string, podCIDR: string | undefined, ip: string | undefined, mac?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...(mac ? { annotations: { [VTEP_MAC_ANNOTATION]: mac } } : {}) },
    spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
    status: { addresses: [...(ip ? [{ type: 'InternalIP', address: ip }] : []), { type: 'Hostname', address: name }] },
  };
}

const nodes = [
  peerNode('node-2', '10.244.1.0/24', '10.250.0.12', 'aa:bb:cc:00:00:02'),
  peerNode('node-1', '10.244.0.0/24', '10.250.0.11', 'aa:bb:cc:00:00:01'),
  peerNode('node-3', '10.244.2.0/24', '10.250.0.13'),
  peerNode('node-4', undefined, '10.250.0.14'),
  peerNode('node-5', '10.244.4.0/24', undefined),
];

test("a range's gateway is its first address, its VTEP address its network address", () => {
  assert.equal(gatewayOf('10.244.3.0/24'), '10.244.3.1');
  assert.equal(vtepAddressOf('10.244.3.0/24'), '10.244.3.0');
});

test('peers: every other node with a range and an address, by name', () => {
  assert.deepEqual(
    peersOf(nodes, 'node-1').map((p) => p.name),
    ['node-2', 'node-3'],
  );
});

test('host-gw: a route per peer range via the peer machine on the LAN device', () => {
  assert.deepEqual(peerEntries('host-gw', peersOf(nodes, 'node-1'), 'eth0'), {
    routes: [
      { to: '10.244.1.0/24', via: '10.250.0.12', device: 'eth0', onlink: false },
      { to: '10.244.2.0/24', via: '10.250.0.13', device: 'eth0', onlink: false },
    ],
    neighbours: [],
    forwarding: [],
  });
});

test('vxlan: route via the peer VTEP, its MAC as neighbour, the MAC forwarded to the peer machine; peers without a published VTEP wait', () => {
  assert.deepEqual(peerEntries('vxlan', peersOf(nodes, 'node-1'), 'eth0'), {
    routes: [{ to: '10.244.1.0/24', via: '10.244.1.0', device: VXLAN_DEVICE, onlink: true }],
    neighbours: [{ ip: '10.244.1.0', mac: 'aa:bb:cc:00:00:02' }],
    forwarding: [{ mac: 'aa:bb:cc:00:00:02', dst: '10.250.0.12' }],
  });
});
