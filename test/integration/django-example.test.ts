// The seeds' Django example for real (manifests/django-real.yaml): images built from Debian's
// packages by `kctl images prepare --examples` (cached on this engine after the first build) and
// pulled by the nodes from the cluster's registry; the visit count is kept in PostgreSQL through
// the Django NodePort, and outlives the PostgreSQL pod.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { REPO } from '../helpers/test-cluster.js';
import { until } from '../helpers/until.js';

// Where the manifest's PostgreSQL keeps its files on the node's machine.

describe("the seeds' Django example with PostgreSQL and Redis", () => {
  // The manifest names the registry of a plain cluster on its default port.
  const { c } = useNodeCluster(['--nodes', '2', '--ingress-port', '0', '--registry']);

  test('kctl images prepare --examples builds (or finds) the images and pushes them to the registry', async () => {
    const r = await c.kctl(['images', 'prepare', '--examples']);
    assert.equal(r.code, 0, r.stderr);
    for (const image of ['kctl-examples/debian:bookworm', 'kctl-examples/postgres:15', 'kctl-examples/redis:7.0', 'kctl-examples/django:1.0']) {
      assert.match(r.stdout, new RegExp(`^${image} (built in|present)`, 'm'));
    }
    for (const image of ['postgres:15', 'redis:7.0', 'django:1.0']) assert.match(r.stdout, new RegExp(`^127\\.0\\.0\\.1:5000/kctl-examples/${image} pushed in `, 'm'));
  });

  let nodePort = 0;
  const page = async () => {
    const res = await fetch(`http://127.0.0.1:${nodePort}/`);
    return res.status === 200 ? res.text() : undefined;
  };

  test('answers through its NodePort with the visit count from PostgreSQL and the cached one from Redis', async () => {
    const r = await c.kctl(['apply', '-f', join(REPO, 'manifests/django-real.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    for (const d of ['statefulset/postgres', 'deployment/redis', 'deployment/django']) {
      const s = await c.kctl(['rollout', 'status', d, '--timeout', '180s']);
      assert.equal(s.code, 0, `${d}: ${s.stderr}${s.stdout}`);
    }
    const events = await c.api('GET', '/api/v1/namespaces/default/events');
    const pulled = events.body.items.filter((e: any) => e.reason === 'Pulled' && /^Successfully pulled image "127\.0\.0\.1:5000\/kctl-examples\//.test(e.message));
    assert.equal(pulled.length, 3, 'each image pulled from the registry');
    nodePort = (await c.api('GET', '/api/v1/namespaces/default/services/django-service')).body.spec.ports[0].nodePort;
    const first = await until('the Django page answers', page, 60_000);
    assert.match(first, /^Hello from Django on django-/);
    assert.match(first, /^visits: 1 \(counted in PostgreSQL 15 at postgres-service\)$/m);
    assert.match(first, /^cached visits before this one: None \(Redis at redis-service:6379\)$/m);
    const second = (await page())!;
    assert.match(second, /^visits: 2 /m);
    assert.match(second, /^cached visits before this one: 1 /m);
  });

  test('the count outlives the PostgreSQL pod', async () => {
    const pods = await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=pod%3Dpostgres');
    const [{ metadata: old }] = pods.body.items;
    assert.equal(old.name, 'postgres-0');
    const claim = await c.api('GET', '/api/v1/namespaces/default/persistentvolumeclaims/data-postgres-0');
    assert.equal(claim.body.status?.phase, 'Bound', 'the StatefulSet\'s claim is bound to a provisioned volume');
    const d = await c.kctl(['delete', 'pod', old.name]);
    assert.equal(d.code, 0, d.stderr);
    const s = await c.kctl(['rollout', 'status', 'statefulset/postgres', '--timeout', '120s']);
    assert.equal(s.code, 0, s.stderr);
    const third = await until('the page answers again from the new PostgreSQL pod', async () => {
      const text = await page().catch(() => undefined);
      return text && /^visits: \d+ /m.test(text) ? text : undefined;
    }, 90_000);
    assert.match(third, /^visits: 3 /m);
    const now = await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=pod%3Dpostgres');
    assert.ok(now.body.items.every((p: any) => p.metadata.uid !== old.uid), 'a new postgres-0, not the deleted one');
  });
});
