import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiClient, WatchOptions } from '../../src/api/client.js';
import { findByKind, type ResourceType } from '../../src/api/resources.js';
import type { KubeObject, WatchEvent } from '../../src/api/types.js';
import { Informer } from '../../src/api/informer.js';
import { REPLICA_SET, REPLICATION_CONTROLLER } from '../../src/apiserver/controllers/replicaset/replicated-kind.js';
import { ReplicaSetController } from '../../src/apiserver/controllers/replicaset/replicaset-controller.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';

const PODS = findByKind('Pod')!;
const RS = findByKind('ReplicaSet')!;
const RC = findByKind('ReplicationController')!;
const EVENTS = findByKind('Event')!;

function replicaSet(name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      ...extra,
    },
  };
}

/** A client whose watches deliver every event `ms` late, as a slow informer would. */
function lagging(client: ApiClient, ms: number): ApiClient {
  return Object.assign(Object.create(client), {
    watch: (r: ResourceType, ns: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent) => void) =>
      client.watch(r, ns, opts, (e) => setTimeout(() => onEvent(e), ms)),
  });
}

/** A registry, informers and the controller for one kind; with `podLagMs`, the pod informer lags. */
function setup(kind = REPLICA_SET, opts: { podLagMs?: number } = {}) {
  const reg = inProcessRegistry();
  const owners = new Informer(reg.client, kind.resource);
  const pods = new Informer(opts.podLagMs ? lagging(reg.client, opts.podLagMs) : reg.client, PODS);
  const controller = new ReplicaSetController(reg.client, kind, owners, pods, () => {});
  owners.start();
  pods.start();
  const podsOf = async (owner: string) =>
    (await reg.client.list(PODS, 'default')).items.filter((p: KubeObject) => p.metadata.ownerReferences?.some((r) => r.name === owner && r.controller) && !p.metadata.deletionTimestamp);
  const markReady = (p: KubeObject, since = new Date()) =>
    reg.registry.patch(PODS, 'default', p.metadata.name!, 'merge', {
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since.toISOString().replace(/\.\d+Z$/, 'Z') }] },
    }, { subresource: 'status' });
  return {
    ...reg,
    controller,
    podsOf,
    markReady,
    stop() {
      controller.queue.stop();
      owners.stop();
      pods.stop();
      reg.done();
    },
  };
}

