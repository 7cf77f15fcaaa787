import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeCondition, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { desiredTaints, observeHeartbeat, silentNodeConditions, staleAt, type Heartbeat } from '../../src/apiserver/controllers/node-lifecycle/node-health.js';
import { evictionDelaySeconds } from '../../src/apiserver/controllers/node-lifecycle/taint-eviction.js';
import { podGcVerdict } from '../../src/apiserver/controllers/pod-gc/pod-gc.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const at = (ms: number) => iso(ms).replace(/\.\d{3}Z$/, 'Z');

test('heartbeats: first sight, a renewed lease or a new status heartbeat restart the clock; nothing else does', () => {
  const seen: Heartbeat = { leaseRenewTime: iso(T0), readyHeartbeatTime: at(T0), observedAt: T0 };
  const cases: Array<[string, Heartbeat | undefined, string | undefined, string | undefined, number]> = [
    ['first sight counts from now, whatever the stored times say', undefined, iso(T0 - 3_600_000), at(T0 - 3_600_000), T0 + 5000],
    ['the same lease and status: the old observation stands', seen, iso(T0), at(T0), T0],
    ['a renewed lease', seen, iso(T0 + 1000), at(T0), T0 + 7000],
    ['a new Ready heartbeat without a lease', { observedAt: T0, readyHeartbeatTime: at(T0) }, undefined, at(T0 + 10_000), T0 + 7000],
    ['an older lease (a stale cache) is no sign of life', seen, iso(T0 - 1000), at(T0), T0],
    ['the lease gone: no sign of life', seen, undefined, at(T0), T0],
  ];
  for (const [what, previous, lease, ready, expectedAt] of cases) {
    const now = T0 + 7000;
    const h = observeHeartbeat(previous, lease, ready, what.startsWith('first') ? T0 + 5000 : now);
    assert.equal(h.observedAt, expectedAt, what);
  }
  assert.equal(staleAt({ observedAt: T0 }, 40_000), T0 + 40_000);
});

test('a silent node: kubelet conditions become Unknown with Kubernetes reasons; never posted ones are added', () => {
  const ready: NodeCondition = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at(T0), lastTransitionTime: at(T0 - 1000) };
  const memory: NodeCondition = { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'ok', lastHeartbeatTime: at(T0), lastTransitionTime: at(T0) };
  const now = T0 + 60_000;
  const out = silentNodeConditions([ready, memory], at(T0 - 5000), now)!;
  assert.deepEqual(out.find((c) => c.type === 'Ready'), {
    type: 'Ready',
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
    lastHeartbeatTime: at(T0),
    lastTransitionTime: at(now),
  });
  assert.equal(out.find((c) => c.type === 'MemoryPressure')!.reason, 'NodeStatusUnknown');
  assert.deepEqual(out.find((c) => c.type === 'DiskPressure'), {
    type: 'DiskPressure',
    status: 'Unknown',
    reason: 'NodeStatusNeverUpdated',
    message: 'Kubelet never posted node status.',
    lastHeartbeatTime: at(T0 - 5000),
    lastTransitionTime: at(now),
  });
  assert.equal(out.length, 4);
  // Already Unknown: nothing to write, and the transition time stays.
  assert.equal(silentNodeConditions(out, at(T0 - 5000), now + 30_000), undefined);
});

test('taints follow the conditions: added with timeAdded, removed when healthy, others left alone', () => {
  const now = T0 + 1000;
  const cond = (type: string, status: string): NodeCondition => ({ type, status });
  const custom: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const unreachable: Taint[] = [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at(T0 - 5000) },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(T0 - 5000) },
  ];
  const cases: Array<[string, Parameters<typeof desiredTaints>[0], Taint[] | undefined]> = [
    ['healthy, no taints: nothing to do', { status: { conditions: [cond('Ready', 'True')] } }, undefined],
    [
      'Ready Unknown: unreachable NoSchedule and NoExecute',
      { spec: { taints: [custom] }, status: { conditions: [cond('Ready', 'Unknown')] } },
      [custom, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at(now) }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(now) }],
    ],
    ['Ready Unknown, taints already there: kept with their times', { spec: { taints: unreachable }, status: { conditions: [cond('Ready', 'Unknown')] } }, undefined],
    [
      'Unknown turned False: unreachable swapped for not-ready',
      { spec: { taints: unreachable }, status: { conditions: [cond('Ready', 'False')] } },
      [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule', timeAdded: at(now) }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: at(now) }],
    ],
    ['back to Ready: the controller taints go, others stay', { spec: { taints: [...unreachable, custom] }, status: { conditions: [cond('Ready', 'True')] } }, [custom]],
    [
      'pressure and cordon: their NoSchedule taints',
      { spec: { unschedulable: true }, status: { conditions: [cond('Ready', 'True'), cond('MemoryPressure', 'True'), cond('DiskPressure', 'False')] } },
      [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule', timeAdded: at(now) }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: at(now) }],
    ],
    [
      'a user taint with a managed key but another effect is not the controller\'s',
      { spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'PreferNoSchedule' }] }, status: { conditions: [cond('Ready', 'True')] } },
      undefined,
    ],
  ];
  for (const [what, node, expected] of cases) assert.deepEqual(desiredTaints(node, now), expected, what);
});

