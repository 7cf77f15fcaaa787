// kctl cluster up: starts the daemon and N node agents in the background under $KCTL_HOME, writes
// the kubeconfig that kctl and kubectl use, and waits until every node is Ready.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeKubeconfig } from '../../../api/kubeconfig.js';
import { clusterPaths, readState, writeState, type ClusterPaths, type ClusterState, type NetworkSettings } from '../../cluster/local-cluster.js';
import { apiAnswers, isAlive, sleep, startDetached, stopProcess, tail } from '../../cluster/processes.js';
import { ensureClusterPki, pkiPaths, type ClusterPki } from '../../cluster/certificates.js';
import { publishRegistrySecret, REGISTRY_SECRET, startRegistry, type RegistryState } from '../../cluster/registry/cluster-registry.js';
import { DEFAULT_REGISTRY_PORT } from '../../cluster/registry/registry-files.js';
import { adminClient, readAdminToken } from '../../cluster/admin-client.js';
import { ensureNodeJoinToken, joinMachineAgent, machineAgentSettings, machineJoinLine, nodeJoinToken, nodeLogFile, nodeNames, startNodeAgents, type NodeAgent } from '../../cluster/node-agents.js';
import { formatJoinLine, machineAgentLog, type JoinLine } from '../../cluster/machines/machine-join.js';
import { publishClusterInfo } from '../../cluster/cluster-info.js';
import { nodeIpamArgs, type NodeIpam } from '../../cluster/pod-network-settings.js';
import { DockerClient, claimPodNetwork } from '../../../nodeagent/machine-runtime.js';
import { waitForNodesReady } from '../../cluster/wait-for-nodes.js';
import { CliError } from '../../errors.js';
import { isIPv4 } from 'node:net';
import { ensurePrivateDir, octal } from '../../../api/private-dir.js';
import { LAN_GATEWAY, MAX_MACHINES } from '../../cluster/machines/lan.js';
import { bringUpMachine, claimLan, makeLan, planMachines, removeMachines, type MachineRecord, type MachinesState } from '../../cluster/machines/machines.js';
import { POD_NETWORK_MODES, type PodNetworkMode } from '../../../api/cluster-network.js';
import { formatNodeGroup, parseNodeGroup, type NodeGroupSpec } from '../../../api/node-groups.js';
import { addGroupNodes, resolveNodeGroups } from '../../cluster/node-groups/group-nodes.js';
import { stringArray } from '../../repeatable-flags.js';
import type { IOStreams } from '../../io-streams.js';

function parseInteger(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliError(`${flag} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer, got "${v}"`);
  return n;
}

function parseNetwork(opts: { nodeportAddresses: string; ingressAddress: string; ingressPort: string }): NetworkSettings {
  const addresses = opts.nodeportAddresses.split(',').map((a) => a.trim()).filter(Boolean);
  for (const a of [...addresses, opts.ingressAddress]) if (!isIPv4(a)) throw new CliError(`"${a}" is not an IPv4 address`);
  const ingressPort = parseInteger(opts.ingressPort, '--ingress-port', 0);
  if (ingressPort > 65535) throw new CliError(`--ingress-port must be a port number, got "${opts.ingressPort}"`);
  return { nodePortAddresses: addresses, ingressAddress: opts.ingressAddress, ingressPort };
}

export function register(cluster: Command, io: IOStreams): void {
  cluster.addCommand(upCommand(io));
}

/** Starts the local cluster as `kctl cluster up ARGS` does (restore brings a cluster back with the flags it was started with). */
export async function startCluster(io: IOStreams, args: string[]): Promise<void> {
  await upCommand(io).exitOverride().parseAsync(args, { from: 'user' });
}

