// kctl-apiserver: the daemon. One process holds the HTTP API, the SQLite store, and (in-process)
// the scheduler and controllers.
import { parseArgs } from 'node:util';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { findByKind } from '../api/resources.js';
import { ApiError } from '../api/errors.js';
import { SqliteStore, type Synchronous } from './storage/sqlite-store.js';
import { EncryptionConfigError, newEncryptionConfig, parseEncryptionConfig, type TransformerFor } from './storage/encryption-config.js';
import { LOCAL_PATH_CLASS, localPathStorageClass } from '../api/storage.js';
import { systemPriorityClasses } from '../api/priority.js';
import { ensurePrivateDir, octal } from '../api/private-dir.js';
import { Compactor } from './storage/compactor.js';
import { Registry } from './registry/registry.js';
import { createApiServer } from './http/server.js';
import { ControllerManager } from './controllers/controller-manager.js';
import { Scheduler } from './scheduler/scheduler.js';
import { DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS } from './controllers/node-lifecycle/node-controllers.js';
import { InProcessClient } from './registry/in-process-client.js';
import { configureAdmission } from './registry/admission.js';
import { loadOrCreateSigningKey, type SigningKey } from './serviceaccount/signing-key.js';
import { NODE_PORT_RANGE, POD_SUBNET, SERVICE_CIDR } from '../api/cluster-network.js';
import { parseSubnetRange } from './controllers/node-ipam/cidr-set.js';
import type { NodeIpamOptions } from './controllers/node-ipam/node-ipam-controller.js';
import { numberToIPv4, parseCidr } from '../api/allocators/ip-range-allocator.js';
import type { ServiceRanges } from './registry/service-allocations.js';
import type { CertificateAuthority } from '../api/pki/x509.js';
import { parseGoDuration } from '../api/go-duration.js';
import { SharedInformers } from '../api/shared-informers.js';
import { reconcileBootstrapPolicy } from './authorization/reconcile-bootstrap-policy.js';
import { authorizerFromInformers } from './authorization/from-informers.js';
import { MetricsCollector } from './metrics/metrics-collector.js';
import { registerProcessAndStorageMetrics } from './metrics/apiserver-metrics.js';
import { MetricsApi } from './http/metrics-api.js';
import { parseNodeGroup, type NodeGroupSpec } from '../api/node-groups.js';
import { CommandProvider } from './controllers/cluster-autoscaler/command-provider.js';
import { IdleMemoryReducer } from './memory/idle-memory-reducer.js';

