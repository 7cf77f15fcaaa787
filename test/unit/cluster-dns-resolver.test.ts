import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import { resolve, type Resolution } from '../../src/nodeagent/dns/cluster-resolver.js';
import { ServiceDirectory } from '../../src/nodeagent/dns/dns-directory.js';
import { CLASS_IN, RCODE, TYPE } from '../../src/nodeagent/dns/dns-message.js';

const web: Service = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] },
};
const webEndpoints: Endpoints = {
  metadata: { name: 'web', namespace: 'shop' },
  subsets: [{ addresses: [{ ip: '10.244.0.5' }], notReadyAddresses: [{ ip: '10.244.0.6' }], ports: [{ name: 'http', port: 8080 }] }],
};
const db: Service = { metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] } };
const dbEndpoints: Endpoints = {
  metadata: { name: 'db', namespace: 'shop' },
  subsets: [
    {
      addresses: [{ ip: '10.244.1.2', hostname: 'db-0' }, { ip: '10.244.1.3' }],
      notReadyAddresses: [{ ip: '10.244.1.4', hostname: 'db-2' }],
      ports: [{ name: 'pg', port: 5432 }],
    },
  ],
};
const ext: Service = { metadata: { name: 'ext', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'Example.COM.' } };
const alias: Service = { metadata: { name: 'alias', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' } };

function directory(): ServiceDirectory {
  const d = new ServiceDirectory('cluster.local');
  for (const s of [web, db, ext, alias]) d.setService(s);
  d.setEndpoints(webEndpoints);
  d.setEndpoints(dbEndpoints);
  return d;
}

function ask(d: ServiceDirectory, name: string, type: number = TYPE.A): Resolution {
  return resolve(d, { name, type, class: CLASS_IN });
}

function data(r: Resolution): unknown[] {
  return r.answers.map((a) => a.data);
}

test('a ClusterIP Service: A is its ClusterIP, authoritative, TTL 5; names are case-insensitive', () => {
  const r = ask(directory(), 'Web.Shop.svc.cluster.local.');
  assert.equal(r.forward, false);
  assert.equal(r.rcode, RCODE.NOERROR);
  assert.equal(r.aa, true);
  assert.deepEqual(r.answers, [{ name: 'Web.Shop.svc.cluster.local', type: TYPE.A, class: CLASS_IN, ttl: 5, data: { address: '10.96.0.20' } }]);
});

test('AAAA of an existing name: NOERROR with no answer and the SOA (single-stack IPv4)', () => {
  const r = ask(directory(), 'web.shop.svc.cluster.local', TYPE.AAAA);
  assert.equal(r.rcode, RCODE.NOERROR);
  assert.deepEqual(r.answers, []);
  assert.equal(r.authorities[0].type, TYPE.SOA);
  assert.equal(r.authorities[0].name, 'cluster.local');
});

test('unknown names in the cluster domain are NXDOMAIN with the SOA; names between are NOERROR', () => {
  const d = directory();
  for (const n of ['nope.shop.svc.cluster.local', 'web.other.svc.cluster.local', 'x.cluster.local', 'shop.cluster.local']) {
    const r = ask(d, n);
    assert.equal(r.rcode, RCODE.NXDOMAIN, n);
    assert.equal(r.authorities[0].type, TYPE.SOA, n);
  }
  for (const n of ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', '_tcp.web.shop.svc.cluster.local']) {
    const r = ask(d, n);
    assert.equal(r.rcode, RCODE.NOERROR, n);
    assert.deepEqual(r.answers, [], n);
  }
  assert.equal(ask(d, 'cluster.local', TYPE.SOA).answers[0].type, TYPE.SOA);
});

test('a headless Service: A records are its ready endpoints; endpoints have names of their own', () => {
  const d = directory();
  assert.deepEqual(data(ask(d, 'db.shop.svc.cluster.local')), [{ address: '10.244.1.2' }, { address: '10.244.1.3' }]);
  assert.deepEqual(data(ask(d, 'db-0.db.shop.svc.cluster.local')), [{ address: '10.244.1.2' }]);
  // Without a hostname, CoreDNS names an endpoint by its address with dashes.
  assert.deepEqual(data(ask(d, '10-244-1-3.db.shop.svc.cluster.local')), [{ address: '10.244.1.3' }]);
  assert.equal(ask(d, 'db-2.db.shop.svc.cluster.local').rcode, RCODE.NXDOMAIN);
  // A ClusterIP Service's endpoints have names too.
  assert.deepEqual(data(ask(d, '10-244-0-5.web.shop.svc.cluster.local')), [{ address: '10.244.0.5' }]);
});

test('SRV of named ports: the Service name for a ClusterIP, each endpoint for a headless one, with A records beside', () => {
  const d = directory();
  const http = ask(d, '_http._tcp.web.shop.svc.cluster.local', TYPE.SRV);
  assert.deepEqual(data(http), [{ priority: 0, weight: 100, port: 80, target: 'web.shop.svc.cluster.local' }]);
  assert.deepEqual(http.additionals.map((a) => [a.name, a.data]), [['web.shop.svc.cluster.local', { address: '10.96.0.20' }]]);
  assert.deepEqual(data(ask(d, '_dns._udp.web.shop.svc.cluster.local', TYPE.SRV)), [{ priority: 0, weight: 100, port: 53, target: 'web.shop.svc.cluster.local' }]);
  assert.equal(ask(d, '_dns._tcp.web.shop.svc.cluster.local', TYPE.SRV).rcode, RCODE.NXDOMAIN);
  const pg = ask(d, '_pg._tcp.db.shop.svc.cluster.local', TYPE.SRV);
  assert.deepEqual(data(pg), [
    { priority: 0, weight: 50, port: 5432, target: 'db-0.db.shop.svc.cluster.local' },
    { priority: 0, weight: 50, port: 5432, target: '10-244-1-3.db.shop.svc.cluster.local' },
  ]);
  assert.deepEqual(pg.additionals.map((a) => a.data), [{ address: '10.244.1.2' }, { address: '10.244.1.3' }]);
  // The Service's own name holds the SRV set of all its ports.
  assert.deepEqual(
    data(ask(d, 'web.shop.svc.cluster.local', TYPE.SRV)).map((s) => (s as { port: number }).port),
    [80, 53],
  );
});

test('an ExternalName Service is a CNAME; its target is chased outside the cluster, followed inside', () => {
  const d = directory();
  const r = ask(d, 'ext.shop.svc.cluster.local');
  assert.deepEqual(r.answers.map((a) => [a.type, a.data]), [[TYPE.CNAME, { target: 'example.com' }]]);
  assert.equal(r.chase, 'example.com');
  const inside = ask(d, 'alias.shop.svc.cluster.local');
  assert.deepEqual(inside.answers.map((a) => [a.name, a.type, a.data]), [
    ['alias.shop.svc.cluster.local', TYPE.CNAME, { target: 'web.shop.svc.cluster.local' }],
    ['web.shop.svc.cluster.local', TYPE.A, { address: '10.96.0.20' }],
  ]);
  assert.equal(inside.chase, undefined);
});

test('pod names a-b-c-d.<ns>.pod.<domain> answer their address', () => {
  const d = directory();
  assert.deepEqual(data(ask(d, '10-244-0-9.shop.pod.cluster.local')), [{ address: '10.244.0.9' }]);
  assert.equal(ask(d, '10-244-0-999.shop.pod.cluster.local').rcode, RCODE.NXDOMAIN);
});

test('reverse names of Service and headless endpoint addresses are answered; other names are forwarded', () => {
  const d = directory();
  assert.deepEqual(data(ask(d, '20.0.96.10.in-addr.arpa', TYPE.PTR)), [{ target: 'web.shop.svc.cluster.local' }]);
  assert.deepEqual(data(ask(d, '2.1.244.10.in-addr.arpa', TYPE.PTR)), [{ target: 'db-0.db.shop.svc.cluster.local' }]);
  assert.equal(ask(d, '1.1.1.1.in-addr.arpa', TYPE.PTR).forward, true);
  assert.equal(ask(d, 'example.com').forward, true);
  assert.equal(ask(d, 'cluster.local.example.com').forward, true);
});

test('the directory follows changes: Endpoints updated, Service deleted', () => {
  const d = directory();
  d.setEndpoints({ ...dbEndpoints, subsets: [{ addresses: [{ ip: '10.244.1.9' }], ports: [{ name: 'pg', port: 5432 }] }] });
  assert.deepEqual(data(ask(d, 'db.shop.svc.cluster.local')), [{ address: '10.244.1.9' }]);
  assert.equal(ask(d, 'db-0.db.shop.svc.cluster.local').rcode, RCODE.NXDOMAIN);
  d.deleteEndpoints(dbEndpoints);
  // A headless Service without endpoints still exists: no data, not NXDOMAIN.
  assert.equal(ask(d, 'db.shop.svc.cluster.local').rcode, RCODE.NOERROR);
  for (const s of [web, db, ext, alias]) d.deleteService(s);
  assert.equal(ask(d, 'web.shop.svc.cluster.local').rcode, RCODE.NXDOMAIN);
  assert.equal(ask(d, '20.0.96.10.in-addr.arpa', TYPE.PTR).forward, true);
  // Without Services in it, the namespace's name is gone; the domain's stay.
  assert.equal(ask(d, 'shop.svc.cluster.local').rcode, RCODE.NXDOMAIN);
  assert.equal(ask(d, 'svc.cluster.local').rcode, RCODE.NOERROR);
});
