// kctl create service clusterip|nodeport|loadbalancer|externalname NAME [--tcp=port:targetPort...],
// as kubectl builds them (see generators/service.ts): `service/NAME created`.
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { createGenerated } from '../create-generated.js';
import { CliError } from '../errors.js';
import { serviceFor, validateServiceFlags, type CreatedServiceType, type ServiceFlags } from '../generators/service.js';
import { intFlag } from '../int-flag.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const SERVICES = findByKind('Service')!;

const repeatable = (v: string, prev: string[]) => [...prev, v];

function subcommand(service: Command, io: IOStreams, name: string, type: CreatedServiceType, description: string): Command {
  return service
    .command(name)
    .description(description)
    .argument('[name...]', 'NAME')
    .option('--tcp <port:targetPort>', "port pairs, '<port>:<targetPort>'; repeatable or comma-separated", repeatable, [])
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const flags: ServiceFlags = {
        name: exactlyOneName(args, cmd),
        type,
        tcp: opts.tcp,
        clusterIP: opts.clusterip,
        nodePort: opts.nodePort,
        externalName: opts.externalName,
      };
      if (type === 'ExternalName' && opts.externalName === undefined) throw new CliError('required flag(s) "external-name" not set');
      validateServiceFlags(flags);
      await createGenerated(io, cmd, SERVICES, opts, `${type} service`, (namespace) => serviceFor({ ...flags, namespace }));
    });
}

export function register(create: Command, io: IOStreams): void {
  const service = create.command('service').alias('svc').description('Create a service using a specified subcommand');
  subcommand(service, io, 'clusterip', 'ClusterIP', 'Create a ClusterIP service').option(
    '--clusterip <ip>',
    "assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)",
  );
  subcommand(service, io, 'nodeport', 'NodePort', 'Create a NodePort service').option('--node-port <port>', 'port used to expose the service on each node in a cluster', intFlag('--node-port'));
  subcommand(service, io, 'loadbalancer', 'LoadBalancer', 'Create a LoadBalancer service');
  subcommand(service, io, 'externalname', 'ExternalName', 'Create an ExternalName service').option(
    '--external-name <name>',
    'external name of service',
  );
  service.commands.forEach((c) => c.exitOverride());
}
