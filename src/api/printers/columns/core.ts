// Columns of the smaller core kinds: namespaces, configmaps, secrets, service accounts, endpoints.
import type { KubeObject } from '../../types.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, listWithMore, type ColumnPrinter } from './common.js';

export const namespaceColumns: ColumnPrinter = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  cells: (ns, now) => [ns.metadata.name, ns.status?.phase ?? '', age(ns, now)],
};

export const configMapColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'Data',
      'string',
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
    ),
    AGE_COLUMN,
  ],
  cells: (cm, now) => [cm.metadata.name, keyCount(cm.data) + keyCount(cm.binaryData), age(cm, now)],
};

export const secretColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'Type',
      'string',
      'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
    ),
    column(
      'Data',
      'string',
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
    ),
    AGE_COLUMN,
  ],
  // stringData is write-only: Kubernetes merges it into data, so its keys count too.
  cells: (secret, now) => [
    secret.metadata.name,
    secret.type ?? '',
    new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]).size,
    age(secret, now),
  ],
};

export const serviceAccountColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
    ),
    AGE_COLUMN,
  ],
  cells: (sa, now) => [sa.metadata.name, (sa.secrets ?? []).length, age(sa, now)],
};

export const endpointsColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'Endpoints',
      'string',
      'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
    ),
    AGE_COLUMN,
  ],
  cells: (ep, now) => [ep.metadata.name, formatEndpoints(ep), age(ep, now)],
};

function keyCount(map: Record<string, unknown> | undefined): number {
  return Object.keys(map ?? {}).length;
}

const MAX_ENDPOINTS_SHOWN = 3;

/** `10.244.0.5:8000,10.244.0.6:8000 + 3 more...`: each ready address with each port. */
function formatEndpoints(ep: KubeObject): string {
  const subsets: Array<{ addresses?: Array<{ ip: string }>; ports?: Array<{ port: number }> }> = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    // A headless service may have no ports: then the addresses alone.
    const ports: Array<number | undefined> = subset.ports?.length ? subset.ports.map((p) => p.port) : [undefined];
    for (const port of ports) {
      count += addresses.length;
      for (const address of addresses) {
        if (shown.length === MAX_ENDPOINTS_SHOWN) break;
        shown.push(port === undefined ? address.ip : joinHostPort(address.ip, port));
      }
    }
  }
  return listWithMore(shown, count - shown.length);
}

/** `ip:port`, with brackets around an IPv6 address as Go's net.JoinHostPort. */
function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
