// The API's wire formats against real clients on a control plane: every `kubectl create` generator
// (kubectl 1.32's typed clients send protobuf and accept protobuf first; 1.27's send JSON), with
// --dry-run=server too; YAML bodies and answers; a protobuf watch; the 406/415 refusals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster, kubectlAvailable, run } from '../helpers/test-cluster.js';
import { findByGroupPlural } from '../../src/api/resources.js';
import { decodeObject, decodeWatchFrames, encodeObject, PROTOBUF_MEDIA_TYPE } from '../../src/api/protobuf/envelope.js';

const SDK = '/usr/lib/google-cloud-sdk/bin';
/** The kubectl on PATH (picks 1.32 for this server), and the oldest and newest the machine has. */
const KUBECTLS = [
  ['kubectl', 'PATH'],
  [`${SDK}/kubectl.1.33`, '1.33'],
  [`${SDK}/kubectl.1.27`, '1.27'],
].filter(([bin]) => (bin === 'kubectl' ? kubectlAvailable() : existsSync(bin)));

/**
 * An object read in protobuf is the one read in JSON, up to what protobuf cannot say: a null, or a
 * zero in a Go value field, reads back absent. Any other field missing would be data lost.
 */
function assertSameObject(proto: any, json: any, path: string): void {
  if (json === null || typeof json !== 'object') {
    assert.equal(proto, json, path);
    return;
  }
  assert.equal(typeof proto, 'object', path);
  for (const key of new Set([...Object.keys(json), ...Object.keys(proto)])) {
    const [p, j] = [proto[key], json[key]];
    if (p === undefined && (j === null || j === 0 || j === '' || j === false)) continue;
    assert.notEqual(p, undefined, `${path}.${key} (${JSON.stringify(j)}) did not come through protobuf`);
    assertSameObject(p, j, `${path}.${key}`);
  }
}

interface Generator {
  args: (name: string) => string[];
  /** The resource it creates, as group/plural; whether the server serves it decides what to expect. */
  resource: [string, string];
  /** kubectl's "kind/name created" prefix. */
  printed: string;
}

