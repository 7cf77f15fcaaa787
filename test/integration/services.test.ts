// Services on two real node agents: ClusterIPs through the iptables proxy, cluster DNS, NodePort
// and LoadBalancer on the host, readiness following, a pod reaching itself, Ingress by host, the
// seeds' Django example, and `cluster down` leaving no rule, network or container behind.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLUSTER_LABEL, POD_NETWORK } from '../../src/api/cluster-network.js';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL, SANDBOX_CONTAINER_NAME } from '../../src/nodeagent/pods/containers.js';
import { removeMachineRules } from '../../src/nodeagent/machine-rules.js';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { freePort, REPO } from '../helpers/test-cluster.js';
import { until } from '../helpers/until.js';
import { deployment, pod, service } from '../helpers/builders.js';

const exec = promisify(execFile);

/** busybox httpd answering with its pod's name; ready while /tmp/ready exists (made at start). */
function webDeployment(name: string, replicas: number): object {
  return deployment(name, {
    replicas,
    spec: { terminationGracePeriodSeconds: 0 },
    container: {
      name: 'web',
      command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 8000 -h /www'],
      ports: [{ name: 'http', containerPort: 8000 }],
      readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
    },
  });
}

/** The Service's port 80 to the web pods' named port http. */
const HTTP = [{ name: 'web', port: 80, targetPort: 'http' }];

const CLIENT_POD = pod('client', { spec: { terminationGracePeriodSeconds: 0 }, container: { command: ['sleep', '3600'] } });

