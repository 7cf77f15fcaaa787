// The Service `kubectl expose` builds for a pod, service, replication controller, deployment or
// replica set: the object's pod selector, its (container or service) ports when --port is absent
// (several named port-1, port-2…, one per protocol when a port has several), its labels.
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { intOrString, mustAtoi } from './go-strconv.js';

export interface ExposeFlags {
  port?: string;
  protocol?: string;
  targetPort?: string;
  name?: string;
  type?: string;
  selector?: string;
  labels?: string;
  externalIP?: string;
  clusterIP?: string;
  sessionAffinity?: string;
  loadBalancerIP?: string;
  /** Set only when -n was given, as kubectl does for a client dry run. */
  namespace?: string;
}

const EXPOSABLE = new Set(['Pod', 'Service', 'ReplicationController', 'Deployment', 'ReplicaSet']);

/** DNS-1035 labels (Service names) are at most 63 characters. */
const SERVICE_NAME_MAX = 63;

export function checkExposable(kind: string): void {
  if (!EXPOSABLE.has(kind)) throw new CliError(`cannot expose a ${kind}`);
}

interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** Go's `%+v` of a []LabelSelectorRequirement, which kubectl puts in its error. */
function goExpressions(exprs: LabelSelectorRequirement[]): string {
  return `[${exprs.map((e) => `{Key:${e.key} Operator:${e.operator} Values:[${(e.values ?? []).join(' ')}]}`).join(' ')}]`;
}

function selectorOf(obj: KubeObject): Record<string, string> {
  switch (obj.kind) {
    case 'ReplicationController':
      return obj.spec?.selector ?? {};
    case 'Pod':
      if (!Object.keys(obj.metadata.labels ?? {}).length) throw new Error('the pod has no labels and cannot be exposed');
      return obj.metadata.labels!;
    case 'Service':
      if (!obj.spec?.selector) throw new Error('the service has no pod selector set');
      return obj.spec.selector;
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = obj.spec?.selector;
      if (!Object.keys(sel?.matchLabels ?? {}).length) throw new Error(`invalid ${obj.kind.toLowerCase()}: no selectors, therefore cannot be exposed`);
      if (sel.matchExpressions?.length) throw new Error(`couldn't convert expressions - "${goExpressions(sel.matchExpressions)}" to map-based selector format`);
      return sel.matchLabels;
    }
  }
  throw new Error(`cannot extract pod selector from ${obj.kind}`);
}

/** The object's map-based pod selector, or kubectl's error. */
export function podSelectorOf(obj: KubeObject): Record<string, string> {
  try {
    return selectorOf(obj);
  } catch (err) {
    throw new CliError(`couldn't retrieve selectors via --selector flag or introspection: ${(err as Error).message}`);
  }
}

interface NamedPort {
  port: number;
  protocol?: string;
}

function portsOf(obj: KubeObject): NamedPort[] {
  if (obj.kind === 'Service') return (obj.spec?.ports ?? []).map((p: any) => ({ port: p.port, protocol: p.protocol }));
  const podSpec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  return (podSpec?.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ port: p.containerPort, protocol: p.protocol })));
}

/** The distinct port numbers of the object (container ports, or a Service's ports), in order. */
export function exposedPorts(obj: KubeObject): string[] {
  return [...new Set(portsOf(obj).map((p) => String(p.port)))];
}

/** Each port number's protocols, TCP when unset. */
export function portProtocols(obj: KubeObject): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of portsOf(obj)) {
    const key = String(p.port);
    out.set(key, [...(out.get(key) ?? []), p.protocol || 'TCP']);
  }
  return out;
}

/** kubectl's `k=v,k2=v2` parsing for --selector and --labels. */
export function parseLabelPairs(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const kv = pair.split('=');
    if (kv.length !== 2) throw new CliError(`unexpected label spec: ${pair}`);
    if (!kv[0]) throw new CliError('unexpected empty label key');
    out[kv[0]] = kv[1];
  }
  return out;
}

function servicePorts(portString: string, flagProtocol: string | undefined, protocols: Map<string, string[]>): object[] {
  const specs = portString.split(',');
  const ports: object[] = [];
  specs.forEach((spec, i) => {
    const port = mustAtoi(spec);
    const name = specs.length > 1 ? `port-${i + 1}` : '';
    let protocol = flagProtocol || 'TCP';
    const found = !flagProtocol ? protocols.get(spec) : undefined;
    if (found?.length === 1) protocol = found[0];
    else if (found) {
      for (const p of found) ports.push({ name: `port-${i + 1}-${p.toLowerCase()}`, protocol: p, port });
      return;
    }
    ports.push({ ...(name ? { name } : {}), protocol, port });
  });
  return ports;
}

/** The Service exposing obj, or kubectl's error for what cannot be derived or is invalid. */
export function exposedService(obj: KubeObject, f: ExposeFlags): KubeObject {
  checkExposable(obj.kind!);
  const selector = f.selector ? parseLabelPairs(f.selector) : podSelectorOf(obj);
  if (!Object.keys(selector).length) throw new CliError('selector must be specified');
  let portString = f.port ?? '';
  if (!portString) {
    const ports = exposedPorts(obj);
    if (ports.length === 0 && f.clusterIP !== 'None') throw new CliError("couldn't find port via --port flag or introspection");
    portString = ports.join(',');
  }
  const objectLabels = obj.metadata.labels ?? {};
  const labels = f.labels ? parseLabelPairs(f.labels) : Object.keys(objectLabels).length ? { ...objectLabels } : undefined;
  const name = f.name || obj.metadata.name!.slice(0, SERVICE_NAME_MAX);
  const ports = portString ? servicePorts(portString, f.protocol, portProtocols(obj)) : [];
  const targetPort = f.targetPort ? intOrString(f.targetPort) : undefined;
  for (const p of ports as { port: number; targetPort?: number | string }[]) p.targetPort = targetPort ?? p.port;
  if (f.sessionAffinity && f.sessionAffinity !== 'None' && f.sessionAffinity !== 'ClientIP') throw new CliError(`unknown session affinity: ${f.sessionAffinity}`);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(f.namespace ? { namespace: f.namespace } : {}), ...(labels ? { labels } : {}) },
    spec: {
      ...(ports.length ? { ports } : {}),
      selector,
      ...(f.clusterIP ? { clusterIP: f.clusterIP } : {}),
      ...(f.externalIP ? { externalIPs: [f.externalIP] } : {}),
      ...(f.type ? { type: f.type } : {}),
      ...(f.type === 'LoadBalancer' && f.loadBalancerIP ? { loadBalancerIP: f.loadBalancerIP } : {}),
      ...(f.sessionAffinity ? { sessionAffinity: f.sessionAffinity } : {}),
    },
  };
}
