import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { KubeObject } from '../../src/api/types.js';
import { PortForwardDecoder, dataChannel, encodePortPrefix, errorChannel, parsePortParams } from '../../src/api/portforward.js';
import { encodeFrame } from '../../src/api/remotecommand.js';
import { portForwardPath } from '../../src/apiserver/http/pod-stream-target.js';
import { lessActive, mostActivePod, podSelectorOf } from '../../src/cli/attachable-pod.js';
import {
  checkUdpPorts,
  parseAddresses,
  parsePortSpecs,
  podPortsToNumbers,
  servicePortsToTargetPorts,
} from '../../src/cli/port-forward-ports.js';
import { PortForwarder } from '../../src/cli/port-forwarder.js';
import { pod } from '../helpers/builders.js';

const web = pod('web', { metadata: { namespace: 'default' }, container: { name: 'httpd', ports: [{ name: 'http', containerPort: 8000 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] } });

const svc: KubeObject = {
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    clusterIP: '10.96.0.10',
    selector: { app: 'web' },
    ports: [
      { name: 'web', port: 80, targetPort: 'http' },
      { name: 'plain', port: 81, targetPort: 8000 },
      { name: 'same', port: 9000 },
    ],
  },
};

test('the server opens every channel with its port, 2 bytes little-endian', () => {
  assert.equal(dataChannel(0), 0);
  assert.equal(errorChannel(0), 1);
  assert.equal(dataChannel(1), 2);
  assert.equal(errorChannel(1), 3);
  assert.deepEqual([...encodePortPrefix(2, 8000)], [2, 0x40, 0x1f]);
});

test('the client takes the port prefix off each channel and checks it', () => {
  const d = new PortForwardDecoder([8000, 9000]);
  assert.equal(d.decode(encodePortPrefix(0, 8000)), undefined);
  assert.equal(d.decode(encodePortPrefix(1, 8000)), undefined);
  assert.deepEqual(d.decode(encodeFrame(0, 'hello')), { channel: 0, data: Buffer.from('hello') });
  // A prefix split over two messages, then data in the same message as its end.
  assert.equal(d.decode(Buffer.from([2, 0x28])), undefined);
  assert.deepEqual(d.decode(Buffer.from([2, 0x23, 0x41])), { channel: 2, data: Buffer.from('A') });
  assert.throws(() => d.decode(encodePortPrefix(3, 1234)), /sent port 1234 on channel 3, expected 9000/);
  assert.throws(() => d.decode(encodeFrame(4, 'x')), /channel 4/);
});

test("the agent reads the port parameters as the kubelet does, with its errors", () => {
  assert.deepEqual(parsePortParams(['8000', '9000,9001']), [8000, 9000, 9001]);
  assert.throws(() => parsePortParams([]), /query parameter "port" is required/);
  assert.throws(() => parsePortParams(['']), /cannot be empty/);
  assert.throws(() => parsePortParams(['http']), /unable to parse "http" as a port/);
  assert.throws(() => parsePortParams(['70000']), /unable to parse/);
  assert.throws(() => parsePortParams(['0']), /port "0" must be > 0/);
});

test('the API server passes ports on as the kubelet\'s port parameters', () => {
  const q = new URLSearchParams('ports=8000&ports=9000&container=x');
  assert.equal(portForwardPath('default', 'web', q), '/portForward/default/web?port=8000&port=9000');
});

test('port specs: LOCAL:REMOTE, :REMOTE (any local port), REMOTE (the same port)', () => {
  assert.deepEqual(parsePortSpecs(['8080:8000', ':8000', '9000']), [
    { local: 8080, remote: 8000 },
    { local: 0, remote: 8000 },
    { local: 9000, remote: 9000 },
  ]);
  assert.throws(() => parsePortSpecs(['abc:8000']), { message: `error parsing local port 'abc': strconv.ParseUint: parsing "abc": invalid syntax` });
  assert.throws(() => parsePortSpecs(['99999']), { message: `error parsing local port '99999': strconv.ParseUint: parsing "99999": value out of range` });
  assert.throws(() => parsePortSpecs(['8080:-1']), { message: `error parsing remote port '-1': strconv.ParseUint: parsing "-1": invalid syntax` });
  assert.throws(() => parsePortSpecs(['8080:0']), { message: 'remote port must be > 0' });
  assert.throws(() => parsePortSpecs(['1:2:3']), { message: "invalid port format '1:2:3'" });
});

