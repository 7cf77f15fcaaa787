import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRuleSet, endpointsForPort, servicePorts } from '../../src/nodeagent/proxy/service-rules.js';
import { restoreInput } from '../../src/nodeagent/iptables/rule-set.js';
import { staleUdpFlows, udpTable } from '../../src/nodeagent/proxy/udp-flows.js';
import type { KubeObject } from '../../src/api/types.js';

const NETWORK = { podSubnet: '10.244.0.0/16', nodePortAddresses: ['127.0.0.1'] };

function service(name: string, spec: any, status?: any): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name }, spec, ...(status ? { status } : {}) };
}

function endpoints(name: string, subsets: any[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: 'default', name }, subsets };
}

const WEB = service('web', { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, targetPort: 8000, nodePort: 30080, protocol: 'TCP' }] });
const WEB_EP = endpoints('web', [{ addresses: [{ ip: '10.244.0.3' }, { ip: '10.244.0.2' }, { ip: '10.244.0.4' }], ports: [{ port: 8000, protocol: 'TCP' }] }]);

function rulesFor(services: KubeObject[], eps: KubeObject[]) {
  const byName = new Map(eps.map((e) => [e.metadata.name, e]));
  return buildRuleSet(servicePorts(services, (_ns, name) => byName.get(name), NETWORK), NETWORK);
}

test('a service port spreads new connections over its endpoints with kube-proxy probabilities, one DNAT each', () => {
  const { nat } = rulesFor([WEB], [WEB_EP]);
  const svcJumps = nat.rules.filter((r) => r.startsWith('-A KCTL-SERVICES') && r.includes('-d 10.96.0.10/32'));
  assert.equal(svcJumps.length, 1);
  const svcChain = svcJumps[0].split(' -j ')[1];
  assert.match(svcChain, /^KCTL-SVC-[A-Z2-7]{16}$/);
  const picks = nat.rules.filter((r) => r.startsWith(`-A ${svcChain}`) && r.includes('KCTL-SEP-'));
  assert.deepEqual(
    picks.map((r) => /--probability (\S+)/.exec(r)?.[1] ?? 'rest'),
    ['0.3333333333', '0.5000000000', 'rest'],
  );
  const dnats = nat.rules.filter((r) => r.includes('-j DNAT')).map((r) => r.split('--to-destination ')[1]);
  assert.deepEqual(dnats, ['10.244.0.2:8000', '10.244.0.3:8000', '10.244.0.4:8000'], 'endpoints in a stable order');
  // Every chain used is declared, and every declared chain is used.
  for (const chain of nat.chains) assert.ok(nat.rules.some((r) => r.startsWith(`-A ${chain} `)), chain);
});

test('masquerading: traffic from outside the pod network, to node ports, and a pod reaching itself', () => {
  const { nat } = rulesFor([WEB], [WEB_EP]);
  assert.ok(nat.rules.some((r) => /^-A KCTL-SVC-\S+ .* ! -s 10\.244\.0\.0\/16 -j KCTL-MARK-MASQ$/.test(r)));
  assert.ok(nat.rules.some((r) => /^-A KCTL-SEP-\S+ .* -s 10\.244\.0\.2\/32 -j KCTL-MARK-MASQ$/.test(r)));
  const nodePort = nat.rules.filter((r) => r.startsWith('-A KCTL-NODEPORTS'));
  assert.equal(nodePort.length, 2);
  assert.ok(nodePort[0].includes('-d 127.0.0.1/32 -p tcp -m tcp --dport 30080 -j KCTL-MARK-MASQ'));
  assert.ok(nodePort[1].includes('--dport 30080 -j KCTL-SVC-'));
  assert.ok(nat.rules.includes('-A KCTL-POSTROUTING -j MASQUERADE --random-fully'));
});

test('a ClusterIP service gets no node port rules; a LoadBalancer is also routed on its ingress address', () => {
  const clusterIP = service('a', { type: 'ClusterIP', clusterIP: '10.96.0.11', ports: [{ port: 80, protocol: 'TCP' }] });
  const lb = service('b', { type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [{ port: 80, nodePort: 30001, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '127.240.0.2' }] } });
  const eps = [endpoints('a', [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }]), endpoints('b', [{ addresses: [{ ip: '10.244.0.6' }], ports: [{ port: 80 }] }])];
  const { nat } = rulesFor([clusterIP, lb], eps);
  const nodePorts = nat.rules.filter((r) => r.startsWith('-A KCTL-NODEPORTS'));
  assert.ok(nodePorts.every((r) => r.includes('--dport 30001')));
  assert.ok(nat.rules.some((r) => r.startsWith('-A KCTL-SERVICES') && r.includes('-d 127.240.0.2/32 -p tcp -m tcp --dport 80')));
});

test('no endpoints: no DNAT, and the filter table rejects at once (a TCP reset, ICMP for UDP)', () => {
  const svc = service('dns', {
    clusterIP: '10.96.0.20',
    ports: [
      { name: 'tcp', port: 53, protocol: 'TCP' },
      { name: 'udp', port: 53, protocol: 'UDP' },
    ],
  });
  const { nat, filter } = rulesFor([svc], []);
  assert.ok(!nat.rules.some((r) => r.includes('DNAT')));
  assert.deepEqual(
    filter.rules.map((r) => /-p (\w+) .* --reject-with (\S+)/.exec(r)!.slice(1)),
    [
      ['tcp', 'tcp-reset'],
      ['udp', 'icmp-port-unreachable'],
    ],
  );
});

