// kctl create job NAME --image=I [-- COMMAND...] | --from=cronjob/NAME, as kubectl makes them: a Job
// with one container named after it and restartPolicy Never, or a manual run of a CronJob's job
// template (annotated cronjob.kubernetes.io/instantiate=manual, controlled by the CronJob).
import type { Command } from 'commander';
import { findByKind, qualifiedSingular, resolveResource } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { dryRunOf, dryRunOption, dryRunSuffix } from '../manifest/report.js';
import type { IOStreams } from '../io-streams.js';

const JOBS = findByKind('Job')!;
const CRONJOBS = findByKind('CronJob')!;

export function register(create: Command, io: IOStreams): void {
  create
    .command('job')
    .description('Create a job with the specified name')
    .argument('<name>')
    .argument('[command...]', 'the command the container runs (after --)')
    .option('--image <image>', 'image name to run')
    .option('--from <resource>', 'the name of the resource to create a Job from (only cronjob is supported)')
    .addOption(dryRunOption())
    .action(async (name: string, command: string[], opts, cmd: Command) => {
      if (!opts.image === !opts.from) throw new CliError('either --image or --from must be specified');
      if (command.length && opts.from) throw new CliError('cannot specify --from and command');
      const dryRun = dryRunOf(cmd);
      const ctx = await connect(cmd);
      const job = opts.from ? await jobFromCronJob(ctx.client, ctx.namespace, name, opts.from) : jobWithImage(name, opts.image, command);
      if (dryRun !== 'client') await ctx.client.create(JOBS, ctx.namespace, job, { dryRun: dryRun === 'server', fieldManager: 'kubectl-create' });
      io.out.write(`${qualifiedSingular(JOBS)}/${name} created${dryRunSuffix(dryRun)}\n`);
    });
}

function jobWithImage(name: string, image: string, command: string[]): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      template: {
        spec: { containers: [{ name, image, ...(command.length ? { command } : {}) }], restartPolicy: 'Never' },
      },
    },
  };
}

async function jobFromCronJob(client: Awaited<ReturnType<typeof connect>>['client'], namespace: string, name: string, from: string): Promise<KubeObject> {
  const slash = from.indexOf('/');
  const r = slash > 0 ? resolveResource(from.slice(0, slash)) : undefined;
  if (!r || slash === from.length - 1) throw new CliError(`from must be of the form <resource>/<name>, got "${from}"`);
  if (r !== CRONJOBS) throw new CliError(`unknown object type ${r.kind}`);
  const cronJob = await client.get(CRONJOBS, namespace, from.slice(slash + 1));
  const template = cronJob.spec.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...(template.metadata?.annotations ?? {}) },
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      // Not blockOwnerDeletion, as kubectl: that would need the cronjobs/finalizers permission.
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name!, uid: cronJob.metadata.uid!, controller: true }],
    },
    spec: template.spec,
  };
}
