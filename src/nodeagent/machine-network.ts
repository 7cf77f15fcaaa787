// The network services one agent per machine runs (kctl-node --proxy) for every pod on it,
// whichever node runs the pod: the service proxy, cluster DNS and the ingress proxy.
import type { ApiClient } from '../api/client.js';
import type { SharedInformers } from '../api/shared-informers.js';
import { CLUSTER_DNS, POD_NETWORK, POD_SUBNET } from '../api/cluster-network.js';
import { ClusterDnsServer } from './dns/cluster-dns-server.js';
import { IngressProxy } from './ingress/ingress-proxy.js';
import type { MachineNetworkOptions } from './options.js';
import { ServiceProxy } from './proxy/service-proxy.js';

export interface MachineNetwork {
  stop(): Promise<void>;
}

export async function startMachineNetwork(
  client: ApiClient,
  informers: SharedInformers,
  opts: MachineNetworkOptions,
  log: (msg: string) => void,
): Promise<MachineNetwork> {
  const proxy = new ServiceProxy({
    informers,
    podSubnet: POD_SUBNET,
    serviceCidr: opts.serviceCidr,
    bridge: POD_NETWORK,
    nodePortAddresses: opts.nodePortAddresses,
    log,
  });
  const dns = new ClusterDnsServer({ informers, address: CLUSTER_DNS.address, port: CLUSTER_DNS.port, upstreams: opts.dnsUpstreams, log });
  const ingress = opts.ingressPort > 0 ? new IngressProxy({ client, informers, address: opts.ingressAddress, port: opts.ingressPort, log }) : undefined;
  // The proxy first: the route for the service range and the rules are in place before anything
  // else is reachable.
  await proxy.start();
  log(`service proxy: routing ${opts.serviceCidr} to ${POD_NETWORK}; node ports on ${opts.nodePortAddresses.join(', ')}`);
  await dns.start();
  log(`cluster DNS: answering pods on ${CLUSTER_DNS.address}:${CLUSTER_DNS.port}`);
  if (ingress) {
    await ingress.start();
  }
  return {
    async stop() {
      // The service rules stay: Services keep working while the agent restarts, and it rewrites them whole.
      proxy.stop();
      await Promise.all([dns.stop(), ingress?.stop()]);
    },
  };
}