test('a ReplicaSet creates its pods (generateName, template labels, controller reference), events and status', async () => {
  const t = setup();
  try {
    t.registry.create(RS, 'default', replicaSet('web', 3));
    await until('3 pods', async () => (await t.podsOf('web')).length === 3);
    const pods = (await t.podsOf('web'));
    const rs = t.registry.get(RS, 'default', 'web');
    for (const p of pods) {
      assert.match(p.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'web' });
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await until('status replicas 3', () => t.registry.get(RS, 'default', 'web').status?.replicas === 3);
    for (const p of pods) t.markReady(p);
    await until('3 ready and available', () => {
      const s = t.registry.get(RS, 'default', 'web').status;
      return s.readyReplicas === 3 && s.availableReplicas === 3 && s.fullyLabeledReplicas === 3 && s.observedGeneration === 1;
    });
    await until('events recorded', async () => (await t.client.list(EVENTS, 'default')).items.length === 3);
    const events = (await t.client.list(EVENTS, 'default')).items;
    assert.deepEqual(events.map((e: KubeObject) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    assert.ok(events.every((e: KubeObject) => e.reason === 'SuccessfulCreate' && e.source.component === 'replicaset-controller' && e.involvedObject.kind === 'ReplicaSet'));
  } finally {
    t.stop();
  }
});

test('a deleted pod is replaced; scaling down deletes the not-ready pods first', async () => {
  const t = setup();
  try {
    t.registry.create(RS, 'default', replicaSet('web', 3));
    await until('3 pods', async () => (await t.podsOf('web')).length === 3);
    const [gone] = (await t.podsOf('web'));
    t.registry.delete(PODS, 'default', gone.metadata.name!);
    await until('replaced', async () => (await t.podsOf('web')).length === 3 && !(await t.podsOf('web')).some((p) => p.metadata.name === gone.metadata.name));
    const [keep] = (await t.podsOf('web'));
    t.markReady(keep);
    t.registry.patch(RS, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await until('1 pod left', async () => (await t.podsOf('web')).length === 1);
    assert.equal((await t.podsOf('web'))[0].metadata.name, keep.metadata.name);
    await until('status 1', () => t.registry.get(RS, 'default', 'web').status.replicas === 1);
    await until('SuccessfulDelete recorded', async () => (await t.client.list(EVENTS, 'default')).items.filter((e: KubeObject) => e.reason === 'SuccessfulDelete').length === 2);
  } finally {
    t.stop();
  }
});

test('orphans matching the set-based selector are adopted; pods that stop matching are released and replaced', async () => {
  const t = setup();
  try {
    const orphan = t.registry.create(PODS, 'default', { metadata: { name: 'orphan', labels: { app: 'web', tier: 'api' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } });
    t.registry.create(PODS, 'default', { metadata: { name: 'stranger', labels: { app: 'web', tier: 'db' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } });
    t.registry.create(RS, 'default', replicaSet('web', 2));
    await until('2 pods', async () => (await t.podsOf('web')).length === 2);
    assert.ok((await t.podsOf('web')).some((p) => p.metadata.uid === orphan.metadata.uid), 'the orphan is adopted');
    assert.equal(t.registry.get(PODS, 'default', 'stranger').metadata.ownerReferences, undefined);
    t.registry.patch(PODS, 'default', 'orphan', 'merge', { metadata: { labels: { tier: 'db' } } });
    await until('released', () => !t.registry.get(PODS, 'default', 'orphan').metadata.ownerReferences?.length);
    await until('replaced', async () => (await t.podsOf('web')).length === 2);
  } finally {
    t.stop();
  }
});

test('a ReplicationController (equality selector) keeps its replicas', async () => {
  const t = setup(REPLICATION_CONTROLLER);
  try {
    t.registry.create(RC, 'default', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } } },
    });
    await until('2 pods', async () => (await t.podsOf('legacy')).length === 2);
    assert.equal((await t.podsOf('legacy'))[0].metadata.ownerReferences![0].kind, 'ReplicationController');
    await until('status 2', () => t.registry.get(RC, 'default', 'legacy').status?.replicas === 2);
    await until('events', async () => (await t.client.list(EVENTS, 'default')).items.length === 2);
    assert.equal((await t.client.list(EVENTS, 'default')).items[0].source.component, 'replication-controller');
  } finally {
    t.stop();
  }
});

test('minReadySeconds: ready pods become available only after it, without another event', async () => {
  const t = setup();
  try {
    t.registry.create(RS, 'default', replicaSet('slow', 2, { minReadySeconds: 1 }));
    await until('2 pods', async () => (await t.podsOf('slow')).length === 2);
    for (const p of (await t.podsOf('slow'))) t.markReady(p);
    await until('2 ready', () => t.registry.get(RS, 'default', 'slow').status.readyReplicas === 2);
    assert.equal(t.registry.get(RS, 'default', 'slow').status.availableReplicas, undefined);
    await until('2 available', () => t.registry.get(RS, 'default', 'slow').status.availableReplicas === 2, 5000);
  } finally {
    t.stop();
  }
});

test('expectations: a pod informer that lags behind never makes duplicate pods', async () => {
  const t = setup(REPLICA_SET, { podLagMs: 300 });
  try {
    t.registry.create(RS, 'default', replicaSet('web', 3));
    await until('3 pods', async () => (await t.podsOf('web')).length === 3);
    // The informer does not show them yet; syncing again must not create more.
    assert.equal(t.controller.expectations.satisfied('default/web'), false);
    await t.controller.sync('default/web');
    await t.controller.sync('default/web');
    assert.equal((await t.podsOf('web')).length, 3);
    await until('the informer caught up', () => t.controller.expectations.satisfied('default/web'));
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await t.podsOf('web')).length, 3);
  } finally {
    t.stop();
  }
});
