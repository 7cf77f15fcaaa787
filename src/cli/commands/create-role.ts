// kctl create role NAME --verb=V --resource=R [--resource-name=N], as kubectl builds it
// (generators/rbac.ts): resources are checked against the kinds the API serves.
import type { Command } from 'commander';
import type { HttpClient } from '../../api/http-client.js';
import { resolveResource } from '../../api/resources.js';
import { learnServedResources } from '../discovery.js';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { roleFor, type ResourceMapper } from '../generators/rbac.js';
import { kindResource } from '../kind-resource.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import { stringArray, stringSlice } from '../repeatable-flags.js';
import type { IOStreams } from '../io-streams.js';

const ROLES = kindResource('rbac.authorization.k8s.io/v1', 'Role', 'roles', true);

/** The API's resource names, as kubectl's RESTMapper resolves `rs`, `deployments.apps`. */
export const servedResources: ResourceMapper = (resource, group) => {
  const r = resolveResource(group ? `${resource}.${group}` : resource);
  return r && { resource: r.plural, group: r.group };
};

/** Learns the server's custom resources when a --resource (`widgets.example.com/status`) is not a built-in one. */
export async function learnRuleResources(client: HttpClient, resources: string[]): Promise<void> {
  const unknown = resources.some((item) => {
    const main = item.split('/')[0];
    return main !== '*' && !resolveResource(main);
  });
  if (unknown) await learnServedResources(client);
}

/** The flags role and clusterrole share. */
export function addRuleOptions(cmd: Command): Command {
  return cmd
    .option('--verb <verbs>', 'verbs that apply to the resources of the rule; repeatable or comma-separated', stringSlice, [])
    .option('--resource <resources>', 'resources the rule applies to (resource.group/subresource); repeatable or comma-separated', stringSlice, [])
    .option('--resource-name <name>', 'a resource name the rule is limited to; repeatable', stringArray, []);
}

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(addRuleOptions(create.command('role').description('Create a role with single rule').argument('[name...]')))
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const name = exactlyOneName(args, cmd);
      await createGenerated(
        io, cmd,
        ROLES,
        opts,
        undefined,
        async (namespace, client) => {
          await learnRuleResources(client, opts.resource);
          const { obj, warnings } = roleFor(name, namespace, { verbs: opts.verb, resources: opts.resource, resourceNames: opts.resourceName }, servedResources);
          for (const w of warnings) io.errOut.write(`${w}\n`);
          return obj;
        },
        true,
      );
    });
}
