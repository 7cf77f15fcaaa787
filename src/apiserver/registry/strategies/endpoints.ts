// Endpoints: TCP ports by default; addresses must be IPs and ports valid.
import { isIP } from 'node:net';
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isDNS1123Label } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { invalid, invalidEach, required, validatePortNumber } from './field-errors.js';

function applyDefaults(endpoints: KubeObject): void {
  for (const subset of endpoints.subsets ?? []) for (const port of subset.ports ?? []) port.protocol ||= 'TCP';
}

function validate(endpoints: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  (endpoints.subsets ?? []).forEach((subset: any, i: number) => {
    const at = `subsets[${i}]`;
    for (const list of ['addresses', 'notReadyAddresses'] as const) {
      (subset[list] ?? []).forEach((address: any, j: number) => {
        if (!isIP(address.ip)) causes.push(invalid(`${at}.${list}[${j}].ip`, address.ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      });
    }
    const ports: any[] = subset.ports ?? [];
    ports.forEach((port, j) => {
      const portAt = `${at}.ports[${j}]`;
      if (ports.length > 1 && !port.name) causes.push(required(`${portAt}.name`));
      else if (port.name) causes.push(...invalidEach(`${portAt}.name`, port.name, isDNS1123Label(port.name)));
      causes.push(...validatePortNumber(`${portAt}.port`, port.port));
    });
  });
  return causes;
}

export const endpointsStrategy: Strategy = { applyDefaults, validate };
