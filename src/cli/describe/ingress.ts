import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { Ingress, IngressBackend } from 'kubernetes-types/networking/v1.js';
import { byteOrder } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { formatEndpointAddresses } from './endpoint-addresses.js';
import { writeEvents } from './events.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbed, writeAnnotations, writeLabels } from './writer.js';

const SERVICES = 'services';
const ENDPOINTS = 'endpoints';

export const ingressDescriber: Describer = {
  // Backends name services in the ingress's namespace; each shows the service's endpoints.
  related: (obj) => [
    { name: SERVICES, resource: 'services', namespace: obj.metadata.namespace },
    { name: ENDPOINTS, resource: 'endpoints', namespace: obj.metadata.namespace },
  ],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const ing = obj as unknown as Ingress;
    const spec = ing.spec ?? {};
    const backend = (b: IngressBackend) => describeBackend(b, ctx);
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      const addresses = new Set((ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter((a): a is string => !!a));
      w.write(LEVEL_0, `Address:\t${[...addresses].sort(byteOrder).join(',')}\n`);
      w.write(LEVEL_0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
      const defaultBackend = spec.defaultBackend ? backend(spec.defaultBackend) : '<default>';
      w.write(LEVEL_0, `Default backend:\t${defaultBackend}\n`);
      if (spec.tls?.length) {
        w.write(LEVEL_0, 'TLS:\n');
        for (const t of spec.tls) {
          const hosts = (t.hosts ?? []).join(',');
          w.write(LEVEL_1, t.secretName ? `${t.secretName} terminates ${hosts}\n` : `SNI routes ${hosts}\n`);
        }
      }
      w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n');
      w.write(LEVEL_1, '----\t----\t--------\n');
      const httpRules = (spec.rules ?? []).filter((r) => r.http);
      for (const rule of httpRules) {
        w.write(LEVEL_1, `${rule.host || '*'}\t\n`);
        for (const path of rule.http!.paths) w.write(LEVEL_2, `\t${path.path ?? ''} \t${backend(path.backend)}\n`);
      }
      if (httpRules.length === 0) w.write(LEVEL_1, `*\t*\t${defaultBackend}\n`);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

/** `django-service:8000 (10.244.0.5:8000)`, or the error kubectl met looking the service up. */
function describeBackend(backend: IngressBackend, ctx: DescribeContext): string {
  if (backend.service) {
    const { name, port } = backend.service;
    const target = `${name}:${port?.number ? port.number : (port?.name ?? '')}`;
    const service = (ctx.related[SERVICES] as unknown as Service[] | undefined)?.find((s) => s.metadata?.name === name);
    if (!service) return `${target} (<error: services "${name}" not found>)`;
    const servicePort = service.spec?.ports?.find((p) => (port?.number ? p.port === port.number : !!port?.name && p.name === port.name));
    const endpoints = (ctx.related[ENDPOINTS] as unknown as Endpoints[] | undefined)?.find((e) => e.metadata?.name === name);
    return `${target} (${formatEndpointAddresses(endpoints, servicePort?.name ?? '')})`;
  }
  if (backend.resource) {
    const r = backend.resource;
    return `APIGroup: ${r.apiGroup ?? '<none>'}, Kind: ${r.kind}, Name: ${r.name}`;
  }
  return '';
}
