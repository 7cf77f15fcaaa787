// The EndpointSlices a Service should have, from the pods behind it (service-endpoints.ts): one
// group per set of resolved ports, at most 100 endpoints a slice (the controller's
// --max-endpoints-per-slice default), and an empty placeholder when there is no endpoint at all.
// Then the plan that turns the existing slices into those, touching as few as it can.
import type { KubeObject } from '../../../api/types.js';
import { semanticallyEqual } from '../../../api/semantic-equality.js';
import { controllerReference } from '../controller-ref.js';
import { endpointLabels, portsKey, type EndpointPort, type PodEndpoint } from '../endpoints/service-endpoints.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** What a slice holds, without its identity. */
export interface SliceContent {
  labels: Record<string, string>;
  ports: Array<EndpointPort & { name: string }>;
  endpoints: any[];
}

export function sliceLabels(svc: KubeObject): Record<string, string> {
  return { ...endpointLabels(svc), [SERVICE_NAME_LABEL]: svc.metadata.name!, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
}

/** Whether a slice is this controller's, for this Service. */
export function isManagedSliceOf(slice: KubeObject, namespace: string, serviceName: string): boolean {
  const labels = slice.metadata.labels ?? {};
  return slice.metadata.namespace === namespace && labels[SERVICE_NAME_LABEL] === serviceName && labels[MANAGED_BY_LABEL] === CONTROLLER_NAME;
}

function sliceEndpoint(ep: PodEndpoint): any {
  return {
    addresses: [ep.ip],
    conditions: { ready: ep.ready, serving: ep.serving, terminating: ep.terminating },
    ...(ep.hostname ? { hostname: ep.hostname } : {}),
    targetRef: ep.targetRef,
    ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
  };
}

export function desiredSlices(svc: KubeObject, endpoints: readonly PodEndpoint[]): SliceContent[] {
  const labels = sliceLabels(svc);
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: PodEndpoint[] }>();
  for (const ep of endpoints) {
    // Pods none of whose ports resolve serve nothing, unless the Service has no ports at all.
    if (ep.ports.length === 0 && (svc.spec?.ports ?? []).length > 0) continue;
    const key = portsKey(ep.ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports: ep.ports, endpoints: [] }));
    group.endpoints.push(ep);
  }
  const slices: SliceContent[] = [];
  for (const group of groups.values()) {
    // Unnamed ports carry an empty name in slices, as the controller writes them.
    const ports = group.ports.map((p) => ({ ...p, name: p.name ?? '' }));
    for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      slices.push({ labels, ports, endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE).map(sliceEndpoint) });
    }
  }
  if (slices.length === 0) slices.push({ labels, ports: [], endpoints: [] });
  return slices;
}

export function sameContent(slice: KubeObject, content: SliceContent): boolean {
  return (
    semanticallyEqual(slice.endpoints, content.endpoints) &&
    semanticallyEqual(slice.ports, content.ports) &&
    semanticallyEqual(slice.metadata.labels, content.labels)
  );
}

export interface SlicePlan {
  create: SliceContent[];
  update: Array<{ slice: KubeObject; content: SliceContent }>;
  delete: KubeObject[];
}

/**
 * Pairs existing slices with wanted contents: first those already equal, then those with the same
 * ports, then any; what is left is created or deleted.
 */
export function planSlices(existing: readonly KubeObject[], wanted: readonly SliceContent[]): SlicePlan {
  const free = [...existing];
  const unmatched: SliceContent[] = [];
  const update: SlicePlan['update'] = [];
  const take = (pred: (s: KubeObject) => boolean) => {
    const i = free.findIndex(pred);
    return i < 0 ? undefined : free.splice(i, 1)[0];
  };
  for (const content of wanted) {
    if (!take((s) => sameContent(s, content))) unmatched.push(content);
  }
  const create: SliceContent[] = [];
  for (const content of unmatched) {
    const slice = take((s) => portsKey(s.ports ?? []) === portsKey(content.ports)) ?? take(() => true);
    if (slice) update.push({ slice, content });
    else create.push(content);
  }
  return { create, update, delete: free };
}

export function newSlice(svc: KubeObject, content: SliceContent): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: content.labels,
      ownerReferences: [controllerReference({ ...svc, apiVersion: 'v1', kind: 'Service' })],
    },
    addressType: 'IPv4',
    endpoints: content.endpoints,
    ports: content.ports,
  };
}