function upCommand(io: IOStreams): Command {
  return new Command('up')
    .description('Start a local cluster: the API server daemon and N node agents, in the background')
    .option('--nodes <n>', 'how many node agents to start (all on this machine\'s Docker engine)', '0')
    .option('--machines <n>', 'how many simulated machines to start, each a node with its own network namespace, address and Docker engine (needs root)', '0')
    .option('--pod-network <mode>', 'with --machines: how pods reach other machines\' pods: host-gw (routes) or vxlan (overlay)', 'host-gw')
    .option('--port <port>', 'API server port', '6443')
    .option('--bind-address <addr>', 'API server address', '127.0.0.1')
    .option('--compact-interval-seconds <n>', 'how often the store drops old revisions', '300')
    .option('--store-sync <mode>', 'BATCHED or FULL: a write is answered once it is on disk (survives power loss; BATCHED shares one sync among concurrent writes); NORMAL: answered before, survives the daemon dying but not the machine', 'BATCHED')
    .option('--node-monitor-grace-period-seconds <n>', 'how long a node may go without renewing its lease before it is marked unreachable (its agents renew every quarter of it)', '40')
    .option('--nodeport-addresses <ips>', 'the host addresses NodePort and LoadBalancer Services answer on (comma-separated)', '127.0.0.1')
    .option('--ingress-address <ip>', 'where the ingress proxy listens', '127.0.0.1')
    .option('--ingress-port <port>', 'the ingress proxy\'s port (0: no ingress proxy)', '80')
    .option('--metric-resolution <duration>', 'how often the API server collects the nodes\' resource metrics (kubectl top, autoscaling), e.g. 15s (the default) or 2s')
    .option('--horizontal-pod-autoscaler-sync-period <duration>', 'how often each HorizontalPodAutoscaler is evaluated, e.g. 15s (the default) or 2s')
    .option('--horizontal-pod-autoscaler-downscale-stabilization <duration>', 'the scale-down window of HPAs that name none, e.g. 5m (the default) or 20s')
    .option('--allocate-node-cidrs', 'give each Node a pod range (spec.podCIDR) of --cluster-cidr, as kube-controller-manager does (always on with --machines, whose pod networks use them)')
    .option('--cluster-cidr <cidr>', 'with --allocate-node-cidrs or --machines: the pod network the Nodes\' ranges are cut from (default 10.244.0.0/16)')
    .option('--node-cidr-mask-size <n>', 'with --allocate-node-cidrs or --machines: the size of each Node\'s range (default 24)')
    .option('--cluster-signing-duration <duration>', 'the longest client certificate the cluster signs, e.g. 8760h (the default) or 30s to see node agents rotate theirs')
    .option('--registry', 'also run an image registry (TLS from the cluster CA, htpasswd auth) that every node pulls from; see docs/registry.md', false)
    .option('--registry-port <port>', 'the registry\'s port', String(DEFAULT_REGISTRY_PORT))
    .option('--node-group <spec>', 'a node group the cluster autoscaler grows and shrinks, NAME=MIN:MAX[:TEMPLATE] (repeatable); TEMPLATE is agent (the default), machine (the default with --machines) or hollow, then optionally ,cpu=Q,memory=Q,pods=N; its MIN nodes start now. See docs/autoscaling.md', stringArray, [])
    .option('--scale-down-unneeded-time <duration>', 'how long a node of a group must be unneeded before the autoscaler removes it, e.g. 10m (the default) or 30s')
    .option('--scale-down-delay-after-add <duration>', 'how long after a scale-up the autoscaler removes no node, e.g. 10m (the default) or 0s')
    .option('--timeout <seconds>', 'how long to wait for the API server to answer, then for the nodes to be Ready', '30')
    .action(async (opts, cmd: Command) => {
      let nodes = parseInteger(opts.nodes, '--nodes', 0);
      const machines = parseInteger(opts.machines, '--machines', 0);
      if (machines > 0 && nodes > 0) throw new CliError('give --nodes or --machines, not both');
      if (machines > MAX_MACHINES) throw new CliError(`--machines must be at most ${MAX_MACHINES}, got ${machines}`);
      if (!(POD_NETWORK_MODES as readonly string[]).includes(opts.podNetwork)) throw new CliError(`--pod-network must be one of ${POD_NETWORK_MODES.join(', ')}, got "${opts.podNetwork}"`);
      if (machines > 0 && process.getuid?.() !== 0) throw new CliError('--machines needs root: it makes network namespaces, links and Docker engines');
      if (machines > 0) nodes = machines;
      const bindAddress: string = machines > 0 ? LAN_GATEWAY : opts.bindAddress;
      const gracePeriod = parseInteger(opts.nodeMonitorGracePeriodSeconds, '--node-monitor-grace-period-seconds', 1);
      const network = parseNetwork(opts);
      const nodeIpam: NodeIpam | undefined = machines > 0 || opts.allocateNodeCidrs ? { clusterCidr: opts.clusterCidr, maskSize: opts.nodeCidrMaskSize } : undefined;
      if (!nodeIpam && (opts.clusterCidr || opts.nodeCidrMaskSize)) throw new CliError('--cluster-cidr and --node-cidr-mask-size go with --allocate-node-cidrs (or --machines)');
      const nodeGroups = parseNodeGroups(opts.nodeGroup, machines > 0, nodes);
      const p = clusterPaths();
      const existing = readState(p);
      if (existing && isAlive(existing.apiserverPid)) {
        io.out.write(`Cluster already running at ${existing.server} (KCTL_HOME=${p.home}).\n`);
        // A registry that died starts again; one asked for now starts as it would have with the cluster.
        if ((existing.registry && !isAlive(existing.registry.pid)) || (opts.registry && !existing.registry)) {
          const [host, port] = existing.registry ? splitAddress(existing.registry.address) : [registryHost(existing), registryPort(opts.registryPort)];
          existing.registry = await runRegistry(io, p, existing, host, port, Number(opts.timeout) * 1000);
          writeState(p, existing);
        }
        // Agents that died (killed, crashed) start again under their names and adopt their pods;
        // a node group's nodes are the autoscaler's (a dead one stays NotReady; see docs/autoscaling.md).
        const dead = existing.nodes.filter((n) => !n.group && !isAlive(n.pid)).map((n) => n.name);
        if (dead.length > 0) {
          io.out.write(`Restarting node agents: ${dead.join(', ')}\n`);
          const pki = await ensureClusterPki(p.home, [existing.bindAddress]);
          await startNodes(io, p, existing, pki, dead, existing.nodes.filter((n) => !n.group).length, Number(opts.timeout) * 1000);
        }
        return;
      }
      // Agents left from a cluster whose API server is gone would only retry against the new one.
      if (existing) await Promise.all(existing.nodes.map((n) => stopProcess(n.pid)));
      const wasOpen = ensurePrivateDir(p.home);
      if (wasOpen !== undefined) io.out.write(`${p.home} was ${octal(wasOpen)}, readable by other users: made it 0700 (it holds the store, keys and tokens)\n`);
      if (existing?.machines || machines > 0) {
        // What a crashed cluster left behind goes before anything is made again.
        claimLanOrFail(p.home);
        await removeMachines(p.home, existing?.machines);
      }
      if (!existsSync(p.tokens)) writeFileSync(p.tokens, `${randomBytes(24).toString('hex')},admin\n`, { mode: 0o600 });
      const token = readAdminToken(p);
      const pki = await ensureClusterPki(p.home, [bindAddress]);
      const server = `https://${bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress}:${opts.port}`;
      const plan: MachinesState | undefined =
        machines > 0 ? { podNetwork: opts.podNetwork as PodNetworkMode, ...(opts.clusterCidr ? { clusterCidr: opts.clusterCidr } : {}), list: planMachines(p.home, nodeNames(machines)) } : undefined;
      if (plan) {
        // Recorded before anything is made: whatever happens next, `cluster down` finds it.
        writeState(p, { server, port: Number(opts.port), bindAddress, apiserverPid: 0, nodes: [], nodeMonitorGracePeriodSeconds: gracePeriod, network, machines: plan });
        await makeLan().catch((err: Error) => {
          throw new CliError(`cannot make the machines' LAN: ${err.message}`);
        });
      }
      const log = join(p.logs, 'apiserver.log');
      const started = Date.now();
      const pid = startDetached('kctl-apiserver', [
        '--data-dir',
        p.home,
        '--port',
        String(opts.port),
        '--bind-address',
        bindAddress,
        '--compact-interval-seconds',
        String(opts.compactIntervalSeconds),
        '--store-sync',
        String(opts.storeSync),
        '--node-monitor-grace-period-seconds',
        String(gracePeriod),
        ...(opts.clusterSigningDuration ? ['--cluster-signing-duration', opts.clusterSigningDuration] : []),
        ...(opts.metricResolution ? ['--metric-resolution', opts.metricResolution] : []),
        ...(opts.horizontalPodAutoscalerSyncPeriod ? ['--horizontal-pod-autoscaler-sync-period', opts.horizontalPodAutoscalerSyncPeriod] : []),
        ...(opts.horizontalPodAutoscalerDownscaleStabilization ? ['--horizontal-pod-autoscaler-downscale-stabilization', opts.horizontalPodAutoscalerDownscaleStabilization] : []),
        ...(nodeIpam ? nodeIpamArgs(nodeIpam) : []),
        ...nodeGroups.flatMap((g) => ['--node-group', formatNodeGroup(g)]),
        ...(opts.scaleDownUnneededTime ? ['--scale-down-unneeded-time', opts.scaleDownUnneededTime] : []),
        ...(opts.scaleDownDelayAfterAdd ? ['--scale-down-delay-after-add', opts.scaleDownDelayAfterAdd] : []),
      ], log);
      const state: ClusterState = {
        server,
        port: Number(opts.port),
        bindAddress,
        apiserverPid: pid,
        nodes: [],
        nodeMonitorGracePeriodSeconds: gracePeriod,
        network,
        upFlags: givenFlags(cmd),
        ...(plan ? { machines: plan } : {}),
        ...(nodeGroups.length > 0 ? { nodeGroups } : {}),
      };
      writeState(p, state);
      if (plan) claimLanOrFail(p.home, pid);
      const deadline = started + Number(opts.timeout) * 1000;
      const apiReady = (async () => {
        while (!(await apiAnswers(server, pki.caPem))) {
          if (!isAlive(pid)) throw new CliError(`the API server exited before it answered. Its log (${log}) ends with:\n${tail(log)}`);
          if (Date.now() > deadline) throw new CliError(`the API server did not answer at ${server} within ${opts.timeout}s; see ${log}`);
          await sleep(25);
        }
      })();
      // The machines come up while the API server starts, and each runs the join line as soon as its
      // engine answers (join waits for the API server); their images are imported meanwhile.
      const upMachines = plan ? startMachines(p, state, plan, deadline - Date.now()) : undefined;
      if (upMachines) upMachines.joins = joinMachines(p, state, machineJoinLine(p, server, pki.caPem), plan!.list, upMachines.engines, deadline);
      await apiReady;
      writeKubeconfig(p.kubeconfig, 'kctl', server, token, pki.caPem);
      io.out.write(
        `API server running at ${server} (pid ${pid}, ready in ${Date.now() - started} ms)\n` +
          `Kubeconfig written to ${p.kubeconfig}; kubectl works with: export KUBECONFIG=${p.kubeconfig}\n`,
      );
      if (opts.registry) {
        state.registry = await runRegistry(io, p, state, registryHost(state), registryPort(opts.registryPort), Math.max(deadline - Date.now(), 5000));
        writeState(p, state);
      }
      if (nodes > 0) await startNodes(io, p, state, pki, nodeNames(nodes), nodes, Number(opts.timeout) * 1000, upMachines);
      if (nodeGroups.some((g) => g.min > 0)) await startGroupMinimums(io, p, state, pki, Number(opts.timeout) * 1000);
    });
}

