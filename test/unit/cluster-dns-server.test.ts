import { SharedInformers } from '../../src/api/shared-informers.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { findByKind } from '../../src/api/resources.js';
import { ClusterDnsServer } from '../../src/nodeagent/dns/cluster-dns-server.js';
import { CLASS_IN, decodeMessage, encodeMessage, RCODE, TYPE, type DnsMessage, type ResourceRecord } from '../../src/nodeagent/dns/dns-message.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';

const SERVICES = findByKind('Service')!;
const ENDPOINTS = findByKind('Endpoints')!;
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

let nextId = 1;
function query(name: string, type: number): Buffer {
  return encodeMessage({ id: nextId++, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0, questions: [{ name, type, class: CLASS_IN }], answers: [], authorities: [], additionals: [] });
}

function udpAsk(port: number, name: string, type: number = TYPE.A): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.on('message', (m) => (s.close(), resolve(decodeMessage(m))));
    s.on('error', reject);
    s.send(query(name, type), port, '127.0.0.1');
  });
}

function tcpAsk(port: number, name: string, type: number = TYPE.A): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    s.on('connect', () => {
      const q = query(name, type);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(q.length);
      // Length and message in two writes: the server must reassemble.
      s.write(len);
      setTimeout(() => s.write(q), 5);
    });
    s.on('data', (c) => {
      data = Buffer.concat([data, c]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        s.destroy();
        resolve(decodeMessage(data.subarray(2)));
      }
    });
    s.on('error', reject);
  });
}

/** A stand-in for the host's resolver on 127.0.0.1: answers every A query with 192.0.2.1, over UDP and TCP. */
async function fakeUpstream(): Promise<{ port: number; asked: string[]; close(): Promise<void> }> {
  const asked: string[] = [];
  const answer = (bytes: Buffer) => {
    const q = decodeMessage(bytes);
    asked.push(q.questions[0].name);
    const answers: ResourceRecord[] = q.questions[0].type === TYPE.A ? [{ name: q.questions[0].name, type: TYPE.A, class: CLASS_IN, ttl: 300, data: { address: '192.0.2.1' } }] : [];
    return encodeMessage({ ...q, qr: true, ra: true, answers });
  };
  const tcp = createServer((s) => {
    let data = Buffer.alloc(0);
    s.on('data', (c) => {
      data = Buffer.concat([data, c]);
      if (data.length >= 2 + data.readUInt16BE(0)) {
        const a = answer(data.subarray(2, 2 + data.readUInt16BE(0)));
        const len = Buffer.alloc(2);
        len.writeUInt16BE(a.length);
        s.end(Buffer.concat([len, a]));
      }
    });
  });
  // The port UDP picks may be taken for TCP by another process: pick again, as the server does.
  let udp: Socket;
  let port: number;
  for (;;) {
    udp = createSocket('udp4');
    udp.on('message', (m, from) => udp.send(answer(m), from.port, from.address));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    port = udp.address().port;
    const listening = await new Promise<boolean>((r) => {
      tcp.once('error', () => r(false));
      tcp.listen(port, '127.0.0.1', () => r(true));
    });
    if (listening) break;
    await new Promise<void>((r) => udp.close(() => r()));
  }
  return { port, asked, close: () => Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]).then(() => {}) };
}

async function setup() {
  const reg = inProcessRegistry();
  reg.registry.create(SERVICES, 'default', { metadata: { name: 'web' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] } });
  reg.registry.create(ENDPOINTS, 'default', { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ name: 'http', port: 8080 }] }] });
  reg.registry.create(SERVICES, 'default', { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.org' } });
  const upstream = await fakeUpstream();
  const informers = new SharedInformers(reg.client);
  informers.start();
  const server = new ClusterDnsServer({ informers, address: '127.0.0.1', port: 0, upstreams: [`127.0.0.1:${upstream.port}`] });
  await server.start();
  return {
    ...reg,
    server,
    upstream,
    async close() {
      await server.stop();
      informers.stop();
      await upstream.close();
      reg.done();
    },
  };
}

test('over UDP and TCP: Service names answered from the caches, other names forwarded to the upstream', async () => {
  const t = await setup();
  try {
    for (const ask of [udpAsk, tcpAsk]) {
      const a = await ask(t.server.port, 'web.default.svc.cluster.local');
      assert.equal(a.rcode, RCODE.NOERROR);
      assert.equal(a.aa, true);
      assert.deepEqual(a.answers.map((r) => [r.data, r.ttl]), [[{ address: '10.96.0.20' }, 5]]);
      const srv = await ask(t.server.port, '_http._tcp.web.default.svc.cluster.local', TYPE.SRV);
      assert.deepEqual(srv.answers[0].data, { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' });
      assert.equal((await ask(t.server.port, 'nope.default.svc.cluster.local')).rcode, RCODE.NXDOMAIN);
      const out = await ask(t.server.port, 'kubernetes.io');
      assert.deepEqual(out.answers.map((r) => r.data), [{ address: '192.0.2.1' }]);
      // An ExternalName's target outside the cluster is asked of the upstream too.
      const ext = await ask(t.server.port, 'ext.default.svc.cluster.local');
      assert.deepEqual(ext.answers.map((r) => [r.type, r.data]), [[TYPE.CNAME, { target: 'example.org' }], [TYPE.A, { address: '192.0.2.1' }]]);
    }
    assert.deepEqual(t.upstream.asked, ['kubernetes.io', 'example.org', 'kubernetes.io', 'example.org']);
  } finally {
    await t.close();
  }
});

test('the answers follow the watch: a new Service, a changed Endpoints, a deleted Service', async () => {
  const t = await setup();
  try {
    t.registry.create(SERVICES, 'default', { metadata: { name: 'db' }, spec: { clusterIP: 'None', ports: [{ port: 5432 }] } });
    t.registry.create(ENDPOINTS, 'default', { metadata: { name: 'db' }, subsets: [{ addresses: [{ ip: '10.244.0.7', hostname: 'db-0' }], ports: [{ port: 5432 }] }] });
    await tick();
    assert.deepEqual((await udpAsk(t.server.port, 'db.default.svc.cluster.local')).answers.map((r) => r.data), [{ address: '10.244.0.7' }]);
    assert.deepEqual((await udpAsk(t.server.port, 'db-0.db.default.svc.cluster.local')).answers.map((r) => r.data), [{ address: '10.244.0.7' }]);
    t.registry.delete(SERVICES, 'default', 'db');
    await tick();
    assert.equal((await udpAsk(t.server.port, 'db.default.svc.cluster.local')).rcode, RCODE.NXDOMAIN);
  } finally {
    await t.close();
  }
});

test('an unanswered upstream gives SERVFAIL; garbage gives FORMERR', async () => {
  const reg = inProcessRegistry();
  // A port nothing listens on: the query is refused at once.
  const informers = new SharedInformers(reg.client);
  informers.start();
  const server = new ClusterDnsServer({ informers, address: '127.0.0.1', port: 0, upstreams: ['127.0.0.1:9'] });
  await server.start();
  try {
    assert.equal((await udpAsk(server.port, 'example.com')).rcode, RCODE.SERVFAIL);
    const reply = await new Promise<Buffer>((resolve) => {
      const s = createSocket('udp4');
      s.on('message', (m) => (s.close(), resolve(m)));
      s.send(Buffer.from('00070100000100000000000003', 'hex'), server.port, '127.0.0.1');
    });
    assert.equal(reply.readUInt16BE(0), 7);
    assert.equal(reply[3] & 0xf, RCODE.FORMERR);
  } finally {
    await server.stop();
    informers.stop();
    reg.done();
  }
});
