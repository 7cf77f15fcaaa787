// kctl create poddisruptionbudget NAME --selector=S (--min-available=N | --max-unavailable=N), as
// kubectl builds it.
import type { Command } from 'commander';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { podDisruptionBudgetFor } from '../generators/pod-disruption-budget.js';
import { kindResource } from '../kind-resource.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const PDBS = kindResource('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true);

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(create.command('poddisruptionbudget').alias('pdb').description('Create a pod disruption budget with the specified name').argument('[name...]'))
    .option('--selector <selector>', 'a label selector of the pods the budget covers', '')
    .option('--min-available <n>', 'the minimum number or percentage of available pods', '')
    .option('--max-unavailable <n>', 'the maximum number or percentage of unavailable pods', '')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const name = exactlyOneName(args, cmd);
      const flags = { selector: opts.selector, minAvailable: opts.minAvailable, maxUnavailable: opts.maxUnavailable };
      await createGenerated(io, cmd, PDBS, opts, 'poddisruptionbudgets', (namespace) => podDisruptionBudgetFor(name, namespace, flags), true);
    });
}
