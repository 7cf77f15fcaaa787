// Three simulated machines (network namespaces on a LAN bridge, a Docker engine each), in both pod
// network modes: node ranges from the IPAM controller, pods reaching pods on other machines by IP
// with no NAT and through a Service by DNS name, NodePort on every machine's address; the Docker
// engine failure story (one engine stopped: its node NotReady, its pods replaced elsewhere while the
// Service keeps answering; started again: the node back and its stale containers gone); an agent's
// death and a machine's death; and `cluster down` leaving nothing behind, after a crash too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DockerClient } from '../../src/nodeagent/docker/docker-client.js';
import { CLUSTER_LABEL } from '../../src/api/cluster-network.js';
import { POD_UID_LABEL } from '../../src/nodeagent/pods/containers.js';
import { machineAgentLog, machineDataDir, machineHome } from '../../src/cli/cluster/machines/machine-join.js';
import { bringUpMachine, planMachines } from '../../src/cli/cluster/machines/machines.js';
import { netnsPath } from '../../src/cli/cluster/machines/host-command.js';
import { useMachineCluster } from '../helpers/machine-cluster.js';
import { REPO, run, type TestCluster } from '../helpers/test-cluster.js';
import { until } from '../helpers/until.js';

const exec = promisify(execFile);
const MACHINE_ADDRESSES = ['10.250.0.11', '10.250.0.12', '10.250.0.13'];

// busybox httpd: / answers the pod's name, /cgi-bin/ip the address the request came from; its log says `serving NAME`.
const WEB_COMMAND =
  "echo serving $(hostname) && mkdir -p /www/cgi-bin && hostname > /www/index.html && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/ip && chmod +x /www/cgi-bin/ip && exec httpd -f -p 8000 -h /www";

function web(replicas: number): object[] {
  const toleration = (key: string) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            terminationGracePeriodSeconds: 0,
            // Replaced a second after their node goes (Kubernetes' default is 300 s).
            tolerations: [toleration('node.kubernetes.io/not-ready'), toleration('node.kubernetes.io/unreachable')],
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }],
            containers: [{ name: 'web', image: 'busybox:1.35', command: ['sh', '-c', WEB_COMMAND], ports: [{ name: 'http', containerPort: 8000 }] }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
  ];
}

const CLIENT = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client' },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
};

interface PodView {
  name: string;
  node: string;
  ip: string;
  phase: string;
  deleting: boolean;
}

function helpers(c: TestCluster) {
  const get = async (path: string): Promise<any> => (await c.api('GET', path)).body;
  return {
    get,
    async apply(...objects: object[]) {
      const r = await c.kctl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n---\n'));
      assert.equal(r.code, 0, r.stderr);
    },
    async inPod(pod: string, ...command: string[]): Promise<string> {
      const r = await c.kctl(['exec', pod, '--', ...command]);
      if (r.code !== 0) throw new Error(`exec in ${pod} (${command.join(' ')}): ${r.stderr}`);
      return r.stdout;
    },
    async pods(selector = 'app=web'): Promise<PodView[]> {
      const list = await get(`/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)}`);
      return list.items.map((p: any) => ({ name: p.metadata.name, node: p.spec.nodeName ?? '', ip: p.status?.podIP ?? '', phase: p.status?.phase ?? '', deleting: !!p.metadata.deletionTimestamp }));
    },
    async nodes(): Promise<any[]> {
      return (await get('/api/v1/nodes')).items;
    },
  };
}

function inRange(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const n = (a: string) => a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(net) / size);
}

/** GET / with a Host header (fetch cannot set one), for the ingress proxy. */
function getWithHost(address: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: address, port: 80, path: '/', headers: { host }, timeout: 3000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error('timed out'));
      })
      .on('error', reject);
  });
}

async function httpGet(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  assert.equal(res.status, 200, url);
  return (await res.text()).trim();
}

