import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from '../../src/api/patch/strategic-merge.js';
import { patchMetaFor } from '../../src/api/patch/patch-merge-keys.js';
import { ApiError } from '../../src/api/errors.js';
import type { JsonObject } from '../../src/api/patch/merge-patch.js';

const podSpec = (spec: JsonObject) => ({ spec: { template: { spec } } });

interface Case {
  name: string;
  kind: string;
  original: JsonObject;
  patch: JsonObject;
  expected: JsonObject;
}

const cases: Case[] = [
  {
    // The example of the Kubernetes docs "Update API Objects in Place Using kubectl patch".
    name: 'a new container is merged by name and lands first',
    kind: 'Deployment',
    original: podSpec({ containers: [{ name: 'patch-demo-ctr', image: 'nginx' }] }),
    patch: podSpec({ containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] }),
    expected: podSpec({
      containers: [
        { name: 'patch-demo-ctr-2', image: 'redis' },
        { name: 'patch-demo-ctr', image: 'nginx' },
      ],
    }),
  },
  {
    name: 'tolerations have no merge key and are replaced',
    kind: 'Deployment',
    original: podSpec({ tolerations: [{ key: 'dedicated', value: 'test-team', effect: 'NoSchedule' }] }),
    patch: podSpec({ tolerations: [{ key: 'disktype', value: 'ssd', effect: 'NoSchedule' }] }),
    expected: podSpec({ tolerations: [{ key: 'disktype', value: 'ssd', effect: 'NoSchedule' }] }),
  },
  {
    name: 'a changed container merges field by field; env by name, ports by containerPort, volumeMounts by mountPath',
    kind: 'Pod',
    original: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            args: ['a', 'b'],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            volumeMounts: [{ mountPath: '/data', name: 'data' }],
          },
          { name: 'sidecar', image: 'sidecar:1' },
        ],
      },
    },
    patch: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:2',
            args: ['c'],
            env: [{ name: 'B', value: '3' }],
            ports: [{ containerPort: 443 }],
            volumeMounts: [{ mountPath: '/data', readOnly: true }],
          },
        ],
      },
    },
    expected: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:2',
            args: ['c'],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '3' },
            ],
            ports: [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }],
            volumeMounts: [{ mountPath: '/data', name: 'data', readOnly: true }],
          },
          { name: 'sidecar', image: 'sidecar:1' },
        ],
      },
    },
  },
  {
    name: '$patch: delete removes a keyed item; null removes a field',
    kind: 'Pod',
    original: {
      metadata: { labels: { app: 'web', old: 'x' } },
      spec: {
        containers: [
          { name: 'a', image: 'a' },
          { name: 'b', image: 'b' },
        ],
      },
    },
    patch: { metadata: { labels: { old: null, missing: null } }, spec: { containers: [{ name: 'a', $patch: 'delete' }] } },
    expected: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'b', image: 'b' }] } },
  },
  {
    name: '$patch: replace in a list replaces the whole list',
    kind: 'Pod',
    original: { spec: { containers: [{ name: 'a', image: 'a', ports: [{ containerPort: 1 }] }] } },
    patch: { spec: { containers: [{ name: 'b', image: 'b' }, { $patch: 'replace' }] } },
    expected: { spec: { containers: [{ name: 'b', image: 'b' }] } },
  },
  {
    name: '$patch: replace on a map takes the map literally',
    kind: 'Pod',
    original: { metadata: { labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { $patch: 'replace', c: '3' } } },
    expected: { metadata: { labels: { c: '3' } } },
  },
  {
    name: '$patch: delete on a map empties it, as in Kubernetes',
    kind: 'Deployment',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { rollingUpdate: { $patch: 'delete' } } } },
    expected: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: {} } } },
  },
  {
    name: 'finalizers merge as a set; $deleteFromPrimitiveList removes values',
    kind: 'ConfigMap',
    original: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { finalizers: ['d', 'a'], '$deleteFromPrimitiveList/finalizers': ['b'] } },
    expected: { metadata: { finalizers: ['d', 'a', 'c'] } },
  },
  {
    name: '$deleteFromPrimitiveList on an absent list does nothing',
    kind: 'ConfigMap',
    original: { metadata: { name: 'x' } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    expected: { metadata: { name: 'x' } },
  },
  {
    name: '$setElementOrder reorders a primitive list',
    kind: 'ConfigMap',
    original: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['b', 'c', 'a'] } },
    expected: { metadata: { finalizers: ['b', 'c', 'a'] } },
  },
  {
    name: '$setElementOrder orders a keyed list; items only the server has keep their place',
    kind: 'Deployment',
    original: podSpec({
      containers: [
        { name: 'a', image: 'a' },
        { name: 'x', image: 'server-only' },
        { name: 'b', image: 'b' },
      ],
    }),
    patch: podSpec({
      '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }, { name: 'a' }],
      containers: [{ name: 'c', image: 'c' }],
    }),
    // x was before b on the server, so it stays before b.
    expected: podSpec({
      containers: [
        { name: 'x', image: 'server-only' },
        { name: 'b', image: 'b' },
        { name: 'c', image: 'c' },
        { name: 'a', image: 'a' },
      ],
    }),
  },
  {
    name: '$retainKeys clears fields of a union that are not listed',
    kind: 'Deployment',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expected: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: 'volumes merge by name; a volume item may carry $retainKeys to switch its source',
    kind: 'Pod',
    original: { spec: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] } },
    patch: { spec: { volumes: [{ name: 'data', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/srv' } }] } },
    expected: { spec: { volumes: [{ name: 'data', hostPath: { path: '/srv' } }, { name: 'cfg', configMap: { name: 'c' } }] } },
  },
  {
    name: 'service ports merge by port',
    kind: 'Service',
    original: { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    patch: { spec: { ports: [{ port: 80, name: 'http' }] } },
    expected: { spec: { ports: [{ port: 80, targetPort: 8080, name: 'http' }] } },
  },
  {
    name: 'node taints are replaced',
    kind: 'Node',
    original: { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } },
    patch: { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } },
    expected: { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } },
  },
  {
    name: 'ownerReferences merge by uid; conditions by type',
    kind: 'ReplicaSet',
    original: {
      metadata: { ownerReferences: [{ uid: '1', name: 'a', kind: 'Deployment' }] },
      status: { conditions: [{ type: 'ReplicaFailure', status: 'True' }] },
    },
    patch: {
      metadata: { ownerReferences: [{ uid: '1', controller: true }] },
      status: { conditions: [{ type: 'ReplicaFailure', status: 'False' }] },
    },
    expected: {
      metadata: { ownerReferences: [{ uid: '1', name: 'a', kind: 'Deployment', controller: true }] },
      status: { conditions: [{ type: 'ReplicaFailure', status: 'False' }] },
    },
  },
  {
    name: "a CronJob's pod template is found under spec.jobTemplate",
    kind: 'CronJob',
    original: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'a' }] } } } } } },
    patch: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'a2' }] } } } } } },
    expected: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'a2' }] } } } } } },
  },
  {
    name: 'kinds without merge keys replace their lists (Endpoints subsets)',
    kind: 'Endpoints',
    original: { subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] },
    patch: { subsets: [{ addresses: [{ ip: '10.0.0.2' }] }] },
    expected: { subsets: [{ addresses: [{ ip: '10.0.0.2' }] }] },
  },
  {
    name: 'directives and nulls never reach the result, even in new fields',
    kind: 'Deployment',
    original: { metadata: { name: 'web' } },
    patch: {
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }],
            containers: [{ name: 'a', image: 'a', env: [{ name: 'X', value: '1' }, { name: 'Y', $patch: 'delete' }] }],
            '$deleteFromPrimitiveList/x': ['y'],
          },
        },
      },
      metadata: { '$setElementOrder/finalizers': ['f'], finalizers: ['f'], labels: { a: null } },
    },
    expected: {
      metadata: { name: 'web', finalizers: ['f'], labels: {} },
      spec: { strategy: { type: 'Recreate' }, template: { spec: { containers: [{ name: 'a', image: 'a', env: [{ name: 'X', value: '1' }] }] } } },
    },
  },
  {
    name: 'a value of another type replaces the original',
    kind: 'ConfigMap',
    original: { data: { a: '1' }, x: [1], y: 'z' },
    patch: { data: 'flat', x: { k: 'v' }, y: [1] },
    expected: { data: 'flat', x: { k: 'v' }, y: [1] },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const original = structuredClone(c.original);
    const patch = structuredClone(c.patch);
    assert.deepEqual(applyStrategicMergePatch(original, patch, c.kind), c.expected);
    assert.deepEqual(original, c.original, 'original untouched');
    assert.deepEqual(patch, c.patch, 'patch untouched');
  });
}

