// kctl create priorityclass NAME --value=N [--global-default] [--description=D] [--preemption-policy=P],
// as kubectl builds it.
import type { Command } from 'commander';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { priorityClassFor } from '../generators/priority-class.js';
import { intFlag } from '../int-flag.js';
import { kindResource } from '../kind-resource.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const PRIORITY_CLASSES = kindResource('scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', false);

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(create.command('priorityclass').alias('pc').description('Create a priority class with the specified name').argument('[name...]'))
    .option('--value <n>', 'the value of this priority class', intFlag('--value'), 0)
    .option('--global-default', 'whether this priority class is the default for pods without one', false)
    .option('--description <text>', 'when this priority class should be used', '')
    .option('--preemption-policy <policy>', 'whether pods of this class may preempt lower-priority pods', 'PreemptLowerPriority')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const name = exactlyOneName(args, cmd);
      const flags = { value: opts.value, globalDefault: opts.globalDefault, description: opts.description, preemptionPolicy: opts.preemptionPolicy };
      await createGenerated(io, cmd, PRIORITY_CLASSES, opts, 'priorityclass', () => priorityClassFor(name, flags), true);
    });
}
