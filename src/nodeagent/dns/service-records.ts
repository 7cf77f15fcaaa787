// Pure: the DNS names one Service (with its Endpoints) gives, as CoreDNS' kubernetes plugin
// publishes them (https://github.com/kubernetes/dns/blob/master/docs/specification.md):
//   <svc>.<ns>.svc.<domain>                 A: the ClusterIP; headless: every ready endpoint address
//                                           CNAME: the externalName of an ExternalName Service
//                                           SRV: one per port (headless: per port and endpoint)
//   _<port>._<proto>.<svc>.<ns>.svc.<domain> SRV for a named port
//   <hostname>.<svc>.<ns>.svc.<domain>      A: an endpoint (its hostname, else its address dashed)
//   <reversed IP>.in-addr.arpa              PTR: back to the Service or headless endpoint name
// plus the names between them and the domain, which exist without records of their own.
import type { EndpointAddress, Endpoints, Service } from 'kubernetes-types/core/v1.js';

export interface SrvTarget {
  port: number;
  /** The name the SRV points at, which has the A record. */
  target: string;
}

/** The records one owner name holds (a name with none of them exists but answers no data). */
export interface NameRecords {
  a?: string[];
  cname?: string;
  srv?: SrvTarget[];
  ptr?: string[];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIPv4(s: string): boolean {
  const m = IPV4.exec(s);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255);
}

/** `4.3.2.1.in-addr.arpa` for 1.2.3.4. */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

export function serviceName(namespace: string, name: string, domain: string): string {
  return `${name}.${namespace}.svc.${domain}`.toLowerCase();
}

/** CoreDNS' endpoint label: the address' hostname, else its IP with dashes. */
export function endpointLabel(addr: EndpointAddress): string {
  return (addr.hostname || addr.ip.replace(/[.:]/g, '-')).toLowerCase();
}

function add(names: Map<string, NameRecords>, name: string, records: NameRecords = {}): void {
  const entry = names.get(name) ?? {};
  if (records.a) entry.a = [...new Set([...(entry.a ?? []), ...records.a])];
  if (records.cname) entry.cname = records.cname;
  if (records.srv) entry.srv = [...(entry.srv ?? []), ...records.srv];
  if (records.ptr) entry.ptr = [...new Set([...(entry.ptr ?? []), ...records.ptr])];
  names.set(name, entry);
}

function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** Every name the Service gives, with its records; Endpoints may be missing (not yet made). */
export function serviceRecords(svc: Service, endpoints: Endpoints | undefined, domain: string): Map<string, NameRecords> {
  const ns = svc.metadata?.namespace ?? 'default';
  const base = serviceName(ns, svc.metadata?.name ?? '', domain);
  const names = new Map<string, NameRecords>();
  // The names between the Service's and the domain exist: `<ns>.svc.<domain>`, `svc.<domain>`.
  for (let n = base.slice(base.indexOf('.') + 1); n.length > domain.length; n = n.slice(n.indexOf('.') + 1)) add(names, n);
  add(names, base);

  if (svc.spec?.type === 'ExternalName') {
    if (svc.spec.externalName) add(names, base, { cname: svc.spec.externalName.replace(/\.$/, '').toLowerCase() });
    return names;
  }

  const ports = svc.spec?.ports ?? [];
  const headless = isHeadless(svc);
  const clusterIPs = headless ? [] : (svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : [])).filter(isIPv4);
  if (!headless) {
    add(names, base, { a: clusterIPs, srv: ports.map((p) => ({ port: p.port, target: base })) });
    for (const p of ports) if (p.name) addNamedPort(names, p.name, p.protocol, base, { port: p.port, target: base });
    for (const ip of clusterIPs) add(names, reverseName(ip), { ptr: [base] });
  }

  for (const subset of endpoints?.subsets ?? []) {
    for (const addr of subset.addresses ?? []) {
      if (!isIPv4(addr.ip)) continue;
      const host = `${endpointLabel(addr)}.${base}`;
      add(names, host, { a: [addr.ip] });
      if (!headless) continue;
      add(names, base, { a: [addr.ip] });
      add(names, reverseName(addr.ip), { ptr: [host] });
      for (const p of subset.ports ?? []) {
        add(names, base, { srv: [{ port: p.port, target: host }] });
        if (p.name) addNamedPort(names, p.name, p.protocol, base, { port: p.port, target: host });
      }
    }
  }
  return names;
}

/** SRV at `_<port>._<proto>.<service name>`; its parent `_<proto>.<service name>` exists too. */
function addNamedPort(names: Map<string, NameRecords>, port: string, protocol: string | undefined, base: string, srv: SrvTarget): void {
  const proto = `_${(protocol ?? 'TCP').toLowerCase()}.${base}`;
  add(names, proto);
  add(names, `_${port.toLowerCase()}.${proto}`, { srv: [srv] });
}
