// kctl create -f: creates the objects of the manifests; an existing one is an error (unlike apply).
import type { Command } from 'commander';
import { findByKind, qualifiedSingular } from '../../api/resources.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { requireObjects } from '../manifest/read-manifests.js';
import { targetOf } from '../manifest/target.js';
import { addFilenameOptions, dryRunOf, dryRunOption, dryRunSuffix, forEachManifest } from '../manifest/report.js';
import { register as registerCreateToken } from './create-token.js';
import { register as registerCreateJob } from './create-job.js';
import { register as registerCreateDeployment } from './create-deployment.js';
import { register as registerCreateService } from './create-service.js';
import { register as registerCreateIngress } from './create-ingress.js';
import { register as registerCreateConfigmap } from './create-configmap.js';
import { register as registerCreateSecret } from './create-secret.js';
import { register as registerCreateServiceaccount } from './create-serviceaccount.js';
import { register as registerCreateRole } from './create-role.js';
import { register as registerCreateClusterrole } from './create-clusterrole.js';
import { register as registerCreateRolebinding } from './create-rolebinding.js';
import { register as registerCreateClusterrolebinding } from './create-clusterrolebinding.js';
import { register as registerCreateQuota } from './create-quota.js';
import { register as registerCreatePriorityclass } from './create-priorityclass.js';
import { register as registerCreatePoddisruptionbudget } from './create-poddisruptionbudget.js';
import { register as registerCreateCronjob } from './create-cronjob.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  const create = addFilenameOptions(program.command('create').description('Create resources from files, directories or stdin'), 'to create')
    .option('-k, --kustomize <dir>', 'create the objects the kustomization in this directory builds')
    .addOption(dryRunOption())
    .action(async (opts, cmd: Command) => {
      const manifests = requireObjects(await (await import('../kustomize/manifests.js')).manifestsOf(io, opts), 'create');
      const ctx = await connect(cmd);
      await forEachManifest(io, manifests, 'creating', async (m) => {
        const target = await targetOf(m.obj!, ctx);
        if ('error' in target) throw new CliError(`${m.source}: ${target.error}`);
        let name = m.obj!.metadata.name;
        if (opts.dryRun !== 'client') {
          const created = await ctx.client.create(target.r, target.namespace, m.obj!, { dryRun: opts.dryRun === 'server', fieldManager: 'kubectl-create' });
          name = created.metadata.name;
        }
        return `${qualifiedSingular(target.r)}/${name} created${dryRunSuffix(opts.dryRun)}`;
      });
    });
  create
    .command('namespace')
    .alias('ns')
    .description('Create a namespace with the given name')
    .argument('<name>')
    .addOption(dryRunOption())
    .action(async (name: string, opts, cmd: Command) => {
      const dryRun = dryRunOf(cmd);
      const ctx = await connect(cmd);
      const r = findByKind('Namespace')!;
      if (dryRun !== 'client') await ctx.client.create(r, undefined, { metadata: { name } }, { dryRun: dryRun === 'server', fieldManager: 'kubectl-create' });
      io.out.write(`namespace/${name} created${dryRunSuffix(dryRun)}\n`);
    });
  registerCreateToken(create, io);
  registerCreateJob(create, io);
  registerCreateDeployment(create, io);
  registerCreateService(create, io);
  registerCreateIngress(create, io);
  registerCreateConfigmap(create, io);
  registerCreateSecret(create, io);
  registerCreateServiceaccount(create, io);
  registerCreateRole(create, io);
  registerCreateClusterrole(create, io);
  registerCreateRolebinding(create, io);
  registerCreateClusterrolebinding(create, io);
  registerCreateQuota(create, io);
  registerCreatePriorityclass(create, io);
  registerCreatePoddisruptionbudget(create, io);
  registerCreateCronjob(create, io);
}
