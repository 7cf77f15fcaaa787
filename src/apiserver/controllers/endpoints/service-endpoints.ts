// Which pods back a Service and on which ports, as Kubernetes' endpoints and EndpointSlice
// controllers compute it, shared by both: pods matching the selector that have an IP and are not
// finished, each with its readiness, its ports (a named targetPort resolved against the pod's own
// container ports) and its identity. Then the two shapes: Endpoints subsets (ready addresses,
// notReadyAddresses, grouped by port set) and EndpointSlice endpoints.
import type { KubeObject } from '../../../api/types.js';
import { labelSelectorFromSet } from '../../../api/label-selector.js';
import { isPodReady } from '../replicaset/active-pods.js';

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** One pod behind a Service. */
export interface PodEndpoint {
  ip: string;
  /** Ready, or published whatever its readiness (publishNotReadyAddresses). */
  ready: boolean;
  /** The pod's own readiness. */
  serving: boolean;
  /** Being deleted. */
  terminating: boolean;
  nodeName?: string;
  hostname?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
  /** The Service's ports as this pod serves them (a port whose name the pod lacks is left out). */
  ports: EndpointPort[];
}

/** A Service whose endpoints a controller keeps: it has a selector (else the user manages them). */
export function hasSelector(svc: KubeObject): boolean {
  return svc.spec?.type !== 'ExternalName' && svc.spec?.selector != null && Object.keys(svc.spec.selector).length > 0;
}

export function selects(svc: KubeObject, pod: KubeObject): boolean {
  return pod.metadata.namespace === svc.metadata.namespace && hasSelector(svc) && labelSelectorFromSet(svc.spec.selector).matches(pod.metadata.labels);
}

/** podutil.IsPodTerminal. */
function isTerminal(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** podutil.FindPort: a number is itself, a name is the pod's container port of that name and protocol. */
export function resolveTargetPort(pod: KubeObject, servicePort: any): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/**
 * The pods behind svc (already selected by its selector), as the EndpointSlice controller sees
 * them: terminating pods included, marked. Sorted by IP, then name, so the output is stable.
 */
export function podEndpoints(svc: KubeObject, pods: readonly KubeObject[]): PodEndpoint[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const result: PodEndpoint[] = [];
  for (const pod of pods) {
    const ip: string | undefined = pod.status?.podIP || pod.status?.podIPs?.[0]?.ip;
    if (!ip || isTerminal(pod)) continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    const serving = isPodReady(pod);
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = resolveTargetPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const hostname = pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
    result.push({
      ip,
      // A pod going away is never ready, unless the Service publishes every address.
      ready: publishNotReady || (serving && !terminating),
      serving,
      terminating,
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      ...(hostname ? { hostname } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
      ports,
    });
  }
  return result.sort((a, b) => compare(a.ip, b.ip) || compare(a.targetRef.name, b.targetRef.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A key equal for endpoints with the same ports: they share a subset or slice. */
export function portsKey(ports: readonly EndpointPort[]): string {
  return JSON.stringify(ports.map((p) => [p.name ?? '', p.port, p.protocol, p.appProtocol ?? '']));
}

/** Endpoints' subsets: ready pods in addresses, the others in notReadyAddresses; pods being deleted left out. */
export function endpointSubsets(svc: KubeObject, endpoints: readonly PodEndpoint[]): any[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const headless = svc.spec?.clusterIP === 'None';
  const groups = new Map<string, { ports: EndpointPort[]; addresses: any[]; notReadyAddresses: any[] }>();
  for (const ep of endpoints) {
    if (ep.terminating && !publishNotReady) continue;
    // A pod none of whose ports resolve is no endpoint, except for a headless Service without ports.
    if (ep.ports.length === 0 && !(headless && (svc.spec?.ports ?? []).length === 0)) continue;
    const key = portsKey(ep.ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports: ep.ports, addresses: [], notReadyAddresses: [] }));
    const address = {
      ip: ep.ip,
      ...(ep.hostname ? { hostname: ep.hostname } : {}),
      ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
      targetRef: ep.targetRef,
    };
    (ep.ready ? group.addresses : group.notReadyAddresses).push(address);
  }
  return [...groups.values()].map((g) => ({
    ...(g.addresses.length ? { addresses: g.addresses } : {}),
    ...(g.notReadyAddresses.length ? { notReadyAddresses: g.notReadyAddresses } : {}),
    ...(g.ports.length ? { ports: g.ports } : {}),
  }));
}

/** The labels an Endpoints or EndpointSlice of svc carries: the Service's, and whether it is headless. */
export function endpointLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  else delete labels['service.kubernetes.io/headless'];
  return labels;
}

/** The keys (namespace/name) of the Services among `services` whose selector picks pod. */
export function servicesSelecting(services: readonly KubeObject[], pod: KubeObject): string[] {
  return services.filter((svc) => selects(svc, pod)).map((svc) => `${svc.metadata.namespace}/${svc.metadata.name}`);
}
