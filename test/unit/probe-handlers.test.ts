// The httpGet and tcpSocket probes against servers on loopback, and the kubelet's texts for
// their failures; named ports and the exec timeout text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { execTimeoutText } from '../../src/nodeagent/pods/probes/exec-probe.js';
import { dialErrorText } from '../../src/nodeagent/pods/probes/go-net-errors.js';
import { httpProbe, PROBE_USER_AGENT, probeUrl, type HttpProbeTarget } from '../../src/nodeagent/pods/probes/http-probe.js';
import { resolvePort } from '../../src/nodeagent/pods/probes/prober.js';
import { tcpProbe } from '../../src/nodeagent/pods/probes/tcp-probe.js';

let server: Server;
let port = 0;
let lastHeaders: IncomingHttpHeaders = {};

before(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers;
    const [path] = (req.url ?? '').split('?');
    if (path === '/ok') res.end('fine');
    else if (path === '/bad') res.writeHead(500).end('broken');
    else if (path === '/slow') setTimeout(() => res.end('late'), 2000);
    else if (path === '/here') res.writeHead(302, { location: '/ok' }).end();
    else if (path === '/away') res.writeHead(301, { location: 'http://localhost:1/ok' }).end('moved');
    else if (path === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const target = (path: string, extra: Partial<HttpProbeTarget> = {}): HttpProbeTarget => ({ scheme: 'HTTP', host: '127.0.0.1', port, path, headers: [], ...extra });

/** A port nothing listens on: one just freed. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

test('httpGet: 2xx succeeds with the kubelet User-Agent; headers are sent', async () => {
  assert.equal(PROBE_USER_AGENT, 'kube-probe/1.32');
  assert.deepEqual(await httpProbe(target('/ok?x=1', { headers: [{ name: 'X-Custom', value: 'v' }] }), 1000), { result: 'success', output: 'fine' });
  assert.equal(lastHeaders['user-agent'], 'kube-probe/1.32');
  assert.equal(lastHeaders['accept'], '*/*');
  assert.equal(lastHeaders['x-custom'], 'v');
  await httpProbe(target('/ok', { headers: [{ name: 'User-Agent', value: 'mine' }, { name: 'Host', value: 'example.test' }] }), 1000);
  assert.equal(lastHeaders['user-agent'], 'mine');
  assert.equal(lastHeaders['host'], 'example.test');
});

test('httpGet: a status of 400 or more fails with the kubelet text', async () => {
  assert.deepEqual(await httpProbe(target('/bad'), 1000), { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  assert.deepEqual(await httpProbe(target('/missing'), 1000), { result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
});

test('httpGet: same-host redirects are followed, others end with a warning', async () => {
  assert.deepEqual(await httpProbe(target('/here'), 1000), { result: 'success', output: 'fine' });
  assert.deepEqual(await httpProbe(target('/away'), 1000), { result: 'warning', output: 'Probe terminated redirects, Response body: moved' });
  assert.deepEqual(await httpProbe(target('/loop'), 1000), { result: 'failure', output: `Get "http://127.0.0.1:${port}/loop": stopped after 10 redirects` });
});

test("httpGet: connection refused and timeouts in Go's words", async () => {
  const closed = await closedPort();
  assert.deepEqual(await httpProbe(target('/healthz', { port: closed }), 1000), {
    result: 'failure',
    output: `Get "http://127.0.0.1:${closed}/healthz": dial tcp 127.0.0.1:${closed}: connect: connection refused`,
  });
  const started = Date.now();
  assert.deepEqual(await httpProbe(target('/slow'), 300), {
    result: 'failure',
    output: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
  });
  assert.ok(Date.now() - started < 1500);
});

test('httpGet: the URL as the kubelet formats it', () => {
  assert.equal(probeUrl({ scheme: 'HTTPS', host: '10.244.0.5', port: 8443, path: 'healthz', headers: [] }), 'https://10.244.0.5:8443/healthz');
  assert.equal(probeUrl({ scheme: 'HTTP', host: 'fd00::1', port: 80, path: '/a?b=c', headers: [] }), 'http://[fd00::1]:80/a?b=c');
});

test('tcpSocket: open port succeeds, closed port fails with the dial error', async () => {
  assert.equal((await tcpProbe('127.0.0.1', port, 1000)).result, 'success');
  const closed = await closedPort();
  assert.deepEqual(await tcpProbe('127.0.0.1', closed, 1000), { result: 'failure', output: `dial tcp 127.0.0.1:${closed}: connect: connection refused` });
});

test('ports: numbers, named container ports, numbers in strings; errors as the kubelet', () => {
  const container = { name: 'app', ports: [{ name: 'http', containerPort: 8080 }] };
  assert.equal(resolvePort(80, container), 80);
  assert.equal(resolvePort('http', container), 8080);
  assert.equal(resolvePort('9090', container), 9090);
  assert.throws(() => resolvePort('metrics', container), { message: 'strconv.Atoi: parsing "metrics": invalid syntax' });
  assert.throws(() => resolvePort(70000, container), { message: 'invalid port number: 70000' });
});

test('texts: exec timeout and dial errors', () => {
  assert.equal(execTimeoutText(['sh', '-c', 'sleep 5; echo "x"']), 'command "sh -c sleep 5; echo \\"x\\"" timed out');
  const err = Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' });
  assert.equal(dialErrorText('10.244.0.9', 80, err), 'dial tcp 10.244.0.9:80: connect: no route to host');
});
