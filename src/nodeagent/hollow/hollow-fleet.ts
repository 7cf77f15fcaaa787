// Hollow nodes: `kctl-node --hollow-nodes N` registers N Nodes (NAME-0 … NAME-N-1) that hold
// their Leases and report Ready like real agents, and run their pods without Docker (see
// hollow-pods.ts), so the control plane can be measured at a scale this machine cannot run.
// Each hollow node has its own identity, as a kubemark hollow kubelet has: it goes through the
// same TLS bootstrap as a real agent (its own key, CSR and certificate for system:node:NAME-i,
// kept under the fleet's data dir) and writes its Node, Lease and pods with it. With
// --hollow-metrics each serves /metrics/resource on its own loopback port with made-up usage
// (hollow-usage.ts); off by default, so a scale run does not pay for scraping thousands of nodes.
import type { ApiClient } from '../../api/client.js';
import type { MachineInfo } from '../machine.js';
import type { Taint } from '../node-flags.js';
import { NodeLeaseRenewer } from '../node-lease.js';
import type { MachineTotals, ResourceList } from '../capacity.js';
import { NodeStatusReporter } from '../node-status-reporter.js';
import { PeriodicTask } from '../periodic.js';
import { HollowPods } from './hollow-pods.js';
import type { Server } from 'node:http';
import type { HttpClient } from '../../api/http-client.js';
import { TokenReviewer } from '../server/token-reviewer.js';
import { startHollowEndpoint } from './hollow-endpoint.js';

export const HOLLOW_RUNTIME_VERSION = 'hollow://1.0.0';
/** The machine a hollow node pretends to be, unless --cpu, --memory, --pods say otherwise. */
export const HOLLOW_MACHINE: MachineTotals = { cpuCores: 8, memoryBytes: 32 * 2 ** 30, ephemeralStorageBytes: 100 * 2 ** 30 };

export interface HollowFleetOptions {
  /** The API client of one hollow node, authenticated as that node. */
  connect(name: string): Promise<ApiClient>;
  namePrefix: string;
  count: number;
  labels: Record<string, string>;
  taints: Taint[];
  capacity: ResourceList;
  machine: MachineInfo;
  leaseDurationSeconds: number;
  heartbeatSeconds: number;
  nodeStatusReportSeconds: number;
  /** Serve made-up resource metrics: one loopback port per node, which the API server scrapes every interval. */
  hollowMetrics: boolean;
  log(msg: string): void;
}

export interface HollowFleet {
  stop(): Promise<void>;
}

export async function startHollowFleet(o: HollowFleetOptions): Promise<HollowFleet> {
  const names = Array.from({ length: o.count }, (_, i) => `${o.namePrefix}-${i}`);
  const tasks: PeriodicTask[] = [];
  const clients = new Map<string, ApiClient>();
  const endpoints: Server[] = [];
  const quiet = () => {};
  const pods = new HollowPods(new Set(names), o.log, (node) => clients.get(node)!);
  let reviewer: TokenReviewer | undefined;
  // Registered a few at a time: a thousand at once would only queue up in the API server.
  for (let i = 0; i < names.length; i += 50) {
    await Promise.all(
      names.slice(i, i + 50).map(async (name) => {
        const client = await o.connect(name);
        clients.set(name, client);
        let kubeletPort: number | undefined;
        if (o.hollowMetrics) {
          // One reviewer for the fleet: the API server's token is reviewed once, not once per node.
          reviewer ??= new TokenReviewer(client as HttpClient);
          const endpoint = await startHollowEndpoint(reviewer, { sample: async () => pods.usage.get(name)!.sample() });
          endpoints.push(endpoint.server);
          kubeletPort = endpoint.port;
        }
        const reporter = new NodeStatusReporter({
          client,
          node: { name, labels: o.labels, taints: o.taints, capacity: o.capacity, machine: o.machine, kubeletPort },
          probeRuntime: async () => ({ ok: true, version: HOLLOW_RUNTIME_VERSION }),
          reportIntervalMs: o.nodeStatusReportSeconds * 1000,
          log: quiet,
        });
        await reporter.register();
        const lease = new NodeLeaseRenewer(client, () => reporter.owner, o.leaseDurationSeconds);
        const leaseTask = new PeriodicTask(lease.renewIntervalMs, () => lease.renew(), (err) => o.log(`${name}: lease: ${(err as Error).message}`));
        const statusTask = new PeriodicTask(o.heartbeatSeconds * 1000, () => reporter.heartbeat(), (err) => o.log(`${name}: status: ${(err as Error).message}`));
        // Spread over the interval, so renewals do not arrive all at once.
        leaseTask.start(Math.random() * lease.renewIntervalMs);
        statusTask.start(Math.random() * o.heartbeatSeconds * 1000);
        tasks.push(leaseTask, statusTask);
      }),
    );
  }
  pods.start();
  o.log(`${names.length} hollow nodes registered: ${names[0]} … ${names[names.length - 1]}`);
  return {
    async stop() {
      await Promise.all([pods.stop(), ...tasks.map((t) => t.stop())]);
      for (const server of endpoints) server.close();
    },
  };
}
