// kctl logs: a pod container's logs through the API server's pods/log (which asks the pod's node
// agent), with kubectl's flags: -c, -f, -p, --tail, --timestamps, --since, --since-time,
// --limit-bytes, -l with --max-log-requests, --prefix and --all-containers. POD, pod/NAME, or a
// workload (deploy/, rs/, rc/, job/, svc/NAME) whose one pod is chosen as kubectl chooses it.
import type { Command } from 'commander';
import type { IncomingMessage } from 'node:http';
import { findByKind, resolveResource } from '../../api/resources.js';
import { resourcePath } from '../../api/http-client.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { FOR_LOGS, firstPodOf } from '../attachable-pod.js';
import { defaultContainer, everyContainer, hasContainer } from '../pod-target.js';
import type { IOStreams } from '../io-streams.js';

const PODS = findByKind('Pod')!;
/** kubectl's --tail when a selector picks the pods and no --tail was given. */
const SELECTOR_TAIL = 10;

export interface LogFlags {
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  /** -1: all. */
  tail: number;
  since?: string;
  sinceTime?: string;
  /** 0: no limit. */
  limitBytes: number;
  selector?: string;
}

/** The pods/log query for one container, checked as kubectl checks its flags. */
export function logQuery(flags: LogFlags, container: string): URLSearchParams {
  const q = new URLSearchParams({ container });
  if (flags.follow) q.set('follow', 'true');
  if (flags.previous) q.set('previous', 'true');
  if (flags.timestamps) q.set('timestamps', 'true');
  if (!Number.isInteger(flags.tail) || flags.tail < -1) throw new CliError('--tail must be greater than or equal to -1');
  const tail = flags.tail === -1 && flags.selector ? SELECTOR_TAIL : flags.tail;
  if (tail >= 0) q.set('tailLines', String(tail));
  if (!Number.isInteger(flags.limitBytes) || flags.limitBytes < 0) throw new CliError('--limit-bytes must be greater than 0');
  if (flags.limitBytes > 0) q.set('limitBytes', String(flags.limitBytes));
  if (flags.since && flags.sinceTime) throw new CliError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (flags.since) {
    const ms = parseDurationFlag('since', flags.since);
    if (ms < 0) throw new CliError('--since must be greater than 0');
    if (ms > 0) q.set('sinceSeconds', String(Math.max(1, Math.round(ms / 1000))));
  }
  if (flags.sinceTime) {
    if (!/^\d{4}-\d\d-\d\dT/.test(flags.sinceTime) || Number.isNaN(Date.parse(flags.sinceTime))) {
      throw new CliError(`--since-time must be an RFC 3339 time (e.g. 2026-01-02T15:04:05Z), got "${flags.sinceTime}"`);
    }
    q.set('sinceTime', flags.sinceTime);
  }
  return q;
}

interface LogStream {
  pod: KubeObject;
  container: string;
}

function write(io: IOStreams, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (io.out.write(chunk)) resolve();
    else io.out.once('drain', resolve);
  });
}

/** Copies a log to stdout line by line, so parallel streams never split each other's lines. */
async function copyLines(io: IOStreams, res: IncomingMessage, prefix: string): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of res as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const end = pending.lastIndexOf(0x0a);
    if (end < 0) continue;
    const complete = pending.subarray(0, end + 1);
    pending = pending.subarray(end + 1);
    if (!prefix) await write(io, complete);
    else {
      const lines = complete.toString('utf8').split('\n').slice(0, -1);
      await write(io, lines.map((l) => `${prefix}${l}\n`).join(''));
    }
  }
  if (pending.length) await write(io, prefix ? `${prefix}${pending.toString('utf8')}` : pending);
}

async function streamLog(io: IOStreams, ctx: CliContext, s: LogStream, flags: LogFlags, prefix: boolean): Promise<void> {
  const { namespace, name } = s.pod.metadata;
  const path = `${resourcePath(PODS, namespace, name, 'log')}?${logQuery(flags, s.container)}`;
  const res = await ctx.client.stream(path);
  await copyLines(io, res, prefix ? `[pod/${name}/${s.container}] ` : '');
}

/**
 * The pod `POD` or `TYPE/NAME` stands for; a workload's pod is picked among those it selects
 * (waiting up to timeoutMs for one), with kubectl's `Found 2 pods, using pod/web-abc` on stderr.
 */
