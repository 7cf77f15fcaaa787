// kctl-node: the node agent. Gets its client certificate (TLS bootstrap with a join token, see
// credentials/), registers its Node, renews the node Lease and keeps the Node's status (Ready or
// not, by whether Docker answers) current.
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../api/errors.js';
import { kctlHome } from '../api/kubeconfig.js';
import { nodeCapacity } from './capacity.js';
import { DockerClient } from './docker/docker-client.js';
import { HOLLOW_MACHINE, startHollowFleet } from './hollow/hollow-fleet.js';
import { machineTotals, readMachineInfo, type MachineInfo } from './machine.js';
import { FlagError } from './node-flags.js';
import { NodeLeaseRenewer } from './node-lease.js';
import { addressTowards } from './node-address.js';
import { KUBELET_VERSION, type NodeDescription } from './node-object.js';
import { startPodNetwork, type PodNetworkAgent } from './podnet/pod-network-agent.js';
import { NodeStatusReporter } from './node-status-reporter.js';
import { checkJoinToken, parseAgentArgs, USAGE, type AgentOptions } from './options.js';
import { PeriodicTask } from './periodic.js';
import { startPodAgent, type PodAgent } from './pods/pod-agent.js';
import { httpTokenRequester } from './pods/volumes/service-account-token.js';
import { DockerRuntimeProbe } from './runtime-probe.js';
import { AgentServer } from './server/agent-server.js';
import { ContainerStats } from './stats/container-stats.js';
import { registerProcessMetrics } from './stats/kubelet-metrics.js';
import { startMachineNetwork, type MachineNetwork } from './machine-network.js';
import { SharedInformers } from '../api/shared-informers.js';
import { NodeIdentity, type NodeIdentityOptions } from './credentials/certificate-manager.js';

const REGISTRATION_MAX_BACKOFF_MS = 7000;
/** client-go's default user agent, as the kubelet sends it: `kubelet/v1.32.0 (linux/amd64) kubernetes/<commit>`. */
const KUBELET_USER_AGENT = `kubelet/${KUBELET_VERSION} (linux/${process.arch === 'x64' ? 'amd64' : process.arch}) kctl`;
// Answers that retrying cannot change: the token or the node's configuration is wrong.
const FATAL_REASONS = new Set(['Unauthorized', 'Forbidden', 'Invalid', 'BadRequest']);

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

function fail(msg: string): never {
  process.stderr.write(`kctl-node: ${msg}\n`);
  process.exit(2);
}

function errorText(err: unknown): string {
  return err instanceof ApiError ? `${err.reason}: ${err.message}` : ((err as Error)?.message ?? String(err));
}

function readFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    fail(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
}

function describeNode(opts: AgentOptions, dataDir: string, nodeIP: string): NodeDescription {
  return {
    name: opts.name,
    labels: opts.labels,
    taints: opts.taints,
    capacity: nodeCapacity(machineTotals(dataDir), opts.share, opts.capacity),
    machine: readMachineInfo(),
    internalIP: nodeIP,
    localPathRoot: join(dataDir, 'volumes'),
  };
}

