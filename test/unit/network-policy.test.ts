import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockWithout, inBlocks } from '../../src/nodeagent/netpol/ipv4-blocks.js';
import { compileFirewalls, podEndpoint, policyTypes, type Endpoint } from '../../src/nodeagent/netpol/policy-compiler.js';
import { buildPolicyRules, DNS_CHAIN, PODS_CHAIN } from '../../src/nodeagent/netpol/policy-rules.js';
import type { KubeObject } from '../../src/api/types.js';
import { pod } from '../helpers/builders.js';

/** A running pod at ip, its container's ports as given. */
function podAt(namespace: string, name: string, ip: string, labels: Record<string, string> = {}, ports: object[] = [], extra: { spec?: object; status?: object } = {}): KubeObject {
  return pod(name, { metadata: { namespace }, labels, container: { ports }, spec: { ...extra.spec }, phase: 'Running', status: { podIP: ip, ...extra.status } });
}

function policy(namespace: string, name: string, spec: object): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec };
}

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

const SERVER = podAt('default', 'server', '10.244.1.2', { app: 'server' }, [{ name: 'http', containerPort: 8000 }]);
const CLIENT = podAt('default', 'client', '10.244.1.3', { role: 'client' });
const OTHER = podAt('default', 'other', '10.244.2.4', { role: 'other' });
const REMOTE = podAt('prod', 'api', '10.244.2.5', { role: 'client' }, [{ name: 'http', containerPort: 9000 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]);
const NAMESPACES = [namespace('default'), namespace('prod', { team: 'a' }), namespace('kube-system')];
const ALL = [SERVER, CLIENT, OTHER, REMOTE];

function compile(policies: KubeObject[], targets = [SERVER], extra: Endpoint[] = []) {
  const endpoints = [...ALL.map((p) => podEndpoint(p)!), ...extra];
  return compileFirewalls({ policies, namespaces: NAMESPACES, endpoints, targets: targets.map((t) => podEndpoint(t)!) });
}

test('blocks: a CIDR minus its except blocks is the fewest CIDRs covering the rest; IPv6 and garbage match nothing', () => {
  assert.deepEqual(blockWithout('10.0.0.0/8'), ['10.0.0.0/8']);
  assert.deepEqual(blockWithout('10.1.2.3/16'), ['10.1.0.0/16'], 'host bits cleared');
  assert.deepEqual(blockWithout('10.0.0.0/24', ['10.0.0.0/25']), ['10.0.0.128/25']);
  assert.deepEqual(blockWithout('10.0.0.0/24', ['10.0.0.64/26']), ['10.0.0.0/26', '10.0.0.128/25']);
  assert.deepEqual(blockWithout('0.0.0.0/0', ['0.0.0.0/1', '128.0.0.0/1']), []);
  assert.deepEqual(blockWithout('10.0.0.0/24', ['10.0.0.0/8']), [], 'an except covering the block leaves nothing');
  assert.deepEqual(blockWithout('10.0.0.0/24', ['192.168.0.0/16']), ['10.0.0.0/24'], 'an except elsewhere changes nothing');
  assert.equal(blockWithout('0.0.0.0/0', ['10.0.0.0/8']).length, 8);
  assert.deepEqual(blockWithout('fd00::/8'), []);
  assert.deepEqual(blockWithout('nonsense'), []);
  assert.ok(inBlocks('10.244.1.2', ['10.244.0.0/16']));
  assert.ok(!inBlocks('10.245.0.1', ['10.244.0.0/16']));
});

test('policyTypes default as the API server defaults them: Ingress always, Egress when there are egress rules', () => {
  assert.deepEqual(policyTypes({}), ['Ingress']);
  assert.deepEqual(policyTypes({ egress: [] }), ['Ingress']);
  assert.deepEqual(policyTypes({ egress: [{}] }), ['Ingress', 'Egress']);
  assert.deepEqual(policyTypes({ policyTypes: ['Egress'], ingress: [{}] }), ['Egress']);
});

test('a pod no policy selects is not isolated; a default-deny policy isolates every pod of its namespace for ingress only', () => {
  assert.deepEqual(compile([]), []);
  assert.deepEqual(compile([policy('prod', 'deny', { podSelector: {} })]), [], 'a policy of another namespace');
  assert.deepEqual(compile([policy('default', 'deny', { podSelector: { matchLabels: { app: 'db' } } })]), [], 'a selector that does not match');
  assert.deepEqual(compile([policy('default', 'deny', { podSelector: {} })]), [{ namespace: 'default', name: 'server', ip: '10.244.1.2', ingress: [] }]);
  assert.deepEqual(compile([policy('default', 'deny', { podSelector: {}, policyTypes: ['Egress'] })]), [{ namespace: 'default', name: 'server', ip: '10.244.1.2', egress: [] }]);
});

test('an empty rule allows everything; policies add up', () => {
  const [fw] = compile([policy('default', 'deny', { podSelector: {} }), policy('default', 'all', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{}] })]);
  assert.deepEqual(fw.ingress, [{}]);
});

