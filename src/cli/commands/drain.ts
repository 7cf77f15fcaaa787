// kctl drain NODE: cordons the node, then evicts its pods through the Eviction API (pods/NAME/
// eviction) and waits until each is gone, as kubectl drain does, with its filters (DaemonSet
// pods, mirror pods, emptyDir data, pods without a controller), flags and messages.
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { planDrain, type DrainFlags } from '../drain-filters.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { checkNodeArgs, selectNodes, setUnschedulable } from '../node-cordon.js';
import { waitForDeletion } from '../wait-for-deletion.js';
import type { IOStreams } from '../io-streams.js';

const PODS = findByKind('Pod')!;
/** kubectl waits this long before evicting again when a disruption budget says not now (429). */
const RETRY_MS = 5000;

interface DrainRun extends DrainFlags {
  gracePeriodSeconds: number;
  podSelector?: string;
  /** ms since the epoch; Infinity without --timeout. */
  deadline: number;
  timeoutText: string;
}

/** Go's Duration.String for whole and fractional seconds: `30s`, `1m30s`, `1h0m0s`. */
function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = `${Number(((ms % 60_000) / 1000).toFixed(9))}s`;
  return h ? `${h}h${m}m${s}` : m ? `${m}m${s}` : s;
}

/** kubectl's utilerrors.NewAggregate text: one message as is, several in brackets. */
function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function evict(io: IOStreams, ctx: CliContext, pod: KubeObject, run: DrainRun): Promise<void> {
  const { namespace, name, uid } = pod.metadata;
  for (;;) {
    io.out.write(`evicting pod ${namespace}/${name}\n`);
    if (Date.now() > run.deadline) throw new CliError(`error when evicting pods/"${name}" -n "${namespace}": global timeout reached: ${run.timeoutText}`);
    const eviction = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name, namespace },
      ...(run.gracePeriodSeconds >= 0 ? { deleteOptions: { gracePeriodSeconds: run.gracePeriodSeconds } } : {}),
    } as KubeObject;
    try {
      await ctx.client.createSubresource(PODS, namespace, name!, 'eviction', eviction);
      break;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return;
      if (!(err instanceof ApiError && err.reason === 'TooManyRequests')) {
        throw new CliError(`error when evicting pods/"${name}" -n "${namespace}": ${(err as Error).message}`);
      }
      io.errOut.write(`error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${err.message}\n`);
      await sleep(RETRY_MS);
    }
  }
  const left = run.deadline - Date.now();
  try {
    await waitForDeletion(ctx.client, PODS, namespace, name!, uid, Number.isFinite(left) ? Math.max(1, left) : 0);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    throw new CliError(`error when waiting for pod "${name}" in namespace "${namespace}" to terminate: global timeout reached: ${run.timeoutText}`);
  }
  io.out.write(`pod/${name} evicted\n`);
}

/** What kept a node from draining: kubectl's messages, one per problem. */
class DrainFailure extends Error {
  constructor(readonly messages: string[]) {
    super(aggregate(messages));
  }
}

async function drainNode(io: IOStreams, ctx: CliContext, node: string, run: DrainRun): Promise<void> {
  const pods = (await ctx.client.list(PODS, undefined, { fieldSelector: `spec.nodeName=${node}`, labelSelector: run.podSelector })).items;
  const plan = planDrain(pods, run);
  if (plan.errors.length) throw new DrainFailure(plan.errors);
  if (plan.warnings.length) io.errOut.write(`Warning: ${plan.warnings.join('; ')}\n`);
  const failures: string[] = [];
  await Promise.all(plan.evict.map((pod) => evict(io, ctx, pod, run).catch((err: Error) => failures.push(err.message))));
  if (failures.length) throw new DrainFailure(failures);
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('drain')
    .description('Drain node in preparation for maintenance')
    .argument('[nodes...]', 'NODE')
    .option('--force', 'continue even if there are pods that do not declare a controller', false)
    .option('--ignore-daemonsets', 'ignore DaemonSet-managed pods', false)
    .option('--delete-emptydir-data', 'continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)', false)
    .option('--grace-period <seconds>', 'seconds each pod gets to terminate gracefully (-1: its own terminationGracePeriodSeconds)', '-1')
    .option('--timeout <duration>', 'how long to wait before giving up, e.g. 30s (0: forever)', '0s')
    .option('--pod-selector <selector>', 'label selector to filter pods on the node')
    .option('-l, --selector <selector>', 'label selector of the nodes to drain')
    .action(async (names: string[], opts, cmd: Command) => {
      checkNodeArgs('drain', names, opts.selector);
      const grace = Number(opts.gracePeriod);
      if (!Number.isInteger(grace)) throw new CliError(`invalid argument "${opts.gracePeriod}" for "--grace-period" flag: must be an integer`);
      const timeoutMs = parseDurationFlag('timeout', opts.timeout);
      const run: DrainRun = {
        force: opts.force,
        ignoreDaemonSets: opts.ignoreDaemonsets,
        deleteEmptyDirData: opts.deleteEmptydirData,
        gracePeriodSeconds: grace,
        podSelector: opts.podSelector,
        deadline: timeoutMs > 0 ? Date.now() + timeoutMs : Infinity,
        timeoutText: goDurationString(timeoutMs),
      };
      const ctx = await connect(cmd);
      const nodes = await selectNodes(ctx, names, opts.selector);
      for (const node of nodes) await setUnschedulable(io, ctx, node, true);
      // As kubectl: every node is tried; the problems are listed at the end, one per line.
      const pending: string[] = [];
      const problems: string[] = [];
      for (const node of nodes) {
        const name = node.metadata.name!;
        try {
          await drainNode(io, ctx, name, run);
        } catch (err) {
          if (!(err instanceof DrainFailure)) throw err;
          io.errOut.write(`error: unable to drain node "${name}" due to error: ${err.message}, continuing command...\n`);
          pending.push(name);
          problems.push(...err.messages);
          continue;
        }
        io.out.write(`node/${name} drained\n`);
      }
      if (pending.length) {
        io.errOut.write(`There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}${problems.map((p) => `${p}\n`).join('')}`);
        process.exitCode = 1;
      }
    });
}
