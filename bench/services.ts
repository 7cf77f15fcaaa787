// Service figures on a real cluster (2 node agents, busybox httpd pods):
// - throughput through a ClusterIP against the same pods by their IPs, in alternating rounds;
// - how long after a Service's selector changes the traffic follows it, beside how long the
//   Endpoints object itself took (the control plane's share of it);
// - DNS lookups from inside a pod's network namespace: cluster DNS against Docker's embedded DNS.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TestCluster } from '../test/helpers/test-cluster.js';
import { HttpClient } from '../src/api/http-client.js';
import { findByKind } from '../src/api/resources.js';
import type { KubeObject } from '../src/api/types.js';
import { DockerClient } from '../src/nodeagent/docker/docker-client.js';
import { prepareOfflineImages } from '../src/nodeagent/docker/offline-images.js';
import { BUSYBOX_IMAGE } from '../src/api/images.js';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL, SANDBOX_CONTAINER_NAME } from '../src/nodeagent/pods/containers.js';
import { line, median, percentile } from './lib/report.js';
import { httpLoad } from './lib/http-load.js';
import { dnsLoad } from './lib/dns-load.js';
import { until } from '../test/helpers/until.js';

const exec = promisify(execFile);
const PODS = findByKind('Pod')!;
const SERVICES = findByKind('Service')!;
const ENDPOINTS = findByKind('Endpoints')!;
const DEPLOYMENTS = findByKind('Deployment')!;

function webDeployment(name: string, replicas: number, labels: Record<string, string>): KubeObject {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'web',
              image: BUSYBOX_IMAGE,
              command: ['sh', '-c', `mkdir -p /www && echo ${name} > /www/index.html && exec httpd -f -p 8000 -h /www`],
              ports: [{ containerPort: 8000 }],
              readinessProbe: { tcpSocket: { port: 8000 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

function service(name: string, selector: Record<string, string>): KubeObject {
  return { metadata: { name }, spec: { selector, ports: [{ port: 80, targetPort: 8000 }] } };
}

async function readyIPs(client: HttpClient, name: string, count: number): Promise<string[]> {
  return until(`${count} ready endpoints of ${name}`, async () => {
    const ep = await client.get(ENDPOINTS, 'default', name);
    const ips = (ep.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip as string));
    return ips.length === count ? ips : undefined;
  });
}

async function body(host: string, port: number): Promise<string> {
  const res = await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(2000) });
  return (await res.text()).trim();
}

async function throughput(client: HttpClient): Promise<void> {
  await client.create(DEPLOYMENTS, 'default', webDeployment('tput', 2, { app: 'tput' }));
  const svc = await client.create(SERVICES, 'default', service('tput', { app: 'tput' }));
  const ips = await readyIPs(client, 'tput', 2);
  const clusterIP = svc.spec.clusterIP as string;
  await until('the ClusterIP to answer', async () => ((await body(clusterIP, 80)) === 'tput' ? true : undefined));
  const seconds = 3;
  const concurrency = 16;
  const direct: number[] = [];
  const viaService: number[] = [];
  let errors = 0;
  const rounds = 8;
  const runDirect = async () => {
    const d = await httpLoad(ips.map((host) => ({ host, port: 8000 })), seconds, concurrency);
    direct.push(d.rate);
    errors += d.errors;
  };
  const runService = async () => {
    const s = await httpLoad([{ host: clusterIP, port: 80 }], seconds, concurrency);
    viaService.push(s.rate);
    errors += s.errors;
  };
  // Which path goes first alternates, so neither always runs on a machine the other just warmed.
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) await runDirect().then(runService);
    else await runService().then(runDirect);
  }
  const ratio = median(viaService) / median(direct);
  line(
    'requests through a ClusterIP (new connection each)',
    `${median(viaService).toFixed(0)}/s vs pod IPs ${median(direct).toFixed(0)}/s: ${(ratio * 100).toFixed(0)}%`,
    '>= 90% of direct',
    ratio >= 0.9,
  );
  process.stdout.write(`      (${concurrency} connections, ${rounds} rounds of ${seconds} s per path, taking turns to go first, medians; ${errors} errors)\n`);
}

