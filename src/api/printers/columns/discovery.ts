// EndpointSlice columns (discovery.k8s.io): ADDRESSTYPE PORTS ENDPOINTS, as printEndpointSlice.
import { AGE_COLUMN, NAME_COLUMN, age, column, listWithMore, type ColumnPrinter } from './common.js';

const MAX_SHOWN = 3;

export const endpointSliceColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'AddressType',
      'string',
      'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
    ),
    column(
      'Ports',
      'string',
      'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
    ),
    column(
      'Endpoints',
      'string',
      'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
    ),
    AGE_COLUMN,
  ],
  cells: (slice, now) => [
    slice.metadata.name,
    slice.addressType ?? '',
    firstThree((slice.ports ?? []).map((p: { port?: number; name?: string }) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'))),
    firstThree((slice.endpoints ?? []).flatMap((e: { addresses?: string[] }) => e.addresses ?? [])),
    age(slice, now),
  ],
};

/** kubectl's listWithMoreString: `<unset>` for none. */
function firstThree(values: string[]): string {
  if (values.length === 0) return '<unset>';
  return listWithMore(values.slice(0, MAX_SHOWN), values.length - Math.min(values.length, MAX_SHOWN));
}
