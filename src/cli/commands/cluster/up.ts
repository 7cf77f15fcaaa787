// kctl cluster up: starts the daemon and N node agents in the background under $KCTL_HOME, writes
// the kubeconfig that kctl and kubectl use, and waits until every node is Ready.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeKubeconfig } from '../../../api/kubeconfig.js';
import {
  apiAnswers,
  clusterPaths,
  isAlive,
  readState,
  sleep,
  startDetached,
  stopProcess,
  tail,
  writeState,
  type ClusterPaths,
  type ClusterState,
} from '../../cluster/local-cluster.js';
import { ensureClusterPki, type ClusterPki } from '../../cluster/certificates.js';
import { adminClient, readAdminToken } from '../../cluster/admin-client.js';
import { ensureNodeJoinToken, nodeLogFile, nodeNames, startNodeAgents, type NetworkSettings } from '../../cluster/node-agents.js';
import { DockerClient } from '../../../nodeagent/docker/docker-client.js';
import { claimPodNetwork } from '../../../nodeagent/pods/pod-network.js';
import { waitForNodesReady } from '../../cluster/wait-for-nodes.js';
import { CliError } from '../../errors.js';
import { isIPv4 } from 'node:net';
import { ensurePrivateDir, octal } from '../../../api/private-dir.js';

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