/** Selector flips between two deployments; the time until every new connection reaches the new one. */
async function endpointChange(client: HttpClient): Promise<void> {
  await client.create(DEPLOYMENTS, 'default', webDeployment('blue', 1, { app: 'flip', color: 'blue' }));
  await client.create(DEPLOYMENTS, 'default', webDeployment('green', 1, { app: 'flip', color: 'green' }));
  const svc = await client.create(SERVICES, 'default', service('flip', { color: 'blue' }));
  const clusterIP = svc.spec.clusterIP as string;
  await until('both colours ready', async () => {
    const pods = await client.list(PODS, 'default', { labelSelector: 'app=flip' });
    return pods.items.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length === 2 ? true : undefined;
  });
  await until('blue through the service', async () => ((await body(clusterIP, 80)) === 'blue' ? true : undefined));
  const follow: number[] = [];
  const api: number[] = [];
  let colour = 'blue';
  for (let i = 0; i < 8; i++) {
    const target = colour === 'blue' ? 'green' : 'blue';
    const wantIP = (await client.list(PODS, 'default', { labelSelector: `color=${target}` })).items[0].status!.podIP as string;
    const t0 = performance.now();
    await client.patch(SERVICES, 'default', 'flip', 'merge', { spec: { selector: { color: target } } });
    const endpointsSeen = until('the endpoints to change', async () => {
      const ep = await client.get(ENDPOINTS, 'default', 'flip');
      return ep.subsets?.[0]?.addresses?.[0]?.ip === wantIP ? performance.now() : undefined;
    }, 10_000);
    // Requests one after another: the first one started after the switch and answered by the
    // new colour, with none of the old one after it, is when traffic followed.
    let followedAt: number | undefined;
    while (performance.now() - t0 < 10_000) {
      const started = performance.now();
      const got = await body(clusterIP, 80).catch(() => '');
      if (got === target) followedAt ??= started;
      else followedAt = undefined;
      if (followedAt !== undefined && performance.now() - followedAt > 300) break;
    }
    if (followedAt === undefined) throw new Error(`traffic did not follow the switch to ${target} within 10 s`);
    follow.push(followedAt - t0);
    api.push((await endpointsSeen) - t0);
    colour = target;
  }
  line(
    'Service change to traffic following it, median',
    `${median(follow).toFixed(0)} ms (Endpoints updated after ${median(api).toFixed(0)} ms)`,
    '<= 1000 ms',
    median(follow) <= 1000,
  );
  line('  worst of 8', `${Math.max(...follow).toFixed(0)} ms`, '<= 1000 ms', Math.max(...follow) <= 1000);
}

/** The lookups run by this machine's node binary inside a pod's network namespace (nsenter). */
async function dns(client: HttpClient, docker: DockerClient): Promise<void> {
  const pod = (await client.list(PODS, 'default', { labelSelector: 'app=tput' })).items[0];
  const sandbox = (await docker.listContainers({ filters: { label: [`${POD_UID_LABEL}=${pod.metadata.uid}`, `${CONTAINER_NAME_LABEL}=${SANDBOX_CONTAINER_NAME}`] } }))[0];
  if (!sandbox) throw new Error('no sandbox found for the DNS benchmark pod');
  const pid = (await docker.inspectContainer(sandbox.Id)).State.Pid;
  const cluster = await dnsLoad(pid, { server: '10.244.0.1', name: 'tput.default.svc.cluster.local', count: 2000 });
  // Docker's embedded DNS, still listening in every container on a user-defined network, knows each
  // container by its short ID: the same lookup answered by Docker, as pods resolved names before.
  const embedded = await dnsLoad(pid, { server: '127.0.0.11', name: sandbox.Id.slice(0, 12), count: 2000 });
  line(
    'DNS lookup from a pod (A, svc.ns.svc.cluster.local), p99',
    `${percentile(cluster, 99).toFixed(2)} ms, median ${median(cluster).toFixed(2)} ms (Docker's DNS: p99 ${percentile(embedded, 99).toFixed(2)}, median ${median(embedded).toFixed(2)})`,
    '<= 5 ms',
    percentile(cluster, 99) <= 5,
  );
}

async function main(): Promise<void> {
  const docker = new DockerClient();
  await prepareOfflineImages(docker);
  const c = new TestCluster();
  try {
    await c.up(['--nodes', '2', '--ingress-port', '0']);
    const client = new HttpClient({ server: c.server, token: c.token(), ca: c.ca });
    process.stdout.write(`kctl service benchmark (node ${process.version}, ${(await exec('nproc')).stdout.trim()} cores)\n`);
    await throughput(client);
    await endpointChange(client);
    await dns(client, docker);
    client.close();
  } finally {
    await c.down();
    await docker.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
