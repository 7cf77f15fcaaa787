import { SharedInformers } from '../../src/api/shared-informers.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { IngressProxy } from '../../src/nodeagent/ingress/ingress-proxy.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';

const SERVICES = findByKind('Service')!;
const ENDPOINTS = findByKind('Endpoints')!;
const INGRESSES = findByKind('Ingress')!;

interface Seen {
  name: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A backend on 127.0.0.1 answering its name, the path and the headers it got. */
async function backendServer(name: string): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = http.createServer((req, res) => {
    const seen: Seen = { name, url: req.url!, headers: req.headers };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(seen));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

function get(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

function serviceAndEndpoints(name: string, ports: number[], portName?: string): [KubeObject, KubeObject] {
  return [
    { metadata: { name }, spec: { ports: [{ name: portName, port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: name } } },
    { metadata: { name }, subsets: ports.length ? [{ addresses: [{ ip: '127.0.0.1' }], ports: ports.map((port) => ({ name: portName, port, protocol: 'TCP' })) }] : [] },
  ];
}

const route = (host: string, service: string, port: number | string) => ({
  host,
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } } }] },
});

test('the ingress proxy routes two hosts to two Services, falls back to the default backend, answers 404 and 503, and publishes its address', async () => {
  const { registry, client, done } = inProcessRegistry();
  const [alpha, beta, fallback, spare] = await Promise.all(['alpha', 'beta', 'fallback', 'spare'].map(backendServer));
  const informers = new SharedInformers(client);
  informers.start();
  const proxy = new IngressProxy({ client, informers, port: 0 });
  try {
    for (const [svc, eps] of [
      serviceAndEndpoints('alpha', [alpha.port]),
      serviceAndEndpoints('beta', [beta.port], 'web'),
      serviceAndEndpoints('fallback', [fallback.port]),
      serviceAndEndpoints('idle', []),
    ]) {
      registry.create(SERVICES, 'default', svc);
      registry.create(ENDPOINTS, 'default', eps);
    }
    registry.create(INGRESSES, 'default', {
      metadata: { name: 'web' },
      spec: {
        rules: [route('alpha.example', 'alpha', 80), route('beta.example', 'beta', 'web'), route('idle.example', 'idle', 80)],
      },
    });
    registry.create(INGRESSES, 'default', {
      metadata: { name: 'catch-all' },
      spec: { ingressClassName: 'kctl', defaultBackend: { service: { name: 'fallback', port: { number: 80 } } } },
    });
    registry.create(INGRESSES, 'default', {
      metadata: { name: 'not-mine' },
      spec: { ingressClassName: 'nginx', rules: [route('nginx.example', 'alpha', 80)] },
    });

    const { address, port } = await proxy.start();
    assert.equal(address, '127.0.0.1');

    const a = await get(port, 'alpha.example', '/some/path?q=1');
    assert.equal(a.status, 200);
    const seenA = JSON.parse(a.body) as Seen;
    assert.equal(seenA.name, 'alpha');
    assert.equal(seenA.url, '/some/path?q=1');
    assert.equal(seenA.headers.host, 'alpha.example', 'the Host header is kept');
    assert.equal(seenA.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seenA.headers['x-forwarded-host'], 'alpha.example');
    assert.equal(seenA.headers['x-forwarded-proto'], 'http');

    assert.equal(JSON.parse((await get(port, 'beta.example', '/')).body).name, 'beta', 'named service port');
    assert.equal(JSON.parse((await get(port, 'nginx.example', '/')).body).name, 'fallback', 'another class is not served');
    assert.equal(JSON.parse((await get(port, 'other.example', '/')).body).name, 'fallback');
    assert.equal((await get(port, 'idle.example', '/')).status, 503);

    // Without the default backend, an unmatched request is a 404.
    registry.delete(INGRESSES, 'default', 'catch-all');
    await until('the default backend to go', async () => (await get(port, 'other.example', '/')).status === 404);

    // The address appears in the status of the Ingresses served, not in the other class's.
    await until('the address in the status', () => {
      const ing = registry.get(INGRESSES, 'default', 'web');
      return ing.status?.loadBalancer?.ingress?.[0]?.ip === '127.0.0.1';
    });
    assert.deepEqual(registry.get(INGRESSES, 'default', 'web').status.loadBalancer.ingress, [{ ip: '127.0.0.1' }]);
    assert.equal(registry.get(INGRESSES, 'default', 'not-mine').status?.loadBalancer?.ingress, undefined);

    // Endpoints changing move the traffic: the idle Service gets one, alpha's moves to another backend.
    const [, idleEps] = serviceAndEndpoints('idle', [spare.port]);
    registry.update(ENDPOINTS, 'default', 'idle', { ...registry.get(ENDPOINTS, 'default', 'idle'), subsets: idleEps.subsets });
    const [, alphaEps] = serviceAndEndpoints('alpha', [spare.port]);
    registry.update(ENDPOINTS, 'default', 'alpha', { ...registry.get(ENDPOINTS, 'default', 'alpha'), subsets: alphaEps.subsets });
    await until('idle.example to reach its new endpoint', async () => (await get(port, 'idle.example', '/')).status === 200);
    await until('alpha.example to follow its endpoints', async () => JSON.parse((await get(port, 'alpha.example', '/')).body).name === 'spare');

    // An upstream that refuses connections is a 502.
    await beta.close();
    assert.equal((await get(port, 'beta.example', '/')).status, 502);
  } finally {
    await proxy.stop();
    informers.stop();
    await Promise.all([alpha, beta, fallback, spare].map((b) => b.close().catch(() => {})));
    done();
  }
});

