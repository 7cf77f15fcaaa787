// A Service port's ready endpoints as kubectl lists them: `10.244.0.5:8000,10.244.0.6:8000`,
// the first three, then `+ N more...`: from the Endpoints object (ingress backends) or from the
// Service's EndpointSlices (describe service).
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';

const SHOWN = 3;

/** `<none>` when there is no Endpoints object, which is when kubectl finds no EndpointSlice. */
export function formatEndpointAddresses(endpoints: Endpoints | undefined, portName: string): string {
  if (!endpoints) return '<none>';
  const all: string[] = [];
  for (const subset of endpoints.subsets ?? []) {
    const ips = (subset.addresses ?? []).map((a) => a.ip);
    if (!subset.ports?.length) {
      all.push(...ips);
      continue;
    }
    for (const port of subset.ports) {
      if ((port.name ?? '') !== portName) continue;
      all.push(...ips.map((ip) => (ip.includes(':') ? `[${ip}]:${port.port}` : `${ip}:${port.port}`)));
    }
  }
  const shown = all.slice(0, SHOWN).join(',');
  return all.length > SHOWN ? `${shown} + ${all.length - SHOWN} more...` : shown;
}

/**
 * kubectl's formatEndpointSlices for one port name: `<none>` without any slice. As kubectl, it
 * counts "more" from the fourth endpoint seen, ready or not.
 */
export function formatEndpointSliceAddresses(slices: EndpointSlice[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  const visit = (endpoint: EndpointSlice['endpoints'][number], port?: number) => {
    if (list.length === SHOWN) more = true;
    if (endpoint.conditions?.ready === false) return;
    const address = endpoint.addresses[0];
    if (!more) list.push(port === undefined ? address : address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);
    count++;
  };
  for (const slice of slices) {
    const endpoints = slice.endpoints ?? [];
    if (!slice.ports?.length) {
      // A headless Service may have no ports.
      for (const endpoint of endpoints) visit(endpoint);
      continue;
    }
    for (const port of slice.ports) {
      if ((port.name ?? '') !== portName) continue;
      for (const endpoint of endpoints) visit(endpoint, port.port);
    }
  }
  const shown = list.join(',');
  return more ? `${shown} + ${count - SHOWN} more...` : shown;
}