/** The --node-group flags, checked, with their templates filled in for the daemon. */
function parseNodeGroups(texts: string[], machines: boolean, nodes: number): NodeGroupSpec[] {
  const groups: NodeGroupSpec[] = [];
  for (const text of texts) {
    let group: NodeGroupSpec;
    try {
      group = parseNodeGroup(text, machines ? 'machine' : 'agent');
    } catch (err) {
      throw new CliError(`--node-group: ${(err as Error).message}`);
    }
    if (groups.some((g) => g.name === group.name)) throw new CliError(`--node-group: the group "${group.name}" is given twice`);
    groups.push(group);
  }
  return resolveNodeGroups(groups, machines, nodes + groups.reduce((n, g) => n + (g.template.kind === 'hollow' ? 0 : g.min), 0));
}

/** Each group's MIN nodes, started as the autoscaler starts nodes, and waited for until Ready. */
async function startGroupMinimums(io: IOStreams, p: ClusterPaths, state: ClusterState, pki: ClusterPki, timeoutMs: number): Promise<void> {
  const since = Date.now();
  const names: string[] = [];
  for (const group of state.nodeGroups ?? []) {
    if (group.min > 0) names.push(...(await addGroupNodes(p, state, group, group.min, timeoutMs)));
  }
  const client = adminClient(p, state.server, pki.caPem);
  const progress = progressLine(io);
  try {
    await waitForNodesReady(client, names, {
      since,
      timeoutMs,
      onProgress: (ready, total) => progress.show(`Waiting for node group nodes: ${ready}/${total} Ready`),
      agentProblem: () => {
        const dead = state.nodes.find((n) => names.includes(n.name) && !isAlive(n.pid));
        return dead ? `the node ${dead.name} exited; see ${agentLogFile(p, state, dead.name)}` : undefined;
      },
      logOf: (name) => agentLogFile(p, state, name),
    }).catch((err: Error) => {
      throw new CliError(`${err.message}\nThe cluster is left running: "kctl cluster status" shows it, "kctl cluster down" stops it.`);
    });
  } finally {
    progress.end();
    client.close();
  }
  io.out.write(`Node group nodes Ready: ${names.join(', ')} (in ${Date.now() - since} ms)\n`);
}

