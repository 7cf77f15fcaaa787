import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { formatLabels } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { formatEndpointSliceAddresses } from './endpoint-addresses.js';
import { writeEvents } from './events.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

const ENDPOINT_SLICES = 'endpointslices';

export const serviceDescriber: Describer = {
  // As kubectl: the Service's slices, by the label the EndpointSlice controller puts on them.
  related: (obj) => [
    { name: ENDPOINT_SLICES, resource: 'endpointslices', namespace: obj.metadata.namespace, labelSelector: `kubernetes.io/service-name=${obj.metadata.name}` },
  ],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const svc = obj as unknown as Service;
    const spec = svc.spec ?? {};
    const slices = (ctx.related[ENDPOINT_SLICES] ?? []) as unknown as EndpointSlice[];
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
      w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
      if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
      w.write(LEVEL_0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
      w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
      w.write(LEVEL_0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
      if (spec.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
      if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
      if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
      const ingress = svc.status?.loadBalancer?.ingress ?? [];
      if (ingress.length > 0) {
        const list = ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : (i.hostname ?? ''))).join(', ');
        w.write(LEVEL_0, `LoadBalancer Ingress:\t${list}\n`);
      }
      for (const port of spec.ports ?? []) {
        const name = port.name || '<unset>';
        const protocol = port.protocol ?? '';
        w.write(LEVEL_0, `Port:\t${name}\t${port.port}/${protocol}\n`);
        w.write(LEVEL_0, `TargetPort:\t${port.targetPort ?? 0}/${protocol}\n`);
        if (port.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${port.nodePort}/${protocol}\n`);
        w.write(LEVEL_0, `Endpoints:\t${formatEndpointSliceAddresses(slices, port.name ?? '')}\n`);
      }
      w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
      if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
      if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
      if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
      if (spec.loadBalancerSourceRanges?.length) {
        w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
      }
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};
