import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { Informer } from '../../src/api/informer.js';
import { toTable } from '../../src/api/printers/table.js';
import { endpointSubsets, podEndpoints } from '../../src/apiserver/controllers/endpoints/service-endpoints.js';
import { EndpointsController } from '../../src/apiserver/controllers/endpoints/endpoints-controller.js';
import { desiredSlices, planSlices } from '../../src/apiserver/controllers/endpointslice/endpoint-slices.js';
import { EndpointSliceController } from '../../src/apiserver/controllers/endpointslice/endpointslice-controller.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';
import { pod, service } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const SERVICES = findByKind('Service')!;
const ENDPOINTS = findByKind('Endpoints')!;
const SLICES = findByKind('EndpointSlice')!;

/** A pod of the Service web (app: web unless labelled) on node-1 at ip, its http port 8000 unless told, Running and Ready unless told. */
function endpointPod(name: string, ip: string | undefined, opts: { ready?: boolean; labels?: Record<string, string>; port?: number; deleting?: boolean; phase?: string; hostname?: string } = {}): KubeObject {
  return pod(name, {
    metadata: { namespace: 'default', uid: `uid-${name}`, ...(opts.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    labels: opts.labels ?? { app: 'web' },
    node: 'node-1',
    spec: opts.hostname ? { hostname: opts.hostname, subdomain: 'web' } : {},
    container: { ports: [{ name: 'http', containerPort: opts.port ?? 8000 }] },
    phase: opts.phase ?? 'Running',
    ready: opts.ready !== false,
    status: ip ? { podIP: ip, podIPs: [{ ip }] } : {},
  });
}

/** The Service web in front of the endpoint pods, its port http unless the spec gives others. */
const webService = (spec: Record<string, unknown> = {}): KubeObject =>
  service('web', { metadata: { namespace: 'default', uid: 'svc-uid', labels: { tier: 'front' } }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], spec });

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });

test('Endpoints subsets: ready pods in addresses, unready in notReadyAddresses; no IP, finished or deleted pods left out', () => {
  const svc = webService();
  const pods = [
    endpointPod('b', '10.244.0.6'),
    endpointPod('a', '10.244.0.5'),
    endpointPod('unready', '10.244.0.7', { ready: false }),
    endpointPod('no-ip', undefined),
    endpointPod('done', '10.244.0.8', { phase: 'Succeeded' }),
    endpointPod('going', '10.244.0.9', { deleting: true }),
  ];
  assert.deepEqual(endpointSubsets(svc, podEndpoints(svc, pods)), [
    {
      addresses: [
        { ip: '10.244.0.5', nodeName: 'node-1', targetRef: ref('a') },
        { ip: '10.244.0.6', nodeName: 'node-1', targetRef: ref('b') },
      ],
      notReadyAddresses: [{ ip: '10.244.0.7', nodeName: 'node-1', targetRef: ref('unready') }],
      ports: [{ name: 'http', port: 8000, protocol: 'TCP' }],
    },
  ]);
  const everyone = webService({ publishNotReadyAddresses: true });
  const [subset] = endpointSubsets(everyone, podEndpoints(everyone, pods));
  assert.deepEqual(subset.addresses.map((a: { ip: string }) => a.ip), ['10.244.0.5', '10.244.0.6', '10.244.0.7', '10.244.0.9']);
  assert.equal(subset.notReadyAddresses, undefined);
});

test('a named targetPort is resolved per pod: pods resolving it differently land in different subsets and slices; hostnames for the subdomain', () => {
  const svc = webService();
  const pods = [endpointPod('a', '10.244.0.5'), endpointPod('b', '10.244.0.6', { port: 9000, hostname: 'b' })];
  const subsets = endpointSubsets(svc, podEndpoints(svc, pods));
  assert.deepEqual(subsets.map((s) => [s.addresses.map((a: { ip: string }) => a.ip), s.ports[0].port]), [[['10.244.0.5'], 8000], [['10.244.0.6'], 9000]]);
  assert.equal(subsets[1].addresses[0].hostname, 'b');
  const slices = desiredSlices(svc, podEndpoints(svc, pods));
  assert.deepEqual(slices.map((s) => [s.endpoints.map((e) => e.addresses[0]), s.ports]), [
    [['10.244.0.5'], [{ name: 'http', port: 8000, protocol: 'TCP' }]],
    [['10.244.0.6'], [{ name: 'http', port: 9000, protocol: 'TCP' }]],
  ]);
});

