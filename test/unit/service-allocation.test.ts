import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import { Registry } from '../../src/apiserver/registry/registry.js';
import { IpRangeAllocator } from '../../src/api/allocators/ip-range-allocator.js';
import { PortRangeAllocator } from '../../src/api/allocators/port-range-allocator.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { refusal } from '../helpers/refusal.js';
import { service } from '../helpers/builders.js';

const SERVICES = findByKind('Service')!;

function withRegistry(fn: (t: ReturnType<typeof inProcessRegistry>) => void): void {
  const t = inProcessRegistry();
  try {
    fn(t);
  } finally {
    t.done();
  }
}

test('a Service gets a cluster IP from the range (never its first address), its clusterIPs and ipFamilies', () =>
  withRegistry(({ registry }) => {
    const ips = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const svc = registry.create(SERVICES, 'default', service(`s${i}`));
      assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
      assert.notEqual(svc.spec.clusterIP, '10.96.0.1');
      assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
      assert.deepEqual(svc.spec.ipFamilies, ['IPv4']);
      assert.equal(svc.spec.ipFamilyPolicy, 'SingleStack');
      ips.add(svc.spec.clusterIP);
    }
    assert.equal(ips.size, 20, 'no address is handed out twice');
  }));

test('an explicit cluster IP is honoured; a taken or out-of-range one is refused with Kubernetes\' texts', () =>
  withRegistry(({ registry }) => {
    const svc = registry.create(SERVICES, 'default', service('a', { spec: { clusterIP: '10.96.0.5' } }));
    assert.deepEqual([svc.spec.clusterIP, svc.spec.clusterIPs], ['10.96.0.5', ['10.96.0.5']]);
    const taken = refusal(() => registry.create(SERVICES, 'default', service('b', { spec: { clusterIP: '10.96.0.5' } })));
    assert.equal(taken.reason, 'Invalid');
    assert.equal(taken.code, 422);
    assert.equal(
      taken.message,
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated',
    );
    const outside = refusal(() => registry.create(SERVICES, 'default', service('c', { spec: { clusterIP: '10.0.0.5' } })));
    assert.equal(
      outside.message,
      'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    assert.equal(registry.create(SERVICES, 'default', service('k', { spec: { clusterIP: '10.96.0.1' } })).spec.clusterIP, '10.96.0.1', 'asked for, the first address is given');
  }));

test('headless and ExternalName Services get no cluster IP', () =>
  withRegistry(({ registry }) => {
    const headless = registry.create(SERVICES, 'default', service('h', { spec: { clusterIP: 'None' } }));
    assert.deepEqual([headless.spec.clusterIP, headless.spec.clusterIPs], ['None', ['None']]);
    const external = registry.create(SERVICES, 'default', service('e', { spec: { type: 'ExternalName', externalName: 'db.example.com', ports: [] } }));
    assert.equal(external.spec.clusterIP, undefined);
    assert.equal(external.spec.ipFamilies, undefined);
    assert.equal(registry.serviceAllocations.clusterIPs.allocatedCount, 0);
  }));

test('NodePort and LoadBalancer get a node port per port; a chosen one is honoured, a taken one refused', () =>
  withRegistry(({ registry }) => {
    const np = registry.create(SERVICES, 'default', service('np', { spec: { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 8000, nodePort: 30080 }] } }));
    const [a, b] = np.spec.ports;
    assert.ok(a.nodePort >= 30000 && a.nodePort <= 32767 && a.nodePort !== 30080);
    assert.equal(b.nodePort, 30080);
    const lb = registry.create(SERVICES, 'default', service('lb', { spec: { type: 'LoadBalancer' } }));
    assert.ok(lb.spec.ports[0].nodePort >= 30000);
    const noPorts = registry.create(SERVICES, 'default', service('lb2', { spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false } }));
    assert.equal(noPorts.spec.ports[0].nodePort, undefined);
    const taken = refusal(() => registry.create(SERVICES, 'default', service('np2', { spec: { type: 'NodePort', ports: [{ port: 8000, nodePort: 30080 }] } })));
    assert.equal(taken.message, 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    const outside = refusal(() => registry.create(SERVICES, 'default', service('np3', { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] } })));
    assert.equal(
      outside.message,
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    assert.equal(registry.tryGet(SERVICES, 'default', 'np2'), undefined);
    // The refused create took nothing: its cluster IP is free again.
    assert.equal(registry.serviceAllocations.clusterIPs.allocatedCount, 3);
  }));