/** The tests both pod network modes share. */
function podNetworkTests(c: TestCluster): void {
  const h = helpers(c);

  test('each machine is a Ready node at its LAN address with its own /24 of the pod network', async () => {
    const status = await c.kctl(['cluster', 'status']);
    assert.equal(status.code, 0, status.stderr);
    for (const [i, address] of MACHINE_ADDRESSES.entries()) assert.match(status.stdout, new RegExp(`node-${i + 1}  ${address.replace(/\./g, '\\.')}  netns kctl-m-node-${i + 1}  engine running`));
    const nodes = await h.nodes();
    assert.deepEqual(nodes.map((n) => n.status.addresses.find((a: any) => a.type === 'InternalIP').address).sort(), MACHINE_ADDRESSES);
    const ranges = nodes.map((n) => n.spec.podCIDR);
    assert.equal(new Set(ranges).size, 3);
    for (const r of ranges) assert.match(r, /^10\.244\.\d+\.0\/24$/);
    for (const n of nodes) assert.deepEqual(n.spec.podCIDRs, [n.spec.podCIDR]);
  });

  test("pods take addresses from their node's range and reach pods on other machines by IP, unNATed", async () => {
    await h.apply(...web(6), CLIENT);
    assert.equal((await c.kctl(['rollout', 'status', 'deployment/web', '--timeout', '90s'])).code, 0);
    await c.waitForPod('client', (p) => p.status?.phase === 'Running', 60_000);
    const ranges = new Map((await h.nodes()).map((n) => [n.metadata.name, n.spec.podCIDR]));
    const [client] = await h.pods('!app');
    const pods = await h.pods();
    for (const p of [...pods, client]) assert.ok(inRange(p.ip, ranges.get(p.node)!), `${p.name} (${p.ip}) in ${p.node}'s range ${ranges.get(p.node)}`);
    const elsewhere = pods.filter((p) => p.node !== client.node);
    assert.ok(new Set(elsewhere.map((p) => p.node)).size >= 2, `web pods on both other machines: ${JSON.stringify(pods)}`);
    for (const p of pods) {
      assert.equal((await h.inPod('client', 'wget', '-qO-', `http://${p.ip}:8000/`)).trim(), p.name);
      // The server sees the client pod's own address (httpd writes it IPv4-mapped): no NAT between pods.
      assert.equal((await h.inPod('client', 'wget', '-qO-', `http://${p.ip}:8000/cgi-bin/ip`)).trim(), `[::ffff:${client.ip}]`);
    }
  });

  test('a Service reached by its DNS name answers from pods on every machine', async () => {
    const pods = await h.pods();
    const out = await h.inPod('client', 'sh', '-c', 'for i in $(seq 24); do wget -qO- http://web.default.svc.cluster.local/ || echo FAILED; done');
    const answers = out.trim().split('\n');
    assert.ok(!answers.includes('FAILED'), out);
    const machines = new Set(answers.map((name) => pods.find((p) => p.name === name)?.node));
    assert.ok(machines.size >= 2, `answers from pods on ${[...machines].join(', ')}`);
  });

  test("NodePort answers on every machine's address, also for pods on other machines", async () => {
    const svc = await h.get('/api/v1/namespaces/default/services/web');
    const nodePort = svc.spec.ports[0].nodePort;
    const names = new Set((await h.pods()).map((p) => p.name));
    for (const address of MACHINE_ADDRESSES) {
      for (let i = 0; i < 3; i++) assert.ok(names.has(await httpGet(`http://${address}:${nodePort}/`)), `${address}:${nodePort} answers with a web pod's name`);
    }
  });

  test("each machine's agent was started by the printed join line and serves logs and exec on the machine's address", async () => {
    const nodes = await h.nodes();
    for (const [i, address] of MACHINE_ADDRESSES.entries()) {
      const name = `node-${i + 1}`;
      const record = JSON.parse(readFileSync(join(machineHome(c.home, name), 'joined', `${name}.json`), 'utf8'));
      assert.equal(record.pid, c.agentPid(name), `${name}'s agent is the one its kctl join started`);
      assert.equal(record.dockerHost, `unix:///run/kctl-machines/${name}/docker.sock`);
      assert.equal(record.dataDir, machineDataDir(c.home, name));
      // No --node-ip was given: the agent took the address it reaches the API server from.
      const port = nodes.find((n) => n.metadata.name === name).status.daemonEndpoints.kubeletEndpoint.Port;
      assert.match(readFileSync(machineAgentLog(c.home, name), 'utf8'), new RegExp(`serving logs[^\\n]* on http://${address.replace(/\./g, '\\.')}:${port} `));
    }
    const pods = await h.pods();
    for (const node of ['node-1', 'node-2', 'node-3']) {
      const pod = pods.find((p) => p.node === node && !p.deleting);
      assert.ok(pod, `a web pod on ${node}`);
      const logs = await c.kctl(['logs', pod.name]);
      assert.equal(logs.code, 0, logs.stderr);
      assert.equal(logs.stdout.trim(), `serving ${pod.name}`);
      assert.equal((await h.inPod(pod.name, 'hostname')).trim(), pod.name);
    }
  });

  test("an Ingress answers on every machine's address, to pods on any machine", async () => {
    await h.apply({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { rules: [{ host: 'web.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    const names = new Set((await h.pods()).map((p) => p.name));
    for (const address of MACHINE_ADDRESSES) {
      const answer = await until(`the ingress on ${address} routes web.example`, async () => {
        const r = await getWithHost(address, 'web.example');
        return r.status === 200 ? r.body : undefined;
      }, 20_000);
      assert.ok(names.has(answer), `${address} answered ${answer}`);
      assert.equal((await getWithHost(address, 'nobody.example')).status, 404);
    }
  });
}

describe('three simulated machines, host-gw pod network', { timeout: 600_000 }, () => {
  const c = useMachineCluster(['--pod-network', 'host-gw', '--node-monitor-grace-period-seconds', '6']);
  const h = helpers(c);
  podNetworkTests(c);

  test("one machine's Docker engine stopped: node NotReady, pods replaced elsewhere, Service answering; started: node back, stale containers gone", async () => {
    const svc = await h.get('/api/v1/namespaces/default/services/web');
    const nodePort = svc.spec.ports[0].nodePort;
    const client = (await h.pods('!app'))[0];
    const victim = ['node-1', 'node-2', 'node-3'].find((n) => n !== client.node)!;
    const survivors = MACHINE_ADDRESSES.filter((_, i) => `node-${i + 1}` !== victim);
    const before = (await h.pods()).filter((p) => p.node === victim).map((p) => p.name);
    assert.ok(before.length > 0);
    // The Service keeps answering throughout, through a machine that stays, to a client that retries
    // for a second: a connection the proxy sent to a pod of the stopped engine before the node went
    // NotReady and the pod's endpoint was withdrawn fails, as on Kubernetes.
    let failures = 0;
    let requests = 0;
    let probing = true;
    const once = () => httpGet(`http://${survivors[0]}:${nodePort}/`);
    const prober = (async () => {
      while (probing) {
        requests++;
        const retry = () => new Promise((r) => setTimeout(r, 300)).then(once);
        await once()
          .catch(retry)
          .catch(retry)
          .catch(retry)
          .catch(() => failures++);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const stop = await c.kctl(['machine', 'stop-engine', victim]);
      assert.equal(stop.code, 0, stop.stderr);
      const ready = await until(`${victim} is NotReady`, async () => {
        const node = (await h.nodes()).find((n) => n.metadata.name === victim);
        const cond = node.status.conditions.find((x: any) => x.type === 'Ready');
        return cond.status === 'False' ? cond : undefined;
      }, 30_000);
      assert.match(ready.message, /^container runtime is down/);
      await until('6 replicas run on the other machines', async () => {
        const running = (await h.pods()).filter((p) => !p.deleting && p.phase === 'Running' && p.node !== victim);
        return running.length === 6;
      }, 60_000);
      // And on after the replacement.
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      probing = false;
      await prober;
    }
    assert.ok(requests > 5, `${requests} requests made`);
    assert.equal(failures, 0, `${failures} of ${requests} requests to the Service failed while the engine was down`);

    const start = await c.kctl(['machine', 'start-engine', victim]);
    assert.equal(start.code, 0, start.stderr);
    await until(`${victim} is Ready again`, async () => {
      const node = (await h.nodes()).find((n) => n.metadata.name === victim);
      return node.status.conditions.find((x: any) => x.type === 'Ready').status === 'True';
    }, 30_000);
    await until('the replaced pods are gone from the API', async () => {
      const names = (await h.pods()).map((p) => p.name);
      return before.every((n) => !names.includes(n));
    }, 60_000);
    const engine = new DockerClient({ socketPath: `/run/kctl-machines/${victim}/docker.sock` });
    try {
      const live = new Set((await h.get('/api/v1/pods')).items.map((p: any) => p.metadata.uid));
      await until('the machine holds no container of a pod that is gone', async () => {
        const containers = await engine.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}`] } });
        return containers.every((x) => live.has(x.Labels[POD_UID_LABEL]));
      }, 30_000);
    } finally {
      await engine.close();
    }
  });

  test("a node agent's death: the node goes unknown and its pods are replaced; cluster up starts it again", async () => {
    const client = (await h.pods('!app'))[0];
    const pods = await h.pods();
    const count = (node: string) => pods.filter((p) => p.node === node && !p.deleting).length;
    // The other machine with the most replicas (the one whose engine stopped may have none now).
    const victim = ['node-1', 'node-2', 'node-3'].filter((n) => n !== client.node).sort((a, b) => count(b) - count(a))[0];
    assert.ok(count(victim) > 0);
    process.kill(c.agentPid(victim), 'SIGKILL');
    await until(`${victim} is NotReady (Unknown)`, async () => {
      const node = (await h.nodes()).find((n) => n.metadata.name === victim);
      return node.status.conditions.find((x: any) => x.type === 'Ready').status === 'Unknown';
    }, 30_000);
    await until('6 replicas run on the other machines', async () => (await h.pods()).filter((p) => !p.deleting && p.phase === 'Running' && p.node !== victim).length === 6, 60_000);
    const up = await c.kctl(['cluster', 'up', '--machines', '3']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, new RegExp(`Restarting node agents: ${victim}`));
  });

  test('a fourth machine joins with the printed kctl join line: Ready at its own address, its pod reached by logs, exec and from other machines', async () => {
    // A machine as cluster up makes one (namespace on the LAN, its own engine and images); cluster down sweeps it by its name.
    const m = planMachines(c.home, ['node-1', 'node-2', 'node-3', 'node-4'])[3];
    const machine = await bringUpMachine(m, 60_000);
    await machine.images;
    const joined = await run(
      'nsenter',
      [
        `--net=${netnsPath(m.namespace)}`, '--', process.execPath, join(REPO, 'bin/kctl'), ...c.joinLine,
        '--node-name', m.name, '--data-dir', machineDataDir(c.home, m.name), '--docker-host', `unix://${m.engine.socket}`,
        '--agent-arg=--pod-network=host-gw', '--agent-arg=--proxy', `--agent-arg=--nodeport-addresses=${m.address}`, `--agent-arg=--ingress-address=${m.address}`,
      ],
      { ...process.env, KCTL_HOME: machineHome(c.home, m.name), KUBECONFIG: '' },
    );
    assert.equal(joined.code, 0, joined.stderr + joined.stdout);
    assert.match(joined.stdout, /This node has joined the cluster as node-4 \(Ready in \d+ ms\)/);
    const node = (await h.nodes()).find((n) => n.metadata.name === 'node-4');
    assert.equal(node.status.addresses.find((a: any) => a.type === 'InternalIP').address, '10.250.0.14');
    assert.match(node.spec.podCIDR, /^10\.244\.\d+\.0\/24$/);

    await c.createPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'joined' },
      spec: { nodeName: 'node-4', terminationGracePeriodSeconds: 0, containers: [{ name: 'web', image: 'busybox:1.35', command: ['sh', '-c', WEB_COMMAND] }] },
    });
    const pod = await c.waitForPod('joined', (p) => p.status?.phase === 'Running', 60_000);
    assert.ok(inRange(pod.status.podIP, node.spec.podCIDR));
    assert.equal((await until('kctl logs reaches the pod on node-4', async () => {
      const r = await c.kctl(['logs', 'joined']);
      return r.code === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
    }, 10_000)), 'serving joined');
    assert.equal((await h.inPod('joined', 'hostname')).trim(), 'joined');
    assert.equal((await until('a pod on another machine reaches it by IP', () => h.inPod('client', 'wget', '-qO-', `http://${pod.status.podIP}:8000/`), 20_000)).trim(), 'joined');
  });
}
);

describe('three simulated machines, vxlan pod network', { timeout: 600_000 }, () => {
  const c = useMachineCluster(['--pod-network', 'vxlan', '--node-monitor-grace-period-seconds', '6']);
  const h = helpers(c);
  podNetworkTests(c);

  test('the pods of other machines are reached over the VXLAN device, with the peers learned from the Nodes', async () => {
    const nodes = await h.nodes();
    for (const n of nodes) assert.match(n.metadata.annotations['network.kctl.io/vtep-mac'], /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const { stdout } = await exec('ip', ['-n', 'kctl-m-node-1', 'route', 'show', 'proto', '66']);
    for (const n of nodes.filter((x) => x.metadata.name !== 'node-1')) assert.match(stdout, new RegExp(`${n.spec.podCIDR.replace(/\./g, '\\.')} via \\S+ dev kctl\\.vxlan`));
  });

  test("a machine's death (its namespace gone, its engine and agent killed): its pods are replaced elsewhere", async () => {
    const client = (await h.pods('!app'))[0];
    const victim = ['node-1', 'node-2', 'node-3'].find((n) => n !== client.node)!;
    const state = JSON.parse((await exec('cat', [`${c.home}/cluster.json`])).stdout);
    const machine = state.machines.list.find((m: any) => m.name === victim);
    process.kill(c.agentPid(victim), 'SIGKILL');
    process.kill(machine.enginePid, 'SIGKILL');
    await exec('ip', ['netns', 'del', machine.namespace]);
    await until('6 replicas run on the other machines', async () => (await h.pods()).filter((p) => !p.deleting && p.phase === 'Running' && p.node !== victim).length === 6, 60_000);
    // cluster down (after this test) still removes what the dead machine left: mounts, processes, data.
  });

  test('a crash of everything (API server, agents, engines killed): cluster down removes all the same', async () => {
    const state = JSON.parse((await exec('cat', [`${c.home}/cluster.json`])).stdout);
    const pids: number[] = [state.apiserverPid, ...state.nodes.map((n: any) => n.pid), ...state.machines.list.map((m: any) => m.enginePid)];
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // the dead machine's are gone already
      }
    }
    // The after hook brings the cluster down and checks that nothing of the machines is left.
  });
});
