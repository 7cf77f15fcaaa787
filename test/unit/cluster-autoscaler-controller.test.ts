// The cluster autoscaler's controller against an in-process registry, on a clock the test moves:
// a node under 50% waits the default ten minutes before it goes; its drain goes through the
// eviction subresource, so a PodDisruptionBudget that allows no disruption holds the pod (no
// eviction event, the pod untouched) until the drain is abandoned with ScaleDownFailed and the
// taint taken off; once the budget allows one, the pod is evicted and the node stopped by the
// provider and deleted, each step an Event with cluster-autoscaler's reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import { Informer } from '../../src/api/informer.js';
import { NODE_GROUP_LABEL, type NodeGroupSpec } from '../../src/api/node-groups.js';
import { ClusterAutoscaler } from '../../src/apiserver/controllers/cluster-autoscaler/cluster-autoscaler-controller.js';
import { TO_BE_DELETED_TAINT } from '../../src/apiserver/controllers/cluster-autoscaler/template-node.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';

const NODES = findByKind('Node')!;
const PODS = findByKind('Pod')!;
const PDBS = findByKind('PodDisruptionBudget')!;
const EVENTS = findByKind('Event')!;
const MINUTE = 60_000;

test('scale-down: the ten-minute default, a drain a PodDisruptionBudget holds and then lets through, every step an event', async () => {
  const reg = inProcessRegistry();
  const { registry } = reg;
  for (const name of ['g-a', 'g-b']) {
    registry.create(NODES, undefined, { metadata: { name, labels: { [NODE_GROUP_LABEL]: 'g', 'kubernetes.io/hostname': name } } });
    registry.update(NODES, undefined, name, { ...registry.get(NODES, undefined, name), status: { allocatable: { cpu: '1', memory: '1Gi', pods: '10' }, conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
  }
  // One 300m pod per node: each node 30% used, and either's pod fits on the other.
  for (const [pod, node] of [['p1', 'g-a'], ['p2', 'g-b']]) {
    registry.create(PODS, 'default', {
      metadata: { name: pod, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true }] },
      spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '300m' } } }] },
    });
    registry.update(PODS, 'default', pod, { ...registry.get(PODS, 'default', pod), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
  }
  registry.create(PDBS, 'default', { metadata: { name: 'web' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
  const budget = (disruptionsAllowed: number) => {
    const current = registry.get(PDBS, 'default', 'web');
    registry.update(PDBS, 'default', 'web', { ...current, status: { observedGeneration: current.metadata.generation, disruptionsAllowed, currentHealthy: 2, desiredHealthy: 2 - disruptionsAllowed, expectedPods: 2 } }, { subresource: 'status' });
  };
  budget(0);

  const nodes = new Informer(reg.client, NODES);
  const pods = new Informer(reg.client, PODS);
  const deleted: string[][] = [];
  const provider = {
    increaseSize: async () => assert.fail('no scale-up is due'),
    deleteNodes: async (_g: NodeGroupSpec, names: string[]) => void deleted.push(names),
  };
  let now = 1_000_000_000;
  const group: NodeGroupSpec = { name: 'g', min: 0, max: 3, template: { kind: 'hollow', cpu: '1', memory: '1Gi', pods: 10 } };
  const autoscaler = new ClusterAutoscaler(reg.client, pods, nodes, provider, {
    groups: [group],
    scaleDownUnneededTimeMs: 10 * MINUTE,
    scaleDownDelayAfterAddMs: 0,
    scaleDownUtilizationThreshold: 0.5,
    maxNodeProvisionTimeMs: 15 * MINUTE,
    maxPodEvictionTimeMs: 2 * MINUTE,
  }, () => {}, () => now);
  // Passes are run by the test, each at the time it sets.
  autoscaler.queue.stop();
  nodes.start();
  pods.start();
  const events = () => registry.list(EVENTS, 'default').rows.map((r) => JSON.parse(r.value)).concat(registry.list(EVENTS, undefined).rows.map((r) => JSON.parse(r.value)));
  const reasons = (kind: string, name: string) => [...new Set(events().filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`))];
  const tainted = () => (nodes.get('g-a')?.spec?.taints ?? []).some((t: { key: string }) => t.key === TO_BE_DELETED_TAINT);
  try {
    await autoscaler.sync();
    now += 9 * MINUTE;
    await autoscaler.sync();
    assert.equal(registry.get(NODES, undefined, 'g-a').spec?.taints, undefined, 'not yet: unneeded for 9 of 10 minutes');

    now += 1 * MINUTE;
    await autoscaler.sync();
    await until('the node is tainted ToBeDeleted', tainted);
    await until('the node is told', () => reasons('Node', 'g-a').includes('ScaleDown: marked the node as toBeDeleted/unschedulable'));
    // The budget refuses the eviction (429): the pod stays as it was, and is tried again later.
    now += 10_000;
    await autoscaler.sync();
    const p1 = registry.get(PODS, 'default', 'p1');
    assert.equal(p1.metadata.deletionTimestamp, undefined);
    assert.deepEqual(reasons('Pod', 'p1'), []);
    assert.deepEqual(deleted, []);

    now += 2 * MINUTE;
    await autoscaler.sync();
    await until('the drain is abandoned', () => reasons('Node', 'g-a').some((r) => r.startsWith('ScaleDownFailed: ')));
    assert.ok(reasons('Node', 'g-a').includes('ScaleDownFailed: failed to drain the node: 1 pod(s) still on it after 120s, aborting ScaleDown'), reasons('Node', 'g-a').join('\n'));
    await until('the taint is taken off', () => !tainted());
    assert.deepEqual(deleted, []);

    // The budget allows one disruption: after another unneeded time the pod is evicted and the node goes.
    budget(1);
    await autoscaler.sync();
    now += 10 * MINUTE;
    await autoscaler.sync();
    await until('the node is tainted again', tainted);
    now += 1_000;
    await autoscaler.sync();
    await until('the pod is evicted', () => registry.get(PODS, 'default', 'p1').metadata.deletionTimestamp !== undefined);
    await until('the pod is told', () => reasons('Pod', 'p1').includes('ScaleDown: deleting pod for node scale down'));
    assert.equal(registry.get(PDBS, 'default', 'web').status.disruptionsAllowed, 0, 'the eviction used the budget up');
    // The node's agent finishes the pod off.
    registry.delete(PODS, 'default', 'p1', { gracePeriodSeconds: 0 });
    await until('the informer sees the pod go', () => pods.get('default/p1') === undefined);
    now += 1_000;
    await autoscaler.sync();
    assert.deepEqual(deleted, [['g-a']]);
    assert.equal(registry.tryGet(NODES, undefined, 'g-a'), undefined);
    await until('the removal is told', () => reasons('Node', 'g-a').includes('ScaleDown: node removed by cluster autoscaler'));
    assert.ok(registry.tryGet(NODES, undefined, 'g-b'), 'the other node stays');
  } finally {
    nodes.stop();
    pods.stop();
    reg.done();
  }
});
