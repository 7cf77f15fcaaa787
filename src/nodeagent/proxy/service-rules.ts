// The iptables rules that route Services on this machine, built the way kube-proxy's iptables mode
// builds them: one chain per service port choosing an endpoint with `-m statistic --mode random`,
// one chain per endpoint doing the DNAT, and a mark for connections that must be masqueraded
// (from outside the pod network, to a node port, or a pod reaching itself through its Service).
// Pure: the whole rule set is computed from Services and Endpoints, and written in one
// iptables-restore, so a sync is all-or-nothing and the rules never drift from the API.
import type { KubeObject } from '../../api/types.js';
import { hashedChainName, type RuleFamily, type RuleSet } from '../iptables/rule-set.js';

export const CHAIN_PREFIX = 'KCTL-';
/** nat: every service address (cluster IP, load-balancer IP) jumps from here. */
export const SERVICES_CHAIN = 'KCTL-SERVICES';
export const NODE_PORTS_CHAIN = 'KCTL-NODEPORTS';
export const MARK_MASQ_CHAIN = 'KCTL-MARK-MASQ';
export const POSTROUTING_CHAIN = 'KCTL-POSTROUTING';
/** filter: connections to service ports that have no endpoint are rejected at once. */
export const REJECT_CHAIN = 'KCTL-SERVICES';
/** Kubernetes' masquerade bit (--iptables-masquerade-bit 14). */
export const MASQ_MARK = '0x4000';

/** The proxy's chains, and where each is jumped to from: the proxy keeps these jumps in place. */
export const SERVICE_RULES: RuleFamily = {
  prefix: CHAIN_PREFIX,
  tables: ['nat', 'filter'],
  comment: 'kctl service portals',
  jumps: [
    { table: 'nat', from: 'PREROUTING', to: SERVICES_CHAIN, match: [] },
    { table: 'nat', from: 'OUTPUT', to: SERVICES_CHAIN, match: [] },
    { table: 'nat', from: 'POSTROUTING', to: POSTROUTING_CHAIN, match: [] },
    { table: 'filter', from: 'OUTPUT', to: REJECT_CHAIN, match: ['-m', 'conntrack', '--ctstate', 'NEW'] },
    { table: 'filter', from: 'FORWARD', to: REJECT_CHAIN, match: ['-m', 'conntrack', '--ctstate', 'NEW'] },
  ],
};

export interface ProxyNetwork {
  /** The pod network: traffic from elsewhere into a service is masqueraded so replies come back. */
  podSubnet: string;
  /** The host addresses node ports answer on (kube-proxy's --nodeport-addresses). */
  nodePortAddresses: string[];
  /** Cluster DNS: its Service's address is sent to this machine's DNS server instead of to endpoints. */
  clusterDns?: ClusterDnsRoute;
}

export interface ClusterDnsRoute {
  /** The kube-dns Service's cluster IP, in pods' resolv.conf. */
  serviceIP: string;
  /** Where this machine's DNS server listens (UDP and TCP). */
  address: string;
  port: number;
}

export interface Endpoint {
  ip: string;
  port: number;
}

/**
 * The ready endpoints of one service port: the Endpoints' ports are matched by name (a Service's
 * ports are all named when there is more than one), the only port when unnamed.
 */
export function endpointsForPort(endpoints: KubeObject | undefined, portName: string | undefined, protocol: string): Endpoint[] {
  const out: Endpoint[] = [];
  for (const subset of endpoints?.subsets ?? []) {
    const port = (subset.ports ?? []).find((p: any) => (p.name ?? '') === (portName ?? '') && (p.protocol ?? 'TCP') === protocol);
    if (!port) continue;
    for (const address of subset.addresses ?? []) out.push({ ip: address.ip, port: port.port });
  }
  // Sorted, so the same endpoints always give the same rules (and the same probabilities).
  return out.sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
}

/** Addresses of a Service traffic is routed for: its cluster IPs, then its load-balancer IPs. */
function serviceAddresses(service: KubeObject): { clusterIPs: string[]; loadBalancerIPs: string[] } {
  const spec = service.spec ?? {};
  const clusterIPs = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip: string) => ip && ip !== 'None');
  const loadBalancerIPs =
    spec.type === 'LoadBalancer' ? (service.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip).filter(Boolean) : [];
  return { clusterIPs, loadBalancerIPs };
}

/** The probability kube-proxy gives the i-th of n endpoints, so each gets 1/n of new connections. */
function probability(i: number, n: number): string {
  return (1 / (n - i)).toFixed(10);
}

/** Where a service port answers, and the ready endpoints behind it: what the rules are made of. */
export interface ServicePort {
  /** `namespace/name:port-name`, kube-proxy's ServicePortName. */
  name: string;
  protocol: 'TCP' | 'UDP';
  /** Its cluster IPs and load-balancer IPs, on the service port. */
  addresses: Destination[];
  /** The node port on each node-port address. */
  nodePorts: Destination[];
  endpoints: Endpoint[];
  /** sessionAffinity ClientIP's timeout; 0 without affinity. */
  affinitySeconds: number;
}

export interface Destination {
  ip: string;
  port: number;
}

