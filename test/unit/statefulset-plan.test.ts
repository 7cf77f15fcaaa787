import { test } from 'node:test';
import assert from 'node:assert/strict';
import { revisionTemplate } from '../../src/api/controller-revisions.js';
import type { KubeObject } from '../../src/api/types.js';
import { newClaims, newPod, ordinalOf } from '../../src/apiserver/controllers/statefulset/identity.js';
import { planSync, type Action } from '../../src/apiserver/controllers/statefulset/plan.js';
import { calculateStatus } from '../../src/apiserver/controllers/statefulset/statefulset-status.js';
import { newRevision, revisionsToTrim, sameData } from '../../src/apiserver/controllers/statefulset/revisions.js';

function set(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'u1', generation: 2 },
    spec: {
      replicas: 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'www', emptyDir: {} }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...spec,
    },
  };
}

/** The set's pod at ordinal as the controller makes it (revision web-r1 unless told), Pending and unready unless told. */
function setPod(ordinal: number, opts: { ready?: boolean; phase?: string; revision?: string; deleting?: boolean } = {}): KubeObject {
  const p = newPod(set(), set().spec.template, ordinal, opts.revision ?? 'web-r1');
  p.status = { phase: opts.phase ?? (opts.ready ? 'Running' : 'Pending'), conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False' }] };
  if (opts.deleting) p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return p;
}

const summary = (actions: Action[]) => actions.map((a) => (a.type === 'create' ? `create ${a.ordinal} ${a.revision}` : `delete ${a.pod.metadata.name} ${a.reason}`));

test('a pod has a stable name, identity labels, hostname/subdomain and its claim mounted over the template volume', () => {
  const p = newPod(set(), set().spec.template, 1, 'web-abc');
  assert.equal(p.metadata.name, 'web-1');
  assert.deepEqual(p.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': 'web-abc' });
  assert.equal(p.spec.hostname, 'web-1');
  assert.equal(p.spec.subdomain, 'web');
  assert.deepEqual(p.spec.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
  assert.equal(p.metadata.ownerReferences?.[0].controller, true);
  assert.equal(ordinalOf(set(), p), 1);
  assert.equal(ordinalOf(set(), { metadata: { name: 'web-01' } }), undefined);
  assert.equal(ordinalOf(set(), { metadata: { name: 'webby-1' } }), undefined);
});

test('claims are named <template>-<set>-<ordinal>; the set owns them only with whenDeleted: Delete', () => {
  const [claim] = newClaims(set(), 2);
  assert.equal(claim.metadata.name, 'www-web-2');
  assert.deepEqual(claim.metadata.labels, { app: 'web' });
  assert.equal(claim.metadata.ownerReferences, undefined);
  const [owned] = newClaims(set({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }), 0);
  assert.deepEqual(owned.metadata.ownerReferences?.map((r) => r.uid), ['u1']);
});

test('OrderedReady creates one pod at a time, only once the ones before are Running and Ready', () => {
  assert.deepEqual(summary(planSync(set(), [], 'web-r1', Date.now())), ['create 0 update']);
  assert.deepEqual(summary(planSync(set(), [setPod(0)], 'web-r1', Date.now())), []);
  assert.deepEqual(summary(planSync(set(), [setPod(0, { ready: true })], 'web-r1', Date.now())), ['create 1 update']);
  assert.deepEqual(summary(planSync(set(), [setPod(0, { ready: true }), setPod(1, { ready: true })], 'web-r1', Date.now())), ['create 2 update']);
});

test('Parallel creates every missing pod at once and replaces failed ones', () => {
  const parallel = set({ podManagementPolicy: 'Parallel' });
  assert.deepEqual(summary(planSync(parallel, [], 'web-r1', Date.now())), ['create 0 update', 'create 1 update', 'create 2 update']);
  assert.deepEqual(summary(planSync(parallel, [setPod(0, { phase: 'Failed' }), setPod(2)], 'web-r1', Date.now())), ['delete web-0 failed', 'create 1 update']);
});

test('scaling down deletes from the highest ordinal, one at a time when ordered, all at once when parallel', () => {
  const ready = [0, 1, 2, 3, 4].map((i) => setPod(i, { ready: true }));
  assert.deepEqual(summary(planSync(set(), ready, 'web-r1', Date.now())), ['delete web-4 condemned']);
  assert.deepEqual(summary(planSync(set(), [...ready.slice(0, 4), setPod(4, { ready: true, deleting: true })], 'web-r1', Date.now())), []);
  assert.deepEqual(summary(planSync(set(), [...ready.slice(0, 3), setPod(3, { ready: true })], 'web-r1', Date.now())), ['delete web-3 condemned']);
  // An unhealthy pod below blocks ordered scale down.
  assert.deepEqual(summary(planSync(set({ replicas: 1 }), [setPod(0, { ready: true }), setPod(1), setPod(2, { ready: true })], 'web-r1', Date.now())), []);
  assert.deepEqual(summary(planSync(set({ podManagementPolicy: 'Parallel' }), ready, 'web-r1', Date.now())), ['delete web-4 condemned', 'delete web-3 condemned']);
});

test('RollingUpdate replaces from the highest ordinal down to the partition, one pod at a time; OnDelete never', () => {
  const old = [0, 1, 2].map((i) => setPod(i, { ready: true, revision: 'web-r1' }));
  assert.deepEqual(summary(planSync(set(), old, 'web-r2', Date.now())), ['delete web-2 update']);
  const twoNew = [old[0], old[1], setPod(2, { revision: 'web-r2' })];
  assert.deepEqual(summary(planSync(set(), twoNew, 'web-r2', Date.now())), [], 'waits for the new pod to be ready');
  twoNew[2] = setPod(2, { ready: true, revision: 'web-r2' });
  assert.deepEqual(summary(planSync(set(), twoNew, 'web-r2', Date.now())), ['delete web-1 update']);
  const partitioned = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  assert.deepEqual(summary(planSync(partitioned, twoNew, 'web-r2', Date.now())), [], 'ordinals below the partition stay');
  assert.deepEqual(summary(planSync(partitioned, [setPod(0, { ready: true })], 'web-r2', Date.now())), ['create 1 current']);
  assert.deepEqual(summary(planSync(set({ updateStrategy: { type: 'OnDelete' } }), old, 'web-r2', Date.now())), []);
  // Parallel: the pod recreated in this sync counts as not ready, so the next one waits.
  assert.deepEqual(summary(planSync(set({ podManagementPolicy: 'Parallel' }), old.slice(0, 2), 'web-r2', Date.now())), ['create 2 update']);
});

test('status counts pods by readiness and revision; a finished rolling update makes the update revision current', () => {
  const pods = [setPod(0, { ready: true, revision: 'web-r1' }), setPod(1, { ready: true, revision: 'web-r2' }), setPod(2, { revision: 'web-r2' })];
  const status = calculateStatus(set(), pods, 'web-r1', 'web-r2', 0, Date.now());
  assert.deepEqual(status, { observedGeneration: 2, replicas: 3, readyReplicas: 2, currentReplicas: 1, updatedReplicas: 2, availableReplicas: 2, currentRevision: 'web-r1', updateRevision: 'web-r2' });
  const done = calculateStatus(set(), [0, 1, 2].map((i) => setPod(i, { ready: true, revision: 'web-r2' })), 'web-r1', 'web-r2', 0, Date.now());
  assert.equal(done.currentRevision, 'web-r2');
  assert.equal(done.currentReplicas, 3);
});

test('revisions hold the template, are named by its hash and trimmed oldest first, never a live one', () => {
  const r1 = newRevision(set(), 1, 0);
  assert.match(r1.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.deepEqual(revisionTemplate(r1), set().spec.template);
  const changed = set();
  changed.spec.template.spec.containers[0].image = 'busybox:2';
  const r2 = newRevision(changed, 2, 0);
  assert.notEqual(r2.metadata.name, r1.metadata.name);
  assert.ok(!sameData(r1, r2));
  assert.ok(sameData(r1, newRevision(set(), 7, 0)));
  assert.notEqual(newRevision(set(), 1, 1).metadata.name, r1.metadata.name, 'the collision count changes the name');
  const history = [1, 2, 3, 4].map((n) => ({ ...newRevision(set(), n, n), revision: n }));
  const trimmed = revisionsToTrim(set({ revisionHistoryLimit: 1 }), history, new Set([history[0].metadata.name!, history[3].metadata.name!]));
  assert.deepEqual(trimmed.map((r) => r.revision), [2]);
});
