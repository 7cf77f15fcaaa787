import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { byteOrder, labelSelectorString } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { formatTime, intOrString } from './format.js';
import { controlledObjects } from './owner.js';
import { writePodTemplate } from './pod-template.js';
import type { DescribeContext, Describer } from './types.js';
import { writeReplicaConditions } from './workload.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

const REPLICA_SETS = 'replicasets';
const POD_TEMPLATE_HASH = 'pod-template-hash';

export const deploymentDescriber: Describer = {
  related: (obj) => [
    {
      name: REPLICA_SETS,
      resource: 'replicasets',
      namespace: obj.metadata.namespace,
      labelSelector: labelSelectorString((obj as unknown as Deployment).spec?.selector),
    },
  ],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const d = obj as unknown as Deployment;
    const spec = d.spec;
    const status = d.status ?? {};
    const { newRS, oldRSs } = splitReplicaSets(d, controlledObjects(ctx.related[REPLICA_SETS], obj) as unknown as ReplicaSet[]);
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      w.write(LEVEL_0, `CreationTimestamp:\t${formatTime(obj.metadata.creationTimestamp)}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, `Selector:\t${labelSelectorString(spec?.selector)}\n`);
      w.write(
        LEVEL_0,
        // The API defaults spec.replicas to 1.
        `Replicas:\t${spec?.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ` +
          `${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
      );
      w.write(LEVEL_0, `StrategyType:\t${spec?.strategy?.type ?? ''}\n`);
      w.write(LEVEL_0, `MinReadySeconds:\t${spec?.minReadySeconds ?? 0}\n`);
      const rolling = spec?.strategy?.rollingUpdate;
      if (rolling) {
        w.write(
          LEVEL_0,
          `RollingUpdateStrategy:\t${intOrString(rolling.maxUnavailable)} max unavailable, ${intOrString(rolling.maxSurge)} max surge\n`,
        );
      }
      writePodTemplate(w, spec?.template);
      writeReplicaConditions(w, status.conditions);
      if (oldRSs.length > 0 || newRS) {
        w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetSummary(oldRSs)}\n`);
        w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetSummary(newRS ? [newRS] : [])}\n`);
      }
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

// As the deployment controller decides: the new ReplicaSet is the oldest one whose pod template
// is the deployment's (ignoring the hash label); every other one it controls is old.
function splitReplicaSets(d: Deployment, owned: ReplicaSet[]): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
  const byAge = [...owned].sort(
    (a, b) =>
      Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? '') ||
      byteOrder(a.metadata?.name ?? '', b.metadata?.name ?? ''),
  );
  const target = withoutHash(d.spec?.template);
  const newRS = byAge.find((rs) => semanticallyEqual(withoutHash(rs.spec?.template), target));
  return { newRS, oldRSs: byAge.filter((rs) => rs !== newRS) };
}

function withoutHash(template: PodTemplateSpec | undefined): unknown {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  return { ...template, metadata: { ...template?.metadata, labels } };
}

// Go's semantic equality treats a missing map or list like an empty one.
function semanticallyEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(normalize);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, normalize(v)] as const)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => byteOrder(a, b));
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value;
}

/** `django-5d8f7b9c6 (1/1 replicas created)`, comma-separated, or `<none>`. */
function replicaSetSummary(sets: ReplicaSet[]): string {
  const list = sets.map((rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ');
  return list || '<none>';
}
