import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from '../../src/apiserver/scheduler/node-info.js';
import { NODE_GROUP_LABEL, formatNodeGroup, parseNodeGroup } from '../../src/api/node-groups.js';
import { planScaleUp, triggeredMessage, type GroupState } from '../../src/apiserver/controllers/cluster-autoscaler/scale-up-planner.js';
import { planScaleDown } from '../../src/apiserver/controllers/cluster-autoscaler/scale-down-planner.js';
import { statusText } from '../../src/apiserver/controllers/cluster-autoscaler/autoscaler-status.js';
import { parse } from 'yaml';
import { node, pod } from '../helpers/builders.js';

/** A node of one cpu and 1Gi unless told, in node group GROUP when given. */
function groupNode(name: string, group?: string, cpu = '1'): Node {
  return node(name, { allocatable: { cpu, memory: '1Gi' }, labels: group ? { [NODE_GROUP_LABEL]: group } : {} }) as Node;
}

let seq = 0;
/** Pod pN asking for cpu, replicated by a ReplicaSet (a DaemonSet with daemonSet, nothing unless owned). */
function requesting(cpu: string, extra: { owned?: boolean; nodeSelector?: Record<string, string>; daemonSet?: boolean; annotations?: Record<string, string> } = {}): Pod {
  seq++;
  return pod(`p${seq}`, {
    metadata: { namespace: 'default', uid: `u${seq}`, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    ...((extra.owned ?? true) ? { owner: { apiVersion: 'apps/v1', kind: extra.daemonSet ? 'DaemonSet' : 'ReplicaSet', name: 'rs', uid: 'rs' } } : {}),
    requests: { cpu },
    spec: extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {},
  }) as Pod;
}

function info(n: Node, pods: Pod[] = []): NodeInfo {
  const i = new NodeInfo(n);
  for (const p of pods) i.addPod(`default/${p.metadata!.name}`, { ...p, spec: { ...p.spec!, nodeName: n.metadata!.name } });
  return i;
}

function group(text: string, target: number, registered = target, model?: NodeInfo): GroupState {
  return { spec: parseNodeGroup(text), target, registered, ready: registered, ...(model ? { model } : {}) };
}

describe('node group specs', () => {
  test('NAME=MIN:MAX[:TEMPLATE] parses, formats back, and refuses what is wrong', () => {
    const g = parseNodeGroup('big=0:3:hollow,cpu=4,memory=8Gi,pods=20');
    assert.deepEqual(g, { name: 'big', min: 0, max: 3, template: { kind: 'hollow', cpu: '4', memory: '8Gi', pods: 20 } });
    assert.deepEqual(parseNodeGroup(formatNodeGroup(g)), g);
    assert.equal(parseNodeGroup('w=1:5', 'machine').template.kind, 'machine');
    for (const bad of ['w', 'w=1', 'w=3:2', 'w=0:0', 'W=1:2', 'w=1:2:vm', 'w=1:2:agent,cpu=-1', 'w=1:2:agent,disk=1', 'w=a:2']) {
      assert.throws(() => parseNodeGroup(bad), /node group/, bad);
    }
  });
});

describe('scale-up planner', () => {
  const full = () => info(groupNode('n1', 'g'), [requesting('1')]);

  test('pending pods get as few new nodes as hold them (binpacking), and are told which group grows', () => {
    const pending = [requesting('500m'), requesting('500m'), requesting('500m')];
    const plan = planScaleUp(pending, [full()], [group('g=1:5:agent,cpu=1,memory=1Gi', 1)]);
    assert.deepEqual(plan.scaleUp && { group: plan.scaleUp.group, from: plan.scaleUp.from, to: plan.scaleUp.to }, { group: 'g', from: 1, to: 3 });
    assert.equal(plan.scaleUp!.pods.length, 3);
    assert.equal(triggeredMessage(plan.scaleUp!), 'pod triggered scale-up: [{g 1->3 (max: 5)}]');
    assert.equal(plan.notTriggered.size, 0);
  });

  test('never past the maximum; a group at its maximum says so', () => {
    const pending = Array.from({ length: 10 }, () => requesting('1'));
    const plan = planScaleUp(pending, [full()], [group('g=1:4:agent,cpu=1', 1)]);
    assert.equal(plan.scaleUp!.to, 4);
    assert.equal(plan.scaleUp!.pods.length, 3);
    assert.deepEqual(new Set(plan.notTriggered.values()), new Set(["pod didn't trigger scale-up: 1 max node group size reached"]));
    assert.equal(plan.notTriggered.size, 7);
    const atMax = planScaleUp([requesting('1')], [full()], [group('g=1:1:agent,cpu=1', 1)]);
    assert.equal(atMax.scaleUp, undefined);
    assert.deepEqual([...atMax.notTriggered.values()], ["pod didn't trigger scale-up: 1 max node group size reached"]);
  });

  test('a pod that would not fit on a new node is told why, per group', () => {
    const tooBig = requesting('3');
    const picky = requesting('100m', { nodeSelector: { disk: 'ssd' } });
    const plan = planScaleUp([tooBig, picky], [full()], [group('a=1:3:agent,cpu=2', 1), group('b=0:3:agent,cpu=2', 0)]);
    assert.equal(plan.scaleUp, undefined);
    assert.equal(plan.notTriggered.get(`default/${tooBig.metadata!.name}`), "pod didn't trigger scale-up: 2 Insufficient cpu");
    assert.equal(plan.notTriggered.get(`default/${picky.metadata!.name}`), "pod didn't trigger scale-up: 2 node(s) didn't match Pod's node affinity/selector");
  });

  test('nodes asked for and not Ready yet take pending pods: no second scale-up for them', () => {
    const plan = planScaleUp([requesting('500m'), requesting('500m')], [full()], [group('g=1:5:agent,cpu=1', 2, 1)]);
    assert.equal(plan.scaleUp, undefined);
    assert.equal(plan.fitExisting.length, 2);
  });

  test('a Ready node of the group is the model: its capacity and its DaemonSet pods', () => {
    const model = info(groupNode('n1', 'g', '2'), [requesting('1', { daemonSet: true }), requesting('1')]);
    // The template says 8 cores, the model 2 with 1 taken by its DaemonSet pod: one 1-core pod per new node.
    const plan = planScaleUp([requesting('1'), requesting('1')], [model], [group('g=1:5:agent,cpu=8', 1, 1, model)]);
    assert.equal(plan.scaleUp!.to, 3);
  });

  test('the option helping more pods wins, then the one wasting less', () => {
    const pending = [requesting('1'), requesting('1')];
    const plan = planScaleUp(pending, [full()], [group('small=0:5:agent,cpu=1', 0), group('large=0:5:agent,cpu=8', 0)]);
    assert.equal(plan.scaleUp!.group, 'small');
    const capped = planScaleUp(pending, [full()], [group('small=0:1:agent,cpu=1', 0), group('large=0:5:agent,cpu=2', 0)]);
    assert.equal(capped.scaleUp!.group, 'large');
  });
});

describe('scale-down planner', () => {
  const groups = new Map([['g', { target: 2, min: 1 }]]);
  const base = { groups, now: 1_000_000, unneededTimeMs: 600_000, threshold: 0.5 };

  test('a node under half used whose pods fit elsewhere is unneeded, and goes once it has been for the delay', () => {
    const busy = info(groupNode('a', 'g'), [requesting('600m')]);
    const idle = info(groupNode('b', 'g'), [requesting('200m')]);
    const first = planScaleDown({ ...base, nodes: [busy, idle], unneededSince: new Map() });
    assert.deepEqual([...first.unneededSince], [['b', 1_000_000]]);
    assert.equal(first.remove, undefined);
    const later = planScaleDown({ ...base, nodes: [busy, idle], unneededSince: first.unneededSince, now: 1_600_000 });
    assert.equal(later.remove?.node, 'b');
    assert.equal(later.remove?.pods.length, 1);
  });

  test('never below the minimum', () => {
    const idle = info(groupNode('b', 'g'));
    const other = info(groupNode('a'));
    const plan = planScaleDown({ ...base, groups: new Map([['g', { target: 1, min: 1 }]]), nodes: [other, idle], unneededSince: new Map([['b', 0]]) });
    assert.equal(plan.remove, undefined);
    assert.match(plan.blocked.get('b')!, /minimum size/);
  });

  test('kept: pods that fit nowhere else, pods with no controller, pods not safe to evict, nodes over the threshold', () => {
    const cases: Array<[Pod[], RegExp]> = [
      [[requesting('400m')], /fits on no other node/],
      [[requesting('100m', { owned: false })], /not replicated/],
      [[requesting('100m', { annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' } })], /not safe to evict/],
      [[requesting('600m')], /requests use 60%/],
    ];
    for (const [pods, why] of cases) {
      const full = info(groupNode('a', 'g'), [requesting('700m')]);
      const candidate = info(groupNode('b', 'g'), pods);
      const plan = planScaleDown({ ...base, nodes: [full, candidate], unneededSince: new Map() });
      assert.equal(plan.unneededSince.has('b'), false);
      assert.match(plan.blocked.get('b')!, why);
    }
  });

  test('two idle nodes cannot both count on the same free room', () => {
    const room = info(groupNode('a', 'g'), [requesting('400m')]);
    const b = info(groupNode('b', 'g'), [requesting('400m')]);
    const c = info(groupNode('c', 'g'), [requesting('400m')]);
    const plan = planScaleDown({ ...base, groups: new Map([['g', { target: 3, min: 0 }]]), nodes: [room, b, c], unneededSince: new Map() });
    assert.equal(plan.unneededSince.size, 1);
  });

  test('DaemonSet pods stay with the node and do not keep it', () => {
    const other = info(groupNode('a', 'g'));
    const b = info(groupNode('b', 'g'), [requesting('100m', { daemonSet: true })]);
    const plan = planScaleDown({ ...base, nodes: [other, b], unneededSince: new Map([['b', 0], ['a', 0]]) });
    assert.deepEqual(plan.remove && { node: plan.remove.node, pods: plan.remove.pods.length }, { node: 'a', pods: 0 });
  });
});

describe('status ConfigMap', () => {
  test("is cluster-autoscaler's YAML layout, transition times kept while a status holds", () => {
    const times = new Map();
    const g = { name: 'g', registered: { total: 2, ready: 2, notStarted: 0 }, unregistered: 1, target: 3, min: 1, max: 5, scaleUpInProgress: true, scaleDownCandidates: 0 };
    const first = parse(statusText({ groups: [g], cluster: { total: 3, ready: 3, notStarted: 0 } }, times, 't1'));
    assert.equal(first.autoscalerStatus, 'Running');
    assert.equal(first.clusterWide.scaleUp.status, 'InProgress');
    assert.deepEqual(first.nodeGroups[0].health.nodeCounts.registered, { total: 2, ready: 2, notStarted: 0 });
    assert.equal(first.nodeGroups[0].health.cloudProviderTarget, 3);
    const second = parse(statusText({ groups: [{ ...g, scaleUpInProgress: false }], cluster: { total: 3, ready: 3, notStarted: 0 } }, times, 't2'));
    assert.equal(second.clusterWide.health.lastTransitionTime, 't1');
    assert.equal(second.clusterWide.scaleUp.lastTransitionTime, 't2');
  });
});
