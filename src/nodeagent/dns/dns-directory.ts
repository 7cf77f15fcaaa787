// The cluster's DNS names, kept ready for lookups: whenever a Service or its Endpoints change,
// that Service's names are computed again and merged in, so a query is one map lookup.
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import { serviceRecords, type NameRecords } from './service-records.js';

/** What the resolver reads: the records of a lower-case name inside or outside the cluster domain. */
export interface DnsDirectory {
  readonly domain: string;
  lookup(name: string): NameRecords | undefined;
}

function merge(parts: Iterable<NameRecords>): NameRecords {
  const out: NameRecords = {};
  for (const p of parts) {
    if (p.a) out.a = [...new Set([...(out.a ?? []), ...p.a])];
    if (p.cname) out.cname = p.cname;
    if (p.srv) out.srv = [...(out.srv ?? []), ...p.srv];
    if (p.ptr) out.ptr = [...new Set([...(out.ptr ?? []), ...p.ptr])];
  }
  return out;
}

export class ServiceDirectory implements DnsDirectory {
  private readonly services = new Map<string, Service>();
  private readonly endpoints = new Map<string, Endpoints>();
  /** By Service key: the names it gives. */
  private readonly given = new Map<string, Map<string, NameRecords>>();
  /** By name: what each Service gives it (two Services share a reverse name or a namespace's name). */
  private readonly byName = new Map<string, Map<string, NameRecords>>();
  private readonly merged = new Map<string, NameRecords>();

  constructor(readonly domain: string) {
    this.domain = domain.toLowerCase().replace(/\.$/, '');
    // The domain and `svc.<domain>` exist even without Services.
    for (const n of [this.domain, `svc.${this.domain}`]) this.merged.set(n, {});
  }

  lookup(name: string): NameRecords | undefined {
    return this.merged.get(name);
  }

  setService(svc: Service): void {
    const key = keyOf(svc);
    this.services.set(key, svc);
    this.refresh(key);
  }

  deleteService(svc: Service): void {
    const key = keyOf(svc);
    this.services.delete(key);
    this.refresh(key);
  }

  setEndpoints(ep: Endpoints): void {
    const key = keyOf(ep);
    this.endpoints.set(key, ep);
    if (this.services.has(key)) this.refresh(key);
  }

  deleteEndpoints(ep: Endpoints): void {
    const key = keyOf(ep);
    this.endpoints.delete(key);
    if (this.services.has(key)) this.refresh(key);
  }

  private refresh(key: string): void {
    const svc = this.services.get(key);
    const now = svc ? serviceRecords(svc, this.endpoints.get(key), this.domain) : new Map<string, NameRecords>();
    const before = this.given.get(key) ?? new Map<string, NameRecords>();
    for (const name of before.keys()) if (!now.has(name)) this.set(name, key, undefined);
    for (const [name, records] of now) this.set(name, key, records);
    if (now.size > 0) this.given.set(key, now);
    else this.given.delete(key);
  }

  private set(name: string, key: string, records: NameRecords | undefined): void {
    let parts = this.byName.get(name);
    if (records) {
      if (!parts) this.byName.set(name, (parts = new Map()));
      parts.set(key, records);
    } else parts?.delete(key);
    if (parts && parts.size > 0) this.merged.set(name, merge(parts.values()));
    else {
      this.byName.delete(name);
      if (name !== this.domain && name !== `svc.${this.domain}`) this.merged.delete(name);
    }
  }
}

function keyOf(obj: Service | Endpoints): string {
  return `${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name}`;
}