test('requests are spread round-robin over the ready endpoints, on kept-alive upstream connections', async () => {
  const { registry, client, done } = inProcessRegistry();
  const backends = await Promise.all(['one', 'two', 'three'].map(backendServer));
  const informers = new SharedInformers(client);
  informers.start();
  const proxy = new IngressProxy({ client, informers, port: 0 });
  try {
    registry.create(SERVICES, 'default', { metadata: { name: 'rr' }, spec: { ports: [{ port: 80, protocol: 'TCP' }] } });
    registry.create(ENDPOINTS, 'default', {
      metadata: { name: 'rr' },
      // One address, three ports, as three pods on this host would be reached.
      subsets: backends.map((b) => ({ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: b.port, protocol: 'TCP' }] })),
    });
    registry.create(INGRESSES, 'default', { metadata: { name: 'rr' }, spec: { rules: [route('rr.example', 'rr', 80)] } });
    const { port } = await proxy.start();
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push(JSON.parse((await get(port, 'rr.example', '/')).body).name);
    assert.deepEqual(names.slice(0, 3).sort(), ['one', 'three', 'two']);
    assert.deepEqual(names.slice(3), names.slice(0, 3));
    assert.deepEqual(backends.map((b) => b.connections()), [1, 1, 1], 'each backend saw one connection for its two requests');
  } finally {
    await proxy.stop();
    informers.stop();
    await Promise.all(backends.map((b) => b.close()));
    done();
  }
});

test('request bodies go up and large responses come back whole', async () => {
  const { registry, client, done } = inProcessRegistry();
  const echo = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.setHeader('x-method', req.method!);
      res.end(Buffer.concat(Array.from({ length: 1000 }, () => body)));
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const informers = new SharedInformers(client);
  informers.start();
  const proxy = new IngressProxy({ client, informers, port: 0 });
  try {
    registry.create(SERVICES, 'default', { metadata: { name: 'echo' }, spec: { ports: [{ port: 80, protocol: 'TCP' }] } });
    registry.create(ENDPOINTS, 'default', {
      metadata: { name: 'echo' },
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: (echo.address() as AddressInfo).port, protocol: 'TCP' }] }],
    });
    registry.create(INGRESSES, 'default', { metadata: { name: 'echo' }, spec: { rules: [route('echo.example', 'echo', 80)] } });
    const { port } = await proxy.start();
    const sent = 'x'.repeat(1000);
    const got = await new Promise<{ method: string; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { host: 'echo.example' }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ method: String(res.headers['x-method']), body }));
      });
      req.on('error', reject);
      // Chunked, no content-length: the body is streamed up as it comes.
      req.write(sent.slice(0, 500));
      setTimeout(() => req.end(sent.slice(500)), 20);
    });
    assert.equal(got.method, 'POST');
    assert.equal(got.body.length, 1000 * 1000);
    assert.equal(got.body, sent.repeat(1000));
  } finally {
    await proxy.stop();
    informers.stop();
    await new Promise<void>((r) => echo.close(() => r()));
    done();
  }
});
