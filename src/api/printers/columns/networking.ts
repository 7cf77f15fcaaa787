// Ingress columns (networking.k8s.io): CLASS HOSTS ADDRESS PORTS.
import { AGE_COLUMN, NAME_COLUMN, age, column, listWithMore, type ColumnPrinter } from './common.js';
import { loadBalancerAddresses } from './service.js';

const MAX_HOSTS_SHOWN = 3;

export const ingressColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE_COLUMN,
  ],
  cells(ing, now) {
    const spec = ing.spec ?? {};
    return [
      ing.metadata.name,
      spec.ingressClassName ?? '<none>',
      formatHosts(spec.rules ?? []),
      loadBalancerAddresses(ing.status?.loadBalancer?.ingress ?? []).join(','),
      (spec.tls ?? []).length > 0 ? '80, 443' : '80',
      age(ing, now),
    ];
  },
};

/** The first three rule hosts, `*` when no rule names one. */
function formatHosts(rules: Array<{ host?: string }>): string {
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === MAX_HOSTS_SHOWN) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  // Kubernetes counts every rule past the third as "more", hosts or not.
  return listWithMore(hosts, more ? rules.length - MAX_HOSTS_SHOWN : 0);
}
