import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { Informer } from '../../src/api/informer.js';
import { daemonTolerations, newDaemonPod, REVISION_HASH_LABEL, targetNodeOf, templatePod } from '../../src/apiserver/controllers/daemonset/daemon-pod.js';
import { nodeShouldRunDaemonPod } from '../../src/apiserver/controllers/daemonset/node-eligibility.js';
import { mapNodes } from '../../src/apiserver/controllers/daemonset/node-pods.js';
import { allowsSurge, maxSurge, maxUnavailable, planSync } from '../../src/apiserver/controllers/daemonset/sync-plan.js';
import { calculateStatus } from '../../src/apiserver/controllers/daemonset/daemonset-status.js';
import { newRevision, revisionsToPrune } from '../../src/apiserver/controllers/daemonset/revision-history.js';
import { DaemonSetController } from '../../src/apiserver/controllers/daemonset/daemonset-controller.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';
import { node } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const NODES = findByKind('Node')!;
const DS = findByKind('DaemonSet')!;
const REVISIONS = findByKind('ControllerRevision')!;

function daemonSet(name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, generation: 1 },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], ...podSpec } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      ...spec,
    },
  };
}

let seq = 0;
/** The DaemonSet's pod for nodeName as the controller makes it, bound, a second younger than the one before. */
function daemonPod(ds: KubeObject, nodeName: string, hash: string, opts: { ready?: boolean; phase?: string; deleting?: boolean } = {}): KubeObject {
  const p = newDaemonPod(ds, nodeName, hash);
  p.metadata.name = `${ds.metadata.name}-${seq++}`;
  p.metadata.creationTimestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString();
  p.spec.nodeName = nodeName;
  p.status = { phase: opts.phase ?? 'Running', conditions: opts.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] : [] };
  if (opts.deleting) p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return p;
}

