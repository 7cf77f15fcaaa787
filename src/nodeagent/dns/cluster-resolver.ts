// Pure: one question → the answer CoreDNS' kubernetes plugin would give, over a DnsDirectory.
// Names outside the cluster domain (and reverse names the cluster does not hold) are for the
// upstream resolvers; unknown names inside the domain are NXDOMAIN; a name without records of
// the type asked (AAAA on a single-stack IPv4 cluster) is an empty NOERROR, with the SOA so
// resolvers cache the negative answer for the TTL.
import { CLASS_IN, RCODE, TYPE, type Question, type ResourceRecord } from './dns-message.js';
import type { DnsDirectory } from './dns-directory.js';
import { isIPv4 } from './service-records.js';

/** CoreDNS' kubernetes plugin's default TTL. */
export const TTL_SECONDS = 5;
/** CNAMEs followed inside the cluster before giving up (a loop of ExternalNames). */
const MAX_CNAME_CHAIN = 8;

export interface Resolution {
  /** Not the cluster's: the query goes to the upstream resolvers as it is. */
  forward: boolean;
  rcode: number;
  /** Authoritative: the answer is the cluster's own. */
  aa: boolean;
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  /** A CNAME target outside the cluster, whose records the server asks the upstreams for. */
  chase?: string;
}

const FORWARD: Resolution = { forward: true, rcode: RCODE.NOERROR, aa: false, answers: [], authorities: [], additionals: [] };

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function inDomain(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

export function soaRecord(domain: string): ResourceRecord {
  return {
    name: domain,
    type: TYPE.SOA,
    class: CLASS_IN,
    ttl: TTL_SECONDS,
    // CoreDNS' values; the serial only has to be a number, nothing transfers the zone.
    data: { mname: `ns.dns.${domain}`, rname: `hostmaster.${domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: TTL_SECONDS },
  };
}

/** `1-2-3-4.<ns>.pod.<domain>` → 1.2.3.4, as CoreDNS' `pods insecure` answers any such name. */
function podAddress(name: string, domain: string): string | undefined {
  const suffix = `.pod.${domain}`;
  if (!name.endsWith(suffix)) return undefined;
  const labels = name.slice(0, -suffix.length).split('.');
  if (labels.length !== 2) return undefined;
  const ip = labels[0].replace(/-/g, '.');
  return isIPv4(ip) ? ip : undefined;
}

function rr(name: string, type: number, data: ResourceRecord['data']): ResourceRecord {
  return { name, type, class: CLASS_IN, ttl: TTL_SECONDS, data };
}

export function resolve(dir: DnsDirectory, q: Question): Resolution {
  const name = normalize(q.name);
  const domain = dir.domain;
  if (!inDomain(name, domain)) {
    // Reverse names of Service and endpoint addresses are the cluster's; other ones are not.
    if (!dir.lookup(name)?.ptr) return FORWARD;
  } else if (q.class !== CLASS_IN && q.class !== TYPE.ANY) {
    return { ...FORWARD, forward: false, rcode: RCODE.REFUSED };
  }
  const out: Resolution = { forward: false, rcode: RCODE.NOERROR, aa: true, answers: [], authorities: [], additionals: [] };
  let owner = q.name.replace(/\.$/, '');
  let lookupName = name;
  for (let hop = 0; ; hop++) {
    const pod = podAddress(lookupName, domain);
    const records = dir.lookup(lookupName) ?? (pod ? { a: [pod] } : undefined);
    if (!records) {
      out.rcode = RCODE.NXDOMAIN;
      break;
    }
    if (records.cname && q.type !== TYPE.CNAME) {
      out.answers.push(rr(owner, TYPE.CNAME, { target: records.cname }));
      if (!inDomain(records.cname, domain)) {
        out.chase = records.cname;
        return out;
      }
      if (hop + 1 >= MAX_CNAME_CHAIN) {
        out.rcode = RCODE.SERVFAIL;
        return out;
      }
      owner = lookupName = records.cname;
      continue;
    }
    out.answers.push(...answersOf(dir, owner, q.type, records, out.additionals));
    break;
  }
  if (out.answers.length === 0 || out.rcode === RCODE.NXDOMAIN) out.authorities.push(soaRecord(domain));
  return out;
}

function answersOf(dir: DnsDirectory, owner: string, type: number, records: NonNullable<ReturnType<DnsDirectory['lookup']>>, additionals: ResourceRecord[]): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  const name = normalize(owner);
  if (type === TYPE.CNAME && records.cname) out.push(rr(owner, TYPE.CNAME, { target: records.cname }));
  if (type === TYPE.A || type === TYPE.ANY) for (const a of records.a ?? []) out.push(rr(owner, TYPE.A, { address: a }));
  if (type === TYPE.PTR || type === TYPE.ANY) for (const p of records.ptr ?? []) out.push(rr(owner, TYPE.PTR, { target: p }));
  if (type === TYPE.SRV || type === TYPE.ANY) {
    const srv = records.srv ?? [];
    // All at priority 0 sharing a weight of 100, as CoreDNS splits it.
    const weight = srv.length > 0 ? Math.floor(100 / srv.length) : 0;
    const targets = new Set<string>();
    for (const s of srv) {
      out.push(rr(owner, TYPE.SRV, { priority: 0, weight, port: s.port, target: s.target }));
      targets.add(s.target);
    }
    for (const t of targets) for (const a of dir.lookup(t)?.a ?? []) additionals.push(rr(t, TYPE.A, { address: a }));
  }
  if (name === dir.domain && (type === TYPE.SOA || type === TYPE.ANY)) out.push(soaRecord(dir.domain));
  if (name === dir.domain && (type === TYPE.NS || type === TYPE.ANY)) out.push(rr(owner, TYPE.NS, { target: `ns.dns.${dir.domain}` }));
  return out;
}
