import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { Informer } from '../../src/api/informer.js';
import { HorizontalPodAutoscalerController } from '../../src/apiserver/controllers/horizontalpodautoscaler/hpa-controller.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';
import { deployment, pod } from '../helpers/builders.js';

const DEPLOYMENTS = findByKind('Deployment')!;
const PODS = findByKind('Pod')!;
const HPAS = findByKind('HorizontalPodAutoscaler')!;
const EVENTS = findByKind('Event')!;

// The Deployment and its pods, which ask for the CPU the autoscaler's utilisation is measured against.
const WEB = { labels: { app: 'web' }, container: { resources: { requests: { cpu: '100m' } } } };
const hpa = (behavior?: unknown): KubeObject => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }], ...(behavior ? { behavior } : {}) },
});

test('the controller scales the target by its pods\' CPU, writes the status and a SuccessfulRescale event, and scales down after the window', async () => {
  const reg = inProcessRegistry();
  const hpas = new Informer(reg.client, HPAS);
  const pods = new Informer(reg.client, PODS);
  const usage = new Map<string, number>();
  let now = 1_000_000;
  const controller = new HorizontalPodAutoscalerController(reg.client, hpas, pods,
    (p) => (usage.has(p.metadata.name!) ? { containers: [{ name: 'c', cpuNanocores: usage.get(p.metadata.name!)! * 1e6, memoryBytes: 1 << 20 }] } : undefined),
    { syncPeriodMs: 3_600_000, downscaleStabilizationSeconds: 300 }, () => {}, () => now);
  try {
    reg.registry.create(DEPLOYMENTS, 'default', deployment('web', { ...WEB, replicas: 2 }));
    for (const name of ['a', 'b']) {
      reg.registry.create(PODS, 'default', pod(name, { ...WEB, spec: { nodeName: 'n1' } }));
      reg.registry.update(PODS, 'default', name, { ...reg.registry.get(PODS, 'default', name), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    }
    usage.set('a', 90).set('b', 90);
    hpas.start();
    pods.start();
    reg.registry.create(HPAS, 'default', hpa({ scaleDown: { stabilizationWindowSeconds: 60 } }));
    await until('the HPA scaled the deployment', () => reg.registry.get(DEPLOYMENTS, 'default', 'web').spec?.replicas === 4);
    await until('the status', () => reg.registry.get(HPAS, 'default', 'web').status?.desiredReplicas === 4);
    const status = reg.registry.get(HPAS, 'default', 'web').status!;
    assert.deepEqual(status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '90m', averageUtilization: 90 } } }]);
    assert.ok(status.lastScaleTime);
    const conditions = Object.fromEntries((status.conditions as { type: string; status: string; reason: string }[]).map((c) => [c.type, `${c.status}/${c.reason}`]));
    assert.deepEqual(conditions, { AbleToScale: 'True/SucceededRescale', ScalingActive: 'True/ValidMetricFound', ScalingLimited: 'False/DesiredWithinRange' });
    await until('the event', () => reg.registry.list(EVENTS, 'default').rows.some((r) => JSON.parse(r.value).reason === 'SuccessfulRescale'));
    const event = reg.registry.list(EVENTS, 'default').rows.map((r) => JSON.parse(r.value)).find((e) => e.reason === 'SuccessfulRescale');
    assert.equal(event.message, 'New size: 4; reason: cpu resource utilization (percentage of request) above target');

    // The load stops: held by the 60 s window, then down to the minimum.
    usage.set('a', 1).set('b', 1);
    now += 30_000;
    await controller.sync('default/web');
    assert.equal(reg.registry.get(DEPLOYMENTS, 'default', 'web').spec?.replicas, 4);
    await until('stabilized', () => (reg.registry.get(HPAS, 'default', 'web').status?.conditions as { reason: string }[])[0].reason === 'ScaleDownStabilized');
    now += 31_000;
    await controller.sync('default/web');
    assert.equal(reg.registry.get(DEPLOYMENTS, 'default', 'web').spec?.replicas, 1);
    await until('the scale-down event', () => reg.registry.list(EVENTS, 'default').rows.some((r) => JSON.parse(r.value).message === 'New size: 1; reason: All metrics below target'));

    // Figures gone: ScalingActive False, the count kept.
    usage.clear();
    now += 1_000;
    await controller.sync('default/web');
    const after = reg.registry.get(HPAS, 'default', 'web').status!;
    const active = (after.conditions as { type: string; status: string; message: string }[]).find((c) => c.type === 'ScalingActive')!;
    assert.equal(active.status, 'False');
    assert.match(active.message, /did not receive metrics/);
    assert.equal(reg.registry.get(DEPLOYMENTS, 'default', 'web').spec?.replicas, 1);
  } finally {
    controller.queue.stop();
    hpas.stop();
    pods.stop();
    reg.done();
  }
});

test('a target without a scale subresource is reported in AbleToScale, nothing else changes', async () => {
  const reg = inProcessRegistry();
  const hpas = new Informer(reg.client, HPAS);
  const pods = new Informer(reg.client, PODS);
  const controller = new HorizontalPodAutoscalerController(reg.client, hpas, pods, () => undefined, { syncPeriodMs: 3_600_000, downscaleStabilizationSeconds: 300 }, () => {});
  try {
    hpas.start();
    pods.start();
    reg.registry.create(HPAS, 'default', { ...hpa(), spec: { ...hpa().spec, scaleTargetRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'x' } } });
    await until('AbleToScale False', () => (reg.registry.get(HPAS, 'default', 'web').status?.conditions as { reason: string }[] | undefined)?.[0]?.reason === 'FailedGetScale');
  } finally {
    controller.queue.stop();
    hpas.stop();
    pods.stop();
    reg.done();
  }
});
