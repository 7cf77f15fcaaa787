// Services: core/v1 defaults (ClusterIP, no session affinity, TCP ports targeting themselves,
// cluster traffic policies, one IPv4 family), ValidateService, and the cluster IP fixed once set.
// On update, values the client left out are carried over from the stored Service and those a type
// change makes pointless are dropped (as Kubernetes' PrepareForUpdate); taking and giving back
// cluster IPs and node ports is ServiceAllocations' job (../service-allocations.ts).
import { isIP, isIPv6 } from 'node:net';
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { validateLabels } from '../names.js';
import { duplicate, forbidden, GoSyntax, goStringSlice, invalid, invalidEach, required, validatePortNumber } from './field-errors.js';
import { validatePortNumberOrName } from './pod-spec.js';

/** Kubernetes' DefaultClientIPServiceAffinitySeconds: three hours. */
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

function isExternallyAccessible(spec: any): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && spec.externalIPs?.length > 0);
}

function isHeadless(spec: any): boolean {
  return spec.clusterIP === 'None';
}

/** Every type but ExternalName has a cluster IP (or is headless). */
export function needsClusterIP(spec: any): boolean {
  return spec.type !== 'ExternalName';
}

/** NodePort and LoadBalancer (unless allocateLoadBalancerNodePorts is false) get a node port per port. */
export function needsNodePorts(spec: any): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

/** Kubernetes' NeedsHealthCheck: a LoadBalancer keeping traffic on the node it arrives at. */
export function needsHealthCheckNodePort(spec: any): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** The types whose ports can have node ports. */
export function hasNodePortType(spec: any): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

