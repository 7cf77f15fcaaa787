// kctl create cronjob NAME --image=I --schedule=S [--restart=P] [-- COMMAND [ARGS...]], as kubectl builds it.
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { CliError } from '../errors.js';
import { cronJobFor } from '../generators/cronjob.js';
import { dryRunOption } from '../manifest/report.js';
import { nameAndCommand } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const CRONJOBS = findByKind('CronJob')!;

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(create.command('cronjob').alias('cj').description('Create a cron job with the specified name').argument('[args...]', 'NAME [-- COMMAND [ARGS...]]'))
    .option('--image <image>', 'image name to run')
    .option('--schedule <cron>', 'a schedule in the Cron format the job should be run with')
    .option('--restart <policy>', "job's restart policy: OnFailure or Never", 'OnFailure')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      if (!opts.image) throw new CliError('required flag(s) "image" not set');
      if (!opts.schedule) throw new CliError('required flag(s) "schedule" not set');
      const { name, command } = nameAndCommand(args, cmd);
      const flags = { image: opts.image, schedule: opts.schedule, restart: opts.restart, command };
      await createGenerated(io, cmd, CRONJOBS, opts, 'cronjob', (namespace) => cronJobFor(name, namespace, flags), true);
    });
}
