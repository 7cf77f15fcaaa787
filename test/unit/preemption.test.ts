import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/types.js';
import { SchedulerCache } from '../../src/apiserver/scheduler/scheduler-cache.js';
import type { NodeInfo } from '../../src/apiserver/scheduler/node-info.js';
import { preempt } from '../../src/apiserver/scheduler/preemption.js';
import { SchedulingQueue } from '../../src/apiserver/scheduler/scheduling-queue.js';
import { node, pod } from '../helpers/builders.js';

// Nodes of one cpu: two pods of 500m fill one.
const ONE_CPU = { allocatable: { cpu: '1' } };

let seq = 0;
/** A running pod of this priority asking for cpu, started a second after the one made before it. */
function priorityPod(name: string, cpu: string, priority: number, extra: { labels?: Record<string, string>; started?: string; spec?: Record<string, unknown>; status?: Record<string, unknown>; deleting?: boolean } = {}): Pod {
  seq++;
  return pod(name, {
    labels: extra.labels ?? {},
    metadata: { namespace: 'default', uid: `u-${name}`, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    requests: { cpu },
    spec: { priority, ...extra.spec },
    phase: 'Running',
    status: { startTime: extra.started ?? new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), ...extra.status },
  }) as Pod;
}

function cluster(nodes: KubeObject[], bound: Array<[string, Pod]>): NodeInfo[] {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n as Node);
  for (const [n, p] of bound) cache.addPod(`default/${p.metadata!.name}`, p, n);
  return cache.list() as NodeInfo[];
}

const names = (r: ReturnType<typeof preempt>) => (r.node ? { node: r.node, victims: r.victims.map((p) => p.metadata!.name).sort() } : r);

test('a high-priority pod preempts the fewest, lowest lower-priority pods that make it fit', () => {
  const nodes = cluster(
    [node('n1', ONE_CPU), node('n2', ONE_CPU)],
    [
      ['n1', priorityPod('low-a', '500m', 10)],
      ['n1', priorityPod('low-b', '500m', 10)],
      ['n2', priorityPod('mid', '600m', 100)],
      ['n2', priorityPod('low-c', '400m', 10)],
    ],
  );
  // 500m needed: on n1 one 500m pod is enough (the one started first is reprieved); on n2 only "mid" frees enough.
  assert.deepEqual(names(preempt(priorityPod('high', '500m', 1000), { nodes, antiAffinityPods: 0 })), { node: 'n1', victims: ['low-b'] });
  // Equal or higher priority pods are never victims.
  assert.deepEqual(preempt(priorityPod('peer', '600m', 10), { nodes, antiAffinityPods: 0 }), { message: '0/2 nodes are available: 2 No preemption victims found for incoming pod.' });
});

test('the node whose victims have the lowest highest priority wins; then fewer victims', () => {
  const nodes = cluster(
    [node('n1', ONE_CPU), node('n2', ONE_CPU)],
    [
      ['n1', priorityPod('mid', '1', 50)],
      ['n2', priorityPod('low-1', '500m', 5)],
      ['n2', priorityPod('low-2', '500m', 5)],
    ],
  );
  assert.deepEqual(names(preempt(priorityPod('high', '1', 1000), { nodes, antiAffinityPods: 0 })), { node: 'n2', victims: ['low-1', 'low-2'] });
  const even = cluster([node('n1', ONE_CPU), node('n2', ONE_CPU)], [['n1', priorityPod('a', '1', 5)], ['n2', priorityPod('b', '500m', 5)], ['n2', priorityPod('c', '500m', 5)]]);
  assert.deepEqual(names(preempt(priorityPod('high', '1', 1000), { nodes: even, antiAffinityPods: 0 })), { node: 'n1', victims: ['a'] });
});

