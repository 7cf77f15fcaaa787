// A controller's calls to subresources (status, scale, binding, eviction, token, finalize, and a
// custom resource's status and scale) answer the same through the in-process client as over HTTP,
// since both serve them from one table (registry/subresources.ts): a controller can move out of
// the daemon unchanged. Control plane only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiClient } from '../../src/api/client.js';
import { ApiError } from '../../src/api/errors.js';
import { HttpClient } from '../../src/api/http-client.js';
import { findByKind } from '../../src/api/resources.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { TestCluster } from '../helpers/test-cluster.js';
import { loadOrCreateSigningKey } from '../../src/apiserver/serviceaccount/signing-key.js';
import { InProcessClient } from '../../src/apiserver/registry/in-process-client.js';
import { join } from 'node:path';
import { servedVersionsOf } from '../../src/api/custom-resource-definitions.js';
import { until } from '../helpers/until.js';
import { pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const DEPLOYMENTS = findByKind('Deployment')!;
const CONFIG_MAPS = findByKind('ConfigMap')!;
const SERVICE_ACCOUNTS = findByKind('ServiceAccount')!;
const NAMESPACES = findByKind('Namespace')!;
const CRDS = findByKind('CustomResourceDefinition')!;
/** Pods no scheduler takes (so nothing else writes their status meanwhile). */
const UNSCHEDULED = { spec: { schedulerName: 'nobody', automountServiceAccountToken: false } };
const NS = 'default';

/** A pod no scheduler takes (so nothing else writes its status meanwhile). */

async function reason(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'no error';
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return `${err.code} ${err.reason}`;
  }
}

/** What a controller sees of each subresource call, reduced to what must be alike on both sides. */
async function exercise(client: ApiClient): Promise<Record<string, unknown>> {
  const seen: Record<string, unknown> = {};
  await client.create(SERVICE_ACCOUNTS, NS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } });
  await client.create(PODS, NS, pod('status', UNSCHEDULED));

  const running = { ...(await client.get(PODS, NS, 'status')), status: { phase: 'Running', podIP: '10.244.0.9' } };
  const updated = await client.update(PODS, NS, { ...running, spec: { ...running.spec, activeDeadlineSeconds: 5 } }, { subresource: 'status' });
  seen.statusUpdate = [updated.status?.phase, updated.status?.podIP, updated.spec?.activeDeadlineSeconds];
  const patched = await client.patch(PODS, NS, 'status', 'merge', { status: { message: 'patched' } }, { subresource: 'status' });
  seen.statusPatch = [patched.status?.phase, patched.status?.message];

  await client.create(DEPLOYMENTS, NS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } } },
  });
  const scale = await client.update(DEPLOYMENTS, NS, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: NS }, spec: { replicas: 3 } }, { subresource: 'scale' });
  seen.scaleUpdate = [scale.kind, scale.spec?.replicas, (await client.get(DEPLOYMENTS, NS, 'web')).spec?.replicas];
  const scalePatch = await client.patch(DEPLOYMENTS, NS, 'web', 'merge', { spec: { replicas: 2 } }, { subresource: 'scale' });
  seen.scalePatch = [scalePatch.kind, scalePatch.spec?.replicas, (await client.get(DEPLOYMENTS, NS, 'web')).spec?.replicas];

  await client.create(PODS, NS, pod('bound', UNSCHEDULED));
  const binding = await client.createSubresource(PODS, NS, 'bound', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound' }, target: { kind: 'Node', name: 'node-9' } });
  seen.binding = [binding.kind, (binding as any).status, (await client.get(PODS, NS, 'bound')).spec?.nodeName];
  seen.bindingAgain = await reason(client.createSubresource(PODS, NS, 'bound', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound' }, target: { kind: 'Node', name: 'node-8' } }));

  await client.create(PODS, NS, pod('evicted', UNSCHEDULED));
  const eviction = await client.createSubresource(PODS, NS, 'evicted', 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evicted' } });
  seen.eviction = [eviction.kind, (eviction as any).status, await reason(client.get(PODS, NS, 'evicted'))];

  const token = await client.createSubresource(SERVICE_ACCOUNTS, NS, 'robot', 'token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } } as any);
  seen.token = [token.kind, typeof (token as any).status?.token, (token as any).status?.token?.split('.').length];

  seen.missingSubresource = await reason(client.createSubresource(CONFIG_MAPS, NS, 'x', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'x' } } as any));
  seen.missingVerb = await reason(client.patch(PODS, NS, 'bound', 'merge', {}, { subresource: 'binding' }));
  seen.missingObject = await reason(client.update(DEPLOYMENTS, NS, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'nothing' }, spec: { replicas: 1 } }, { subresource: 'scale' }));

  const ns = await client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'finalized' }, spec: { finalizers: ['kubernetes', 'example.com/keep'] } });
  const finalized = await client.update(NAMESPACES, undefined, { ...ns, metadata: { ...ns.metadata, labels: { kept: 'yes' } }, spec: { finalizers: ['example.com/keep'] } }, { subresource: 'finalize' });
  seen.finalize = [finalized.spec?.finalizers, finalized.metadata.labels?.kept];
  seen.finalizePatch = await reason(client.patch(NAMESPACES, undefined, 'finalized', 'merge', {}, { subresource: 'finalize' }));
  return seen;
}

