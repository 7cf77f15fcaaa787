// kctl scale: sets replicas through the scale subresource, as kubectl does (a merge patch of
// .../scale; with --current-replicas or --resource-version, checked first and written as an
// update on the Scale's revision): `deployment.apps/django scaled`.
import type { Command } from 'commander';
import type { HttpClient } from '../../api/http-client.js';
import type { KubeObject } from '../../api/types.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { intFlag } from '../int-flag.js';
import { resolveTargets, type Target } from '../object-targets.js';
import { objectName } from '../printers/name.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  program
    .command('scale')
    .description('Set a new size for a deployment, replica set or replication controller')
    .argument('[args...]', 'TYPE NAME... | TYPE/NAME... | TYPE with -l or --all')
    .option('--replicas <n>', 'the new desired number of replicas (required)', intFlag('--replicas'))
    .option('--current-replicas <n>', "precondition for the current size: scale only if it is this (-1: no condition)", intFlag('--current-replicas'), -1)
    .option('--resource-version <rv>', 'precondition for the resource version: scale only if it matches')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .option('--all', 'every object of the types given, in the namespace', false)
    .option('--timeout <duration>', 'how long to wait for the new size to be reached (0: do not wait)', '0s')
    .action(async (args: string[], opts, cmd: Command) => {
      if (opts.replicas === undefined) throw new CliError('required flag(s) "replicas" not set');
      if (opts.replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
      const timeoutMs = parseDurationFlag('timeout', opts.timeout);
      const ctx = await connect(cmd);
      try {
        const targets = await resolveTargets(ctx.client, ctx.namespace, args, { verb: 'scale', selector: opts.selector, all: opts.all });
        for (const t of targets) {
          await scaleOne(ctx.client, t, opts.replicas, opts.currentReplicas, opts.resourceVersion);
          io.out.write(`${objectName(t.obj)} scaled\n`);
        }
        if (timeoutMs > 0) for (const t of targets) await waitForReplicas(ctx.client, t, opts.replicas, timeoutMs);
      } finally {
        ctx.client.close();
      }
    });
}

async function scaleOne(client: HttpClient, t: Target, replicas: number, currentReplicas: number, resourceVersion: string | undefined): Promise<void> {
  const { namespace, name } = t.obj.metadata;
  if (currentReplicas < 0 && !resourceVersion) {
    await client.patch(t.r, namespace, name!, 'merge', { spec: { replicas } }, { subresource: 'scale' });
    return;
  }
  // The Scale mirrors the object (same replicas, same resourceVersion).
  const current = await client.get(t.r, namespace, name!);
  if (currentReplicas >= 0 && (current.spec?.replicas ?? 0) !== currentReplicas) {
    throw new CliError(`Expected replicas to be ${currentReplicas}, was ${current.spec?.replicas ?? 0}`);
  }
  if (resourceVersion && current.metadata.resourceVersion !== resourceVersion) {
    throw new CliError(`Expected resource version to be ${resourceVersion}, was ${current.metadata.resourceVersion}`);
  }
  const scale: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace, resourceVersion: current.metadata.resourceVersion }, spec: { replicas } };
  await client.update(t.r, namespace, scale, { subresource: 'scale' });
}

/** kubectl's wait after scaling: polls every second until status.replicas is the new size. */
async function waitForReplicas(client: HttpClient, t: Target, replicas: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const obj = await client.get(t.r, t.obj.metadata.namespace, t.obj.metadata.name!);
    if ((obj.status?.replicas ?? 0) === replicas && obj.spec?.replicas === replicas) return;
    if (Date.now() >= deadline) throw new CliError('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
  }
}
