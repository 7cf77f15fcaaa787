// kctl-node's command line, parsed like the daemon's (node:util parseArgs, strict).
import { isIPv4 } from 'node:net';
import { parseArgs } from 'node:util';
import { CLUSTER_DNS_SERVICE, POD_SUBNET, SERVICE_CIDR } from '../api/cluster-network.js';
import { POD_NETWORK_MODES, type PodNetworkMode } from '../api/cluster-network.js';
import { parseBootstrapToken } from '../api/bootstrap-token.js';
import type { CapacityFlags } from './capacity.js';
import { FlagError, parseLabels, parseTaints, type Taint } from './node-flags.js';

export const USAGE = `Usage: kctl-node --name NAME --server URL [--token TOKEN | --token-file FILE] [options]

Joins a kctl cluster as node NAME and keeps it Ready. The node's identity is a client certificate
for system:node:NAME, kept in DATA_DIR/pki and renewed before it expires; the first one comes from a
TLS bootstrap with the join token (a certificate signing request the cluster approves).

Options:
  --name NAME                       the node's name (default: this machine's host name)
  --server URL                      the API server, e.g. https://127.0.0.1:6443
  --token TOKEN                     a join token (<id>.<secret>, from "kctl token create"); never the admin token.
                                    Needed only while DATA_DIR holds no valid client certificate
  --token-file FILE                 read the join token from FILE instead (keeps it out of the process list)
  --ca-file FILE                    the PEM certificate the API server's certificate is checked against
  --labels k=v,...                  extra node labels
  --taints key=value:Effect,...     taints to register with (Effect: NoSchedule, PreferNoSchedule, NoExecute)
  --cpu Q, --memory Q, --pods N     capacity (default: this machine's share, see --share)
  --share N                         how many agents share this machine; each offers 1/N of it (default: 1)
  --data-dir DIR                    the node's working directory (default: $KCTL_HOME/nodes/NAME)
  --port N                          the port of the agent's endpoint for logs and exec, on the node's InternalIP
                                    (default: 0, any free port; the Node's status says which)
  --allow-privileged                let pods run privileged containers (securityContext.privileged); refused otherwise
  --hollow-nodes N                  run N hollow nodes instead (NAME-0 … NAME-N-1): they register, hold their Leases
                                    and report their pods Running without Docker, to measure the control plane at scale
                                    (capacity per node: --cpu, --memory, --pods; default 8, 32Gi, 110)
  --hollow-metrics                  with --hollow-nodes: each serves made-up resource metrics on its own loopback port
                                    (kubectl top, autoscaling); off by default, as the API server scrapes every node
  --lease-duration-seconds N        the node Lease's duration; renewed every quarter of it (default: 40)
  --heartbeat-seconds N             how often the runtime is checked and a changed status reported (default: 10)
  --node-status-report-seconds N    how often an unchanged status is reported anyway (default: 300)
  --node-ip IP                      the node's address (its InternalIP): where the API server reaches the agent and
                                    other machines reach this one (default: the address of the interface that routes
                                    to the API server; 127.0.0.1 when it runs on this machine)
  --pod-network host-gw|vxlan       this machine's pods get their own range (the Node's spec.podCIDR) and reach other
                                    machines' pods by routes via their addresses (host-gw) or over VXLAN (UDP 8472)
                                    (default: one pod bridge shared by every node agent on this machine)
  --cluster-cidr CIDR               the whole pod network, with --pod-network (default: 10.244.0.0/16)
  --proxy                           also run this machine's network services (one agent per machine): the
                                    service proxy (iptables), cluster DNS on the pod network's gateway and the
                                    ingress proxy
  --service-cidr CIDR               the service range routed to the pod network (default: 10.96.0.0/12, the
                                    API server's --service-cluster-ip-range)
  --nodeport-addresses IP,...       the host addresses NodePort and LoadBalancer ports answer on (default: 127.0.0.1)
  --ingress-address IP              where the ingress proxy listens (default: 127.0.0.1)
  --ingress-port N                  the ingress proxy's port (default: 80; 0 turns the ingress proxy off)
  --cluster-dns IP                  the cluster DNS address written into pods' resolv.conf: the kube-dns Service
                                    (default: 10.96.0.10); with --proxy, sent to this machine's DNS server
  --dns-upstreams IP[:PORT],...     where cluster DNS forwards names outside the cluster (default: the
                                    nameservers of /etc/resolv.conf)
  -h, --help                        show this help`;