/** Every proxied port of the Services, in a stable order (ExternalName, headless and SCTP left out). */
export function servicePorts(services: KubeObject[], endpointsOf: (namespace: string, name: string) => KubeObject | undefined, network: ProxyNetwork): ServicePort[] {
  const out: ServicePort[] = [];
  const sorted = [...services].sort((a, b) => serviceKey(a).localeCompare(serviceKey(b)));
  for (const service of sorted) {
    const spec = service.spec ?? {};
    if (spec.type === 'ExternalName') continue;
    const { clusterIPs, loadBalancerIPs } = serviceAddresses(service);
    if (clusterIPs.length === 0) continue;
    // Answered on this machine (see ClusterDnsRoute), never by endpoints.
    if (network.clusterDns && clusterIPs.includes(network.clusterDns.serviceIP)) continue;
    const { namespace, name } = service.metadata;
    const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 : 0;
    for (const port of spec.ports ?? []) {
      const protocol = (port.protocol ?? 'TCP') as string;
      if (protocol !== 'TCP' && protocol !== 'UDP') continue;
      const hasNodePort = port.nodePort && (spec.type === 'NodePort' || spec.type === 'LoadBalancer');
      out.push({
        name: `${namespace}/${name}:${port.name ?? ''}`,
        protocol,
        addresses: [...clusterIPs, ...loadBalancerIPs].map((ip: string) => ({ ip, port: port.port })),
        nodePorts: hasNodePort ? network.nodePortAddresses.map((ip) => ({ ip, port: port.nodePort })) : [],
        endpoints: endpointsForPort(endpointsOf(namespace!, name!), port.name, protocol),
        affinitySeconds,
      });
    }
  }
  return out;
}

export function buildRuleSet(ports: ServicePort[], network: ProxyNetwork): Required<RuleSet> {
  const natChains = [SERVICES_CHAIN, NODE_PORTS_CHAIN, MARK_MASQ_CHAIN, POSTROUTING_CHAIN];
  const nat: string[] = [];
  const filter: string[] = [];
  const dns = network.clusterDns;
  if (dns) {
    for (const proto of ['udp', 'tcp']) {
      nat.push(`-A ${SERVICES_CHAIN} -m comment --comment "cluster DNS on this machine" -d ${dns.serviceIP}/32 -p ${proto} -m ${proto} --dport 53 -j DNAT --to-destination ${dns.address}:${dns.port}`);
    }
  }
  for (const { name: portName, protocol, addresses, nodePorts: nodePortAddresses, endpoints, affinitySeconds } of ports) {
    const proto = protocol.toLowerCase();
    const comment = `-m comment --comment "${portName}"`;
    const match = (d: Destination) => `-d ${d.ip}/32 -p ${proto} -m ${proto} --dport ${d.port}`;
    const destinations = addresses.map(match);
    const nodePorts = nodePortAddresses.map(match);
    if (endpoints.length === 0) {
      // Nothing answers: refuse at once rather than let the connection time out.
      // A TCP reset, because a pod's TCP ignores the ICMP error the host would send it.
      const reject = proto === 'tcp' ? 'tcp-reset' : 'icmp-port-unreachable';
      for (const d of [...destinations, ...nodePorts]) filter.push(`-A ${REJECT_CHAIN} -m comment --comment "${portName} has no endpoints" ${d} -j REJECT --reject-with ${reject}`);
      continue;
    }
    const svcChain = hashedChainName(`${CHAIN_PREFIX}SVC`, portName, protocol);
    natChains.push(svcChain);
    for (const d of destinations) nat.push(`-A ${SERVICES_CHAIN} ${comment} ${d} -j ${svcChain}`);
    for (const d of nodePorts) nat.push(`-A ${NODE_PORTS_CHAIN} ${comment} ${d} -j ${MARK_MASQ_CHAIN}`, `-A ${NODE_PORTS_CHAIN} ${comment} ${d} -j ${svcChain}`);
    // From outside the pod network (the host, a node port): replies must come back through us.
    nat.push(`-A ${svcChain} ${comment} ! -s ${network.podSubnet} -j ${MARK_MASQ_CHAIN}`);
    const sepChains = endpoints.map((ep) => hashedChainName(`${CHAIN_PREFIX}SEP`, portName, protocol, `${ep.ip}:${ep.port}`));
    if (affinitySeconds > 0) {
      sepChains.forEach((sep) => nat.push(`-A ${svcChain} ${comment} -m recent --name ${sep} --mask 255.255.255.255 --rsource --rcheck --seconds ${affinitySeconds} --reap -j ${sep}`));
    }
    endpoints.forEach((ep, i) => {
      const sep = sepChains[i];
      const pick = i < endpoints.length - 1 ? ` -m statistic --mode random --probability ${probability(i, endpoints.length)}` : '';
      nat.push(`-A ${svcChain} ${comment}${pick} -j ${sep}`);
      natChains.push(sep);
      // A pod reaching itself through its Service: without masquerading it would answer itself.
      nat.push(`-A ${sep} ${comment} -s ${ep.ip}/32 -j ${MARK_MASQ_CHAIN}`);
      const recent = affinitySeconds > 0 ? ` -m recent --name ${sep} --mask 255.255.255.255 --rsource --set` : '';
      nat.push(`-A ${sep} ${comment} -p ${proto}${recent} -m ${proto} -j DNAT --to-destination ${ep.ip}:${ep.port}`);
    });
  }
  // Node ports are checked last, for local destinations only, as kube-proxy does.
  nat.push(`-A ${SERVICES_CHAIN} -m addrtype --dst-type LOCAL -j ${NODE_PORTS_CHAIN}`);
  nat.push(`-A ${MARK_MASQ_CHAIN} -j MARK --set-xmark ${MASQ_MARK}/${MASQ_MARK}`);
  nat.push(
    `-A ${POSTROUTING_CHAIN} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    `-A ${POSTROUTING_CHAIN} -j MARK --xor-mark ${MASQ_MARK}`,
    `-A ${POSTROUTING_CHAIN} -j MASQUERADE --random-fully`,
  );
  return { nat: { chains: natChains, rules: nat }, filter: { chains: [REJECT_CHAIN], rules: filter } };
}

function serviceKey(service: KubeObject): string {
  return `${service.metadata.namespace}/${service.metadata.name}`;
}
