import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { Informer } from '../../src/api/informer.js';
import { StatefulSetController } from '../../src/apiserver/controllers/statefulset/statefulset-controller.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';

const PODS = findByKind('Pod')!;
const STS = findByKind('StatefulSet')!;
const REVISIONS = findByKind('ControllerRevision')!;
const CLAIMS = findByKind('PersistentVolumeClaim')!;

function statefulSet(replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      replicas,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  };
}

function setup() {
  const reg = inProcessRegistry();
  const informers = [STS, PODS, REVISIONS, CLAIMS].map((r) => new Informer(reg.client, r));
  const [sets, pods, revisions, claims] = informers;
  const controller = new StatefulSetController(reg.client, sets, pods, revisions, claims, () => {});
  const deleted: string[] = [];
  pods.addHandlers({ delete: (p) => deleted.push(p.metadata.name!) });
  for (const i of informers) i.start();
  const names = async (r = PODS) => (await reg.client.list(r, 'default')).items.filter((o) => !o.metadata.deletionTimestamp).map((o) => o.metadata.name).sort();
  const markReady = (name: string) =>
    reg.registry.patch(PODS, 'default', name, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
  return {
    ...reg,
    names,
    markReady,
    deleted,
    stop() {
      controller.queue.stop();
      for (const i of informers) i.stop();
      reg.done();
    },
  };
}

test('a StatefulSet comes up in order, each pod with its claim, and scaling down keeps the claims', async () => {
  const t = setup();
  try {
    t.registry.create(STS, 'default', statefulSet(3));
    await until('web-0', async () => (await t.names()).join() === 'web-0');
    assert.deepEqual(await t.names(CLAIMS), ['data-web-0']);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await t.names(), ['web-0'], 'web-1 waits for web-0 to be ready');
    t.markReady('web-0');
    await until('web-1', async () => (await t.names()).join() === 'web-0,web-1');
    t.markReady('web-1');
    await until('web-2', async () => (await t.names()).length === 3);
    t.markReady('web-2');
    await until('status ready 3', () => t.registry.get(STS, 'default', 'web').status?.readyReplicas === 3);
    const status = t.registry.get(STS, 'default', 'web').status;
    assert.equal(status.currentRevision, status.updateRevision);
    assert.equal(status.updatedReplicas, 3);
    const pod = t.registry.get(PODS, 'default', 'web-2') as any;
    assert.equal(pod.metadata.labels['controller-revision-hash'], status.updateRevision);
    assert.deepEqual(pod.spec.volumes.find((v: { name: string }) => v.name === 'data'), { name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } });
    assert.deepEqual((await t.names(REVISIONS)), [status.updateRevision]);

    t.registry.patch(STS, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    // Pods on no node go at once: the order of deletions shows the highest ordinal goes first.
    await until('web-2 and web-1 deleted', async () => (await t.names()).join() === 'web-0');
    assert.deepEqual(t.deleted, ['web-2', 'web-1']);
    assert.deepEqual(await t.names(CLAIMS), ['data-web-0', 'data-web-1', 'data-web-2']);
  } finally {
    t.stop();
  }
});

test('a template change rolls the pods from the highest ordinal down to the partition', async () => {
  const t = setup();
  try {
    t.registry.create(STS, 'default', statefulSet(3, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await until('3 pods', async () => (await t.names()).length === 3);
    for (const n of ['web-0', 'web-1', 'web-2']) t.markReady(n);
    await until('ready', () => t.registry.get(STS, 'default', 'web').status?.readyReplicas === 3);
    const first = t.registry.get(STS, 'default', 'web').status.updateRevision;
    t.registry.patch(STS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } } });
    await until('web-2 replaced', () => t.deleted.join() === 'web-2' && t.registry.get(STS, 'default', 'web').status?.updatedReplicas === 1);
    const second = t.registry.get(STS, 'default', 'web').status.updateRevision;
    assert.equal(t.registry.get(PODS, 'default', 'web-2').metadata.labels!['controller-revision-hash'], second);
    assert.equal(t.registry.get(PODS, 'default', 'web-2').spec.containers[0].image, 'busybox:1.36');
    t.markReady('web-2');
    await until('web-1 replaced', () => t.deleted.join() === 'web-2,web-1' && t.registry.get(STS, 'default', 'web').status?.updatedReplicas === 2);
    t.markReady('web-1');
    await until('ready 3', () => t.registry.get(STS, 'default', 'web').status?.readyReplicas === 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.registry.get(PODS, 'default', 'web-0').metadata.labels!['controller-revision-hash'], first, 'below the partition');
    const status = t.registry.get(STS, 'default', 'web').status;
    assert.equal(status.currentRevision, first);
    assert.equal((await t.names(REVISIONS)).length, 2);
  } finally {
    t.stop();
  }
});