/** A definition with status and scale subresources, established by hand where no naming controller runs. */
async function exerciseCustom(client: ApiClient): Promise<Record<string, unknown>> {
  const seen: Record<string, unknown> = {};
  const crd = await client.create(CRDS, undefined, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gauges.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'gauges', singular: 'gauge', kind: 'Gauge' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } },
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
  const established = await client.patch(CRDS, undefined, crd.metadata.name!, 'merge', {
    status: {
      acceptedNames: crd.spec.names,
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
    },
  }, { subresource: 'status' });
  const [gauges] = servedVersionsOf(established);
  const gauge = await until('gauges are served', () => client.create(gauges, NS, { apiVersion: 'example.com/v1', kind: 'Gauge', metadata: { name: 'g' }, spec: { size: 1 } }), 10_000);
  const status = await client.update(gauges, NS, { ...gauge, spec: { size: 7 }, status: { size: 1 } }, { subresource: 'status' });
  seen.status = [status.spec?.size, status.status?.size];
  const statusPatch = await client.patch(gauges, NS, 'g', 'merge', { status: { size: 2 } }, { subresource: 'status' });
  seen.statusPatch = statusPatch.status?.size;
  const scale = await client.update(gauges, NS, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'g', namespace: NS }, spec: { replicas: 4 } }, { subresource: 'scale' });
  seen.scale = [scale.kind, scale.spec?.replicas, scale.status?.replicas, (await client.get(gauges, NS, 'g')).spec?.size];
  const scalePatch = await client.patch(gauges, NS, 'g', 'json', [{ op: 'replace', path: '/spec/replicas', value: 5 }], { subresource: 'scale' });
  seen.scalePatch = [scalePatch.spec?.replicas, (await client.get(gauges, NS, 'g')).spec?.size];
  seen.negativeScale = await reason(client.patch(gauges, NS, 'g', 'merge', { spec: { replicas: -1 } }, { subresource: 'scale' }));
  seen.missingSubresource = await reason(client.createSubresource(gauges, NS, 'g', 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'g' } }));
  seen.missingVerb = await reason(client.createSubresource(gauges, NS, 'g', 'status', gauge));
  return seen;
}

describe('subresources through the in-process client and over HTTP', () => {
  const cluster = new TestCluster();
  before(async () => {
    await cluster.up();
  });
  after(async () => {
    await cluster.down();
  });

  /** What the calls see through a fresh registry's in-process client and over HTTP to the daemon, asserted alike. */
  async function bothWays(calls: (client: ApiClient) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const local = inProcessRegistry();
    const http = new HttpClient({ server: cluster.server, token: cluster.token(), ca: cluster.ca });
    try {
      const key = loadOrCreateSigningKey(join(cluster.home, 'pki', 'sa-test.key'));
      const inProcess = await calls(new InProcessClient(local.registry, 'test', key));
      const overHttp = await calls(http);
      assert.deepEqual(inProcess, overHttp);
      return overHttp;
    } finally {
      http.close();
      local.done();
    }
  }

  test('status, scale, binding, eviction, token and finalize answer alike', async () => {
    // And what they agree on is what Kubernetes answers.
    assert.deepEqual(await bothWays(exercise), {
      statusUpdate: ['Running', '10.244.0.9', undefined],
      statusPatch: ['Running', 'patched'],
      scaleUpdate: ['Scale', 3, 3],
      scalePatch: ['Scale', 2, 2],
      binding: ['Status', 'Success', 'node-9'],
      bindingAgain: '409 Conflict',
      eviction: ['Status', 'Success', '404 NotFound'],
      token: ['TokenRequest', 'string', 3],
      missingSubresource: '404 NotFound',
      missingVerb: '405 MethodNotAllowed',
      missingObject: '404 NotFound',
      // As in Kubernetes, /finalize writes all but the status.
      finalize: [['example.com/keep'], 'yes'],
      finalizePatch: '405 MethodNotAllowed',
    });
  });

  test('a custom resource\'s status and scale answer alike', async () => {
    assert.deepEqual(await bothWays(exerciseCustom), {
      status: [1, 1],
      statusPatch: 2,
      scale: ['Scale', 4, 2, 4],
      scalePatch: [5, 5],
      negativeScale: '422 Invalid',
      missingSubresource: '404 NotFound',
      missingVerb: '405 MethodNotAllowed',
    });
  });
});
