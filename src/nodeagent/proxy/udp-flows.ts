// UDP has no connection to end: conntrack keeps a flow's NAT decision for as long as packets keep
// coming, so a client would go on sending to an endpoint that is gone, or, when the Service had
// no endpoint when the flow began, to the bare service address. As kube-proxy does after each
// sync, the flows the new rules no longer agree with are deleted, so the next packet is NATed anew.
import type { ServicePort } from './service-rules.js';

/** Each UDP service address (`ip:port`, node ports included) and its endpoints' IPs. */
export type UdpTable = Map<string, Set<string>>;

/** Which flows to delete: to `ip:port`, only those NATed to `endpointIP` when set. */
export interface StaleFlows {
  ip: string;
  port: number;
  endpointIP?: string;
}

export function udpTable(ports: ServicePort[]): UdpTable {
  const table: UdpTable = new Map();
  for (const p of ports) {
    if (p.protocol !== 'UDP') continue;
    for (const d of [...p.addresses, ...p.nodePorts]) table.set(`${d.ip}:${d.port}`, new Set(p.endpoints.map((e) => e.ip)));
  }
  return table;
}

/**
 * The flows `after` makes stale. Without a `before` (the proxy just started) nothing is known to
 * be stale, and established flows are left alone.
 */
export function staleUdpFlows(before: UdpTable | undefined, after: UdpTable): StaleFlows[] {
  if (!before) return [];
  const stale: StaleFlows[] = [];
  const destination = (key: string) => {
    const i = key.lastIndexOf(':');
    return { ip: key.slice(0, i), port: Number(key.slice(i + 1)) };
  };
  for (const [key, now] of after) {
    const was = before.get(key) ?? new Set<string>();
    // Flows begun while nothing answered were never NATed: all of them go.
    if (was.size === 0 && now.size > 0) stale.push(destination(key));
    for (const ip of was) if (!now.has(ip)) stale.push({ ...destination(key), endpointIP: ip });
  }
  for (const [key, was] of before) {
    if (after.has(key)) continue;
    for (const ip of was) stale.push({ ...destination(key), endpointIP: ip });
  }
  return stale;
}
