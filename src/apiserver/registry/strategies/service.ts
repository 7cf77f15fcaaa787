// Services: core/v1 defaults (ClusterIP, no session affinity, TCP ports targeting themselves,
// cluster traffic policies, one IPv4 family), ValidateService, and the cluster IP fixed once set.
// Allocating cluster IPs and node ports, and carrying them over on update, is the allocator's job.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { NODE_PORT_RANGE } from '../../../api/cluster-network.js';
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

function applyDefaults(service: KubeObject): void {
  const spec = (service.spec ??= {});
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  spec.type ||= 'ClusterIP';
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
      if (spec.type === 'ClusterIP') causes.push(forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      else if (port.nodePort < NODE_PORT_RANGE.min || port.nodePort > NODE_PORT_RANGE.max) {
        causes.push(
          invalid(`${at}.nodePort`, port.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`),
        );
      }
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

function validate(service: KubeObject): StatusCause[] {
  const spec = service.spec ?? {};
  const causes: StatusCause[] = [];
  if (spec.type === 'ExternalName') {
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (!cname) causes.push(required('spec.externalName'));
    else causes.push(...invalidEach('spec.externalName', cname, isDNS1123Subdomain(cname)));
  }
  causes.push(...validatePorts(spec), ...validateLabels(spec.selector, 'spec.selector'));
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

export const serviceStrategy: Strategy = {
  applyDefaults,
  validate,
  validateUpdate,
  initialStatus: () => ({ loadBalancer: {} }),
};
