// kctl cluster-info: where the control plane and the kube-system services labelled
// kubernetes.io/cluster-service=true answer, in kubectl's words and colours.
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { colorEnabled, painter } from '../color.js';
import { connect } from '../context.js';
import type { IOStreams } from '../io-streams.js';

/** The address kubectl gives a cluster service: its load balancer's ports, else the API server's proxy path. */
export function serviceLink(server: string, svc: KubeObject): string {
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  const ports: any[] = svc.spec?.ports ?? [];
  if (ingress.length) {
    const ip = ingress[0].ip || ingress[0].hostname;
    return ports.map((p) => `http://${ip}:${p.port} `).join('');
  }
  let name = svc.metadata.name ?? '';
  if (ports.length) {
    const port = ports[0];
    // <scheme>:<name>:<port name>, the scheme guessed from the port, as kubectl does.
    const scheme = port.name === 'https' || port.port === 443 ? 'https' : '';
    name = scheme ? `${scheme}:${name}:${port.name ?? ''}` : port.name ? `${name}:${port.name}` : name;
  }
  return `${server.replace(/\/$/, '')}/api/v1/namespaces/${svc.metadata.namespace ?? 'kube-system'}/services/${name}/proxy`;
}

export function clusterInfoText(server: string, services: KubeObject[], color: boolean): string {
  const paint = painter(color);
  const line = (name: string, link: string) => `${paint('green', name)} is running at ${paint('yellow', link)}\n`;
  let out = line('Kubernetes control plane', server);
  for (const svc of services) out += line(svc.metadata.labels?.['kubernetes.io/name'] || (svc.metadata.name ?? ''), serviceLink(server, svc));
  return `${out}\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`;
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('cluster-info')
    .description('Display the addresses of the control plane and cluster services')
    .action(async (_opts, cmd: Command) => {
      const ctx = await connect(cmd);
      try {
        const list = await ctx.client.list(findByKind('Service')!, 'kube-system', { labelSelector: 'kubernetes.io/cluster-service=true' });
        io.out.write(clusterInfoText(ctx.config.server, list.items, colorEnabled(io.out)));
      } finally {
        ctx.client.close();
      }
    });
}
