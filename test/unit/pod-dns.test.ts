import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatResolvConf, parseResolvConf } from '../../src/nodeagent/dns/resolv-conf.js';
import { podDns } from '../../src/nodeagent/pods/pod-dns.js';
import { pod } from '../helpers/builders.js';

const host = parseResolvConf(
  ['# generated', 'nameserver 192.0.2.53', '; comment', 'search old.example', 'search corp.example. lab.example .', 'nameserver 192.0.2.54', 'options edns0 ndots:1', 'options timeout:2 ndots:2', ''].join('\n'),
);
const settings = { clusterDNS: ['10.244.0.1'], clusterDomain: 'cluster.local' };

/** The pod web in shop with these spec fields and no containers (DNS is the pod's alone). */
const web = (spec: Record<string, unknown> = {}): Pod => pod('web', { metadata: { namespace: 'shop', uid: 'u1' }, spec: { containers: [], ...spec } }) as Pod;

function text(p: Pod): string {
  return formatResolvConf(podDns(p, host, settings).conf);
}

test("the node's resolv.conf read as the kubelet reads it: the last search line, no trailing dots, later options win", () => {
  assert.deepEqual(host, { nameservers: ['192.0.2.53', '192.0.2.54'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'ndots:2', 'timeout:2'] });
});

test('ClusterFirst (the default): cluster DNS, the namespace search path before the host ones, ndots:5', () => {
  const want = 'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.244.0.1\noptions ndots:5\n';
  assert.equal(text(web()), want);
  assert.equal(text(web({ dnsPolicy: 'ClusterFirst' })), want);
  assert.equal(text(web({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true })), want);
});

test("Default, and ClusterFirst on the host network: the node's own configuration", () => {
  const want = 'search corp.example lab.example\nnameserver 192.0.2.53\nnameserver 192.0.2.54\noptions edns0 ndots:2 timeout:2\n';
  assert.equal(text(web({ dnsPolicy: 'Default' })), want);
  assert.equal(text(web({ hostNetwork: true })), want);
});

test('None: only dnsConfig', () => {
  const p = web({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } });
  assert.equal(text(p), 'search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n');
});

test('dnsConfig is merged: nameservers and searches appended without duplicates, options replacing by name', () => {
  const p = web({ dnsConfig: { nameservers: ['10.244.0.1', '192.0.2.99'], searches: ['svc.cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request' }] } });
  assert.equal(
    text(p),
    'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example extra.example\nnameserver 10.244.0.1\nnameserver 192.0.2.99\noptions ndots:2 single-request\n',
  );
});

test('limits as the kubelet applies them: 3 nameservers, 32 search paths, 2048 characters; each with a warning', () => {
  const many = web({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'], searches: Array.from({ length: 40 }, (_, i) => `s${i}.example`) } });
  const r = podDns(many, host, settings);
  assert.deepEqual(r.conf.nameservers, ['1.1.1.1', '2.2.2.2', '3.3.3.3']);
  assert.equal(r.conf.searches.length, 32);
  assert.deepEqual(r.warnings, [
    'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3',
    `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${r.conf.searches.join(' ')}`,
  ]);
  const long = podDns(web({ dnsPolicy: 'None', dnsConfig: { searches: Array.from({ length: 10 }, (_, i) => `${'x'.repeat(250)}${i}`) } }), host, settings);
  assert.ok(long.conf.searches.join(' ').length <= 2048);
  assert.equal(long.conf.searches.length, 8);
});

test('without a cluster DNS address ClusterFirst falls back to Default, with a warning', () => {
  const r = podDns(web(), host, { clusterDNS: [], clusterDomain: 'cluster.local' });
  assert.deepEqual(r.conf.nameservers, host.nameservers);
  assert.match(r.warnings[0], /ClusterDNS is not set; falling back to "Default" policy/);
});