// Cases from Kubernetes' strategicpatch tests, `mergingList` mapped to pod containers and
// `mergingIntList` to finalizers.
const containers = (items: JsonObject[]) => ({ spec: { containers: items } });
const finalizers = (items: number[]) => ({ metadata: { finalizers: items } });
const kubernetesFixtures: [string, JsonObject, JsonObject, JsonObject][] = [
  [
    'preserve the order from the patch in a merging list',
    containers([{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }]),
    containers([{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }]),
    containers([{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, value: 'b', other: 'x' }]),
  ],
  [
    'preserve the order from the patch in a merging list 2',
    containers([{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }]),
    containers([{ name: 3, value: 'c' }, { name: 1, value: 'a' }]),
    containers([{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }]),
  ],
  ['preserve the order from the patch in a merging int list', finalizers([1, 2, 3]), finalizers([3, 1]), finalizers([2, 3, 1])],
  [
    '$setElementOrder contains item that is not present in the list to be merged',
    containers([{ name: 1 }, { name: 3 }]),
    { spec: { '$setElementOrder/containers': [{ name: 3 }, { name: 2 }, { name: 1 }], containers: [{ name: 3, value: 3 }, { name: 1, value: 1 }] } },
    containers([{ name: 3, value: 3 }, { name: 1, value: 1 }]),
  ],
  [
    '$setElementOrder contains item that is not present in the int list to be merged',
    finalizers([1, 3]),
    { metadata: { '$setElementOrder/finalizers': [3, 2, 1] } },
    finalizers([3, 1]),
  ],
  ['delete all items from merging list', containers([{ name: 1 }, { name: 2 }]), containers([{ $patch: 'replace' }]), containers([])],
  ['delete all keys from map', { name: 1, value: 1 }, { $patch: 'replace' }, {}],
  ['add key and delete all keys from map', { name: 1, value: 1 }, { other: 'a', $patch: 'replace' }, { other: 'a' }],
];

