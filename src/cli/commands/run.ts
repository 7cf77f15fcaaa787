// kctl run NAME --image=I [--restart=...] [--port=P] [--env=K=V]... [-l k=v,...] [--command]
// [-- ARGS...]: creates one Pod as kubectl run builds it (see generators/run-pod.ts) and prints
// `pod/NAME created`. Attaching (--attach, -i, -t, --rm) is refused: not supported yet.
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { createGenerated } from '../create-generated.js';
import { CliError } from '../errors.js';
import { checkRunFlags, runPodFor } from '../generators/run-pod.js';
import { dryRunOf, dryRunOption } from '../manifest/report.js';
import { argsLenAtDash } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const PODS = findByKind('Pod')!;

export function register(program: Command, io: IOStreams): void {
  program
    .command('run')
    .description('Run a particular image on the cluster (one pod)')
    .usage('NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--command] -- [COMMAND] [args...]')
    .argument('[args...]', 'NAME [-- [COMMAND] ARGS...]')
    .option('--image <image>', 'the image for the container to run', '')
    .option('--image-pull-policy <policy>', 'the image pull policy for the container (Always, IfNotPresent, Never); empty: the server default', '')
    .option('--restart <policy>', 'the restart policy for this Pod: Always, OnFailure or Never', 'Always')
    .option('--port <port>', 'the port that this container exposes', '')
    .option('--env <key=value>', 'environment variables to set in the container; repeatable', (v: string, prev: string[]) => [...prev, v], [])
    .option('-l, --labels <labels>', 'comma separated labels to apply to the pod (default run=NAME)', '')
    .option('--command', "use the arguments after -- as the container's command rather than its args", false)
    .option('-i, --stdin', 'not supported yet', false)
    .option('-t, --tty', 'not supported yet', false)
    .option('--attach', 'not supported yet', false)
    .option('--rm', 'not supported yet', false)
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      // cobra checks a required flag before the command runs.
      if (cmd.getOptionValueSource('image') !== 'cli') throw new CliError('required flag(s) "image" not set');
      if (args.length === 0 || argsLenAtDash(args, cmd) === 0) throw new CliError("NAME is required for run\nSee 'kctl run -h' for help and examples");
      const flags = {
        name: args[0],
        image: opts.image as string,
        restart: opts.restart as string,
        imagePullPolicy: opts.imagePullPolicy as string,
        port: opts.port as string,
        env: opts.env as string[],
        labels: opts.labels as string,
        command: opts.command as boolean,
        args: args.slice(1),
      };
      checkRunFlags(flags, { stdin: opts.stdin, tty: opts.tty, attach: opts.attach, rm: opts.rm, dryRun: dryRunOf(cmd) !== 'none' });
      await createGenerated(io, cmd, PODS, opts, undefined, (namespace) => runPodFor({ ...flags, namespace }));
    });
}