const USAGE = `Usage: kctl-apiserver [options]

Options:
  --data-dir DIR                  where the database lives (default: $KCTL_HOME or ~/.kctl)
  --bind-address ADDR             address to listen on (default: 127.0.0.1)
  --port N                        port to listen on (default: 6443)
  --token-file FILE               file with one "token,user" per line: the bearer tokens accepted (default: DATA_DIR/tokens.csv)
  --tls-cert-file FILE            the serving certificate, PEM (default: DATA_DIR/pki/apiserver.crt)
  --tls-private-key-file FILE     its private key, PEM (default: DATA_DIR/pki/apiserver.key)
  --client-ca-file FILE           client certificates signed by this CA authenticate: user = CN, groups = O
                                  (default: DATA_DIR/pki/ca.crt)
  --cluster-signing-cert-file FILE, --cluster-signing-key-file FILE
                                  the CA that signs approved client CSRs (default: DATA_DIR/pki/ca.crt, ca.key)
  --cluster-signing-duration D    the longest certificate the signer issues, a Go duration (default: 8760h)
  --service-account-key-file FILE EC P-256 key, PEM, service account tokens are signed with; made if missing (default: DATA_DIR/pki/sa.key)
  --compact-interval-seconds N    how often old revisions are compacted (default: 300)
  --encryption-provider-config FILE
                                  kube-apiserver's EncryptionConfiguration: which resources are
                                  encrypted at rest, with which providers and keys (default:
                                  DATA_DIR/pki/encryption-config.yaml, made with a new secretbox key
                                  for Secrets when the store is new; without it, nothing is encrypted)
  --store-sync MODE               when a write is on disk: BATCHED (default) and FULL answer a write
                                  only once it is (survives power loss; BATCHED shares one sync
                                  among concurrent writes, FULL syncs each commit); NORMAL answers
                                  before (survives the process dying, not the machine)
  --default-toleration-seconds N  how long pods tolerate a not-ready or unreachable node (default: 300)
  --node-monitor-grace-period-seconds N
                                  how long a node may go without renewing its lease before it is
                                  marked unreachable (default: 40)
  --service-cluster-ip-range CIDR where Services' cluster IPs come from, IPv4 (default: 10.96.0.0/12)
  --service-node-port-range MIN-MAX
                                  where NodePort and LoadBalancer Services' node ports come from
                                  (default: 30000-32767)
  --allocate-node-cidrs           give each Node a pod range (spec.podCIDR) of --cluster-cidr
  --cluster-cidr CIDR             the pod network, cut into node ranges (default: 10.244.0.0/16)
  --node-cidr-mask-size N         the size of each node's range (default: 24)
  --metric-resolution D           how often node agents' resource metrics are collected, a Go duration (default: 15s)
  --horizontal-pod-autoscaler-sync-period D
                                  how often each HorizontalPodAutoscaler is evaluated (default: 15s)
  --horizontal-pod-autoscaler-downscale-stabilization D
                                  the scale-down window of HPAs that name none (default: 5m)
  --node-group NAME=MIN:MAX:TEMPLATE
                                  a node group the cluster autoscaler grows and shrinks (repeatable);
                                  TEMPLATE: agent|machine|hollow[,cpu=Q][,memory=Q][,pods=N]. Its
                                  nodes are started and stopped with \`kctl cluster add-nodes|remove-nodes\`
  --scale-down-unneeded-time D    how long a node must be unneeded before it is removed (default: 10m)
  --scale-down-delay-after-add D  how long after a scale-up no node is removed (default: 10m)
  --scale-down-utilization-threshold F
                                  a node whose pods request less than this share of its cpu and memory
                                  may be removed (default: 0.5)
  --max-node-provision-time D     how long a node asked for may take to register (default: 15m)
  --backup FILE                   copy the store to FILE (online, while a daemon may run) and exit
  --restore FILE                  replace the store with FILE (no daemon may run) and exit
  --check-backup FILE             check that FILE is a backup a restore can use, and exit
  -h, --help                      show this help`;

function fail(msg: string): never {
  process.stderr.write(`kctl-apiserver: ${msg}\n`);
  process.exit(2);
}

/** A Go duration option in milliseconds. */
function durationOption(value: string | undefined, name: string, dflt: string): number {
  try {
    return parseGoDuration(value ?? dflt);
  } catch (err) {
    fail(`--${name}: ${(err as Error).message}`);
  }
}

function intOption(value: string | undefined, name: string, dflt: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function serviceRanges(cidr = SERVICE_CIDR, ports?: string): ServiceRanges {
  try {
    parseCidr(cidr);
  } catch {
    fail(`--service-cluster-ip-range must be an IPv4 CIDR of at most /30, got "${cidr}"`);
  }
  if (ports === undefined) return { clusterIPRange: cidr, nodePortRange: NODE_PORT_RANGE };
  const m = /^(\d+)-(\d+)$/.exec(ports);
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || min < 1 || max > 65535 || min > max) fail(`--service-node-port-range must be MIN-MAX (ports 1-65535), got "${ports}"`);
  return { clusterIPRange: cidr, nodePortRange: { min, max } };
}

function nodeCidrs(clusterCidr = POD_SUBNET, maskSize = '24'): NodeIpamOptions {
  const options = { clusterCidr, nodeCidrMaskSize: Number(maskSize) };
  try {
    parseSubnetRange(options.clusterCidr, options.nodeCidrMaskSize);
  } catch (err) {
    fail((err as Error).message);
  }
  return options;
}