const sameJSON = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function applyDefaults(service: KubeObject): void {
  const spec = (service.spec ??= {});
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  spec.type ||= 'ClusterIP';
  // A client that only knows the singular field (NormalizeClusterIPs).
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  for (const port of spec.ports ?? []) {
    port.protocol ||= 'TCP';
    if (port.targetPort == null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (isExternallyAccessible(spec)) spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
  }
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

/** Go's `%#v` of the (protocol, port) pair Kubernetes reports duplicate ports with. */
function servicePortKey(protocol: string, port: number): GoSyntax {
  return new GoSyntax(
    `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  );
}

function validatePorts(spec: any): StatusCause[] {
  const causes: StatusCause[] = [];
  const ports: any[] = spec.ports ?? [];
  const names = new Set<string>();
  const seenPorts = new Set<string>();
  const seenNodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !port.name) causes.push(required(`${at}.name`));
    else if (port.name) {
      causes.push(...invalidEach(`${at}.name`, port.name, isDNS1123Label(port.name)));
      if (names.has(port.name)) causes.push(duplicate(`${at}.name`, port.name));
      names.add(port.name);
    }
    causes.push(...validatePortNumber(`${at}.port`, port.port));
    causes.push(...validatePortNumberOrName(`${at}.targetPort`, port.targetPort));
    if (port.nodePort) {
      // Whether it is in --service-node-port-range is the allocator's to say.
      if (spec.type === 'ClusterIP') causes.push(forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      const nodePortKey = `${port.protocol}/${port.nodePort}`;
      if (seenNodePorts.has(nodePortKey)) causes.push(duplicate(`${at}.nodePort`, port.nodePort));
      seenNodePorts.add(nodePortKey);
    }
    const portKey = `${port.protocol}/${port.port}`;
    if (seenPorts.has(portKey)) causes.push(duplicate(at, servicePortKey(port.protocol, port.port)));
    seenPorts.add(portKey);
  });
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') causes.push(required('spec.ports'));
  return causes;
}

/** ValidateServiceClusterIPsRelatedFields, single-stack: clusterIP and clusterIPs agree, each an IP of its family. */
function validateClusterIPs(spec: any): StatusCause[] {
  if (!needsClusterIP(spec)) return [];
  const ips: string[] = spec.clusterIPs ?? [];
  const causes: StatusCause[] = [];
  if (spec.clusterIP) {
    if (ips.length === 0) causes.push(required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) causes.push(invalid('spec.clusterIPs', goStringSlice(ips), 'first value must match `clusterIP`'));
  } else if (ips.length > 0) causes.push(invalid('spec.clusterIPs', goStringSlice(ips), 'must be empty when `clusterIP` is not specified'));
  ips.forEach((ip, i) => {
    if (ip === 'None' && i === 0) {
      if (ips.length > 1) causes.push(invalid('spec.clusterIPs', goStringSlice(ips), "'None' must be the first and only value"));
    } else if (!isIP(ip)) causes.push(invalid(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    else if (spec.ipFamilies?.[i] === 'IPv4' && isIPv6(ip)) causes.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
  });
  if (ips.length > 1 && ips[0] !== 'None') causes.push(invalid('spec.clusterIPs', goStringSlice(ips), 'may specify no more than one IP for each IP family'));
  return causes;
}

function validate(service: KubeObject): StatusCause[] {
  const spec = service.spec ?? {};
  const causes: StatusCause[] = [];
  if (spec.type === 'ExternalName') {
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (!cname) causes.push(required('spec.externalName'));
    else causes.push(...invalidEach('spec.externalName', cname, isDNS1123Subdomain(cname)));
  }
  if (spec.type === 'ExternalName' && spec.clusterIP) causes.push(forbidden('spec.clusterIP', 'must be empty for ExternalName services'));
  if (hasNodePortType(spec) && isHeadless(spec)) {
    causes.push(invalid('spec.clusterIP', spec.clusterIP, `may not be set to 'None' for ${spec.type} services`));
  }
  if (!needsHealthCheckNodePort(spec) && spec.healthCheckNodePort) {
    causes.push(forbidden('spec.healthCheckNodePort', "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  causes.push(...validateClusterIPs(spec), ...validatePorts(spec), ...validateLabels(spec.selector, 'spec.selector'));
  if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig) {
    causes.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  if (spec.externalTrafficPolicy && !isExternallyAccessible(spec)) {
    causes.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
  }
  return causes;
}

/** A cluster IP, once allocated, stays until the service stops needing one (ExternalName). */
function validateUpdate(service: KubeObject, old: KubeObject): StatusCause[] {
  const now = service.spec?.clusterIP;
  const was = old.spec?.clusterIP;
  const externalName = service.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName';
  if (externalName || !now || !was || now === was) return [];
  return [invalid('spec.clusterIPs[0]', goStringSlice(service.spec.clusterIPs ?? [now]), 'may not change once set')];
}

/**
 * What an update leaves out keeps its stored value (kubectl apply of the same manifest keeps the
 * cluster IP and node ports); what a type change makes pointless, and the client did not set
 * anew, goes (NodePort to ClusterIP drops the node ports, to ExternalName the cluster IP).
 */
function prepareForUpdate(service: KubeObject, old: KubeObject): void {
  const spec = (service.spec ??= {});
  const was = old.spec ?? {};
  spec.type ||= 'ClusterIP';
  if (needsClusterIP(was) && needsClusterIP(spec)) {
    spec.clusterIP ||= was.clusterIP;
    if (!spec.clusterIPs?.length && was.clusterIPs?.length) spec.clusterIPs = [...was.clusterIPs];
  }
  if (hasNodePortType(was) && hasNodePortType(spec)) keepNodePorts(spec.ports ?? [], was.ports ?? []);
  if (needsHealthCheckNodePort(was) && needsHealthCheckNodePort(spec)) spec.healthCheckNodePort ||= was.healthCheckNodePort;
  // A client that only changed the singular field.
  if (sameJSON(spec.clusterIPs, was.clusterIPs) && spec.clusterIP !== was.clusterIP) spec.clusterIPs = spec.clusterIP ? [spec.clusterIP] : undefined;
  dropTypeDependentFields(spec, was);
}

/** Ports without a node port get the one the stored port of the same name had, unless another port now uses it. */
function keepNodePorts(ports: any[], oldPorts: any[]): void {
  const usedNow = new Set(ports.map((p) => p.nodePort).filter(Boolean));
  const usedBoth = new Set(oldPorts.map((p) => p.nodePort).filter((n) => n && usedNow.has(n)));
  const byName = new Map<string, number>(oldPorts.map((p) => [p.name ?? '', p.nodePort]));
  for (const port of ports) {
    const kept = byName.get(port.name ?? '');
    if (!port.nodePort && kept && !usedBoth.has(kept)) port.nodePort = kept;
  }
}

function dropTypeDependentFields(spec: any, was: any): void {
  if (needsClusterIP(was) && !needsClusterIP(spec)) {
    if (sameJSON(spec.clusterIPs, was.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameJSON(spec.ipFamilies, was.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === was.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (hasNodePortType(was) && !hasNodePortType(spec)) {
    const ports: any[] = spec.ports ?? [];
    const oldPorts: any[] = was.ports ?? [];
    if (sameJSON(ports.map((p) => p.nodePort ?? 0), oldPorts.map((p) => p.nodePort ?? 0))) for (const port of ports) delete port.nodePort;
  }
  if (needsHealthCheckNodePort(was) && !needsHealthCheckNodePort(spec) && spec.healthCheckNodePort === was.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (was.type === 'LoadBalancer' && spec.type !== 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === was.allocateLoadBalancerNodePorts) {
    delete spec.allocateLoadBalancerNodePorts;
  }
  if (isExternallyAccessible(was) && !isExternallyAccessible(spec) && spec.externalTrafficPolicy === was.externalTrafficPolicy) delete spec.externalTrafficPolicy;
}

export const serviceStrategy: Strategy = {
  prepareForUpdate,
  applyDefaults,
  validate,
  validateUpdate,
  initialStatus: () => ({ loadBalancer: {} }),
};
