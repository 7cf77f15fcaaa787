// The network services one agent per machine runs (kctl-node --proxy) for every pod on it,
// whichever node runs the pod: the service proxy, cluster DNS and the ingress proxy.
import type { ApiClient } from '../api/client.js';
import { POD_NETWORK, POD_SUBNET } from '../api/cluster-network.js';
import type { MachineNetworkOptions } from './options.js';
import { ServiceProxy } from './proxy/service-proxy.js';

export interface MachineNetwork {
  stop(): Promise<void>;
}

export async function startMachineNetwork(client: ApiClient, opts: MachineNetworkOptions, log: (msg: string) => void): Promise<MachineNetwork> {
  const proxy = new ServiceProxy({
    client,
    podSubnet: POD_SUBNET,
    serviceCidr: opts.serviceCidr,
    bridge: POD_NETWORK,
    nodePortAddresses: opts.nodePortAddresses,
    log,
  });
  await proxy.start();
  log(`service proxy: routing ${opts.serviceCidr} to ${POD_NETWORK}; node ports on ${opts.nodePortAddresses.join(', ')}`);
  return {
    async stop() {
      // The rules stay: Services keep working while the agent restarts, and it rewrites them whole.
      proxy.stop();
    },
  };
}