async function podOf(io: IOStreams, ctx: CliContext, arg: string, timeoutMs: number): Promise<KubeObject> {
  const slash = arg.indexOf('/');
  const type = slash < 0 ? 'pods' : arg.slice(0, slash);
  const r = resolveResource(type);
  if (!r) throw new CliError(`the server doesn't have a resource type "${type}"`);
  const obj = await ctx.client.get(r, r.namespaced ? ctx.namespace : undefined, arg.slice(slash + 1));
  if (r.kind === 'Pod') return obj;
  const { pod, count } = await firstPodOf(ctx.client, { apiVersion: obj.apiVersion, kind: r.kind, ...obj }, timeoutMs, FOR_LOGS);
  if (count > 1) io.errOut.write(`Found ${count} pods, using pod/${pod.metadata.name}\n`);
  return pod;
}

/** The containers to read in one pod: -c, every one, or kubectl's default. */
function podStreams(io: IOStreams, pod: KubeObject, container: string | undefined, allContainers: boolean): LogStream[] {
  if (allContainers) return everyContainer(pod).map((c) => ({ pod, container: c }));
  if (container) {
    if (!hasContainer(pod, container)) throw new CliError(`container ${container} is not valid for pod ${pod.metadata.name}`);
    return [{ pod, container }];
  }
  const chosen = defaultContainer(pod);
  for (const notice of chosen.notices) io.errOut.write(`${notice}\n`);
  return [{ pod, container: chosen.container }];
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('logs')
    .description('Print the logs for a container in a pod')
    .argument('[pod]', 'POD or pod/NAME')
    .argument('[container]', 'the container (same as -c)')
    .option('-c, --container <name>', 'print the logs of this container')
    .option('-f, --follow', 'specify if the logs should be streamed', false)
    .option('-p, --previous', "print the logs for the previous instance of the container, if it exists", false)
    .option('--tail <lines>', 'lines of recent log file to display; -1 shows all (10 with a selector)', '-1')
    .option('--timestamps', 'include timestamps on each line in the log output', false)
    .option('--since <duration>', 'only return logs newer than a relative duration like 5s, 2m, or 3h')
    .option('--since-time <time>', 'only return logs after a specific date (RFC3339)')
    .option('--limit-bytes <n>', 'maximum bytes of logs to return (0: no limit)', '0')
    .option('-l, --selector <selector>', 'label selector of the pods to read')
    .option('--prefix', 'prefix each log line with the log source (pod name and container name)', false)
    .option('--all-containers', 'get all containers\' logs in the pod(s)', false)
    .option('--max-log-requests <n>', 'with a selector: the most concurrent logs to follow', '5')
    .option('--pod-running-timeout <duration>', 'the length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '20s')
    .action(async (podArg: string | undefined, containerArg: string | undefined, opts, cmd: Command) => {
      const flags: LogFlags = {
        follow: opts.follow,
        previous: opts.previous,
        timestamps: opts.timestamps,
        tail: Number(opts.tail),
        since: opts.since,
        sinceTime: opts.sinceTime,
        limitBytes: Number(opts.limitBytes),
        selector: opts.selector,
      };
      if (opts.selector && podArg) throw new CliError('only a selector (-l) or a POD name is allowed');
      if (!opts.selector && !podArg) {
        throw new CliError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
      }
      if (containerArg && opts.container) throw new CliError(`only one of -c or an inline [CONTAINER] arg is allowed`);
      const container: string | undefined = opts.container ?? containerArg;
      if (container && opts.allContainers) throw new CliError('--container cannot be used with --all-containers');
      const maxRequests = Number(opts.maxLogRequests);
      if (!Number.isInteger(maxRequests) || maxRequests < 1) throw new CliError('--max-log-requests must be greater than 0');
      // Checked before any request, as kubectl does.
      logQuery(flags, container ?? '');
      const timeout = parseDurationFlag('pod-running-timeout', opts.podRunningTimeout);
      if (timeout <= 0) throw new CliError('--pod-running-timeout must be higher than zero');

      const ctx = await connect(cmd);
      const pods = opts.selector
        ? (await ctx.client.list(PODS, ctx.namespace, { labelSelector: opts.selector })).items
        : [await podOf(io, ctx, podArg!, timeout)];
      if (pods.length === 0) {
        io.errOut.write(`No resources found in ${ctx.namespace} namespace.\n`);
        return;
      }
      const streams = pods.flatMap((pod) => podStreams(io, pod, container, opts.allContainers));
      const prefix = opts.prefix as boolean;
      try {
        if (flags.follow && streams.length > 1) {
          if (streams.length > maxRequests) {
            throw new CliError(
              `you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${maxRequests}, use --max-log-requests to increase the limit`,
            );
          }
          await Promise.all(streams.map((s) => streamLog(io, ctx, s, flags, prefix)));
        } else {
          for (const s of streams) await streamLog(io, ctx, s, flags, prefix);
        }
      } finally {
        ctx.client.close();
      }
    });
}
