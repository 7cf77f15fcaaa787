// Starting the API server daemon under $KCTL_HOME: the admin token, the cluster PKI, the detached
// daemon, waiting until it answers, the state file and the kubeconfig. `cluster up` and `kctl init`
// both start their control plane through here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeKubeconfig } from '../../api/kubeconfig.js';
import { readAdminToken } from './admin-client.js';
import { ensureClusterPki, type ClusterPki } from './certificates.js';
import { writeState, type ClusterPaths, type ClusterState } from './local-cluster.js';
import { apiAnswers, isAlive, sleep, startDetached, tail } from './processes.js';
import { CliError } from '../errors.js';
import { nodeIpamArgs, type NodeIpam } from './pod-network-settings.js';

export interface ControlPlaneOptions {
  port: number;
  bindAddress: string;
  /** The address clients and agents reach the API server at (in its certificate and the kubeconfig). */
  advertiseAddress: string;
  compactIntervalSeconds: string;
  nodeMonitorGracePeriodSeconds: number;
  clusterSigningDuration?: string;
  /** Set: the API server gives each Node a pod range (see pod-network-settings.ts). */
  nodeIpam?: NodeIpam;
  timeoutSeconds: number;
  /** What else the state file records (network settings, pod network). */
  state: Pick<ClusterState, 'network'> & Partial<ClusterState>;
}

export interface StartedControlPlane {
  state: ClusterState;
  pki: ClusterPki;
  readyMs: number;
}

export async function startControlPlane(p: ClusterPaths, o: ControlPlaneOptions): Promise<StartedControlPlane> {
  mkdirSync(p.home, { recursive: true, mode: 0o700 });
  if (!existsSync(p.tokens)) writeFileSync(p.tokens, `${randomBytes(24).toString('hex')},admin\n`, { mode: 0o600 });
  const token = readAdminToken(p);
  const pki = await ensureClusterPki(p.home, [o.bindAddress, o.advertiseAddress]);
  const server = `https://${o.advertiseAddress}:${o.port}`;
  const log = join(p.logs, 'apiserver.log');
  const started = Date.now();
  const pid = startDetached('kctl-apiserver', [
    ...(o.clusterSigningDuration ? ['--cluster-signing-duration', o.clusterSigningDuration] : []),
    '--data-dir', p.home,
    '--port', String(o.port),
    '--bind-address', o.bindAddress,
    '--compact-interval-seconds', o.compactIntervalSeconds,
    '--node-monitor-grace-period-seconds', String(o.nodeMonitorGracePeriodSeconds),
    ...(o.nodeIpam ? nodeIpamArgs(o.nodeIpam) : []),
  ], log);
  const deadline = started + o.timeoutSeconds * 1000;
  while (!(await apiAnswers(server, pki.caPem))) {
    if (!isAlive(pid)) throw new CliError(`the API server exited before it answered. Its log (${log}) ends with:\n${tail(log)}`);
    if (Date.now() > deadline) throw new CliError(`the API server did not answer at ${server} within ${o.timeoutSeconds}s; see ${log}`);
    await sleep(25);
  }
  const state: ClusterState = {
    ...o.state,
    server,
    port: o.port,
    bindAddress: o.bindAddress,
    apiserverPid: pid,
    nodes: o.state.nodes ?? [],
    nodeMonitorGracePeriodSeconds: o.nodeMonitorGracePeriodSeconds,
  };
  writeState(p, state);
  writeKubeconfig(p.kubeconfig, 'kctl', server, token, pki.caPem);
  return { state, pki, readyMs: Date.now() - started };
}
