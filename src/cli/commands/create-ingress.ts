// kctl create ingress NAME --rule=host/path=svc:port[,tls[=secret]]... [--class] [--default-backend]
// [--annotation], as kubectl builds it (see generators/ingress.ts).
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { createGenerated } from '../create-generated.js';
import { ingressFor, validateIngressFlags, type IngressFlags } from '../generators/ingress.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const INGRESSES = findByKind('Ingress')!;

const repeatable = (v: string, prev: string[]) => [...prev, v];

export function register(create: Command, io: IOStreams): void {
  create
    .command('ingress')
    .alias('ing')
    .description('Create an ingress with the specified name')
    .argument('[name...]', 'NAME')
    .option('--rule <rule>', "host/path=service:port[,tls=secretname]; a path ending in '*' is pathType=Prefix; repeatable", repeatable, [])
    .option('--class <class>', 'Ingress Class to be used')
    .option('--default-backend <svc:port>', 'default service for backend, in format of svcname:port')
    .option('--annotation <key=value>', 'annotation to insert in the ingress object; repeatable', repeatable, [])
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const flags: IngressFlags = {
        name: exactlyOneName(args, cmd),
        rules: opts.rule,
        className: opts.class,
        defaultBackend: opts.defaultBackend,
        annotations: opts.annotation,
      };
      validateIngressFlags(flags);
      await createGenerated(io, cmd, INGRESSES, opts, 'ingress', (namespace) => ingressFor({ ...flags, namespace }));
    });
}