test('taint eviction: at once when untolerated, after the shortest tolerationSeconds, never when tolerated for ever', () => {
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
  const tol = (key: string | undefined, seconds?: number, extra: Partial<Toleration> = {}): Toleration => ({
    ...(key ? { key } : {}),
    operator: 'Exists',
    effect: 'NoExecute',
    ...(seconds === undefined ? {} : { tolerationSeconds: seconds }),
    ...extra,
  });
  const defaults = [tol(notReady.key, 300), tol(unreachable.key, 300)];
  const cases: Array<[string, Taint[], Toleration[] | undefined, number | undefined]> = [
    ['no taints', [], defaults, undefined],
    ['only NoSchedule taints', [{ key: 'x', effect: 'NoSchedule' }], [], undefined],
    ['no tolerations at all', [unreachable], undefined, 0],
    ['the default 300 s', [unreachable], defaults, 300],
    ['tolerationSeconds 0', [unreachable], [tol(unreachable.key, 0)], 0],
    ['negative counts as 0', [unreachable], [tol(unreachable.key, -5)], 0],
    ['without tolerationSeconds: for ever', [unreachable], [tol(unreachable.key)], undefined],
    ['one taint untolerated among several', [unreachable, { key: 'other', effect: 'NoExecute' }], defaults, 0],
    ['the shortest of the tolerations used', [unreachable, notReady], [tol(notReady.key, 30), tol(unreachable.key, 60)], 30],
    ['the first toleration that matches a taint is the one used', [unreachable], [tol(undefined), tol(unreachable.key, 10)], undefined],
    ['Equal needs the value', [{ key: 'k', value: 'v', effect: 'NoExecute' }], [{ key: 'k', operator: 'Equal', value: 'w', effect: 'NoExecute' }], 0],
  ];
  for (const [what, taints, tolerations, expected] of cases) assert.equal(evictionDelaySeconds(taints, tolerations), expected, what);
});

test('pod GC: pods on vanished nodes once confirmed, terminating pods on out-of-service nodes that are not Ready', () => {
  const outOfService = { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }], conditions: [{ type: 'Ready', status: 'Unknown' }] };
  const cases: Array<[string, Parameters<typeof podGcVerdict>, ReturnType<typeof podGcVerdict>]> = [
    ['unbound pod', [{ terminating: false }, undefined], { action: 'keep' }],
    ['node missing from the cache: confirm first', [{ nodeName: 'n', terminating: false }, undefined], { action: 'confirm-node-gone' }],
    ['node confirmed gone', [{ nodeName: 'n', terminating: false }, undefined, true], { action: 'delete', reason: 'orphaned' }],
    ['terminating on a dead node without the taint: left to wait', [{ nodeName: 'n', terminating: true }, { conditions: [{ type: 'Ready', status: 'Unknown' }] }], { action: 'keep' }],
    ['terminating on an out-of-service node', [{ nodeName: 'n', terminating: true }, outOfService], { action: 'delete', reason: 'out-of-service' }],
    ['running on an out-of-service node: the taint manager evicts it first', [{ nodeName: 'n', terminating: false }, outOfService], { action: 'keep' }],
    [
      'out-of-service but Ready: the agent finishes it',
      [{ nodeName: 'n', terminating: true }, { ...outOfService, conditions: [{ type: 'Ready', status: 'True' }] }],
      { action: 'keep' },
    ],
  ];
  for (const [what, args, expected] of cases) assert.deepEqual(podGcVerdict(...args), expected, what);
});

