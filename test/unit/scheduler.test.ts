import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/types.js';
import { NodeInfo } from '../../src/apiserver/scheduler/node-info.js';
import { numFeasibleNodesToFind, pickBest, preFilter, schedulePod, unschedulableMessage } from '../../src/apiserver/scheduler/schedule-one.js';
import { SchedulerCache } from '../../src/apiserver/scheduler/scheduler-cache.js';
import { backoffMs } from '../../src/apiserver/scheduler/scheduling-queue.js';
import { podRequests } from '../../src/apiserver/scheduler/resources.js';
import { node, pod, type PodOptions } from '../helpers/builders.js';

let seq = 0;
// Pods p1, p2... in the default namespace: the scheduler's cache tells pods apart by name and uid.
const numberedPod = (o: PodOptions = {}): Pod => pod(`p${++seq}`, { ...o, metadata: { namespace: 'default', uid: `u${seq}`, ...o.metadata } }) as Pod;

function infos(nodes: KubeObject[], bound: Array<[string, Pod]> = []): NodeInfo[] {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n as Node);
  for (const [n, p] of bound) cache.addPod(`default/${p.metadata!.name}`, p, n);
  return cache.list() as NodeInfo[];
}

const decide = (p: Pod, nodes: NodeInfo[], antiAffinityPods = 0) => schedulePod(p, { nodes, antiAffinityPods, random: () => 0.99 });

