import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { buildRouteTable, requestHost } from '../../src/nodeagent/ingress/route-table.js';
import { pathMatcher, pathMatches } from '../../src/nodeagent/ingress/path-match.js';

function service(name: string, ports: Array<{ name?: string; port: number; protocol?: string }>, type?: string): KubeObject {
  return { metadata: { namespace: 'default', name }, spec: { type, ports } };
}

/** Endpoints with one subset per port: the same addresses on each. */
function endpoints(name: string, ips: string[], ports: Array<{ name?: string; port: number }>, notReady: string[] = []): KubeObject {
  return {
    metadata: { namespace: 'default', name },
    subsets: [{ addresses: ips.map((ip) => ({ ip })), notReadyAddresses: notReady.map((ip) => ({ ip })), ports }],
  };
}

function backend(name: string, port: number | string) {
  return { service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

function ingress(name: string, spec: any, created = '2024-01-01T00:00:00Z'): KubeObject {
  return { metadata: { namespace: 'default', name, creationTimestamp: created }, spec };
}

function rule(host: string | undefined, paths: Array<[string, string, any]>) {
  return { host, http: { paths: paths.map(([path, pathType, b]) => ({ path, pathType, backend: b })) } };
}

/** Services `a`..`h` on port 80 (target 8080), each with one endpoint 10.0.0.<n>. */
const SERVICES = new Map<string, KubeObject>();
const ENDPOINTS = new Map<string, KubeObject>();
'abcdefgh'.split('').forEach((s, i) => {
  SERVICES.set(s, service(s, [{ port: 80 }]));
  ENDPOINTS.set(s, endpoints(s, [`10.0.0.${i + 1}`], [{ port: 8080 }]));
});
const lookup = { service: (_ns: string, n: string) => SERVICES.get(n), endpoints: (_ns: string, n: string) => ENDPOINTS.get(n) };

/** Which service a request goes to (by its endpoint's last octet), or 404. */
function routeOf(ingresses: KubeObject[], host: string, path: string, className = 'kctl'): string {
  const pool = buildRouteTable(ingresses, className, lookup).lookup(host, path);
  if (!pool) return '404';
  const u = pool.pick();
  return u ? 'abcdefgh'[Number(u.host.split('.')[3]) - 1] : '503';
}

test('Prefix matches element by element; Exact only the whole path', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['/', 'Prefix', '/anything', true],
    ['/foo', 'Prefix', '/foo', true],
    ['/foo', 'Prefix', '/foo/', true],
    ['/foo', 'Prefix', '/foo/bar', true],
    ['/foo', 'Prefix', '/foobar', false],
    ['/foo/', 'Prefix', '/foo', true],
    ['/aaa/bb', 'Prefix', '/aaa/bbb', false],
    ['/aaa/bbb', 'Prefix', '/aaa/bbbxyz', false],
    ['/foo', 'ImplementationSpecific', '/foo/x', true],
    ['/foo', 'ImplementationSpecific', '/foox', false],
    ['/foo', 'Exact', '/foo', true],
    ['/foo', 'Exact', '/foo/', false],
    ['/foo', 'Exact', '/foo/bar', false],
  ];
  for (const [rulePath, type, req, want] of cases) assert.equal(pathMatches(pathMatcher(rulePath, type), req), want, `${type} ${rulePath} vs ${req}`);
});

test('the longest matching path wins; at equal length Exact wins over Prefix', () => {
  const ing = ingress('i', {
    rules: [
      rule('x.example', [
        ['/', 'Prefix', backend('a', 80)],
        ['/aaa', 'Prefix', backend('b', 80)],
        ['/aaa/bbb', 'Prefix', backend('c', 80)],
        ['/foo', 'Prefix', backend('d', 80)],
        ['/foo', 'Exact', backend('e', 80)],
      ]),
    ],
  });
  assert.equal(routeOf([ing], 'x.example', '/ccc'), 'a');
  assert.equal(routeOf([ing], 'x.example', '/aaa/ccc'), 'b');
  assert.equal(routeOf([ing], 'x.example', '/aaa/bbb/c'), 'c');
  assert.equal(routeOf([ing], 'x.example', '/aaa/bbbc'), 'b');
  assert.equal(routeOf([ing], 'x.example', '/foo'), 'e');
  assert.equal(routeOf([ing], 'x.example', '/foo/'), 'd');
});

test('hosts: precise, wildcard of exactly one label, then rules without a host, then the default backend, else 404', () => {
  const ing = ingress('i', {
    defaultBackend: backend('h', 80),
    rules: [
      rule('foo.bar.com', [['/', 'Prefix', backend('a', 80)]]),
      rule('*.bar.com', [['/', 'Prefix', backend('b', 80)]]),
      rule('only.example', [['/api', 'Prefix', backend('c', 80)]]),
      rule(undefined, [['/shared', 'Prefix', backend('d', 80)]]),
    ],
  });
  assert.equal(routeOf([ing], 'foo.bar.com', '/x'), 'a');
  assert.equal(routeOf([ing], 'baz.bar.com', '/x'), 'b');
  assert.equal(routeOf([ing], 'bar.com', '/x'), 'h', 'the wildcard needs one more label');
  assert.equal(routeOf([ing], 'a.baz.bar.com', '/x'), 'h', 'the wildcard covers one label only');
  assert.equal(routeOf([ing], 'only.example', '/api/v1'), 'c');
  assert.equal(routeOf([ing], 'only.example', '/shared/x'), 'd', 'a host whose paths do not match falls back to host-less rules');
  assert.equal(routeOf([ing], 'other.example', '/shared'), 'd');
  assert.equal(routeOf([ing], 'other.example', '/'), 'h');
  const noDefault = ingress('j', { rules: [rule('foo.bar.com', [['/', 'Prefix', backend('a', 80)]])] });
  assert.equal(routeOf([noDefault], 'other.example', '/'), '404');
  assert.equal(routeOf([], 'foo.bar.com', '/'), '404');
});

