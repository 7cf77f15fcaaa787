// Cluster IPs and node ports of Services, as kube-apiserver's service REST allocates them: an
// explicit value is taken if it is free and in range, a missing one is picked, and what a write
// no longer uses goes back once the write is stored. The sets live in memory and are rebuilt from
// the stored Services when the registry starts: the store is the truth. The registry's writes are
// synchronous from check to store, so two creates can never both take one value.
import type { KubeObject, StatusCause } from '../../api/types.js';
import { ApiError, errors } from '../../api/errors.js';
import { NODE_PORT_RANGE, SERVICE_CIDR } from '../../api/cluster-network.js';
import { AllocationError, IpRangeAllocator } from '../../api/allocators/ip-range-allocator.js';
import { PortRangeAllocator, type PortRange } from '../../api/allocators/port-range-allocator.js';
import { goStringSlice, invalid } from './strategies/field-errors.js';
import { hasNodePortType, needsClusterIP, needsHealthCheckNodePort, needsNodePorts } from './strategies/service.js';

export interface ServiceRanges {
  /** --service-cluster-ip-range. */
  clusterIPRange: string;
  /** --service-node-port-range. */
  nodePortRange: PortRange;
}

export const DEFAULT_SERVICE_RANGES: ServiceRanges = { clusterIPRange: SERVICE_CIDR, nodePortRange: NODE_PORT_RANGE };

/** What one write took and will give back: commit once it is stored, revert when it is not (or a dry run). */
export interface AllocationTransaction {
  commit(): void;
  revert(): void;
}

export const NO_ALLOCATION: AllocationTransaction = { commit() {}, revert() {} };

/** The cluster IPs a stored Service holds (none for headless and ExternalName). */
export function clusterIPsOf(svc: KubeObject | undefined): string[] {
  if (!svc || !needsClusterIP(svc.spec ?? {})) return [];
  const ips: string[] = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== 'None');
}

/** The node ports a stored Service holds, its health check node port included. */
export function nodePortsOf(svc: KubeObject | undefined): number[] {
  if (!svc || !hasNodePortType(svc.spec ?? {})) return [];
  const ports = new Set<number>();
  for (const port of svc.spec?.ports ?? []) if (port.nodePort > 0) ports.add(port.nodePort);
  if (needsHealthCheckNodePort(svc.spec ?? {}) && svc.spec.healthCheckNodePort > 0) ports.add(svc.spec.healthCheckNodePort);
  return [...ports];
}

