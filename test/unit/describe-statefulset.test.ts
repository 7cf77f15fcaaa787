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

test("describe daemonset prints kubectl's lines: selectors, the five node counts, pods status, template", () => {
  const ds: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system', uid: 'u2', labels: { app: 'agent' } },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'worker' }, containers: [{ name: 'c', image: 'busybox:1.35' }] } },
    },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 1, numberMisscheduled: 0, numberReady: 1 },
  };
  const pod = (name: string, phase: string): KubeObject => ({ kind: 'Pod', metadata: { name, namespace: 'kube-system', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u2', controller: true }] }, status: { phase } });
  const out = describerFor('DaemonSet').describe(ds, { now: new Date('2026-11-23T10:53:00Z'), events: [], related: { pods: [pod('agent-a', 'Running'), pod('agent-b', 'Failed')] } });
  assert.match(out, /^Name:\s+agent\nNamespace:\s+kube-system\nSelector:\s+app=agent\nNode-Selector:\s+role=worker\nLabels:\s+app=agent\n/);
  assert.match(out, /\nDesired Number of Nodes Scheduled: 3\nCurrent Number of Nodes Scheduled: 3\nNumber of Nodes Scheduled with Up-to-date Pods: 2\nNumber of Nodes Scheduled with Available Pods: 1\nNumber of Nodes Misscheduled: 0\nPods Status:\s+1 Running \/ 0 Waiting \/ 0 Succeeded \/ 1 Failed\nPod Template:\n/);
  assert.match(out, /\n    Image:\s+busybox:1\.35\n/);
  assert.match(out, /\nEvents:\s+<none>\n$/);
});
