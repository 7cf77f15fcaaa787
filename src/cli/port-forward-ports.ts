// The port arguments of `port-forward`, read as kubectl reads them: `[LOCAL:]REMOTE` with a remote
// that may be a named container port (pods) or a service port (services, mapped to the pod's
// targetPort), then parsed as client-go's port-forwarder parses them, with their error texts.
import { isIP } from 'node:net';
import type { KubeObject } from '../api/types.js';

export interface ForwardedPort {
  /** 0: any free port, chosen when listening. */
  local: number;
  remote: number;
}

export interface ListenAddress {
  address: string;
  family: 4 | 6;
  /** `all`: an error only when every address of the mode failed (localhost); `any`: any failure. */
  failureMode: 'all' | 'any';
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

/** kubectl's splitPort: `L:R` as its two parts, anything else as the same port twice. */
export function splitPort(spec: string): [string, string] {
  const parts = spec.split(':');
  return parts.length === 2 ? [parts[0], parts[1]] : [parts[0], parts[0]];
}

/** Go's strconv.Atoi, as kubectl uses it to tell numbers from port names. */
function isInteger(text: string): boolean {
  return /^[+-]?\d+$/.test(text);
}

/** Go's strconv.ParseUint(text, 10, 16), with its errors. */
function parseUint16(text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (n > 65535) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

function containerPorts(pod: KubeObject): ContainerPort[] {
  return ((pod.spec?.containers ?? []) as { ports?: ContainerPort[] }[]).flatMap((c) => c.ports ?? []);
}

function servicePorts(svc: KubeObject): ServicePort[] {
  return (svc.spec?.ports ?? []) as ServicePort[];
}

export function containerPortByName(pod: KubeObject, name: string): number {
  const port = containerPorts(pod).find((p) => p.name === name);
  if (!port) throw new Error(`Pod '${pod.metadata.name}' does not have a named port '${name}'`);
  return port.containerPort;
}

function servicePortByName(svc: KubeObject, name: string): number {
  const port = servicePorts(svc).find((p) => p.name === name);
  if (!port) throw new Error(`Service '${svc.metadata.name}' does not have a named port '${name}'`);
  return port.port;
}

/** The pod port a service port leads to (util.LookupContainerPortNumberByServicePort). */
export function containerPortForServicePort(svc: KubeObject, pod: KubeObject, port: number): number {
  const spec = servicePorts(svc).find((p) => p.port === port);
  if (!spec) throw new Error(`Service ${svc.metadata.name} does not have a service port ${port}`);
  if (svc.spec?.clusterIP === 'None') return port;
  if (typeof spec.targetPort === 'string' && !isInteger(spec.targetPort)) return containerPortByName(pod, spec.targetPort);
  // An omitted targetPort is the port itself.
  return Number(spec.targetPort ?? 0) || spec.port;
}

/** A pod's named remote ports as numbers (convertPodNamedPortToNumber). */
export function podPortsToNumbers(specs: string[], pod: KubeObject): string[] {
  return specs.map((spec) => {
    const [local, remote] = splitPort(spec);
    const number = isInteger(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${number}` : number;
  });
}

/**
 * Service ports as the pod ports they lead to (translateServicePortToTargetPort): `80` with a
 * targetPort of 8000 becomes `80:8000`, so the local port stays the service's.
 */
export function servicePortsToTargetPorts(specs: string[], svc: KubeObject, pod: KubeObject): string[] {
  return specs.map((spec) => {
    let [local, remote] = splitPort(spec);
    let port: number;
    if (isInteger(remote)) port = Number(remote);
    else {
      port = servicePortByName(svc, remote);
      if (local === remote) local = String(port);
    }
    const target = String(containerPortForServicePort(svc, pod, port));
    return local !== target ? `${local}:${target}` : target;
  });
}

/** kubectl refuses ports that are only UDP on the object (checkUDPPorts). */
export function checkUdpPorts(specs: string[], obj: KubeObject): void {
  const isService = obj.kind === 'Service';
  const ports: { port: number; protocol?: string }[] = isService ? servicePorts(obj) : containerPorts(obj).map((p) => ({ port: p.containerPort, protocol: p.protocol }));
  const tcp = new Set(ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.port));
  const udpOnly = new Set(ports.filter((p) => p.protocol === 'UDP' && !tcp.has(p.port)).map((p) => p.port));
  for (const spec of specs) {
    const remote = splitPort(spec)[1];
    const port = isInteger(remote) ? Number(remote) : isService ? servicePortByName(obj, remote) : containerPortByName(obj, remote);
    if (udpOnly.has(port)) throw new Error(`UDP protocol is not supported for ${remote}`);
  }
}

/** client-go's parsePorts: `L:R`, `:R` (any local port) or `R` (the same port). */
export function parsePortSpecs(specs: string[]): ForwardedPort[] {
  return specs.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new Error(`invalid port format '${spec}'`);
    const localText = parts.length === 2 ? parts[0] || '0' : parts[0];
    const remoteText = parts.length === 2 ? parts[1] : parts[0];
    let local: number;
    let remote: number;
    try {
      local = parseUint16(localText);
    } catch (err) {
      throw new Error(`error parsing local port '${localText}': ${(err as Error).message}`);
    }
    try {
      remote = parseUint16(remoteText);
    } catch (err) {
      throw new Error(`error parsing remote port '${remoteText}': ${(err as Error).message}`);
    }
    if (remote === 0) throw new Error('remote port must be > 0');
    return { local, remote };
  });
}

/** client-go's parseAddresses: `localhost` is 127.0.0.1 and ::1, others must be IPs; sorted. */
export function parseAddresses(addresses: string[]): ListenAddress[] {
  const parsed = new Map<string, ListenAddress>();
  for (const address of addresses) {
    if (address === 'localhost') {
      if (!parsed.has('127.0.0.1')) parsed.set('127.0.0.1', { address: '127.0.0.1', family: 4, failureMode: 'all' });
      if (!parsed.has('::1')) parsed.set('::1', { address: '::1', family: 6, failureMode: 'all' });
      continue;
    }
    const family = isIP(address);
    if (family === 0) throw new Error(`${address} is not a valid IP`);
    parsed.set(address, { address, family: family as 4 | 6, failureMode: 'any' });
  }
  return [...parsed.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Go's net.JoinHostPort: IPv6 addresses in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
