// Pure: what NetworkPolicies allow each pod of this machine, as a network plugin (kube-router,
// Calico) reads them. A pod selected by a policy whose policyTypes hold Ingress is isolated for
// ingress: only what some rule of some such policy allows reaches it (replies aside); likewise
// Egress. policyTypes left out mean Ingress, plus Egress when there are egress rules. A rule's
// peers: a podSelector (in the policy's namespace), a namespaceSelector (every pod of the selected
// namespaces), both (the selected pods of the selected namespaces), an ipBlock minus its except;
// no peers, any address. Its ports: a protocol (TCP by default), a number with an optional endPort,
// or a name resolved from the container ports of the pod receiving the traffic; no ports, any port.
import type { KubeObject } from '../../api/types.js';
import { labelSelectorAsSelector, type Selector } from '../../api/label-selector.js';
import { blockWithout, inBlocks } from './ipv4-blocks.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
type Labels = Record<string, string>;

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const PROTOCOLS = new Set<string>(['TCP', 'UDP', 'SCTP']);

export interface NamedPort {
  name: string;
  protocol: Protocol;
  port: number;
}

/** Something with an address policies can select as a pod: a pod, or a stand-in for one (this machine's DNS server). */
export interface Endpoint {
  namespace: string;
  name: string;
  labels: Labels;
  ip: string;
  ports: NamedPort[];
}

/** A protocol, on every port or on the ports from..to. */
export interface PortMatch {
  protocol: Protocol;
  from?: number;
  to?: number;
}

/** Traffic some rule allows: from (ingress) or to (egress) the peers, on the ports; undefined means any. */
export interface Allow {
  peers?: string[];
  ports?: PortMatch[];
}

/** A pod of this machine isolated in at least one direction; a direction left undefined is not isolated. */
export interface PodFirewall {
  namespace: string;
  name: string;
  ip: string;
  ingress?: Allow[];
  egress?: Allow[];
}

export interface PolicyInputs {
  policies: KubeObject[];
  namespaces: KubeObject[];
  /** Every selectable endpoint in the cluster: the peers rules may name. */
  endpoints: Endpoint[];
  /** The pods whose traffic this machine filters. */
  targets: Endpoint[];
}

/** The endpoint a pod is while it has an address of its own (host-network pods and finished pods are none). */
export function podEndpoint(pod: KubeObject): Endpoint | undefined {
  const ip: string | undefined = pod.status?.podIP;
  const phase = pod.status?.phase;
  if (!ip || pod.spec?.hostNetwork || phase === 'Succeeded' || phase === 'Failed') return undefined;
  const ports: NamedPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name && p.containerPort) ports.push({ name: p.name, protocol: p.protocol ?? 'TCP', port: p.containerPort });
  }
  return { namespace: pod.metadata.namespace!, name: pod.metadata.name!, labels: pod.metadata.labels ?? {}, ip, ports };
}

/** A selector that cannot be read selects nothing: a policy must never allow more than it says. */
function selector(s: unknown): Selector {
  try {
    return labelSelectorAsSelector((s ?? {}) as never);
  } catch {
    return labelSelectorAsSelector(null);
  }
}

/** The types a policy isolates for, defaulted as the API server defaults them. */
export function policyTypes(spec: any): Array<'Ingress' | 'Egress'> {
  if (Array.isArray(spec?.policyTypes) && spec.policyTypes.length > 0) return spec.policyTypes;
  return ['Ingress', ...(Array.isArray(spec?.egress) && spec.egress.length > 0 ? (['Egress'] as const) : [])];
}

type PortSpec = { protocol: Protocol; number?: number; endPort?: number; name?: string };

function portSpecs(ports: any[] | undefined): PortSpec[] | undefined {
  if (!Array.isArray(ports) || ports.length === 0) return undefined;
  const out: PortSpec[] = [];
  for (const p of ports) {
    const protocol = p?.protocol ?? 'TCP';
    if (!PROTOCOLS.has(protocol)) continue;
    if (typeof p.port === 'string') out.push({ protocol, name: p.port });
    else if (typeof p.port === 'number') out.push({ protocol, number: p.port, ...(typeof p.endPort === 'number' ? { endPort: p.endPort } : {}) });
    else out.push({ protocol });
  }
  return out;
}

function numericMatch(p: PortSpec): PortMatch {
  return p.number === undefined ? { protocol: p.protocol } : { protocol: p.protocol, from: p.number, to: p.endPort ?? p.number };
}

/** The named ports resolved against the endpoint receiving the traffic; those it does not have match nothing. */
function resolveNamed(named: PortSpec[], on: Endpoint): PortMatch[] {
  const out: PortMatch[] = [];
  for (const p of named) {
    for (const np of on.ports) if (np.name === p.name && np.protocol === p.protocol) out.push({ protocol: p.protocol, from: np.port, to: np.port });
  }
  return out;
}

