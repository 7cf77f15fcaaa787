// kctl create rolebinding NAME (--role=R | --clusterrole=R) [--user=U] [--group=G] [--serviceaccount=NS:NAME],
// as kubectl builds it (generators/rbac.ts).
import type { Command } from 'commander';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { roleBindingFor } from '../generators/rbac.js';
import { kindResource } from '../kind-resource.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import { stringArray } from '../repeatable-flags.js';
import type { IOStreams } from '../io-streams.js';

const ROLE_BINDINGS = kindResource('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true);

/** The subject flags both bindings have. */
export function addSubjectOptions(cmd: Command): Command {
  return cmd
    .option('--user <name>', 'a user to bind the role to; repeatable', stringArray, [])
    .option('--group <name>', 'a group to bind the role to; repeatable', stringArray, [])
    .option('--serviceaccount <namespace:name>', 'a service account to bind the role to; repeatable', stringArray, []);
}

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(addSubjectOptions(create.command('rolebinding').description('Create a role binding for a particular role or cluster role').argument('[name...]')))
    .option('--role <name>', 'the Role this binding refers to')
    .option('--clusterrole <name>', 'the ClusterRole this binding refers to')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const name = exactlyOneName(args, cmd);
      const flags = { role: opts.role, clusterRole: opts.clusterrole, users: opts.user, groups: opts.group, serviceAccounts: opts.serviceaccount };
      await createGenerated(io, cmd, ROLE_BINDINGS, opts, 'rolebinding', (namespace) => roleBindingFor(name, namespace, flags), true);
    });
}
