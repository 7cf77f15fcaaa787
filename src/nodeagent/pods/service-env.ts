// Pure: Kubernetes' service environment variables (the kubelet's getServiceEnvVarMap and
// envvars.FromServices): for each Service with a ClusterIP, `<NAME>_SERVICE_HOST`,
// `<NAME>_SERVICE_PORT[_<PORT NAME>]` and the Docker-links `<NAME>_PORT…` variables.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';

/** The Services every pod gets variables for, from the `default` namespace. */
const MASTER_SERVICES = new Set(['kubernetes']);
const MASTER_NAMESPACE = 'default';

/** `my-svc` → `MY_SVC`. */
function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

function hasClusterIP(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/**
 * Which Services the pod's containers learn about: those of its namespace with a ClusterIP when
 * enableServiceLinks (default true), and, whatever it says, the API server's `kubernetes`
 * Service of `default` (a Service of the pod's own namespace with that name wins).
 */
export function linkedServices(pod: Pod, services: Service[]): Service[] {
  const ns = pod.metadata?.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks ?? true;
  const byName = new Map<string, Service>();
  for (const svc of services) {
    if (!hasClusterIP(svc)) continue;
    const name = svc.metadata?.name ?? '';
    const svcNs = svc.metadata?.namespace ?? 'default';
    if (svcNs === MASTER_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, svc);
    } else if (svcNs === ns && links) byName.set(name, svc);
  }
  return [...byName.values()];
}

/** The variables of the given Services, in the kubelet's order for each. */
export function serviceEnvVars(services: Service[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const svc of services) {
    if (!hasClusterIP(svc)) continue;
    const ports = svc.spec?.ports ?? [];
    if (ports.length === 0) continue;
    const ip = svc.spec!.clusterIP!;
    const prefix = envName(svc.metadata?.name ?? '');
    out.push([`${prefix}_SERVICE_HOST`, ip]);
    out.push([`${prefix}_SERVICE_PORT`, String(ports[0].port)]);
    for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
    const host = ip.includes(':') ? `[${ip}]` : ip;
    ports.forEach((p, i) => {
      const proto = p.protocol ?? 'TCP';
      const url = `${proto.toLowerCase()}://${host}:${p.port}`;
      // Docker links name the first port's URL without a port.
      if (i === 0) out.push([`${prefix}_PORT`, url]);
      const portPrefix = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push([portPrefix, url], [`${portPrefix}_PROTO`, proto.toLowerCase()], [`${portPrefix}_PORT`, String(p.port)], [`${portPrefix}_ADDR`, ip]);
    });
  }
  return out;
}

/** The pod's service variables, by name. */
export function podServiceEnv(pod: Pod, services: Service[]): Map<string, string> {
  return new Map(serviceEnvVars(linkedServices(pod, services)));
}
