// Which LoadBalancer Service has which address of the load balancer range: one each, the lowest
// free one unless spec.loadBalancerIP asks for another, kept for as long as the Service stays a
// LoadBalancer. Rebuilt from the Services' published statuses, so addresses survive restarts.
import type { KubeObject } from '../../../api/types.js';
import { objectKey } from '../../../api/informer.js';
import { AllocationError, IpRangeAllocator } from '../../../api/allocators/ip-range-allocator.js';

/** The load balancers this controller provides: LoadBalancer Services that ask for no other implementation. */
export function isOurLoadBalancer(svc: KubeObject | undefined): boolean {
  return svc?.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

export function publishedAddresses(svc: KubeObject): string[] {
  return (svc.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip).filter((ip: unknown): ip is string => !!ip);
}

export type Assignment = { ip: string } | { error: string };

export class LoadBalancerAddresses {
  private readonly allocator: IpRangeAllocator;
  private readonly byService = new Map<string, string>();

  constructor(readonly cidr: string) {
    this.allocator = new IpRangeAllocator(cidr, { pick: 'lowest' });
  }

  /** Takes back what the Services show, oldest first (of two showing one address, the older keeps it). */
  rebuild(services: readonly KubeObject[]): void {
    const ours = services.filter(isOurLoadBalancer).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    for (const svc of ours) {
      const ip = publishedAddresses(svc).find((address) => this.allocator.contains(address) && !this.allocator.has(address));
      if (!ip) continue;
      this.allocator.allocate(ip);
      this.byService.set(objectKey(svc), ip);
    }
  }

  addressOf(key: string): string | undefined {
    return this.byService.get(key);
  }

  /** The Service's address: the one it has, the one it asks for, or the lowest free one. */
  assign(svc: KubeObject): Assignment {
    const key = objectKey(svc);
    const current = this.byService.get(key);
    const requested: string | undefined = svc.spec?.loadBalancerIP || undefined;
    if (current && (!requested || requested === current)) return { ip: current };
    if (requested && !this.allocator.contains(requested)) {
      return { error: `requested loadBalancerIP ${requested} is not in the load balancer range ${this.cidr}` };
    }
    if (requested && this.allocator.has(requested)) return { error: `requested loadBalancerIP ${requested} is used by another Service` };
    let ip: string;
    try {
      ip = requested ?? this.allocator.allocateNext();
    } catch (err) {
      if (err instanceof AllocationError) return { error: `no address left in the load balancer range ${this.cidr}` };
      throw err;
    }
    if (requested) this.allocator.allocate(requested);
    if (current) this.allocator.release(current);
    this.byService.set(key, ip);
    return { ip };
  }

  release(key: string): void {
    const ip = this.byService.get(key);
    if (ip) this.allocator.release(ip);
    this.byService.delete(key);
  }
}