test("a pod's named ports become numbers; an unknown name is kubectl's error", () => {
  assert.deepEqual(podPortsToNumbers(['http', '8080:http', ':http', '7000'], web), ['8000', '8080:8000', ':8000', '7000']);
  assert.throws(() => podPortsToNumbers(['nope'], web), { message: "Pod 'web' does not have a named port 'nope'" });
});

test('service ports map to the pod port their targetPort names; the local port stays the service port', () => {
  assert.deepEqual(servicePortsToTargetPorts(['80', '8080:80', 'web', ':81', '9000'], svc, web), ['80:8000', '8080:8000', '80:8000', ':8000', '9000']);
  assert.throws(() => servicePortsToTargetPorts(['82'], svc, web), { message: 'Service web does not have a service port 82' });
  assert.throws(() => servicePortsToTargetPorts(['nope'], svc, web), { message: "Service 'web' does not have a named port 'nope'" });
  const noNamedPort = { ...web, spec: { containers: [{ name: 'httpd' }] } };
  assert.throws(() => servicePortsToTargetPorts(['80'], svc, noNamedPort), { message: "Pod 'web' does not have a named port 'http'" });
  const headless = { ...svc, spec: { ...svc.spec, clusterIP: 'None' } };
  assert.deepEqual(servicePortsToTargetPorts(['80'], headless, web), ['80']);
});

test('ports that are only UDP are refused', () => {
  assert.throws(() => checkUdpPorts(['53'], web), { message: 'UDP protocol is not supported for 53' });
  assert.throws(() => checkUdpPorts(['5353:dns'], web), { message: 'UDP protocol is not supported for dns' });
  checkUdpPorts(['8000', 'http'], web);
});

test('addresses: localhost is 127.0.0.1 and ::1 (failing only together), others must be IPs, sorted', () => {
  assert.deepEqual(parseAddresses(['localhost']), [
    { address: '127.0.0.1', family: 4, failureMode: 'all' },
    { address: '::1', family: 6, failureMode: 'all' },
  ]);
  assert.deepEqual(
    parseAddresses(['localhost', '10.0.0.1', '127.0.0.1']).map((a) => `${a.address}/${a.failureMode}`),
    ['10.0.0.1/any', '127.0.0.1/any', '::1/all'],
  );
  assert.throws(() => parseAddresses(['myhost']), { message: 'myhost is not a valid IP' });
});

/** A pod as `kctl port-forward` ranks it: Running, created at the start of 2026, unless told. */
function candidate(name: string, o: { node?: string; phase?: string; readySince?: string; restarts?: number }): KubeObject {
  return pod(name, { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, node: o.node, phase: o.phase ?? 'Running', ready: o.readySince, restarts: o.restarts ?? 0 });
}

test('the pod of a service or workload is the most active one, as kubectl picks it', () => {
  const unassigned = candidate('unassigned', {});
  const pending = candidate('pending', { node: 'n', phase: 'Pending' });
  const running = candidate('running', { node: 'n' });
  const ready = candidate('ready', { node: 'n', readySince: '2026-01-01T00:01:00Z' });
  const readyLonger = candidate('ready-longer', { node: 'n', readySince: '2026-01-01T00:00:30Z' });
  const restarted = candidate('restarted', { node: 'n', readySince: '2026-01-01T00:00:30Z', restarts: 3 });
  assert.equal(lessActive(unassigned, pending), true);
  assert.equal(lessActive(pending, running), true);
  assert.equal(lessActive(running, ready), true);
  assert.equal(lessActive(ready, readyLonger), true);
  assert.equal(lessActive(restarted, readyLonger), true);
  assert.equal(mostActivePod([unassigned, pending, running, ready, restarted, readyLonger])?.metadata.name, 'ready-longer');
  assert.equal(mostActivePod([]), undefined);
});

