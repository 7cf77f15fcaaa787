// Runs the pods bound to this node: the pod watch and Docker's die events feed one worker per pod.
import type { ApiClient } from '../../api/client.js';
import { CLUSTER_DNS_SERVICE, CLUSTER_DOMAIN } from '../../api/cluster-network.js';
import type { SharedInformers } from '../../api/shared-informers.js';
import { findByKind } from '../../api/resources.js';
import { EventRecorder } from '../../api/event-recorder.js';
import type { DockerClient } from '../docker/docker-client.js';
import { PeriodicTask } from '../periodic.js';
import { ContainerEvents } from './container-events.js';
import type { PodPlacement } from './containers.js';
import { orphanedPodUids } from './orphaned-pods.js';
import { PodSync } from './pod-sync.js';
import { PodWatcher } from './pod-watcher.js';
import { PodWorkers } from './pod-worker.js';
import { ProberManager } from './probes/prober-manager.js';
import type { TokenRequester } from './volumes/service-account-token.js';

const RESYNC_INTERVAL_MS = 60_000;
const SERVICES = findByKind('Service')!;

export interface PodAgentOptions extends PodPlacement {
  client: ApiClient;
  /** The agent's caches (Services, for the containers' service variables). */
  informers: SharedInformers;
  docker: DockerClient;
  /** The node's InternalIP, reported as the pods' hostIP. */
  hostIP: string;
  /** The node's data dir (pod volumes) and allocatable resources. */
  dataDir: string;
  allocatable: Record<string, string>;
  /** Bound service account tokens for projected volumes. */
  requestToken: TokenRequester;
  /** Whether containers may run privileged (--allow-privileged). */
  allowPrivileged: boolean;
  /** The kubelet's --cluster-dns: the pods' nameservers under ClusterFirst; default the kube-dns Service's address. */
  clusterDNS?: string[];
  /** The kubelet's --cluster-domain; default cluster.local. */
  clusterDomain?: string;
  /** Called when the engine's event stream breaks or opens again: the engine may have gone or come back. */
  onEngineChange?(): void;
  /** The kubelet's --resolv-conf: the node's resolver configuration (dnsPolicy Default); default /etc/resolv.conf. */
  resolvConf?: string;
  log(msg: string): void;
}

export interface PodAgent {
  stop(): Promise<void>;
}

export function startPodAgent(o: PodAgentOptions): PodAgent {
  const placement = { node: o.node, cluster: o.cluster, podNetwork: o.podNetwork };
  // The workers and the syncer need each other: the syncer asks the workers for later syncs.
  let workers!: PodWorkers;
  const events = new EventRecorder(o.client, { component: 'kubelet', host: o.node }, o.log);
  const probes = new ProberManager({ docker: o.docker, events, onChange: (uid) => workers.kick(uid) });
  // The Services of every namespace: containers get variables for their namespace's and `default`'s.
  const services = o.informers.informer(SERVICES);
  const dns = { clusterDNS: o.clusterDNS ?? [CLUSTER_DNS_SERVICE.ip], clusterDomain: o.clusterDomain ?? CLUSTER_DOMAIN, resolvConf: o.resolvConf ?? '/etc/resolv.conf' };
  const sync = new PodSync({ ...o, placement, events, probes, services, dns, requeue: (uid, ms) => workers.requeue(uid, ms) });
  workers = new PodWorkers({ sync: (pod) => sync.sync(pod), teardown: (uid) => sync.teardown(uid) }, o.log);
  const removeOrphans = async () => {
    for (const uid of await orphanedPodUids(o.docker, placement, (uid) => watcher.has(uid))) {
      o.log(`pod ${uid} no longer exists: removing its containers`);
      workers.gone(uid);
    }
  };
  const watcher = new PodWatcher(
    o.client,
    o.node,
    {
      onPod: (pod) => workers.update(pod),
      onGone: (uid) => workers.gone(uid),
      onListed: () => void removeOrphans().catch((err) => o.log(`cannot look for orphaned containers: ${(err as Error).message}`)),
    },
    o.log,
  );
  // Docker's events and the pod watch drive every sync; this is only a safety net for anything
  // they missed, at the kubelet's default sync frequency.
  const resync = new PeriodicTask(RESYNC_INTERVAL_MS, async () => workers.kickAll(), () => {});
  const dockerEvents = new ContainerEvents(o.docker, placement, { onDie: (uid) => workers.kick(uid), onResync: () => workers.kickAll(), onEngineChange: o.onEngineChange }, o.log);
  dockerEvents.start();
  watcher.start();
  resync.start(RESYNC_INTERVAL_MS);
  return {
    async stop() {
      await Promise.all([watcher.stop(), dockerEvents.stop(), resync.stop()]);
      probes.stop();
      workers.stop();
      await events.flush();
    },
  };
}
