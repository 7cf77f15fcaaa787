// The scheduler's throughput, measured as the daemon runs it: shared by bench/scheduler.ts and
// bench/scale.ts (the same run at 5,000 nodes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findByKind } from '../../src/api/resources.js';
import { Informer } from '../../src/api/informer.js';
import { InProcessClient } from '../../src/apiserver/registry/in-process-client.js';
import { Registry } from '../../src/apiserver/registry/registry.js';
import { Scheduler } from '../../src/apiserver/scheduler/scheduler.js';
import { SqliteStore } from '../../src/apiserver/storage/sqlite-store.js';

const NS = findByKind('Namespace')!;
const NODE = findByKind('Node')!;
const POD = findByKind('Pod')!;

/**
 * One run: nodeCount Nodes as hollow nodes register them and podCount pods stored, then the scheduler
 * started (shared informers, in-process client, real SQLite store, every binding a real
 * pods/binding write and Scheduled Event); timed to the last binding seen by the pod informer.
 * cpuSeconds is the process's CPU over the same span (on a shared machine the wall time swings
 * with the load of the moment; the CPU a pod costs does not as much).
 */
export async function scheduleAll(nodeCount: number, podCount: number): Promise<{ seconds: number; cpuSeconds: number; spread: [number, number] }> {
  const dir = mkdtempSync(join(tmpdir(), 'kctl-bench-sched-'));
  const store = new SqliteStore(join(dir, 'kctl.db'));
  try {
    const registry = new Registry(store);
    registry.create(NS, undefined, { metadata: { name: 'default' } });
    for (let i = 0; i < nodeCount; i++) {
      registry.create(NODE, undefined, {
        metadata: { name: `hollow-${i}`, labels: { 'kubernetes.io/hostname': `hollow-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
        status: {
          capacity: { cpu: '8', memory: '32Gi', pods: '110' },
          allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow' }],
        },
      });
    }
    for (let i = 0; i < podCount; i++) {
      registry.create(POD, 'default', {
        metadata: { name: `pod-${i}`, labels: { app: `app-${i % 10}` } },
        spec: { containers: [{ name: 'c', image: 'busybox:1.35', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
      });
    }
    const client = new InProcessClient(registry);
    const quiet = () => {};
    const pods = new Informer(client, POD, quiet);
    const nodes = new Informer(client, NODE, quiet);
    let bound = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    pods.addHandlers({
      update: (old, pod) => {
        if (!old.spec?.nodeName && pod.spec?.nodeName && ++bound === podCount) resolveDone();
      },
    });
    const scheduler = new Scheduler(client, pods, nodes, (m) => process.stderr.write(`${m}\n`));
    nodes.start();
    pods.start();
    await Promise.all([nodes.hasSynced(), pods.hasSynced()]);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    scheduler.start();
    await done;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    await scheduler.stop();
    pods.stop();
    nodes.stop();
    const perNode = new Map<string, number>();
    for (const p of pods.list('default')) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    const counts = [...perNode.values()];
    return { seconds, cpuSeconds, spread: [Math.min(...counts), Math.max(...counts)] };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