test('a pod a PodDisruptionBudget protects is spared when another node needs no budget broken', () => {
  const nodes = cluster([node('n1', ONE_CPU), node('n2', ONE_CPU)], [['n1', priorityPod('guarded', '1', 5, { labels: { app: 'db' } })], ['n2', priorityPod('free', '1', 50)]]);
  const budget: KubeObject = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0 } };
  assert.deepEqual(names(preempt(priorityPod('high', '1', 1000), { nodes, antiAffinityPods: 0, budgets: [budget] })), { node: 'n2', victims: ['free'] });
  assert.deepEqual(names(preempt(priorityPod('high', '1', 1000), { nodes, antiAffinityPods: 0 })), { node: 'n1', victims: ['guarded'] });
  // A pod the budget lists among its disrupted pods is already counted: evicting it breaks nothing.
  const disrupted = { ...budget, status: { disruptionsAllowed: 0, disruptedPods: { guarded: '2026-12-07T16:00:00Z' } } };
  assert.deepEqual(names(preempt(priorityPod('high', '1', 1000), { nodes, antiAffinityPods: 0, budgets: [disrupted] })), { node: 'n1', victims: ['guarded'] });
});

test('no preemption for preemptionPolicy Never, where evictions cannot help, or while the nominated node\'s victims terminate', () => {
  const nodes = cluster([node('n1', ONE_CPU), node('n2', { ...ONE_CPU, labels: { zone: 'b' } })], [['n1', priorityPod('low', '1', 5)], ['n2', priorityPod('low2', '1', 5)]]);
  assert.deepEqual(preempt(priorityPod('polite', '1', 1000, { spec: { preemptionPolicy: 'Never' } }), { nodes, antiAffinityPods: 0 }), { message: 'not eligible due to preemptionPolicy=Never.' });
  const pinned = priorityPod('pinned', '1', 1000, { spec: { nodeSelector: { zone: 'b' } } });
  assert.deepEqual(names(preempt(pinned, { nodes, antiAffinityPods: 0 })), { node: 'n2', victims: ['low2'] });
  const tooBig = priorityPod('big', '2', 1000, { spec: { nodeSelector: { zone: 'b' } } });
  assert.deepEqual(preempt(tooBig, { nodes, antiAffinityPods: 0 }), {
    message: '0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
  });
  const leaving = cluster([node('n1', ONE_CPU)], [['n1', priorityPod('going', '1', 5, { deleting: true })]]);
  assert.deepEqual(preempt(priorityPod('waiting', '1', 1000, { status: { nominatedNodeName: 'n1' } }), { nodes: leaving, antiAffinityPods: 0 }), {
    message: 'not eligible due to a terminating pod on the nominated node.',
  });
});

test('with nothing lower to evict anywhere, the answer comes from the filters\' counts without simulating a node', () => {
  const nodes = cluster([node('n1', ONE_CPU), node('n2', { ...ONE_CPU, labels: { zone: 'b' } })], [['n1', priorityPod('peer-1', '1', 1000)], ['n2', priorityPod('peer-2', '1', 1000)]]);
  // The counts are taken as given (one node unresolvable): the same words as the full search.
  assert.deepEqual(preempt(priorityPod('same', '1', 1000), { nodes, antiAffinityPods: 0, unresolvableNodes: 1 }), {
    message: '0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
  });
  assert.deepEqual(preempt(priorityPod('same', '1', 1000), { nodes, antiAffinityPods: 0, unresolvableNodes: 0 }), { message: '0/2 nodes are available: 2 No preemption victims found for incoming pod.' });
});

test('the scheduling queue pops the highest priority first, then in arrival order', async () => {
  const priorities: Record<string, number> = { a: 1, b: 100, c: 100, d: 50 };
  const q = new SchedulingQueue(Date.now, (key) => priorities[key]);
  for (const k of ['a', 'b', 'c', 'd']) q.add(k);
  q.forget('c');
  q.add('c');
  const order = [await q.pop(), await q.pop(), await q.pop(), await q.pop()];
  q.close();
  assert.deepEqual(order, ['b', 'c', 'd', 'a']);
});