describe('API wire formats', { skip: !kubectlAvailable() && 'kubectl is not installed' }, () => {
  const c = new TestCluster();
  const dir = mkdtempSync(join(tmpdir(), 'kctl-wire-'));
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');

  before(async () => {
    await c.up();
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=wire.test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    assert.equal(made.status, 0, 'openssl made no certificate');
  });
  after(async () => {
    await c.down();
    rmSync(dir, { recursive: true, force: true });
  });

  const GENERATORS: Generator[] = [
    { args: (n) => ['create', 'namespace', n], resource: ['', 'namespaces'], printed: 'namespace' },
    { args: (n) => ['create', 'configmap', n, '--from-literal=a=1', '--from-literal=b=two'], resource: ['', 'configmaps'], printed: 'configmap' },
    { args: (n) => ['create', 'secret', 'generic', n, '--from-literal=password=s3cr3t'], resource: ['', 'secrets'], printed: 'secret' },
    { args: (n) => ['create', 'secret', 'tls', n, `--cert=${cert}`, `--key=${key}`], resource: ['', 'secrets'], printed: 'secret' },
    {
      args: (n) => ['create', 'secret', 'docker-registry', n, '--docker-server=registry.test', '--docker-username=u', '--docker-password=p'],
      resource: ['', 'secrets'],
      printed: 'secret',
    },
    { args: (n) => ['create', 'deployment', n, '--image=nginx', '--replicas=0', '--port=80'], resource: ['apps', 'deployments'], printed: 'deployment.apps' },
    { args: (n) => ['create', 'service', 'clusterip', n, '--tcp=80:8080'], resource: ['', 'services'], printed: 'service' },
    { args: (n) => ['create', 'service', 'nodeport', n, '--tcp=80:8080'], resource: ['', 'services'], printed: 'service' },
    { args: (n) => ['create', 'service', 'loadbalancer', n, '--tcp=80:8080'], resource: ['', 'services'], printed: 'service' },
    { args: (n) => ['create', 'service', 'externalname', n, '--external-name=example.test'], resource: ['', 'services'], printed: 'service' },
    { args: (n) => ['create', 'job', n, '--image=busybox', '--', 'true'], resource: ['batch', 'jobs'], printed: 'job.batch' },
    { args: (n) => ['create', 'cronjob', n, '--image=busybox', '--schedule=*/5 * * * *', '--', 'true'], resource: ['batch', 'cronjobs'], printed: 'cronjob.batch' },
    { args: (n) => ['create', 'serviceaccount', n], resource: ['', 'serviceaccounts'], printed: 'serviceaccount' },
    { args: (n) => ['create', 'ingress', n, '--rule=wire.test/=svc:80'], resource: ['networking.k8s.io', 'ingresses'], printed: 'ingress.networking.k8s.io' },
    { args: (n) => ['create', 'priorityclass', n, '--value=10'], resource: ['scheduling.k8s.io', 'priorityclasses'], printed: 'priorityclass.scheduling.k8s.io' },
    { args: (n) => ['create', 'quota', n, '--hard=pods=100'], resource: ['', 'resourcequotas'], printed: 'resourcequota' },
    { args: (n) => ['create', 'poddisruptionbudget', n, '--selector=app=x', '--min-available=1'], resource: ['policy', 'poddisruptionbudgets'], printed: 'poddisruptionbudget.policy' },
    { args: (n) => ['create', 'role', n, '--verb=get', '--resource=pods'], resource: ['rbac.authorization.k8s.io', 'roles'], printed: 'role.rbac.authorization.k8s.io' },
    { args: (n) => ['create', 'clusterrole', n, '--verb=get', '--resource=pods'], resource: ['rbac.authorization.k8s.io', 'clusterroles'], printed: 'clusterrole.rbac.authorization.k8s.io' },
  ];

  for (const [bin, version] of KUBECTLS) {
    const kubectl = (args: string[]) => run(bin, args, c.env);
    const suffix = version.replace('.', '-').toLowerCase();

    test(`kubectl ${version}: every create generator round-trips, with --dry-run=server too`, async () => {
      for (const [i, g] of GENERATORS.entries()) {
        const name = `gen-${i}-${suffix}`;
        const r = findByGroupPlural(...g.resource);
        const [verb, ...rest] = g.args(`${name}-dry`);
        const dry = await kubectl([verb, '--dry-run=server', ...rest]);
        const created = await kubectl(g.args(name));
        if (!r) {
          // A kind the server does not serve: kubectl's not-found, never a decode error.
          assert.notEqual(created.code, 0, `${g.args(name).join(' ')} succeeded on a kind not served`);
          assert.match(created.stderr, /the server (could not find the requested resource|doesn't have a resource type)/, created.stderr);
          assert.doesNotMatch(created.stderr, /decod/);
          continue;
        }
        assert.equal(dry.code, 0, `${g.args(name).join(' ')} --dry-run=server: ${dry.stderr}`);
        assert.equal(dry.stdout.trim(), `${g.printed}/${name}-dry created (server dry run)`);
        assert.equal(created.code, 0, `${g.args(name).join(' ')}: ${created.stderr}`);
        assert.equal(created.stdout.trim(), `${g.printed}/${name} created`);
        const path = `/${r.group ? `apis/${r.group}` : 'api'}/${r.version}${r.namespaced ? '/namespaces/default' : ''}/${r.plural}`;
        assert.equal((await c.api('GET', `${path}/${name}-dry`)).status, 404, `the dry run of ${name} stored it`);
        // The object reads back the same in JSON, protobuf and YAML.
        const json = await c.api('GET', `${path}/${name}`);
        assert.equal(json.status, 200);
        const proto = await c.api('GET', `${path}/${name}`, undefined, { Accept: PROTOBUF_MEDIA_TYPE });
        assert.equal(proto.contentType, PROTOBUF_MEDIA_TYPE);
        assertSameObject(decodeObject(proto.raw), json.body, `${g.resource[1]}/${name}`);
        const yaml = await kubectl(['get', g.resource[1], name, '-o', 'yaml', ...(r.namespaced ? ['-n', 'default'] : [])]);
        assert.equal(yaml.code, 0, yaml.stderr);
        assert.match(yaml.stdout, new RegExp(`^  name: ${name}$`, 'm'));
      }
      // A generator's object as the server stored it: the secret's bytes and the service's ports made it through.
      const secret = await c.api('GET', `/api/v1/namespaces/default/secrets/gen-2-${suffix}`);
      assert.equal(Buffer.from(secret.body.data.password, 'base64').toString(), 's3cr3t');
      const service = await c.api('GET', `/api/v1/namespaces/default/services/gen-7-${suffix}`);
      assert.equal(service.body.spec.type, 'NodePort');
      assert.deepEqual({ ...service.body.spec.ports[0], nodePort: 0 }, { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 0 });
      const deployment = await c.api('GET', `/apis/apps/v1/namespaces/default/deployments/gen-5-${suffix}`);
      assert.equal(deployment.body.spec.replicas, 0, 'replicas: 0 is a pointer set to zero, and stays');
    });

    test(`kubectl ${version}: create token, and describe through the typed clients`, async () => {
      const token = await kubectl(['create', 'token', 'default', '--duration=15m']);
      assert.equal(token.code, 0, token.stderr);
      assert.match(token.stdout.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const described = await kubectl(['describe', 'deployment', `gen-5-${suffix}`]);
      assert.equal(described.code, 0, described.stderr);
      assert.match(described.stdout, new RegExp(`^Name:\\s+gen-5-${suffix}$`, 'm'));
      // A pod carries the service account's projected volume (a DownwardAPIProjection, a struct of one list).
      const ran = await kubectl(['run', `pod-${suffix}`, '--image=nginx']);
      assert.equal(ran.code, 0, ran.stderr);
      const pod = await kubectl(['describe', 'pod', `pod-${suffix}`]);
      assert.equal(pod.code, 0, pod.stderr);
      assert.match(pod.stdout, /^\s+DownwardAPI:\s+true$/m);
    });
  }

  test('YAML bodies are read; an object of another kind is refused with Kubernetes\' texts', async () => {
    const yamlHeaders = { 'Content-Type': 'application/yaml' };
    const ok = await c.api('POST', '/api/v1/namespaces', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: from-yaml\n', { ...yamlHeaders, Accept: 'application/yaml' });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.contentType, 'application/yaml');
    assert.match(ok.text, /^kind: Namespace$/m);
    assert.match(ok.text, /^  name: from-yaml$/m);
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
    const wrongKind = await c.api('POST', '/api/v1/namespaces', pod, yamlHeaders);
    assert.equal(wrongKind.status, 400);
    assert.equal(wrongKind.body.message, 'Pod in version "v1" cannot be handled as a Namespace: converting (v1.Pod) to (core.Namespace): unknown conversion');
    // What `kubectl create --raw` sends: the file's bytes, labelled JSON.
    const raw = await run('kubectl', ['create', '--raw', '/api/v1/namespaces', '-f', '-'], c.env, pod);
    assert.notEqual(raw.code, 0);
    assert.match(
      raw.stderr,
      /the object provided is unrecognized \(must be of type Namespace\): couldn't get version\/kind; json parse error: invalid character 'a' looking for beginning of value \(61706956657273696f6e3a2076310a6b696e643a20506f640a6d65746164 \.\.\.\)/,
    );
    const list = await c.api('GET', '/api/v1/namespaces', undefined, { Accept: 'application/yaml' });
    assert.match(list.text, /^kind: NamespaceList$/m);
    assert.match(list.text, /^- apiVersion: v1$/m);
    const missing = await c.api('GET', '/api/v1/namespaces/nope', undefined, { Accept: 'application/yaml' });
    assert.equal(missing.status, 404);
    assert.match(missing.text, /^reason: NotFound$/m);
  });

  test('protobuf bodies, answers, lists and Status errors; 406 and 415', async () => {
    const headers = { 'Content-Type': PROTOBUF_MEDIA_TYPE, Accept: PROTOBUF_MEDIA_TYPE };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pb', labels: { a: 'b' } }, data: { k: 'v' }, binaryData: { bin: 'AAEC' } };
    const created = await c.api('POST', '/api/v1/namespaces/default/configmaps', encodeObject(cm), headers);
    assert.equal(created.status, 201);
    const back = decodeObject(created.raw);
    assert.deepEqual([back.data, back.binaryData, back.metadata.labels], [cm.data, cm.binaryData, cm.metadata.labels]);
    const conflict = await c.api('POST', '/api/v1/namespaces/default/configmaps', encodeObject(cm), headers);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.contentType, PROTOBUF_MEDIA_TYPE);
    assert.deepEqual(decodeObject(conflict.raw), { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'configmaps "pb" already exists', reason: 'AlreadyExists', details: { name: 'pb', kind: 'configmaps' }, code: 409 });
    const list = await c.api('GET', '/api/v1/namespaces/default/configmaps?labelSelector=a%3Db', undefined, headers);
    const decoded = decodeObject(list.raw);
    assert.equal(decoded.kind, 'ConfigMapList');
    assert.deepEqual(decoded.items.map((i: any) => i.metadata.name), ['pb']);
    const garbage = await c.api('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('k8s\0\x0a\xff'), headers);
    assert.equal(garbage.status, 400);
    assert.match(decodeObject(garbage.raw).message, /^the object provided is unrecognized \(must be of type ConfigMap\): malformed protobuf envelope/);
    const form = await c.api('POST', '/api/v1/namespaces/default/configmaps', 'a=b', { 'Content-Type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.equal(form.body.message, 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
    const html = await c.api('GET', '/api/v1/namespaces/default/configmaps/pb', undefined, { Accept: 'text/html' });
    assert.equal(html.status, 406);
    assert.equal(html.body.message, 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
    // kubectl get's Table stays JSON even for a client that lists protobuf first.
    const table = await c.api('GET', '/api/v1/namespaces/default/configmaps', undefined, {
      Accept: `${PROTOBUF_MEDIA_TYPE};as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io,application/json`,
    });
    assert.equal(table.body.kind, 'Table');
  });

  test('a protobuf watch: length-prefixed WatchEvents with enveloped objects', async () => {
    const start = (await c.api('GET', '/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion;
    const events: { type: string; object: any }[] = [];
    let contentType = '';
    const done = new Promise<void>((resolve, reject) => {
      const req = https.request(`${c.server}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${start}`, {
        ca: c.ca,
        headers: { Authorization: `Bearer ${c.token()}`, Accept: `${PROTOBUF_MEDIA_TYPE},application/json` },
      });
      req.on('response', (res) => {
        contentType = res.headers['content-type'] ?? '';
        let pending: Buffer = Buffer.alloc(0);
        res.on('data', (chunk: Buffer) => {
          const { events: got, rest } = decodeWatchFrames(Buffer.concat([pending, chunk]));
          pending = rest;
          events.push(...got);
          if (events.length >= 3) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (err) => (events.length >= 3 ? resolve() : reject(err)));
      req.end();
    });
    await c.create('/api/v1/namespaces/default/configmaps', { metadata: { name: 'watched' }, data: { n: '1' } });
    await c.api('PATCH', '/api/v1/namespaces/default/configmaps/watched', { data: { n: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    await c.api('DELETE', '/api/v1/namespaces/default/configmaps/watched');
    await done;
    assert.equal(contentType, `${PROTOBUF_MEDIA_TYPE};stream=watch`);
    assert.deepEqual(
      events.map((e) => [e.type, e.object.kind, e.object.metadata.name, e.object.data.n]),
      [
        ['ADDED', 'ConfigMap', 'watched', '1'],
        ['MODIFIED', 'ConfigMap', 'watched', '2'],
        ['DELETED', 'ConfigMap', 'watched', '2'],
      ],
    );
  });
});
