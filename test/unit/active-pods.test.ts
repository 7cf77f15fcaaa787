import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { isPodAvailable, podsToDelete } from '../../src/apiserver/controllers/replicaset/active-pods.js';
import { calculateStatus, nextAvailableInMs } from '../../src/apiserver/controllers/replicaset/replica-status.js';

const NOW = Date.parse('2024-01-01T12:00:00Z');

interface PodOpts {
  node?: string;
  phase?: string;
  ready?: boolean;
  readySince?: string;
  restarts?: number;
  created?: string;
  cost?: number;
  labels?: Record<string, string>;
}

function pod(name: string, o: PodOpts = {}): KubeObject {
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
      labels: o.labels ?? { app: 'web' },
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}),
    },
    spec: { nodeName: o.node ?? 'n1' },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? '2024-01-01T00:00:00Z' }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
}

test('pods to delete first, in Kubernetes ActivePods order', () => {
  const cases: Array<[string, KubeObject, KubeObject]> = [
    ['unscheduled before scheduled', pod('a', { node: '' }), pod('b')],
    ['pending before running', pod('a', { phase: 'Pending' }), pod('b')],
    ['unknown before running', pod('a', { phase: 'Unknown' }), pod('b')],
    ['not ready before ready', pod('a', { ready: false }), pod('b')],
    ['lower deletion cost first', pod('a', { cost: -5 }), pod('b', { cost: 10 })],
    ['ready for less time first (other log2 bucket)', pod('a', { readySince: '2024-01-01T11:59:00Z' }), pod('b', { readySince: '2024-01-01T06:00:00Z' })],
    ['more restarts first', pod('a', { restarts: 3 }), pod('b', { restarts: 1 })],
    ['newer first', pod('a', { created: '2024-01-01T11:00:00Z' }), pod('b', { created: '2023-06-01T00:00:00Z' })],
  ];
  for (const [name, first, second] of cases) {
    assert.deepEqual(podsToDelete([second, first], [], 1, NOW).map((p) => p.metadata.name), ['a'], name);
    assert.deepEqual(podsToDelete([first, second], [], 1, NOW).map((p) => p.metadata.name), ['a'], `${name} (other input order)`);
  }
});

test('pods doubled up on a node go before lone ones', () => {
  const lone = pod('lone', { node: 'n2' });
  const crowded = pod('crowded', { node: 'n1' });
  const related = [crowded, pod('sibling', { node: 'n1' }), lone];
  assert.deepEqual(podsToDelete([lone, crowded], related, 1, NOW).map((p) => p.metadata.name), ['crowded']);
});

test('asking for all (or more) deletes all without ranking', () => {
  const pods = [pod('a'), pod('b')];
  assert.equal(podsToDelete(pods, [], 2, NOW).length, 2);
});

test('available: ready for longer than minReadySeconds', () => {
  const p = pod('a', { readySince: '2024-01-01T11:59:55Z' });
  assert.equal(isPodAvailable(p, 0, NOW), true);
  assert.equal(isPodAvailable(p, 10, NOW), false);
  assert.equal(isPodAvailable(p, 4, NOW), true);
  assert.equal(isPodAvailable(pod('b', { ready: false }), 0, NOW), false);
});

test('ReplicaSet status: counts, omitted zeros, observedGeneration, ReplicaFailure raised and cleared', () => {
  const rs: KubeObject = {
    metadata: { name: 'web', generation: 3 },
    spec: { replicas: 3, minReadySeconds: 10, template: { metadata: { labels: { app: 'web', tier: 'a' } } } },
    status: { replicas: 0 },
  };
  const pods = [
    pod('a', { labels: { app: 'web', tier: 'a' }, readySince: '2024-01-01T11:00:00Z' }),
    pod('b', { labels: { app: 'web' }, readySince: '2024-01-01T11:59:55Z' }),
  ];
  assert.deepEqual(calculateStatus(rs, pods, undefined, NOW), { replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 3 });
  assert.equal(nextAvailableInMs(rs, pods, NOW), 5000);
  const failed = calculateStatus(rs, pods, new Error('pods "x" is forbidden: quota'), NOW);
  assert.deepEqual(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2024-01-01T12:00:00Z', reason: 'FailedCreate', message: 'pods "x" is forbidden: quota' }]);
  assert.equal(calculateStatus({ ...rs, status: failed }, pods, undefined, NOW).conditions, undefined);
  assert.deepEqual(calculateStatus({ ...rs, spec: { ...rs.spec, replicas: 0 } }, [], undefined, NOW), { replicas: 0, observedGeneration: 3 });
});
