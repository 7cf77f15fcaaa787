// kctl autoscale TYPE NAME | TYPE/NAME --max=N [--min=N] [--cpu-percent=N] [--name=NAME]: creates
// an autoscaling/v2 HorizontalPodAutoscaler for a Deployment, ReplicaSet, StatefulSet or
// ReplicationController, as kubectl does: `horizontalpodautoscaler.autoscaling/web autoscaled`.
import type { Command } from 'commander';
import { apiVersionOf, findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect } from '../context.js';
import { addGeneratorOptions, withSaveConfig } from '../create-generated.js';
import { CliError } from '../errors.js';
import { intFlag } from '../int-flag.js';
import { dryRunOf, dryRunOption } from '../manifest/report.js';
import { resolveTargets } from '../object-targets.js';
import { objectOutput, outputOption, printResult } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const HPAS = findByKind('HorizontalPodAutoscaler')!;
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

export function register(program: Command, io: IOStreams): void {
  addGeneratorOptions(program.command('autoscale').description('Auto-scale a deployment, replica set, stateful set, or replication controller').argument('[args...]', 'TYPE NAME | TYPE/NAME'))
    .option('--min <n>', 'the lower limit for the number of pods (-1: the server picks)', intFlag('--min'), -1)
    .option('--max <n>', 'the upper limit for the number of pods (required)', intFlag('--max'), -1)
    .option('--cpu-percent <n>', 'the target average CPU utilization over all the pods (-1: the server default, 80%)', intFlag('--cpu-percent'), -1)
    .option('--name <name>', 'the name of the autoscaler (default: the target\'s name)', '')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      if (opts.max < 1) throw new CliError(`--max=MAXPODS is required and must be at least 1, max: ${opts.max}`);
      if (opts.max < opts.min) throw new CliError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${opts.max}, min: ${opts.min}`);
      const format = objectOutput(opts.output);
      const dryRun = dryRunOf(cmd);
      const ctx = await connect(cmd);
      try {
        const targets = await resolveTargets(ctx.client, ctx.namespace, args, { verb: 'autoscale' });
        for (const t of targets) {
          if (!SCALABLE.has(t.r.kind)) throw new CliError(`cannot autoscale a ${t.r.kind}: ${t.r.kind.toLowerCase()} has no scale subresource the autoscaler acts on`);
          let hpa: KubeObject = {
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            metadata: { name: opts.name || t.obj.metadata.name },
            spec: {
              scaleTargetRef: { apiVersion: apiVersionOf(t.r), kind: t.r.kind, name: t.obj.metadata.name },
              ...(opts.min >= 0 ? { minReplicas: opts.min } : {}),
              maxReplicas: opts.max,
              ...(opts.cpuPercent >= 0 ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: opts.cpuPercent } } }] } : {}),
            },
          };
          if (opts.saveConfig) hpa = withSaveConfig(hpa);
          if (dryRun !== 'client') hpa = await ctx.client.create(HPAS, ctx.namespace, hpa, { dryRun: dryRun === 'server', fieldManager: opts.fieldManager === 'kubectl-create' ? 'kubectl-autoscale' : opts.fieldManager });
          await printResult(io, hpa, 'autoscaled', format, dryRun, dryRun === 'client');
        }
      } finally {
        ctx.client.close();
      }
    });
}
