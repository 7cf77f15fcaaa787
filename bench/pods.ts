// Pod figures (issue "Node agents run real pods in Docker"), each beside its baseline measured in
// the same run: the raw Docker Engine API sequence for the same sandbox and container.
// Run: npm run bench -- pods
import { readFileSync } from 'node:fs';
import { TestCluster } from '../test/helpers/test-cluster.js';
import { HttpClient } from '../src/api/http-client.js';
import { findByKind } from '../src/api/resources.js';
import type { KubeObject } from '../src/api/types.js';
import { DockerClient } from '../src/nodeagent/docker/docker-client.js';
import { prepareOfflineImages } from '../src/nodeagent/docker/offline-images.js';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from '../src/api/images.js';
import { POD_NETWORK } from '../src/api/cluster-network.js';
import { line, median, percentile } from './lib/report.js';

const PODS = findByKind('Pod')!;
const BENCH_LABEL = 'kctl.bench';


/** What the agent does for one pod, straight against the engine: sandbox, then the app container. */
async function rawPod(docker: DockerClient, i: number): Promise<string[]> {
  const labels = { [BENCH_LABEL]: 'yes' };
  const sandbox = await docker.createContainer({ Image: PAUSE_IMAGE, Labels: labels, HostConfig: { NetworkMode: POD_NETWORK, IpcMode: 'shareable' } }, { name: `bench-sandbox-${i}-${Date.now()}` });
  await docker.startContainer(sandbox.Id);
  const app = await docker.createContainer(
    {
      Image: BUSYBOX_IMAGE,
      Cmd: ['sleep', '3600'],
      Labels: labels,
      HostConfig: { NetworkMode: `container:${sandbox.Id}`, IpcMode: `container:${sandbox.Id}`, Init: true },
    },
    { name: `bench-app-${i}-${Date.now()}` },
  );
  await docker.startContainer(app.Id);
  return [app.Id, sandbox.Id];
}

async function removeAll(docker: DockerClient, ids: string[]): Promise<void> {
  await Promise.all(ids.map((id) => docker.removeContainer(id, { force: true }).catch(() => {})));
}

function podManifest(name: string, node: string): KubeObject {
  return {
    metadata: { name, labels: { bench: 'pods' } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }] },
  };
}

/** Resolves with the time each named pod was first seen Running through a watch. */
function watchRunning(client: HttpClient, rv: string, names: Set<string>): { done: Promise<Map<string, number>> } {
  const seen = new Map<string, number>();
  let handle: ReturnType<HttpClient['watch']>;
  const done = new Promise<Map<string, number>>((resolve) => {
    handle = client.watch(PODS, 'default', { resourceVersion: rv, labelSelector: 'bench=pods' }, (e) => {
      const name = e.object.metadata?.name;
      if (name && names.has(name) && e.object.status?.phase === 'Running' && !seen.has(name)) {
        seen.set(name, performance.now());
        if (seen.size === names.size) {
          handle.stop();
          resolve(seen);
        }
      }
    });
  });
  return { done };
}

async function deletePods(client: HttpClient, names: string[]): Promise<void> {
  await Promise.all(names.map((n) => client.delete(PODS, 'default', n, { gracePeriodSeconds: 0 }).catch(() => {})));
}