test('podSelector peers are in the policy namespace; namespaceSelector alone takes every pod there; both together are ANDed', () => {
  const allow = (from: object[]) => compile([policy('default', 'p', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from }] })])[0].ingress;
  assert.deepEqual(allow([{ podSelector: { matchLabels: { role: 'client' } } }]), [{ peers: ['10.244.1.3/32'] }], 'prod/api has the label but is in another namespace');
  assert.deepEqual(allow([{ namespaceSelector: { matchLabels: { team: 'a' } } }]), [{ peers: ['10.244.2.5/32'] }]);
  assert.deepEqual(allow([{ namespaceSelector: {} , podSelector: { matchLabels: { role: 'client' } } }]), [{ peers: ['10.244.1.3/32', '10.244.2.5/32'] }]);
  assert.deepEqual(allow([{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { role: 'other' } } }]), [], 'no pod is both: the rule allows nothing');
  assert.deepEqual(allow([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } } }]), [{ peers: ['10.244.2.5/32'] }], 'namespaces are selectable by name');
  assert.deepEqual(allow([{ podSelector: { matchExpressions: [{ key: 'role', operator: 'Bogus' }] } }]), [], 'an unreadable selector selects nothing');
});

test('ipBlock peers with except, beside pod peers', () => {
  const [fw] = compile([policy('default', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/24', except: ['192.168.0.0/25'] } }, { podSelector: { matchLabels: { role: 'other' } } }] }] })]);
  assert.deepEqual(fw.ingress, [{ peers: ['192.168.0.128/25', '10.244.2.4/32'] }]);
});

test('ports: TCP by default, ranges with endPort, a protocol alone, named ports from the receiving pod', () => {
  const ingress = (ports: object[]) => compile([policy('default', 'p', { podSelector: {}, ingress: [{ ports }] })])[0].ingress;
  assert.deepEqual(ingress([{ port: 80 }]), [{ ports: [{ protocol: 'TCP', from: 80, to: 80 }] }]);
  assert.deepEqual(ingress([{ port: 8000, endPort: 8080, protocol: 'UDP' }]), [{ ports: [{ protocol: 'UDP', from: 8000, to: 8080 }] }]);
  assert.deepEqual(ingress([{ protocol: 'SCTP' }]), [{ ports: [{ protocol: 'SCTP' }] }]);
  assert.deepEqual(ingress([{ port: 'http' }]), [{ ports: [{ protocol: 'TCP', from: 8000, to: 8000 }] }], "the server's own port named http");
  assert.deepEqual(ingress([{ port: 'http', protocol: 'UDP' }]), [], 'a name the pod does not have for that protocol allows nothing');
  assert.deepEqual(ingress([{ port: 'nope' }, { port: 81 }]), [{ ports: [{ protocol: 'TCP', from: 81, to: 81 }] }]);
  assert.deepEqual(ingress([]), [{}], 'an empty port list is every port');
});

test("egress: named ports are each peer's own; ipBlock peers are matched by the pods inside them", () => {
  const egress = (rule: object) => compile([policy('default', 'p', { podSelector: { matchLabels: { app: 'server' } }, egress: [rule] })])[0];
  const fw = egress({ ports: [{ port: 'http' }] });
  assert.deepEqual(fw.ingress, [], 'egress rules make the policy Ingress and Egress');
  assert.deepEqual(fw.egress, [
    { peers: ['10.244.1.2/32'], ports: [{ protocol: 'TCP', from: 8000, to: 8000 }] },
    { peers: ['10.244.2.5/32'], ports: [{ protocol: 'TCP', from: 9000, to: 9000 }] },
  ]);
  assert.deepEqual(egress({ to: [{ ipBlock: { cidr: '10.244.2.0/24' } }], ports: [{ port: 'http' }, { port: 53, protocol: 'UDP' }] }).egress, [
    { peers: ['10.244.2.0/24'], ports: [{ protocol: 'UDP', from: 53, to: 53 }] },
    { peers: ['10.244.2.5/32'], ports: [{ protocol: 'TCP', from: 9000, to: 9000 }] },
  ]);
});

test("a DNS stand-in endpoint is selected like kube-dns's pods", () => {
  const dns: Endpoint = { namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' }, ip: '10.244.1.1', ports: [{ name: 'dns', protocol: 'UDP', port: 53 }] };
  const [fw] = compile(
    [policy('default', 'dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 'dns', protocol: 'UDP' }] }] })],
    [SERVER],
    [dns],
  );
  assert.deepEqual(fw.egress, [{ peers: ['10.244.1.1/32'], ports: [{ protocol: 'UDP', from: 53, to: 53 }] }]);
});

test('pods without an address of their own are neither targets nor peers', () => {
  assert.equal(podEndpoint(podAt('default', 'h', '10.250.0.11', {}, [], { spec: { hostNetwork: true } })), undefined);
  assert.equal(podEndpoint(podAt('default', 'done', '10.244.1.9', {}, [], { status: { phase: 'Succeeded' } })), undefined);
  assert.equal(podEndpoint({ ...CLIENT, status: { phase: 'Pending' } }), undefined);
});

test('rules: a chain per isolated pod and direction, dispatched by address after replies; allowed traffic returns, the rest is rejected', () => {
  const rules = buildPolicyRules(
    [
      { namespace: 'default', name: 'server', ip: '10.244.1.2', ingress: [{ peers: ['10.244.1.3/32'], ports: [{ protocol: 'TCP', from: 8000, to: 8080 }] }], egress: [] },
      { namespace: 'default', name: 'open', ip: '10.244.1.4', ingress: [{}] },
    ],
    { address: '10.244.1.1', port: 53 },
  ).filter!;
  const [serverOut, serverIn, openIn] = rules.chains.slice(2);
  assert.deepEqual(rules.chains.slice(0, 2), [PODS_CHAIN, DNS_CHAIN]);
  for (const c of rules.chains) assert.ok(c.startsWith('KCTLNP-') && c.length <= 28, c);
  assert.deepEqual(rules.rules.slice(0, 6), [
    `-A ${PODS_CHAIN} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`,
    `-A ${DNS_CHAIN} -d 10.244.1.1/32 -p udp -m udp --dport 53 -j ${PODS_CHAIN}`,
    `-A ${DNS_CHAIN} -d 10.244.1.1/32 -p tcp -m tcp --dport 53 -j ${PODS_CHAIN}`,
    `-A ${PODS_CHAIN} -s 10.244.1.2/32 -m comment --comment "default/server egress" -j ${serverOut}`,
    `-A ${PODS_CHAIN} -d 10.244.1.2/32 -m comment --comment "default/server ingress" -j ${serverIn}`,
    `-A ${PODS_CHAIN} -d 10.244.1.4/32 -m comment --comment "default/open ingress" -j ${openIn}`,
  ]);
  const chain = (name: string) => rules.rules.filter((r) => r.startsWith(`-A ${name} `));
  assert.deepEqual(chain(serverIn), [
    `-A ${serverIn} -s 10.244.1.2/32 -j RETURN`,
    `-A ${serverIn} -s 10.244.1.3/32 -p tcp -m tcp --dport 8000:8080 -j RETURN`,
    `-A ${serverIn} -m comment --comment "default/server ingress denied" -p tcp -j REJECT --reject-with tcp-reset`,
    `-A ${serverIn} -m comment --comment "default/server ingress denied" -j REJECT --reject-with icmp-port-unreachable`,
  ]);
  assert.deepEqual(chain(serverOut).slice(0, 1), [`-A ${serverOut} -d 10.244.1.2/32 -j RETURN`]);
  assert.equal(chain(serverOut).length, 3, 'nothing allowed: only itself');
  assert.ok(chain(openIn).includes(`-A ${openIn} -j RETURN`));
});
