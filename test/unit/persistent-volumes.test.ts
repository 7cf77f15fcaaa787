import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/types.js';
import { defaultClass, localPathStorageClass } from '../../src/api/storage.js';
import { columnsFor } from '../../src/api/printers/columns.js';
import { admitCreate } from '../../src/apiserver/registry/admission.js';
import { findByKind } from '../../src/api/resources.js';
import { bestMatch, mismatch } from '../../src/apiserver/controllers/persistentvolume/volume-matching.js';
import { NodeInfo } from '../../src/apiserver/scheduler/node-info.js';
import { schedulePod } from '../../src/apiserver/scheduler/schedule-one.js';
import type { VolumeLookup } from '../../src/apiserver/scheduler/framework.js';

function pv(name: string, opts: { size?: string; modes?: string[]; cls?: string; labels?: Record<string, string>; claimRef?: object; phase?: string; node?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: opts.labels ?? {} },
    spec: {
      capacity: { storage: opts.size ?? '1Gi' },
      accessModes: opts.modes ?? ['ReadWriteOnce'],
      storageClassName: opts.cls ?? 'manual',
      hostPath: { path: `/tmp/${name}` },
      ...(opts.claimRef ? { claimRef: opts.claimRef } : {}),
      ...(opts.node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [opts.node] }] }] } } } : {}),
    },
    status: { phase: opts.phase ?? 'Available' },
  };
}

function pvc(spec: Record<string, any> = {}, name = 'data'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'manual', ...spec },
  };
}

describe('binding claims to volumes', () => {
  test('the smallest volume that fits wins', () => {
    const volumes = [pv('big', { size: '10Gi' }), pv('small', { size: '2Gi' }), pv('tiny', { size: '500Mi' })];
    assert.equal(bestMatch(pvc(), volumes)?.metadata.name, 'small');
  });

  test('class, access modes, selector and capacity must all match', () => {
    assert.equal(mismatch(pv('a', { cls: 'fast' }), pvc()), 'storage class differs');
    assert.equal(mismatch(pv('a'), pvc({ accessModes: ['ReadWriteMany'] })), 'access mode ReadWriteMany not offered');
    assert.equal(mismatch(pv('a', { modes: ['ReadWriteOnce', 'ReadOnlyMany'] }), pvc({ accessModes: ['ReadOnlyMany'] })), undefined);
    assert.equal(mismatch(pv('a', { size: '1Mi' }), pvc()), 'capacity too small');
    assert.equal(mismatch(pv('a', { labels: { tier: 'db' } }), pvc({ selector: { matchLabels: { tier: 'web' } } })), 'selector does not match');
    assert.equal(mismatch(pv('a', { labels: { tier: 'db' } }), pvc({ selector: { matchLabels: { tier: 'db' } } })), undefined);
    assert.equal(bestMatch(pvc({ storageClassName: '' }), [pv('a')]), undefined, '"" binds only volumes without a class');
  });

  test('a volume claimed by another claim, or Released, is not taken', () => {
    const other = { namespace: 'default', name: 'other', uid: 'uid-other' };
    assert.equal(bestMatch(pvc(), [pv('a', { claimRef: other }), pv('b', { phase: 'Released' })]), undefined);
  });

  test('a volume pre-bound to the claim wins, and a claim naming a volume gets only that one', () => {
    const volumes = [pv('small'), pv('mine', { size: '5Gi', claimRef: { namespace: 'default', name: 'data' } })];
    assert.equal(bestMatch(pvc(), volumes)?.metadata.name, 'mine');
    assert.equal(bestMatch(pvc({ volumeName: 'small' }), [pv('other'), pv('small')])?.metadata.name, 'small');
    assert.equal(bestMatch(pvc({ volumeName: 'gone' }), [pv('other')]), undefined);
  });
});