test('controllers against the registry (fake clock): a silent node goes Unknown and tainted, its pods evicted on time, the taints go when it is back', async () => {
  const { Informer } = await import('../../src/api/informer.js');
  const { findByKind } = await import('../../src/api/resources.js');
  const { NodeLifecycleController } = await import('../../src/apiserver/controllers/node-lifecycle/node-lifecycle-controller.js');
  const { TaintEvictionController } = await import('../../src/apiserver/controllers/node-lifecycle/taint-eviction-controller.js');
  const { PodsByNode } = await import('../../src/apiserver/controllers/node-lifecycle/pods-by-node.js');
  const { inProcessRegistry } = await import('../helpers/in-process-registry.js');
  const [NODES, PODS, LEASES, NAMESPACES] = ['Node', 'Pod', 'Lease', 'Namespace'].map((k) => findByKind(k)!);
  const { registry, client, done } = inProcessRegistry();
  registry.create(NAMESPACES, undefined, { metadata: { name: 'kube-node-lease' } });
  let clock = Date.now();
  const now = () => clock;
  const ready = (status: string, heartbeat: number) => ({ type: 'Ready', status, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at(heartbeat), lastTransitionTime: at(heartbeat) });
  registry.create(NODES, undefined, { metadata: { name: 'node-a' }, status: { conditions: [ready('True', clock)] } });
  registry.create(LEASES, 'kube-node-lease', { metadata: { name: 'node-a' }, spec: { holderIdentity: 'node-a', leaseDurationSeconds: 40, renewTime: iso(clock) } });
  const pod = (name: string, tolerations?: Toleration[]) =>
    registry.create(PODS, 'default', { metadata: { name }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox:1.35' }], ...(tolerations ? { tolerations } : {}) } });
  pod('quick', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]);
  pod('patient', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
  pod('stubborn', [{ operator: 'Exists' }]);
  const [nodes, leases, pods] = [NODES, LEASES, PODS].map((r) => new Informer(client, r));
  const byNode = new PodsByNode(pods);
  const lifecycle = new NodeLifecycleController(client, nodes, leases, pods, byNode, { gracePeriodMs: 40_000, now }, () => {});
  const eviction = new TaintEvictionController(client, pods, nodes, byNode, () => {}, now);
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 50));
    for (const inf of [nodes, leases, pods]) await inf.hasSynced();
  };
  // The queues also sync on informer events; a direct sync that loses the race gets a Conflict, as
  // the queue's would, and is simply run again once the caches caught up.
  const run = async (sync: () => Promise<void>) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await sync();
      } catch (err) {
        if ((err as { reason?: string }).reason !== 'Conflict' || attempt > 5) throw err;
        await settle();
      }
    }
  };
  const terminating = (name: string) => !!registry.get(PODS, 'default', name).metadata.deletionTimestamp;
  try {
    for (const inf of [nodes, leases, pods]) inf.start();
    await settle();
    assert.equal(registry.get(NODES, undefined, 'node-a').spec?.taints, undefined, 'a fresh node is left alone');

    clock += 39_000;
    await run(() => lifecycle.sync('node-a'));
    assert.equal(registry.get(NODES, undefined, 'node-a').status.conditions[0].status, 'True', 'still within the grace period');

    clock += 2000;
    await run(() => lifecycle.sync('node-a'));
    const node = registry.get(NODES, undefined, 'node-a');
    assert.deepEqual(
      node.status.conditions.map((c: NodeCondition) => [c.type, c.status, c.reason, c.message]),
      [
        ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
        ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
        ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
        ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ],
    );
    assert.deepEqual(node.spec.taints.map((t: Taint) => `${t.key}:${t.effect}:${t.timeAdded === at(clock)}`), [
      'node.kubernetes.io/unreachable:NoSchedule:true',
      'node.kubernetes.io/unreachable:NoExecute:true',
    ]);
    await settle();
    for (const name of ['quick', 'patient', 'stubborn']) await run(() => eviction.sync(`default/${name}`));
    assert.deepEqual(['quick', 'patient', 'stubborn'].map(terminating), [true, false, false], 'tolerationSeconds 0 goes at once');
    const quick = registry.get(PODS, 'default', 'quick');
    assert.equal(quick.status.conditions.find((c: any) => c.type === 'DisruptionTarget').reason, 'DeletionByTaintManager');

    clock += 299_000;
    await run(() => eviction.sync('default/patient'));
    assert.equal(terminating('patient'), false, 'not before its 300 s');
    clock += 1000;
    await run(() => eviction.sync('default/patient'));
    assert.equal(terminating('patient'), true, 'after its 300 s');
    assert.equal(terminating('stubborn'), false, 'a toleration without seconds tolerates for ever');

    // The agent is back: lease renewed, Ready posted.
    const lease = registry.get(LEASES, 'kube-node-lease', 'node-a');
    registry.update(LEASES, 'kube-node-lease', 'node-a', { ...lease, spec: { ...lease.spec, renewTime: iso(clock) } });
    const back = registry.get(NODES, undefined, 'node-a');
    registry.update(NODES, undefined, 'node-a', { ...back, status: { conditions: [ready('True', clock)] } }, { subresource: 'status' });
    await settle();
    await run(() => lifecycle.sync('node-a'));
    assert.equal(registry.get(NODES, undefined, 'node-a').spec.taints, undefined, 'the taints are gone');
  } finally {
    lifecycle.queue.stop();
    eviction.queue.stop();
    for (const inf of [nodes, leases, pods]) inf.stop();
    done();
  }
});