/** Where the nodes reach this computer: its LAN address for machines, else the API server's. */
function registryHost(state: ClusterState): string {
  if (state.machines) return LAN_GATEWAY;
  return state.bindAddress === '0.0.0.0' ? '127.0.0.1' : state.bindAddress;
}

function registryPort(value: string): number {
  const port = parseInteger(value, '--registry-port', 1);
  if (port > 65535) throw new CliError(`--registry-port must be a port number, got "${value}"`);
  return port;
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}

/** Starts the registry and hands its credentials to the default namespace's pods. */
async function runRegistry(io: IOStreams, p: ClusterPaths, state: ClusterState, host: string, port: number, timeoutMs: number): Promise<RegistryState> {
  let registry: RegistryState;
  try {
    registry = await startRegistry(p.home, host, port, timeoutMs);
  } catch (err) {
    throw new CliError(`cannot start the registry: ${(err as Error).message}\nThe cluster is left running: "kctl cluster down" stops it.`);
  }
  const client = adminClient(p, state.server, readFileSync(pkiPaths(p.home).caFile, 'utf8'));
  try {
    await publishRegistrySecret(client, p.home, registry.address);
  } finally {
    client.close();
  }
  io.out.write(`Registry running at ${registry.address} (pid ${registry.pid}); pods in "default" pull from it with the Secret ${REGISTRY_SECRET}\n`);
  return registry;
}