function internalError(message: string): ApiError {
  return new ApiError('InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

function invalidService(svc: KubeObject, cause: StatusCause): ApiError {
  return errors.invalid('Service', '', svc.metadata.name ?? '', [cause]);
}

/** One write's allocations: taken at once (so later steps of the same write see them), released later. */
class Operation implements AllocationTransaction {
  private readonly takenIPs: string[] = [];
  private readonly takenPorts: number[] = [];
  private readonly freedIPs: string[] = [];
  private readonly freedPorts: number[] = [];

  constructor(
    private readonly ips: IpRangeAllocator,
    private readonly ports: PortRangeAllocator,
  ) {}

  allocateIP(ip?: string): string {
    const got = ip ?? this.ips.allocateNext();
    if (ip) this.ips.allocate(ip);
    this.takenIPs.push(got);
    return got;
  }

  allocatePort(port?: number): number {
    const got = port ?? this.ports.allocateNext();
    if (port) this.ports.allocate(port);
    this.takenPorts.push(got);
    return got;
  }

  releaseIPOnCommit(ip: string): void {
    this.freedIPs.push(ip);
  }

  releasePortOnCommit(port: number): void {
    this.freedPorts.push(port);
  }

  commit(): void {
    for (const ip of this.freedIPs) this.ips.release(ip);
    for (const port of this.freedPorts) this.ports.release(port);
  }

  revert(): void {
    for (const ip of this.takenIPs) this.ips.release(ip);
    for (const port of this.takenPorts) this.ports.release(port);
  }
}

export class ServiceAllocations {
  readonly clusterIPs: IpRangeAllocator;
  readonly nodePorts: PortRangeAllocator;

  constructor(ranges: ServiceRanges, stored: Iterable<KubeObject>, random?: () => number) {
    // The range's first address is the `kubernetes` Service's, as kube-apiserver keeps it.
    this.clusterIPs = new IpRangeAllocator(ranges.clusterIPRange, { pick: 'random', reserved: [0], random });
    this.nodePorts = new PortRangeAllocator(ranges.nodePortRange, random);
    for (const svc of stored) {
      // A value outside today's ranges (the flags changed) stays with its Service, untracked; a
      // value two Services hold (it cannot happen through this registry) is tracked once.
      for (const ip of clusterIPsOf(svc)) tryAllocate(() => this.clusterIPs.allocate(ip));
      for (const port of nodePortsOf(svc)) tryAllocate(() => this.nodePorts.allocate(port));
    }
  }

  /**
   * Fills in svc's cluster IP and node ports (create: no old; update: the stored Service), taking
   * what it names or is given; throws Invalid (a value taken or out of range) or InternalError (a
   * range is full). Nothing is kept or given back until the transaction is committed.
   */
  allocate(svc: KubeObject, old?: KubeObject): AllocationTransaction {
    const op = new Operation(this.clusterIPs, this.nodePorts);
    try {
      this.allocateClusterIP(svc, old, op);
      this.allocateNodePorts(svc, old, op);
      this.allocateHealthCheckNodePort(svc, old, op);
    } catch (err) {
      op.revert();
      throw err;
    }
    const keptIPs = new Set(clusterIPsOf(svc));
    for (const ip of clusterIPsOf(old)) if (!keptIPs.has(ip)) op.releaseIPOnCommit(ip);
    const keptPorts = new Set(nodePortsOf(svc));
    for (const port of nodePortsOf(old)) if (!keptPorts.has(port)) op.releasePortOnCommit(port);
    return op;
  }

  /** Gives back what a Service held, once it is gone from the store. */
  release(svc: KubeObject): void {
    for (const ip of clusterIPsOf(svc)) this.clusterIPs.release(ip);
    for (const port of nodePortsOf(svc)) this.nodePorts.release(port);
  }

  private allocateClusterIP(svc: KubeObject, old: KubeObject | undefined, op: Operation): void {
    const spec = svc.spec;
    if (!needsClusterIP(spec)) return;
    if (spec.clusterIP === 'None') {
      spec.clusterIPs = ['None'];
      return;
    }
    const wanted: string | undefined = spec.clusterIP || undefined;
    if (wanted && clusterIPsOf(old).includes(wanted)) return;
    let ip: string;
    try {
      ip = op.allocateIP(wanted);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      if (!wanted) throw internalError(`failed to allocate a serviceIP: ${err.message}`);
      throw invalidService(svc, invalid('spec.clusterIPs', goStringSlice(spec.clusterIPs ?? [wanted]), `failed to allocate IP ${wanted}: ${err.message}`));
    }
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }

  /**
   * Ports with the same number (TCP and UDP of one service port) share a node port, as in
   * Kubernetes; a value the stored Service already holds is not taken again.
   */
  private allocateNodePorts(svc: KubeObject, old: KubeObject | undefined, op: Operation): void {
    const spec = svc.spec;
    if (!hasNodePortType(spec)) return;
    const allocateMissing = needsNodePorts(spec);
    const held = new Set(nodePortsOf(old));
    const byServicePort = new Map<number, number>();
    const ports: any[] = spec.ports ?? [];
    ports.forEach((port, i) => {
      if (!port.nodePort && !allocateMissing) return;
      if (!port.nodePort) {
        const shared = byServicePort.get(port.port) ?? ports.find((p, j) => j > i && p.port === port.port && p.nodePort)?.nodePort;
        if (shared) port.nodePort = shared;
        else {
          port.nodePort = allocateNext(op, 'a nodePort');
          held.add(port.nodePort);
        }
      }
      if (!held.has(port.nodePort)) {
        try {
          op.allocatePort(port.nodePort);
        } catch (err) {
          if (!(err instanceof AllocationError)) throw err;
          throw invalidService(svc, invalid(`spec.ports[${i}].nodePort`, port.nodePort, err.message));
        }
        held.add(port.nodePort);
      }
      byServicePort.set(port.port, port.nodePort);
    });
  }

  private allocateHealthCheckNodePort(svc: KubeObject, old: KubeObject | undefined, op: Operation): void {
    const spec = svc.spec;
    if (!needsHealthCheckNodePort(spec)) {
      delete spec.healthCheckNodePort;
      return;
    }
    const requested: number | undefined = spec.healthCheckNodePort || undefined;
    if (requested && nodePortsOf(old).includes(requested)) return;
    if (!requested) {
      spec.healthCheckNodePort = allocateNext(op, 'a HealthCheck NodePort');
      return;
    }
    try {
      op.allocatePort(requested);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw internalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${err.message}`);
    }
  }
}

function allocateNext(op: Operation, what: string): number {
  try {
    return op.allocatePort();
  } catch (err) {
    if (err instanceof AllocationError) throw internalError(`failed to allocate ${what}: ${err.message}`);
    throw err;
  }
}

function tryAllocate(allocate: () => void): void {
  try {
    allocate();
  } catch (err) {
    if (!(err instanceof AllocationError)) throw err;
  }
}
