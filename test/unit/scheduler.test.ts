import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from '../../src/apiserver/scheduler/node-info.js';
import { numFeasibleNodesToFind, preFilter, schedulePod, unschedulableMessage } from '../../src/apiserver/scheduler/schedule-one.js';
import { SchedulerCache } from '../../src/apiserver/scheduler/scheduler-cache.js';
import { backoffMs } from '../../src/apiserver/scheduler/scheduling-queue.js';
import { podRequests } from '../../src/apiserver/scheduler/resources.js';

function node(name: string, opts: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: any[]; unschedulable?: boolean; ready?: string } = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: opts.cpu ?? '2', memory: opts.memory ?? '4Gi', pods: opts.pods ?? '110' },
      conditions: [{ type: 'Ready', status: opts.ready ?? 'True' }],
    },
  } as Node;
}

let seq = 0;
function pod(spec: Record<string, any> = {}, meta: Record<string, any> = {}): Pod {
  const { cpu, memory, ports, ...rest } = spec;
  return {
    metadata: { name: `p${++seq}`, namespace: 'default', uid: `u${seq}`, ...meta },
    spec: {
      containers: [{ name: 'c', image: 'busybox', ...(cpu || memory ? { resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } } : {}), ...(ports ? { ports } : {}) }],
      ...rest,
    },
  } as Pod;
}

function infos(nodes: Node[], bound: Array<[string, Pod]> = []): NodeInfo[] {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const [n, p] of bound) cache.addPod(`default/${p.metadata!.name}`, p, n);
  return cache.list() as NodeInfo[];
}

const decide = (p: Pod, nodes: NodeInfo[], antiAffinityPods = 0) => schedulePod(p, { nodes, antiAffinityPods, random: () => 0.99 });

describe('filters, table-driven: the Unschedulable message', () => {
  const cases: Array<{ name: string; nodes: NodeInfo[]; pod: Pod; message: string }> = [
    {
      name: 'resources: requests above what is left',
      nodes: infos([node('a', { cpu: '1' }), node('b', { cpu: '1' }), node('c', { memory: '100Mi' })], [['a', pod({ cpu: '800m' })], ['b', pod({ cpu: '900m' })]]),
      pod: pod({ cpu: '500m', memory: '200Mi' }),
      message: '0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    },
    {
      name: 'resources: every insufficient resource of a node is counted, as kube-scheduler does',
      nodes: infos([node('a', { cpu: '1', memory: '1Gi' }), node('b', { cpu: '1', memory: '1Gi' }), node('c', { cpu: '1', memory: '1Gi' })]),
      pod: pod({ cpu: '2', memory: '2Gi' }),
      message: '0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory.',
    },
    {
      name: 'resources: too many pods beside insufficient cpu on one node',
      nodes: infos([node('a', { cpu: '1', pods: '1' }), node('b', { cpu: '4' })], [['a', pod({ cpu: '500m' })], ['b', pod({ cpu: '4' })]]),
      pod: pod({ cpu: '600m' }),
      message: '0/2 nodes are available: 1 Too many pods, 2 Insufficient cpu.',
    },
    {
      name: 'too many pods',
      nodes: infos([node('a', { pods: '1' })], [['a', pod()]]),
      pod: pod(),
      message: '0/1 nodes are available: 1 Too many pods.',
    },
    {
      name: 'taints, cordoned, not ready',
      nodes: infos([
        node('a', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
        node('b', { unschedulable: true }),
        node('c', { ready: 'Unknown' }),
      ]),
      pod: pod(),
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable.',
    },
    {
      name: 'node selector and required node affinity',
      nodes: infos([node('a', { labels: { disk: 'hdd' } }), node('b', { labels: { disk: 'ssd', zone: 'z1' } })]),
      pod: pod({
        nodeSelector: { disk: 'ssd' },
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] }] } } },
      }),
      message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
    },
    {
      name: 'host ports',
      nodes: infos([node('a')], [['a', pod({ ports: [{ containerPort: 80, hostPort: 8080 }] })]]),
      pod: pod({ ports: [{ containerPort: 80, hostPort: 8080 }] }),
      message: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.",
    },
    {
      name: 'pod anti-affinity by hostname',
      nodes: infos([node('a'), node('b')], [['a', pod({}, { labels: { app: 'db' } })], ['b', pod({}, { labels: { app: 'db' } })]]),
      pod: pod(
        { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } },
        { labels: { app: 'db' } },
      ),
      message: "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.",
    },
    {
      name: 'a pod naming another node',
      nodes: infos([node('a'), node('b')]),
      pod: pod({ nodeName: 'c' }),
      message: "0/2 nodes are available: 2 node(s) didn't match the requested node name.",
    },
    {
      name: 'required pod affinity with no matching pod, the pod not matching itself',
      nodes: infos([node('a')], [['a', pod({}, { labels: { app: 'other' } })]]),
      pod: pod({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } }),
      message: "0/1 nodes are available: 1 node(s) didn't match pod affinity rules.",
    },
    {
      name: "a running pod's anti-affinity",
      nodes: infos([node('a')], [['a', pod({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } })]]),
      pod: pod({}, { labels: { app: 'web' } }),
      message: "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.",
    },
    {
      name: 'topology spread: the skew would exceed maxSkew, a node without the key',
      nodes: infos([node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' }, cpu: '0' }), node('c')], [['a', pod({}, { labels: { app: 'web' } })]]),
      pod: pod(
        { cpu: '100m', topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] },
        { labels: { app: 'web' } },
      ),
      message:
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints, 1 node(s) didn't match pod topology spread constraints (missing required label).",
    },
    { name: 'no nodes at all', nodes: [], pod: pod(), message: 'no nodes available to schedule pods' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const antiAffinityPods = c.nodes.flatMap((n) => [...n.pods.values()]).filter((p) => p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).length;
      const r = decide(c.pod, c.nodes, antiAffinityPods);
      assert.equal(r.node, undefined);
      assert.equal((r as { message: string }).message, c.message);
    });
  }
});