describe('storage admission', () => {
  const PVCS = findByKind('PersistentVolumeClaim')!;
  const classes = () => [{ ...localPathStorageClass(), metadata: { ...localPathStorageClass().metadata, creationTimestamp: '2026-01-01T00:00:00Z' } }];

  test('a claim without a class gets the default one and the pvc-protection finalizer', () => {
    const claim = pvc({ storageClassName: undefined });
    admitCreate(PVCS, claim, { storageClasses: classes });
    assert.equal(claim.spec.storageClassName, 'local-path');
    assert.deepEqual(claim.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  });

  test('a claim naming a class, or "", keeps it', () => {
    const none = pvc({ storageClassName: '' });
    admitCreate(PVCS, none, { storageClasses: classes });
    assert.equal(none.spec.storageClassName, '');
  });

  test('of several default classes the newest wins', () => {
    const older = { ...localPathStorageClass(), metadata: { name: 'a', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' }, creationTimestamp: '2026-01-01T00:00:00Z' } };
    const newer = { ...older, metadata: { ...older.metadata, name: 'b', creationTimestamp: '2026-02-01T00:00:00Z' } };
    const plain = { ...older, metadata: { name: 'c', creationTimestamp: '2026-03-01T00:00:00Z' } };
    assert.equal(defaultClass([older, newer, plain])?.metadata.name, 'b');
  });
});

describe('VolumeBinding scheduling', () => {
  function node(name: string): NodeInfo {
    return new NodeInfo({
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: {},
      status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    } as Node);
  }
  const pod = {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
  } as Pod;
  function lookup(claims: KubeObject[], volumes: KubeObject[]): VolumeLookup {
    return {
      claim: (ns, name) => claims.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
      volume: (name) => volumes.find((v) => v.metadata.name === name),
      storageClass: (name) => (name === 'local-path' ? localPathStorageClass() : { metadata: { name }, provisioner: 'x', volumeBindingMode: 'Immediate' }),
    };
  }
  const nodes = [node('node-1'), node('node-2'), node('node-3')];

  test('a pod follows its bound volume to the volume node', () => {
    for (let i = 0; i < 5; i++) {
      const r = schedulePod(pod, { nodes, antiAffinityPods: 0, volumes: lookup([pvc({ volumeName: 'v' })], [pv('v', { node: 'node-2' })]) });
      assert.equal(r.node, 'node-2');
    }
  });

  test('a missing claim or an unbound Immediate claim keeps the pod pending; an unbound WaitForFirstConsumer one does not', () => {
    const missing = schedulePod(pod, { nodes, antiAffinityPods: 0, volumes: lookup([], []) });
    assert.equal(missing.node, undefined);
    assert.match((missing as { message: string }).message, /persistentvolumeclaim "data" not found/);
    const immediate = schedulePod(pod, { nodes, antiAffinityPods: 0, volumes: lookup([pvc()], []) });
    assert.match((immediate as { message: string }).message, /pod has unbound immediate PersistentVolumeClaims/);
    const wffc = schedulePod(pod, { nodes, antiAffinityPods: 0, volumes: lookup([pvc({ storageClassName: 'local-path' })], []) });
    assert.ok(wffc.node);
  });

  test('a volume on a node that is not there leaves the pod unschedulable with the conflict', () => {
    const r = schedulePod(pod, { nodes, antiAffinityPods: 0, volumes: lookup([pvc({ volumeName: 'v' })], [pv('v', { node: 'gone' })]) });
    assert.match((r as { message: string }).message, /3 node\(s\) had volume node affinity conflict/);
  });
});

describe('VolumeRestrictions scheduling', () => {
  function node(name: string, pods: Pod[] = []): NodeInfo {
    const info = new NodeInfo({
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: {},
      status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    } as Node);
    for (const p of pods) info.addPod(`${p.metadata!.namespace}/${p.metadata!.name}`, p);
    return info;
  }
  const using = (name: string, claim = 'data') =>
    ({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] } }) as Pod;
  const lookup = (claim: KubeObject): VolumeLookup => ({ claim: (_ns, name) => (name === claim.metadata.name ? claim : undefined), volume: () => pv('v'), storageClass: () => undefined });

  test('a ReadWriteOnce claim in use on one node keeps a second pod off the others', () => {
    const nodes = [node('node-1'), node('node-2', [using('first')]), node('node-3')];
    for (let i = 0; i < 5; i++) assert.equal(schedulePod(using('second'), { nodes, antiAffinityPods: 0, volumes: lookup(pvc({ volumeName: 'v' })) }).node, 'node-2');
    const full = [node('node-1'), node('node-2', [using('first')])];
    full[1].allocatable.pods = 1;
    const r = schedulePod(using('second'), { nodes: full, antiAffinityPods: 0, volumes: lookup(pvc({ volumeName: 'v' })) });
    assert.equal(r.node, undefined);
    assert.match((r as { message: string }).message, /1 node\(s\) cannot mount a ReadWriteOnce PersistentVolumeClaim in use by a pod on another node/);
    // ReadWriteMany is shared freely, and the pod itself (rescheduled) is no conflict.
    assert.ok(schedulePod(using('second'), { nodes: full, antiAffinityPods: 0, volumes: lookup(pvc({ volumeName: 'v', accessModes: ['ReadWriteMany'] })) }).node);
  });

  test('a ReadWriteOncePod claim in use keeps a second pod off every node, in kube-scheduler\'s words', () => {
    const nodes = [node('node-1'), node('node-2', [using('first')])];
    const r = schedulePod(using('second'), { nodes, antiAffinityPods: 0, volumes: lookup(pvc({ volumeName: 'v', accessModes: ['ReadWriteOncePod'] })) });
    assert.equal((r as { message: string }).message, '0/2 nodes are available: 2 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode.');
    assert.ok(schedulePod(using('second', 'other'), { nodes, antiAffinityPods: 0, volumes: lookup(pvc({ volumeName: 'v', accessModes: ['ReadWriteOncePod'] }, 'other')) }).node);
  });
});

describe('storage columns', () => {
  const now = new Date('2026-01-01T00:10:00Z');
  const created = '2026-01-01T00:00:00Z';

  test('a bound claim, its volume and the default class print as kubectl shows them', () => {
    const claim = pvc({ volumeName: 'pvc-1', storageClassName: 'local-path' });
    claim.metadata.creationTimestamp = created;
    claim.status = { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] };
    assert.deepEqual(columnsFor('', 'PersistentVolumeClaim').cells(claim, now), ['data', 'Bound', 'pvc-1', '1Gi', 'RWO', 'local-path', '<unset>', '10m', '<unset>']);
    const volume = pv('pvc-1', { cls: 'local-path', modes: ['ReadWriteMany', 'ReadWriteOnce'], claimRef: { namespace: 'default', name: 'data' }, phase: 'Bound' });
    volume.metadata.creationTimestamp = created;
    volume.spec.persistentVolumeReclaimPolicy = 'Delete';
    assert.deepEqual(columnsFor('', 'PersistentVolume').cells(volume, now).slice(0, 9), ['pvc-1', '1Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data', 'local-path', '<unset>', '']);
    const sc = { ...localPathStorageClass(), metadata: { ...localPathStorageClass().metadata, creationTimestamp: created } };
    assert.deepEqual(columnsFor('storage.k8s.io', 'StorageClass').cells(sc, now), ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', 'false', '10m']);
  });

  test('a pending claim shows no capacity; a deleted one is Terminating', () => {
    const claim = pvc();
    claim.status = { phase: 'Pending' };
    claim.metadata.deletionTimestamp = created;
    const cells = columnsFor('', 'PersistentVolumeClaim').cells(claim, now);
    assert.deepEqual(cells.slice(0, 5), ['data', 'Terminating', '', '', '']);
  });
});
