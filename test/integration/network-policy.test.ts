// NetworkPolicies enforced by the machines' agents on two simulated machines: a server pod on
// node-1, clients on both machines (so the allowed and the denied paths cross machines and stay on
// one bridge); default deny, an allow by pod label and a named port (also through the Service,
// filtered after its DNAT), egress denied and allowed (DNS only when a rule allows it), traffic
// back once the policies are deleted, and no rule left once the agent stops or the cluster is down.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { netnsPath } from '../../src/cli/cluster/machines/host-command.js';
import { useMachineCluster } from '../helpers/machine-cluster.js';
import { until } from '../helpers/until.js';
import { pod } from '../helpers/builders.js';

const exec = promisify(execFile);

const WEB = "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8000 -h /www";

/** A pod serving its hostname over http on port 8000, on the machine named node, labelled pod: NAME and labels. */
function webPod(name: string, node: string, labels: Record<string, string>): object {
  return pod(name, {
    labels: { pod: name, ...labels },
    spec: { terminationGracePeriodSeconds: 0, nodeSelector: { 'kubernetes.io/hostname': node } },
    container: { name: 'web', command: ['sh', '-c', WEB], ports: [{ name: 'http', containerPort: 8000 }] },
  });
}

const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'server' }, spec: { selector: { app: 'server' }, ports: [{ port: 80, targetPort: 'http' }] } };

function netpol(name: string, spec: object): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec };
}

const DNS_RULE = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

async function machineRules(machine: string): Promise<string> {
  return (await exec('nsenter', [`--net=${netnsPath(`kctl-m-${machine}`)}`, 'iptables-save', '-t', 'filter'])).stdout;
}

describe('network policies on two simulated machines', { timeout: 600_000 }, () => {
  const c = useMachineCluster(['--pod-network', 'host-gw'], 2);
  const ips = new Map<string, string>();

  async function apply(...objects: object[]): Promise<void> {
    const r = await c.kctl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n---\n'));
    assert.equal(r.code, 0, r.stderr);
  }

  /** What the pod gets from the URL: the answer, or wget's error. */
  async function fetchFrom(from: string, url: string): Promise<{ ok: boolean; out: string }> {
    const r = await c.kctl(['exec', from, '--', 'timeout', '5', 'wget', '-qO-', url]);
    return { ok: r.code === 0, out: (r.code === 0 ? r.stdout : r.stderr).trim() };
  }

  const server = () => `http://${ips.get('server')}:8000/`;

  async function reaches(from: string, url: string, expected: string): Promise<void> {
    await until(`${from} reaches ${url}`, async () => {
      const r = await fetchFrom(from, url);
      return r.ok && r.out === expected;
    }, 30_000);
  }

  async function refused(from: string, url: string): Promise<string> {
    return until(`${from} is refused at ${url}`, async () => {
      const r = await fetchFrom(from, url);
      return !r.ok && r.out;
    }, 30_000);
  }

  test('without policies every pod reaches the server, by address and through its Service', async () => {
    await apply(
      webPod('server', 'node-1', { app: 'server' }),
      webPod('local-client', 'node-1', { role: 'client' }),
      webPod('client', 'node-2', { role: 'client' }),
      webPod('other', 'node-2', {}),
      SERVICE,
    );
    for (const name of ['server', 'local-client', 'client', 'other']) {
      const p = await c.waitForPod(name, (x) => x.status?.phase === 'Running' && !!x.status?.podIP, 90_000);
      ips.set(name, p.status.podIP);
    }
    for (const from of ['local-client', 'client', 'other']) {
      await reaches(from, server(), 'server');
      await reaches(from, 'http://server.default.svc.cluster.local/', 'server');
    }
  });

  test('a default-deny ingress policy refuses every connection to the pods of its namespace, on the same machine and from another', async () => {
    await apply(netpol('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    for (const from of ['local-client', 'client', 'other']) assert.match(await refused(from, server()), /Connection refused/);
    // Each machine filters for its own pods only.
    assert.match(await machineRules('node-1'), new RegExp(`-A KCTLNP-PODS -d ${ips.get('server')!.replace(/\./g, '\\.')}/32 .*default/server ingress`));
    assert.doesNotMatch(await machineRules('node-2'), new RegExp(`-d ${ips.get('server')!.replace(/\./g, '\\.')}/32`));
  });

  test('a policy allowing pods labelled role=client on the named port lets them in, also through the Service; the others stay refused', async () => {
    await apply(
      netpol('allow-clients', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 'http' }] }],
      }),
    );
    for (const from of ['local-client', 'client']) {
      await reaches(from, server(), 'server');
      await reaches(from, 'http://server.default.svc.cluster.local/', 'server');
    }
    assert.match(await refused('other', server()), /Connection refused/);
    assert.match(await refused('other', 'http://server.default.svc.cluster.local/'), /Connection refused/);
    // Replies pass, while connections into the clients (default-deny) are refused.
    assert.match(await refused('server', `http://${ips.get('client')}:8000/`), /Connection refused/);
  });

  test('an egress policy allows only what its rules name: DNS only with a rule for it', async () => {
    await apply(
      netpol('client-egress', {
        podSelector: { matchLabels: { pod: 'client' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'server' } } }], ports: [{ port: 8000 }] }],
      }),
    );
    await until('the other pod is refused to the client', async () => {
      const r = await fetchFrom('client', `http://${ips.get('other')}:8000/`);
      return !r.ok;
    });
    await reaches('client', server(), 'server');
    const noDns = await fetchFrom('client', 'http://server.default.svc.cluster.local/');
    assert.equal(noDns.ok, false, 'no rule allows DNS');
    assert.match(noDns.out, /bad address/);
    await apply(
      netpol('client-egress', {
        podSelector: { matchLabels: { pod: 'client' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'server' } } }], ports: [{ port: 8000 }] }, DNS_RULE],
      }),
    );
    await reaches('client', 'http://server.default.svc.cluster.local/', 'server');
    const toOther = await fetchFrom('client', `http://${ips.get('other')}:8000/`);
    assert.equal(toOther.ok, false, `still refused to the other pod: ${toOther.out}`);
  });

  test('deleting the policies lets every connection through again; the pod chains go', async () => {
    const r = await c.kctl(['delete', 'networkpolicy', '--all']);
    assert.equal(r.code, 0, r.stderr);
    await reaches('other', server(), 'server');
    await reaches('client', `http://${ips.get('other')}:8000/`, 'other');
    await reaches('server', `http://${ips.get('client')}:8000/`, 'client');
    for (const machine of ['node-1', 'node-2']) {
      await until(`${machine} has no pod chain left`, async () => !/^:KCTLNP-[IE]-/m.test(await machineRules(machine)));
    }
  });

  test('a stopped machine agent takes its rules with it', async () => {
    await apply(netpol('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    await until('node-2 filters for its pods', async () => (await machineRules('node-2')).includes('default/client ingress'));
    process.kill(c.agentPid('node-2'), 'SIGTERM');
    await until('node-2 holds no rule of the policies', async () => !(await machineRules('node-2')).includes('KCTLNP'), 20_000);
  });
});
