import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hpaToV1, hpaToV2, hpaV1UnknownFields } from '../../src/api/hpa-conversion.js';
import type { KubeObject } from '../../src/api/types.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const meta = { name: 'web', namespace: 'default' };

test('v1 -> v2: the cpu target is a Resource metric; none at all is v1\'s implicit 80%', () => {
  const v2 = hpaToV2({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: meta, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } });
  assert.deepEqual(v2, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta,
    spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
  });
  const implicit = hpaToV2({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: meta, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
  assert.deepEqual(implicit.spec!.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
});

test('v2 -> v1: cpu target and current utilization in v1\'s fields; other metrics, all current metrics, conditions and behavior in the annotations', () => {
  const v2: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta, annotations: { team: 'a' } },
    spec: {
      scaleTargetRef: ref,
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
    },
    status: {
      currentReplicas: 3,
      desiredReplicas: 4,
      lastScaleTime: '2026-12-07T12:00:00Z',
      currentMetrics: [
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '50Mi' } } },
        { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '48m', averageUtilization: 48 } } },
      ],
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }],
    },
  };
  const v1 = hpaToV1(v2);
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.deepEqual(v1.spec, { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
  assert.deepEqual(v1.status, { lastScaleTime: '2026-12-07T12:00:00Z', currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 48 });
  const a = v1.metadata.annotations!;
  assert.equal(a.team, 'a');
  assert.deepEqual(JSON.parse(a['autoscaling.alpha.kubernetes.io/metrics']), [
    { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
    { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } },
  ]);
  // As Kubernetes writes it (kubectl describe of a v1 HPA shows this annotation).
  assert.equal(a['autoscaling.alpha.kubernetes.io/current-metrics'], '[{"type":"Resource","resource":{"name":"memory","currentAverageValue":"50Mi"}},{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":48,"currentAverageValue":"48m"}}]');
  assert.deepEqual(JSON.parse(a['autoscaling.alpha.kubernetes.io/conditions']), v2.status.conditions);
  assert.deepEqual(JSON.parse(a['autoscaling.alpha.kubernetes.io/behavior']), v2.spec!.behavior);

  // And back: nothing lost, the annotations consumed (the cpu metric now first, as v1 carries it apart).
  const back = hpaToV2(v1);
  assert.deepEqual(back.metadata, v2.metadata);
  assert.deepEqual(back.spec!.metrics, [v2.spec!.metrics[1], v2.spec!.metrics[0], v2.spec!.metrics[2]]);
  assert.deepEqual(back.spec!.behavior, v2.spec!.behavior);
  assert.deepEqual(back.status, v2.status);
});

test('every metric type survives v2 -> v1 -> v2; a status without figures and malformed annotations pass as they are', () => {
  const metrics = [
    { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 70 } } },
    { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'rps' }, target: { type: 'Value', value: '2k' } } },
    { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'AverageValue', averageValue: '30' } } },
  ];
  const v2: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta, spec: { scaleTargetRef: ref, maxReplicas: 4, metrics }, status: { desiredReplicas: 1, currentMetrics: [{ type: 'Resource' }] } };
  const v1 = hpaToV1(v2);
  assert.equal(v1.spec!.targetCPUUtilizationPercentage, undefined);
  assert.deepEqual(hpaToV2(v1).spec!.metrics, metrics);
  assert.deepEqual(hpaToV2(v1).status, { currentReplicas: 0, desiredReplicas: 1, currentMetrics: [{ type: 'Resource' }] });
  const junk = hpaToV2({ ...v1, metadata: { ...meta, annotations: { 'autoscaling.alpha.kubernetes.io/metrics': 'not json' } } });
  assert.deepEqual(junk.spec!.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.equal(junk.metadata.annotations, undefined);
});

test('v1 has no spec.metrics: a strict decoder names the fields it does not know', () => {
  assert.deepEqual(hpaV1UnknownFields({ spec: { maxReplicas: 2, metrics: [] }, status: { conditions: [] } }), ['spec.metrics', 'status.conditions']);
  assert.deepEqual(hpaV1UnknownFields({ spec: { maxReplicas: 2, targetCPUUtilizationPercentage: 5 } }), []);
  assert.deepEqual(hpaV1UnknownFields({ spec: 'x' }), []);
});
