import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiClient } from '../../src/api/client.js';
import { ApiError } from '../../src/api/errors.js';
import type { KubeObject } from '../../src/api/types.js';
import {
  nodeConditions,
  reconcileExistingNode,
  registrationNode,
  statusChanged,
  type NodeDescription,
  type RuntimeState,
} from '../../src/nodeagent/node-object.js';
import { NodeStatusReporter } from '../../src/nodeagent/node-status-reporter.js';
import { NodeLeaseRenewer, nodeLease } from '../../src/nodeagent/node-lease.js';
import { nodeReadiness } from '../../src/cli/cluster/wait-for-nodes.js';

const T0 = new Date('2025-01-01T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const UP: RuntimeState = { ok: true, version: '20.10.24' };
const DOWN: RuntimeState = { ok: false, error: 'no Docker engine answers on /var/run/docker.sock' };

const NODE: NodeDescription = {
  name: 'node-1',
  labels: { disk: 'ssd' },
  taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
  capacity: { cpu: '1', memory: '1024Ki', pods: '55', 'ephemeral-storage': '2048Ki' },
  machine: { osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', architecture: 'amd64', machineID: 'm', systemUUID: 'u', bootID: 'b' },
};

test("conditions carry the kubelet's reasons; Docker down makes Ready False with its error", () => {
  const up = nodeConditions(UP, undefined, T0);
  assert.deepEqual(
    up.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ],
  );
  const down = nodeConditions(DOWN, up, at(10)).find((c) => c.type === 'Ready')!;
  assert.deepEqual(down, {
    type: 'Ready',
    status: 'False',
    lastHeartbeatTime: '2025-01-01T12:00:10Z',
    lastTransitionTime: '2025-01-01T12:00:10Z',
    reason: 'KubeletNotReady',
    message: 'container runtime is down: no Docker engine answers on /var/run/docker.sock',
  });
  const memory = nodeConditions(DOWN, up, at(10)).find((c) => c.type === 'MemoryPressure')!;
  assert.equal(memory.lastTransitionTime, '2025-01-01T12:00:00Z', 'an unchanged condition keeps its transition time');
  assert.equal(memory.lastHeartbeatTime, '2025-01-01T12:00:10Z');
});

test('the registered Node has the well-known labels, the taints and the whole status', () => {
  const node = registrationNode({ node: NODE, runtime: UP, now: T0 });
  assert.deepEqual(node.metadata.labels, {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'node-1',
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'kctl',
    disk: 'ssd',
  });
  assert.deepEqual(node.spec.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  assert.deepEqual(node.status.capacity, NODE.capacity);
  assert.deepEqual(node.status.allocatable, NODE.capacity);
  assert.deepEqual(node.status.addresses, [
    { type: 'InternalIP', address: '127.0.0.1' },
    { type: 'Hostname', address: 'node-1' },
  ]);
  assert.equal(node.status.nodeInfo.containerRuntimeVersion, 'docker://20.10.24');
  assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.0-kctl');
  assert.equal(registrationNode({ node: NODE, runtime: DOWN, now: T0 }).status.nodeInfo.containerRuntimeVersion, '', 'unknown until Docker answers');
  assert.equal(
    registrationNode({ node: NODE, runtime: DOWN, runtimeVersion: '20.10.24', now: T0 }).status.nodeInfo.containerRuntimeVersion,
    'docker://20.10.24',
    'the last version seen is kept while Docker is down',
  );
});

test('an existing Node gets our labels and taints and keeps labels others added', () => {
  const existing: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', uid: 'u1', labels: { 'kubernetes.io/hostname': 'node-1', team: 'a', disk: 'hdd' } },
    spec: { unschedulable: true, taints: [{ key: 'old', effect: 'NoSchedule' }] },
  };
  const updated = reconcileExistingNode(existing, NODE);
  assert.equal(updated.metadata.labels!.team, 'a');
  assert.equal(updated.metadata.labels!.disk, 'ssd');
  assert.equal(updated.spec.unschedulable, true);
  assert.deepEqual(updated.spec.taints, NODE.taints);
  assert.deepEqual(reconcileExistingNode(existing, { ...NODE, taints: [] }).spec.taints, undefined);
  assert.deepEqual(existing.metadata.labels!.disk, 'hdd', 'the existing object is not changed');
});

test('statusChanged ignores heartbeats only', () => {
  const a = registrationNode({ node: NODE, runtime: UP, now: T0 }).status;
  const later = registrationNode({ node: NODE, runtime: UP, now: at(10) }).status;
  (later.conditions as any[]).forEach((c, i) => (c.lastTransitionTime = (a.conditions as any[])[i].lastTransitionTime));
  assert.equal(statusChanged(a, later), false);
  assert.equal(statusChanged(a, registrationNode({ node: NODE, runtime: DOWN, now: at(10) }).status), true);
  assert.equal(statusChanged(a, registrationNode({ node: { ...NODE, capacity: { ...NODE.capacity, pods: '10' } }, runtime: UP, now: T0 }).status), true);
});

/** Records the writes the agent makes; create answers AlreadyExists for names in `existing`. */
class FakeApi {
  calls: { verb: string; kind: string; name?: string; body?: any; subresource?: string }[] = [];
  objects = new Map<string, KubeObject>();
  failNext: ApiError | undefined;
  private rev = 1;

  private key(kind: string, name: string) {
    return `${kind}/${name}`;
  }

  private stored(obj: KubeObject): KubeObject {
    const copy = structuredClone(obj);
    copy.metadata.resourceVersion = String(++this.rev);
    copy.metadata.uid ??= `uid-${copy.metadata.name}`;
    this.objects.set(this.key(copy.kind!, copy.metadata.name!), copy);
    return structuredClone(copy);
  }

  private maybeFail() {
    const err = this.failNext;
    this.failNext = undefined;
    if (err) throw err;
  }

  readonly client = {
    create: async (r: any, _ns: any, obj: KubeObject) => {
      this.calls.push({ verb: 'create', kind: r.kind, name: obj.metadata.name, body: obj });
      this.maybeFail();
      if (this.objects.has(this.key(r.kind, obj.metadata.name!))) throw new ApiError('AlreadyExists', 'exists');
      return this.stored({ ...obj, kind: r.kind });
    },
    get: async (r: any, _ns: any, name: string) => {
      this.calls.push({ verb: 'get', kind: r.kind, name });
      const obj = this.objects.get(this.key(r.kind, name));
      if (!obj) throw new ApiError('NotFound', 'not found');
      return structuredClone(obj);
    },
    update: async (r: any, _ns: any, obj: KubeObject) => {
      this.calls.push({ verb: 'update', kind: r.kind, name: obj.metadata.name, body: obj });
      this.maybeFail();
      const current = this.objects.get(this.key(r.kind, obj.metadata.name!));
      if (!current) throw new ApiError('NotFound', 'not found');
      if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== current.metadata.resourceVersion) throw new ApiError('Conflict', 'stale');
      return this.stored({ ...obj, kind: r.kind });
    },
    patch: async (r: any, _ns: any, name: string, _type: string, patch: any, opts: any) => {
      this.calls.push({ verb: 'patch', kind: r.kind, name, body: patch, subresource: opts?.subresource });
      this.maybeFail();
      const current = this.objects.get(this.key(r.kind, name));
      if (!current) throw new ApiError('NotFound', 'not found');
      return this.stored({ ...current, ...patch });
    },
  };

  get api(): ApiClient {
    return this.client as unknown as ApiClient;
  }

  writes() {
    return this.calls.filter((c) => c.verb !== 'get');
  }
}

