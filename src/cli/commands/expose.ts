// kctl expose (-f FILE | TYPE NAME | TYPE/NAME): a Service for a pod, service, replication
// controller, deployment or replica set, as kubectl builds it (see generators/exposed-service.ts):
// `service/NAME exposed`. Each object is exposed on its own; a failure is reported and the others
// still go through (exit code 1).
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect } from '../context.js';
import { NO_RESOURCES_GIVEN, reportAndContinue } from '../continue-on-error.js';
import { CliError } from '../errors.js';
import { exposedService, type ExposeFlags } from '../generators/exposed-service.js';
import { resolveTargets } from '../object-targets.js';
import { readManifests } from '../manifest/read-manifests.js';
import { addFilenameOptions, dryRunOption } from '../manifest/report.js';
import { objectOutput, outputOption, printResult } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const SERVICES = findByKind('Service')!;

export function register(program: Command, io: IOStreams): void {
  addFilenameOptions(
    program.command('expose').description('Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service'),
    'identifying the resource to expose a service',
  )
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('--port <port>', 'the port the service serves on; copied from the resource being exposed if unspecified')
    .option('--protocol <protocol>', "the network protocol for the service to be created (default 'TCP')")
    .option('--target-port <port>', 'name or number of the port on the container the service directs traffic to')
    .option('--name <name>', 'the name for the newly created object')
    .option('--type <type>', "ClusterIP, NodePort, LoadBalancer or ExternalName (default 'ClusterIP')")
    .option('--selector <k=v,...>', 'the label selector of the service (equality only); inferred from the resource if empty')
    .option('-l, --labels <k=v,...>', 'labels to apply to the service created by this call')
    .option('--external-ip <ip>', 'additional external IP address (not managed by the cluster) to accept for the service')
    .option('--cluster-ip <ip>', "ClusterIP to assign to the service; empty to allocate one, 'None' for a headless service")
    .option('--session-affinity <affinity>', "session affinity of the service: 'None' or 'ClientIP'")
    .option('--load-balancer-ip <ip>', 'IP to assign to the LoadBalancer')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      if (!args.length && !opts.filename.length) throw new CliError(NO_RESOURCES_GIVEN);
      const format = objectOutput(opts.output);
      const flags: ExposeFlags = {
        port: opts.port,
        protocol: opts.protocol,
        targetPort: opts.targetPort,
        name: opts.name,
        type: opts.type,
        selector: opts.selector,
        labels: opts.labels,
        externalIP: opts.externalIp,
        clusterIP: opts.clusterIp,
        sessionAffinity: opts.sessionAffinity,
        loadBalancerIP: opts.loadBalancerIp,
      };
      const ctx = await connect(cmd);
      try {
        const objects: KubeObject[] = [];
        for (const m of opts.filename.length ? await readManifests(io, opts.filename, opts.recursive) : []) {
          if (m.error) reportAndContinue(io, new CliError(m.error));
          else objects.push(m.obj!);
        }
        if (args.length) objects.push(...(await resolveTargets(ctx.client, ctx.namespace, args, { verb: 'expose' })).map((t) => t.obj));
        for (const obj of objects) {
          try {
            let svc = exposedService(obj, { ...flags, namespace: ctx.namespaceExplicit ? ctx.namespace : undefined });
            if (opts.dryRun !== 'client') svc = await ctx.client.create(SERVICES, ctx.namespace, svc, { dryRun: opts.dryRun === 'server', fieldManager: 'kubectl-expose' });
            await printResult(io, svc, 'exposed', format, opts.dryRun);
          } catch (err) {
            reportAndContinue(io, err);
          }
        }
      } finally {
        ctx.client.close();
      }
    });
}