for (const [name, original, patch, expected] of kubernetesFixtures) {
  test(`Kubernetes fixture: ${name}`, () => {
    assert.deepEqual(applyStrategicMergePatch(original, patch, 'Pod'), expected);
  });
}

test('malformed patches are rejected with Kubernetes reasons', () => {
  const pod = { spec: { containers: [{ name: 'a' }], volumes: [{ name: 'v', emptyDir: {} }] }, metadata: { labels: { a: 'b' } } };
  const cases: [unknown, number, string][] = [
    [['x'], 400, 'invalid JSON document'],
    [{ spec: { containers: [{ name: 'a', $patch: 'merge' }] } }, 400, 'merging lists cannot yet be specified in the patch'],
    [{ metadata: { labels: { $patch: 'merge' } } }, 400, 'unknown patch type: merge in map: {"$patch":"merge"}'],
    [{ spec: { containers: [{ image: 'x' }] } }, 400, 'map: {"image":"x"} does not contain declared merge key: name'],
    [{ spec: { containers: [{ $patch: 'delete' }] } }, 400, 'map: {"$patch":"delete"} does not contain declared merge key: name'],
    [{ spec: { containers: ['a'] } }, 400, 'list element types are not identical: [{"name":"a"},"a"]'],
    [{ metadata: { '$deleteFromPrimitiveList/finalizers': 'x' } }, 400, 'invalid patch format of primitive list'],
    [{ spec: { '$setElementOrder/containers': 'x' } }, 400, 'invalid patch format of setElementOrder list'],
    [{ spec: { $retainKeys: 'x' } }, 400, 'invalid patch format of retainKeys'],
    [{ spec: { $retainKeys: ['volumes'], containers: [] } }, 422, "patch content doesn't match retainKeys list"],
    [
      { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a' }, { name: 'b' }] } },
      400,
      'The order in patch list:\n[{"name":"a"},{"name":"b"}]\n doesn\'t match $setElementOrder list:\n[{"name":"b"},{"name":"a"}]\n',
    ],
  ];
  for (const [patch, code, message] of cases) {
    assert.throws(
      () => applyStrategicMergePatch(pod, patch, 'Pod'),
      (e: unknown) => e instanceof ApiError && e.code === code && e.message === message,
      message,
    );
  }
});

test('a null patch changes nothing', () => {
  assert.deepEqual(applyStrategicMergePatch({ a: 1 }, null, 'Pod'), { a: 1 });
});

test('merge key table', () => {
  const cases: [string, string, object][] = [
    ['Pod', 'spec.containers', { merge: true, mergeKey: 'name' }],
    ['Pod', 'spec.initContainers.env', { merge: true, mergeKey: 'name' }],
    ['Pod', 'spec.ephemeralContainers.volumeDevices', { merge: true, mergeKey: 'devicePath' }],
    ['Pod', 'spec.containers.ports', { merge: true, mergeKey: 'containerPort' }],
    ['Pod', 'spec.containers.volumeMounts', { merge: true, mergeKey: 'mountPath' }],
    ['Pod', 'spec.volumes', { merge: true, mergeKey: 'name', retainKeys: true }],
    ['Pod', 'spec.imagePullSecrets', { merge: true, mergeKey: 'name' }],
    ['Pod', 'spec.hostAliases', { merge: true, mergeKey: 'ip' }],
    ['Pod', 'spec.topologySpreadConstraints', { merge: true, mergeKey: 'topologyKey' }],
    ['Pod', 'spec.resourceClaims', { merge: true, mergeKey: 'name', retainKeys: true }],
    ['Pod', 'spec.tolerations', {}],
    ['Pod', 'status.conditions', { merge: true, mergeKey: 'type' }],
    ['Pod', 'status.podIPs', { merge: true, mergeKey: 'ip' }],
    ['Pod', 'metadata.finalizers', { merge: true }],
    ['Pod', 'metadata.ownerReferences', { merge: true, mergeKey: 'uid' }],
    ['Deployment', 'spec.template.spec.containers', { merge: true, mergeKey: 'name' }],
    ['Deployment', 'spec.template.metadata.finalizers', { merge: true }],
    ['Deployment', 'spec.strategy', { retainKeys: true }],
    ['Deployment', 'spec.containers', {}],
    ['ReplicaSet', 'spec.template.spec.volumes', { merge: true, mergeKey: 'name', retainKeys: true }],
    ['ReplicationController', 'spec.template.spec.containers.env', { merge: true, mergeKey: 'name' }],
    ['Job', 'spec.template.spec.initContainers', { merge: true, mergeKey: 'name' }],
    ['DaemonSet', 'spec.template.spec.containers', { merge: true, mergeKey: 'name' }],
    ['StatefulSet', 'spec.template.spec.volumes', { merge: true, mergeKey: 'name', retainKeys: true }],
    ['StatefulSet', 'status.conditions', { merge: true, mergeKey: 'type' }],
    ['Job', 'status.conditions', { merge: true, mergeKey: 'type' }],
    ['CronJob', 'spec.jobTemplate.spec.template.spec.containers', { merge: true, mergeKey: 'name' }],
    ['Service', 'spec.ports', { merge: true, mergeKey: 'port' }],
    ['Node', 'spec.taints', {}],
    ['Node', 'status.addresses', { merge: true, mergeKey: 'type' }],
    ['Endpoints', 'subsets', {}],
    ['ServiceAccount', 'secrets', { merge: true, mergeKey: 'name' }],
    ['HorizontalPodAutoscaler', 'status.conditions', { merge: true, mergeKey: 'type' }],
    ['SomethingUnknown', 'metadata.finalizers', { merge: true }],
    ['SomethingUnknown', 'spec.containers', {}],
  ];
  for (const [kind, path, meta] of cases) {
    assert.deepEqual(patchMetaFor(kind, path.split('.')), meta, `${kind} ${path}`);
  }
});