test('the Host header is matched without case, port or trailing dot', () => {
  assert.equal(requestHost('Foo.Example:8080'), 'foo.example');
  assert.equal(requestHost('foo.example.'), 'foo.example');
  assert.equal(requestHost('[::1]:80'), '::1');
  assert.equal(requestHost(undefined), '');
  const ing = ingress('i', { rules: [rule('Foo.Example', [['/', 'Prefix', backend('a', 80)]])] });
  assert.equal(routeOf([ing], requestHost('FOO.example:80'), '/'), 'a');
});

test('only Ingresses of the proxy class, or naming none, are served; on a conflict the oldest wins', () => {
  const mine = ingress('mine', { ingressClassName: 'kctl', rules: [rule('a.example', [['/', 'Prefix', backend('a', 80)]])] });
  const unnamed = ingress('unnamed', { rules: [rule('b.example', [['/', 'Prefix', backend('b', 80)]])] });
  const other = ingress('other', { ingressClassName: 'nginx', rules: [rule('c.example', [['/', 'Prefix', backend('c', 80)]])] });
  const legacy = ingress('legacy', { rules: [rule('d.example', [['/', 'Prefix', backend('d', 80)]])] });
  legacy.metadata.annotations = { 'kubernetes.io/ingress.class': 'nginx' };
  const all = [mine, unnamed, other, legacy];
  assert.deepEqual(['a', 'b', 'c', 'd'].map((h) => routeOf(all, `${h}.example`, '/')), ['a', 'b', '404', '404']);
  assert.deepEqual(['a', 'b', 'c'].map((h) => routeOf(all, `${h}.example`, '/', 'nginx')), ['404', 'b', 'c']);

  const newer = ingress('newer', { defaultBackend: backend('f', 80), rules: [rule('x.example', [['/p', 'Prefix', backend('e', 80)]])] }, '2024-02-01T00:00:00Z');
  const older = ingress('older', { defaultBackend: backend('g', 80), rules: [rule('x.example', [['/p', 'Prefix', backend('a', 80)]])] }, '2024-01-01T00:00:00Z');
  assert.equal(routeOf([newer, older], 'x.example', '/p'), 'a');
  assert.equal(routeOf([newer, older], 'y.example', '/'), 'g');
});

test('backends: a port by number or by name resolves to the ready endpoints on the target port, round-robin', () => {
  SERVICES.set('multi', service('multi', [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }]));
  ENDPOINTS.set(
    'multi',
    endpoints('multi', ['10.1.0.1', '10.1.0.2'], [{ name: 'http', port: 8080 }, { name: 'admin', port: 9090 }], ['10.1.0.3']),
  );
  const ing = ingress('i', {
    rules: [
      rule('n.example', [
        ['/by-number', 'Prefix', backend('multi', 9000)],
        ['/by-name', 'Prefix', backend('multi', 'http')],
      ]),
    ],
  });
  const table = buildRouteTable([ing], 'kctl', lookup);
  const picks = (path: string) => [1, 2, 3, 4].map(() => {
    const u = table.lookup('n.example', path)!.pick()!;
    return `${u.host}:${u.port}`;
  });
  assert.deepEqual(picks('/by-name'), ['10.1.0.1:8080', '10.1.0.2:8080', '10.1.0.1:8080', '10.1.0.2:8080']);
  assert.deepEqual(picks('/by-number'), ['10.1.0.1:9090', '10.1.0.2:9090', '10.1.0.1:9090', '10.1.0.2:9090']);
});

test('a backend without a ready endpoint, Service or port is unavailable (503), not a 404', () => {
  SERVICES.set('empty', service('empty', [{ port: 80 }]));
  ENDPOINTS.set('empty', endpoints('empty', [], [{ port: 8080 }], ['10.2.0.1']));
  SERVICES.set('ext', service('ext', [{ port: 80 }], 'ExternalName'));
  const ing = ingress('i', {
    rules: [
      rule('u.example', [
        ['/unready', 'Prefix', backend('empty', 80)],
        ['/no-service', 'Prefix', backend('missing', 80)],
        ['/no-port', 'Prefix', backend('a', 81)],
        ['/no-port-name', 'Prefix', backend('a', 'http')],
        ['/external', 'Prefix', backend('ext', 80)],
      ]),
    ],
  });
  for (const path of ['/unready', '/no-service', '/no-port', '/no-port-name', '/external']) assert.equal(routeOf([ing], 'u.example', path), '503', path);
});
