// The pod a Job creates from its template, as Kubernetes' job controller makes it: named after the
// job (`<job>-` or, for an Indexed job, `<job>-<index>-`), controlled by the job, and for an
// Indexed job carrying its completion index as annotation, label, JOB_COMPLETION_INDEX and hostname.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/types.js';
import { controllerReference } from '../controller-ref.js';
import { COMPLETION_INDEX } from './indexes.js';

export function podForJob(job: Job, index: number | undefined): Pod {
  const template = job.spec!.template;
  const name = job.metadata!.name!;
  const meta = template.metadata ?? {};
  const labels = { ...(meta.labels ?? {}) };
  const annotations = { ...(meta.annotations ?? {}) };
  const spec = structuredClone(template.spec!);
  if (index !== undefined) {
    labels[COMPLETION_INDEX] = annotations[COMPLETION_INDEX] = String(index);
    const withIndex = (c: Container): Container => ({
      ...c,
      env: [
        ...(c.env ?? []).filter((e) => e.name !== 'JOB_COMPLETION_INDEX'),
        { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } },
      ],
    });
    spec.containers = spec.containers.map(withIndex);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndex);
    spec.hostname ??= `${name}-${index}`;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata!.namespace,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [controllerReference({ ...(job as KubeObject), apiVersion: 'batch/v1', kind: 'Job' })],
    },
    spec,
  };
}
