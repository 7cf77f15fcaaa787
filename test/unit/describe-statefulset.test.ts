import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { describerFor } from '../../src/cli/describe/index.js';

test("describe statefulset prints kubectl's lines: replicas, update strategy, pods status, claim templates", () => {
  const sts: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', creationTimestamp: '2026-11-23T10:48:00Z' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
    status: { replicas: 2 },
  };
  const pod = (name: string, phase: string): KubeObject => ({ kind: 'Pod', metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true }] }, status: { phase } });
  const out = describerFor('StatefulSet').describe(sts, { now: new Date('2026-11-23T10:53:00Z'), events: [], related: { pods: [pod('web-0', 'Running'), pod('web-1', 'Pending')] } });
  assert.match(out, /^Name:\s+web\n/);
  assert.match(out, /\nReplicas:\s+3 desired \| 2 total\n/);
  assert.match(out, /\nUpdate Strategy:\s+RollingUpdate\n  Partition:\s+0\n/);
  assert.match(out, /\nPods Status:\s+1 Running \/ 1 Waiting \/ 0 Succeeded \/ 0 Failed\n/);
  assert.match(out, /\nVolume Claims:\n  Name:\s+data\n  StorageClass:\s*\n  Labels:\s+<none>\n  Annotations:\s+<none>\n  Capacity:\s+1Gi\n  Access Modes:\s+\[ReadWriteOnce\]\n/);
});
