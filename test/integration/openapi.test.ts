// The OpenAPI documents against a control plane (no nodes), read by the real kubectl: explain
// prints what it prints on a cluster, apply validates client-side and rejects an unknown field with
// kubectl's own message; and the documents' caching (ETags, 304, hash-keyed v3 URLs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';

const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

describe('OpenAPI', () => {
  const c = new TestCluster();
  const scratch = mkdtempSync(join(tmpdir(), 'kctl-it-openapi-'));
  // kubectl keeps the documents in its HTTP cache: a fresh one per run, so this run's server answers.
  const kubectl = (args: string[]) => c.kubectl([`--cache-dir=${join(scratch, 'kube-cache')}`, ...args]);

  before(async () => {
    await c.up();
  });
  after(async () => {
    await c.down();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('kubectl explain deployment.spec prints the fields as on a cluster', { skip: !kubectlAvailable() && 'no kubectl' }, async () => {
    const r = await kubectl(['explain', 'deployment.spec']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 5), ['GROUP:      apps', 'KIND:       Deployment', 'VERSION:    v1', '', 'FIELD: spec <DeploymentSpec>']);
    assert.match(r.stdout, /\nDESCRIPTION:\n {4}Specification of the desired behavior of the Deployment\.\n {4}DeploymentSpec is the specification of the desired behavior of the\n {4}Deployment\.\n/);
    const fields = lines.filter((l) => /^ {2}\S/.test(l));
    assert.deepEqual(fields, [
      '  minReadySeconds\t<integer>',
      '  paused\t<boolean>',
      '  progressDeadlineSeconds\t<integer>',
      '  replicas\t<integer>',
      '  revisionHistoryLimit\t<integer>',
      '  selector\t<LabelSelector> -required-',
      '  strategy\t<DeploymentStrategy>',
      '  template\t<PodTemplateSpec> -required-',
    ]);
    assert.match(r.stdout, /\n {2}replicas\t<integer>\n {4}Number of desired pods\. This is a pointer to distinguish between explicit\n {4}zero and not specified\. Defaults to 1\.\n/);
  });

  test('kubectl explain pod.spec.containers --recursive walks every nested field', { skip: !kubectlAvailable() && 'no kubectl' }, async () => {
    const r = await kubectl(['explain', 'pod.spec.containers', '--recursive']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: containers <\[\]Container>\n/);
    assert.match(r.stdout, /\nDESCRIPTION:\n {4}List of containers belonging to the pod\./);
    for (const line of [
      '  args\t<[]string>',
      '  env\t<[]EnvVar>',
      '    name\t<string> -required-',
      '    valueFrom\t<EnvVarSource>',
      '      resourceFieldRef\t<ResourceFieldSelector>',
      '        divisor\t<Quantity>',
      '  image\t<string>',
      '  imagePullPolicy\t<string>',
      '  enum: Always, IfNotPresent, Never',
      '        port\t<IntOrString> -required-',
      '    limits\t<map[string]Quantity>',
      '  name\t<string> -required-',
      '  ports\t<[]ContainerPort>',
      '    containerPort\t<integer> -required-',
      '  volumeMounts\t<[]VolumeMount>',
      '    mountPath\t<string> -required-',
    ]) {
      assert.ok(r.stdout.split('\n').includes(line), `missing line ${JSON.stringify(line)} in\n${r.stdout}`);
    }
  });

  test('kubectl apply validates client-side: a good manifest applies, an unknown field fails with kubectl\'s message', { skip: !kubectlAvailable() && 'no kubectl' }, async () => {
    const manifest = (extra: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: validated
spec:
  replicas: 1
  selector:
    matchLabels: {app: validated}
  template:
    metadata:
      labels: {app: validated}
    spec:
      containers:
      - name: web
        image: busybox:1.35
${extra}`;
    const bad = join(scratch, 'bad.yaml');
    writeFileSync(bad, manifest('        bogus: 1\n'));
    const rejected = await kubectl(['apply', '-f', bad]);
    assert.equal(rejected.code, 1);
    assert.equal(
      rejected.stderr,
      `error: error validating "${bad}": error validating data: ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "bogus" in io.k8s.api.core.v1.Container; if you choose to ignore these errors, turn validation off with --validate=false\n`,
    );
    assert.equal((await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/validated')).status, 404, 'nothing was sent');
    const good = join(scratch, 'good.yaml');
    writeFileSync(good, manifest('        env: [{name: A, value: "1"}]\n'));
    const applied = await kubectl(['apply', '-f', good]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout, 'deployment.apps/validated created\n');
    // The second apply's strategic merge patch is computed from the served schemas: the env list
    // merges by name, so a removed variable is removed and the other stays.
    writeFileSync(good, manifest('        env: [{name: B, value: "2"}]\n'));
    const changed = await kubectl(['apply', '-f', good]);
    assert.equal(changed.code, 0, changed.stderr);
    const dep = (await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/validated')).body;
    assert.deepEqual(dep.spec.template.spec.containers[0].env, [{ name: 'B', value: '2' }]);
  });

  test('/openapi/v2 in JSON and protobuf, with ETags and 304 on If-None-Match', async () => {
    const json = await c.api('GET', '/openapi/v2');
    assert.equal(json.status, 200);
    assert.equal(json.body.swagger, '2.0');
    assert.deepEqual(json.body.definitions['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
    const etag = await header('/openapi/v2', {}, 'etag');
    assert.match(etag, /^"[0-9A-F]{128}"$/);
    assert.equal((await head('/openapi/v2', { 'If-None-Match': etag })).status, 304);
    const pbTag = await header('/openapi/v2', { Accept: V2_PROTOBUF }, 'etag');
    assert.notEqual(pbTag, etag, 'each form has its own ETag');
    assert.equal(await header('/openapi/v2', { Accept: V2_PROTOBUF }, 'content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.equal((await head('/openapi/v2', { Accept: V2_PROTOBUF, 'If-None-Match': pbTag })).status, 304);
  });

  test('/openapi/v3: an index of hash-keyed URLs, immutable when asked by hash, redirected when the hash is old', async () => {
    const index = await c.api('GET', '/openapi/v3');
    assert.equal(index.status, 200);
    const url: string = index.body.paths['apis/apps/v1'].serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    assert.ok(index.body.paths['api/v1']);
    const doc = await c.api('GET', url);
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.0.0');
    assert.ok(doc.body.components.schemas['io.k8s.api.apps.v1.Deployment']);
    assert.equal(await header(url, {}, 'cache-control'), 'public, immutable');
    assert.equal(await header('/openapi/v3/apis/apps/v1', {}, 'cache-control'), 'no-cache, private', 'without a hash it may change');
    const stale = await head('/openapi/v3/apis/apps/v1?hash=ABC', {});
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.location, url);
    assert.equal((await c.api('GET', '/openapi/v3/apis/nothing/v1')).status, 404);
  });

  async function head(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string> }> {
    const res = await fetchRaw(path, headers);
    return { status: res.status, headers: res.headers };
  }

  async function header(path: string, headers: Record<string, string>, name: string): Promise<string> {
    return (await fetchRaw(path, headers)).headers[name];
  }

  function fetchRaw(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string> }> {
    return new Promise((resolve, reject) => {
      const req = request(c.server + path, { method: 'GET', ca: c.ca, headers: { Authorization: `Bearer ${c.token()}`, ...headers } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string> }));
      });
      req.on('error', reject);
      req.end();
    });
  }
});