interface Peers {
  cidrs: string[];
  endpoints: Endpoint[];
}

class Compiler {
  private readonly namespaceLabels = new Map<string, Labels>();

  constructor(private readonly inputs: PolicyInputs) {
    for (const ns of inputs.namespaces) {
      const name = ns.metadata.name!;
      this.namespaceLabels.set(name, { ...(ns.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: name });
    }
  }

  private labelsOfNamespace(name: string): Labels {
    return this.namespaceLabels.get(name) ?? { [NAMESPACE_NAME_LABEL]: name };
  }

  /** A rule's peers; undefined: any address. */
  private peers(namespace: string, list: any[] | undefined): Peers | undefined {
    if (!Array.isArray(list) || list.length === 0) return undefined;
    const out: Peers = { cidrs: [], endpoints: [] };
    for (const peer of list) {
      if (peer?.ipBlock) {
        out.cidrs.push(...blockWithout(String(peer.ipBlock.cidr ?? ''), peer.ipBlock.except ?? []));
        continue;
      }
      if (!peer?.podSelector && !peer?.namespaceSelector) continue;
      const pods = selector(peer.podSelector);
      const namespaces = peer.namespaceSelector ? selector(peer.namespaceSelector) : undefined;
      for (const e of this.inputs.endpoints) {
        const inNamespace = namespaces ? namespaces.matches(this.labelsOfNamespace(e.namespace)) : e.namespace === namespace;
        if (inNamespace && pods.matches(e.labels)) out.endpoints.push(e);
      }
    }
    return out;
  }

  private rule(target: Endpoint, namespace: string, direction: 'ingress' | 'egress', rule: any): Allow[] {
    const peers = this.peers(namespace, direction === 'ingress' ? rule?.from : rule?.to);
    const specs = portSpecs(rule?.ports);
    const addresses = peers && [...new Set([...peers.cidrs, ...peers.endpoints.map((e) => `${e.ip}/32`)])];
    if (addresses && addresses.length === 0) return [];
    if (!specs) return [{ ...(addresses ? { peers: addresses } : {}) }];
    const numeric = specs.filter((p) => p.name === undefined).map(numericMatch);
    const named = specs.filter((p) => p.name !== undefined);
    const allows: Allow[] = [];
    if (direction === 'ingress') {
      // Traffic to the target: its own container ports give the names.
      const ports = [...numeric, ...resolveNamed(named, target)];
      if (ports.length > 0) allows.push({ ...(addresses ? { peers: addresses } : {}), ports });
      return allows;
    }
    if (numeric.length > 0) allows.push({ ...(addresses ? { peers: addresses } : {}), ports: numeric });
    if (named.length > 0) {
      // Traffic to a peer: each peer's container ports give the names, so only endpoints can match.
      const candidates = peers
        ? [...peers.endpoints, ...this.inputs.endpoints.filter((e) => peers.cidrs.length > 0 && inBlocks(e.ip, peers.cidrs))]
        : this.inputs.endpoints;
      for (const e of new Set(candidates)) {
        const ports = resolveNamed(named, e);
        if (ports.length > 0) allows.push({ peers: [`${e.ip}/32`], ports });
      }
    }
    return allows;
  }

  firewall(target: Endpoint): PodFirewall | undefined {
    let ingress: Allow[] | undefined;
    let egress: Allow[] | undefined;
    for (const policy of this.inputs.policies) {
      const namespace = policy.metadata.namespace;
      const spec = policy.spec ?? {};
      if (namespace !== target.namespace || !selector(spec.podSelector).matches(target.labels)) continue;
      const types = policyTypes(spec);
      if (types.includes('Ingress')) {
        ingress ??= [];
        for (const rule of spec.ingress ?? []) ingress.push(...this.rule(target, namespace, 'ingress', rule));
      }
      if (types.includes('Egress')) {
        egress ??= [];
        for (const rule of spec.egress ?? []) egress.push(...this.rule(target, namespace, 'egress', rule));
      }
    }
    if (!ingress && !egress) return undefined;
    return { namespace: target.namespace, name: target.name, ip: target.ip, ...(ingress ? { ingress } : {}), ...(egress ? { egress } : {}) };
  }
}

/** The firewall of each target pod some policy isolates, in the targets' order. */
export function compileFirewalls(inputs: PolicyInputs): PodFirewall[] {
  const compiler = new Compiler(inputs);
  return inputs.targets.map((t) => compiler.firewall(t)).filter((f): f is PodFirewall => f !== undefined);
}
