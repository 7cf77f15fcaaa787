// kctl port-forward against a real node agent: a busybox httpd pod reached through a local port,
// by pod and by Service (named targetPort), two connections at once, a clean exit on SIGINT and
// kubectl's errors. useNodeCluster brings the cluster down after the tests, whatever happened.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { kubectlAvailable, REPO } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';

const KCTL = join(REPO, 'bin/kctl');

interface Forward {
  child: ChildProcess;
  /** stdout so far. */
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

/** GET a path on a local port, each request on its own connection. */
function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

describe('port-forward', () => {
  const { c } = useNodeCluster(['--nodes', '1']);
  const forwards: Forward[] = [];

  /** Starts kctl (or the real kubectl) port-forward; resolves once it printed a line matching `ready`. */
  async function forward(args: string[], ready: RegExp, cli: 'kctl' | 'kubectl' = 'kctl'): Promise<{ f: Forward; match: RegExpMatchArray }> {
    const [command, prefix] = cli === 'kctl' ? [process.execPath, [KCTL]] : ['kubectl', []];
    const child = spawn(command, [...prefix, 'port-forward', ...args], { env: c.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const f: Forward = { child, out: () => out, err: () => err, exited };
    forwards.push(f);
    const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`port-forward did not get ready: ${out}${err}`)), 20_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = out.match(ready);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      });
      child.stderr!.on('data', (d) => (err += d));
      exited.then(() => reject(new Error(`port-forward exited: ${out}${err}`)));
    });
    return { f, match };
  }

  before(async () => {
    await c.createPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'httpd',
            image: 'busybox:1.35',
            command: ['sh', '-c', 'mkdir -p /www && echo hello-from-pod > /www/index.html && head -c 1048576 /dev/zero | tr "\\\\0" x > /www/big && exec httpd -f -p 8000 -h /www'],
            ports: [{ name: 'http', containerPort: 8000 }],
          },
        ],
      },
    });
    await c.create('/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
    });
    // Never scheduled: no node has the label.
    await c.createPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'nowhere' },
      spec: { nodeSelector: { missing: 'label' }, containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
    });
    await c.waitForPod('web', (p) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.state?.running), 60_000);
  });

  after(() => {
    for (const f of forwards) f.child.kill('SIGKILL');
  });

  test('pod/NAME LOCAL:REMOTE: the page through the local port, two connections at once, a clean exit on SIGINT', async () => {
    // localhost: both loopback addresses, on the same randomly chosen port.
    const { f, match } = await forward(['pod/web', ':8000'], /^Forwarding from 127\.0\.0\.1:(\d+) -> 8000\nForwarding from \[::1\]:\1 -> 8000\n/);
    const port = Number(match[1]);
    const [a, b] = await Promise.all([get(port), get(port)]);
    assert.deepEqual([a, b], [{ status: 200, body: 'hello-from-pod\n' }, { status: 200, body: 'hello-from-pod\n' }]);
    assert.equal(f.out().split(`Handling connection for ${port}\n`).length - 1, 2, f.out());
    // One more, after the first two ended.
    assert.equal((await get(port)).body, 'hello-from-pod\n');
    f.child.kill('SIGINT');
    assert.equal(await f.exited, 0, f.err());
    assert.equal(f.err(), '');
    assert.ok(await refused(port), 'the local port is closed after exit');
  });

  test('svc/NAME: the service port maps to the pod port its named targetPort names', async () => {
    const { f, match } = await forward(['svc/web', ':80', '--address', '127.0.0.1'], /Forwarding from 127\.0\.0\.1:(\d+) -> 8000\n/);
    const port = Number(match[1]);
    assert.doesNotMatch(f.out(), /::1/, '--address 127.0.0.1 listens on IPv4 only');
    assert.deepEqual(await get(port), { status: 200, body: 'hello-from-pod\n' });
    f.child.kill('SIGTERM');
    assert.equal(await f.exited, 0, f.err());
  });

  test('a port with nothing listening in the pod: the error, then "lost connection to pod"', async () => {
    const { f, match } = await forward(['web', ':9999'], /Forwarding from 127\.0\.0\.1:(\d+) -> 9999\n/);
    const port = Number(match[1]);
    await get(port).catch(() => undefined);
    assert.equal(await f.exited, 1);
    assert.match(f.err(), new RegExp(`^an error occurred forwarding ${port} -> 9999: error forwarding port 9999 to pod \\w+, uid : failed to connect to 10\\.244\\.[\\d.]+:9999: .*ECONNREFUSED.*\\nerror: lost connection to pod\\n$`));
  });

  test("kubectl's errors: bad ports, a pod that is not running, no ports", async () => {
    const cases: [string[], string][] = [
      [['pod/web', '99999'], `error: error parsing local port '99999': strconv.ParseUint: parsing "99999": value out of range\n`],
      [['pod/web', '8080:nope'], "error: Pod 'web' does not have a named port 'nope'\n"],
      [['svc/web', '81'], 'error: Service web does not have a service port 81\n'],
      [['pod/web', '8080:0'], 'error: remote port must be > 0\n'],
      [['pod/nowhere', '8000'], 'error: unable to forward port because pod is not running. Current status=Pending\n'],
      [['pod/web'], "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kctl port-forward -h' for help and examples\n"],
      [['pod/web', '8000', '--address', 'myhost'], 'error: myhost is not a valid IP\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await c.kctl(['port-forward', ...args]);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, stderr, args.join(' '));
    }
  });

  test('a local port already taken: kubectl\'s listen errors', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const r = await c.kctl(['port-forward', 'pod/web', `${port}:8000`, '--address', '127.0.0.1']);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `Unable to listen on port ${port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${port}: bind: address already in use]\n` +
          `error: unable to listen on any of the requested ports: [{${port} 8000}]\n`,
      );
    } finally {
      taken.close();
    }
  });

  describe('the real kubectl (SPDY/3.1)', { skip: !kubectlAvailable() && 'no kubectl on PATH' }, () => {
    test('pod/NAME :REMOTE: pages through the local port, two connections at once, 1 MiB past the 64 KiB window, a clean exit', async () => {
      const { f, match } = await forward(['pod/web', ':8000'], /^Forwarding from 127\.0\.0\.1:(\d+) -> 8000\nForwarding from \[::1\]:\1 -> 8000\n/, 'kubectl');
      const port = Number(match[1]);
      const [a, b] = await Promise.all([get(port), get(port)]);
      assert.deepEqual([a, b], [{ status: 200, body: 'hello-from-pod\n' }, { status: 200, body: 'hello-from-pod\n' }]);
      const big = await get(port, '/big');
      assert.equal(big.status, 200);
      assert.equal(big.body, 'x'.repeat(1048576));
      assert.equal((await get(port)).body, 'hello-from-pod\n');
      assert.equal(f.out().split(`Handling connection for ${port}\n`).length - 1, 4, f.out());
      f.child.kill('SIGINT');
      assert.equal(await f.exited, 0, f.err());
      assert.ok(await refused(port), 'the local port is closed after exit');
    });

    test('svc/NAME: the service port maps to the pod port its named targetPort names', async () => {
      const { f, match } = await forward(['svc/web', ':80', '--address', '127.0.0.1'], /Forwarding from 127\.0\.0\.1:(\d+) -> 8000\n/, 'kubectl');
      const port = Number(match[1]);
      assert.deepEqual(await get(port), { status: 200, body: 'hello-from-pod\n' });
      f.child.kill('SIGTERM');
      await f.exited;
    });

    test('a port with nothing listening in the pod: the agent\'s error on the error stream', async () => {
      const { f, match } = await forward(['pod/web', ':9999', '--address', '127.0.0.1'], /Forwarding from 127\.0\.0\.1:(\d+) -> 9999\n/, 'kubectl');
      const port = Number(match[1]);
      await get(port).catch(() => undefined);
      assert.equal(await f.exited, 1);
      assert.match(f.err(), new RegExp(`an error occurred forwarding ${port} -> 9999: error forwarding port 9999 to pod \\w+, uid : failed to connect to 10\\.244\\.[\\d.]+:9999: .*ECONNREFUSED`));
      assert.match(f.err(), /error: lost connection to pod/);
    });
  });
});
