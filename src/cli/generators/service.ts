// The Service `kubectl create service clusterip|nodeport|loadbalancer|externalname` builds: labels
// and selector `app: NAME`, one TCP port per `--tcp=port[:targetPort]` named after it (`80-8080`).
import type { KubeObject } from '../../api/types.js';
import { isDNS1123Subdomain, isValidPortName } from '../../api/validation/names.js';
import { CliError } from '../errors.js';
import { atoi, parsePort } from './go-strconv.js';

export type CreatedServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServiceFlags {
  name: string;
  type: CreatedServiceType;
  /** `--tcp` values as given; each may hold several comma-separated specs. */
  tcp: string[];
  clusterIP?: string;
  nodePort?: number;
  externalName?: string;
  /** Set only when -n was given, as kubectl does. */
  namespace?: string;
}

/** `--tcp` is a string slice flag: each value is comma-separated, and an empty value adds nothing. */
export function tcpSpecs(values: string[]): string[] {
  return values.flatMap((v) => (v === '' ? [] : v.split(',')));
}

/** `port[:targetPort]`: the target is a port number or name, and defaults to the port. */
export function parseTcpSpec(spec: string): { port: number; targetPort: number | string } {
  const parts = spec.split(':');
  const port = parsePort(parts[0]);
  if (parts.length === 1) return { port, targetPort: port };
  const n = atoi(parts[1]);
  if (n === undefined) {
    const errs = isValidPortName(parts[1]);
    if (errs.length) throw new CliError(errs.join(','));
    return { port, targetPort: parts[1] };
  }
  if (n < 1 || n > 65535) throw new CliError('must be between 1 and 65535, inclusive');
  return { port, targetPort: n };
}

export function validateServiceFlags(f: ServiceFlags): void {
  const tcp = tcpSpecs(f.tcp);
  if (f.clusterIP === 'None' && f.type !== 'ClusterIP') throw new CliError('ClusterIP=None can only be used with ClusterIP service type');
  if (f.clusterIP !== 'None' && tcp.length === 0 && f.type !== 'ExternalName') throw new CliError('at least one tcp port specifier must be provided');
  if (f.type === 'ExternalName' && isDNS1123Subdomain(f.externalName ?? '').length) throw new CliError(`invalid service external name ${f.externalName ?? ''}`);
}

export function serviceFor(f: ServiceFlags): KubeObject {
  const ports = tcpSpecs(f.tcp).map((spec) => {
    const { port, targetPort } = parseTcpSpec(spec);
    return { name: spec.replaceAll(':', '-'), protocol: 'TCP', port, targetPort, ...(f.nodePort ? { nodePort: f.nodePort } : {}) };
  });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: f.name, ...(f.namespace ? { namespace: f.namespace } : {}), labels: { app: f.name } },
    spec: {
      ...(ports.length ? { ports } : {}),
      selector: { app: f.name },
      ...(f.clusterIP ? { clusterIP: f.clusterIP } : {}),
      type: f.type,
      ...(f.externalName ? { externalName: f.externalName } : {}),
    },
  };
}