function readTokens(file: string): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [token, user] = line.trim().split(',');
    if (token) tokens.set(token, user || 'admin');
  }
  return tokens;
}

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

function ensureInitialNamespaces(registry: Registry): void {
  const ns = findByKind('Namespace')!;
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    if (!registry.tryGet(ns, undefined, name)) registry.create(ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

/** The built-in local-path class, made once as k3s makes it; a user may delete or change it afterwards until the next start. */
function ensureDefaultStorageClass(registry: Registry): void {
  const sc = findByKind('StorageClass')!;
  if (!registry.tryGet(sc, undefined, LOCAL_PATH_CLASS)) registry.create(sc, undefined, localPathStorageClass());
}

/** The built-in system PriorityClasses, as Kubernetes' scheduling storage makes them at start. */
function ensureSystemPriorityClasses(registry: Registry): void {
  const pc = findByKind('PriorityClass')!;
  for (const obj of systemPriorityClasses()) if (!registry.tryGet(pc, undefined, obj.metadata.name!)) registry.create(pc, undefined, obj);
}

/** The revision a backup was taken at; fails (exit 2) when the file is missing or no kctl store. */
function checkBackup(backupFile: string): number {
  if (!existsSync(backupFile)) fail(`${backupFile}: no such file`);
  try {
    const probe = new SqliteStore(backupFile, { readonly: true });
    const rev = probe.currentRevision;
    probe.close();
    return rev;
  } catch (err) {
    fail(`${backupFile} is not a kctl backup: ${(err as Error).message}`);
  }
}

function restoreStore(dbFile: string, backupFile: string): void {
  const backupRev = checkBackup(backupFile);
  let liveRev = 0;
  if (existsSync(dbFile)) {
    const live = new SqliteStore(dbFile);
    liveRev = live.currentRevision;
    live.close();
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
  copyFileSync(backupFile, dbFile);
  chmodSync(dbFile, 0o600);
  const restored = new SqliteStore(dbFile);
  restored.startAfterRestore(Math.max(liveRev, backupRev) + 1);
  log(`restored ${backupFile} (revision ${backupRev}) into ${dbFile}; new writes start above revision ${restored.currentRevision}`);
  restored.close();
}

function storeSync(value = 'BATCHED'): Synchronous {
  const mode = value.toUpperCase();
  if (mode !== 'FULL' && mode !== 'NORMAL' && mode !== 'BATCHED') fail(`--store-sync must be BATCHED, FULL or NORMAL, got "${value}"`);
  return mode;
}

/**
 * The encryption at rest in force: the given file; or the cluster's own, made (a new secretbox key
 * for Secrets) when the store is new too, so new clusters encrypt from their first write.
 */
function loadEncryption(given: string | undefined, dataDir: string, dbFile: string): TransformerFor | undefined {
  const file = given ?? join(dataDir, 'pki', 'encryption-config.yaml');
  if (!given && !existsSync(file)) {
    if (existsSync(dbFile)) {
      log(`Secrets are stored unencrypted: this store predates encryption at rest (docs/security.md says how to turn it on)`);
      return undefined;
    }
    mkdirSync(join(dataDir, 'pki'), { recursive: true, mode: 0o700 });
    writeFileSync(file, newEncryptionConfig(), { mode: 0o600, flag: 'wx' });
    log(`encryption at rest: Secrets are encrypted with the new key in ${file}`);
  }
  try {
    return parseEncryptionConfig(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = err instanceof EncryptionConfigError ? err.message : (err as Error).message;
    fail(`the encryption provider config ${file} cannot be used: ${why}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        'bind-address': { type: 'string' },
        port: { type: 'string' },
        'token-file': { type: 'string' },
        'tls-cert-file': { type: 'string' },
        'tls-private-key-file': { type: 'string' },
        'client-ca-file': { type: 'string' },
        'cluster-signing-cert-file': { type: 'string' },
        'cluster-signing-key-file': { type: 'string' },
        'cluster-signing-duration': { type: 'string' },
        'service-account-key-file': { type: 'string' },
        'compact-interval-seconds': { type: 'string' },
        'default-toleration-seconds': { type: 'string' },
        'node-monitor-grace-period-seconds': { type: 'string' },
        'service-cluster-ip-range': { type: 'string' },
        'service-node-port-range': { type: 'string' },
        'allocate-node-cidrs': { type: 'boolean' },
        'cluster-cidr': { type: 'string' },
        'node-cidr-mask-size': { type: 'string' },
        backup: { type: 'string' },
        restore: { type: 'string' },
        'check-backup': { type: 'string' },
        'encryption-provider-config': { type: 'string' },
        'store-sync': { type: 'string' },
        'metric-resolution': { type: 'string' },
        'horizontal-pod-autoscaler-sync-period': { type: 'string' },
        'horizontal-pod-autoscaler-downscale-stabilization': { type: 'string' },
        'node-group': { type: 'string', multiple: true },
        'scale-down-unneeded-time': { type: 'string' },
        'scale-down-delay-after-add': { type: 'string' },
        'scale-down-utilization-threshold': { type: 'string' },
        'max-node-provision-time': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const dataDir = values['data-dir'] ?? process.env.KCTL_HOME ?? join(process.env.HOME ?? '/root', '.kctl');
  // Everything the daemon writes (store, WAL, backups, keys) is its owner's alone.
  process.umask(0o077);
  const wasOpen = ensurePrivateDir(dataDir);
  if (wasOpen !== undefined) log(`${dataDir} was ${octal(wasOpen)}: made it 0700, as it holds the store and keys`);
  const dbFile = join(dataDir, 'kctl.db');
  if (values.backup) {
    const store = new SqliteStore(dbFile);
    await store.backup(values.backup);
    log(`backup of ${dbFile} at revision ${store.currentRevision} written to ${values.backup}`);
    store.close();
    return;
  }
  if (values['check-backup']) {
    log(`${values['check-backup']} is a kctl backup at revision ${checkBackup(values['check-backup'])}`);
    return;
  }
  if (values.restore) {
    restoreStore(dbFile, values.restore);
    return;
  }
  const port = intOption(values.port, 'port', 6443);
  const host = values['bind-address'] ?? '127.0.0.1';
  const tokenFile = values['token-file'] ?? join(dataDir, 'tokens.csv');
  let tokens: Map<string, string>;
  try {
    tokens = readTokens(tokenFile);
  } catch (err) {
    fail(`cannot read the token file ${tokenFile}: ${(err as Error).message}`);
  }
  if (tokens.size === 0) fail(`the token file ${tokenFile} has no tokens`);
  configureAdmission({ defaultTolerationSeconds: intOption(values['default-toleration-seconds'], 'default-toleration-seconds', 300) });

  const nodeIpam = values['allocate-node-cidrs'] ? nodeCidrs(values['cluster-cidr'], values['node-cidr-mask-size']) : undefined;
  const ranges = serviceRanges(values['service-cluster-ip-range'], values['service-node-port-range']);
  const transformerFor = loadEncryption(values['encryption-provider-config'], dataDir, dbFile);
  const store = new SqliteStore(dbFile, { transformerFor, synchronous: storeSync(values['store-sync']) });
  const registry = new Registry(store, {
    serviceAccountAdmission: true,
    serviceRanges: ranges,
    log,
  });
  ensureInitialNamespaces(registry);
  ensureDefaultStorageClass(registry);
  ensureSystemPriorityClasses(registry);
  reconcileBootstrapPolicy(registry, log);
  registerProcessAndStorageMetrics(store);
  const compactor = new Compactor(store, intOption(values['compact-interval-seconds'], 'compact-interval-seconds', 300) * 1000, log);
  compactor.start();
  const memoryReducer = new IdleMemoryReducer();
  memoryReducer.start();

  const certFile = values['tls-cert-file'] ?? join(dataDir, 'pki', 'apiserver.crt');
  const keyFile = values['tls-private-key-file'] ?? join(dataDir, 'pki', 'apiserver.key');
  let tls: { cert: Buffer; key: Buffer; clientCA: Buffer };
  const clientCAFile = values['client-ca-file'] ?? join(dataDir, 'pki', 'ca.crt');
  try {
    tls = { cert: readFileSync(certFile), key: readFileSync(keyFile), clientCA: readFileSync(clientCAFile) };
  } catch (err) {
    fail(`cannot read the serving certificate or the client CA: ${(err as Error).message} ("kctl cluster up" and "kctl init" create them)`);
  }
  const signingCertFile = values['cluster-signing-cert-file'] ?? join(dataDir, 'pki', 'ca.crt');
  const signingKeyFile = values['cluster-signing-key-file'] ?? join(dataDir, 'pki', 'ca.key');
  let signingCA: CertificateAuthority;
  try {
    signingCA = { certPem: readFileSync(signingCertFile, 'utf8'), keyPem: readFileSync(signingKeyFile, 'utf8') };
  } catch (err) {
    fail(`cannot read the cluster signing CA: ${(err as Error).message}`);
  }
  const signingDurationMs = durationOption(values['cluster-signing-duration'], 'cluster-signing-duration', '8760h');
  if (signingDurationMs < 1000) fail('--cluster-signing-duration must be at least 1s');
  const metricResolutionMs = durationOption(values['metric-resolution'], 'metric-resolution', '15s');
  if (metricResolutionMs < 1000) fail('--metric-resolution must be at least 1s');
  const hpaSyncPeriodMs = durationOption(values['horizontal-pod-autoscaler-sync-period'], 'horizontal-pod-autoscaler-sync-period', '15s');
  if (hpaSyncPeriodMs < 1000) fail('--horizontal-pod-autoscaler-sync-period must be at least 1s');
  const hpaDownscaleMs = durationOption(values['horizontal-pod-autoscaler-downscale-stabilization'], 'horizontal-pod-autoscaler-downscale-stabilization', '5m');
  const nodeGroups: NodeGroupSpec[] = [];
  for (const text of values['node-group'] ?? []) {
    try {
      const group = parseNodeGroup(text);
      if (nodeGroups.some((g) => g.name === group.name)) fail(`--node-group: the group "${group.name}" is given twice`);
      nodeGroups.push(group);
    } catch (err) {
      fail(`--node-group: ${(err as Error).message}`);
    }
  }
  const threshold = Number(values['scale-down-utilization-threshold'] ?? '0.5');
  if (!(threshold > 0 && threshold <= 1)) fail(`--scale-down-utilization-threshold must be a number above 0 and at most 1, got "${values['scale-down-utilization-threshold']}"`);
  const clusterAutoscaler = {
    // bin/kctl beside the bin/kctl-apiserver that runs this daemon: the CLI that made the cluster starts its nodes.
    provider: new CommandProvider([process.execPath, join(dirname(process.argv[1] ?? ''), 'kctl')], dataDir),
    options: {
      groups: nodeGroups,
      scaleDownUnneededTimeMs: durationOption(values['scale-down-unneeded-time'], 'scale-down-unneeded-time', '10m'),
      scaleDownDelayAfterAddMs: durationOption(values['scale-down-delay-after-add'], 'scale-down-delay-after-add', '10m'),
      scaleDownUtilizationThreshold: threshold,
      maxNodeProvisionTimeMs: durationOption(values['max-node-provision-time'], 'max-node-provision-time', '15m'),
      maxPodEvictionTimeMs: 120_000,
    },
  };
  const saKeyFile = values['service-account-key-file'] ?? join(dataDir, 'pki', 'sa.key');
  let serviceAccountKey: SigningKey;
  try {
    serviceAccountKey = loadOrCreateSigningKey(saKeyFile);
  } catch (err) {
    fail(`cannot load the service account signing key: ${(err as Error).message} (remove ${saKeyFile} to have a new one made; tokens issued with the old one stop working)`);
  }
  // Node agents accept logs and exec requests from this identity only; a new one each start.
  const proxyToken = randomBytes(32).toString('base64url');
  // Kubernetes' component names, recorded as the managers of what each writes.
  const client = new InProcessClient(registry, 'kube-controller-manager', serviceAccountKey);
  const informers = new SharedInformers(client, log);
  const { authorizer, synced } = authorizerFromInformers(informers);
  informers.start();
  // Until its caches hold the RBAC objects the authorizer would refuse everyone but system:masters.
  await synced;
  const nodes = informers.informer(findByKind('Node')!);
  const collector = new MetricsCollector({ nodes, proxyToken, intervalMs: metricResolutionMs, log });
  const metrics = new MetricsApi(collector.usage, nodes, informers.informer(findByKind('Pod')!));
  const server = createApiServer({ registry, tokens: () => tokens, log, tls, proxyToken, serviceAccountKey, authorizer, metrics });
  // The scheduler beside the controllers, as kube-scheduler beside kube-controller-manager: its own
  // client (its writes carry its name), the daemon's informers.
  const scheduler = new Scheduler(new InProcessClient(registry, 'kube-scheduler'), informers.informer(findByKind('Pod')!), nodes, log, {
    claims: informers.informer(findByKind('PersistentVolumeClaim')!),
    volumes: informers.informer(findByKind('PersistentVolume')!),
    classes: informers.informer(findByKind('StorageClass')!),
  }, informers.informer(findByKind('PodDisruptionBudget')!));
  const controllers = new ControllerManager(client, log, {
    kubernetesService: {
      clusterIP: numberToIPv4(parseCidr(ranges.clusterIPRange).first),
      // Pods reach a loopback-only API server through the service proxy's DNAT (route_localnet).
      endpoint: { ip: host === '0.0.0.0' ? '127.0.0.1' : host, port },
    },
    rootCA: tls.clientCA.toString('utf8'),
    certificateSigner: { ca: signingCA, maxDurationMs: signingDurationMs },
    nodeMonitorGracePeriodSeconds: intOption(values['node-monitor-grace-period-seconds'], 'node-monitor-grace-period-seconds', DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS),
    // kubeadm's place for kube-dns; a range too small for it has none.
    ...(parseCidr(ranges.clusterIPRange).size >= 10 ? { clusterDnsIP: numberToIPv4(parseCidr(ranges.clusterIPRange).first + 9) } : {}),
    nodeIpam,
    podUsage: (pod) => (pod.spec?.nodeName ? collector.usage.pod(pod.spec.nodeName as string, pod.metadata.namespace!, pod.metadata.name!) : undefined),
    hpa: { syncPeriodMs: hpaSyncPeriodMs, downscaleStabilizationSeconds: Math.round(hpaDownscaleMs / 1000) },
    clusterAutoscaler,
  }, informers);
  server.on('error', (err: NodeJS.ErrnoException) => {
    fail(err.code === 'EADDRINUSE' ? `${host}:${port} is already in use (another cluster? choose another --port)` : err.message);
  });
  server.listen(port, host, () => {
    controllers.start();
    scheduler.start();
    collector.start();
    // The signer's X.509 library takes a few hundred ms to load: loaded now, in the background,
    // rather than when the first node's certificate is waited for.
    void import('../api/pki/x509.js');
    log(`kctl-apiserver listening on https://${host}:${port}, data in ${dataDir}, revision ${store.currentRevision}`);
  });

  const shutdown = (signal: string) => {
    log(`${signal}: shutting down`);
    compactor.stop();
    memoryReducer.stop();
    collector.stop();
    controllers.stop();
    void scheduler.stop();
    server.close();
    server.closeAllConnections();
    store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // The daemon must outlive any bad request: an unexpected error is logged, not fatal.
  process.on('uncaughtException', (err) => log(`uncaught: ${err instanceof ApiError ? err.message : err.stack}`));
}
