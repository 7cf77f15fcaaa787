// EndpointSlices (discovery.k8s.io/v1): TCP ports by default; ValidateEndpointSlice: an address
// type of IPv4, IPv6 or FQDN fixed once set, at most 1000 endpoints of 1 to 100 addresses of that
// type, hostnames and node names that are DNS names, ports uniquely named.
import { isIPv4, isIPv6 } from 'node:net';
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { duplicate, immutable, invalid, invalidEach, notSupported, required, validatePortNumber } from './field-errors.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

function tooMany(field: string, actual: number, max: number): StatusCause {
  return { field, reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items` };
}

function applyDefaults(slice: KubeObject): void {
  for (const port of slice.ports ?? []) port.protocol ||= 'TCP';
}

function validateAddress(field: string, addressType: string, address: string): StatusCause[] {
  switch (addressType) {
    case 'IPv4':
      return isIPv4(address) ? [] : [invalid(field, address, 'must be a valid IPv4 address')];
    case 'IPv6':
      return isIPv6(address) ? [] : [invalid(field, address, 'must be a valid IPv6 address')];
    case 'FQDN':
      return invalidEach(field, address, isDNS1123Subdomain(address));
    default:
      return [];
  }
}

function validateEndpoints(slice: KubeObject): StatusCause[] {
  const endpoints: any[] = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const causes: StatusCause[] = [];
  endpoints.forEach((ep, i) => {
    const at = `endpoints[${i}]`;
    const addresses: string[] = ep.addresses ?? [];
    if (addresses.length === 0) causes.push(required(`${at}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) causes.push(tooMany(`${at}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) => causes.push(...validateAddress(`${at}.addresses[${j}]`, slice.addressType, address)));
    if (ep.hostname) causes.push(...invalidEach(`${at}.hostname`, ep.hostname, isDNS1123Label(ep.hostname)));
    if (ep.nodeName) causes.push(...invalidEach(`${at}.nodeName`, ep.nodeName, isDNS1123Subdomain(ep.nodeName)));
  });
  return causes;
}

function validatePorts(slice: KubeObject): StatusCause[] {
  const ports: any[] = slice.ports ?? [];
  if (ports.length > MAX_PORTS) return [tooMany('ports', ports.length, MAX_PORTS)];
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const at = `ports[${i}]`;
    const name: string = port.name ?? '';
    if (name) causes.push(...invalidEach(`${at}.name`, name, isDNS1123Label(name)));
    if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
    names.add(name);
    causes.push(...validatePortNumber(`${at}.port`, port.port));
  });
  return causes;
}

function validate(slice: KubeObject): StatusCause[] {
  if (!ADDRESS_TYPES.includes(slice.addressType)) return [notSupported('addressType', slice.addressType, ADDRESS_TYPES)];
  return [...validateEndpoints(slice), ...validatePorts(slice)];
}

function validateUpdate(slice: KubeObject, old: KubeObject): StatusCause[] {
  return slice.addressType === old.addressType ? [] : [immutable('addressType', slice.addressType)];
}

export const endpointSliceStrategy: Strategy = { applyDefaults, validate, validateUpdate };