test('daemon pods get the default tolerations once, and a node affinity on the node name', () => {
  const ds = daemonSet('agent', {}, { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], hostNetwork: true });
  const p = newDaemonPod(ds, 'n1', 'abc');
  const keys = p.spec.tolerations.map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`);
  assert.deepEqual(keys.sort(), [
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/network-unavailable:NoSchedule',
    'node.kubernetes.io/not-ready:NoExecute',
    'node.kubernetes.io/pid-pressure:NoSchedule',
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  assert.equal(daemonTolerations({}).length, 6, 'no network-unavailable toleration without hostNetwork');
  assert.deepEqual(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
  });
  assert.equal(p.metadata.labels?.[REVISION_HASH_LABEL], 'abc');
  assert.equal(p.metadata.generateName, 'agent-');
  assert.equal(p.metadata.ownerReferences?.[0].kind, 'DaemonSet');
  assert.equal(targetNodeOf(p), 'n1');
  assert.equal(targetNodeOf({ ...p, spec: { ...p.spec, nodeName: 'n2' } }), 'n2');
  assert.equal(ds.spec.template.spec.affinity, undefined, 'the template is not changed');
});

test('eligibility: nodeSelector, required node affinity, taints (NoSchedule keeps a running pod, NoExecute does not)', () => {
  const plain = templatePod(daemonSet('a'));
  assert.deepEqual(nodeShouldRunDaemonPod(plain, node('n1')), { shouldRun: true, shouldContinueRunning: true });
  const selecting = templatePod(daemonSet('a', {}, { nodeSelector: { disk: 'ssd' } }));
  assert.equal(nodeShouldRunDaemonPod(selecting, node('n1')).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(selecting, node('n1', { labels: { disk: 'ssd' } })).shouldRun, true);
  const affinity = templatePod(
    daemonSet('a', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }] } } } }),
  );
  assert.equal(nodeShouldRunDaemonPod(affinity, node('n1', { labels: { zone: 'a' } })).shouldRun, true);
  assert.deepEqual(nodeShouldRunDaemonPod(affinity, node('n1', { labels: { zone: 'b' } })), { shouldRun: false, shouldContinueRunning: false });
  assert.deepEqual(nodeShouldRunDaemonPod(plain, node('n1', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] })), { shouldRun: false, shouldContinueRunning: true });
  assert.deepEqual(nodeShouldRunDaemonPod(plain, node('n1', { taints: [{ key: 'gpu', effect: 'NoExecute' }] })), { shouldRun: false, shouldContinueRunning: false });
  // The daemon tolerations: a cordoned node, a not-ready (NoExecute) node still run daemon pods.
  assert.equal(nodeShouldRunDaemonPod(plain, node('n1', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] })).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(plain, node('n1', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] })).shouldRun, true);
  const tolerating = templatePod(daemonSet('a', {}, { tolerations: [{ key: 'gpu', operator: 'Exists' }] }));
  assert.equal(nodeShouldRunDaemonPod(tolerating, node('n1', { taints: [{ key: 'gpu', effect: 'NoExecute' }] })).shouldRun, true);
  const named = templatePod(daemonSet('a', {}, { nodeName: 'n2' }));
  assert.equal(nodeShouldRunDaemonPod(named, node('n1')).shouldRun, false);
});

test('plan: a pod per eligible node; pods on ineligible or vanished nodes, failed and extra pods deleted', () => {
  const ds = daemonSet('a', {}, { nodeSelector: { role: 'worker' } });
  const nodes = [node('n1', { labels: { role: 'worker' } }), node('n2', { labels: { role: 'worker' } }), node('n3'), node('n4', { labels: { role: 'worker' } }), node('n5', { labels: { role: 'worker' } })];
  const onN2 = daemonPod(ds, 'n2', 'h', { ready: true });
  const onN3 = daemonPod(ds, 'n3', 'h', { ready: true });
  const onGone = daemonPod(ds, 'gone', 'h', { ready: true });
  const failed = daemonPod(ds, 'n4', 'h', { phase: 'Failed' });
  const first = daemonPod(ds, 'n5', 'h', { ready: true });
  const second = daemonPod(ds, 'n5', 'h', { ready: true });
  const map = mapNodes(ds, nodes, [onN2, onN3, onGone, failed, second, first]);
  const plan = planSync(ds, map, 'h', Date.now());
  assert.deepEqual(plan.createOn, ['n1']);
  assert.deepEqual(plan.delete.map((p) => p.metadata.name).sort(), [onGone, onN3, failed, second].map((p) => p.metadata.name).sort());
  const status = calculateStatus(ds, map, 'h', Date.now());
  assert.deepEqual(status, {
    currentNumberScheduled: 3,
    numberMisscheduled: 1,
    desiredNumberScheduled: 4,
    numberReady: 2,
    observedGeneration: 1,
    updatedNumberScheduled: 3,
    numberAvailable: 2,
    numberUnavailable: 2,
  });
});

test('plan: a terminating pod holds its node; nothing created until it is gone', () => {
  const ds = daemonSet('a');
  const map = mapNodes(ds, [node('n1')], [daemonPod(ds, 'n1', 'h', { deleting: true })]);
  assert.deepEqual(planSync(ds, map, 'h', Date.now()), { createOn: [], delete: [] });
});

test('rolling update: old pods replaced under maxUnavailable, unavailable old pods first, OnDelete leaves them', () => {
  const ds = daemonSet('a', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => node(n));
  const pods = [daemonPod(ds, 'n1', 'old', { ready: true }), daemonPod(ds, 'n2', 'old', { ready: true }), daemonPod(ds, 'n3', 'old'), daemonPod(ds, 'n4', 'new', { ready: true }), daemonPod(ds, 'n5', 'old', { ready: true })];
  const plan = planSync(ds, mapNodes(ds, nodes, pods), 'new', Date.now());
  // n3's old pod is not available: deleted at no cost and counts as one unavailable; one more fits.
  assert.deepEqual(plan.delete.map((p) => p.spec.nodeName), ['n3', 'n1']);
  assert.deepEqual(plan.createOn, []);
  // A node with no pod counts as unavailable: with maxUnavailable 1 nothing else goes.
  const ds1 = daemonSet('a');
  const plan1 = planSync(ds1, mapNodes(ds1, nodes, pods.filter((p) => p.spec.nodeName !== 'n3')), 'new', Date.now());
  assert.deepEqual(plan1, { createOn: ['n3'], delete: [] });
  const onDelete = daemonSet('a', { updateStrategy: { type: 'OnDelete' } });
  assert.deepEqual(planSync(onDelete, mapNodes(onDelete, nodes, pods), 'new', Date.now()).delete, []);
  assert.equal(maxUnavailable(daemonSet('a', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } } }), 15), 2, 'a percentage rounds up');
  assert.equal(maxUnavailable(daemonSet('a', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }), 15), 0);
  // 0% of few nodes resolves to no surge and no unavailability: one node at a time still moves.
  const tiny = daemonSet('a', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } });
  assert.deepEqual(planSync(tiny, mapNodes(tiny, nodes, pods), 'new', Date.now()).delete.map((p) => p.spec.nodeName), ['n3']);
  assert.deepEqual(planSync(tiny, mapNodes(tiny, nodes, pods.filter((p) => p.spec.nodeName !== 'n3')), 'new', Date.now()).delete.map((p) => p.spec.nodeName), []);
  const tinyDone = [daemonPod(ds, 'n3', 'new', { ready: true }), ...pods.filter((p) => p.spec.nodeName !== 'n3')];
  assert.deepEqual(planSync(tiny, mapNodes(tiny, nodes, tinyDone), 'new', Date.now()).delete.map((p) => p.spec.nodeName), ['n1']);
});

test('rolling update with maxSurge: the new pod starts beside the old one, the old one goes once the new one is available', () => {
  const ds = daemonSet('a', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
  assert.ok(allowsSurge(ds));
  assert.ok(!allowsSurge(daemonSet('a')));
  assert.equal(maxSurge(daemonSet('a', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '10%' } } }), 15), 2);
  const nodes = ['n1', 'n2', 'n3'].map((n) => node(n));
  const now = Date.now();
  // Every node runs an available old pod: one new pod is created (maxSurge 1), nothing deleted.
  const old = nodes.map((n) => daemonPod(ds, n.metadata.name!, 'old', { ready: true }));
  assert.deepEqual(planSync(ds, mapNodes(ds, nodes, old), 'new', now), { createOn: ['n1'], delete: [] });
  // The new pod on n1 is not ready yet: both stay, and the surge budget is spent.
  const fresh = daemonPod(ds, 'n1', 'new');
  assert.deepEqual(planSync(ds, mapNodes(ds, nodes, [...old, fresh]), 'new', now), { createOn: [], delete: [] });
  // Ready (and so available, minReadySeconds 0): the old pod on n1 is deleted by manage.
  const ready = { ...fresh, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] } };
  assert.deepEqual(planSync(ds, mapNodes(ds, nodes, [...old, ready]), 'new', now), { createOn: [], delete: [old[0]] });
  // Once it is gone, the next node surges.
  assert.deepEqual(planSync(ds, mapNodes(ds, nodes, [ready, old[1], old[2]]), 'new', now), { createOn: ['n2'], delete: [] });
  // An old pod that is not available is replaced at once, beyond the surge budget.
  const broken = daemonPod(ds, 'n3', 'old');
  assert.deepEqual(planSync(ds, mapNodes(ds, nodes, [ready, old[1], broken]), 'new', now).createOn.sort(), ['n2', 'n3']);
  // With surge a node whose only pod is terminating gets its new pod without waiting.
  const leaving = daemonPod(ds, 'n1', 'old', { ready: true, deleting: true });
  assert.deepEqual(planSync(ds, mapNodes(ds, nodes, [leaving, old[1], old[2]]), 'new', now).createOn, ['n1']);
  // Two pods while the old one is no longer ready: the old one goes.
  const oldUnready = daemonPod(ds, 'n1', 'old');
  assert.deepEqual(planSync(ds, mapNodes(ds, nodes, [oldUnready, fresh, old[1], old[2]]), 'new', now).delete, [oldUnready]);
});

test('DaemonSet validation: exactly one of maxSurge and maxUnavailable, as Kubernetes words it', async () => {
  const { daemonSetStrategy } = await import('../../src/apiserver/registry/strategies/daemonset.js');
  const check = (rollingUpdate: Record<string, unknown>) => {
    const ds = daemonSet('a', { updateStrategy: { type: 'RollingUpdate', rollingUpdate } });
    ds.spec.template.spec.restartPolicy = 'Always';
    daemonSetStrategy.applyDefaults!(ds);
    return daemonSetStrategy.validate!(ds).map((c) => `${c.field}: ${c.message}`);
  };
  assert.deepEqual(check({ maxSurge: 1 }), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero']);
  assert.deepEqual(check({ maxSurge: 0, maxUnavailable: 0 }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  assert.deepEqual(check({ maxSurge: '150%', maxUnavailable: 0 }), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 150%: must not be greater than 100%']);
  assert.deepEqual(check({ maxSurge: '25%', maxUnavailable: '0%' }), []);
  assert.deepEqual(check({ maxSurge: -1, maxUnavailable: 0 }).length, 1);
});

test('revision history: the template as a replacing patch; old revisions beyond the limit pruned unless a pod runs them', () => {
  const ds = daemonSet('a', { revisionHistoryLimit: 1 });
  const r = newRevision(ds, 'h4', 4);
  assert.equal(r.metadata.name, 'a-h4');
  assert.equal(r.revision, 4);
  assert.equal(r.data.spec.template.$patch, 'replace');
  assert.equal(r.metadata.labels?.[REVISION_HASH_LABEL], 'h4');
  const revisions = [1, 2, 3, 4].map((n) => newRevision(ds, `h${n}`, n));
  const pruned = revisionsToPrune(ds, revisions, 'a-h4', [daemonPod(ds, 'n1', 'h1')]);
  // h1 is in use, h4 current; of h2 and h3 one is kept.
  assert.deepEqual(pruned.map((x) => x.metadata.name), ['a-h2']);
});

test('the controller covers every node, follows new and removed nodes, records revisions and rolls out a new template', async () => {
  const reg = inProcessRegistry();
  const informers = [DS, PODS, NODES, REVISIONS].map((r) => new Informer(reg.client, r));
  const controller = new DaemonSetController(reg.client, informers[0], informers[1], informers[2], informers[3], () => {});
  for (const i of informers) i.start();
  const live = async () => (await reg.client.list(PODS, 'default')).items.filter((p: KubeObject) => !p.metadata.deletionTimestamp);
  const nodesOf = async () => (await live()).map((p: KubeObject) => targetNodeOf(p)).sort();
  try {
    for (const n of ['n1', 'n2']) reg.registry.create(NODES, undefined, node(n));
    const { metadata, ...body } = daemonSet('agent');
    reg.registry.create(DS, 'default', { ...body, metadata: { name: metadata.name } });
    await until('a pod on n1 and n2', async () => JSON.stringify(await nodesOf()) === '["n1","n2"]');
    await until('status desired 2', () => reg.registry.get(DS, 'default', 'agent').status?.currentNumberScheduled === 2);
    assert.equal(reg.registry.get(DS, 'default', 'agent').status.desiredNumberScheduled, 2);
    reg.registry.create(NODES, undefined, node('n3'));
    await until('a pod on n3 too', async () => (await nodesOf()).length === 3);
    reg.registry.delete(NODES, undefined, 'n1');
    await until('the pod of n1 deleted', async () => JSON.stringify(await nodesOf()) === '["n2","n3"]');
    await until('one revision', async () => (await reg.client.list(REVISIONS, 'default')).items.length === 1);
    reg.registry.patch(DS, 'default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } } });
    // Pods never turn ready here: each node is unavailable once replaced, so the rollout goes one node at a time.
    await until('every pod on the new template', async () => {
      const pods = await live();
      return pods.length === 2 && pods.every((p: KubeObject) => p.spec.containers[0].image === 'busybox:1.36');
    });
    const revisions = (await reg.client.list(REVISIONS, 'default')).items.map((r: KubeObject) => r.revision).sort();
    assert.deepEqual(revisions, [1, 2]);
  } finally {
    controller.queue.stop();
    for (const i of informers) i.stop();
    reg.done();
  }
});
