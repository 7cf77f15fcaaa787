import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/types.js';
import { SchedulerCache } from '../../src/apiserver/scheduler/scheduler-cache.js';
import type { NodeInfo } from '../../src/apiserver/scheduler/node-info.js';
import { preempt } from '../../src/apiserver/scheduler/preemption.js';
import { SchedulingQueue } from '../../src/apiserver/scheduler/scheduling-queue.js';

function node(name: string, cpu = '1', labels: Record<string, string> = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: {},
    status: { allocatable: { cpu, memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  } as Node;
}

let seq = 0;
function pod(name: string, cpu: string, priority: number, extra: { labels?: Record<string, string>; started?: string; spec?: Record<string, unknown>; status?: Record<string, unknown>; deleting?: boolean } = {}): Pod {
  seq++;
  return {
    metadata: { name, namespace: 'default', uid: `u-${name}`, labels: extra.labels ?? {}, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { priority, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }], ...extra.spec },
    status: { phase: 'Running', startTime: extra.started ?? new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), ...extra.status },
  } as Pod;
}

function cluster(nodes: Node[], bound: Array<[string, Pod]>): NodeInfo[] {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const [n, p] of bound) cache.addPod(`default/${p.metadata!.name}`, p, n);
  return cache.list() as NodeInfo[];
}

const names = (r: ReturnType<typeof preempt>) => (r.node ? { node: r.node, victims: r.victims.map((p) => p.metadata!.name).sort() } : r);

test('a high-priority pod preempts the fewest, lowest lower-priority pods that make it fit', () => {
  const nodes = cluster(
    [node('n1'), node('n2')],
    [
      ['n1', pod('low-a', '500m', 10)],
      ['n1', pod('low-b', '500m', 10)],
      ['n2', pod('mid', '600m', 100)],
      ['n2', pod('low-c', '400m', 10)],
    ],
  );
  // 500m needed: on n1 one 500m pod is enough (the one started first is reprieved); on n2 only "mid" frees enough.
  assert.deepEqual(names(preempt(pod('high', '500m', 1000), { nodes, antiAffinityPods: 0 })), { node: 'n1', victims: ['low-b'] });
  // Equal or higher priority pods are never victims.
  assert.deepEqual(preempt(pod('peer', '600m', 10), { nodes, antiAffinityPods: 0 }), { message: '0/2 nodes are available: 2 No preemption victims found for incoming pod.' });
});

test('the node whose victims have the lowest highest priority wins; then fewer victims', () => {
  const nodes = cluster(
    [node('n1'), node('n2')],
    [
      ['n1', pod('mid', '1', 50)],
      ['n2', pod('low-1', '500m', 5)],
      ['n2', pod('low-2', '500m', 5)],
    ],
  );
  assert.deepEqual(names(preempt(pod('high', '1', 1000), { nodes, antiAffinityPods: 0 })), { node: 'n2', victims: ['low-1', 'low-2'] });
  const even = cluster([node('n1'), node('n2')], [['n1', pod('a', '1', 5)], ['n2', pod('b', '500m', 5)], ['n2', pod('c', '500m', 5)]]);
  assert.deepEqual(names(preempt(pod('high', '1', 1000), { nodes: even, antiAffinityPods: 0 })), { node: 'n1', victims: ['a'] });
});

test('a pod a PodDisruptionBudget protects is spared when another node needs no budget broken', () => {
  const nodes = cluster([node('n1'), node('n2')], [['n1', pod('guarded', '1', 5, { labels: { app: 'db' } })], ['n2', pod('free', '1', 50)]]);
  const budget: KubeObject = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0 } };
  assert.deepEqual(names(preempt(pod('high', '1', 1000), { nodes, antiAffinityPods: 0, budgets: [budget] })), { node: 'n2', victims: ['free'] });
  assert.deepEqual(names(preempt(pod('high', '1', 1000), { nodes, antiAffinityPods: 0 })), { node: 'n1', victims: ['guarded'] });
});

test('no preemption for preemptionPolicy Never, where evictions cannot help, or while the nominated node\'s victims terminate', () => {
  const nodes = cluster([node('n1'), node('n2', '1', { zone: 'b' })], [['n1', pod('low', '1', 5)], ['n2', pod('low2', '1', 5)]]);
  assert.deepEqual(preempt(pod('polite', '1', 1000, { spec: { preemptionPolicy: 'Never' } }), { nodes, antiAffinityPods: 0 }), { message: 'not eligible due to preemptionPolicy=Never.' });
  const pinned = pod('pinned', '1', 1000, { spec: { nodeSelector: { zone: 'b' } } });
  assert.deepEqual(names(preempt(pinned, { nodes, antiAffinityPods: 0 })), { node: 'n2', victims: ['low2'] });
  const tooBig = pod('big', '2', 1000, { spec: { nodeSelector: { zone: 'b' } } });
  assert.deepEqual(preempt(tooBig, { nodes, antiAffinityPods: 0 }), {
    message: '0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
  });
  const leaving = cluster([node('n1')], [['n1', pod('going', '1', 5, { deleting: true })]]);
  assert.deepEqual(preempt(pod('waiting', '1', 1000, { status: { nominatedNodeName: 'n1' } }), { nodes: leaving, antiAffinityPods: 0 }), {
    message: 'not eligible due to a terminating pod on the nominated node.',
  });
});

test('with nothing lower to evict anywhere, the answer comes from the filters\' counts without simulating a node', () => {
  const nodes = cluster([node('n1'), node('n2', '1', { zone: 'b' })], [['n1', pod('peer-1', '1', 1000)], ['n2', pod('peer-2', '1', 1000)]]);
  // The counts are taken as given (one node unresolvable): the same words as the full search.
  assert.deepEqual(preempt(pod('same', '1', 1000), { nodes, antiAffinityPods: 0, unresolvableNodes: 1 }), {
    message: '0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
  });
  assert.deepEqual(preempt(pod('same', '1', 1000), { nodes, antiAffinityPods: 0, unresolvableNodes: 0 }), { message: '0/2 nodes are available: 2 No preemption victims found for incoming pod.' });
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