test('headless and ExternalName services are not proxied', () => {
  const headless = service('h', { clusterIP: 'None', ports: [{ port: 80 }] });
  const external = service('e', { type: 'ExternalName', externalName: 'example.com' });
  const { nat, filter } = rulesFor([headless, external], [endpoints('h', [{ addresses: [{ ip: '10.244.0.9' }], ports: [{ port: 80 }] }])]);
  assert.ok(!nat.rules.some((r) => r.includes('DNAT')));
  assert.deepEqual(filter.rules, []);
});

test('ports are matched to endpoint ports by name and protocol; not-ready addresses are left out', () => {
  const ep = endpoints('m', [
    { addresses: [{ ip: '10.244.0.2' }], notReadyAddresses: [{ ip: '10.244.0.3' }], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }] },
    { addresses: [{ ip: '10.244.0.4' }], ports: [{ name: 'http', port: 8081 }] },
  ]);
  assert.deepEqual(endpointsForPort(ep, 'http', 'TCP'), [
    { ip: '10.244.0.2', port: 8080 },
    { ip: '10.244.0.4', port: 8081 },
  ]);
  assert.deepEqual(endpointsForPort(ep, 'metrics', 'TCP'), [{ ip: '10.244.0.2', port: 9090 }]);
  assert.deepEqual(endpointsForPort(ep, 'http', 'UDP'), []);
});

test('session affinity ClientIP: recent-match rules before the random picks, and each endpoint remembers its clients', () => {
  const sticky = service('s', { clusterIP: '10.96.0.30', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80 }] });
  const { nat } = rulesFor([sticky], [endpoints('s', [{ addresses: [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }], ports: [{ port: 80 }] }])]);
  const svcRules = nat.rules.filter((r) => r.startsWith('-A KCTL-SVC-'));
  assert.ok(svcRules[1].includes('--rcheck --seconds 60 --reap'));
  assert.ok(svcRules[2].includes('--rcheck --seconds 60 --reap'));
  assert.ok(nat.rules.filter((r) => r.includes('-j DNAT')).every((r) => r.includes('--rsource --set')));
});

test('restore input: our chains declared (flushed), stale chains emptied then deleted, one COMMIT', () => {
  const text = restoreInput('nat', { chains: ['KCTL-SERVICES'], rules: ['-A KCTL-SERVICES -j RETURN'] }, ['KCTL-SVC-OLD']);
  assert.equal(text, '*nat\n:KCTL-SERVICES - [0:0]\n:KCTL-SVC-OLD - [0:0]\n-A KCTL-SERVICES -j RETURN\n-X KCTL-SVC-OLD\nCOMMIT\n');
});

test('UDP flows made stale by a sync: all of them when endpoints appear, those to each endpoint gone, none at start', () => {
  const dns = (ips: string[]) =>
    servicePorts(
      [service('dns', { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }, { name: 'tcp', port: 53, protocol: 'TCP' }] })],
      () => endpoints('dns', [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'tcp', port: 5353 }] }]),
      NETWORK,
    );
  const none = udpTable(dns([]));
  const two = udpTable(dns(['10.244.0.2', '10.244.0.3']));
  const one = udpTable(dns(['10.244.0.3']));
  assert.deepEqual([...two.keys()], ['10.96.0.10:53', '127.0.0.1:30053'], 'UDP addresses only, node ports included');
  assert.deepEqual(staleUdpFlows(undefined, two), []);
  assert.deepEqual(staleUdpFlows(none, two), [
    { ip: '10.96.0.10', port: 53 },
    { ip: '127.0.0.1', port: 30053 },
  ]);
  assert.deepEqual(staleUdpFlows(two, one), [
    { ip: '10.96.0.10', port: 53, endpointIP: '10.244.0.2' },
    { ip: '127.0.0.1', port: 30053, endpointIP: '10.244.0.2' },
  ]);
  assert.deepEqual(staleUdpFlows(one, one), []);
  assert.deepEqual(staleUdpFlows(one, new Map()), [
    { ip: '10.96.0.10', port: 53, endpointIP: '10.244.0.3' },
    { ip: '127.0.0.1', port: 30053, endpointIP: '10.244.0.3' },
  ], 'a Service deleted: the flows to its endpoints go');
});

test("cluster DNS: the kube-dns Service's address goes to this machine's DNS server, before any service rule, and the Service itself is not proxied", () => {
  const network = { ...NETWORK, clusterDns: { serviceIP: '10.96.0.10', address: '10.244.3.1', port: 53 } };
  const kubeDns = service('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] });
  const api = service('api', { clusterIP: '10.96.0.1', ports: [{ port: 443, protocol: 'TCP' }] });
  const ports = servicePorts([kubeDns, api], () => undefined, network);
  assert.deepEqual(ports.map((p) => p.name), ['default/api:']);
  const { nat, filter } = buildRuleSet(ports, network);
  assert.deepEqual(nat.rules.slice(0, 2), [
    '-A KCTL-SERVICES -m comment --comment "cluster DNS on this machine" -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.3.1:53',
    '-A KCTL-SERVICES -m comment --comment "cluster DNS on this machine" -d 10.96.0.10/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 10.244.3.1:53',
  ]);
  assert.ok(!filter.rules.some((r) => r.includes('10.96.0.10')), 'no reject for the endpoint-less kube-dns Service');
});