export interface AgentOptions {
  name: string;
  server: string;
  /** At most one of token and tokenFile is set; neither, when the data dir already holds a certificate. */
  token?: string;
  tokenFile?: string;
  caFile?: string;
  labels: Record<string, string>;
  taints: Taint[];
  capacity: CapacityFlags;
  share: number;
  dataDir?: string;
  /** Whether containers may run privileged (the kubelet's old --allow-privileged). */
  allowPrivileged: boolean;
  /** Run this many hollow nodes instead of one real one. */
  hollowNodes?: number;
  /** Hollow nodes serve made-up resource metrics. */
  hollowMetrics: boolean;
  /** The agent endpoint's port; 0: any free one. */
  port: number;
  leaseDurationSeconds: number;
  heartbeatSeconds: number;
  nodeStatusReportSeconds: number;
  /** Set when this agent runs the machine's network services (--proxy). */
  network?: MachineNetworkOptions;
  /** The node's InternalIP (--node-ip); absent: the address this machine reaches the API server from. */
  nodeIP?: string;
  /** The kubelet's --cluster-dns. */
  clusterDnsIP: string;
  /** Set when this machine has a pod range of its own (--pod-network). */
  podNetwork?: { mode: PodNetworkMode; clusterCidr: string };
}

export interface MachineNetworkOptions {
  serviceCidr: string;
  nodePortAddresses: string[];
  ingressAddress: string;
  /** 0: no ingress proxy. */
  ingressPort: number;
  /** Absent: the host's resolvers. */
  dnsUpstreams?: string[];
}

