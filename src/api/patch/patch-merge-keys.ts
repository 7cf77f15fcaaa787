// Strategic merge patch metadata: which fields of which kinds do not follow the default (maps
// merge, lists are replaced). Transcribed from the `patchStrategy` / `patchMergeKey` struct tags of
// the Kubernetes Go types (k8s.io/api, metav1.ObjectMeta) for the kinds in ../resources.ts. A field
// is named by its path from the object root with list indices left out:
// `spec.template.spec.containers`, `spec.template.spec.containers.env`.
//
// Lists Kubernetes leaves without a strategy are replaced whole even where items have a natural
// key: pod `tolerations`, node `spec.taints` (its tag sits on Taint.key, where it has no effect),
// Endpoints `subsets`, label selector `matchExpressions`, container `envFrom`.

export interface PatchMeta {
  /** Merge the list instead of replacing it: by `mergeKey` for objects, as a set for primitives. */
  readonly merge?: true;
  readonly mergeKey?: string;
  /** Union type: a patch may carry `$retainKeys`, and fields not listed there are cleared. */
  readonly retainKeys?: true;
}

type FieldTable = Readonly<Record<string, PatchMeta>>;

const byKey = (mergeKey: string): PatchMeta => ({ merge: true, mergeKey });
const byKeyRetainingKeys = (mergeKey: string): PatchMeta => ({ merge: true, mergeKey, retainKeys: true });

/** Re-roots a table below `prefix`. */
function under(prefix: string, table: FieldTable): FieldTable {
  return Object.fromEntries(Object.entries(table).map(([path, meta]) => [`${prefix}.${path}`, meta]));
}

const OBJECT_META: FieldTable = {
  finalizers: { merge: true },
  ownerReferences: byKey('uid'),
};

const CONTAINER: FieldTable = {
  ports: byKey('containerPort'),
  env: byKey('name'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
};

function containerList(field: string): FieldTable {
  return { [field]: byKey('name'), ...under(field, CONTAINER) };
}

const POD_SPEC: FieldTable = {
  volumes: byKeyRetainingKeys('name'),
  ...containerList('containers'),
  ...containerList('initContainers'),
  ...containerList('ephemeralContainers'),
  imagePullSecrets: byKey('name'),
  hostAliases: byKey('ip'),
  topologySpreadConstraints: byKey('topologyKey'),
  resourceClaims: byKeyRetainingKeys('name'),
  schedulingGates: byKey('name'),
};

const POD_STATUS: FieldTable = {
  conditions: byKey('type'),
  podIPs: byKey('ip'),
  hostIPs: byKey('ip'),
  resourceClaimStatuses: byKeyRetainingKeys('name'),
};

const POD_TEMPLATE: FieldTable = { ...under('metadata', OBJECT_META), ...under('spec', POD_SPEC) };

const STATUS_CONDITIONS: FieldTable = { 'status.conditions': byKey('type') };

const WORKLOAD: FieldTable = { ...under('spec.template', POD_TEMPLATE), ...STATUS_CONDITIONS };

const BY_KIND: Readonly<Record<string, FieldTable>> = {
  Pod: { ...under('spec', POD_SPEC), ...under('status', POD_STATUS) },
  Node: {
    'spec.podCIDRs': { merge: true },
    'status.conditions': byKey('type'),
    'status.addresses': byKey('type'),
  },
  Namespace: STATUS_CONDITIONS,
  Service: { 'spec.ports': byKey('port'), ...STATUS_CONDITIONS },
  ServiceAccount: { secrets: byKey('name') },
  ReplicationController: WORKLOAD,
  ReplicaSet: WORKLOAD,
  Deployment: { ...WORKLOAD, 'spec.strategy': { retainKeys: true } },
  DaemonSet: WORKLOAD,
  StatefulSet: WORKLOAD,
  Job: WORKLOAD,
  CronJob: under('spec.jobTemplate', { ...under('metadata', OBJECT_META), ...under('spec.template', POD_TEMPLATE) }),
  HorizontalPodAutoscaler: STATUS_CONDITIONS,
};

const TABLES = new Map<string, ReadonlyMap<string, PatchMeta>>(
  Object.entries(BY_KIND).map(([kind, table]) => [kind, new Map(Object.entries({ ...under('metadata', OBJECT_META), ...table }))]),
);
const COMMON = new Map(Object.entries(under('metadata', OBJECT_META)));

const DEFAULT: PatchMeta = {};

/**
 * The patch metadata of the field at `path` (map keys from the root, list indices omitted). A kind
 * of undefined has none anywhere: the patch is then a JSON merge patch (a custom resource's).
 */
export function patchMetaFor(kind: string | undefined, path: readonly string[]): PatchMeta {
  if (kind === undefined) return DEFAULT;
  return (TABLES.get(kind) ?? COMMON).get(path.join('.')) ?? DEFAULT;
}
