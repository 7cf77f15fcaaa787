// kctl top node|pod: resource usage from the metrics API (metrics.k8s.io), as kubectl top prints it.
import type { Command } from 'commander';
import type { HttpClient } from '../../api/http-client.js';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { SORT_BY_VALUES, topNodesTable, topPodsTable, type NodeMetricsItem, type PodMetricsItem, type SortBy } from '../printers/top-metrics.js';
import type { IOStreams } from '../io-streams.js';

const METRICS_API = '/apis/metrics.k8s.io/v1beta1';
const NODES = findByKind('Node')!;
const PODS = findByKind('Pod')!;
/** kubectl's metricsCreationDelay: a pod younger than this may simply not have been measured yet. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

interface TopOptions {
  selector?: string;
  sortBy?: string;
  noHeaders: boolean;
}

function sortBy(value: string | undefined): SortBy {
  if (!value) return '';
  if (!SORT_BY_VALUES.includes(value)) throw new CliError('--sort-by accepts only cpu or memory');
  return value as SortBy;
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** kubectl checks discovery first: a cluster without metrics.k8s.io/v1beta1 gets one clear line. */
async function requireMetricsApi(client: HttpClient): Promise<void> {
  const groups = await client.request<{ groups?: { name: string; versions: { version: string }[] }[] }>('GET', '/apis');
  const metrics = groups.groups?.find((g) => g.name === 'metrics.k8s.io');
  if (!metrics?.versions.some((v) => v.version === 'v1beta1')) throw new CliError('Metrics API not available');
}

/** Go's Duration.String of an age, rounded as kubectl's message shows it. */
function ageText(ms: number): string {
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = `${+(s % 60).toFixed(6)}`;
  return h ? `${h}h${m}m${sec}s` : m ? `${m}m${sec}s` : `${sec}s`;
}

/** Why no pod metrics came back: an error for a pod old enough to have been measured, else nothing (kubectl's verifyEmptyMetrics). */
function verifyEmptyMetrics(pods: KubeObject[]): void {
  for (const pod of pods) {
    const age = Date.now() - Date.parse(pod.metadata.creationTimestamp ?? '');
    if (age > METRICS_CREATION_DELAY_MS) throw new CliError(`Metrics not available for pod ${pod.metadata.namespace}/${pod.metadata.name}, age: ${ageText(age)}`);
  }
}

function registerNode(top: Command, io: IOStreams): void {
  top
    .command('node [NAME]')
    .aliases(['nodes', 'no'])
    .description('Display resource (CPU/memory) usage of nodes')
    .option('-l, --selector <selector>', 'label selector to filter on (e.g. -l key1=value1,key2=value2)')
    .option('--sort-by <resource>', 'sort by cpu or memory, highest first')
    .option('--no-headers', 'do not print headers')
    .option('--show-capacity', 'percentages of the nodes\' capacity rather than of what they can allocate', false)
    .option('--use-protocol-buffers', 'accepted for kubectl compatibility (kctl reads JSON)', true)
    .action(async (name: string | undefined, o: TopOptions & { headers: boolean; showCapacity: boolean }, cmd: Command) => {
      const order = sortBy(o.sortBy);
      const ctx = await connect(cmd);
      try {
        await requireMetricsApi(ctx.client);
        const metrics: NodeMetricsItem[] = name
          ? [await ctx.client.request<NodeMetricsItem>('GET', `${METRICS_API}/nodes/${encodeURIComponent(name)}`)]
          : (await ctx.client.request<{ items: NodeMetricsItem[] }>('GET', `${METRICS_API}/nodes${query({ labelSelector: o.selector })}`)).items;
        if (metrics.length === 0) throw new CliError('metrics not available yet');
        const nodes = name ? [await ctx.client.get(NODES, undefined, name)] : (await ctx.client.list(NODES, undefined, { labelSelector: o.selector })).items;
        const available = new Map(nodes.map((n) => [n.metadata.name!, (o.showCapacity ? n.status?.capacity : n.status?.allocatable) ?? {}]));
        io.out.write(topNodesTable(metrics, available, { noHeaders: !o.headers, sortBy: order }));
      } finally {
        ctx.client.close();
      }
    });
}

function registerPod(top: Command, io: IOStreams): void {
  top
    .command('pod [NAME]')
    .aliases(['pods', 'po'])
    .description('Display resource (CPU/memory) usage of pods')
    .option('-A, --all-namespaces', 'list the pods of every namespace', false)
    .option('-l, --selector <selector>', 'label selector to filter on (e.g. -l key1=value1,key2=value2)')
    .option('--field-selector <selector>', 'field selector to filter on (e.g. spec.nodeName=node-1)')
    .option('--containers', 'show the usage of each container', false)
    .option('--sort-by <resource>', 'sort by cpu or memory, highest first')
    .option('--sum', 'print the sum of the usage', false)
    .option('--no-headers', 'do not print headers')
    .option('--use-protocol-buffers', 'accepted for kubectl compatibility (kctl reads JSON)', true)
    .action(async (name: string | undefined, o: TopOptions & { allNamespaces: boolean; fieldSelector?: string; containers: boolean; sum: boolean; headers: boolean }, cmd: Command) => {
      const order = sortBy(o.sortBy);
      const ctx = await connect(cmd);
      try {
        const namespace = o.allNamespaces && !name ? undefined : ctx.namespace;
        await requireMetricsApi(ctx.client);
        const base = namespace ? `${METRICS_API}/namespaces/${encodeURIComponent(namespace)}/pods` : `${METRICS_API}/pods`;
        const metrics: PodMetricsItem[] = name
          ? [await ctx.client.request<PodMetricsItem>('GET', `${base}/${encodeURIComponent(name)}`)]
          : (await ctx.client.request<{ items: PodMetricsItem[] }>('GET', `${base}${query({ labelSelector: o.selector, fieldSelector: o.fieldSelector })}`)).items;
        if (metrics.length === 0) {
          verifyEmptyMetrics((await ctx.client.list(PODS, namespace, { labelSelector: o.selector, fieldSelector: o.fieldSelector })).items);
          io.errOut.write(namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
          return;
        }
        io.out.write(
          topPodsTable(metrics, { containers: o.containers, withNamespace: namespace === undefined, noHeaders: !o.headers, sortBy: order, sum: o.sum }),
        );
      } finally {
        ctx.client.close();
      }
    });
}

export function register(program: Command, io: IOStreams): void {
  const top = program
    .command('top')
    .description('Display resource (CPU/memory) usage of nodes or pods, from the metrics API');
  for (const sub of [registerNode, registerPod]) sub(top, io);
  top.commands.forEach((c) => c.exitOverride());
}