export function register(cluster: Command): void {
  cluster
    .command('up')
    .description('Start a local cluster: the API server daemon and N node agents, in the background')
    .option('--nodes <n>', 'how many node agents to start', '0')
    .option('--port <port>', 'API server port', '6443')
    .option('--bind-address <addr>', 'API server address', '127.0.0.1')
    .option('--compact-interval-seconds <n>', 'how often the store drops old revisions', '300')
    .option('--store-sync <mode>', 'BATCHED or FULL: a write is answered once it is on disk (survives power loss; BATCHED shares one sync among concurrent writes); NORMAL: answered before, survives the daemon dying but not the machine', 'BATCHED')
    .option('--node-monitor-grace-period-seconds <n>', 'how long a node may go without renewing its lease before it is marked unreachable (its agents renew every quarter of it)', '40')
    .option('--nodeport-addresses <ips>', 'the host addresses NodePort and LoadBalancer Services answer on (comma-separated)', '127.0.0.1')
    .option('--ingress-address <ip>', 'where the ingress proxy listens', '127.0.0.1')
    .option('--ingress-port <port>', 'the ingress proxy\'s port (0: no ingress proxy)', '80')
    .option('--cluster-signing-duration <duration>', 'the longest client certificate the cluster signs, e.g. 8760h (the default) or 30s to see node agents rotate theirs')
    .option('--timeout <seconds>', 'how long to wait for the API server to answer, then for the nodes to be Ready', '30')
    .action(async (opts, cmd: Command) => {
      const nodes = parseInteger(opts.nodes, '--nodes', 0);
      const gracePeriod = parseInteger(opts.nodeMonitorGracePeriodSeconds, '--node-monitor-grace-period-seconds', 1);
      const network = parseNetwork(opts);
      const p = clusterPaths();
      const existing = readState(p);
      if (existing && isAlive(existing.apiserverPid)) {
        process.stdout.write(`Cluster already running at ${existing.server} (KCTL_HOME=${p.home}).\n`);
        // Agents that died (killed, crashed) start again under their names and adopt their pods.
        const dead = existing.nodes.filter((n) => !isAlive(n.pid)).map((n) => n.name);
        if (dead.length > 0) {
          process.stdout.write(`Restarting node agents: ${dead.join(', ')}\n`);
          const pki = await ensureClusterPki(p.home, [existing.bindAddress]);
          await startNodes(p, existing, pki, dead, existing.nodes.length, Number(opts.timeout) * 1000);
        }
        return;
      }
      // Agents left from a cluster whose API server is gone would only retry against the new one.
      if (existing) await Promise.all(existing.nodes.map((n) => stopProcess(n.pid)));
      const wasOpen = ensurePrivateDir(p.home);
      if (wasOpen !== undefined) process.stdout.write(`${p.home} was ${octal(wasOpen)}, readable by other users: made it 0700 (it holds the store, keys and tokens)\n`);
      if (!existsSync(p.tokens)) writeFileSync(p.tokens, `${randomBytes(24).toString('hex')},admin\n`, { mode: 0o600 });
      const token = readAdminToken(p);
      const pki = await ensureClusterPki(p.home, [opts.bindAddress]);
      const server = `https://${opts.bindAddress === '0.0.0.0' ? '127.0.0.1' : opts.bindAddress}:${opts.port}`;
      const log = join(p.logs, 'apiserver.log');
      const started = Date.now();
      const pid = startDetached('kctl-apiserver', [
        ...(opts.clusterSigningDuration ? ['--cluster-signing-duration', opts.clusterSigningDuration] : []),
        '--data-dir',
        p.home,
        '--port',
        String(opts.port),
        '--bind-address',
        opts.bindAddress,
        '--compact-interval-seconds',
        String(opts.compactIntervalSeconds),
        '--node-monitor-grace-period-seconds',
        String(gracePeriod),
        '--store-sync',
        String(opts.storeSync),
      ], log);
      const deadline = started + Number(opts.timeout) * 1000;
      while (!(await apiAnswers(server, pki.caPem))) {
        if (!isAlive(pid)) throw new CliError(`the API server exited before it answered. Its log (${log}) ends with:\n${tail(log)}`);
        if (Date.now() > deadline) throw new CliError(`the API server did not answer at ${server} within ${opts.timeout}s; see ${log}`);
        await sleep(25);
      }
      const state: ClusterState = { server, port: Number(opts.port), bindAddress: opts.bindAddress, apiserverPid: pid, nodes: [], nodeMonitorGracePeriodSeconds: gracePeriod, network, upFlags: givenFlags(cmd) };
      writeState(p, state);
      writeKubeconfig(p.kubeconfig, 'kctl', server, token, pki.caPem);
      process.stdout.write(
        `API server running at ${server} (pid ${pid}, ready in ${Date.now() - started} ms)\n` +
          `Kubeconfig written to ${p.kubeconfig}; kubectl works with: export KUBECONFIG=${p.kubeconfig}\n`,
      );
      if (nodes > 0) await startNodes(p, state, pki, nodeNames(nodes), nodes, Number(opts.timeout) * 1000);
    });
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

/**
 * Starts the named agents of a cluster of `count` (recorded in cluster.json at once, so `cluster
 * down` stops them whatever happens next) and waits until their Nodes are Ready.
 */
async function startNodes(p: ClusterPaths, state: ClusterState, pki: ClusterPki, names: string[], count: number, timeoutMs: number): Promise<void> {
  const client = adminClient(p, state.server, pki.caPem);
  const docker = new DockerClient();
  try {
    await claimPodNetwork(docker, state.server).catch((err: Error) => {
      throw new CliError(`cannot make the pod network: ${err.message}`);
    });
    await ensureNodeJoinToken(client, p);
    const since = Date.now();
    // The lease lasts the grace period and is renewed every quarter of it, the kubelet's 40 s / 10 s ratio.
    const started = startNodeAgents(p, { server: state.server, caFile: pki.caFile, names, count, leaseDurationSeconds: state.nodeMonitorGracePeriodSeconds, network: state.network });
    state.nodes = [...state.nodes.filter((n) => !names.includes(n.name)), ...started].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    writeState(p, state);
    const progress = progressLine();
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
          const log = nodeLogFile(p, dead.name);
          return `the node agent ${dead.name} exited. Its log (${log}) ends with:\n${tail(log)}`;
        },
        logOf: (name) => nodeLogFile(p, name),
      },
    )
      .catch((err: Error) => {
        throw new CliError(`${err.message}\nThe cluster is left running: "kctl cluster status" shows it, "kctl cluster down" stops it.`);
      })
      .finally(() => progress.end());
    process.stdout.write(`Nodes Ready: ${names.join(', ')} (in ${Date.now() - since} ms)\n`);
  } finally {
    client.close();
    await docker.close();
  }
}

/** One line rewritten in place on a terminal; one line per change otherwise (logs, pipes). */
function progressLine(): { show(text: string): void; end(): void } {
  const tty = process.stdout.isTTY;
  let shown = false;
  return {
    show(text) {
      process.stdout.write(tty ? `\r\x1b[K${text}` : `${text}\n`);
      shown = true;
    },
    end() {
      if (tty && shown) process.stdout.write('\n');
    },
  };
}