/** Until the pods are gone from the API, which their agents finish once the containers are removed. */
async function podsGone(client: HttpClient, names: string[]): Promise<void> {
  const wanted = new Set(names);
  while ((await client.list(PODS, 'default', { labelSelector: 'bench=pods' })).items.some((p) => wanted.has(p.metadata.name!))) {
    await new Promise((r) => setTimeout(r, 200));
  }
}

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function main(): Promise<void> {
  const docker = new DockerClient();
  await prepareOfflineImages(docker);
  const c = new TestCluster();
  try {
    await c.up(['--nodes', '3']);
    const client = new HttpClient({ server: c.server, token: c.token(), ca: c.ca });
    process.stdout.write(`kctl pod benchmark (node ${process.version})\n`);

    // One pod at a time: create to Running (seen via watch) against the raw sequence.
    const runs = 15;
    const raw: number[] = [];
    const kctl: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const ids = await rawPod(docker, i);
      raw.push(performance.now() - t0);
      await removeAll(docker, ids);

      const name = `single-${i}`;
      const rv = (await client.list(PODS, 'default', { limit: 1 })).metadata.resourceVersion!;
      const w = watchRunning(client, rv, new Set([name]));
      const t1 = performance.now();
      await client.create(PODS, 'default', podManifest(name, 'node-1'));
      const seen = await w.done;
      kctl.push(seen.get(name)! - t1);
      await deletePods(client, [name]);
    }
    const ratio = median(kctl) / median(raw);
    line('one busybox pod, create to Running, median', `${median(kctl).toFixed(0)} ms vs raw Docker ${median(raw).toFixed(0)} ms: ${ratio.toFixed(2)}x`, '<= 1.3x', ratio <= 1.3);
    line('  p99', `${percentile(kctl, 99).toFixed(0)} ms`, '<= 2000 ms', percentile(kctl, 99) <= 2000);

    // 30 pods over 3 nodes against the same 60 containers started directly.
    const t2 = performance.now();
    const rawIds = (await Promise.all(Array.from({ length: 30 }, (_, i) => rawPod(docker, 100 + i)))).flat();
    const rawMany = performance.now() - t2;
    await removeAll(docker, rawIds);
    const names = Array.from({ length: 30 }, (_, i) => `many-${i}`);
    const rv = (await client.list(PODS, 'default', { limit: 1 })).metadata.resourceVersion!;
    const w = watchRunning(client, rv, new Set(names));
    const t3 = performance.now();
    await Promise.all(names.map((n, i) => client.create(PODS, 'default', podManifest(n, `node-${(i % 3) + 1}`))));
    const seen = await w.done;
    const many = Math.max(...seen.values()) - t3;
    const manyRatio = many / rawMany;
    line('30 pods over 3 nodes, all Running', `${many.toFixed(0)} ms vs 60 containers ${rawMany.toFixed(0)} ms: ${manyRatio.toFixed(2)}x`, '<= 1.5x', manyRatio <= 1.5);

    await deletePods(client, names);
    // Their containers going away is work for the agents: "idle" below starts after it.
    await podsGone(client, names);

    // One agent running all 30 pods: its memory and its CPU while nothing changes. node-2, an agent
    // like any other; node-1 also runs the machine's network services (proxy, DNS, ingress).
    const crowd = Array.from({ length: 30 }, (_, i) => `crowd-${i}`);
    const rv2 = (await client.list(PODS, 'default', { limit: 1 })).metadata.resourceVersion!;
    const w2 = watchRunning(client, rv2, new Set(crowd));
    await Promise.all(crowd.map((n) => client.create(PODS, 'default', podManifest(n, 'node-2'))));
    await w2.done;
    const pid = c.agentPid('node-2');
    const rss = rssMb(pid);
    line('agent RSS with 30 pods', `${rss.toFixed(0)} MB`, '<= 80 MB', rss <= 80);
    const hz = 100;
    const before = cpuTicks(pid);
    const idleSeconds = 10;
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const cpu = ((cpuTicks(pid) - before) / hz / idleSeconds) * 100;
    line(`idle agent CPU with 30 pods, over ${idleSeconds} s`, `${cpu.toFixed(2)} %`, '<= 1 %', cpu <= 1);
    process.stdout.write(`      (node-1, with no pods but the machine's proxy, DNS and ingress: RSS ${rssMb(c.agentPid('node-1')).toFixed(0)} MB)\n`);
    await deletePods(client, crowd);
    client.close();
  } finally {
    await c.down();
    const left = await docker.listContainers({ all: true, filters: { label: [`${BENCH_LABEL}=yes`] } });
    await removeAll(docker, left.map((x) => x.Id));
    await docker.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