/** The flags given on the command line (not defaulted), as arguments that give them again. */
function givenFlags(cmd: Command): string[] {
  const args: string[] = [];
  for (const option of cmd.options) {
    const key = option.attributeName();
    if (cmd.getOptionValueSource(key) !== 'cli' || !option.long) continue;
    const value: unknown = cmd.getOptionValue(key);
    if (typeof value === 'boolean') args.push(option.long);
    else for (const v of [value].flat()) args.push(option.long, String(v));
  }
  return args;
}

function claimLanOrFail(home: string, apiserverPid?: number): void {
  try {
    claimLan(home, apiserverPid);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** What a node waits for before its agent starts, and what `cluster up` waits for besides the nodes. */
interface MachinesUnderWay {
  /** Per machine: its engine answers. */
  engines: Map<string, Promise<void>>;
  /** Every machine's images are imported. */
  images: Promise<void>;
  /** Every machine's `kctl join`, begun as its engine answers. */
  joins?: Promise<NodeAgent[]>;
}

/**
 * Every machine's namespace and engine, at once, each engine's pid recorded as it answers, and then
 * its images imported; each agent can start as soon as its own engine answers.
 */
function startMachines(p: ClusterPaths, state: ClusterState, plan: MachinesState, timeoutMs: number): MachinesUnderWay {
  const failed = (m: MachineRecord) => (err: Error) => {
    throw new CliError(`cannot start the machine ${m.name}: ${err.message}\n"kctl cluster down" removes what was made.`);
  };
  const ups = plan.list.map((m) => {
    const up = bringUpMachine(m, timeoutMs)
      .then((u) => {
        m.enginePid = u.pid;
        return u;
      }, failed(m))
      .finally(() => writeState(p, state));
    return { m, up };
  });
  const engines = new Map(ups.map(({ m, up }) => [m.name, up.then(() => undefined)]));
  const images = Promise.all(ups.map(({ m, up }) => up.then((u) => u.images.catch(failed(m))))).then(() => undefined);
  // Awaited later (or not at all when another part failed first): no unhandled rejection meanwhile.
  for (const promise of [...engines.values(), images]) promise.catch(() => undefined);
  return { engines, images };
}

/**
 * Starts the named agents of a cluster of `count` (recorded in cluster.json at once, so `cluster
 * down` stops them whatever happens next) and waits until their Nodes are Ready.
 */
async function startNodes(io: IOStreams, p: ClusterPaths, state: ClusterState, pki: ClusterPki, names: string[], count: number, timeoutMs: number, machines?: MachinesUnderWay): Promise<void> {
  const client = adminClient(p, state.server, pki.caPem);
  // Machines make their own pod networks; nodes on this machine share one made here.
  const docker = state.machines ? undefined : new DockerClient();
  try {
    if (docker) {
      await claimPodNetwork(docker, state.server).catch((err: Error) => {
        throw new CliError(`cannot make the pod network: ${err.message}`);
      });
    }
    const since = Date.now();
    let started: NodeAgent[];
    if (state.machines) {
      const line = machineJoinLine(p, state.server, pki.caPem);
      // What the joins already under way wait for: their token valid and cluster-info signed for it.
      await Promise.all([ensureNodeJoinToken(client, line.token), publishClusterInfo(client, state.server, pki.caPem)]);
      io.out.write(`Machines join with: ${formatJoinLine(line)}\n`);
      const list = state.machines.list.filter((m) => names.includes(m.name));
      started = await (machines?.joins ?? joinMachines(p, state, line, list, undefined, Date.now() + timeoutMs));
    } else {
      await ensureNodeJoinToken(client, nodeJoinToken(p));
      const agents = startNodeAgents(p, {
        server: state.server,
        caFile: pki.caFile,
        names,
        count,
        // The lease lasts the grace period and is renewed every quarter of it, the kubelet's 40 s / 10 s ratio.
        leaseDurationSeconds: state.nodeMonitorGracePeriodSeconds,
        network: state.network,
      });
      started = agents.map((agent) => recordAgent(p, state, agent));
    }
    if (machines) io.out.write(`Machines up: ${state.machines!.list.map((m) => `${m.name} ${m.address}`).join(', ')}\n`);
    const progress = progressLine(io);
    await waitForNodesReady(
      client,
      names,
      {
        since,
        timeoutMs,
        onProgress: (ready, total) => progress.show(`Waiting for nodes: ${ready}/${total} Ready`),
        agentProblem: () => {
          const dead = started.find((n) => !isAlive(n.pid));
          if (!dead) return undefined;
          const log = agentLogFile(p, state, dead.name);
          return `the node agent ${dead.name} exited. Its log (${log}) ends with:\n${tail(log)}`;
        },
        logOf: (name) => agentLogFile(p, state, name),
      },
    )
      .catch((err: Error) => {
        throw new CliError(`${err.message}\nThe cluster is left running: "kctl cluster status" shows it, "kctl cluster down" stops it.`);
      })
      .finally(() => progress.end());
    // The machines' images, imported meanwhile: no pod is run before `cluster up` returns.
    await machines?.images;
    io.out.write(`Nodes Ready: ${names.join(', ')} (in ${Date.now() - since} ms)\n`);
  } finally {
    client.close();
    await docker?.close();
  }
}

/** The agent in cluster.json at once, so `cluster down` stops it whatever happens next. */
function recordAgent(p: ClusterPaths, state: ClusterState, agent: NodeAgent): NodeAgent {
  state.nodes = [...state.nodes.filter((n) => n.name !== agent.name), agent].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  writeState(p, state);
  return agent;
}

/**
 * Each machine runs the join line as soon as its engine answers (all at once when no engine is
 * starting); each agent is recorded once its `kctl join` returned, that is once its Node is Ready.
 */
function joinMachines(p: ClusterPaths, state: ClusterState, line: JoinLine, list: MachineRecord[], engines: Map<string, Promise<void>> | undefined, deadline: number): Promise<NodeAgent[]> {
  const settings = machineAgentSettings(state);
  const joins = Promise.all(
    list.map(async (m) => {
      await engines?.get(m.name);
      const agent = await joinMachineAgent(p, m, settings, line, deadline - Date.now()).catch((err: Error) => {
        throw new CliError(`${err.message}\nThe cluster is left running: "kctl cluster status" shows it, "kctl cluster down" stops it.`);
      });
      return recordAgent(p, state, agent);
    }),
  );
  // Awaited later (or not at all when the API server failed first): no unhandled rejection meanwhile.
  joins.catch(() => undefined);
  return joins;
}

/** A node agent's log: on a machine, where `kctl join` had it written. */
function agentLogFile(p: ClusterPaths, state: ClusterState, name: string): string {
  return state.machines ? machineAgentLog(p.home, name) : nodeLogFile(p, name);
}

/** One line rewritten in place on a terminal; one line per change otherwise (logs, pipes). */
function progressLine(io: IOStreams): { show(text: string): void; end(): void } {
  const tty = io.out.isTTY;
  let shown = false;
  return {
    show(text) {
      io.out.write(tty ? `\r\x1b[K${text}` : `${text}\n`);
      shown = true;
    },
    end() {
      if (tty && shown) io.out.write('\n');
    },
  };
}
