// kctl create deployment NAME --image=I... [--replicas=N] [--port=P] [-- COMMAND ARGS...], as kubectl
// builds it (see generators/deployment.ts): `deployment.apps/NAME created`.
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { createGenerated } from '../create-generated.js';
import { deploymentFor, validateDeploymentFlags } from '../generators/deployment.js';
import { intFlag } from '../int-flag.js';
import { dryRunOption } from '../manifest/report.js';
import { nameAndCommand } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const DEPLOYMENTS = findByKind('Deployment')!;

export function register(create: Command, io: IOStreams): void {
  create
    .command('deployment')
    .alias('deploy')
    .description('Create a deployment with the specified name')
    .argument('[args...]', 'NAME [-- COMMAND [ARGS...]]')
    .option('--image <image>', 'image to run; repeat for several containers', (v: string, prev: string[]) => [...prev, v], [])
    .option('-r, --replicas <n>', 'number of replicas to create', intFlag('--replicas'), 1)
    .option('--port <port>', 'the containerPort this deployment exposes', intFlag('--port'), -1)
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const { name, command } = nameAndCommand(args, cmd);
      const flags = { name, images: opts.image as string[], replicas: opts.replicas, port: opts.port, command };
      validateDeploymentFlags(flags);
      await createGenerated(io, cmd, DEPLOYMENTS, opts, 'deployment', (namespace) => deploymentFor({ ...flags, namespace }));
    });
}