/** A GET to 127.0.0.1 with the given Host header (fetch will not send one of its own). */
function getWithHost(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('services, DNS and ingress on two nodes', () => {
  let ingressPort = 0;
  const { c, docker } = useNodeCluster(async () => {
    ingressPort = await freePort();
    return ['--nodes', '2', '--ingress-port', String(ingressPort)];
  });

  const get = async (path: string): Promise<any> => (await c.api('GET', path)).body;
  const apply = async (...objects: object[]) => {
    const r = await c.kctl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n---\n'));
    assert.equal(r.code, 0, r.stderr);
  };
  /** Runs a command in a pod; its output, or the failure. */
  async function inPod(pod: string, ...command: string[]): Promise<string> {
    const r = await c.kctl(['exec', pod, '--', ...command]);
    if (r.code !== 0) throw new Error(`exec in ${pod} (${command.join(' ')}): ${r.stderr}`);
    return r.stdout;
  }
  /** The process holding a pod's network namespace (its sandbox's), for nsenter. */
  async function sandboxPid(pod: string): Promise<number> {
    const { metadata } = await get(`/api/v1/namespaces/default/pods/${pod}`);
    const [sandbox] = await docker.listContainers({ filters: { label: [`${POD_UID_LABEL}=${metadata.uid}`, `${CONTAINER_NAME_LABEL}=${SANDBOX_CONTAINER_NAME}`] } });
    return (await docker.inspectContainer(sandbox.Id)).State.Pid;
  }
  const readyAddresses = async (name: string): Promise<string[]> =>
    ((await get(`/api/v1/namespaces/default/endpoints/${name}`)).subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.targetRef.name)).sort();
  const podNames = async (app: string): Promise<string[]> =>
    (await get(`/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).items.filter((p: any) => !p.metadata.deletionTimestamp).map((p: any) => p.metadata.name).sort();
  /** Which pods answered `count` requests made from the client pod, one new connection each. */
  async function answers(url: string, count: number): Promise<string[]> {
    const out = await inPod('client', 'sh', '-c', `for i in $(seq ${count}); do wget -qO- ${url} || echo FAILED; done`);
    return out.trim().split('\n');
  }

  test('a client pod reaches a Service by its DNS names, and its requests reach every replica', async () => {
    await apply(webDeployment('web', 3), service('web', { ports: HTTP }), CLIENT_POD);
    assert.equal((await c.kctl(['rollout', 'status', 'deployment/web', '--timeout', '90s'])).code, 0);
    await c.waitForPod('client', (p) => p.status?.phase === 'Running', 60_000);
    const pods = await podNames('web');
    await until('the endpoints list the 3 ready pods', async () => JSON.stringify(await readyAddresses('web')) === JSON.stringify(pods));
    const svc = await get('/api/v1/namespaces/default/services/web');
    assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|1[01][0-9])\./, 'a ClusterIP from 10.96.0.0/12');
    for (const name of ['web', 'web.default', 'web.default.svc.cluster.local']) {
      const lookup = await inPod('client', 'nslookup', '-type=a', name.includes('.svc.') ? name : `${name}.svc.cluster.local`.replace('web.svc', 'web.default.svc'));
      assert.ok(lookup.includes(svc.spec.clusterIP), `${name} resolves to the ClusterIP: ${lookup}`);
    }
    const seen = new Set(await answers('http://web/', 40));
    assert.deepEqual([...seen].sort(), pods, 'every replica answered, and nothing failed');
    const short = new Set(await answers('http://web.default/', 3));
    assert.ok([...short].every((p) => pods.includes(p)));
  });

  test('a deleted pod and an unready pod leave the endpoints and get no more traffic', async () => {
    const [deleted, unready, ...rest] = await podNames('web');
    await inPod(unready, 'rm', '/tmp/ready');
    await until('the unready pod leaves the endpoints', async () => !(await readyAddresses('web')).includes(unready), 20_000);
    const notReady = (await get('/api/v1/namespaces/default/endpoints/web')).subsets.flatMap((s: any) => (s.notReadyAddresses ?? []).map((a: any) => a.targetRef.name));
    assert.deepEqual(notReady, [unready]);
    assert.equal((await c.kctl(['delete', 'pod', deleted, '--grace-period=0'])).code, 0);
    await until('the deleted pod leaves the endpoints', async () => !(await readyAddresses('web')).includes(deleted), 20_000);
    const seen = new Set(await answers('http://web/', 30));
    assert.ok(!seen.has(deleted) && !seen.has(unready), `no traffic to ${deleted} or ${unready}: ${[...seen]}`);
    // The rest, and the replacement the ReplicaSet made once it is ready: nothing failed. Read after
    // the requests, since the replacement may become ready (and answer) while they are made.
    const ready = await readyAddresses('web');
    assert.deepEqual([...seen].filter((p) => !ready.includes(p)), [], `answers only from ready pods ${ready}`);
    assert.ok(rest.every((p) => ready.includes(p)));
    await inPod(unready, 'touch', '/tmp/ready');
    await until('the pod is back in the endpoints once ready', async () => (await readyAddresses('web')).includes(unready), 20_000);
  });

  test('several ports on one Service, and ClientIP session affinity keeps a client on one pod', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sticky' },
      spec: {
        selector: { app: 'web' },
        sessionAffinity: 'ClientIP',
        ports: [
          { name: 'main', port: 80, targetPort: 'http' },
          { name: 'alt', port: 8080, targetPort: 8000 },
        ],
      },
    });
    await until('sticky has the web pods as endpoints', async () => (await readyAddresses('sticky')).length >= 2);
    const viaMain = new Set(await answers('http://sticky/', 12));
    const viaAlt = new Set(await answers('http://sticky:8080/', 12));
    assert.equal(viaMain.size, 1, `one pod answers every request on port 80: ${[...viaMain]}`);
    assert.equal(viaAlt.size, 1, `one pod answers every request on port 8080: ${[...viaAlt]}`);
    assert.ok(!viaMain.has('FAILED') && !viaAlt.has('FAILED'));
  });

  test('a pod reaches itself through its own Service', async () => {
    await apply(webDeployment('solo', 1), service('solo', { ports: HTTP }));
    assert.equal((await c.kctl(['rollout', 'status', 'deployment/solo', '--timeout', '60s'])).code, 0);
    const [solo] = await podNames('solo');
    await until('solo has its endpoint', async () => (await readyAddresses('solo')).length === 1);
    assert.equal((await inPod(solo, 'wget', '-qO-', 'http://solo/')).trim(), solo);
  });

  test('ClusterIP and NodePort answer on the host, LoadBalancer on its own address, headless names give the pod IPs', async () => {
    await apply(
      service('web', { metadata: { name: 'web-nodeport' }, ports: [{ port: 80, targetPort: 8000 }], spec: { type: 'NodePort' } }),
      service('web', { metadata: { name: 'web-lb' }, ports: [{ port: 8080, targetPort: 8000 }], spec: { type: 'LoadBalancer' } }),
      service('web', { metadata: { name: 'web-headless' }, ports: [{ port: 8000 }], spec: { clusterIP: 'None' } }),
    );
    const pods = await podNames('web');
    const nodePort = (await get('/api/v1/namespaces/default/services/web-nodeport')).spec.ports[0].nodePort;
    assert.ok(nodePort >= 30000 && nodePort <= 32767);
    const page = await until('the NodePort answers on 127.0.0.1', async () => (await fetch(`http://127.0.0.1:${nodePort}/`)).text());
    assert.ok(pods.includes(page.trim()));
    // The host reaches cluster IPs too (the service range is routed to the pod bridge).
    const clusterIP = (await get('/api/v1/namespaces/default/services/web-nodeport')).spec.clusterIP;
    assert.ok(pods.includes((await (await fetch(`http://${clusterIP}/`)).text()).trim()));
    const lb = await until('the load balancer gets an address', async () => (await get('/api/v1/namespaces/default/services/web-lb')).status?.loadBalancer?.ingress?.[0]?.ip);
    const lbPage = await until('the load-balancer address answers', async () => (await fetch(`http://${lb}:8080/`)).text());
    assert.ok(pods.includes(lbPage.trim()));
    const ips = (await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items.filter((p: any) => !p.metadata.deletionTimestamp).map((p: any) => p.status.podIP).sort();
    const lookup = await until('the headless name lists every ready pod', async () => {
      const out = await inPod('client', 'nslookup', '-type=a', 'web-headless.default.svc.cluster.local');
      return ips.every((ip: string) => out.includes(ip)) ? out : undefined;
    });
    assert.ok(lookup);
    const kctlGet = await c.kctl(['get', 'svc', 'web-lb', 'web-nodeport']);
    assert.match(kctlGet.stdout, new RegExp(`web-lb\\s+LoadBalancer\\s+10\\.\\S+\\s+${lb.replace(/\./g, '\\.')}\\s+8080:\\d+/TCP`));
    assert.match(kctlGet.stdout, new RegExp(`web-nodeport\\s+NodePort\\s+10\\.\\S+\\s+<none>\\s+80:${nodePort}/TCP`));
  });

  test('pods get the service environment variables of their namespace', async () => {
    const env = await inPod('client', 'env');
    const svc = await get('/api/v1/namespaces/default/services/web');
    // The client pod was made with the web Service, before the others.
    assert.ok(env.includes(`WEB_SERVICE_HOST=${svc.spec.clusterIP}\n`), env);
    assert.ok(env.includes('WEB_SERVICE_PORT=80\n'));
    assert.ok(env.includes(`WEB_PORT_80_TCP=tcp://${svc.spec.clusterIP}:80\n`));
  });

  test('a pod reaches the API server through the kubernetes Service, with its service account token', async () => {
    const svc = await get('/api/v1/namespaces/default/services/kubernetes');
    assert.equal(svc.spec.clusterIP, '10.96.0.1');
    assert.deepEqual(svc.spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: c.port }]);
    const token = (await inPod('client', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/token')).trim();
    // busybox's wget speaks no ECDSA TLS: this machine's node makes the request from inside the
    // client pod's network namespace, checking the certificate for kubernetes.default.svc.
    const pid = await sandboxPid('client');
    const script = `require('node:https').get({ host: '10.96.0.1', servername: 'kubernetes.default.svc', path: '/api', ca: process.env.CA, headers: { authorization: 'Bearer ' + process.env.TOKEN } }, (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => console.log(res.statusCode, b)); }).on('error', (e) => { console.error(e.message); process.exit(1); });`;
    const { stdout } = await exec('nsenter', ['-t', String(pid), '-n', process.execPath, '-e', script], { env: { ...process.env, CA: c.ca, TOKEN: token } });
    assert.match(stdout, /^200 \{"kind":"APIVersions"/);
  });

  test('a UDP Service: an ongoing flow moves to another pod when its pod goes', async () => {
    const pods = ['udp-a', 'udp-b'];
    await apply(
      ...pods.map((name) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'udp' } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '3600'], ports: [{ containerPort: 9000, protocol: 'UDP' }] }] },
      })),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'udp' }, spec: { selector: { app: 'udp' }, ports: [{ port: 9000, protocol: 'UDP' }] } },
    );
    for (const name of pods) await c.waitForPod(name, (p) => p.status?.phase === 'Running', 60_000);
    // busybox has no UDP server: this machine's node answers with the pod's name from inside each
    // pod's network namespace.
    const echo = `const s = require('node:dgram').createSocket('udp4'); s.on('message', (m, r) => s.send(process.argv[1], r.port, r.address)); s.bind(9000);`;
    const servers = await Promise.all(pods.map(async (name) => spawn('nsenter', ['-t', String(await sandboxPid(name)), '-n', process.execPath, '-e', echo, name], { stdio: 'ignore' })));
    const client = dgram.createSocket('udp4');
    try {
      await until('udp has both pods as endpoints', async () => (await readyAddresses('udp')).length === 2);
      const clusterIP = (await get('/api/v1/namespaces/default/services/udp')).spec.clusterIP;
      let last = '';
      client.on('message', (m) => (last = m.toString()));
      // One socket, so one flow: conntrack keeps its NAT decision while packets keep coming.
      const ticker = setInterval(() => client.send('ping', 9000, clusterIP), 100);
      try {
        const first = await until('the UDP Service answers', async () => last || undefined);
        assert.equal((await c.kctl(['delete', 'pod', first, '--grace-period=0'])).code, 0);
        const other = pods.find((p) => p !== first)!;
        last = '';
        assert.equal(await until('the flow moves to the other pod', async () => (last === other ? last : undefined), 15_000), other);
      } finally {
        clearInterval(ticker);
      }
    } finally {
      client.close();
      for (const server of servers) server.kill();
    }
  });

  test('the Ingress routes two hosts to two Services, and kctl get ingress shows its address', async () => {
    await apply(webDeployment('other', 1), service('other', { ports: HTTP }), {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'two-hosts' },
      spec: {
        rules: [
          { host: 'web.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
          { host: 'other.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'other', port: { name: 'web' } } } }] } },
        ],
      },
    });
    assert.equal((await c.kctl(['rollout', 'status', 'deployment/other', '--timeout', '60s'])).code, 0);
    const [other] = await podNames('other');
    const web = await podNames('web');
    const viaIngress = async (host: string) => {
      const res = await getWithHost(ingressPort, host);
      return res.status === 200 ? res.body.trim() : undefined;
    };
    assert.equal(await until('other.example reaches the other Service', () => viaIngress('other.example')), other);
    assert.ok(web.includes((await until('web.example reaches the web Service', () => viaIngress('web.example')))!));
    assert.equal((await getWithHost(ingressPort, 'nobody.example')).status, 404);
    const listed = await until('kctl get ingress shows the address', async () => {
      const r = await c.kctl(['get', 'ingress', 'two-hosts']);
      return /two-hosts\s+<none>\s+web\.example,other\.example\s+127\.0\.0\.1\s+80\s/.test(r.stdout) ? r.stdout : undefined;
    }, 10_000);
    assert.ok(listed);
  });

  test("the seeds' Django example: reached by name from another pod and on the host through its NodePort", async () => {
    const r = await c.kctl(['apply', '-f', join(REPO, 'manifests/django.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await c.kctl(['rollout', 'status', 'deployment/django', '--timeout', '90s'])).code, 0);
    const byName = await until('django-service answers the client pod by name', async () => (await answers('http://django-service:8000/', 1))[0]);
    assert.match(byName, /^django up; database user django at postgres-service$/);
    const nodePort = (await get('/api/v1/namespaces/default/services/django-service')).spec.ports[0].nodePort;
    const page = await until('the NodePort answers on the host', async () => (await fetch(`http://127.0.0.1:${nodePort}/`)).text());
    assert.equal(page.trim(), byName);
  });

  test('the proxy restarted puts back rules removed meanwhile and follows what changed while it was down', async () => {
    const pid = c.agentPid('node-1');
    process.kill(pid, 'SIGKILL');
    // As after a reboot or another program's flush: none of the proxy's rules are left.
    await removeMachineRules();
    assert.ok(!(await exec('iptables-save')).stdout.includes('KCTL-'));
    // Changed while no proxy runs: a second port, and a second replica (which may land on node-1 and
    // so run only once its agent is back).
    await apply(service('solo', { ports: [...HTTP, { name: 'alt', port: 81, targetPort: 'http' }] }));
    assert.equal((await c.kctl(['scale', 'deployment/solo', '--replicas', '2'])).code, 0);
    const up = await c.kctl(['cluster', 'up']);
    assert.equal(up.code, 0, up.stderr);
    assert.notEqual(c.agentPid('node-1'), pid);
    await until('solo has two endpoints', async () => (await readyAddresses('solo')).length === 2);
    const solos = await podNames('solo');
    const seen = await until('both solo pods answer through the Service again', async () => {
      const got = new Set(await answers('http://solo/', 16));
      return solos.every((p) => got.has(p)) && !got.has('FAILED') ? got : undefined;
    });
    assert.deepEqual([...seen].sort(), solos);
    const alt = new Set(await answers('http://solo:81/', 4));
    assert.ok([...alt].every((p) => solos.includes(p)), `the port added while the proxy was down answers: ${[...alt]}`);
  });

  test('cluster down leaves no rule, route, network or container behind', async () => {
    const server = c.server;
    await c.down();
    const rules = (await exec('iptables-save')).stdout;
    assert.ok(!rules.includes('KCTL-'), 'no KCTL chain or jump left');
    assert.ok(!(await exec('ip', ['route'])).stdout.includes('10.96.0.0/12'));
    assert.ok(!(await docker.listNetworks()).some((n) => n.Name === POD_NETWORK));
    assert.deepEqual(await docker.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}=${server}`] } }), []);
  });
});
