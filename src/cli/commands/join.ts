// kctl join: kubeadm join for kctl. Discovers the cluster with the token and the CA pin
// (join/discovery.ts), makes sure a Docker engine answers (installing Debian's docker.io when the
// machine has none), leaves the node agent running as a service (join/node-service.ts), and
// returns once the agent has its certificate (TLS bootstrap) and its Node is Ready. It asks
// nothing interactively, so scripts and simulated machines run it as it is.
import { existsSync, mkdirSync, watch, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { parseBootstrapToken, type BootstrapToken } from '../../api/bootstrap-token.js';
import { HttpClient } from '../../api/http-client.js';
import { kctlHome } from '../../api/kubeconfig.js';
import { parseCAHash } from '../../api/pki/ca-hash.js';
import { dockerSocketPath, engineAnswers, certificateFile, readCredentials } from '../../nodeagent/machine-runtime.js';
import { tail } from '../cluster/processes.js';
import { REPO_ROOT } from '../cluster/repo-root.js';
import { waitForNodesReady } from '../cluster/wait-for-nodes.js';
import { discoverCluster } from '../join/discovery.js';
import { agentLog, agentRunning, readJoined, startAgentService, type JoinedNode } from '../join/node-service.js';
import { CliError } from '../errors.js';
import type { IOStreams } from '../io-streams.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function endpointOf(arg: string): string {
  const e = arg.replace(/^https:\/\//, '').replace(/\/+$/, '');
  if (!/^[^\s/:]+(:\d{1,5})?$/.test(e)) throw new CliError(`the control plane must be given as HOST:PORT (as "kctl init" prints it), got "${arg}"`);
  return e.includes(':') ? e : `${e}:6443`;
}

function socketOf(dockerHost: string | undefined): string {
  if (dockerHost === undefined) return dockerSocketPath();
  const m = /^unix:\/\/(\/.+)$/.exec(dockerHost);
  if (!m) throw new CliError(`--docker-host must be unix:///path/to/docker.sock, got "${dockerHost}"`);
  return m[1];
}

/** An engine at the socket: the machine's own is installed and started when none answers (scripts/ensure-docker.sh); another socket must already answer. */
async function ensureEngine(io: IOStreams, socketPath: string, custom: boolean): Promise<void> {
  if (await engineAnswers(socketPath)) return;
  if (custom) throw new CliError(`no Docker engine answers at unix://${socketPath} (--docker-host): start it first`);
  io.out.write('[preflight] No Docker engine answers: installing and starting Debian\'s docker.io\n');
  const r = spawnSync('bash', [join(REPO_ROOT, 'scripts/ensure-docker.sh')], { stdio: 'inherit' });
  if (r.status !== 0 || !(await engineAnswers(socketPath))) throw new CliError('cannot install or start Docker (scripts/ensure-docker.sh failed; see above)');
}

/** Resolves once the agent has written its client certificate (its TLS bootstrap is done). */
function waitForCertificate(node: JoinedNode, deadline: number): Promise<{ certPem: string; keyPem: string }> {
  const dir = join(node.dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      const c = err ? undefined : readCredentials(node.dataDir);
      if (!err && !c) return;
      done = true;
      watcher.close();
      clearInterval(timer);
      if (err) reject(err);
      else resolve(c!);
    };
    const watcher = watch(dir, () => finish());
    // The agent's own death or the deadline ends the wait; checked as time passes.
    const timer = setInterval(() => {
      if (!agentRunning(node)) finish(new CliError(`the node agent exited during its TLS bootstrap. Its log (${agentLog(node)}) ends with:\n${node.unit ? '' : tail(agentLog(node))}`));
      else if (Date.now() > deadline) finish(new CliError(`the node agent got no client certificate in time (see ${agentLog(node)})`));
    }, 250);
    if (existsSync(certificateFile(node.dataDir))) finish();
  });
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('join <control-plane>')
    .description('Join this machine to a cluster as a node (kubeadm join): the line "kctl init" printed')
    // kctl's global --token (a bearer token) takes the flag; join reads it from there.
    .option('--token <token>', 'the join token (<id>.<secret>)')
    .option('--discovery-token-ca-cert-hash <sha256:hex>', 'the pin of the cluster CA\'s public key, as "kctl init" printed it (repeatable)', collect, [])
    .option('--discovery-token-unsafe-skip-ca-verification', 'trust whatever CA the token-signed cluster-info names, without a pin')
    .option('--node-name <name>', 'the Node\'s name (default: this machine\'s host name)')
    .option('--docker-host <unix:///path>', 'the Docker engine the node runs its pods on (default: $DOCKER_HOST, else unix:///var/run/docker.sock)')
    .option('--data-dir <dir>', 'the node agent\'s directory: its certificate, pod volumes, log (default: $KCTL_HOME/nodes/NAME)')
    .option('--agent-arg <arg>', 'pass one more argument to kctl-node, e.g. --agent-arg=--proxy (repeatable)', collect, [])
    .option('--timeout <seconds>', 'how long to wait for the Node to be Ready', '120')
    .action(async (controlPlane: string, opts, cmd: Command) => {
      const started = Date.now();
      const endpoint = endpointOf(controlPlane);
      const tokenText: string | undefined = opts.token ?? cmd.optsWithGlobals().token;
      if (!tokenText) throw new CliError('--token is required: the join token "kctl init" printed (or "kctl token create" makes)');
      const token: BootstrapToken | undefined = parseBootstrapToken(tokenText.trim());
      if (!token) throw new CliError('--token must be a join token of the form <id>.<secret> ([a-z0-9]{6}.[a-z0-9]{16}), as "kctl init" or "kctl token create" prints it');
      let hashes: string[];
      try {
        hashes = (opts.discoveryTokenCaCertHash as string[]).map(parseCAHash);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      if (hashes.length === 0 && !opts.discoveryTokenUnsafeSkipCaVerification) {
        throw new CliError('give --discovery-token-ca-cert-hash sha256:<hash> (printed by "kctl init"), or --discovery-token-unsafe-skip-ca-verification to trust the cluster without one');
      }
      const name = (opts.nodeName ?? hostname()).toLowerCase();
      const home = kctlHome();
      const dataDir = opts.dataDir ?? join(home, 'nodes', name);
      const timeoutMs = Number(opts.timeout) * 1000;
      if (!(timeoutMs > 0)) throw new CliError(`--timeout must be a positive number of seconds, got "${opts.timeout}"`);
      const previous = readJoined(home).find((n) => n.name === name);
      if (previous && agentRunning(previous)) throw new CliError(`this machine already runs node ${name} (joined to ${previous.server}): "kctl reset" undoes that first`);
      const socketPath = socketOf(opts.dockerHost);

      io.out.write(`[preflight] Reading cluster-info from ${endpoint}\n`);
      const cluster = await discoverCluster({
        endpoint,
        token,
        caHashes: hashes,
        unsafeSkipCAVerification: !!opts.discoveryTokenUnsafeSkipCaVerification,
        timeoutMs: 10_000,
        deadline: started + timeoutMs,
        onWaiting: (why) => io.out.write(`[discovery] Waiting: ${why}\n`),
      });
      io.out.write(`[discovery] Cluster info signature and contents are valid${hashes.length ? ' and the CA matches the pinned hash' : ' (CA not pinned)'}; API server ${cluster.server}\n`);
      await ensureEngine(io, socketPath, opts.dockerHost !== undefined);

      mkdirSync(join(dataDir, 'pki'), { recursive: true, mode: 0o700 });
      const caFile = join(dataDir, 'pki', 'ca.crt');
      const tokenFile = join(dataDir, 'bootstrap-token');
      writeFileSync(caFile, cluster.caPem);
      writeFileSync(tokenFile, `${tokenText.trim()}\n`, { mode: 0o600 });
      const args = [
        '--name', name,
        '--server', cluster.server,
        '--ca-file', caFile,
        '--token-file', tokenFile,
        '--data-dir', dataDir,
        ...(opts.agentArg as string[]),
      ];
      const env: Record<string, string> = opts.dockerHost ? { DOCKER_HOST: opts.dockerHost } : {};
      const since = Date.now();
      const node = startAgentService(home, { name, server: cluster.server, dataDir, ...(opts.dockerHost ? { dockerHost: opts.dockerHost } : {}) }, args, env);
      io.out.write(`[kubelet-start] Node agent started (${node.unit ? `systemd unit ${node.unit}` : `pid ${node.pid}, log ${agentLog(node)}`}); waiting for its TLS bootstrap\n`);
      const credentials = await waitForCertificate(node, started + timeoutMs);
      // The node's own certificate reads its Node: the join token may not.
      const client = new HttpClient({ server: cluster.server, ca: cluster.caPem, cert: credentials.certPem, key: credentials.keyPem });
      try {
        await waitForNodesReady(client, [name], {
          since,
          timeoutMs: Math.max(1000, started + timeoutMs - Date.now()),
          onProgress: () => {},
          agentProblem: () => (agentRunning(node) ? undefined : `the node agent exited; see ${agentLog(node)}`),
          logOf: () => agentLog(node),
        });
      } finally {
        client.close();
      }
      io.out.write(
        `\nThis node has joined the cluster as ${name} (Ready in ${Date.now() - started} ms):\n` +
          '* A certificate signing request was sent to the API server and a client certificate was issued.\n' +
          '* The node agent holds that identity and renews it before it expires.\n\n' +
          "Run 'kctl get nodes' on the control plane to see this node join the cluster.\n",
      );
    });
}
