// The service proxy of this machine (one per machine: every node on it shares the host's network
// namespace): watches Services and Endpoints and keeps the iptables rules equal to them. Any
// change schedules one full sync; changes arriving during a sync are folded into the next one, so
// rules follow the API within one iptables-restore, however fast the API changes.
import type { Informer } from '../../api/informer.js';
import { findByKind } from '../../api/resources.js';
import type { SharedInformers } from '../../api/shared-informers.js';
import { applyRuleSet } from '../iptables/iptables.js';
import { prepareHostNetwork } from './host-network.js';
import { buildRuleSet, servicePorts, SERVICE_RULES, type ClusterDnsRoute } from './service-rules.js';
import { deleteUdpFlows } from './conntrack.js';
import { staleUdpFlows, udpTable, type UdpTable } from './udp-flows.js';

const RETRY_MS = 1000;

export interface ServiceProxyOptions {
  informers: SharedInformers;
  podSubnet: string;
  serviceCidr: string;
  /** The pod network's bridge, where the service range is routed. */
  bridge: string;
  nodePortAddresses: string[];
  /** Where cluster DNS's Service address is sent on this machine. */
  clusterDns?: ClusterDnsRoute;
  log: (msg: string) => void;
}

export class ServiceProxy {
  private readonly services: Informer;
  private readonly endpoints: Informer;
  private syncing: Promise<void> | undefined;
  private dirty = false;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The UDP addresses and endpoints the rules last written route; unknown before the first sync. */
  private udp: UdpTable | undefined;

  constructor(private readonly opts: ServiceProxyOptions) {
    this.services = opts.informers.informer(findByKind('Service')!);
    this.endpoints = opts.informers.informer(findByKind('Endpoints')!);
    const changed = { add: () => this.requestSync(), update: () => this.requestSync(), delete: () => this.requestSync() };
    this.services.addHandlers(changed);
    this.endpoints.addHandlers(changed);
  }

  /** Resolves after the first full sync (once the caches are filled), so the rules are in place from then on. */
  async start(): Promise<void> {
    await Promise.all([this.services.hasSynced(), this.endpoints.hasSynced()]);
    this.requestSync();
    await this.syncing;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private requestSync(): void {
    if (this.stopped) return;
    if (this.syncing) {
      this.dirty = true;
      return;
    }
    this.syncing = this.syncLoop().finally(() => (this.syncing = undefined));
  }

  private async syncLoop(): Promise<void> {
    do {
      this.dirty = false;
      try {
        await this.sync();
      } catch (err) {
        this.opts.log(`service proxy: sync failed, retrying in ${RETRY_MS} ms: ${(err as Error).message}`);
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.requestSync(), RETRY_MS);
        return;
      }
    } while (this.dirty && !this.stopped);
  }

  private async sync(): Promise<void> {
    // Every sync, not once: a pod network made again (Docker restarted, cluster down and up) loses its route.
    await prepareHostNetwork(this.opts.serviceCidr, this.opts.bridge);
    const network = { podSubnet: this.opts.podSubnet, nodePortAddresses: this.opts.nodePortAddresses, clusterDns: this.opts.clusterDns };
    const ports = servicePorts(this.services.list(), (ns, name) => this.endpoints.get(`${ns}/${name}`), network);
    await applyRuleSet(SERVICE_RULES, buildRuleSet(ports, network));
    const udp = udpTable(ports);
    const stale = staleUdpFlows(this.udp, udp);
    this.udp = udp;
    // After the rules: a packet arriving between the two is NATed by the new ones.
    await deleteUdpFlows(stale).catch((err: Error) => this.opts.log(`service proxy: ${err.message}`));
  }
}
