// kctl init: kubeadm init for kctl. Starts the control plane on this machine listening on the
// advertise address (its certificate valid for it), makes the cluster CA, a join token and the
// signed kube-public/cluster-info, records the pod network settings, and prints the line a worker
// runs: `kctl join IP:PORT --token T --discovery-token-ca-cert-hash sha256:H`.
import { networkInterfaces } from 'node:os';
import { isIPv4 } from 'node:net';
import type { Command } from 'commander';
import { parseBootstrapToken } from '../../api/bootstrap-token.js';
import { caCertHash } from '../../api/pki/ca-hash.js';
import { findByKind } from '../../api/resources.js';
import { adminClient } from '../cluster/admin-client.js';
import { publishClusterInfo, waitForSignature } from '../cluster/cluster-info.js';
import { startControlPlane } from '../cluster/control-plane.js';
import { clusterPaths, readState } from '../cluster/local-cluster.js';
import { isAlive } from '../cluster/processes.js';
import { podNetworkConfigMap, type PodNetwork } from '../cluster/pod-network-settings.js';
import { POD_NETWORK_MODES } from '../../api/cluster-network.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { createJoinToken } from '../join-tokens.js';
import type { IOStreams } from '../io-streams.js';

const CONFIG_MAPS = findByKind('ConfigMap')!;

/** kubeadm's default: the address of the first interface that is up and not loopback. */
export function defaultAdvertiseAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    const a = (addrs ?? []).find((x) => x.family === 'IPv4' && !x.internal);
    if (a) return a.address;
  }
  return '127.0.0.1';
}

function parsePodNetwork(cidr: string, mode: string): PodNetwork {
  const [ip, bits] = cidr.split('/');
  if (!isIPv4(ip) || !/^\d+$/.test(bits ?? '') || Number(bits) > 24) throw new CliError(`--pod-network-cidr must be an IPv4 CIDR of /24 or wider, such as 10.244.0.0/16, got "${cidr}"`);
  if (!POD_NETWORK_MODES.includes(mode as PodNetwork['mode'])) throw new CliError(`--pod-network must be one of ${POD_NETWORK_MODES.join(', ')}, got "${mode}"`);
  return { cidr, mode: mode as PodNetwork['mode'] };
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('init')
    .description('Start a control plane on this machine for other machines to join (kubeadm init)')
    .option('--advertise-address <ip>', 'the address the API server listens on and other machines reach it at (default: this machine\'s first non-loopback address)')
    .option('--apiserver-bind-port <port>', 'the API server\'s port', '6443')
    .option('--pod-network-cidr <cidr>', 'the pod network, from which each node gets a /24', '10.244.0.0/16')
    .option('--pod-network <mode>', `how pods on different machines reach each other: ${POD_NETWORK_MODES.join(' or ')}`, 'vxlan')
    .option('--token-ttl <duration>', 'how long the join token lasts (0: forever)', '24h0m0s')
    .option('--cluster-signing-duration <duration>', 'the longest client certificate the cluster signs (default 8760h)')
    .option('--node-monitor-grace-period-seconds <n>', 'how long a node may go without renewing its lease before it is marked unreachable', '40')
    .option('--timeout <seconds>', 'how long to wait for the API server', '30')
    .action(async (opts) => {
      const advertise: string = opts.advertiseAddress ?? defaultAdvertiseAddress();
      if (!isIPv4(advertise) || advertise === '0.0.0.0') throw new CliError(`--advertise-address must be this machine's IPv4 address, got "${advertise}"`);
      const port = Number(opts.apiserverBindPort);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError(`--apiserver-bind-port must be a port number, got "${opts.apiserverBindPort}"`);
      const podNetwork = parsePodNetwork(opts.podNetworkCidr, opts.podNetwork);
      const ttl = parseDurationFlag('token-ttl', opts.tokenTtl);
      const grace = Number(opts.nodeMonitorGracePeriodSeconds);
      if (!Number.isInteger(grace) || grace < 1) throw new CliError(`--node-monitor-grace-period-seconds must be a positive integer, got "${opts.nodeMonitorGracePeriodSeconds}"`);
      const p = clusterPaths();
      const existing = readState(p);
      if (existing && isAlive(existing.apiserverPid)) throw new CliError(`a control plane already runs under ${p.home} at ${existing.server}: "kctl reset" undoes it first`);
      const { state, pki, readyMs } = await startControlPlane(p, {
        port,
        bindAddress: advertise,
        advertiseAddress: advertise,
        compactIntervalSeconds: '300',
        nodeMonitorGracePeriodSeconds: grace,
        clusterSigningDuration: opts.clusterSigningDuration,
        // kubeadm's --pod-network-cidr turns on kube-controller-manager's node IPAM over it.
        nodeIpam: { clusterCidr: podNetwork.cidr },
        timeoutSeconds: Number(opts.timeout),
        state: { network: { nodePortAddresses: [advertise], ingressAddress: advertise, ingressPort: 0 }, podNetwork },
      });
      const client = adminClient(p, state.server, pki.caPem);
      try {
        await client.create(CONFIG_MAPS, 'kube-system', podNetworkConfigMap(podNetwork)).catch((err) => {
          if (err?.reason !== 'AlreadyExists') throw err;
          return client.update(CONFIG_MAPS, 'kube-system', podNetworkConfigMap(podNetwork));
        });
        await publishClusterInfo(client, state.server, pki.caPem);
        const token = await createJoinToken(client, { ttlMs: ttl, description: 'kctl init: the join token for other machines' });
        await waitForSignature(client, parseBootstrapToken(token)!.id, 10_000);
        io.out.write(
          `Your control plane has initialized successfully (API server ready in ${readyMs} ms).\n\n` +
            `To use it from this machine:\n  export KUBECONFIG=${p.kubeconfig}\n\n` +
            `Pod network: ${podNetwork.cidr} (${podNetwork.mode}).\n\n` +
            `Then you can join any number of worker machines by running the following on each:\n\n` +
            `kctl join ${advertise}:${port} --token ${token} --discovery-token-ca-cert-hash ${caCertHash(pki.caPem)}\n`,
        );
      } finally {
        client.close();
      }
    });
}