test('selectors: a service\'s map, a workload\'s label selector; a service without one is refused', () => {
  assert.equal(podSelectorOf(svc), 'app=web');
  assert.equal(podSelectorOf({ kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'web', tier: 'fe' } } } }), 'app=web,tier=fe');
  assert.throws(() => podSelectorOf({ ...svc, spec: { ...svc.spec, selector: undefined } }), { message: "invalid service 'web': Service is defined without a selector" });
  assert.throws(() => podSelectorOf({ kind: 'ConfigMap', metadata: { name: 'c' } }), { message: 'selector for *v1.ConfigMap not implemented' });
});

/** A stand-in for the agent: echoes data in upper case on the port's data channel. */
async function fakeAgent(behaviour: 'echo' | 'refuse'): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => {
    const port = Number(new URL(req.url!, 'http://x').searchParams.get('ports'));
    ws.send(encodePortPrefix(0, port));
    ws.send(encodePortPrefix(1, port));
    if (behaviour === 'refuse') {
      ws.send(encodeFrame(1, `error forwarding port ${port} to pod abc, uid : connection refused`));
      ws.close(1000);
      return;
    }
    ws.on('message', (m: Buffer) => {
      ws.send(encodeFrame(0, m.subarray(1).toString().toUpperCase()));
      ws.close(1000);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const c of wss.clients) c.terminate();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function request(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.on('data', (c) => (got += c));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

function forwarderTo(agentPort: number, out: string[], err: string[]): PortForwarder {
  return new PortForwarder({
    addresses: parseAddresses(['127.0.0.1']),
    ports: parsePortSpecs([':8000']),
    connect: (remote) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${agentPort}/?ports=${remote}`, ['v4.channel.k8s.io']);
        ws.once('open', () => {
          ws.pause();
          resolve(ws);
        });
        ws.once('error', reject);
      }),
    out: (l) => out.push(l),
    errOut: (l) => err.push(l),
  });
}

test('each local connection gets its own WebSocket; kubectl\'s lines are printed', async () => {
  const agent = await fakeAgent('echo');
  const out: string[] = [];
  const err: string[] = [];
  const pf = forwarderTo(agent.port, out, err);
  try {
    await pf.start();
    const m = /^Forwarding from 127\.0\.0\.1:(\d+) -> 8000$/.exec(out[0]);
    assert.ok(m, out[0]);
    const local = Number(m[1]);
    assert.notEqual(local, 0);
    const [a, b] = await Promise.all([request(local, 'one'), request(local, 'two')]);
    assert.deepEqual([a, b], ['ONE', 'TWO']);
    assert.deepEqual(out.slice(1), [`Handling connection for ${local}`, `Handling connection for ${local}`]);
    assert.deepEqual(err, []);
  } finally {
    pf.close();
    await agent.close();
  }
  await pf.done;
});

test('an error from the pod side is printed and ends the forward: lost connection to pod', async () => {
  const agent = await fakeAgent('refuse');
  const out: string[] = [];
  const err: string[] = [];
  const pf = forwarderTo(agent.port, out, err);
  try {
    await pf.start();
    const local = Number(/:(\d+) ->/.exec(out[0])![1]);
    await request(local, 'x');
    await assert.rejects(pf.done, { message: 'lost connection to pod' });
    assert.deepEqual(err, [`an error occurred forwarding ${local} -> 8000: error forwarding port 8000 to pod abc, uid : connection refused`]);
  } finally {
    pf.close();
    await agent.close();
  }
});

test('a port already taken: kubectl\'s listen errors', async () => {
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as net.AddressInfo).port;
  const err: string[] = [];
  const pf = new PortForwarder({
    addresses: parseAddresses(['127.0.0.1']),
    ports: [{ local: port, remote: 8000 }],
    connect: () => Promise.reject(new Error('unused')),
    out: () => {},
    errOut: (l) => err.push(l),
  });
  try {
    await assert.rejects(pf.start(), { message: `unable to listen on any of the requested ports: [{${port} 8000}]` });
    assert.deepEqual(err, [
      `Unable to listen on port ${port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${port}: bind: address already in use]`,
    ]);
  } finally {
    pf.close();
    taken.close();
  }
});