test('EndpointSlice endpoints carry ready, serving and terminating; no endpoint gives one empty slice', () => {
  const svc = webService({ ports: [{ port: 80, targetPort: 8000, protocol: 'TCP' }] });
  const [slice] = desiredSlices(svc, podEndpoints(svc, [endpointPod('a', '10.244.0.5'), endpointPod('u', '10.244.0.6', { ready: false }), endpointPod('t', '10.244.0.7', { deleting: true })]));
  assert.deepEqual(slice.ports, [{ name: '', port: 8000, protocol: 'TCP' }]);
  assert.deepEqual(slice.endpoints, [
    { addresses: ['10.244.0.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: ref('a'), nodeName: 'node-1' },
    { addresses: ['10.244.0.6'], conditions: { ready: false, serving: false, terminating: false }, targetRef: ref('u'), nodeName: 'node-1' },
    { addresses: ['10.244.0.7'], conditions: { ready: false, serving: true, terminating: true }, targetRef: ref('t'), nodeName: 'node-1' },
  ]);
  assert.deepEqual(slice.labels, { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.deepEqual(desiredSlices(svc, []), [{ labels: slice.labels, ports: [], endpoints: [] }]);
  const many = Array.from({ length: 150 }, (_, i) => endpointPod(`p${i}`, `10.244.1.${i}`));
  assert.deepEqual(desiredSlices(svc, podEndpoints(svc, many)).map((s) => s.endpoints.length), [100, 50]);
});

test('the slice plan keeps equal slices, updates those with the same ports, creates and deletes the rest', () => {
  const svc = webService({ ports: [{ port: 80, targetPort: 8000, protocol: 'TCP' }] });
  const [wanted] = desiredSlices(svc, podEndpoints(svc, [endpointPod('a', '10.244.0.5')]));
  const existing = (name: string, endpoints: unknown[]): KubeObject => ({ metadata: { name, labels: wanted.labels }, addressType: 'IPv4', ports: wanted.ports, endpoints });
  const same = existing('same', wanted.endpoints);
  assert.deepEqual(planSlices([same], [wanted]), { create: [], update: [], delete: [] });
  const stale = existing('stale', []);
  const plan = planSlices([stale, existing('extra', [])], [wanted]);
  assert.deepEqual([plan.update.map((u) => u.slice.metadata.name), plan.create.length, plan.delete.map((s) => s.metadata.name)], [['stale'], 0, ['extra']]);
});

function controllers() {
  const reg = inProcessRegistry();
  const services = new Informer(reg.client, SERVICES);
  const pods = new Informer(reg.client, PODS);
  const endpoints = new Informer(reg.client, ENDPOINTS);
  const slices = new Informer(reg.client, SLICES);
  const ep = new EndpointsController(reg.client, services, pods, endpoints, () => {});
  const eps = new EndpointSliceController(reg.client, services, pods, slices, () => {});
  for (const inf of [services, pods, endpoints, slices]) inf.start();
  const addPod = (p: KubeObject) => {
    const { status, ...rest } = p;
    reg.registry.create(PODS, 'default', { ...rest, metadata: { name: p.metadata.name, labels: p.metadata.labels } });
    reg.registry.patch(PODS, 'default', p.metadata.name!, 'merge', { status }, { subresource: 'status' });
  };
  const setReady = (name: string, ready: boolean) =>
    reg.registry.patch(PODS, 'default', name, 'merge', { status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, { subresource: 'status' });
  const readyIPs = () => (reg.registry.tryGet(ENDPOINTS, 'default', 'web')?.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip)).sort();
  const sliceList = () => reg.registry.list(SLICES, 'default').rows.map((r) => JSON.parse(r.value) as KubeObject);
  const readySliceIPs = () =>
    sliceList()
      .flatMap((s) => s.endpoints ?? [])
      .filter((e: any) => e.conditions.ready)
      .map((e: any) => e.addresses[0])
      .sort();
  return {
    ...reg,
    addPod,
    setReady,
    readyIPs,
    sliceList,
    readySliceIPs,
    stop() {
      ep.queue.stop();
      eps.queue.stop();
      for (const inf of [services, pods, endpoints, slices]) inf.stop();
      reg.done();
    },
  };
}

test('the controllers follow readiness at once, write nothing when nothing changed, and remove what a deleted Service had', async () => {
  const t = controllers();
  try {
    t.addPod(endpointPod('a', '10.244.0.5'));
    t.addPod(endpointPod('b', '10.244.0.6', { ready: false }));
    t.addPod(endpointPod('other', '10.244.0.9', { labels: { app: 'other' } }));
    t.registry.create(SERVICES, 'default', webService());
    await until('the ready pod is an endpoint', () => t.readyIPs().join() === '10.244.0.5' && t.readySliceIPs().join() === '10.244.0.5');
    const ep = t.registry.get(ENDPOINTS, 'default', 'web');
    assert.deepEqual(ep.metadata.labels, { tier: 'front' });
    assert.deepEqual(ep.subsets[0].notReadyAddresses.map((a: any) => a.ip), ['10.244.0.6']);
    const [slice] = t.sliceList();
    assert.match(slice.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: t.registry.get(SERVICES, 'default', 'web').metadata.uid, controller: true, blockOwnerDeletion: true }]);

    t.setReady('b', true);
    await until('b moves to the ready addresses', () => t.readyIPs().join() === '10.244.0.5,10.244.0.6' && t.readySliceIPs().join() === '10.244.0.5,10.244.0.6');
    t.setReady('a', false);
    await until('a leaves them', () => t.readyIPs().join() === '10.244.0.6' && t.readySliceIPs().join() === '10.244.0.6');
    assert.equal(t.sliceList().length, 1, 'one slice, updated in place');

    const before = t.registry.get(ENDPOINTS, 'default', 'web').metadata.resourceVersion;
    t.registry.patch(PODS, 'default', 'other', 'merge', { metadata: { annotations: { x: 'y' } } });
    t.registry.patch(SERVICES, 'default', 'web', 'merge', { metadata: { annotations: { x: 'y' } } });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.registry.get(ENDPOINTS, 'default', 'web').metadata.resourceVersion, before, 'no write without a change');

    t.registry.delete(SERVICES, 'default', 'web');
    await until('its Endpoints and slices are gone', () => !t.registry.tryGet(ENDPOINTS, 'default', 'web') && t.sliceList().length === 0);
  } finally {
    t.stop();
  }
});

test('a Service without selector keeps the Endpoints its user wrote', async () => {
  const t = controllers();
  try {
    t.registry.create(SERVICES, 'default', { ...webService(), spec: { ports: [{ port: 80 }] } });
    t.registry.create(ENDPOINTS, 'default', { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] });
    t.addPod(endpointPod('a', '10.244.0.5'));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(t.readyIPs(), ['192.0.2.1']);
    assert.equal(t.sliceList().length, 0);
  } finally {
    t.stop();
  }
});

test('kubectl get endpointslices columns: NAME ADDRESSTYPE PORTS ENDPOINTS AGE', () => {
  const svc = webService({ ports: [{ port: 80, targetPort: 8000, protocol: 'TCP' }] });
  const content = desiredSlices(svc, podEndpoints(svc, ['5', '6', '7', '8'].map((n) => endpointPod(`p${n}`, `10.244.0.${n}`))))[0];
  const slice = (endpoints: unknown[], ports: unknown[]): KubeObject => ({ metadata: { name: 'web-abcde', creationTimestamp: '2025-01-01T00:00:00Z' }, addressType: 'IPv4', endpoints, ports });
  const now = new Date('2025-01-01T00:00:05Z');
  const table = toTable(SLICES, [slice(content.endpoints, content.ports), slice([], [])], { now });
  assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  assert.deepEqual(table.rows.map((r) => r.cells), [
    ['web-abcde', 'IPv4', '8000', '10.244.0.5,10.244.0.6,10.244.0.7 + 1 more...', '5s'],
    ['web-abcde', 'IPv4', '<unset>', '<unset>', '5s'],
  ]);
});
