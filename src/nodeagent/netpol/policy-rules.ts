// Pure: the iptables filter rules that enforce the compiled firewalls on this machine, in the
// forward path (FORWARD sees bridged traffic too, with bridge-nf-call-iptables, which the service
// proxy sets), after the service proxy's DNAT: traffic sent to a Service is filtered by the
// backend pod's address, as on Kubernetes. One chain per isolated pod and direction: what a rule
// allows RETURNs (on to the other end's checks and the rest of FORWARD), the rest is rejected.
// Replies (conntrack ESTABLISHED, RELATED) always pass, so do a pod's packets to itself. Traffic
// the machine itself sends its pods (probes) takes OUTPUT, not FORWARD: never filtered, as
// Kubernetes allows traffic between a pod and its node. Only the node's DNS server, which stands
// for the kube-dns pods, is filtered in INPUT, so a pod isolated for egress needs a rule for DNS.
import { hashedChainName, type RuleFamily, type RuleSet } from '../iptables/rule-set.js';
import type { Allow, PodFirewall, PortMatch } from './policy-compiler.js';

export const POLICY_CHAIN_PREFIX = 'KCTLNP-';
/** FORWARD jumps here: every isolated pod's checks, by its address. */
export const PODS_CHAIN = `${POLICY_CHAIN_PREFIX}PODS`;
/** INPUT jumps here: pods' queries to this machine's DNS server go through the same checks. */
export const DNS_CHAIN = `${POLICY_CHAIN_PREFIX}DNS`;

export const POLICY_RULES: RuleFamily = {
  prefix: POLICY_CHAIN_PREFIX,
  tables: ['filter'],
  comment: 'kctl network policies',
  jumps: [
    { table: 'filter', from: 'FORWARD', to: PODS_CHAIN, match: [] },
    { table: 'filter', from: 'INPUT', to: DNS_CHAIN, match: [] },
  ],
};

/** Where this machine's DNS server answers pods. */
export interface DnsServer {
  address: string;
  port: number;
}

function portMatch(p: PortMatch | undefined): string {
  if (!p) return '';
  const proto = p.protocol.toLowerCase();
  if (p.from === undefined) return ` -p ${proto}`;
  return ` -p ${proto} -m ${proto} --dport ${p.from === p.to ? p.from : `${p.from}:${p.to}`}`;
}

/** One RETURN per peer and port an allow names (iptables would expand lists the same way). */
function allowRules(chain: string, peerFlag: '-s' | '-d', allows: Allow[]): string[] {
  const out: string[] = [];
  for (const a of allows) {
    for (const peer of a.peers ?? [undefined]) {
      for (const port of a.ports ?? [undefined]) out.push(`-A ${chain}${peer ? ` ${peerFlag} ${peer}` : ''}${portMatch(port)} -j RETURN`);
    }
  }
  return out;
}

function podChain(f: PodFirewall, direction: 'ingress' | 'egress', allows: Allow[]): { chain: string; rules: string[] } {
  const chain = hashedChainName(`${POLICY_CHAIN_PREFIX}${direction === 'ingress' ? 'I' : 'E'}`, f.namespace, f.name);
  const peerFlag = direction === 'ingress' ? '-s' : '-d';
  const comment = `-m comment --comment "${f.namespace}/${f.name} ${direction} denied"`;
  const rules = [
    // A pod can never block itself (it reaches itself through its Service without NAT in FORWARD).
    `-A ${chain} ${peerFlag} ${f.ip}/32 -j RETURN`,
    ...allowRules(chain, peerFlag, allows),
    // Refused at once, rather than left to time out: TCP with a reset, the rest with ICMP.
    `-A ${chain} ${comment} -p tcp -j REJECT --reject-with tcp-reset`,
    `-A ${chain} ${comment} -j REJECT --reject-with icmp-port-unreachable`,
  ];
  return { chain, rules: [...new Set(rules)] };
}

export function buildPolicyRules(firewalls: PodFirewall[], dns: DnsServer): RuleSet {
  const chains = [PODS_CHAIN, DNS_CHAIN];
  const rules = [`-A ${PODS_CHAIN} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`];
  for (const proto of ['udp', 'tcp']) rules.push(`-A ${DNS_CHAIN} -d ${dns.address}/32 -p ${proto} -m ${proto} --dport ${dns.port} -j ${PODS_CHAIN}`);
  const perPod: string[] = [];
  for (const f of firewalls) {
    for (const direction of ['egress', 'ingress'] as const) {
      const allows = f[direction];
      if (!allows) continue;
      const { chain, rules: own } = podChain(f, direction, allows);
      chains.push(chain);
      rules.push(`-A ${PODS_CHAIN} ${direction === 'ingress' ? '-d' : '-s'} ${f.ip}/32 -m comment --comment "${f.namespace}/${f.name} ${direction}" -j ${chain}`);
      perPod.push(...own);
    }
  }
  return { filter: { chains, rules: [...rules, ...perPod] } };
}