function positiveInt(value: string | undefined, name: string, dflt: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new FlagError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

function port(value: string | undefined, name = 'port', dflt = 0): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new FlagError(`--${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

function ipv4(value: string, name: string): string {
  if (isIPv4(value)) return value;
  throw new FlagError(`--${name} must be IPv4 addresses, got "${value}"`);
}

function cidr(value: string | undefined, name: string, dflt: string): string {
  if (value === undefined) return dflt;
  const [ip, bits] = value.split('/');
  if (!isIPv4(ip) || !/^\d+$/.test(bits ?? '') || Number(bits) > 32) throw new FlagError(`--${name} must be an IPv4 CIDR such as ${dflt}, got "${value}"`);
  return value;
}

function machineNetwork(values: Record<string, string | boolean | undefined>): MachineNetworkOptions {
  const list = (v: unknown) => String(v).split(',').map((s) => s.trim()).filter(Boolean);
  const upstreams = values['dns-upstreams'];
  return {
    serviceCidr: cidr(values['service-cidr'] as string | undefined, 'service-cidr', SERVICE_CIDR),
    nodePortAddresses: list(values['nodeport-addresses'] ?? '127.0.0.1').map((ip) => ipv4(ip, 'nodeport-addresses')),
    ingressAddress: ipv4((values['ingress-address'] as string | undefined) ?? '127.0.0.1', 'ingress-address'),
    ingressPort: port(values['ingress-port'] as string | undefined, 'ingress-port', 80),
    ...(upstreams === undefined
      ? {}
      : { dnsUpstreams: list(upstreams).filter((u) => ipv4(u.split(':')[0], 'dns-upstreams')) }),
  };
}

/** A join token as given; it must look like one, so an admin token is refused before it is sent. */
export function checkJoinToken(token: string): string {
  const t = token.trim();
  if (!parseBootstrapToken(t)) {
    throw new FlagError('the token must be a join token of the form <id>.<secret> ([a-z0-9]{6}.[a-z0-9]{16}; "kctl token create" makes one)');
  }
  return t;
}

/** The options, or undefined when help was asked for. Throws FlagError on a bad command line. */
export function parseAgentArgs(argv: string[], hostname: string): AgentOptions | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        'ca-file': { type: 'string' },
        labels: { type: 'string' },
        taints: { type: 'string' },
        cpu: { type: 'string' },
        memory: { type: 'string' },
        pods: { type: 'string' },
        share: { type: 'string' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'allow-privileged': { type: 'boolean' },
        'hollow-nodes': { type: 'string' },
        'hollow-metrics': { type: 'boolean' },
        'lease-duration-seconds': { type: 'string' },
        'heartbeat-seconds': { type: 'string' },
        'node-status-report-seconds': { type: 'string' },
        proxy: { type: 'boolean' },
        'node-ip': { type: 'string' },
        'pod-network': { type: 'string' },
        'cluster-cidr': { type: 'string' },
        'service-cidr': { type: 'string' },
        'nodeport-addresses': { type: 'string' },
        'ingress-address': { type: 'string' },
        'ingress-port': { type: 'string' },
        'dns-upstreams': { type: 'string' },
        'cluster-dns': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  if (values.help) return undefined;
  if (!values.server) throw new FlagError('--server is required');
  if (!/^https?:\/\/[^/]+/.test(values.server)) throw new FlagError(`--server must be an http(s) URL, got "${values.server}"`);
  if (values.token !== undefined && values['token-file'] !== undefined) throw new FlagError('give at most one of --token and --token-file');
  const options: AgentOptions = {
    name: values.name ?? hostname.toLowerCase(),
    server: values.server.replace(/\/+$/, ''),
    labels: parseLabels(values.labels ?? ''),
    taints: parseTaints(values.taints ?? ''),
    capacity: { cpu: values.cpu, memory: values.memory, pods: values.pods },
    share: positiveInt(values.share, 'share', 1),
    port: port(values.port),
    allowPrivileged: values['allow-privileged'] ?? false,
    hollowMetrics: values['hollow-metrics'] ?? false,
    leaseDurationSeconds: positiveInt(values['lease-duration-seconds'], 'lease-duration-seconds', 40),
    heartbeatSeconds: positiveInt(values['heartbeat-seconds'], 'heartbeat-seconds', 10),
    nodeStatusReportSeconds: positiveInt(values['node-status-report-seconds'], 'node-status-report-seconds', 300),
    clusterDnsIP: ipv4(values['cluster-dns'] ?? CLUSTER_DNS_SERVICE.ip, 'cluster-dns'),
  };
  const mode = values['pod-network'];
  if (mode !== undefined) {
    if (!(POD_NETWORK_MODES as readonly string[]).includes(mode)) throw new FlagError(`--pod-network must be one of ${POD_NETWORK_MODES.join(', ')}, got "${mode}"`);
    options.podNetwork = { mode: mode as PodNetworkMode, clusterCidr: cidr(values['cluster-cidr'], 'cluster-cidr', POD_SUBNET) };
  } else if (values['cluster-cidr'] !== undefined) throw new FlagError('--cluster-cidr goes with --pod-network');
  if (values.token !== undefined) options.token = checkJoinToken(values.token);
  if (values['token-file'] !== undefined) options.tokenFile = values['token-file'];
  if (values['ca-file'] !== undefined) options.caFile = values['ca-file'];
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  if (values['node-ip'] !== undefined) options.nodeIP = ipv4(values['node-ip'], 'node-ip');
  if (values.proxy) options.network = machineNetwork(values);
  if (values['hollow-nodes'] !== undefined) options.hollowNodes = positiveInt(values['hollow-nodes'], 'hollow-nodes', 1);
  return options;
}