test('TCP and UDP of one port share a node port; a LoadBalancer with externalTrafficPolicy Local gets a health check node port', () =>
  withRegistry(({ registry }) => {
    const dns = registry.create(SERVICES, 'default', service('dns', { spec: {
      type: 'NodePort',
      ports: [{ name: 'udp', port: 53, protocol: 'UDP' }, { name: 'tcp', port: 53, protocol: 'TCP' }],
    } }));
    assert.equal(dns.spec.ports[0].nodePort, dns.spec.ports[1].nodePort);
    const local = registry.create(SERVICES, 'default', service('local', { spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' } }));
    assert.ok(local.spec.healthCheckNodePort >= 30000);
    assert.notEqual(local.spec.healthCheckNodePort, local.spec.ports[0].nodePort);
    registry.delete(SERVICES, 'default', 'local');
    assert.equal(registry.serviceAllocations.nodePorts.allocatedCount, 1);
  }));

test('an update that leaves out the cluster IP and node ports keeps them, and writes nothing when nothing else changed', () =>
  withRegistry(({ registry }) => {
    const created = registry.create(SERVICES, 'default', service('web', { spec: { type: 'NodePort' } }));
    const again = registry.update(SERVICES, 'default', 'web', service('web', { spec: { type: 'NodePort' } }));
    assert.equal(again.metadata.resourceVersion, created.metadata.resourceVersion, 'unchanged');
    assert.equal(again.spec.clusterIP, created.spec.clusterIP);
    const patched = registry.patch(SERVICES, 'default', 'web', 'merge', { spec: { ports: [{ port: 80, targetPort: 8080 }] } });
    assert.equal(patched.spec.ports[0].nodePort, created.spec.ports[0].nodePort);
    assert.equal(patched.spec.clusterIP, created.spec.clusterIP);
    const moved = refusal(() => registry.patch(SERVICES, 'default', 'web', 'merge', { spec: { clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'] } }));
    assert.match(moved.message, /spec\.clusterIPs\[0\]: Invalid value: \[\]string\{"10\.96\.0\.9"\}: may not change once set/);
  }));

test('type changes take and give back: NodePort to ClusterIP frees the node ports, ExternalName the cluster IP', () =>
  withRegistry(({ registry }) => {
    const np = registry.create(SERVICES, 'default', service('web', { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } }));
    const clusterIP = registry.patch(SERVICES, 'default', 'web', 'merge', { spec: { type: 'ClusterIP' } });
    assert.equal(clusterIP.spec.ports[0].nodePort, undefined);
    assert.equal(clusterIP.spec.externalTrafficPolicy, undefined);
    assert.equal(clusterIP.spec.clusterIP, np.spec.clusterIP);
    assert.equal(registry.serviceAllocations.nodePorts.has(30080), false);
    registry.create(SERVICES, 'default', service('other', { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } }));

    const external = registry.patch(SERVICES, 'default', 'web', 'merge', { spec: { type: 'ExternalName', externalName: 'example.com' } });
    assert.equal(external.spec.clusterIP, undefined);
    assert.equal(registry.serviceAllocations.clusterIPs.has(np.spec.clusterIP), false);
    const back = registry.patch(SERVICES, 'default', 'web', 'merge', { spec: { type: 'LoadBalancer', externalName: null } });
    assert.ok(back.spec.clusterIP && back.spec.ports[0].nodePort >= 30000);
    assert.equal(registry.serviceAllocations.clusterIPs.has(back.spec.clusterIP), true);
  }));

test('deleting a Service gives back its cluster IP and node ports, also when a finalizer held it', () =>
  withRegistry(({ registry }) => {
    registry.create(SERVICES, 'default', service('a', { spec: { clusterIP: '10.96.0.5', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } }));
    registry.delete(SERVICES, 'default', 'a');
    const b = registry.create(SERVICES, 'default', service('b', { spec: { clusterIP: '10.96.0.5', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }], } }));
    registry.patch(SERVICES, 'default', 'b', 'merge', { metadata: { finalizers: ['example.com/hold'] } });
    registry.delete(SERVICES, 'default', 'b');
    assert.equal(registry.serviceAllocations.clusterIPs.has('10.96.0.5'), true, 'held while the finalizer is there');
    registry.patch(SERVICES, 'default', 'b', 'merge', { metadata: { finalizers: null } });
    assert.equal(registry.tryGet(SERVICES, 'default', 'b'), undefined);
    assert.equal(registry.serviceAllocations.clusterIPs.has(b.spec.clusterIP), false);
    assert.equal(registry.serviceAllocations.nodePorts.has(30080), false);
  }));

test('a dry run checks but keeps nothing', () =>
  withRegistry(({ registry }) => {
    const dry = registry.create(SERVICES, 'default', service('a', { spec: { type: 'NodePort' } }), { dryRun: true });
    assert.ok(dry.spec.clusterIP && dry.spec.ports[0].nodePort);
    assert.equal(registry.serviceAllocations.clusterIPs.allocatedCount, 0);
    assert.equal(registry.serviceAllocations.nodePorts.allocatedCount, 0);
    registry.create(SERVICES, 'default', service('b', { spec: { clusterIP: '10.96.0.5' } }));
    assert.equal(refusal(() => registry.create(SERVICES, 'default', service('c', { spec: { clusterIP: '10.96.0.5' } }), { dryRun: true })).reason, 'Invalid');
    registry.patch(SERVICES, 'default', 'b', 'merge', { spec: { type: 'NodePort' } }, { dryRun: true });
    assert.equal(registry.serviceAllocations.nodePorts.allocatedCount, 0);
    registry.delete(SERVICES, 'default', 'b', { dryRun: true });
    assert.equal(registry.serviceAllocations.clusterIPs.has('10.96.0.5'), true);
  }));

test('after a restart the allocations are rebuilt from the stored Services', () =>
  withRegistry(({ store, registry }) => {
    const a = registry.create(SERVICES, 'default', service('a', { spec: { type: 'NodePort' } }));
    const restarted = new Registry(store);
    assert.equal(restarted.serviceAllocations.clusterIPs.has(a.spec.clusterIP), true);
    assert.equal(restarted.serviceAllocations.nodePorts.has(a.spec.ports[0].nodePort), true);
    const taken = refusal(() => restarted.create(SERVICES, 'default', service('b', { spec: { clusterIP: a.spec.clusterIP } })));
    assert.match(taken.message, /provided IP is already allocated/);
  }));

test('a small range fills up: the next Service is refused with an internal error, and a freed address is used again', () => {
  const t = inProcessRegistry();
  try {
    const registry = new Registry(t.store, { serviceRanges: { clusterIPRange: '10.97.0.0/29', nodePortRange: { min: 30000, max: 30001 } } });
    // 6 usable addresses, the first kept for the `kubernetes` Service.
    for (let i = 0; i < 5; i++) registry.create(SERVICES, 'default', service(`s${i}`));
    const full = refusal(() => registry.create(SERVICES, 'default', service('s5')));
    assert.equal(full.code, 500);
    assert.equal(full.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
    registry.delete(SERVICES, 'default', 's0');
    registry.create(SERVICES, 'default', service('s5'));
  } finally {
    t.done();
  }
});

test('range allocators: offsets, bounds and the lowest-free pick', () => {
  const lb = new IpRangeAllocator('127.240.0.0/16', { pick: 'lowest' });
  assert.equal(lb.allocateNext(), '127.240.0.1');
  lb.allocate('127.240.0.2');
  assert.equal(lb.allocateNext(), '127.240.0.3');
  assert.equal(lb.contains('127.240.255.255'), false, 'the broadcast address');
  assert.equal(lb.contains('127.240.0.0'), false, 'the network address');
  lb.release('127.240.0.1');
  assert.equal(lb.allocateNext(), '127.240.0.1');
  const ports = new PortRangeAllocator({ min: 30000, max: 32767 }, () => 0);
  // Dynamic picks start above the static band (86 ports), which stays for explicit choices.
  assert.equal(ports.allocateNext(), 30086);
});