/** The node's certificate-authenticated client; retried while the API server cannot be reached, a refusal ends the agent. */
async function establishIdentity(opts: NodeIdentityOptions): Promise<NodeIdentity> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await NodeIdentity.establish(opts);
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'Unauthorized') {
        fail(`the API server at ${opts.server} refused the join token: it is unknown, expired, or not for authentication (make one with: kctl token create)`);
      }
      if (err instanceof ApiError && FATAL_REASONS.has(err.reason)) fail(`cannot get a client certificate for ${opts.nodeName}: ${errorText(err)}`);
      if (!(err instanceof ApiError)) fail((err as Error).message);
      const delay = Math.min(200 * 2 ** attempt, REGISTRATION_MAX_BACKOFF_MS);
      log(`cannot get a client certificate yet (${errorText(err)}); retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Registers, retrying while the API server cannot be reached; a refusal ends the agent. */
async function registerNode(reporter: NodeStatusReporter, server: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await reporter.register();
      return;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'Unauthorized') fail(`the API server at ${server} refused the node's client certificate`);
      if (err instanceof ApiError && FATAL_REASONS.has(err.reason)) fail(`cannot register the node: ${errorText(err)}`);
      const delay = Math.min(200 * 2 ** attempt, REGISTRATION_MAX_BACKOFF_MS);
      log(`cannot register the node yet (${errorText(err)}); retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

async function runHollowNodes(opts: AgentOptions, count: number, identity: Omit<NodeIdentityOptions, 'nodeName' | 'dataDir'>, dataDir: string, machine: MachineInfo): Promise<void> {
  let capacity;
  try {
    capacity = nodeCapacity(HOLLOW_MACHINE, 1, opts.capacity);
  } catch (err) {
    fail((err as Error).message);
  }
  const identities: NodeIdentity[] = [];
  const connect = async (name: string) => {
    const id = await establishIdentity({ ...identity, nodeName: name, dataDir: join(dataDir, name), log: () => {} });
    identities.push(id);
    return id.client;
  };
  const fleet = await startHollowFleet({ ...opts, connect, namePrefix: opts.name, count, capacity, machine, log });
  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    await fleet.stop();
    for (const id of identities) {
      id.stop();
      id.client.close();
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

export async function main(argv: string[]): Promise<void> {
  let opts: AgentOptions | undefined;
  try {
    opts = parseAgentArgs(argv, os.hostname());
  } catch (err) {
    if (err instanceof FlagError) fail(`${err.message}\n\n${USAGE}`);
    throw err;
  }
  if (!opts) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let token: string | undefined;
  try {
    token = opts.token ?? (opts.tokenFile ? checkJoinToken(readFile(opts.tokenFile, 'the token file')) : undefined);
  } catch (err) {
    fail((err as Error).message);
  }
  const ca = opts.caFile ? readFile(opts.caFile, 'the CA file') : undefined;
  const dataDir = opts.dataDir ?? join(kctlHome(), 'nodes', opts.name);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const nodeIP: string = opts.nodeIP ?? (await addressTowards(opts.server).catch((err: Error) => fail(err.message)));
  let node: NodeDescription;
  try {
    node = describeNode(opts, dataDir, nodeIP);
  } catch (err) {
    if (err instanceof FlagError) fail(err.message);
    throw err;
  }

  // As the kubelet's user agent: the server records this agent's writes under the manager `kubelet`.
  const bootstrap = { server: opts.server, ca, bootstrapToken: token, userAgent: KUBELET_USER_AGENT, log };
  if (opts.hollowNodes) {
    await runHollowNodes(opts, opts.hollowNodes, bootstrap, dataDir, node.machine);
    return;
  }
  const identity = await establishIdentity({ ...bootstrap, nodeName: node.name, dataDir });
  const client = identity.client;
  const docker = new DockerClient();
  const probe = new DockerRuntimeProbe(docker);
  // Listening first: the Node reports the endpoint's port from its first status on.
  registerProcessMetrics();
  const stats = new ContainerStats(docker, { node: node.name, cluster: opts.server, sharedMachine: opts.share > 1 });
  const agentServer = new AgentServer({ client, docker, node: node.name, cluster: opts.server, address: nodeIP, port: opts.port, stats, log });
  try {
    node.kubeletPort = await agentServer.listen();
  } catch (err) {
    fail(`cannot listen on ${nodeIP}:${opts.port} for logs and exec: ${(err as Error).message}`);
  }
  const reporter = new NodeStatusReporter({
    client,
    node,
    probeRuntime: () => probe.probe(),
    reportIntervalMs: opts.nodeStatusReportSeconds * 1000,
    log,
  });
  const lease = new NodeLeaseRenewer(client, () => reporter.owner, opts.leaseDurationSeconds);
  const leaseTask = new PeriodicTask(lease.renewIntervalMs, () => lease.renew(), (err) => log(`failed to renew the node lease: ${errorText(err)}`));
  const statusTask = new PeriodicTask(opts.heartbeatSeconds * 1000, () => reporter.heartbeat(), (err) => log(`failed to update the node status: ${errorText(err)}`));

  // The pod agent and the machine's network services read the same caches.
  const informers = new SharedInformers(client, log);
  let registered = false;
  let pods: PodAgent | undefined;
  let network: MachineNetwork | undefined;
  let podNetwork: PodNetworkAgent | undefined;
  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    // Pods keep running: an agent started again adopts them.
    await pods?.stop();
    await network?.stop();
    podNetwork?.stop();
    informers.stop();
    await agentServer.close();
    if (registered) await Promise.all([leaseTask.stop(), statusTask.stop()]);
    identity.stop();
    client.close();
    await docker.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // An agent must outlive any one bad answer: an unexpected error is logged, not fatal.
  process.on('uncaughtException', (err) => log(`uncaught: ${err.stack ?? err}`));

  const c = node.capacity;
  log(`kctl-node ${node.name} joining ${opts.server}: cpu ${c.cpu}, memory ${c.memory}, pods ${c.pods}, ephemeral-storage ${c['ephemeral-storage']}, data in ${dataDir}`);
  await registerNode(reporter, opts.server);
  registered = true;
  leaseTask.start();
  statusTask.start(opts.heartbeatSeconds * 1000);
  informers.start();
  if (opts.podNetwork) {
    const settings = opts.podNetwork;
    podNetwork = await startPodNetwork({ client, informers, docker, node: node.name, nodeIP, cluster: opts.server, ...settings, log }).catch((err: Error) =>
      fail(`cannot make this machine's pod network (--pod-network ${settings.mode}): ${err.message}`),
    );
  }
  const machinePods = podNetwork && opts.podNetwork ? { clusterCidr: opts.podNetwork.clusterCidr, podCIDR: podNetwork.spec.subnet, gateway: podNetwork.gateway } : undefined;
  pods = startPodAgent({
    client,
    informers,
    docker,
    node: node.name,
    cluster: opts.server,
    hostIP: nodeIP,
    clusterDNS: [opts.clusterDnsIP],
    ...(podNetwork ? { podNetwork: podNetwork.spec } : {}),
    dataDir,
    allocatable: node.capacity,
    requestToken: httpTokenRequester(client),
    allowPrivileged: opts.allowPrivileged,
    // The node's readiness follows the engine at once, not at the next heartbeat.
    onEngineChange: () => statusTask.runNow(),
    log,
  });
  if (opts.network) {
    network = await startMachineNetwork(client, informers, opts.network, opts.clusterDnsIP, machinePods, log).catch((err: Error) =>
      fail(`cannot start the machine's network services (--proxy): ${err.message}`),
    );
  }
  log(`serving logs, exec and metrics on http://${nodeIP}:${node.kubeletPort} (logs and exec for the API server only)`);
  log(`renewing lease kube-node-lease/${node.name} every ${lease.renewIntervalMs / 1000}s (duration ${opts.leaseDurationSeconds}s); status checked every ${opts.heartbeatSeconds}s`);
}
