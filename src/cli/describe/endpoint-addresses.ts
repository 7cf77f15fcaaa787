// A Service port's ready endpoints as kubectl lists them: `10.244.0.5:8000,10.244.0.6:8000`,
// the first three, then `+ N more...`. kubectl reads EndpointSlices; kctl serves the Endpoints
// object, which carries the same addresses (one subset per slice, ready addresses only).
import type { Endpoints } from 'kubernetes-types/core/v1.js';

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
