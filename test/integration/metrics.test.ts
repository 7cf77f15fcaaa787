// Resource metrics on a real node agent: `kctl cluster up --nodes 1` with a short collection
// interval, a CPU-burning pod and an idle one in Docker, read through metrics.k8s.io with the real
// kubectl top (which asks for protobuf) and kctl top; and the Prometheus /metrics of the API
// server and of the agent, for tokens RBAC lets read them. useNodeCluster brings the cluster down
// after the tests, whatever happened.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { parsePrometheusText, type PromSample } from '../../src/api/metrics/prometheus-text.js';
import { kubectlAvailable } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { pod } from '../helpers/builders.js';

const running = (p: any) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.state?.running);

/** `NAME CPU MEMORY` rows of `top pods --no-headers` as millicores by pod name. */
function millicores(stdout: string): Map<string, number> {
  return new Map(
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, cpu] = line.trim().split(/\s+/);
        return [name, Number(cpu.replace(/m$/, ''))];
      }),
  );
}

/** GET on a node agent's endpoint with a bearer token (none when undefined). */
function agentGet(port: number, path: string, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
}

const named = (samples: PromSample[], name: string) => samples.filter((s) => s.name === name);

describe('resource metrics', () => {
  const { c } = useNodeCluster(['--nodes', '1', '--metric-resolution', '1s']);

  before(async () => {
    await c.createPod(pod('busy', { labels: { app: 'busy', tier: 'load' }, container: { name: 'main', command: ['sh', '-c', 'while :; do :; done'] } }));
    await c.createPod(pod('idle', { labels: { app: 'idle', tier: 'load' }, container: { name: 'main', command: ['sh', '-c', 'sleep 3600'] } }));
    await Promise.all(['busy', 'idle'].map((p) => c.waitForPod(p, running)));
  });

  /** Retries `top pods` until both pods have figures (two collections after they started). */
  async function topPods(run: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>): Promise<Map<string, number>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = await run(['top', 'pods', '--no-headers']);
      const rows = r.code === 0 ? millicores(r.stdout) : new Map();
      if (rows.has('busy') && rows.has('idle')) return rows;
      if (Date.now() > deadline) throw new Error(`top pods never listed both pods: ${r.code} ${r.stdout}${r.stderr}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  }

  test('kubectl top pods shows the busy pod using more CPU than the idle one', { skip: !kubectlAvailable() && 'no kubectl' }, async () => {
    const rows = await topPods((args) => c.kubectl(args));
    assert.ok(rows.get('busy')! > rows.get('idle')! + 50, `busy ${rows.get('busy')}m, idle ${rows.get('idle')}m`);
    const headers = await c.kubectl(['top', 'pods', '--containers', '-l', 'app=busy']);
    assert.equal(headers.code, 0, headers.stderr);
    assert.match(headers.stdout, /^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nbusy\s+main\s+\d+m\s+\d+Mi\s*\n$/);
    const nodes = await c.kubectl(['top', 'nodes']);
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout, /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\nnode-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*\n$/);
  });

  test('kctl top prints kubectl columns: sorted, per container, across namespaces', async () => {
    const rows = await topPods((args) => c.kctl(args));
    assert.ok(rows.get('busy')! > rows.get('idle')!, `busy ${rows.get('busy')}m, idle ${rows.get('idle')}m`);
    const sorted = await c.kctl(['top', 'pods', '-l', 'tier=load', '--sort-by', 'cpu', '--no-headers']);
    assert.deepEqual(sorted.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]), ['busy', 'idle']);
    const all = await c.kctl(['top', 'pod', '-A', '--containers']);
    assert.match(all.stdout, /^NAMESPACE\s+POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    assert.match(all.stdout, /\ndefault\s+busy\s+main\s+\d+m\s+\d+Mi/);
    const node = await c.kctl(['top', 'node', 'node-1']);
    assert.match(node.stdout, /\nnode-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*\n$/);
    const missing = await c.kctl(['top', 'pod', 'nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n');
    const none = await c.kctl(['top', 'pods', '-l', 'app=none']);
    assert.equal(none.code, 0);
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
    const bad = await c.kctl(['top', 'pods', '--sort-by', 'disk']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'error: --sort-by accepts only cpu or memory\n');
  });

  test('metrics.k8s.io: discovery, selectors, protobuf, and only get and list', async () => {
    const group = await c.api('GET', '/apis/metrics.k8s.io');
    assert.equal(group.body.preferredVersion.groupVersion, 'metrics.k8s.io/v1beta1');
    const resources = await c.api('GET', '/apis/metrics.k8s.io/v1beta1');
    assert.deepEqual(resources.body.resources.map((r: any) => [r.name, r.kind, r.verbs]), [['nodes', 'NodeMetrics', ['get', 'list']], ['pods', 'PodMetrics', ['get', 'list']]]);
    const list = await c.api('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dbusy');
    assert.equal(list.body.kind, 'PodMetricsList');
    assert.deepEqual(list.body.items.map((p: any) => p.metadata.name), ['busy']);
    const item = list.body.items[0];
    assert.deepEqual(item.metadata.labels, { app: 'busy', tier: 'load' });
    assert.match(item.window, /^\d+(\.\d+)?m?s$/);
    assert.match(item.containers[0].usage.cpu, /^\d+[nm]?$/);
    const proto = await c.api('GET', '/apis/metrics.k8s.io/v1beta1/nodes/node-1', undefined, { Accept: 'application/vnd.kubernetes.protobuf' });
    assert.equal(proto.contentType, 'application/vnd.kubernetes.protobuf');
    assert.ok(proto.raw.includes(Buffer.from('NodeMetrics')));
    const gone = await c.api('GET', '/apis/metrics.k8s.io/v1beta1/nodes/nope');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.message, 'nodemetrics.metrics.k8s.io "nope" not found');
    assert.equal((await c.api('DELETE', '/apis/metrics.k8s.io/v1beta1/nodes/node-1')).status, 405);
    assert.equal((await c.api('GET', '/apis/metrics.k8s.io/v1beta1/pods?watch=true')).status, 405);
    assert.equal((await c.api('GET', '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=a%20in')).status, 400);
    assert.equal((await c.api('GET', '/apis/metrics.k8s.io/v1beta1/pods', undefined, {}, false)).status, 401);
  });

  test('Prometheus /metrics: parsed as Prometheus text, for tokens allowed to get /metrics only', async () => {
    const r = await c.api('GET', '/metrics');
    assert.equal(r.status, 200, r.text);
    assert.match(r.contentType, /^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheusText(r.text);
    const podLists = named(samples, 'apiserver_request_total').filter((s) => s.labels.verb === 'LIST' && s.labels.group === '' && s.labels.resource === 'pods' && s.labels.code === '200');
    assert.ok(podLists.length > 0 && podLists.every((s) => s.labels.version === 'v1' && s.labels.component === 'apiserver'));
    assert.ok(named(samples, 'apiserver_request_duration_seconds_bucket').some((s) => s.labels.verb === 'POST' && s.labels.resource === 'pods'));
    assert.ok(named(samples, 'apiserver_longrunning_requests').some((s) => s.labels.verb === 'WATCH' && s.value > 0), 'the agents watch');
    assert.equal(named(samples, 'apiserver_storage_objects').find((s) => s.labels.resource === 'pods')?.value, 2);
    assert.ok(named(samples, 'apiserver_storage_objects').some((s) => s.labels.resource === 'deployments.apps'));
    assert.ok(named(samples, 'workqueue_adds_total').some((s) => s.labels.name === 'deployment'));
    assert.ok(named(samples, 'workqueue_depth').some((s) => s.labels.name === 'replicaset'));
    assert.ok(named(samples, 'process_cpu_seconds_total').length === 1);

    assert.equal((await c.api('GET', '/metrics', undefined, {}, false)).status, 401);
    assert.equal((await c.kctl(['create', 'serviceaccount', 'scraper'])).code, 0);
    const token = (await c.kctl(['create', 'token', 'scraper'])).stdout.trim();
    const asScraper = { Authorization: `Bearer ${token}` };
    const refused = await c.api('GET', '/metrics', undefined, asScraper, false);
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /cannot get path "\/metrics"/);

    const node = (await c.api('GET', '/api/v1/nodes/node-1')).body;
    const port = node.status.daemonEndpoints.kubeletEndpoint.Port;
    assert.equal((await agentGet(port, '/metrics')).status, 401);
    assert.equal((await agentGet(port, '/metrics', token)).status, 403);

    const bound = await c.kctl(['create', 'clusterrolebinding', 'scraper', '--clusterrole', 'system:monitoring', '--serviceaccount', 'default:scraper']);
    assert.equal(bound.code, 0, bound.stderr);
    const allowed = await c.api('GET', '/metrics', undefined, asScraper, false);
    assert.equal(allowed.status, 200);
    assert.ok(parsePrometheusText(allowed.text).length > 0);
    // The agent caches a refusal for a minute, as the kubelet does; the admin is allowed at once.
    const agent = await agentGet(port, '/metrics', c.token());
    assert.equal(agent.status, 200, agent.text);
    const agentSamples = parsePrometheusText(agent.text);
    const busyCpu = named(agentSamples, 'container_cpu_usage_seconds_total').find((s) => s.labels.pod === 'busy');
    const idleCpu = named(agentSamples, 'container_cpu_usage_seconds_total').find((s) => s.labels.pod === 'idle');
    assert.ok(busyCpu && idleCpu && busyCpu.value > idleCpu.value, agent.text);
    assert.ok(named(agentSamples, 'container_memory_working_set_bytes').some((s) => s.labels.pod === 'busy' && s.labels.container === 'main' && s.value > 0));
    assert.equal(named(agentSamples, 'kube_pod_container_status_restarts_total').find((s) => s.labels.pod === 'idle')?.value, 0);
    assert.equal(named(agentSamples, 'kubelet_pod_start_duration_seconds_count')[0]?.value, 2);
    assert.equal(named(agentSamples, 'kubelet_running_pods')[0]?.value, 2);
  });
});
