// The network services one agent per machine runs (kctl-node --proxy) for every pod on it,
// whichever node runs the pod: the service proxy, network policies, cluster DNS and the ingress proxy.
import type { ApiClient } from '../api/client.js';
import type { SharedInformers } from '../api/shared-informers.js';
import { CLUSTER_DNS, POD_NETWORK, POD_SUBNET } from '../api/cluster-network.js';
import { ClusterDnsServer } from './dns/cluster-dns-server.js';
import { IngressProxy } from './ingress/ingress-proxy.js';
import type { MachineNetworkOptions } from './options.js';
import { ServiceProxy } from './proxy/service-proxy.js';
import { NetworkPolicyEnforcer } from './netpol/network-policy-enforcer.js';

export interface MachineNetwork {
  stop(): Promise<void>;
}

/** A machine with a pod range of its own: the whole pod network, and its pods' gateway (where cluster DNS answers). */
export interface MachinePods {
  clusterCidr: string;
  /** This machine's own range of it, on its bridge. */
  podCIDR: string;
  gateway: string;
}

export async function startMachineNetwork(
  client: ApiClient,
  informers: SharedInformers,
  opts: MachineNetworkOptions,
  /** The kube-dns Service's address (the agent's --cluster-dns), answered by this machine's DNS server. */
  clusterDnsIP: string,
  machinePods: MachinePods | undefined,
  log: (msg: string) => void,
): Promise<MachineNetwork> {
  const dnsAddress = machinePods?.gateway ?? CLUSTER_DNS.address;
  const proxy = new ServiceProxy({
    informers,
    // The whole pod network: traffic from another machine's pods is not masqueraded either.
    podSubnet: machinePods?.clusterCidr ?? POD_SUBNET,
    serviceCidr: opts.serviceCidr,
    bridge: POD_NETWORK,
    nodePortAddresses: opts.nodePortAddresses,
    clusterDns: { serviceIP: clusterDnsIP, address: dnsAddress, port: CLUSTER_DNS.port },
    log,
  });
  const policies = new NetworkPolicyEnforcer({ informers, localPods: machinePods?.podCIDR ?? POD_SUBNET, dns: { address: dnsAddress, port: CLUSTER_DNS.port }, log });
  const dns = new ClusterDnsServer({ informers, address: dnsAddress, port: CLUSTER_DNS.port, upstreams: opts.dnsUpstreams, log });
  const ingress = opts.ingressPort > 0 ? new IngressProxy({ client, informers, address: opts.ingressAddress, port: opts.ingressPort, log }) : undefined;
  // The proxy first: the route for the service range and the rules are in place before anything
  // else is reachable.
  await proxy.start();
  log(`service proxy: routing ${opts.serviceCidr} to ${POD_NETWORK}; node ports on ${opts.nodePortAddresses.join(', ')}`);
  await dns.start();
  log(`cluster DNS: answering pods on ${dnsAddress}:${CLUSTER_DNS.port}, and at the kube-dns Service's ${clusterDnsIP}`);
  if (ingress) {
    await ingress.start();
  }
  await policies.start();
  log(`network policies: enforced for the pods in ${machinePods?.podCIDR ?? POD_SUBNET}`);
  return {
    async stop() {
      // The service rules stay: Services keep working while the agent restarts, and it rewrites them whole.
      // The policy rules go: no stale rule may filter a pod that takes a deleted pod's address meanwhile.
      proxy.stop();
      await Promise.all([policies.stop(), dns.stop(), ingress?.stop()]);
    },
  };
}
