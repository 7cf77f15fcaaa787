// Ingresses (networking.k8s.io/v1): rules or a default backend, hosts that are DNS names, paths
// with a type (absolute for Exact and Prefix), and backends naming a service port.
import { isIP } from 'node:net';
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { invalid, invalidEach, required, validatePortNumber } from './field-errors.js';

function validateBackend(backend: any, field: string): StatusCause[] {
  const service = backend?.service;
  if (backend?.resource && service) return [invalid(field, '', 'cannot set both resource and service backends')];
  if (backend?.resource) return [];
  if (!service) return [invalid(field, '', 'resource or service backend is required')];
  const causes: StatusCause[] = [];
  if (!service.name) causes.push(required(`${field}.service.name`));
  else causes.push(...invalidEach(`${field}.service.name`, service.name, isDNS1035Label(service.name)));
  const { name: portName, number: portNumber } = service.port ?? {};
  if (portName && portNumber) causes.push(invalid(field, '', 'cannot set both port name & port number'));
  else if (portName) causes.push(...invalidEach(`${field}.service.port.name`, portName, isValidPortName(portName)));
  else if (portNumber) causes.push(...validatePortNumber(`${field}.service.port.number`, portNumber));
  else causes.push(required(field, 'port name or number is required'));
  return causes;
}

function validateHost(host: string, field: string): StatusCause[] {
  if (isIP(host)) return [invalid(field, host, 'must be a DNS name, not an IP address')];
  // A wildcard is allowed as the whole first label only.
  const name = host.startsWith('*.') ? host.slice(2) : host;
  return invalidEach(field, host, isDNS1123Subdomain(name));
}

function validatePath(path: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!path.pathType) causes.push(required(`${field}.pathType`, 'pathType must be specified'));
  else if ((path.pathType === 'Exact' || path.pathType === 'Prefix') && !path.path?.startsWith('/')) {
    causes.push(invalid(`${field}.path`, path.path ?? '', 'must be an absolute path'));
  }
  causes.push(...validateBackend(path.backend, `${field}.backend`));
  return causes;
}

function validate(ingress: KubeObject): StatusCause[] {
  const spec = ingress.spec ?? {};
  const rules: any[] = spec.rules ?? [];
  const causes: StatusCause[] = [];
  if (rules.length === 0 && !spec.defaultBackend) causes.push(invalid('spec', spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) causes.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (rule.host) causes.push(...validateHost(rule.host, `${at}.host`));
    if (rule.http) {
      const paths: any[] = rule.http.paths ?? [];
      if (paths.length === 0) causes.push(required(`${at}.http.paths`));
      paths.forEach((path, j) => causes.push(...validatePath(path, `${at}.http.paths[${j}]`)));
    }
  });
  return causes;
}

export const ingressStrategy: Strategy = {
  applyDefaults() {},
  validate,
  initialStatus: () => ({ loadBalancer: {} }),
};