describe('filters, table-driven: the Unschedulable message', () => {
  const cases: Array<{ name: string; nodes: NodeInfo[]; pod: Pod; message: string }> = [
    {
      name: 'resources: requests above what is left',
      nodes: infos([node('a', { allocatable: { cpu: '1' } }), node('b', { allocatable: { cpu: '1' } }), node('c', { allocatable: { memory: '100Mi' } })], [['a', numberedPod({ requests: { cpu: '800m' } })], ['b', numberedPod({ requests: { cpu: '900m' } })]]),
      pod: numberedPod({ requests: { cpu: '500m', memory: '200Mi' } }),
      message: '0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    },
    {
      name: 'resources: every insufficient resource of a node is counted, as kube-scheduler does',
      nodes: infos([node('a', { allocatable: { cpu: '1', memory: '1Gi' } }), node('b', { allocatable: { cpu: '1', memory: '1Gi' } }), node('c', { allocatable: { cpu: '1', memory: '1Gi' } })]),
      pod: numberedPod({ requests: { cpu: '2', memory: '2Gi' } }),
      message: '0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory.',
    },
    {
      name: 'resources: too many pods beside insufficient cpu on one node',
      nodes: infos([node('a', { allocatable: { cpu: '1', pods: '1' } }), node('b', { allocatable: { cpu: '4' } })], [['a', numberedPod({ requests: { cpu: '500m' } })], ['b', numberedPod({ requests: { cpu: '4' } })]]),
      pod: numberedPod({ requests: { cpu: '600m' } }),
      message: '0/2 nodes are available: 1 Too many pods, 2 Insufficient cpu.',
    },
    {
      name: 'too many pods',
      nodes: infos([node('a', { allocatable: { pods: '1' } })], [['a', numberedPod()]]),
      pod: numberedPod(),
      message: '0/1 nodes are available: 1 Too many pods.',
    },
    {
      name: 'taints, cordoned, not ready',
      nodes: infos([
        node('a', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
        node('b', { unschedulable: true }),
        node('c', { ready: 'Unknown' }),
      ]),
      pod: numberedPod(),
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable.',
    },
    {
      name: 'node selector and required node affinity',
      nodes: infos([node('a', { labels: { disk: 'hdd' } }), node('b', { labels: { disk: 'ssd', zone: 'z1' } })]),
      pod: numberedPod({ spec: {
        nodeSelector: { disk: 'ssd' },
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] }] } } },
      } }),
      message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
    },
    {
      name: 'host ports',
      nodes: infos([node('a')], [['a', numberedPod({ container: { ports: [{ containerPort: 80, hostPort: 8080 }] } })]]),
      pod: numberedPod({ container: { ports: [{ containerPort: 80, hostPort: 8080 }] } }),
      message: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.",
    },
    {
      name: 'pod anti-affinity by hostname',
      nodes: infos([node('a'), node('b')], [['a', numberedPod({ labels: { app: 'db' } })], ['b', numberedPod({ labels: { app: 'db' } })]]),
      pod: numberedPod({ spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } }, labels: { app: 'db' } }),
      message: "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.",
    },
    {
      name: 'a pod naming another node',
      nodes: infos([node('a'), node('b')]),
      pod: numberedPod({ node: 'c' }),
      message: "0/2 nodes are available: 2 node(s) didn't match the requested node name.",
    },
    {
      name: 'required pod affinity with no matching pod, the pod not matching itself',
      nodes: infos([node('a')], [['a', numberedPod({ labels: { app: 'other' } })]]),
      pod: numberedPod({ spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } } }),
      message: "0/1 nodes are available: 1 node(s) didn't match pod affinity rules.",
    },
    {
      name: "a running pod's anti-affinity",
      nodes: infos([node('a')], [['a', numberedPod({ spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } } })]]),
      pod: numberedPod({ labels: { app: 'web' } }),
      message: "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.",
    },
    {
      name: 'topology spread: the skew would exceed maxSkew, a node without the key',
      nodes: infos([node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' }, allocatable: { cpu: '0' } }), node('c')], [['a', numberedPod({ labels: { app: 'web' } })]]),
      pod: numberedPod({ requests: { cpu: '100m' }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] }, labels: { app: 'web' } }),
      message:
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints, 1 node(s) didn't match pod topology spread constraints (missing required label).",
    },
    { name: 'no nodes at all', nodes: [], pod: numberedPod(), message: 'no nodes available to schedule pods' },
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
    assert.equal(decide(numberedPod({ spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } }), nodes).node, 'a');
    assert.equal(decide(numberedPod({ spec: { tolerations: [{ operator: 'Exists' }] } }), nodes).node, 'a');
    assert.equal(decide(numberedPod({ spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }] } }), nodes).node, undefined);
  });

  test('least allocated: the emptier node wins', () => {
    const nodes = infos([node('a'), node('b')], [['a', numberedPod({ requests: { cpu: '1', memory: '2Gi' } })]]);
    assert.equal(decide(numberedPod({ requests: { cpu: '100m' } }), nodes).node, 'b');
  });

  test('preferred node affinity and PreferNoSchedule taints steer the choice', () => {
    const nodes = infos([node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' } })]);
    const prefer = { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] } }] } } };
    assert.equal(decide(numberedPod({ spec: prefer }), nodes).node, 'b');
    const tainted = infos([node('a'), node('b', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] })]);
    assert.equal(decide(numberedPod(), tainted).node, 'a');
  });

  test('pods of one owner spread across nodes', () => {
    const owner = { owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs1' } };
    const nodes = infos([node('a'), node('b')], [['a', numberedPod(owner)], ['a', numberedPod(owner)]]);
    assert.equal(decide(numberedPod(owner), nodes).node, 'b');
  });

  test('required pod affinity: beside a matching pod; the first of a group may go anywhere', () => {
    const term = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] };
    const nodes = infos([node('a'), node('b')], [['b', numberedPod({ labels: { app: 'web' } })]]);
    assert.equal(decide(numberedPod({ spec: { affinity: { podAffinity: term } } }), nodes).node, 'b');
    const empty = infos([node('a')]);
    assert.equal(decide(numberedPod({ spec: { affinity: { podAffinity: term } }, labels: { app: 'web' } }), empty).node, 'a');
    assert.equal(decide(numberedPod({ spec: { affinity: { podAffinity: term } }, labels: { app: 'other' } }), empty).node, undefined);
  });

  test("an existing pod's anti-affinity keeps matching pods away from it", () => {
    const guard = numberedPod({ spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { noisy: 'yes' } } }] } } } });
    const nodes = infos([node('a'), node('b')], [['a', guard]]);
    for (let i = 0; i < 5; i++) assert.equal(decide(numberedPod({ labels: { noisy: 'yes' } }), nodes, 1).node, 'b');
  });

  test('topology spread DoNotSchedule keeps the skew within maxSkew', () => {
    const labels = { app: 'web' };
    const nodes = infos(
      [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' } }), node('c')],
      [['a', numberedPod({ labels })], ['a', numberedPod({ labels })]],
    );
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } }] };
    assert.equal(decide(numberedPod({ spec: spread, labels }), nodes).node, 'b');
    const only = infos([node('a', { labels: { zone: 'z1' } }), node('c')], []);
    const r = decide(numberedPod({ spec: { ...spread, nodeName: undefined }, labels }), infos([node('c')]));
    assert.match((r as { message: string }).message, /missing required label/);
    assert.equal(decide(numberedPod({ spec: spread, labels }), only).node, 'a');
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
    assert.deepEqual(names(numberedPod({ requests: { cpu: '100m' } })), everyPod);
  });

  test('each thing a pod asks for brings its filter back', () => {
    assert.deepEqual(names(numberedPod({ spec: { nodeSelector: { zone: 'z1' } } })), ['NodeUnschedulable', 'NodeReady', 'TaintToleration', 'NodeAffinity', 'NodeResourcesFit']);
    assert.deepEqual(names(numberedPod({ node: 'a' })), ['NodeUnschedulable', 'NodeName', 'NodeReady', 'TaintToleration', 'NodeResourcesFit']);
    assert.deepEqual(names(numberedPod({ container: { ports: [{ containerPort: 80, hostPort: 8080 }] } })), [...everyPod.slice(0, 3), 'NodePorts', 'NodeResourcesFit']);
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
    assert.deepEqual(names(numberedPod({ spec: spread })), [...everyPod, 'PodTopologySpread']);
    const antiAffinity = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } };
    assert.deepEqual(names(numberedPod({ spec: antiAffinity })), [...everyPod, 'InterPodAffinity']);
  });

  test("a running pod's required anti-affinity keeps InterPodAffinity on for every pod", () => {
    assert.deepEqual(names(numberedPod(), 1), [...everyPod, 'InterPodAffinity']);
  });
});

test('the best score wins; a tie goes to one of the tied nodes, each as likely, with one draw', () => {
  assert.equal(pickBest([3, 7, 1], () => 0.5), 1);
  const totals = [3, 5, 1, 5, 5];
  assert.deepEqual([0, 0.34, 0.67, 0.999].map((r) => pickBest(totals, () => r)), [1, 3, 4, 4]);
  let draws = 0;
  pickBest(totals, () => (draws++, 0));
  assert.equal(draws, 1);
});

test('requests: the sum of containers, or the largest init container if more, plus one pod slot', () => {
  const p = numberedPod({ requests: { cpu: '200m', memory: '64Mi' }, spec: { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1', memory: '1Mi' } } }] } });
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
