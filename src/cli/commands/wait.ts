// kctl wait: blocks until objects meet a condition (--for=condition=Complete, =delete, =create,
// =jsonpath='{.status.phase}'=Running), watching each (no polling), with kubectl's messages:
// `job.batch/py condition met`, `error: timed out waiting for the condition on jobs/py`.
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import type { HttpClient } from '../../api/http-client.js';
import type { ResourceType } from '../../api/resources.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { objectName } from '../printers/name.js';
import { parseResourceArgs } from '../resource-args.js';
import { describeWaitFor, isMet, parseWaitFor, type WaitFor } from '../wait-condition.js';
import type { IOStreams } from '../io-streams.js';

/** kubectl: a negative --timeout waits a week. */
const WEEK_MS = 7 * 24 * 3_600_000;

interface Target {
  r: ResourceType;
  namespace: string | undefined;
  name: string;
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('wait')
    .description('Wait for a specific condition on one or many resources')
    .argument('[args...]', 'TYPE NAME... | TYPE/NAME... | TYPE with -l or --all')
    .requiredOption('--for <condition>', "delete, create, condition=Type[=value] or jsonpath='{expr}'[=value]")
    .option('--timeout <duration>', 'how long to wait for each object (0: check once; negative: a week)', '30s')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .option('--field-selector <selector>', 'field selector to filter on')
    .option('--all', 'every object of the types given, in the namespace', false)
    .option('-A, --all-namespaces', 'with --all or a selector: in every namespace', false)
    .action(async (args: string[], opts, cmd: Command) => {
      const waitFor = parseWaitFor(opts.for);
      let timeoutMs = parseDurationFlag('timeout', opts.timeout);
      if (timeoutMs < 0) timeoutMs = WEEK_MS;
      const ctx = await connect(cmd);
      const targets: Target[] = [];
      const selections = await parseResourceArgs(ctx.client, args);
      if (selections.length === 0) throw new CliError('resource(s) were provided, but no name was specified');
      for (const sel of selections) {
        const namespace = sel.r.namespaced ? (opts.allNamespaces ? undefined : ctx.namespace) : undefined;
        if (sel.names) {
          if (opts.all || opts.selector) throw new CliError('name cannot be provided when a selector or --all is specified');
          for (const name of sel.names) targets.push({ r: sel.r, namespace, name });
          continue;
        }
        if (!opts.all && !opts.selector && !opts.fieldSelector) throw new CliError('resource(s) were provided, but no name was specified');
        const list = await ctx.client.list(sel.r, namespace, { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
        for (const item of list.items) targets.push({ r: sel.r, namespace: item.metadata.namespace, name: item.metadata.name! });
      }
      if (targets.length === 0 && waitFor.kind !== 'delete') throw new CliError('no matching resources found');
      const progress = progressLine(io);
      try {
        for (const t of targets) {
          progress.start(`Waiting for ${t.r.plural}/${t.name}: ${describeWaitFor(waitFor)}`);
          const obj = await waitFor1(ctx.client, t, waitFor, timeoutMs);
          progress.clear();
          if (obj) io.out.write(`${objectName(obj)} condition met\n`);
        }
      } finally {
        progress.clear();
      }
    });
}

/**
 * Waits for one object; resolves with the object that met the condition (for delete, its last
 * state), or undefined when a deletion was waited for and there was nothing to delete.
 */
async function waitFor1(client: HttpClient, t: Target, w: WaitFor, timeoutMs: number): Promise<KubeObject | undefined> {
  let current: KubeObject | undefined;
  try {
    current = await client.get(t.r, t.namespace, t.name);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'NotFound') || (w.kind !== 'delete' && w.kind !== 'create')) throw err;
  }
  if (w.kind === 'delete' ? !current : current && isMet(w, current)) return current;
  const timedOut = () => new CliError(`timed out waiting for the condition on ${t.r.plural}/${t.name}`);
  if (timeoutMs === 0) throw timedOut();
  let rv = current?.metadata.resourceVersion;
  let last = current;
  return new Promise<KubeObject | undefined>((resolve, reject) => {
    let handle: { stop(): void } | undefined;
    let finished = false;
    const finish = (err: Error | undefined, obj?: KubeObject) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      handle?.stop();
      if (err) reject(err);
      else resolve(obj);
    };
    const timer = setTimeout(() => finish(timedOut()), timeoutMs);
    const onEvent = (e: WatchEvent) => {
      try {
        if (e.type === 'ERROR') {
          // Expired (410): start again from now.
          rv = undefined;
          return;
        }
        if (e.type === 'BOOKMARK') return;
        rv = e.object.metadata.resourceVersion;
        if (e.type === 'DELETED') {
          if (w.kind === 'delete') finish(undefined, e.object);
          return;
        }
        last = e.object;
        if (w.kind !== 'delete' && isMet(w, e.object)) finish(undefined, e.object);
      } catch (err) {
        finish(err as Error);
      }
    };
    // A watch ends when the server closes it; another starts where it stopped.
    const watchLoop = async () => {
      while (!finished) {
        const h = client.watch(t.r, t.namespace, { fieldSelector: `metadata.name=${t.name}`, resourceVersion: rv }, onEvent);
        handle = h;
        await h.done;
        if (!finished && rv === undefined && last && w.kind === 'delete') {
          // Re-listing after an expired watch: a deletion missed meanwhile shows as the object missing.
          try {
            await client.get(t.r, t.namespace, t.name);
          } catch (err) {
            if (err instanceof ApiError && err.reason === 'NotFound') finish(undefined, last);
          }
        }
        if (!finished) await new Promise((r) => setTimeout(r, 200));
      }
    };
    watchLoop().catch((err) => finish(err as Error));
  });
}

/** On a terminal, one line on stderr saying what is awaited and for how long, erased when done. */
function progressLine(io: IOStreams): { start(text: string): void; clear(): void } {
  const tty = io.errOut.isTTY;
  let ticker: NodeJS.Timeout | undefined;
  return {
    start(text) {
      if (!tty) return;
      const since = Date.now();
      const show = () => io.errOut.write(`\r\x1b[K${text} (${Math.floor((Date.now() - since) / 1000)}s)`);
      show();
      ticker = setInterval(show, 1000);
      ticker.unref();
    },
    clear() {
      if (!ticker) return;
      clearInterval(ticker);
      ticker = undefined;
      io.errOut.write('\r\x1b[K');
    },
  };
}