describe('choices', () => {
  test('a toleration lets a pod onto a tainted node; an Exists toleration with no key tolerates everything', () => {
    const nodes = infos([node('a', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })]);
    assert.equal(decide(pod({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }), nodes).node, 'a');
    assert.equal(decide(pod({ tolerations: [{ operator: 'Exists' }] }), nodes).node, 'a');
    assert.equal(decide(pod({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }] }), nodes).node, undefined);
  });

  test('least allocated: the emptier node wins', () => {
    const nodes = infos([node('a'), node('b')], [['a', pod({ cpu: '1', memory: '2Gi' })]]);
    assert.equal(decide(pod({ cpu: '100m' }), nodes).node, 'b');
  });

  test('preferred node affinity and PreferNoSchedule taints steer the choice', () => {
    const nodes = infos([node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' } })]);
    const prefer = { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] } }] } } };
    assert.equal(decide(pod(prefer), nodes).node, 'b');
    const tainted = infos([node('a'), node('b', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] })]);
    assert.equal(decide(pod(), tainted).node, 'a');
  });

  test('pods of one owner spread across nodes', () => {
    const owner = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs1', controller: true }] };
    const nodes = infos([node('a'), node('b')], [['a', pod({}, owner)], ['a', pod({}, owner)]]);
    assert.equal(decide(pod({}, owner), nodes).node, 'b');
  });

  test('required pod affinity: beside a matching pod; the first of a group may go anywhere', () => {
    const term = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] };
    const nodes = infos([node('a'), node('b')], [['b', pod({}, { labels: { app: 'web' } })]]);
    assert.equal(decide(pod({ affinity: { podAffinity: term } }), nodes).node, 'b');
    const empty = infos([node('a')]);
    assert.equal(decide(pod({ affinity: { podAffinity: term } }, { labels: { app: 'web' } }), empty).node, 'a');
    assert.equal(decide(pod({ affinity: { podAffinity: term } }, { labels: { app: 'other' } }), empty).node, undefined);
  });

  test("an existing pod's anti-affinity keeps matching pods away from it", () => {
    const guard = pod(
      { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { noisy: 'yes' } } }] } } },
    );
    const nodes = infos([node('a'), node('b')], [['a', guard]]);
    for (let i = 0; i < 5; i++) assert.equal(decide(pod({}, { labels: { noisy: 'yes' } }), nodes, 1).node, 'b');
  });

  test('topology spread DoNotSchedule keeps the skew within maxSkew', () => {
    const labels = { app: 'web' };
    const nodes = infos(
      [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' } }), node('c')],
      [['a', pod({}, { labels })], ['a', pod({}, { labels })]],
    );
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } }] };
    assert.equal(decide(pod(spread, { labels }), nodes).node, 'b');
    const only = infos([node('a', { labels: { zone: 'z1' } }), node('c')], []);
    const r = decide(pod({ ...spread, nodeName: undefined }, { labels }), infos([node('c')]));
    assert.match((r as { message: string }).message, /missing required label/);
    assert.equal(decide(pod(spread, { labels }), only).node, 'a');
  });
});

