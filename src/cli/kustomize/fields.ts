// Where kustomize's built-in transformers write: the label, annotation, selector and template
// fields of each kind, the kinds that have no namespace, and the fields that refer to other
// objects by name (so renamed ConfigMaps, Secrets, ServiceAccounts... are followed).
import type { KubeObject } from '../../api/types.js';
import { podSpecOf } from '../pod-template.js';

export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'VolumeAttachment',
]);

const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'ReplicationController']);

function mapAt(obj: any, path: string[], create: boolean): Record<string, string> | undefined {
  let node = obj;
  for (const key of path) {
    if (node[key] === undefined || node[key] === null) {
      if (!create) return undefined;
      node[key] = {};
    }
    node = node[key];
  }
  return node;
}

/** The label maps commonLabels (and labels with includeSelectors) write, creating the usual ones. */
export function labelMaps(obj: KubeObject, selectors: boolean, templates: boolean): Record<string, string>[] {
  const out = [mapAt(obj, ['metadata', 'labels'], true)!];
  const kind = obj.kind ?? '';
  const add = (path: string[], create: boolean) => {
    const m = mapAt(obj, path, create);
    if (m) out.push(m);
  };
  if (selectors) {
    if (kind === 'Service' || kind === 'ReplicationController') add(['spec', 'selector'], true);
    if (['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].includes(kind)) add(['spec', 'selector', 'matchLabels'], true);
    if (['Job', 'PodDisruptionBudget'].includes(kind)) add(['spec', 'selector', 'matchLabels'], false);
  }
  if (selectors || templates) {
    if (WORKLOADS.has(kind)) add(['spec', 'template', 'metadata', 'labels'], true);
    if (kind === 'CronJob') {
      add(['spec', 'jobTemplate', 'metadata', 'labels'], true);
      add(['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'], true);
    }
  }
  return out;
}

export function annotationMaps(obj: KubeObject): Record<string, string>[] {
  const out = [mapAt(obj, ['metadata', 'annotations'], true)!];
  if (WORKLOADS.has(obj.kind ?? '')) out.push(mapAt(obj, ['spec', 'template', 'metadata', 'annotations'], true)!);
  if (obj.kind === 'CronJob') {
    out.push(mapAt(obj, ['spec', 'jobTemplate', 'metadata', 'annotations'], true)!);
    out.push(mapAt(obj, ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations'], true)!);
  }
  return out;
}

/** A place holding the name of another object of `kind`: read it, write it. */
export interface NameRef {
  kind: string;
  get(): string | undefined;
  set(name: string): void;
}

function ref(kind: string, holder: any, key: string): NameRef[] {
  return holder && typeof holder[key] === 'string' ? [{ kind, get: () => holder[key], set: (n) => (holder[key] = n) }] : [];
}

/** Every reference by name in the object that kustomize's nameReference configuration follows. */
export function nameRefs(obj: KubeObject): NameRef[] {
  const refs: NameRef[] = [];
  const spec = podSpecOf(obj);
  if (spec) {
    refs.push(...ref('ServiceAccount', spec, 'serviceAccountName'));
    for (const s of spec.imagePullSecrets ?? []) refs.push(...ref('Secret', s, 'name'));
    for (const v of spec.volumes ?? []) {
      refs.push(...ref('ConfigMap', v.configMap, 'name'), ...ref('Secret', v.secret, 'secretName'), ...ref('PersistentVolumeClaim', v.persistentVolumeClaim, 'claimName'));
      for (const s of v.projected?.sources ?? []) refs.push(...ref('ConfigMap', s.configMap, 'name'), ...ref('Secret', s.secret, 'name'));
    }
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const e of c.env ?? []) refs.push(...ref('ConfigMap', e.valueFrom?.configMapKeyRef, 'name'), ...ref('Secret', e.valueFrom?.secretKeyRef, 'name'));
      for (const e of c.envFrom ?? []) refs.push(...ref('ConfigMap', e.configMapRef, 'name'), ...ref('Secret', e.secretRef, 'name'));
    }
  }
  if (obj.kind === 'StatefulSet') refs.push(...ref('Service', obj.spec, 'serviceName'));
  if (obj.kind === 'Ingress') {
    for (const t of obj.spec?.tls ?? []) refs.push(...ref('Secret', t, 'secretName'));
    refs.push(...ref('Service', obj.spec?.defaultBackend?.service, 'name'));
    for (const r of obj.spec?.rules ?? []) for (const p of r.http?.paths ?? []) refs.push(...ref('Service', p.backend?.service, 'name'));
  }
  if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
    if (obj.roleRef) refs.push(...ref(obj.roleRef.kind, obj.roleRef, 'name'));
    for (const s of obj.subjects ?? []) if (s.kind === 'ServiceAccount') refs.push(...ref('ServiceAccount', s, 'name'));
  }
  if (obj.kind === 'HorizontalPodAutoscaler' && obj.spec?.scaleTargetRef) refs.push(...ref(obj.spec.scaleTargetRef.kind, obj.spec.scaleTargetRef, 'name'));
  if (obj.kind === 'ServiceAccount') {
    for (const s of [...(obj.secrets ?? []), ...(obj.imagePullSecrets ?? [])]) refs.push(...ref('Secret', s, 'name'));
  }
  return refs;
}

/** kustomize's legacy output order: these kinds first, in this order, the webhooks last. */
const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function kindRank(kind: string): number {
  const first = ORDER_FIRST.indexOf(kind);
  if (first >= 0) return first;
  const last = ORDER_LAST.indexOf(kind);
  return last >= 0 ? 1000 + last : 500;
}

export function legacyOrder(a: KubeObject, b: KubeObject): number {
  const ka = a.kind ?? '';
  const kb = b.kind ?? '';
  const rank = kindRank(ka) - kindRank(kb);
  if (rank) return rank;
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ida = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const idb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return ida < idb ? -1 : ida > idb ? 1 : 0;
}
