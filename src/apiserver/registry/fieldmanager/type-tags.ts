// The merge semantics Kubernetes' OpenAPI gives its built-in types and the JSON schemas here do not
// carry: `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` (from the Go types' `+listType`,
// `+listMapKey` tags, or failing those their `patchStrategy=merge` / `patchMergeKey`),
// `x-kubernetes-map-type` and `+structType=atomic`. Keyed by schema definition and property, so a
// type shared by several kinds (PodSpec, Container, ObjectMeta) is described once.
//
// Where listType and the strategic-merge-patch key differ, listType wins, as in Kubernetes:
// container ports are keyed by containerPort and protocol, Service ports by port and protocol,
// Job conditions and pod hostIPs are atomic. Lists not named here are atomic.

export type ListTag = { readonly type: 'set' } | { readonly type: 'map'; readonly keys: readonly string[] };

const byName: ListTag = { type: 'map', keys: ['name'] };
const byType: ListTag = { type: 'map', keys: ['type'] };
const set: ListTag = { type: 'set' };

const CONTAINER_LISTS: Record<string, ListTag> = {
  ports: { type: 'map', keys: ['containerPort', 'protocol'] },
  env: byName,
  volumeMounts: { type: 'map', keys: ['mountPath'] },
  volumeDevices: { type: 'map', keys: ['devicePath'] },
};

const CONDITIONS = { conditions: byType };

const LISTS: Readonly<Record<string, Readonly<Record<string, ListTag>>>> = {
  ObjectMeta: { finalizers: set, ownerReferences: { type: 'map', keys: ['uid'] } },
  PodSpec: {
    containers: byName,
    initContainers: byName,
    ephemeralContainers: byName,
    volumes: byName,
    imagePullSecrets: byName,
    hostAliases: { type: 'map', keys: ['ip'] },
    topologySpreadConstraints: { type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] },
    schedulingGates: byName,
    resourceClaims: byName,
  },
  Container: CONTAINER_LISTS,
  EphemeralContainer: CONTAINER_LISTS,
  PodStatus: { ...CONDITIONS, podIPs: { type: 'map', keys: ['ip'] }, resourceClaimStatuses: byName },
  NodeSpec: { podCIDRs: set },
  NodeStatus: { ...CONDITIONS, addresses: byType },
  ServiceSpec: { ports: { type: 'map', keys: ['port', 'protocol'] } },
  ServiceStatus: CONDITIONS,
  ServiceAccount: { secrets: byName },
  NamespaceStatus: CONDITIONS,
  DeploymentStatus: CONDITIONS,
  ReplicaSetStatus: CONDITIONS,
  ReplicationControllerStatus: CONDITIONS,
  HorizontalPodAutoscalerStatus: CONDITIONS,
  LoadBalancerIngress: { ports: set },
};

/** Types owned as a whole (`+structType=atomic`): an apply that sets one field of them owns them all. */
const ATOMIC_STRUCTS = new Set([
  'LabelSelector',
  'OwnerReference',
  'ObjectReference',
  'LocalObjectReference',
  'TypedLocalObjectReference',
  'TypedObjectReference',
  'ConfigMapKeySelector',
  'SecretKeySelector',
  'ObjectFieldSelector',
  'ResourceFieldSelector',
  'NodeSelector',
  'NodeSelectorTerm',
]);

/** Maps replaced as a whole (`+mapType=atomic`). */
const ATOMIC_MAPS: Readonly<Record<string, ReadonlySet<string>>> = {
  PodSpec: new Set(['nodeSelector']),
  ServiceSpec: new Set(['selector']),
  ReplicationControllerSpec: new Set(['selector']),
};

/** Defaults of list-map key fields, used for items that leave the key out (Kubernetes' OpenAPI `default`). */
export const KEY_DEFAULTS: Readonly<Record<string, string>> = { protocol: 'TCP' };

export function listTag(owner: string, property: string): ListTag | undefined {
  return LISTS[owner]?.[property];
}

export function isAtomicStruct(definition: string): boolean {
  return ATOMIC_STRUCTS.has(definition);
}

export function isAtomicMap(owner: string, property: string): boolean {
  return ATOMIC_MAPS[owner]?.has(property) ?? false;
}
