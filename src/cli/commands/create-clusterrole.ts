// kctl create clusterrole NAME (--verb=V --resource=R | --non-resource-url=U | --aggregation-rule=K=V),
// as kubectl builds it (generators/rbac.ts).
import type { Command } from 'commander';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { CliError } from '../errors.js';
import { clusterRoleFor } from '../generators/rbac.js';
import { kindResource } from '../kind-resource.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import { stringSlice, stringToString } from '../repeatable-flags.js';
import { addRuleOptions, learnRuleResources, servedResources } from './create-role.js';
import type { IOStreams } from '../io-streams.js';

const CLUSTER_ROLES = kindResource('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false);

const aggregationRule = (v: string, prev: Record<string, string>) => {
  try {
    return stringToString(v, prev);
  } catch (err) {
    throw new CliError(`invalid argument "${v}" for "--aggregation-rule" flag: ${(err as Error).message}`);
  }
};

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(addRuleOptions(create.command('clusterrole').description('Create a cluster role').argument('[name...]')))
    .option('--non-resource-url <urls>', 'a partial URL the rule applies to (/logs/*); repeatable or comma-separated', stringSlice, [])
    .option('--aggregation-rule <key=value>', 'label selector of the cluster roles this one aggregates', aggregationRule, {})
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const name = exactlyOneName(args, cmd);
      await createGenerated(
        io,
        cmd,
        CLUSTER_ROLES,
        opts,
        undefined,
        async (_namespace, client) => {
          await learnRuleResources(client, opts.resource);
          const flags = { verbs: opts.verb, resources: opts.resource, resourceNames: opts.resourceName, nonResourceURLs: opts.nonResourceUrl, aggregationRule: opts.aggregationRule };
          const { obj, warnings } = clusterRoleFor(name, flags, servedResources);
          for (const w of warnings) io.errOut.write(`${w}\n`);
          return obj;
        },
        true,
      );
    });
}
