import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { isPodAvailable, podsToDelete } from '../../src/apiserver/controllers/replicaset/active-pods.js';
import { calculateStatus, nextAvailableInMs } from '../../src/apiserver/controllers/replicaset/replica-status.js';
import { pod } from '../helpers/builders.js';

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

/** A pod of the ReplicaSet as ActivePods ranks it: on n1, Running and Ready since the start of 2024, unless told. */
function replica(name: string, o: PodOpts = {}): KubeObject {
  return pod(name, {
    metadata: {
      uid: name,
      creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}),
    },
    labels: o.labels ?? { app: 'web' },
    node: o.node ?? 'n1',
    phase: o.phase ?? 'Running',
    status: {
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? '2024-01-01T00:00:00Z' }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  });
}

test('pods to delete first, in Kubernetes ActivePods order', () => {
  const cases: Array<[string, KubeObject, KubeObject]> = [
    ['unscheduled before scheduled', replica('a', { node: '' }), replica('b')],
    ['pending before running', replica('a', { phase: 'Pending' }), replica('b')],
    ['unknown before running', replica('a', { phase: 'Unknown' }), replica('b')],
    ['not ready before ready', replica('a', { ready: false }), replica('b')],
    ['lower deletion cost first', replica('a', { cost: -5 }), replica('b', { cost: 10 })],
    ['ready for less time first (other log2 bucket)', replica('a', { readySince: '2024-01-01T11:59:00Z' }), replica('b', { readySince: '2024-01-01T06:00:00Z' })],
    ['more restarts first', replica('a', { restarts: 3 }), replica('b', { restarts: 1 })],
    ['newer first', replica('a', { created: '2024-01-01T11:00:00Z' }), replica('b', { created: '2023-06-01T00:00:00Z' })],
  ];
  for (const [name, first, second] of cases) {
    assert.deepEqual(podsToDelete([second, first], [], 1, NOW).map((p) => p.metadata.name), ['a'], name);
    assert.deepEqual(podsToDelete([first, second], [], 1, NOW).map((p) => p.metadata.name), ['a'], `${name} (other input order)`);
  }
});

test('pods doubled up on a node go before lone ones', () => {
  const lone = replica('lone', { node: 'n2' });
  const crowded = replica('crowded', { node: 'n1' });
  const related = [crowded, replica('sibling', { node: 'n1' }), lone];
  assert.deepEqual(podsToDelete([lone, crowded], related, 1, NOW).map((p) => p.metadata.name), ['crowded']);
});

test('asking for all (or more) deletes all without ranking', () => {
  const pods = [replica('a'), replica('b')];
  assert.equal(podsToDelete(pods, [], 2, NOW).length, 2);
});

test('available: ready for longer than minReadySeconds', () => {
  const p = replica('a', { readySince: '2024-01-01T11:59:55Z' });
  assert.equal(isPodAvailable(p, 0, NOW), true);
  assert.equal(isPodAvailable(p, 10, NOW), false);
  assert.equal(isPodAvailable(p, 4, NOW), true);
  assert.equal(isPodAvailable(replica('b', { ready: false }), 0, NOW), false);
});

test('ReplicaSet status: counts, omitted zeros, observedGeneration, ReplicaFailure raised and cleared', () => {
  const rs: KubeObject = {
    metadata: { name: 'web', generation: 3 },
    spec: { replicas: 3, minReadySeconds: 10, template: { metadata: { labels: { app: 'web', tier: 'a' } } } },
    status: { replicas: 0 },
  };
  const pods = [
    replica('a', { labels: { app: 'web', tier: 'a' }, readySince: '2024-01-01T11:00:00Z' }),
    replica('b', { labels: { app: 'web' }, readySince: '2024-01-01T11:59:55Z' }),
  ];
  assert.deepEqual(calculateStatus(rs, pods, undefined, NOW), { replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 3 });
  assert.equal(nextAvailableInMs(rs, pods, NOW), 5000);
  const failed = calculateStatus(rs, pods, new Error('pods "x" is forbidden: quota'), NOW);
  assert.deepEqual(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2024-01-01T12:00:00Z', reason: 'FailedCreate', message: 'pods "x" is forbidden: quota' }]);
  assert.equal(calculateStatus({ ...rs, status: failed }, pods, undefined, NOW).conditions, undefined);
  assert.deepEqual(calculateStatus({ ...rs, spec: { ...rs.spec, replicas: 0 } }, [], undefined, NOW), { replicas: 0, observedGeneration: 3 });
});