describe('skipped plugins (Skip): only the filters that can tell nodes apart run for a pod', () => {
  const names = (p: Pod, antiAffinityPods = 0) => {
    const filters = preFilter(p, { nodes: infos([node('a')]), antiAffinityPods, state: new Map() });
    assert.ok(Array.isArray(filters));
    return filters.map((f) => f.name);
  };
  const everyPod = ['NodeUnschedulable', 'NodeReady', 'TaintToleration', 'NodeResourcesFit'];

  test('a pod asking for nothing particular: the node checks every pod needs', () => {
    assert.deepEqual(names(pod({ cpu: '100m' })), everyPod);
  });

  test('each thing a pod asks for brings its filter back', () => {
    assert.deepEqual(names(pod({ nodeSelector: { zone: 'z1' } })), ['NodeUnschedulable', 'NodeReady', 'TaintToleration', 'NodeAffinity', 'NodeResourcesFit']);
    assert.deepEqual(names(pod({ nodeName: 'a' })), ['NodeUnschedulable', 'NodeName', 'NodeReady', 'TaintToleration', 'NodeResourcesFit']);
    assert.deepEqual(names(pod({ ports: [{ containerPort: 80, hostPort: 8080 }] })), [...everyPod.slice(0, 3), 'NodePorts', 'NodeResourcesFit']);
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
    assert.deepEqual(names(pod(spread)), [...everyPod, 'PodTopologySpread']);
    const antiAffinity = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } };
    assert.deepEqual(names(pod(antiAffinity)), [...everyPod, 'InterPodAffinity']);
  });

  test("a running pod's required anti-affinity keeps InterPodAffinity on for every pod", () => {
    assert.deepEqual(names(pod(), 1), [...everyPod, 'InterPodAffinity']);
  });
});

test('requests: the sum of containers, or the largest init container if more, plus one pod slot', () => {
  const p = pod({ cpu: '200m', memory: '64Mi', initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1', memory: '1Mi' } } }] });
  assert.deepEqual(podRequests(p), { milliCPU: 1000, memory: 64 * 1024 * 1024, ephemeralStorage: 0, pods: 1 });
});

test("large clusters: only part of the nodes is searched, as kube-scheduler's percentageOfNodesToScore", () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(200), 100);
});

test('the message lists reasons sorted as strings, as Kubernetes does; back-off doubles to 10 s', () => {
  assert.equal(unschedulableMessage(3, new Map([['Insufficient cpu', 2], ['node(s) were unschedulable', 1]])), '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.');
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(backoffMs), [1000, 2000, 4000, 8000, 10000, 10000]);
});