function reporter(api: FakeApi, runtime: { state: RuntimeState }) {
  const logs: string[] = [];
  const r = new NodeStatusReporter({
    client: api.api,
    node: NODE,
    probeRuntime: async () => runtime.state,
    reportIntervalMs: 300_000,
    log: (m) => logs.push(m),
  });
  return { r, logs };
}

test('registration creates the Node; heartbeats write only on change or when the report is due', async () => {
  const api = new FakeApi();
  const runtime: { state: RuntimeState } = { state: UP };
  const { r, logs } = reporter(api, runtime);
  await r.register(T0);
  assert.deepEqual(api.writes().map((c) => c.verb), ['create']);
  assert.deepEqual(r.owner, { name: 'node-1', uid: 'uid-node-1' });

  await r.heartbeat(at(10));
  await r.heartbeat(at(20));
  assert.equal(api.writes().length, 1, 'an unchanged status is not written every heartbeat');

  runtime.state = DOWN;
  await r.heartbeat(at(30));
  const flip = api.writes()[1];
  assert.equal(flip.subresource, 'status', 'status goes through nodes/<name>/status');
  const ready = flip.body.status.conditions.find((c: any) => c.type === 'Ready');
  assert.equal(ready.status, 'False');
  assert.equal(ready.lastTransitionTime, '2025-01-01T12:00:30Z');
  assert.match(logs.at(-1)!, /node node-1 is now NotReady \(KubeletNotReady: container runtime is down/);

  await r.heartbeat(at(40));
  assert.equal(api.writes().length, 2);
  runtime.state = UP;
  await r.heartbeat(at(50));
  assert.equal(api.writes().length, 3, 'Ready again is reported at once');
  await r.heartbeat(at(50 + 299));
  assert.equal(api.writes().length, 3);
  await r.heartbeat(at(50 + 300));
  assert.equal(api.writes().length, 4, 'unchanged, the status is still reported once per report interval');
  const heartbeat = api.writes()[3].body.status.conditions.find((c: any) => c.type === 'Ready');
  assert.equal(heartbeat.lastHeartbeatTime, '2025-01-01T12:05:50Z');
  assert.equal(heartbeat.lastTransitionTime, '2025-01-01T12:00:50Z');
});

test('a Node that exists already is updated, and its conditions keep their transition times', async () => {
  const api = new FakeApi();
  const earlier = registrationNode({ node: { ...NODE, taints: [] }, runtime: UP, now: T0 });
  earlier.metadata.labels!.team = 'a';
  api.objects.set('Node/node-1', { ...earlier, metadata: { ...earlier.metadata, uid: 'old-uid', resourceVersion: '1' } });
  const { r } = reporter(api, { state: UP });
  await r.register(at(100));
  assert.deepEqual(api.writes().map((c) => [c.verb, c.subresource]), [['create', undefined], ['update', undefined], ['patch', 'status']]);
  const updated = api.writes()[1].body;
  assert.equal(updated.metadata.labels.team, 'a');
  assert.deepEqual(updated.spec.taints, NODE.taints);
  const ready = api.writes()[2].body.status.conditions.find((c: any) => c.type === 'Ready');
  assert.equal(ready.lastTransitionTime, '2025-01-01T12:00:00Z');
  assert.equal(ready.lastHeartbeatTime, '2025-01-01T12:01:40Z');
  assert.equal(r.owner.uid, 'old-uid');
});

test('a Node deleted under a running agent is registered again', async () => {
  const api = new FakeApi();
  const runtime: { state: RuntimeState } = { state: UP };
  const { r } = reporter(api, runtime);
  await r.register(T0);
  api.objects.clear();
  runtime.state = DOWN;
  await r.heartbeat(at(10));
  assert.deepEqual(api.writes().map((c) => c.verb), ['create', 'patch', 'create']);
  assert.ok(api.objects.has('Node/node-1'));
});

test('leases: MicroTime renewTime, held by the node, owned by its Node', () => {
  const lease = nodeLease({ name: 'node-1', uid: 'u1' }, 40, new Date('2025-01-01T12:00:00.123Z'));
  assert.deepEqual(lease, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-1', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'u1' }] },
    spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T12:00:00.123000Z' },
  });
});

