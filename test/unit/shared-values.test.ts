import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareRepeatedValues } from '../../src/api/shared-values.js';
import { pod } from '../helpers/builders.js';

/** A pod as decoded from storage (every value its own), bound to node, its token volume named volume. */
function decodedPod(name: string, node: string, volume: string): any {
  return JSON.parse(
    JSON.stringify(
      pod(name, {
        metadata: { namespace: 'ns', uid: `uid-${name}` },
        labels: { app: 'web' },
        node,
        container: { volumeMounts: [{ name: volume, mountPath: '/var/run/secrets' }] },
        spec: {
          tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
          volumes: [{ name: volume, projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }] } }],
          dnsPolicy: 'ClusterFirst',
        },
      }),
    ),
  );
}

test('equal subtrees of specs become one shared copy; what differs stays apart and every value stays equal', () => {
  const a = decodedPod('a', 'n1', 'kube-api-access-aaaaa');
  const b = decodedPod('b', 'n2', 'kube-api-access-bbbbb');
  const c = decodedPod('c', 'n1', 'kube-api-access-aaaaa');
  const before = [a, b, c].map((p) => JSON.stringify(p));
  for (const p of [a, b, c]) shareRepeatedValues(p);
  assert.deepEqual([a, b, c].map((p) => JSON.stringify(p)), before, 'values unchanged');
  assert.equal(a.spec.tolerations, b.spec.tolerations, 'equal tolerations: one array');
  assert.equal(a.spec.volumes[0].projected, b.spec.volumes[0].projected, 'equal projected sources, though the volumes differ by name');
  assert.notEqual(a.spec.volumes, b.spec.volumes);
  assert.notEqual(a.spec.containers, b.spec.containers, 'the mounts differ');
  assert.equal(a.spec.containers, c.spec.containers);
  assert.equal(a.spec.volumes, c.spec.volumes);
  assert.notEqual(a.spec, c.spec, 'a spec itself is never shared');
  assert.notEqual(a.metadata, c.metadata);
});

test('a hash collision or a near miss never shares unequal values', () => {
  const x = { spec: { a: [{ k: 'v', n: 1 }], b: [{ k: 'v', n: '1' }], c: [{ n: 1, k: 'v' }], d: [[1], ['1']] } } as any;
  shareRepeatedValues(x);
  assert.notEqual(x.spec.a, x.spec.b, 'a number and a string differ');
  assert.notEqual(x.spec.a[0], x.spec.c[0], 'key order is part of an object');
  assert.deepEqual(x.spec.d, [[1], ['1']]);
});

test('an update takes the spec fields equal to the version it replaces from that version, and the changed ones are shared anew', () => {
  const before = decodedPod('a', 'n1', 'kube-api-access-aaaaa');
  shareRepeatedValues(before);
  const after = decodedPod('a', 'n2', 'kube-api-access-aaaaa');
  after.spec.containers[0].image = 'web:2';
  after.status = { phase: 'Running' };
  const expected = JSON.stringify(after);
  shareRepeatedValues(after, before);
  assert.equal(JSON.stringify(after), expected, 'values unchanged');
  assert.equal(after.spec.tolerations, before.spec.tolerations, 'an unchanged field is the previous one');
  assert.equal(after.spec.volumes, before.spec.volumes);
  assert.notEqual(after.spec.containers, before.spec.containers, 'a changed field is not');
  assert.equal(after.spec.nodeName, 'n2');
  const other = decodedPod('b', 'n3', 'kube-api-access-aaaaa');
  other.spec.containers[0].image = 'web:2';
  shareRepeatedValues(other);
  assert.equal(other.spec.containers, after.spec.containers, 'what changed is shared with other objects as before');
  assert.equal(after.apiVersion, other.apiVersion);
});
