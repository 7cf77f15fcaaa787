// kctl rollout status: prints where a Deployment's, DaemonSet's or StatefulSet's rollout stands at every change, watching it,
// until it is done (exit 0), its progress deadline passes, or --timeout ends the wait.
import type { Command } from 'commander';
import type { HttpClient } from '../../../api/http-client.js';
import type { KubeObject, WatchEvent } from '../../../api/types.js';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { parseDurationFlag } from '../../go-duration.js';
import { groupKind, resolveTargets, type Target } from '../../object-targets.js';
import { daemonSetRolloutStatus, deploymentRolloutStatus, statefulSetRolloutStatus } from './status-viewer.js';
import type { IOStreams } from '../../io-streams.js';

function parseBool(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new CliError(`invalid argument "${value}" for "-w, --watch" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

export function register(rollout: Command, io: IOStreams): void {
  rollout
    .command('status')
    .description('Show the status of the rollout')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('-w, --watch [bool]', "watch the status of the rollout until it's done", (v) => parseBool(v), true)
    .option('--revision <n>', 'pin to a specific revision for showing its status (0: the last)', '0')
    .option('--timeout <duration>', 'how long to watch before giving up (0: forever)', '0s')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .action(async (args: string[], opts, cmd: Command) => {
      const revision = Number(opts.revision);
      if (!Number.isInteger(revision) || revision < 0) throw new CliError(`revision must be a positive integer: ${opts.revision}`);
      const timeoutMs = parseDurationFlag('timeout', opts.timeout);
      const ctx = await connect(cmd);
      try {
        const targets = await resolveTargets(ctx.client, ctx.namespace, args, { verb: 'rollout status', selector: opts.selector });
        for (const t of targets) {
          if (t.r.kind !== 'Deployment' && t.r.kind !== 'DaemonSet' && t.r.kind !== 'StatefulSet') throw new CliError(`no status viewer has been implemented for ${groupKind(t.r)}`);
          await watchRollout(io, ctx.client, t, revision, opts.watch !== false, timeoutMs);
        }
      } finally {
        ctx.client.close();
      }
    });
}

/** Prints the status of every version of the object seen (as kubectl's UntilWithSync does) until done. */
function watchRollout(io: IOStreams, client: HttpClient, t: Target, revision: number, watch: boolean, timeoutMs: number): Promise<void> {
  const { namespace, name } = t.obj.metadata;
  return new Promise<void>((resolve, reject) => {
    let finished = false;
    let handle: { stop(): void } | undefined;
    let rv: string | undefined;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      handle?.stop();
      if (err) reject(err);
      else resolve();
    };
    const timer = timeoutMs > 0 ? setTimeout(() => finish(new CliError('timed out waiting for the condition')), timeoutMs) : undefined;
    const show = (obj: KubeObject) => {
      const state = t.r.kind === 'DaemonSet' ? daemonSetRolloutStatus(obj) : t.r.kind === 'StatefulSet' ? statefulSetRolloutStatus(obj) : deploymentRolloutStatus(obj, revision);
      io.out.write(`${state.message}\n`);
      if (state.done || !watch) finish();
    };
    const onEvent = (e: WatchEvent) => {
      try {
        if (e.type === 'ERROR') {
          rv = undefined;
          return;
        }
        if (e.type === 'BOOKMARK') {
          rv = e.object.metadata.resourceVersion;
          return;
        }
        if (e.type === 'DELETED') return finish(new CliError('object has been deleted'));
        rv = e.object.metadata.resourceVersion;
        show(e.object);
      } catch (err) {
        finish(err as Error);
      }
    };
    const loop = async () => {
      while (!finished) {
        if (rv === undefined) {
          // (Re-)list: the object as it is now counts as an event, as after kubectl's list.
          const list = await client.list(t.r, namespace, { fieldSelector: `metadata.name=${name}` });
          const obj = list.items[0];
          if (!obj) return finish(new CliError('object has been deleted'));
          rv = list.metadata.resourceVersion;
          onEvent({ type: 'ADDED', object: obj });
          if (finished) return;
        }
        const h = client.watch(t.r, namespace, { fieldSelector: `metadata.name=${name}`, resourceVersion: rv, bookmarks: true }, onEvent);
        handle = h;
        await h.done;
        if (!finished) await new Promise((r) => setTimeout(r, 200));
      }
    };
    loop().catch((err) => finish(err as Error));
  });
}