test('the lease is created once, then updated in one request per renewal; a conflict falls back to get', async () => {
  const api = new FakeApi();
  const renewer = new NodeLeaseRenewer(api.api, () => ({ name: 'node-1', uid: 'u1' }), 40);
  assert.equal(renewer.renewIntervalMs, 10_000, 'a quarter of the duration, as the kubelet renews');
  await renewer.renew(T0);
  await renewer.renew(at(10));
  assert.deepEqual(api.calls.map((c) => c.verb), ['get', 'create', 'update']);
  assert.equal(api.objects.get('Lease/node-1')!.spec.renewTime, '2025-01-01T12:00:10.000000Z');

  api.objects.get('Lease/node-1')!.metadata.resourceVersion = '999';
  api.calls = [];
  await renewer.renew(at(20));
  assert.deepEqual(api.calls.map((c) => c.verb), ['update', 'get', 'update'], 'a stale lease is re-read, then renewed');
  assert.equal(api.objects.get('Lease/node-1')!.spec.renewTime, '2025-01-01T12:00:20.000000Z');

  api.calls = [];
  api.failNext = new ApiError('ServiceUnavailable', 'down');
  await assert.rejects(renewer.renew(at(30)), /down/);
  await renewer.renew(at(31));
  assert.deepEqual(api.calls.map((c) => c.verb), ['update', 'get', 'update'], 'after a failure the lease is read again');
});

test('cluster up counts a Node as Ready only once its agent has reported in this run', () => {
  const since = Date.parse('2025-01-01T12:00:05.500Z');
  const node = (status: string, heartbeat: string): KubeObject => ({
    metadata: { name: 'node-1' },
    status: { conditions: [{ type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: 'why', lastHeartbeatTime: heartbeat }] },
  });
  const cases: [KubeObject | undefined, boolean, string][] = [
    [undefined, false, 'not registered yet'],
    [{ metadata: { name: 'node-1' }, status: {} }, false, 'no Ready condition yet'],
    [node('True', '2025-01-01T12:00:04Z'), false, 'no status reported yet'],
    [node('True', '2025-01-01T12:00:05Z'), true, 'Ready'],
    [node('False', '2025-01-01T12:00:06Z'), false, 'NotReady (KubeletNotReady: why)'],
  ];
  for (const [n, ready, text] of cases) assert.deepEqual(nodeReadiness(n, since), { ready, text });
});
