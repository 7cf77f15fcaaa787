// This machine's NetworkPolicy enforcement (one per machine, beside the service proxy, as a
// network plugin's node agent runs): watches NetworkPolicies, Pods and Namespaces and keeps the
// iptables filter rules for the pods with an address on this machine's pod bridge equal to them.
// Level-triggered: any change recomputes every firewall and rewrites the family's chains in one
// iptables-restore; a sync that fails is retried. Its rules are removed when the agent stops, so
// nothing filters pods while no agent keeps the rules true to the API.
import type { Informer } from '../../api/informer.js';
import { findByKind } from '../../api/resources.js';
import type { SharedInformers } from '../../api/shared-informers.js';
import { WorkQueue } from '../../api/work-queue.js';
import { applyRuleSet, removeRules } from '../iptables/iptables.js';
import { inBlocks } from './ipv4-blocks.js';
import { compileFirewalls, podEndpoint, type Endpoint } from './policy-compiler.js';
import { buildPolicyRules, POLICY_RULES, type DnsServer } from './policy-rules.js';

const SYNC_KEY = 'network-policies';

/** The labels kube-dns's pods carry (kubeadm's CoreDNS): policies select this machine's DNS server by them. */
export const CLUSTER_DNS_POD = { namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } };

export interface NetworkPolicyEnforcerOptions {
  informers: SharedInformers;
  /** The addresses of this machine's pod bridge: the pods whose traffic this machine filters. */
  localPods: string;
  dns: DnsServer;
  log: (msg: string) => void;
}

export class NetworkPolicyEnforcer {
  private readonly policies: Informer;
  private readonly pods: Informer;
  private readonly namespaces: Informer;
  private readonly queue: WorkQueue;
  private synced = false;
  /** Syncs run one after another, whoever asks (the first one, the queue). */
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly opts: NetworkPolicyEnforcerOptions) {
    this.policies = opts.informers.informer(findByKind('NetworkPolicy')!);
    this.pods = opts.informers.informer(findByKind('Pod')!);
    this.namespaces = opts.informers.informer(findByKind('Namespace')!);
    this.queue = new WorkQueue(
      () => this.syncInTurn(),
      (_key, err) => opts.log(`network policies: sync failed, retrying: ${(err as Error).message}`),
      { workers: 1, baseDelayMs: 500, maxDelayMs: 10_000 },
    );
    const changed = { add: () => this.queue.add(SYNC_KEY), update: () => this.queue.add(SYNC_KEY), delete: () => this.queue.add(SYNC_KEY) };
    for (const inf of [this.policies, this.pods, this.namespaces]) inf.addHandlers(changed);
  }

  /** Resolves after the first sync, once every cache is filled: never rules from half a picture. */
  async start(): Promise<void> {
    await Promise.all([this.policies.hasSynced(), this.pods.hasSynced(), this.namespaces.hasSynced()]);
    this.synced = true;
    await this.syncInTurn();
  }

  /** Stops syncing and removes every rule of the family. */
  async stop(): Promise<void> {
    this.synced = false;
    this.queue.stop();
    await this.last;
    await removeRules(POLICY_RULES).catch((err: Error) => this.opts.log(`network policies: cannot remove the rules: ${err.message}`));
  }

  private syncInTurn(): Promise<void> {
    const next = this.last.then(() => this.sync());
    this.last = next.catch(() => undefined);
    return next;
  }

  private async sync(): Promise<void> {
    if (!this.synced) return;
    const dnsServer: Endpoint = {
      ...CLUSTER_DNS_POD,
      ip: this.opts.dns.address,
      ports: [
        { name: 'dns', protocol: 'UDP', port: this.opts.dns.port },
        { name: 'dns-tcp', protocol: 'TCP', port: this.opts.dns.port },
      ],
    };
    const pods = this.pods.list().map(podEndpoint).filter((e): e is Endpoint => e !== undefined);
    const firewalls = compileFirewalls({
      policies: this.policies.list(),
      namespaces: this.namespaces.list(),
      endpoints: [...pods, dnsServer],
      targets: pods.filter((p) => inBlocks(p.ip, [this.opts.localPods])),
    });
    await applyRuleSet(POLICY_RULES, buildPolicyRules(firewalls, this.opts.dns));
  }
}
