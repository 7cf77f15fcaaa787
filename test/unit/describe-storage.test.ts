import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { localPathStorageClass } from '../../src/api/storage.js';
import { describerFor } from '../../src/cli/describe/index.js';

const now = new Date('2026-11-23T10:53:00Z');

test("describe pv prints kubectl's lines: finalizers, claim, access modes, node affinity terms, hostPath source", () => {
  const pv: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pvc-1', finalizers: ['kubernetes.io/pv-protection'], annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'local-path',
      volumeMode: 'Filesystem',
      hostPath: { path: '/var/lib/kctl/volumes/pvc-1', type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } },
      claimRef: { namespace: 'default', name: 'data' },
    },
    status: { phase: 'Bound' },
  };
  const out = describerFor('PersistentVolume').describe(pv, { now, events: [], related: {} });
  assert.equal(
    out,
    [
      'Name:              pvc-1',
      'Labels:            <none>',
      'Annotations:       pv.kubernetes.io/provisioned-by: rancher.io/local-path',
      'Finalizers:        [kubernetes.io/pv-protection]',
      'StorageClass:      local-path',
      'Status:            Bound',
      'Claim:             default/data',
      'Reclaim Policy:    Delete',
      'Access Modes:      RWO',
      'VolumeMode:        Filesystem',
      'Capacity:          1Gi',
      'Node Affinity:     ',
      '  Required Terms:  ',
      '    Term 0:        kubernetes.io/hostname in [node-1]',
      'Message:           ',
      'Source:',
      '    Type:          HostPath (bare host directory volume)',
      '    Path:          /var/lib/kctl/volumes/pvc-1',
      '    HostPathType:  DirectoryOrCreate',
      'Events:            <none>',
      '',
    ].join('\n'),
  );
});

test("describe pvc prints kubectl's lines, with the pods that use it; an unbound claim shows no capacity", () => {
  const pvc: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default', finalizers: ['kubernetes.io/pvc-protection'] },
    spec: { storageClassName: 'local-path', volumeName: 'pvc-1', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
    status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
  };
  const pod = (name: string, claim: string): KubeObject => ({ kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] } });
  const out = describerFor('PersistentVolumeClaim').describe(pvc, { now, events: [], related: { pods: [pod('web-1', 'data'), pod('other', 'x'), pod('web-0', 'data')] } });
  assert.match(out, /^Name:\s+data\nNamespace:\s+default\nStorageClass:\s+local-path\nStatus:\s+Bound\nVolume:\s+pvc-1\nLabels:\s+<none>\nAnnotations:\s+<none>\nFinalizers:\s+\[kubernetes.io\/pvc-protection\]\nCapacity:\s+1Gi\nAccess Modes:\s+RWO\nVolumeMode:\s+Filesystem\nUsed By:\s+web-0\n\s+web-1\nEvents:\s+<none>\n$/);
  const pending = { ...pvc, spec: { ...pvc.spec, volumeName: undefined }, status: { phase: 'Pending' } };
  assert.match(describerFor('PersistentVolumeClaim').describe(pending, { now, events: [], related: {} }), /\nCapacity:\s+\nAccess Modes:\s+\nVolumeMode:\s+Filesystem\nUsed By:\s+<none>\n/);
});

test("describe storageclass prints kubectl's lines", () => {
  const out = describerFor('StorageClass').describe(localPathStorageClass(), { now, events: [], related: {} });
  assert.match(
    out,
    /^Name:\s+local-path\nIsDefaultClass:\s+Yes\nAnnotations:\s+storageclass.kubernetes.io\/is-default-class=true\nProvisioner:\s+rancher.io\/local-path\nParameters:\s+<none>\nAllowVolumeExpansion:\s+<unset>\nMountOptions:\s+<none>\nReclaimPolicy:\s+Delete\nVolumeBindingMode:\s+WaitForFirstConsumer\nEvents:\s+<none>\n$/,
  );
});
