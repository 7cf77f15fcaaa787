// kctl create clusterrolebinding NAME --clusterrole=R [--user=U] [--group=G] [--serviceaccount=NS:NAME],
// as kubectl builds it (generators/rbac.ts).
import type { Command } from 'commander';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { clusterRoleBindingFor } from '../generators/rbac.js';
import { kindResource } from '../kind-resource.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import { addSubjectOptions } from './create-rolebinding.js';
import type { IOStreams } from '../io-streams.js';

const CLUSTER_ROLE_BINDINGS = kindResource('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false);

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(addSubjectOptions(create.command('clusterrolebinding').description('Create a cluster role binding for a particular cluster role').argument('[name...]')))
    .option('--clusterrole <name>', 'the ClusterRole this binding refers to')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const name = exactlyOneName(args, cmd);
      const flags = { clusterRole: opts.clusterrole, users: opts.user, groups: opts.group, serviceAccounts: opts.serviceaccount };
      await createGenerated(io, cmd, CLUSTER_ROLE_BINDINGS, opts, 'clusterrolebinding', () => clusterRoleBindingFor(name, flags), true);
    });
}
